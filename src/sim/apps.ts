// The applications on the two hosts, and the bookkeeping that follows each message from the send
// call to the peer application's read, splitting its time into causes.
//
// A message's time is tiled by the phases of its last byte (the message is whole when that byte
// is read, since TCP delivers in order):
//   call -> copied     the send call had not yet put it into TCP        (sending host's timeline)
//   copied -> sent     it sat in the send buffer: Nagle, window, cwnd    (sender's TCP timeline)
//   sent -> arrived    on the link; retransmission wait counts as loss
//   arrived -> read    in the receive buffer, the application not reading (receiving host's timeline)
//   read -> returned   records only: the send call still had not returned (Winsock SO_SNDBUF = 0)
// A timeline gives the labelled part of a phase; whatever no label covers is wire time.
import { CAUSE_INDEX, CauseTimeline, WIRE, newCauseVector, type CauseVector, type SimCore } from './core';
import type { HostHooks, SendCall, StreamObserver, TcpEndpoint } from './tcp';
import type { Side } from './types';

/** The application on one host: its cause timeline says why the application is not progressing. */
export class HostApp implements HostHooks {
  readonly timeline = new CauseTimeline();
  pendingSends = 0;
  pausing = false;
  sendEndpoint!: TcpEndpoint;
  readonly readers: Reader[] = [];

  constructor(private readonly core: SimCore, readonly side: Side) {}

  refresh(now: number): void {
    let label = -1;
    // A send call that has met its completion rule and is only spending its per-call cost is the
    // application's own time (unlabelled: wire), not a wait.
    if (this.pendingSends > 0 && this.sendEndpoint.sendBlocked) label = this.sendEndpoint.peer.holdingAck ? CAUSE_INDEX.delayedAck : CAUSE_INDEX.sendBuffer;
    else if (this.pausing) label = CAUSE_INDEX.receiver;
    this.timeline.set(now, label);
  }

  /** A send call with trace entries and the host's blocked-in-send bookkeeping. */
  send(endpoint: TcpEndpoint, bytes: number, then: (call: SendCall) => void): SendCall {
    const now = this.core.now;
    if (this.core.tracing) this.core.record({ t: now, from: this.side, channel: endpoint.cfg.channel, kind: 'app-send', len: bytes });
    this.pendingSends++;
    this.refresh(now);
    const call = endpoint.send(bytes, this.sendReturned);
    call.continuation = then;
    return call;
  }

  /** One shared completion handler (no closure per send call: this runs for every record). */
  private readonly sendReturned = (call: SendCall): void => {
    const now = this.core.now;
    this.pendingSends--;
    this.refresh(now);
    if (this.core.tracing) {
      const waited = call.waitedMs > 0.0005 ? `; ${call.waitedMs.toFixed(3)} ms of it waiting for room in the send buffer` : '';
      const atAck = this.sendEndpoint.cfg.zeroCopySends ? '; completed when its data was ACKed (SO_SNDBUF = 0)' : '';
      this.core.record({ t: now, from: this.side, channel: this.sendEndpoint.cfg.channel, kind: 'app-send-done', len: call.bytes, note: `after ${(now - call.calledAt).toFixed(3)} ms${waited}${atAck}` });
    }
    call.continuation?.(call);
    if (this.pendingSends === 0) for (const r of this.readers) r.poke();
  };
}

/** One message's last byte on one stream. */
export interface Leg {
  end: number;
  startAt: number;
  copiedAt: number;
  firstSentAt: number;
  arrivedAt: number;
  readAt: number;
  /** Records and bulk: the send call whose return also ends the message. */
  call: SendCall | null;
  snap: CauseVector;
  causes: CauseVector;
  /** The message this leg ends, and its payload bytes (for the caller's bookkeeping). */
  index: number;
  bytes: number;
  onDone: (leg: Leg, doneAt: number) => void;
}

/** One direction of one connection, as the applications see it. */
export class Stream implements StreamObserver {
  private legs: Leg[] = [];
  private copiedIdx = 0;
  private sentIdx = 0;
  private arrivedIdx = 0;
  private readIdx = 0;
  private awaitingReturn: Leg[] = [];
  private lastRead = 0;
  readonly reads: [number, number][] | null;

  constructor(
    private readonly core: SimCore,
    readonly channel: number,
    readonly sender: TcpEndpoint,
    private readonly senderHost: HostApp,
    private readonly receiverHost: HostApp,
    recordReads: boolean,
  ) {
    this.reads = recordReads ? [] : null;
  }

  addLeg(end: number, causes: CauseVector, index: number, bytes: number, onDone: (leg: Leg, doneAt: number) => void): Leg {
    const now = this.core.now;
    const leg: Leg = { end, startAt: now, copiedAt: NaN, firstSentAt: NaN, arrivedAt: NaN, readAt: NaN, call: null, snap: newCauseVector(), causes, index, bytes, onDone };
    this.senderHost.timeline.snapshot(now, leg.snap);
    this.legs.push(leg);
    return leg;
  }

  copied(offset: number): void {
    const now = this.core.now;
    while (this.copiedIdx < this.legs.length && this.legs[this.copiedIdx].end <= offset) {
      const leg = this.legs[this.copiedIdx++];
      leg.copiedAt = now;
      this.senderHost.timeline.accumulate(now, leg.snap, now - leg.startAt, leg.causes, WIRE);
      this.sender.senderTimeline.snapshot(now, leg.snap);
    }
  }

  firstSent(offset: number): void {
    const now = this.core.now;
    while (this.sentIdx < this.copiedIdx && this.legs[this.sentIdx].end <= offset) {
      const leg = this.legs[this.sentIdx++];
      leg.firstSentAt = now;
      this.sender.senderTimeline.accumulate(now, leg.snap, now - leg.copiedAt, leg.causes, WIRE);
    }
  }

  arrived(offset: number, sentAt: number): void {
    const now = this.core.now;
    while (this.arrivedIdx < this.sentIdx && this.legs[this.arrivedIdx].end <= offset) {
      const leg = this.legs[this.arrivedIdx++];
      leg.arrivedAt = now;
      // Time between the first transmission and the transmission that finally arrived was spent recovering a loss.
      const loss = Math.min(now - leg.firstSentAt, Math.max(0, sentAt - leg.firstSentAt));
      leg.causes[CAUSE_INDEX.loss] += loss;
      leg.causes[WIRE] += now - leg.firstSentAt - loss;
      this.receiverHost.timeline.snapshot(now, leg.snap);
    }
  }

  read(offset: number): void {
    const now = this.core.now;
    if (this.reads) this.reads.push([this.lastRead, offset - this.lastRead]);
    this.lastRead = offset;
    while (this.readIdx < this.arrivedIdx && this.legs[this.readIdx].end <= offset) {
      const leg = this.legs[this.readIdx++];
      leg.readAt = now;
      this.receiverHost.timeline.accumulate(now, leg.snap, now - leg.arrivedAt, leg.causes, WIRE);
      if (leg.call && !(leg.call.completedAt <= now)) { // the send call has not returned yet
        this.senderHost.timeline.snapshot(now, leg.snap);
        this.awaitingReturn.push(leg);
      } else {
        leg.onDone(leg, now);
      }
    }
    this.compact();
  }

  /** Called when a send call returns: finishes messages that were read but waited for it. */
  sendReturned(): void {
    const now = this.core.now;
    let kept = 0;
    for (const leg of this.awaitingReturn) {
      if (leg.call && leg.call.completedAt <= now) {
        this.senderHost.timeline.accumulate(now, leg.snap, now - leg.readAt, leg.causes, WIRE);
        leg.onDone(leg, now);
      } else this.awaitingReturn[kept++] = leg;
    }
    this.awaitingReturn.length = kept;
  }

  /** Forget finished legs so memory stays bounded by what is in flight. */
  private compact(): void {
    if (this.readIdx < 4096) return;
    this.legs = this.legs.slice(this.readIdx);
    this.copiedIdx -= this.readIdx;
    this.sentIdx -= this.readIdx;
    this.arrivedIdx -= this.readIdx;
    this.readIdx = 0;
  }
}

/**
 * An application's recv() loop on one endpoint. Each recv call costs the endpoint's per-call time:
 * the call returns (and the application has the bytes) that much after it started, or after the
 * data arrived when the application was already blocked in recv() (TcpEndpoint.onReadable fires
 * that late).
 */
export class Reader {
  enabled = true;
  private pausing = false;
  /** A recv call is under way; it returns at its scheduled instant. */
  private inCall = false;
  private readonly costMs: number;

  constructor(
    private readonly core: SimCore,
    private readonly host: HostApp,
    private readonly endpoint: TcpEndpoint,
    private readonly recvBufferBytes: number,
    private readonly readDelayMs: number,
  ) {
    host.readers.push(this);
    this.costMs = endpoint.cfg.callCostMs;
    endpoint.onReadable = () => {
      if (!this.canRead()) return;
      if (this.readDelayMs > 0) return this.pause();
      if (this.readOnce()) this.keepReading();
    };
  }

  /** The application is free again (a send returned, or it now turns to reading): it calls recv(). */
  poke(): void {
    if (!this.canRead()) return;
    if (this.readDelayMs > 0) return this.pause();
    this.startCall();
  }

  private canRead(): boolean {
    return this.enabled && !this.pausing && !this.inCall && this.host.pendingSends === 0 && this.endpoint.readable > 0;
  }

  /** After a recv returned data: call recv again while there is more (else block until onReadable). */
  private keepReading(): void {
    if (!this.canRead()) return;
    if (this.readDelayMs > 0) return this.pause();
    this.startCall();
  }

  private startCall(): void {
    if (this.costMs === 0) {
      // Bounded: each pass consumes at least one byte of what is buffered.
      while (this.canRead() && this.readOnce());
      return;
    }
    this.inCall = true;
    this.core.schedule(this.core.now + this.costMs, this.finishCall);
  }

  private readonly finishCall = (): void => {
    this.inCall = false;
    if (this.readOnce()) this.keepReading();
  };

  /** readDelayMs: the application does something else before each recv() (a slow reader). */
  private pause(): void {
    this.pausing = true;
    this.host.pausing = true;
    this.host.refresh(this.core.now);
    this.core.schedule(this.core.now + this.readDelayMs + this.costMs, this.endPause);
  }

  private readonly endPause = (): void => {
    this.pausing = false;
    this.host.pausing = false;
    this.host.refresh(this.core.now);
    if (this.readOnce()) this.keepReading();
  };

  private readOnce(): boolean {
    if (!this.enabled || this.host.pendingSends > 0) return false;
    const n = this.endpoint.read(this.recvBufferBytes);
    if (n > 0 && this.core.tracing) this.core.record({ t: this.core.now, from: this.host.side, channel: this.endpoint.cfg.channel, kind: 'app-recv', len: n });
    return n > 0;
  }
}

/** Latency statistics over all messages, per-message detail for the first few. */
export class MessageLog {
  readonly latencies: Float64Array;
  readonly causes = newCauseVector();
  readonly detail: { index: number; startMs: number; latencyMs: number; causes: CauseVector }[] = [];
  done = 0;
  lastDoneAt = 0;
  payloadBytes = 0;

  constructor(readonly total: number, private readonly detailLimit: number) {
    this.latencies = new Float64Array(total);
  }

  finish(index: number, startAt: number, doneAt: number, causes: CauseVector, payloadBytes: number): void {
    const latency = doneAt - startAt;
    this.latencies[index] = latency;
    for (let i = 0; i < causes.length; i++) this.causes[i] += causes[i];
    if (index < this.detailLimit) this.detail.push({ index, startMs: startAt, latencyMs: latency, causes });
    this.done++;
    this.payloadBytes += payloadBytes;
    if (doneAt > this.lastDoneAt) this.lastDoneAt = doneAt;
  }
}
