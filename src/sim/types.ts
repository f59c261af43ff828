// The simulator's public types: what validateScenario() and simulate() take and give back.
// The webview, the CLI and the tests read these; keep them plain data (structured-clone safe,
// so a Web Worker can post a SimResult as it is).
import type { Pattern, ProfileName } from '../common/scenario';

export type Side = 'client' | 'server';

/**
 * Where a message's time went. Every millisecond of a message's latency is given to exactly one
 * cause, so the causes of one message sum to its latency.
 * - nagle:      the sender held a small segment because earlier data was unacknowledged (Nagle).
 * - delayedAck: the sender (or its blocked send call) was waiting for an ACK that the peer was
 *               holding back with its delayed-ACK timer.
 * - sendBuffer: the application's send call was blocked: no room in the send buffer, or (Winsock
 *               SO_SNDBUF = 0) the call completes only when its data is ACKed.
 * - window:     the peer's receive window was closed or too small (flow control, zero window).
 * - congestion: the congestion window (slow start, recovery) did not allow another segment.
 * - loss:       the message's last segment was lost and waited for retransmission.
 * - receiver:   the data was in the peer's receive buffer, but the peer application was not
 *               reading yet (readDelayMs).
 * - wire:       serialization, propagation and queueing on the link, and the applications' own
 *               time inside their send and recv calls (callCostUs): the irreducible part.
 */
export const CAUSE_NAMES = ['nagle', 'delayedAck', 'sendBuffer', 'window', 'congestion', 'loss', 'receiver', 'wire'] as const;
export type CauseName = (typeof CAUSE_NAMES)[number];
export type CauseBreakdown = Record<CauseName, number>;

/** A scenario with every field filled in: the profile's defaults applied, sizes as [min, max]. */
export interface NormalizedScenario {
  title: string;
  profile: ProfileName;
  link: {
    rttMs: number;
    bandwidthMbps: number;
    /** Payload bytes per full segment. */
    mss: number;
    /** Probability that any one segment (data, ACK, probe) is dropped, 0 ≤ p ≤ 0.5. */
    lossRate: number;
    seed: number;
  };
  client: NormalizedEndpoint;
  server: NormalizedEndpoint;
  workload: NormalizedWorkload;
}

export interface NormalizedEndpoint {
  nodelay: boolean;
  /** Bytes; null = the application never set SO_SNDBUF (OS default, autotuned where the OS does). */
  sndbuf: number | null;
  /** Bytes; null = the application never set SO_RCVBUF. */
  rcvbuf: number | null;
  /** SO_RCVBUF was set after connect()/accept(): the window scale was already fixed by the SYN. */
  rcvbufAfterAccept: boolean;
  /** Re-arm TCP_QUICKACK before every read (Linux; SIO_TCP_SET_ACK_FREQUENCY 1 on Windows). */
  quickack: boolean;
  /** Microseconds of application + system-call time per send or recv call (the profile's default if not given). */
  callCostUs: number;
}

export interface NormalizedWorkload {
  pattern: Pattern;
  /** Records (records) or request/response exchanges (request-response, write-write-read, two-channel). */
  count: number;
  /** Record or request size in bytes, drawn uniformly from [min, max] with the link's seed. */
  sizeBytes: [number, number];
  /** Records coalesced into one send call (records). */
  batch: number;
  /** Sizes of the consecutive send calls that make one request (write-write-read). */
  writes: [number, number][];
  responseBytes: number;
  /** The receiving application's recv() buffer. */
  recvBufferBytes: number;
  /** Bulk: bytes in total, and bytes per send call. */
  totalBytes: number;
  writeBytes: number;
  /** The sending application pauses this long after each record or exchange. */
  thinkTimeMs: number;
  /** Non-blocking socket: a send that does not fit returns WOULDBLOCK and the app waits for writability. */
  nonBlocking: boolean;
  /** Overlapped sends kept outstanding at once (1 = plain blocking send). */
  overlappedSends: number;
  /** The receiving application pauses this long before each recv(). */
  readDelayMs: number;
}

export type ValidationResult =
  | { ok: true; scenario: NormalizedScenario }
  | { ok: false; errors: ValidationError[] };

/** `path` names the field, e.g. `workload.count` or `workload.writes[1]`. */
export interface ValidationError { path: string; message: string }

export interface SimOptions {
  /** Stop with SimulationBoundError('maxEvents') after this many processed events. Default 20,000,000. */
  maxEvents?: number;
  /** Stop with SimulationBoundError('maxSimTimeMs') past this simulated time. Default 7 days. */
  maxSimTimeMs?: number;
  /**
   * Stop with SimulationBoundError('maxWallMs') after this much wall-clock time. Default 120,000.
   * (maxEvents bounds the work; this bounds the time on a slow or busy machine.)
   */
  maxWallMs?: number;
  /** Keep the first N trace entries (packets + timers + app calls) in the result. Default 2000. */
  traceLimit?: number;
  /**
   * Called with every trace entry as it happens, however many (the whole trace, without keeping it
   * in memory: `socklint simulate --trace-out` streams it to a file). Slower: only when asked for.
   */
  onTrace?: (entry: PacketTraceEntry) => void;
  /** Keep per-message detail for the first N messages (statistics always cover all). Default 2000. */
  perMessageLimit?: number;
  /** Called now and then with the fraction of messages done (0..1). */
  onProgress?: (fraction: number) => void;
  /** Record what each application read returned (tests check ordering with it). Default false. */
  recordDeliveries?: boolean;
}

export type TraceKind =
  | 'data' // a data segment (note 'retransmission' when it is one)
  | 'ack' // a pure ACK
  | 'window-update' // a pure ACK sent because the receive window opened
  | 'probe' // a zero-window probe
  | 'lost' // a segment dropped on the link (it never arrives)
  | 'timer' // a timer fired: note names it ('delayed-ack', 'rto', 'persist')
  | 'app-send' // the application called send(): len = bytes asked
  | 'app-send-done' // that send call returned (or the overlapped send completed)
  | 'app-wouldblock' // a non-blocking send returned WOULDBLOCK
  | 'app-recv'; // the application's recv() returned len bytes

/** One line of the ladder diagram. Times in ms of simulated time. */
export interface PacketTraceEntry {
  /** When it happened; for segments, when the sender handed it to the link. */
  t: number;
  /** Segments only: when it reached the peer (absent when lost). */
  arriveT?: number;
  /** The endpoint that sent the segment, or whose timer / application it is. */
  from: Side;
  /** 0 = the (first) connection; 1 = the second connection of the two-channel pattern. */
  channel: number;
  kind: TraceKind;
  /** Stream offset of the first payload byte (0 = first byte the sender wrote). */
  seq?: number;
  len?: number;
  /** Cumulative ACK carried (next byte expected from the peer). */
  ack?: number;
  /** Receive window advertised, bytes. */
  win?: number;
  note?: string;
}

export interface MessageRecord {
  index: number;
  /** The application's first send call for this message. */
  startMs: number;
  latencyMs: number;
  causes: CauseBreakdown;
}

export interface LatencyStats { min: number; p50: number; p90: number; p99: number; max: number; mean: number }

export interface SimResult {
  profile: ProfileName;
  scenario: NormalizedScenario;
  /**
   * What one message is: 'record' (records), 'exchange' (a request and its whole response:
   * latency is request send call → requester has the whole response), 'write' (bulk: one send call).
   */
  messageUnit: 'record' | 'exchange' | 'write';
  messages: number;
  messagesPerSecond: number;
  /** First send call to the last message done. */
  totalTimeMs: number;
  /** Application payload delivered per second of totalTime, Mbit/s. */
  goodputMbps: number;
  /**
   * Per message: from the application's send call until the peer application has read the whole
   * message and the sender's send call has returned (for exchanges: until the requester has read the
   * whole response).
   */
  latencyMs: LatencyStats;
  perMessage: MessageRecord[];
  /** Milliseconds per cause, summed over all messages (sums to the sum of latencies). */
  causes: CauseBreakdown;
  /** Each cause's fraction of the summed latency (0..1). */
  causeShare: CauseBreakdown;
  /** Discrete events processed. */
  events: number;
  /** lost: dropped on the link; droppedByReceiver: arrived but did not fit the receive buffer (Linux). */
  segments: { data: number; retransmissions: number; pureAcks: number; windowUpdates: number; probes: number; lost: number; droppedByReceiver: number };
  timers: { delayedAck: number; rto: number; persist: number };
  /**
   * Buffer effects: send calls that waited for room in the send buffer; ACKs that advertised a zero
   * window, and how many of those retracted a window already offered (Linux, after dropping data
   * that did not fit: see segments.droppedByReceiver).
   */
  buffers: { sendBufferWaits: number; zeroWindows: number; windowRetractions: number };
  /** Non-blocking send calls that returned WOULDBLOCK. */
  wouldBlock: number;
  packets: PacketTraceEntry[];
  packetsTruncated: boolean;
  /** What the profile assumes that the numbers depend on (shown next to the result). */
  notes: string[];
  /** Only with options.recordDeliveries: per direction, the [offset, length] of every recv(). */
  deliveries?: { channel: number; to: Side; reads: [number, number][]; bytesWritten: number }[];
}

/**
 * 'scenario': simulate() was handed a scenario that validateScenario() rejects (see `.errors`).
 * 'maxEvents' is also the refusal before running, when the scenario needs more events than allowed.
 * 'retransmissions': one segment was retransmitted more often than the profile allows (the OS
 * would reset the connection). 'stalled': no event was left while messages were undelivered (a
 * model error; report the scenario). The others are the SimOptions limits.
 */
export type BoundName = 'scenario' | 'stalled' | 'maxEvents' | 'maxSimTimeMs' | 'maxWallMs' | 'eventQueue' | 'retransmissions' | 'persistProbes';

/** The only thing simulate() throws: a scenario ran into one of its bounds. */
export class SimulationBoundError extends Error {
  constructor(
    readonly bound: BoundName,
    readonly limit: number,
    detail: string,
    readonly errors: ValidationError[] = [],
  ) {
    super(bound === 'scenario' ? `invalid scenario: ${detail}` : `simulation stopped at the ${bound} bound (${limit}): ${detail}`);
    this.name = 'SimulationBoundError';
  }
}
