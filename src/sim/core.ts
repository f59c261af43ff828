// The discrete-event machinery: clock, event queue (binary heap), timers, the link, the trace and
// the cause timelines. Nothing here knows TCP; tcp.ts and apps.ts build on it.
import TinyQueue from 'tinyqueue';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { CAUSE_NAMES, SimulationBoundError, type CauseName, type PacketTraceEntry } from './types';

interface SimEvent {
  t: number;
  /** Insertion order: events at the same instant run in the order they were scheduled. */
  order: number;
  run: (arg: unknown) => void;
  /** Passed to `run`, so hot paths can schedule a shared function instead of a new closure. */
  arg: unknown;
}

export interface CoreLimits {
  maxEvents: number;
  maxSimTimeMs: number;
  maxQueuedEvents: number;
  traceLimit: number;
}

export class SimCore {
  now = 0;
  /** Events that did something (stale timer wake-ups are not counted). */
  events = 0;
  private order = 0;
  private readonly queue = new TinyQueue<SimEvent>([], (a, b) => a.t - b.t || a.order - b.order);
  readonly trace: PacketTraceEntry[] = [];
  traceTruncated = false;
  private readonly random;

  constructor(readonly limits: CoreLimits, seed: number) {
    this.random = xoroshiro128plus(seed);
    // xoroshiro's first outputs from a small seed are poorly mixed; skip them.
    for (let i = 0; i < 32; i++) this.random.next();
  }

  schedule<A>(t: number, run: (arg: A) => void, arg?: A): void {
    if (this.queue.length >= this.limits.maxQueuedEvents) {
      throw new SimulationBoundError('eventQueue', this.limits.maxQueuedEvents, `more than ${this.limits.maxQueuedEvents} events were pending at ${this.now.toFixed(3)} ms`);
    }
    this.queue.push({ t: Math.max(t, this.now), order: this.order++, run: run as (arg: unknown) => void, arg });
  }

  /** Runs until nothing is left to do; `onStep` is called after every counted event. */
  run(isFinished: () => boolean, onStep: () => void): void {
    const { maxEvents, maxSimTimeMs } = this.limits;
    while (this.queue.length > 0 && !isFinished()) {
      const e = this.queue.pop()!;
      if (e.t > maxSimTimeMs) {
        throw new SimulationBoundError('maxSimTimeMs', maxSimTimeMs, `simulated time would pass ${maxSimTimeMs} ms before the workload finished`);
      }
      this.now = e.t;
      e.run(e.arg);
      if (++this.events > maxEvents) {
        throw new SimulationBoundError('maxEvents', maxEvents, `the workload needed more than ${maxEvents} events (at ${this.now.toFixed(3)} ms simulated)`);
      }
      onStep();
    }
  }

  /** Stale timer events call this instead of counting. */
  uncount(): void {
    this.events--;
  }

  uniform(): number {
    return uniformFloat64(this.random);
  }

  uniformInt(min: number, max: number): number {
    return min === max ? min : uniformInt(this.random, min, max);
  }

  /** False once the trace is full: callers skip building entries. */
  get tracing(): boolean {
    if (this.trace.length < this.limits.traceLimit) return true;
    this.traceTruncated = true;
    return false;
  }

  record(entry: PacketTraceEntry): PacketTraceEntry | undefined {
    if (this.trace.length >= this.limits.traceLimit) {
      this.traceTruncated = true;
      return undefined;
    }
    this.trace.push(entry);
    return entry;
  }
}

/**
 * A one-shot timer. Re-arming it later than its pending wake-up does not add an event: the
 * pending one wakes, sees the new deadline and sleeps again (keeps the heap small when an RTO
 * timer is pushed back on every ACK).
 */
export class Timer {
  private deadline = Infinity;
  private scheduledAt = Infinity;

  constructor(private readonly core: SimCore, private readonly onFire: () => void) {}

  get armed(): boolean {
    return this.deadline !== Infinity;
  }

  get due(): number {
    return this.deadline;
  }

  arm(at: number): void {
    this.deadline = at;
    if (at < this.scheduledAt) {
      this.scheduledAt = at;
      this.core.schedule(at, this.wakeAt, at);
    }
  }

  cancel(): void {
    this.deadline = Infinity;
  }

  private readonly wakeAt = (scheduledFor: number): void => this.wake(scheduledFor);

  private wake(scheduledFor: number): void {
    if (scheduledFor !== this.scheduledAt) return this.core.uncount(); // superseded by an earlier wake-up
    this.scheduledAt = Infinity;
    if (this.deadline === Infinity) return this.core.uncount();
    if (this.deadline > this.core.now) {
      this.arm(this.deadline);
      return this.core.uncount();
    }
    this.deadline = Infinity;
    this.onFire();
  }
}

/** One direction of the path: a FIFO serializer at `bandwidth`, then `oneWayMs` of propagation. */
export class LinkDirection {
  private busyUntil = 0;
  private readonly msPerByte: number;

  constructor(
    private readonly core: SimCore,
    private readonly oneWayMs: number,
    bandwidthMbps: number,
    private readonly headerBytes: number,
    private readonly lossRate: number,
  ) {
    this.msPerByte = 8 / (bandwidthMbps * 1000);
  }

  /** Returns the arrival time, or -1 when the segment is lost (it then never arrives). */
  carry<A>(payloadBytes: number, deliver: (arg: A) => void, arg: A): number {
    const departs = Math.max(this.core.now, this.busyUntil) + (payloadBytes + this.headerBytes) * this.msPerByte;
    this.busyUntil = departs;
    if (this.lossRate > 0 && this.core.uniform() < this.lossRate) return -1;
    const arrives = departs + this.oneWayMs;
    this.core.schedule(arrives, deliver, arg);
    return arrives;
  }
}

const CAUSE_COUNT = CAUSE_NAMES.length;
export const CAUSE_INDEX: Record<CauseName, number> = Object.fromEntries(CAUSE_NAMES.map((c, i) => [c, i])) as Record<CauseName, number>;
export const WIRE = CAUSE_INDEX.wire;

/** Milliseconds per cause, indexed by CAUSE_INDEX (a plain array: cheaper to allocate per message than a typed one). */
export type CauseVector = number[];
export const newCauseVector = (): CauseVector => [0, 0, 0, 0, 0, 0, 0, 0];
if (CAUSE_COUNT !== 8) throw new Error('newCauseVector must have one slot per cause');

/**
 * A piecewise-constant labelling of time ("the sender is held by Nagle since t"), kept as running
 * totals per label so that the time spent under each label between any two instants is a
 * difference of two snapshots: O(1) per message, no interval lists.
 */
export class CauseTimeline {
  private readonly totals = newCauseVector();
  private label = -1;
  private since = 0;

  set(now: number, label: number): void {
    if (label === this.label) return;
    if (this.label >= 0) this.totals[this.label] += now - this.since;
    this.label = label;
    this.since = now;
  }

  snapshot(now: number, into: CauseVector): void {
    for (let i = 0; i < CAUSE_COUNT; i++) into[i] = this.totals[i];
    if (this.label >= 0) into[this.label] += now - this.since;
  }

  /**
   * Adds to `causes` the labelled time between the snapshot `from` and now; the unlabelled rest of
   * the `durationMs` goes to `rest` (usually wire).
   */
  accumulate(now: number, from: CauseVector, durationMs: number, causes: CauseVector, rest: number): void {
    let labelled = 0;
    for (let i = 0; i < CAUSE_COUNT; i++) {
      const d = this.totals[i] + (i === this.label ? now - this.since : 0) - from[i];
      if (d > 0) {
        causes[i] += d;
        labelled += d;
      }
    }
    const remainder = durationMs - labelled;
    if (remainder > 0) causes[rest] += remainder;
  }
}

