// The discrete-event machinery: clock, event queue (binary heap), timers, the link, the trace and
// the cause timelines. Nothing here knows TCP; tcp.ts and apps.ts build on it.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { CAUSE_NAMES, SimulationBoundError, type CauseName, type PacketTraceEntry } from './types';

/**
 * The pending events: a binary min-heap on (time, insertion order), so events at the same instant
 * run in the order they were scheduled. Events live in slots of parallel arrays (no object per
 * event, nothing for the garbage collector); the heap holds slot numbers.
 */
export class EventQueue {
  private times = new Float64Array(1024);
  private orders = new Float64Array(1024);
  private runs: (((arg: unknown) => void) | undefined)[] = new Array(1024);
  private args: unknown[] = new Array(1024);
  private heap = new Int32Array(1024);
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;
  private nextOrder = 0;
  length = 0;

  constructor() {
    for (let i = 0; i < 1024; i++) this.freeSlots[this.freeCount++] = 1023 - i;
  }

  private before(a: number, b: number): boolean {
    const ta = this.times[a];
    const tb = this.times[b];
    return ta < tb || (ta === tb && this.orders[a] < this.orders[b]);
  }

  push(t: number, run: (arg: unknown) => void, arg: unknown): void {
    if (this.freeCount === 0) this.grow();
    const slot = this.freeSlots[--this.freeCount];
    this.times[slot] = t;
    this.orders[slot] = this.nextOrder++;
    this.runs[slot] = run;
    this.args[slot] = arg;
    let i = this.length++;
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(slot, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = slot;
  }

  /** Time of the earliest event (the queue must not be empty). */
  peekTime(): number {
    return this.times[this.heap[0]];
  }

  /** Removes the earliest event and runs it via `dispatch` (which gets its time, function and argument). */
  popInto(target: { t: number; run: (arg: unknown) => void; arg: unknown }): void {
    const heap = this.heap;
    const top = heap[0];
    target.t = this.times[top];
    target.run = this.runs[top]!;
    target.arg = this.args[top];
    this.runs[top] = undefined;
    this.args[top] = undefined;
    this.freeSlots[this.freeCount++] = top;
    const last = heap[--this.length];
    const n = this.length;
    if (n === 0) return;
    let i = 0;
    // Sift `last` down from the root.
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.before(heap[right], heap[left]) ? right : left;
      if (!this.before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }

  private grow(): void {
    const old = this.times.length;
    const size = old * 2;
    const times = new Float64Array(size);
    times.set(this.times);
    this.times = times;
    const orders = new Float64Array(size);
    orders.set(this.orders);
    this.orders = orders;
    const heap = new Int32Array(size);
    heap.set(this.heap);
    this.heap = heap;
    const free = new Int32Array(size);
    free.set(this.freeSlots.subarray(0, this.freeCount));
    this.freeSlots = free;
    for (let i = size - 1; i >= old; i--) this.freeSlots[this.freeCount++] = i;
    this.runs.length = size;
    this.args.length = size;
  }
}

export interface CoreLimits {
  maxEvents: number;
  maxSimTimeMs: number;
  /** Wall-clock milliseconds the run may take (checked every WALL_CHECK_EVENTS events). */
  maxWallMs: number;
  maxQueuedEvents: number;
  traceLimit: number;
}

/** How often (in events) the wall-clock budget is checked: rarely enough to cost nothing. */
const WALL_CHECK_EVENTS = 16_384;

export class SimCore {
  now = 0;
  /** Events that did something (stale timer wake-ups are not counted). */
  events = 0;
  private readonly queue = new EventQueue();
  /** The event being run (reused: popping allocates nothing). */
  private readonly current: { t: number; run: (arg: unknown) => void; arg: unknown } = { t: 0, run: () => {}, arg: undefined };
  readonly trace: PacketTraceEntry[] = [];
  traceTruncated = false;
  private readonly random;

  constructor(readonly limits: CoreLimits, seed: number) {
    this.tracing = limits.traceLimit > 0;
    if (!this.tracing) this.eventsWhenFull = 0;
    this.random = xoroshiro128plus(seed);
    // xoroshiro's first outputs from a small seed are poorly mixed; skip them.
    for (let i = 0; i < 32; i++) this.random.next();
  }

  schedule<A>(t: number, run: (arg: A) => void, arg?: A): void {
    if (this.queue.length >= this.limits.maxQueuedEvents) {
      throw new SimulationBoundError('eventQueue', this.limits.maxQueuedEvents, `more than ${this.limits.maxQueuedEvents} events were pending at ${this.now.toFixed(3)} ms`);
    }
    this.queue.push(t > this.now ? t : this.now, run as (arg: unknown) => void, arg);
  }

  /** Runs until nothing is left to do; `onStep` is called after every counted event. */
  run(isFinished: () => boolean, onStep: () => void): void {
    const { maxEvents, maxSimTimeMs, maxWallMs } = this.limits;
    const started = performance.now();
    let nextWallCheck = WALL_CHECK_EVENTS;
    while (this.queue.length > 0 && !isFinished()) {
      if (this.events >= nextWallCheck) {
        nextWallCheck = this.events + WALL_CHECK_EVENTS;
        const elapsed = performance.now() - started;
        if (elapsed > maxWallMs) {
          throw new SimulationBoundError('maxWallMs', maxWallMs, `the run took more than ${maxWallMs} ms of wall-clock time (${this.events} events, ${this.now.toFixed(3)} ms simulated)`);
        }
      }
      const e = this.current;
      this.queue.popInto(e);
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
  /** Receives every trace entry as it happens (SimOptions.onTrace), whatever the kept trace's limit. */
  private onTraceFn: ((entry: PacketTraceEntry) => void) | null = null;

  set onTrace(fn: ((entry: PacketTraceEntry) => void) | null) {
    this.onTraceFn = fn;
    this.tracing = fn !== null || this.trace.length < this.limits.traceLimit;
  }

  /** Callers build trace entries only while this is true (a plain field: it is read on every segment). */
  tracing = true;

  /** Keeps `entry` (complete: it is handed on as it is) while under the trace limit. */
  record(entry: PacketTraceEntry): void {
    this.onTraceFn?.(entry);
    if (this.trace.length >= this.limits.traceLimit) {
      this.traceTruncated = true;
      return;
    }
    this.trace.push(entry);
    if (this.trace.length >= this.limits.traceLimit && !this.onTraceFn) {
      // Full: stop building entries. (An entry that would have come next is what makes the trace truncated.)
      this.tracing = false;
      this.eventsWhenFull = this.events;
    }
  }

  /** Events processed when the trace filled up (-1: it has not). */
  private eventsWhenFull = -1;

  /** The kept trace is missing entries: it filled up and the run went on. */
  get traceIncomplete(): boolean {
    return this.traceTruncated || (this.eventsWhenFull >= 0 && this.events > this.eventsWhenFull);
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

/**
 * One direction of the path: a FIFO serializer at `bandwidth`, then `oneWayMs` of propagation.
 * Segments arrive in the order they were sent, so on a path that holds many (a long fat link: more
 * than FIFO_MIN_SEGMENTS full segments per round trip) the ones in flight wait in this link's own
 * FIFO and only the next arrival is an event in the simulator's queue, which stays small. A short
 * path schedules each arrival directly (no extra step per segment).
 */
/** A path holding more full segments than this per round trip queues its arrivals in the link. */
const FIFO_MIN_SEGMENTS = 64;

export class LinkDirection {
  private busyUntil = 0;
  private readonly msPerByte: number;
  private times: Float64Array = new Float64Array(256);
  private args: unknown[] = new Array(256);
  /** Where each waiting segment goes (two connections may share a direction: two-channel). */
  private delivers: ((arg: unknown) => void)[] = new Array(256);
  private head = 0;
  private tail = 0;

  constructor(
    private readonly core: SimCore,
    private readonly oneWayMs: number,
    bandwidthMbps: number,
    private readonly headerBytes: number,
    private readonly lossRate: number,
  ) {
    this.msPerByte = 8 / (bandwidthMbps * 1000);
    const segmentsPerRoundTrip = (bandwidthMbps * 1000 / 8) * (2 * oneWayMs) / 1500;
    this.useFifo = segmentsPerRoundTrip > FIFO_MIN_SEGMENTS;
  }

  private readonly useFifo: boolean;

  /** Returns the arrival time, or -1 when the segment is lost (it then never arrives). */
  carry<A>(payloadBytes: number, deliver: (arg: A) => void, arg: A): number {
    const departs = Math.max(this.core.now, this.busyUntil) + (payloadBytes + this.headerBytes) * this.msPerByte;
    this.busyUntil = departs;
    if (this.lossRate > 0 && this.core.uniform() < this.lossRate) return -1;
    const arrives = departs + this.oneWayMs;
    if (!this.useFifo) {
      this.core.schedule(arrives, deliver, arg);
      return arrives;
    }
    if (!this.arrivalPending) {
      this.arrivalPending = true;
      this.pendingDeliver = deliver as (arg: unknown) => void;
      this.core.schedule(arrives, this.arrive, arg);
      return arrives;
    }
    // Behind the segment whose arrival is an event: wait here in order.
    if (this.tail === this.times.length) this.grow();
    this.times[this.tail] = arrives;
    this.args[this.tail] = arg;
    this.delivers[this.tail] = deliver as (arg: unknown) => void;
    this.tail++;
    return arrives;
  }

  /** The receiver of the segment whose arrival is the pending event. */
  private pendingDeliver: ((arg: unknown) => void) | null = null;

  /** A segment's arrival is the one event this link has in the queue. */
  private arrivalPending = false;

  /** A segment arrives; the next one in flight, if any, becomes the link's next event. */
  private readonly arrive = (arg: unknown): void => {
    const deliver = this.pendingDeliver!;
    if (this.head < this.tail) {
      const i = this.head++;
      this.pendingDeliver = this.delivers[i];
      this.core.schedule(this.times[i], this.arrive, this.args[i]);
      if (this.head === this.tail) {
        this.head = 0;
        this.tail = 0;
      }
    } else this.arrivalPending = false;
    deliver(arg);
  };

  private grow(): void {
    const live = this.tail - this.head;
    if (this.head > 0 && live * 2 <= this.times.length) {
      // Room at the front: move the segments in flight down.
      this.times.copyWithin(0, this.head, this.tail);
      this.args.copyWithin(0, this.head, this.tail);
      this.delivers.copyWithin(0, this.head, this.tail);
    } else {
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times.subarray(this.head, this.tail));
      this.times = times;
      this.args = this.args.slice(this.head, this.tail);
      this.args.length = times.length;
      this.delivers = this.delivers.slice(this.head, this.tail);
      this.delivers.length = times.length;
    }
    this.head = 0;
    this.tail = live;
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

