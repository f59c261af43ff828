// One TCP endpoint of a connection: the sending half (send buffer and Winsock completion rules,
// Nagle variants, congestion window, RTO, fast retransmit, persist timer) and the receiving half
// (reassembly, receive window, and each OS's delayed-ACK algorithm). Offsets are stream offsets:
// 0 is the first byte this endpoint's application wrote; no SYN/FIN, the connection starts open.
import { CAUSE_INDEX, CauseTimeline, Timer, type LinkDirection, type SimCore } from './core';
import { OutOfOrderQueue } from './ofoqueue';
import type { TcpProfile } from './profiles';
import { ByteReceiveWindow, type ReceiveWindow, type ReceiveWindowState } from './rcvwindow';
import { NumberQueue, SkbQueue } from './skbqueue';
import { SimulationBoundError, type PacketTraceEntry, type Side } from './types';

export interface Segment {
  kind: 'data' | 'ack' | 'window-update' | 'probe';
  seq: number;
  len: number;
  /** Next byte expected from the receiver of this segment's sender. */
  ack: number;
  win: number;
  sentAt: number;
  /** How long the sender of this ACK had held it back (0 when sent at once). */
  heldMs: number;
  /** RFC 7323 timestamp echo: when the data segment this ACK answers was sent (-1: none, or no timestamps). */
  tsEcr: number;
}

/** What the application layer wants to know about one direction of a connection. */
export interface StreamObserver {
  /** Bytes up to `offset` are in the sender's TCP (copied into the send buffer or handed over). */
  copied(offset: number): void;
  /** Bytes up to `offset` have been transmitted at least once. */
  firstSent(offset: number): void;
  /** Bytes up to `offset` are in order at the receiver; the last of them came in a segment sent at `sentAt`. */
  arrived(offset: number, sentAt: number): void;
  /** The receiving application has read up to `offset`. */
  read(offset: number): void;
}

/** The application side of a host, as TCP sees it: its cause timeline is refreshed on ACK-hold changes. */
export interface HostHooks {
  refresh(now: number): void;
}

export interface SendCall {
  bytes: number;
  /** Stream offset just past this call's last byte. */
  end: number;
  /** Bytes not yet in TCP (only Linux/macOS copy in pieces; non-blocking Winsock waits whole). */
  remaining: number;
  calledAt: number;
  /** calledAt + the endpoint's per-call cost: the call's bytes reach TCP no earlier (end of the system call). */
  readyAt: number;
  /** When the call returned, or will return at this instant (NaN until its completion rule is met). */
  completedAt: number;
  onComplete: (call: SendCall) => void;
  /** A WOULDBLOCK was already counted for the current wait. */
  wouldBlockNoted: boolean;
  /** Winsock: was the socket within its SO_SNDBUF quota when this call was made (null = not yet known). */
  withinQuota: boolean | null;
  /** What the application does once this call returns (set by the application layer). */
  continuation: ((call: SendCall) => void) | null;
  /** Since when the call has waited for room in the send buffer (NaN: not waiting). */
  waitingSince: number;
  /** Milliseconds it waited for room in the send buffer in all. */
  waitedMs: number;
}

export interface EndpointConfig {
  side: Side;
  channel: number;
  profile: TcpProfile;
  mss: number;
  nodelay: boolean;
  /**
   * Effective send buffer: bytes, or (linux) bytes of skb truesize; 0 with zeroCopySends = Winsock
   * SO_SNDBUF = 0.
   */
  sndbuf: number;
  /** Set when the application never set SO_SNDBUF and the OS autotunes it. */
  sndbufAuto: { base: number; max: number } | null;
  zeroCopySends: boolean;
  /** The receive buffer and the window it advertises (per OS family: rcvwindow.ts). */
  receiveWindow: ReceiveWindow;
  /** The path's round trip, which the Linux receiver's buffer autotuning measures against. */
  pathRttMs: number;
  /** The link, for the words of a retransmission-limit error. */
  linkBandwidthMbps: number;
  linkLossRate: number;
  quickack: boolean;
  nonBlocking: boolean;
  /** Application + system-call time per send or recv call, ms. */
  callCostMs: number;
}

export interface EndpointCounters {
  data: number;
  retransmissions: number;
  pureAcks: number;
  windowUpdates: number;
  probes: number;
  lost: number;
  delayedAckTimers: number;
  rtoTimers: number;
  persistTimers: number;
  wouldBlock: number;
  /** Data segments that arrived but did not fit the receive buffer (Linux tcp_data_queue drops). */
  receiverDrops: number;
  /** Send calls that had to wait for room in the send buffer. */
  sendBufferWaits: number;
  /** ACKs that advertised a zero window, and those that did so by retracting an offered window. */
  zeroWindows: number;
  windowRetractions: number;
}

const returnFromSend = (call: SendCall): void => call.onComplete(call);

type HoldReason = 'nagle' | 'window' | 'congestion' | null;

/** Ranges the out-of-order queue holds at most (beyond them a segment is dropped and resent). */
const MAX_OUT_OF_ORDER_RANGES = 4096;

/** Linux x86-64 sizes behind skb truesize (measured: an skb with a small head costs 832 = 256 + 576). */
const LINUX_MAX_TCP_HEADER = 256;
const LINUX_SHINFO = 320; // SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
const LINUX_SKBUFF = 256; // SKB_DATA_ALIGN(sizeof(struct sk_buff))

const LINUX_ATO_MIN = 40;
const LINUX_ATO_HALF_MIN = 20;
const LINUX_MAX_ATO = 500;
const MAX_CWND = 1 << 30;

export class TcpEndpoint {
  peer!: TcpEndpoint;
  link!: LinkDirection;
  outgoing!: StreamObserver;
  incoming!: StreamObserver;
  host!: HostHooks;
  /**
   * Called (as a scheduled event) when new in-order data can be read: one per-call cost after it
   * arrived, since an application blocked in recv() gets it back that much later.
   */
  onReadable: () => void = () => {};

  readonly senderTimeline = new CauseTimeline();
  private holdReason: HoldReason = null;

  // ---- sending half ----
  private writeEnd = 0; // bytes handed to TCP
  private promisedEnd = 0; // bytes of all send calls so far (some may still wait to be copied)
  private sndUna = 0;
  private sndNxt = 0;
  private sndMax = 0;
  private peerEdge: number; // right edge of the peer's advertised window (snd_una + snd_wnd)
  private maxSndWnd: number;
  private cwnd: number;
  private ssthresh = MAX_CWND;
  private sndSml = 0; // end of the last small segment sent (Minshall)
  private lastSegFull = false; // BSD: the last segment sent was full-sized
  private dupAcks = 0;
  private inRecovery = false;
  private recover = 0;
  private srtt = 0;
  private rttvar = 0;
  private hasRtt = false;
  private rto: number;
  private backoff = 0;
  private timedSeq = -1;
  private timedAt = 0;
  /** RFC 7323 timestamps (Linux and macOS negotiate them; Windows does not by default). */
  private readonly timestamps: boolean;
  /** TS.Recent: the send time of the data segment the next ACK echoes. */
  private tsRecent = -1;
  private retransmitsOfHead = 0;
  private lastSendAt = -Infinity;
  private persistBackoff = 0;
  private unansweredProbes = 0;
  private readonly calls: SendCall[] = [];
  private callHead = 0;
  /** Winsock non-blocking: after a send overcommitted the buffer, not writable until this offset is ACKed. */
  private overcommitUntil = -1;
  /** linux: the send queue as skbs (null elsewhere). */
  private readonly skbs: SkbQueue | null;
  /**
   * linux: end offsets of the segments sent and not yet ACKed. Linux counts its congestion window
   * in packets (tcp_packets_in_flight), so a 60-byte segment takes as much of it as a full one.
   */
  private readonly segEnds: NumberQueue | null;
  /** linux, unset SO_SNDBUF: sk_sndbuf as tcp_sndbuf_expand has grown it. */
  private autoSndbuf = 0;
  /** A writer blocked for room and waits to be woken (sk_stream_write_space / sowwakeup). */
  private writerWaiting = false;
  /**
   * Linux congestion window validation (tcp_is_cwnd_limited, tcp_cwnd_validate): the window only
   * grows while it limits sending; per window of data, whether it did and the most packets in flight.
   */
  private cwndLimited = false;
  private maxPacketsOut = 0;
  private cwndUsageSeq = 0;
  private readonly rtoTimer: Timer;
  private readonly persistTimer: Timer;

  // ---- receiving half ----
  private rcvNxt = 0;
  private readOffset = 0;
  private rcvWup = 0; // rcvNxt when the last ACK was sent
  private advertisedEdge = 0;
  private readonly outOfOrder = new OutOfOrderQueue(MAX_OUT_OF_ORDER_RANGES);
  private readonly rw: ReceiveWindow;
  /** The same object when it is the BSD kind, whose window needs no more than three numbers. */
  private readonly bsdWindow: ByteReceiveWindow | null;
  /** Reused argument for every ReceiveWindow call. */
  private readonly rwState: ReceiveWindowState = { rcvNxt: 0, readOffset: 0, advertisedEdge: 0, rcvMss: 536, now: 0 };
  private unackedSegs = 0;
  private firstUnackedAt = 0;
  private readonly delackTimer: Timer;
  // Linux receiver state (tcp_input.c names in comments)
  private rcvMss: number; // icsk_ack.rcv_mss
  private quick = 0; // icsk_ack.quick
  private pingpong = false;
  private ato = LINUX_ATO_MIN;
  private lastRcvAt = -Infinity; // icsk_ack.lrcvtime
  private pushed = 0; // 1 = ICSK_ACK_PUSHED, 2 = ICSK_ACK_PUSHED2
  private seenData = false;

  constructor(
    private readonly core: SimCore,
    readonly cfg: EndpointConfig,
    private readonly counters: EndpointCounters,
  ) {
    const p = cfg.profile;
    this.cwnd = p.initialWindowSegments * cfg.mss;
    this.rto = p.initialRtoMs;
    this.rw = cfg.receiveWindow;
    this.bsdWindow = cfg.receiveWindow instanceof ByteReceiveWindow ? cfg.receiveWindow : null;
    this.timestamps = p.headerBytes > 40;
    this.skbs = p.sendBufferModel === 'linux' && !cfg.zeroCopySends ? new SkbQueue(p.skbOverhead) : null;
    this.segEnds = this.skbs ? new NumberQueue() : null;
    // tcp_init_buffer_space -> tcp_sndbuf_expand with the initial congestion window.
    if (cfg.sndbufAuto && this.skbs) this.autoSndbuf = Math.min(cfg.sndbufAuto.max, 2 * Math.max(10, p.initialWindowSegments) * this.sndmemPerSegment());
    // The SYN carried the initial window (at most 65535, unscaled); BSD stacks open the full buffer with the handshake's ACK.
    this.advertisedEdge = p.receiveWindowModel === 'linux' ? this.rw.initialWindow : 0;
    if (p.receiveWindowModel !== 'linux') this.advertisedEdge = this.selectWindow();
    this.peerEdge = 0; // set by connect()
    this.maxSndWnd = 0;
    // tcp_initialize_rcv_mss
    this.rcvMss = Math.max(88, Math.min(cfg.mss, 536, Math.floor(this.advertisedEdge / 2)));
    this.rtoTimer = new Timer(core, () => this.onRto());
    this.persistTimer = new Timer(core, () => this.onPersist());
    this.delackTimer = new Timer(core, () => this.onDelayedAckTimer());
  }

  /** The handshake is not simulated: each side starts knowing the other's initial window. */
  connect(peer: TcpEndpoint, link: LinkDirection): void {
    this.peer = peer;
    this.link = link;
    this.peerEdge = peer.advertisedEdge;
    this.maxSndWnd = peer.advertisedEdge;
  }

  get side(): Side {
    return this.cfg.side;
  }

  /** The peer is sitting on an ACK for our data (its delayed-ACK timer runs). */
  get holdingAck(): boolean {
    return this.delackTimer.armed;
  }

  /** An ACK sent now would advertise more window than the last one did. */
  get heldAckOpensWindow(): boolean {
    return this.selectWindow() > this.advertisedEdge;
  }

  get bytesInFlight(): number {
    return this.sndNxt - this.sndUna;
  }

  get totalWritten(): number {
    return this.promisedEnd;
  }

  /** A send call is waiting for its completion rule (room in the buffer, an ACK), not just for its per-call cost. */
  get sendBlocked(): boolean {
    return this.callHead < this.calls.length && this.calls[this.callHead].readyAt <= this.core.now;
  }

  // ===================================================================== sending

  /** The application's send call. `onComplete` runs (as an event) when the call returns / completes. */
  send(bytes: number, onComplete: (call: SendCall) => void): SendCall {
    const now = this.core.now;
    const cost = this.cfg.callCostMs;
    const call: SendCall = { bytes, end: (this.promisedEnd += bytes), remaining: bytes, calledAt: now, readyAt: now + cost, completedAt: NaN, onComplete, wouldBlockNoted: false, withinQuota: null, continuation: null, waitingSince: NaN, waitedMs: 0 };
    this.calls.push(call);
    if (cost > 0) {
      this.core.schedule(call.readyAt, this.callReady, call);
    } else {
      this.progressSends();
      this.tryTransmit();
    }
    return call;
  }

  /** While callReady runs: the call that may return in that same event instead of a new one. */
  private returningCall: SendCall | null = null;
  private returnsInline = false;

  /**
   * A send call has spent its per-call cost: its bytes go into TCP now (tcp_sendmsg copies, then
   * pushes, before the system call returns). If its completion rule is met at once it returns in this
   * same event, so a per-call cost adds no event.
   */
  private readonly callReady = (call: SendCall): void => {
    this.returningCall = call;
    this.returnsInline = false;
    this.progressSends();
    this.tryTransmit();
    this.returningCall = null;
    if (this.returnsInline) call.onComplete(call);
    else this.host.refresh(this.core.now); // from the call's own time to waiting (buffer full, or completion at ACK)
  };

  /** Send buffer limit; an autotuned one follows the congestion window (tcp_sndbuf_expand on Linux). */
  private get bufferCapacity(): number {
    const auto = this.cfg.sndbufAuto;
    if (!auto) return this.cfg.sndbuf;
    if (this.skbs) return this.autoSndbuf;
    return Math.min(auto.max, Math.max(auto.base, 2 * this.cwnd));
  }

  /**
   * tcp_sndbuf_expand's per_mss: the worst case of one skb per segment with a kmalloc'ed head,
   * roundup_pow_of_two(mss_clamp + MAX_TCP_HEADER + skb_shared_info) + struct sk_buff. 2304 on an
   * Ethernet MTU (the harness's 46080 = 2 x 10 x 2304); 131328 on a 64 KB-MTU loopback (2626560).
   */
  private sndmemPerSegment(): number {
    if (this.perSegmentSndmem === 0) {
      const p = this.cfg.profile;
      const mssClamp = this.cfg.mss + (p.headerBytes - 40); // the MSS option counts the timestamp bytes
      this.perSegmentSndmem = (1 << (32 - Math.clz32(mssClamp + LINUX_MAX_TCP_HEADER + LINUX_SHINFO - 1))) + LINUX_SKBUFF;
    }
    return this.perSegmentSndmem;
  }

  private perSegmentSndmem = 0;

  /**
   * tcp_new_space -> tcp_sndbuf_expand: an unset Linux send buffer grows to 2 x max(10, cwnd) x
   * per_mss, only while the congestion window does not limit sending (tcp_should_expand_sndbuf).
   */
  private expandSndbuf(): void {
    const auto = this.cfg.sndbufAuto;
    if (!auto || !this.skbs) return;
    if (this.segEnds!.length * this.cfg.mss >= this.cwnd) return;
    const segs = Math.max(10, Math.floor(this.cwnd / this.cfg.mss));
    const want = Math.min(auto.max, 2 * segs * this.sndmemPerSegment());
    if (want > this.autoSndbuf) this.autoSndbuf = want;
  }

  /**
   * tcp_xmit_size_goal: how big the tail skb may grow, up to sk_gso_max_size bounded by half the
   * largest window the peer offered (tcp_bound_to_half_wnd), in whole segments.
   */
  private sizeGoal(): number {
    const mss = this.cfg.mss;
    const cutoff = this.maxSndWnd > 536 ? Math.floor(this.maxSndWnd / 2) : this.maxSndWnd;
    const goal = cutoff > 0 ? Math.min(this.cfg.profile.gsoMaxSize, cutoff) : this.cfg.profile.gsoMaxSize;
    return Math.max(mss, Math.floor(goal / mss) * mss);
  }

  /** Copies waiting send calls into TCP, then completes the ones whose rules are met, in order. */
  private progressSends(): void {
    const now = this.core.now;
    let copiedAny = false;
    for (let i = this.callHead; i < this.calls.length; i++) {
      const call = this.calls[i];
      if (call.remaining === 0) continue;
      if (call.readyAt > now) break; // still in its system call; later calls wait behind it
      if (this.copy(call) > 0) copiedAny = true;
      if (call.remaining > 0) {
        if (Number.isNaN(call.waitingSince) && !this.cfg.nonBlocking) {
          call.waitingSince = now; // blocked: the send buffer has no room (sk_stream_wait_memory, sbwait)
          this.counters.sendBufferWaits++;
        }
        break; // later calls wait behind this one
      }
      if (!Number.isNaN(call.waitingSince)) {
        call.waitedMs += now - call.waitingSince;
        call.waitingSince = NaN;
      }
    }
    if (copiedAny) this.outgoing.copied(this.writeEnd);
    let completed = 0;
    for (let i = this.callHead; i < this.calls.length; i++) {
      const call = this.calls[i];
      if (!Number.isNaN(call.completedAt)) continue;
      if (call.remaining > 0 || !this.completes(call, i)) break;
      call.completedAt = now;
      // Returns in order: inline (see callReady) only if no earlier call returns at this instant.
      if (call === this.returningCall && completed === 0) this.returnsInline = true;
      else if (this.deferringReturns) this.deferredReturns.push(call);
      else this.core.schedule(now, returnFromSend, call);
      completed++;
    }
    // Drop completed calls from the front (bounded memory).
    while (this.callHead < this.calls.length && !Number.isNaN(this.calls[this.callHead].completedAt)) this.callHead++;
    if (this.callHead > 1024 && this.callHead * 2 > this.calls.length) {
      this.calls.splice(0, this.callHead);
      this.callHead = 0;
    }
  }

  /** Moves as much of `call` into TCP as the send-buffer rules allow; returns the bytes moved. */
  private copy(call: SendCall): number {
    const buffered = this.writeEnd - this.sndUna;
    const cap = this.bufferCapacity;
    let n = 0;
    if (this.cfg.zeroCopySends) {
      n = call.remaining; // Winsock SO_SNDBUF = 0: TCP sends straight from the application buffer
    } else if (this.cfg.profile.ackPolicy === 'windows') {
      // KB214397: within quota (or only one buffered send) Winsock copies the whole call.
      // Non-blocking: a call that finds the buffer full gets WOULDBLOCK and retries when writable.
      if (this.cfg.nonBlocking) {
        const writable = buffered < cap && (this.overcommitUntil < 0 || this.sndUna >= this.overcommitUntil);
        if (!writable) {
          this.noteWouldBlock(call);
          return 0;
        }
        this.overcommitUntil = -1;
        n = call.remaining;
        // KB823764: one send that fills the whole SO_SNDBUF keeps the socket unwritable until it is all ACKed.
        if (n >= cap) this.overcommitUntil = this.writeEnd + n;
      } else {
        n = call.remaining; // blocking: always copied; completion may wait (rule 3)
      }
    } else if (this.skbs) {
      return this.copyIntoSkbs(call, cap);
    } else {
      // BSD sosend(): copy when the free space reaches SO_SNDLOWAT (or the rest of the call fits);
      // a blocked writer sleeps until sowwakeup() finds that much free.
      const free = cap - buffered;
      if (free > 0 && free >= Math.min(call.remaining, this.cfg.profile.sndLowat)) n = Math.min(free, call.remaining);
      if (n < call.remaining) this.noteWouldBlock(call);
    }
    if (n > 0) {
      call.remaining -= n;
      this.writeEnd += n;
      call.wouldBlockNoted = false;
    }
    return n;
  }

  /**
   * tcp_sendmsg_locked: fill the unsent tail skb up to the size goal (no SO_SNDBUF check), then start
   * new skbs while sk_wmem_queued < sk_sndbuf (sk_stream_memory_free). A writer that found no room
   * sleeps until sk_stream_write_space() sees a third of the buffer free
   * (sk_stream_wspace >= sk_stream_min_wspace), then goes on while memory is free.
   */
  private copyIntoSkbs(call: SendCall, sndbuf: number): number {
    const skbs = this.skbs!;
    if (this.writerWaiting) {
      const wmem = skbs.wmemQueued(this.sndUna, this.writeEnd);
      if (sndbuf - wmem < wmem / 2) return 0;
      this.writerWaiting = false;
    }
    const goal = this.sizeGoal();
    let copied = 0;
    // Bounded: each pass copies into the tail skb or starts one, or stops.
    while (call.remaining > 0) {
      let room = skbs.tailRoom(goal);
      if (room === 0) {
        if (skbs.wmemQueued(this.sndUna, this.writeEnd) >= sndbuf) {
          this.writerWaiting = true;
          this.noteWouldBlock(call);
          break;
        }
        skbs.newSkb(this.writeEnd);
        room = goal;
      }
      const n = Math.min(room, call.remaining);
      skbs.append(n);
      call.remaining -= n;
      this.writeEnd += n;
      copied += n;
    }
    if (copied > 0) call.wouldBlockNoted = false;
    return copied;
  }

  private noteWouldBlock(call: SendCall): void {
    if (!this.cfg.nonBlocking) return;
    if (call.wouldBlockNoted) return;
    call.wouldBlockNoted = true;
    this.counters.wouldBlock++;
    if (this.core.tracing) this.core.record({ t: this.core.now, from: this.side, channel: this.cfg.channel, kind: 'app-wouldblock', len: call.remaining });
  }

  /** Has this copied call met its completion rule? */
  private completes(call: SendCall, index: number): boolean {
    const p = this.cfg.profile;
    if (this.cfg.zeroCopySends) return this.sndUna >= call.end; // completion at ACK
    if (p.ackPolicy !== 'windows' || this.cfg.nonBlocking) return true; // returns once copied
    // Winsock rules 1-3 (KB214397): complete at once if the socket was within SO_SNDBUF quota or at
    // most one earlier send is still buffered; otherwise when either becomes true again.
    const startOffset = call.end - call.bytes;
    if (this.calledWithinQuota(call, startOffset)) return true;
    let earlierBuffered = 0;
    for (let i = this.callHead; i < index; i++) if (this.calls[i].end > this.sndUna) earlierBuffered++;
    const buffered = this.writeEnd - this.sndUna;
    return earlierBuffered <= 1 || buffered <= this.bufferCapacity;
  }

  private calledWithinQuota(call: SendCall, startOffset: number): boolean {
    if (call.withinQuota === null) call.withinQuota = startOffset - this.sndUna < this.bufferCapacity;
    return call.withinQuota;
  }

  /** Sends whatever the window, congestion window and Nagle allow. */
  private tryTransmit(): void {
    this.transmitBurst();
    // Linux: an skb the burst sent only in part is split where it stopped (tso_fragment).
    if (this.skbs) this.skbs.transmittedTo(this.sndMax);
  }

  private transmitBurst(): void {
    const mss = this.cfg.mss;
    const p = this.cfg.profile;
    const skbs = this.skbs;
    // Bounded: every pass sends a segment, and the windows bound how many fit.
    for (let guard = 0; guard < 1_000_000; guard++) {
      const unsent = this.writeEnd - this.sndNxt;
      if (unsent <= 0) return this.hold(null);
      const flight = this.sndNxt - this.sndUna;
      if (p.slowStartAfterIdle && flight === 0 && this.core.now - this.lastSendAt > this.rto) {
        this.cwnd = Math.min(this.cwnd, p.initialWindowSegments * mss); // RFC 2861 restart
      }
      // Linux segments never span two skbs: a small skb that is not the last one goes as it is.
      let len = Math.min(unsent, mss, skbs ? skbs.skbEndAfter(this.sndNxt) - this.sndNxt : Infinity);
      const windowRoom = this.peerEdge - this.sndNxt;
      if (windowRoom < len) {
        if (windowRoom > 0 && this.partialWindowAllowed(windowRoom, unsent, flight)) {
          len = windowRoom;
        } else {
          if (flight === 0 && !this.persistTimer.armed) this.armPersist();
          return this.hold('window');
        }
      }
      if (flight > 0 && this.congestionLimited(flight, len)) return this.hold('congestion');
      if (len < mss && len === unsent && !this.cfg.nodelay && this.nagleHolds(flight, len)) return this.hold('nagle');
      this.transmit(len);
    }
  }

  /**
   * tcp_is_cwnd_limited: in slow start while cwnd < 2 x the most packets in flight, else only if
   * the congestion window held data back during the last window of data (tcp_cwnd_validate).
   */
  private cwndGrows(ack: number): boolean {
    const limited = this.cwndLimited || (this.cwnd < this.ssthresh && this.cwnd < 2 * this.maxPacketsOut * this.cfg.mss);
    if (ack >= this.cwndUsageSeq) {
      // A new window of data: start counting afresh.
      this.cwndUsageSeq = this.sndMax;
      this.cwndLimited = false;
      this.maxPacketsOut = this.segEnds!.length;
    }
    return limited;
  }

  /** The congestion window is full: bytes (RFC 5681), or packets on Linux (tcp_cwnd_test). */
  private congestionLimited(flight: number, len: number): boolean {
    const segs = this.segEnds;
    if (!segs) return flight + len > this.cwnd;
    const inFlight = this.sndNxt === this.sndMax ? segs.length : segs.firstGreater(this.sndNxt);
    return (inFlight + 1) * this.cfg.mss > this.cwnd + 1e-6;
  }

  /** The window has room, but less than the next segment: may a shorter one go? */
  private partialWindowAllowed(windowRoom: number, unsent: number, flight: number): boolean {
    if (this.skbs) {
      // tcp_snd_wnd_test wants the skb's first segment to fit; once an skb is being sent,
      // tcp_mss_split_point cuts it at the window edge unless Nagle would hold the partial piece.
      const cut = this.skbs.skbStartOf(this.sndNxt, this.sndUna) < this.sndNxt;
      return cut && (this.cfg.nodelay || !this.nagleHolds(flight, windowRoom));
    }
    // Sender SWS avoidance (RFC 1122): the rest of the data, or half the biggest window seen.
    return windowRoom >= unsent || windowRoom >= this.maxSndWnd / 2;
  }

  private nagleHolds(flight: number, len: number): boolean {
    switch (this.cfg.profile.nagle) {
      case 'classic': // RFC 896: any unacknowledged data holds a small segment
        return flight > 0;
      case 'minshall': // Linux tcp_minshall_check: only an unacknowledged *small* segment does
        return flight > 0 && this.sndSml > this.sndUna;
      case 'bsd': // XNU: a small tail may go when idle, after a full-sized segment, or if >= half the window
        return !(flight === 0 || this.lastSegFull || len >= this.maxSndWnd / 2);
    }
  }

  private hold(reason: HoldReason): void {
    if (reason === 'congestion') this.cwndLimited = true;
    this.holdReason = reason;
    this.refreshSenderTimeline(this.core.now);
  }

  refreshSenderTimeline(now: number): void {
    const r = this.holdReason;
    let label = -1;
    if (r !== null) {
      // Waiting for an ACK the peer is holding back: that is delayed-ACK time (for a closed
      // window only if the held ACK would open it; otherwise the reader is the bottleneck).
      const ackHeld = this.peer.holdingAck && (r !== 'window' || this.peer.heldAckOpensWindow);
      label = ackHeld ? CAUSE_INDEX.delayedAck : CAUSE_INDEX[r];
    }
    this.senderTimeline.set(now, label);
  }

  private transmit(len: number): void {
    const seq = this.sndNxt;
    const retransmission = seq < this.sndMax;
    this.sndNxt += len;
    if (len < this.cfg.mss) this.sndSml = this.sndNxt;
    this.lastSegFull = len === this.cfg.mss;
    if (retransmission) this.counters.retransmissions++;
    else if (this.timedSeq < 0) {
      this.timedSeq = this.sndNxt;
      this.timedAt = this.core.now;
    }
    this.emit('data', seq, len, retransmission ? 'retransmission' : undefined);
    if (this.sndNxt > this.sndMax) {
      if (this.segEnds) {
        this.segEnds.push(this.sndNxt);
        if (this.segEnds.length > this.maxPacketsOut) this.maxPacketsOut = this.segEnds.length;
      }
      this.sndMax = this.sndNxt;
      this.outgoing.firstSent(this.sndMax);
    }
    if (!this.rtoTimer.armed) this.rtoTimer.arm(this.core.now + this.rto);
    this.lastSendAt = this.core.now;
  }

  /** Puts a segment on the link. Every segment carries our ACK and window. */
  private emit(kind: Segment['kind'], seq: number, len: number, note?: string): void {
    const now = this.core.now;
    const retracting = this.rw.pendingRetraction;
    const heldMs = this.rcvNxt > this.rcvWup ? now - this.firstUnackedAt : 0;
    const seg: Segment = { kind, seq, len, ack: this.rcvNxt, win: 0, sentAt: now, heldMs, tsEcr: this.timestamps ? this.tsRecent : -1 };
    this.ackSent(kind === 'data');
    seg.win = this.advertisedEdge - this.rcvNxt;
    if (seg.win <= 0 && kind !== 'data') {
      this.counters.zeroWindows++;
      if (retracting) this.counters.windowRetractions++;
      else if (!note) note = 'window 0: receive buffer full';
    }
    if (kind === 'data') this.counters.data++;
    else if (kind === 'ack') this.counters.pureAcks++;
    else if (kind === 'window-update') this.counters.windowUpdates++;
    else this.counters.probes++;
    const arrives = this.link.carry(len, this.peer.receiveSegment, seg);
    if (arrives < 0) this.counters.lost++;
    if (!this.core.tracing) return;
    const entry: PacketTraceEntry = { t: now, from: this.side, channel: this.cfg.channel, kind: arrives < 0 ? 'lost' : kind, seq, len, ack: seg.ack, win: seg.win };
    if (arrives >= 0) entry.arriveT = arrives;
    const notes = [arrives < 0 ? kind : undefined, note, heldMs > 0.0005 ? `ACK held ${heldMs.toFixed(1)} ms` : undefined].filter(Boolean);
    if (notes.length) entry.note = notes.join('; ');
    this.core.record(entry);
  }

  private retransmitHead(): void {
    const len = Math.min(this.cfg.mss, this.sndMax - this.sndUna);
    if (len <= 0) return;
    this.counters.retransmissions++;
    this.timedSeq = -1; // Karn: no RTT sample across a retransmission
    this.emit('data', this.sndUna, len, 'fast retransmission');
    if (!this.rtoTimer.armed) this.rtoTimer.arm(this.core.now + this.rto);
  }

  private onAck(seg: Segment): void {
    const now = this.core.now;
    const mss = this.cfg.mss;
    const ack = Math.min(seg.ack, this.sndMax);
    this.unansweredProbes = 0;
    const oldEdge = this.peerEdge;
    // tcp_may_update_window: an ACK that advances, a larger window, or a zero window (a receiver
    // that retracts its window for lack of memory; only Linux receivers do).
    if (ack > this.sndUna || ack + seg.win > this.peerEdge || seg.win === 0) this.peerEdge = ack + seg.win;
    if (seg.win > this.maxSndWnd) this.maxSndWnd = seg.win;
    if (ack > this.sndUna) {
      let acked = ack - this.sndUna;
      this.sndUna = ack;
      if (this.skbs) {
        this.skbs.acked(ack);
        // Growth per ACKed packet (tcp_slow_start, tcp_cong_avoid_ai), whatever its size.
        let packets = 0;
        const segs = this.segEnds!;
        while (segs.length > 0 && segs.at(0) <= ack) {
          segs.shift();
          packets++;
        }
        acked = packets * mss;
      }
      if (this.sndNxt < ack) this.sndNxt = ack;
      // An RTT sample from the timestamp echo (RFC 7323: valid across retransmissions, so a slow
      // link's first ACK teaches the RTO), else from the one timed segment (Karn).
      let sampled = false;
      if (this.timestamps && seg.tsEcr >= 0) {
        this.rttSample(now - seg.tsEcr);
        sampled = true;
      } else if (this.timedSeq >= 0 && ack >= this.timedSeq) {
        this.rttSample(now - this.timedAt);
        sampled = true;
      }
      if (ack >= this.timedSeq) this.timedSeq = -1;
      // Karn / RFC 6298 5.7, Linux tcp_ack_update_rtt: the backed-off RTO stays until a valid sample.
      if (sampled) this.backoff = 0;
      this.retransmitsOfHead = 0;
      this.computeRto();
      this.dupAcks = 0;
      if (this.inRecovery) {
        if (ack >= this.recover) {
          this.inRecovery = false;
          this.cwnd = this.ssthresh;
        } else this.retransmitHead(); // NewReno partial ACK: the next hole
      } else if (this.segEnds && !this.cwndGrows(ack)) {
        // not limited by the congestion window: it stays as it is
      } else if (this.cwnd < this.ssthresh) {
        // slow start (ABC with L = 2; Linux counts every ACKed packet)
        this.cwnd = Math.min(MAX_CWND, this.cwnd + (this.skbs ? acked : Math.min(acked, 2 * mss)));
      } else {
        this.cwnd = Math.min(MAX_CWND, this.cwnd + (mss * acked) / this.cwnd); // congestion avoidance
      }
      this.expandSndbuf();
      if (this.sndUna < this.sndNxt) this.rtoTimer.arm(now + this.rto);
      else this.rtoTimer.cancel();
      this.progressSends();
    } else if (seg.len === 0 && seg.kind === 'ack' && ack === this.sndUna && this.sndMax > this.sndUna && this.peerEdge === oldEdge) {
      this.dupAcks++;
      if (this.dupAcks === 3 && !this.inRecovery) {
        const flight = this.segEnds ? this.segEnds.length * mss : this.sndMax - this.sndUna;
        this.ssthresh = Math.max(flight / 2, 2 * mss);
        this.cwnd = this.ssthresh + 3 * mss;
        this.inRecovery = true;
        this.recover = this.sndMax;
        this.retransmitHead();
      } else if (this.dupAcks > 3 && this.inRecovery) {
        this.cwnd = Math.min(MAX_CWND, this.cwnd + mss);
      }
    }
    if (this.peerEdge > oldEdge && this.persistTimer.armed) {
      this.persistTimer.cancel(); // the window moved; tryTransmit re-arms it if still blocked
      this.persistBackoff = 0;
    }
    if (this.peerEdge > oldEdge) this.progressSends();
    this.tryTransmit();
  }

  private rttSample(sample: number): void {
    if (!this.hasRtt) {
      this.srtt = sample;
      this.rttvar = sample / 2;
      this.hasRtt = true;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - sample);
      this.srtt = 0.875 * this.srtt + 0.125 * sample;
    }
  }

  private computeRto(): void {
    const p = this.cfg.profile;
    let rto = p.initialRtoMs;
    if (this.hasRtt) {
      rto = p.rtoFormula === 'linux'
        ? this.srtt + Math.max(4 * this.rttvar, p.minRtoMs)
        : Math.max(p.minRtoMs, this.srtt + 4 * this.rttvar);
      rto += p.rtoSlopMs;
    }
    this.rto = Math.min(p.maxRtoMs, this.backoff === 0 ? rto : rto * 2 ** this.backoff);
  }

  private onRto(): void {
    if (this.sndUna >= this.sndMax) return;
    const p = this.cfg.profile;
    this.counters.rtoTimers++;
    if (this.core.tracing) this.core.record({ t: this.core.now, from: this.side, channel: this.cfg.channel, kind: 'timer', note: 'rto', seq: this.sndUna });
    if (++this.retransmitsOfHead > p.maxRetransmissions) throw this.retransmissionLimit();
    const flight = this.segEnds ? this.segEnds.length * this.cfg.mss : this.sndMax - this.sndUna;
    this.ssthresh = Math.max(flight / 2, 2 * this.cfg.mss);
    this.cwnd = this.cfg.mss;
    this.inRecovery = false;
    this.dupAcks = 0;
    this.timedSeq = -1;
    this.sndNxt = this.sndUna; // go back N: resend from the first unacknowledged byte
    this.backoff++;
    this.computeRto();
    this.tryTransmit();
    if (this.skbs && this.sndNxt === this.sndUna) {
      // __tcp_retransmit_skb: the head goes even into a closed or too small window (it serves as a
      // zero-window probe): one segment, or what the window still takes.
      const avail = this.peerEdge - this.sndUna;
      const len = Math.min(this.cfg.mss, this.sndMax - this.sndUna, this.skbs.skbEndAfter(this.sndUna) - this.sndUna, avail > 0 ? avail : Infinity);
      if (len > 0) this.transmit(len);
    }
    if (!this.rtoTimer.armed && this.sndUna < this.sndNxt) this.rtoTimer.arm(this.core.now + this.rto);
  }

  /** The OS resets the connection: say why in the scenario's terms (lost segments, or a link slower than the RTO allows). */
  private retransmissionLimit(): SimulationBoundError {
    const p = this.cfg.profile;
    const head = `the ${this.side} retransmitted offset ${this.sndUna} more than ${p.maxRetransmissions} times without an ACK, so the OS would reset the connection`;
    if (this.cfg.linkLossRate > 0) {
      return new SimulationBoundError('retransmissions', p.maxRetransmissions, `${head}: with link.lossRate ${this.cfg.linkLossRate} the retransmissions themselves were lost (lower lossRate)`);
    }
    const sendSeconds = ((this.cfg.mss + p.headerBytes) * 8) / (this.cfg.linkBandwidthMbps * 1e6);
    return new SimulationBoundError('retransmissions', p.maxRetransmissions,
      `${head}: nothing was lost (lossRate 0), but the ACK takes longer than the OS waits: one full segment takes ${sendSeconds.toPrecision(3)} s to send at ` +
      `${this.cfg.linkBandwidthMbps} Mbit/s, the round trip is ${(this.cfg.pathRttMs / 1000).toPrecision(3)} s, and segments queue behind each other, ` +
      `while ${p.maxRetransmissions} retransmissions give up after the RTO backs off to at most ${p.maxRtoMs / 1000} s (raise bandwidthMbps or lower rttMs)`);
  }

  private armPersist(): void {
    const p = this.cfg.profile;
    const base = Math.max(this.rto, p.persistMinMs);
    const interval = Math.min(p.persistMaxMs, Math.max(p.persistMinMs, base * 2 ** this.persistBackoff));
    this.persistTimer.arm(this.core.now + interval);
  }

  private onPersist(): void {
    if (this.writeEnd <= this.sndNxt || this.sndNxt > this.sndUna) return; // nothing blocked, or the RTO covers it
    this.counters.persistTimers++;
    if (this.core.tracing) this.core.record({ t: this.core.now, from: this.side, channel: this.cfg.channel, kind: 'timer', note: 'persist' });
    const limit = this.cfg.profile.maxPersistProbes;
    if (++this.unansweredProbes > limit) {
      throw new SimulationBoundError('persistProbes', limit, `${limit} zero-window probes from the ${this.side} went unanswered`);
    }
    // tcp_write_wakeup: send what the (too small) window allows; a closed window gets a zero-length probe.
    const room = Math.min(this.peerEdge - this.sndNxt, this.writeEnd - this.sndNxt, this.cfg.mss);
    if (room > 0) {
      this.transmit(room);
      this.skbs?.transmittedTo(this.sndMax); // tcp_write_wakeup fragments the skb at the window's edge
    }
    else this.emit('probe', this.sndNxt, 0);
    this.persistBackoff++;
    this.armPersist();
  }

  // ===================================================================== receiving

  readonly receiveSegment = (seg: Segment): void => {
    // Send calls this segment's ACK completes return once it is processed, in this same event
    // (their applications may send at once; nothing of this segment's handling is still running).
    this.deferringReturns = true;
    this.receive(seg);
    this.deferringReturns = false;
    const deferred = this.deferredReturns;
    if (deferred.length > 0) {
      if (deferred.length === 1) {
        const call = deferred.pop()!;
        call.onComplete(call);
      } else {
        const calls = deferred.splice(0);
        for (const call of calls) call.onComplete(call);
      }
    }
  };
  private deferringReturns = false;
  private readonly deferredReturns: SendCall[] = [];
  private readablePending = false;
  private readonly notifyReadable = (): void => {
    this.readablePending = false;
    this.onReadable();
  };

  /** A segment from the peer arrives. */
  receive(seg: Segment): void {
    this.onAck(seg);
    if (seg.kind === 'probe') return this.sendAck('ack');
    if (seg.len === 0) return;
    const end = seg.seq + seg.len;
    if (end <= this.rcvNxt) return this.sendAck('ack'); // duplicate: ACK at once
    // RFC 7323 4.3: TS.Recent follows the segment that the last ACK sent left off at.
    if (seg.seq <= this.rcvWup && this.rcvWup < end) this.tsRecent = seg.sentAt;
    const rw = this.rw;
    const edge = this.advertisedEdge;
    const ofo = seg.seq > this.rcvNxt;
    // Past the window: Linux takes a segment that starts inside it whole (tcp_sequence), but an
    // in-order one meets a zero window with a drop (tcp_data_queue); BSD trims at the edge.
    const inWindow = rw.acceptsPastEdge ? (ofo ? seg.seq < edge : edge > this.rcvNxt) : Math.min(end, edge) > seg.seq;
    if (!inWindow) return this.sendAck('ack', `seq ${seg.seq}: outside the window, dropped`);
    const last = rw.acceptsPastEdge ? end : Math.min(end, edge);
    const tracked = rw.tracksMemory;
    const st = tracked ? this.stateForWindow() : this.rwState;
    if (tracked && rw.admit(last - seg.seq, ofo, st) === 'drop') {
      this.forgetPrunedOutOfOrder();
      this.counters.receiverDrops++;
      const why = `seq ${seg.seq}+${seg.len} dropped: receive buffer full (${rw.bufferBytes} B)`;
      return this.sendAck('ack', rw.pendingRetraction ? `${why}; window retracted to 0` : why);
    }
    this.forgetPrunedOutOfOrder();
    if (ofo) {
      if (!this.outOfOrder.insert(seg.seq, last, rw.chargeOf(last - seg.seq))) this.counters.receiverDrops++;
      else if (tracked) rw.queued(last, last - seg.seq, true, st);
      return this.sendAck('ack'); // out of order: immediate duplicate ACK
    }
    const accepted = last - this.rcvNxt;
    const filledHole = this.outOfOrder.length > 0;
    if (this.rcvNxt === this.rcvWup) this.firstUnackedAt = this.core.now;
    this.rcvNxt += accepted;
    if (tracked) rw.queued(this.rcvNxt, last - seg.seq, false, st);
    if (filledHole) this.rcvNxt = this.outOfOrder.drain(this.rcvNxt, this.mergedOutOfOrder);
    this.incoming.arrived(this.rcvNxt, seg.sentAt);
    this.unackedSegs++;
    if (filledHole) this.sendAck('ack');
    else this.ackPolicyOnData(accepted);
    if (!this.readablePending) {
      this.readablePending = true;
      this.core.schedule(this.core.now + this.cfg.callCostMs, this.notifyReadable);
    }
  }

  private readonly mergedOutOfOrder = (end: number, charge: number, extendsData: boolean): void => this.rw.merged(end, charge, extendsData);

  /** tcp_prune_ofo_queue ran inside admit(): those segments are gone. */
  private forgetPrunedOutOfOrder(): void {
    if (!this.rw.ofoDropped) return;
    this.rw.ofoDropped = false;
    this.counters.receiverDrops += this.outOfOrder.length;
    this.outOfOrder.clear();
  }

  private stateForWindow(): ReceiveWindowState {
    const st = this.rwState;
    st.rcvNxt = this.rcvNxt;
    st.readOffset = this.readOffset;
    st.advertisedEdge = this.advertisedEdge;
    st.rcvMss = this.rcvMss;
    st.now = this.core.now;
    return st;
  }

  get readable(): number {
    return this.rcvNxt - this.readOffset;
  }

  /** The application's recv(): returns the bytes read (0 if none). */
  read(max: number): number {
    this.applyQuickAckOption();
    const n = Math.min(max, this.rcvNxt - this.readOffset);
    if (n <= 0) return 0;
    const windowBefore = this.advertisedEdge - this.rcvNxt;
    this.readOffset += n;
    if (this.rw.tracksMemory) this.rw.read(this.stateForWindow(), this.cfg.pathRttMs);
    this.incoming.read(this.readOffset);
    this.afterRead(n, windowBefore);
    return n;
  }

  /** TCP_QUICKACK re-armed by the application (Linux), or ACK frequency 1 (others: see ackPolicyOnData). */
  applyQuickAckOption(): void {
    if (!this.cfg.quickack || this.cfg.profile.ackPolicy !== 'linux') return;
    this.pingpong = false;
    if (this.rcvNxt > this.rcvWup) this.sendAck('ack');
  }

  /** The right edge an ACK sent now would advertise (the OS family's rules: rcvwindow.ts). */
  private selectWindow(): number {
    const bsd = this.bsdWindow;
    if (bsd) return bsd.edgeFor(this.rcvNxt, this.readOffset, this.advertisedEdge); // no state object to fill
    return this.rw.selectEdge(this.stateForWindow());
  }

  /** Bookkeeping for any segment that carries our ACK (pure or piggybacked on data). */
  private ackSent(withData: boolean): void {
    const p = this.cfg.profile;
    if (withData && p.ackPolicy === 'linux' && this.core.now - this.lastRcvAt < this.ato) this.pingpong = true; // tcp_event_data_sent
    if (this.rcvNxt > this.rcvWup && p.ackPolicy === 'linux' && this.quick > 0) {
      const pkts = Math.max(1, this.unackedSegs);
      if (pkts >= this.quick) {
        this.quick = 0;
        this.ato = LINUX_ATO_MIN;
      } else this.quick -= pkts;
    }
    this.rcvWup = this.rcvNxt;
    this.unackedSegs = 0;
    this.pushed = 0;
    this.advertisedEdge = this.selectWindow();
    this.rw.advertised();
    if (this.delackTimer.armed) {
      this.delackTimer.cancel();
      this.holdChanged();
    }
  }

  private sendAck(kind: 'ack' | 'window-update', note?: string): void {
    this.emit(kind, this.sndNxt, 0, note);
  }

  private holdChanged(): void {
    const now = this.core.now;
    this.peer.refreshSenderTimeline(now);
    this.peer.host.refresh(now);
  }

  private armDelayedAck(at: number): void {
    const was = this.delackTimer.armed;
    this.delackTimer.arm(at);
    if (!was) this.holdChanged();
  }

  private onDelayedAckTimer(): void {
    this.counters.delayedAckTimers++;
    if (this.core.tracing) this.core.record({ t: this.core.now, from: this.side, channel: this.cfg.channel, kind: 'timer', note: 'delayed-ack' });
    this.holdChanged();
    if (this.cfg.profile.ackPolicy === 'linux') {
      // tcp_delack_timer_handler: a missed delayed ACK inflates ato, or ends ping-pong mode.
      if (!this.pingpong) this.ato = Math.min(2 * this.ato, this.rto);
      else {
        this.pingpong = false;
        this.ato = LINUX_ATO_MIN;
      }
    }
    if (this.rcvNxt > this.rcvWup) this.sendAck('ack');
  }

  private ackPolicyOnData(len: number): void {
    const p = this.cfg.profile;
    const now = this.core.now;
    if (p.ackPolicy === 'windows') {
      // KB214397/KB328890: ACK every 2nd segment; else a one-shot timer from the first unacked one.
      if (this.cfg.quickack || this.unackedSegs >= p.ackEverySegments) return this.sendAck('ack');
      if (!this.delackTimer.armed) this.armDelayedAck(now + p.delayedAckMs);
      return;
    }
    if (p.ackPolicy === 'macos') {
      // XNU non-legacy strategy: delay while at most one MSS is unacked; timer list ticks every 100 ms.
      if (this.cfg.quickack || this.rcvNxt - this.rcvWup > this.cfg.mss) return this.sendAck('ack');
      if (!this.delackTimer.armed) {
        const tick = p.timerTickMs;
        this.armDelayedAck(tick > 0 ? Math.ceil((now + p.delayedAckMs) / tick) * tick : now + p.delayedAckMs);
      }
      return;
    }
    this.linuxOnData(len);
  }

  /** tcp_measure_rcv_mss + tcp_event_data_recv + __tcp_ack_snd_check + tcp_send_delayed_ack. */
  private linuxOnData(len: number): void {
    const p = this.cfg.profile;
    const now = this.core.now;
    if (len >= this.rcvMss) this.rcvMss = Math.min(len, this.cfg.mss);
    else this.pushed = this.pushed >= 1 ? 2 : 1;
    if (!this.seenData) {
      this.seenData = true;
      this.quick = this.quickAckBudget(len);
      this.ato = LINUX_ATO_MIN;
    } else {
      const m = now - this.lastRcvAt;
      if (m <= LINUX_ATO_HALF_MIN) this.ato = this.ato / 2 + LINUX_ATO_HALF_MIN;
      else if (m < this.ato) this.ato = Math.min(this.ato / 2 + m, this.rto);
      else if (m > this.rto) this.quick = Math.max(this.quick, this.quickAckBudget(len));
    }
    this.lastRcvAt = now;
    const inQuickAck = this.quick > 0 && !this.pingpong;
    if (this.rcvNxt - this.rcvWup > this.rcvMss || inQuickAck) return this.sendAck('ack');
    // tcp_send_delayed_ack
    let ato = this.ato;
    if (ato > LINUX_ATO_MIN) {
      let maxAto = this.pingpong || this.pushed > 0 ? p.delayedAckMaxMs : LINUX_MAX_ATO;
      if (this.hasRtt) maxAto = Math.min(maxAto, Math.max(this.srtt, LINUX_ATO_MIN));
      ato = Math.min(ato, maxAto);
    }
    ato = Math.min(ato, p.delayedAckMaxMs);
    const deadline = now + ato + p.timerLateTicks * p.timerTickMs;
    if (this.delackTimer.armed) {
      if (this.delackTimer.due <= now + ato / 4) return this.sendAck('ack');
      if (this.delackTimer.due <= deadline) return; // keep the earlier deadline
    }
    this.armDelayedAck(deadline);
  }

  /** tcp_incr_quickack: half the window in receiver-MSS units, at least 2, at most TCP_MAX_QUICKACKS. */
  private quickAckBudget(len: number): number {
    const window = this.advertisedEdge - this.rcvNxt + len;
    return Math.min(Math.max(2, Math.floor(window / (2 * this.rcvMss))), this.cfg.profile.maxQuickAcks);
  }

  /** After the application read `copied` bytes (tcp_cleanup_rbuf, and window updates for all). */
  private afterRead(copied: number, windowBefore: number): void {
    const p = this.cfg.profile;
    const pending = this.rcvNxt > this.rcvWup;
    if (p.ackPolicy === 'linux' && pending) {
      const queueEmpty = this.rcvNxt === this.readOffset;
      if (this.rcvNxt - this.rcvWup > this.rcvMss ||
          (copied > 0 && (this.pushed === 2 || (this.pushed === 1 && !this.pingpong)) && queueEmpty)) {
        return this.sendAck('ack');
      }
    }
    // tcp_cleanup_rbuf: a window update when the read at least doubles a window that had fallen to
    // half the clamp or less (from zero: any window).
    if (2 * windowBefore <= this.rw.updateClamp) {
      const win = this.selectWindow() - this.rcvNxt;
      if (win > 0 && win >= 2 * windowBefore) this.sendAck('window-update', windowBefore === 0 ? 'window opens' : undefined);
    }
  }
}
