// Per-OS TCP behaviour the simulator implements. Numbers and rules come from
// shared research "TCP behaviour model for the socket-pattern simulator" (§2, §6), which cites the
// Windows KBs, Linux and XNU sources; values marked [?] there are unverified and flagged in `notes`.
// The headline numbers (delayed-ACK timer, Nagle variant, SO_SNDBUF = 0 meaning) must agree with
// PROFILE_HEADLINES in src/common/scenario.ts (test/sim/profiles.test.ts checks it).
import type { ProfileName } from '../common/scenario';

export interface TcpProfile {
  name: ProfileName;
  /** Payload bytes of a full segment on a 1500-byte MTU (1448 when timestamps are negotiated). */
  mss: number;
  /** IP + TCP header bytes per segment on the wire (40, or 52 with timestamps). */
  headerBytes: number;
  /** classic: hold a small segment while any data is unacked (RFC 896); minshall: only while an
   *  earlier *small* segment is unacked (Linux); bsd: a small tail may follow a full segment (XNU). */
  nagle: 'classic' | 'minshall' | 'bsd';
  /** Which receiver ACK algorithm runs (see tcp.ts): count-based Windows, adaptive Linux, XNU. */
  ackPolicy: 'windows' | 'linux' | 'macos';
  /** Delayed-ACK timeout (Linux: the minimum/initial ato). */
  delayedAckMs: number;
  /** Linux: ceiling of the adaptive ato in ping-pong or pushed mode (TCP_DELACK_MAX). */
  delayedAckMaxMs: number;
  /** Windows: ACK after this many unacked segments (TcpAckFrequency / DelayedAckFrequency). */
  ackEverySegments: number;
  /** Timers fire on ticks of this size (Linux jiffies at HZ=250; XNU's 100 ms fast timer list). 0 = exact. */
  timerTickMs: number;
  /** Linux: a delayed-ACK timer fires this many ticks after its deadline (measured 44 ms for 40 ms at HZ=250). */
  timerLateTicks: number;
  /** Linux: quick-ACK budget of a new connection (TCP_MAX_QUICKACKS). */
  maxQuickAcks: number;
  /** Winsock: with SO_SNDBUF = 0 a send completes only when its data is ACKed. */
  sndbufZeroCompletesAtAck: boolean;
  /**
   * How the send buffer is applied and charged. linux: SO_SNDBUF doubled, every skb charged its
   * truesize, writes appended to the unsent tail skb without a buffer check, a blocked writer woken
   * when a third is free (skbqueue.ts, sk_stream_write_space). bsd: bytes, a blocked writer woken at
   * SO_SNDLOWAT (sosend). winsock: the KB214397 completion rules.
   */
  sendBufferModel: 'linux' | 'bsd' | 'winsock';
  /**
   * How the receive buffer and window work. linux: SO_RCVBUF doubled, truesize accounting, the
   * window scaled by payload/truesize, drops and a retracted window when it overflows
   * (rcvwindow.ts). bsd: bytes, the offered window never retracted.
   */
  receiveWindowModel: 'linux' | 'bsd';
  /** Factor a requested SO_SNDBUF / SO_RCVBUF is multiplied by (Linux sock_setsockopt doubles it; others 1). */
  bufferSetScale: number;
  /** Largest value SO_SNDBUF / SO_RCVBUF takes before that factor (Linux net.core.wmem_max / rmem_max). */
  wmemMax: number;
  rmemMax: number;
  /** Smallest effective send / receive buffer (Linux SOCK_MIN_SNDBUF 4608, SOCK_MIN_RCVBUF 2304). */
  sndbufMin: number;
  rcvbufMin: number;
  /** Linux: truesize an skb costs beyond its payload (struct sk_buff + skb_shared_info + the small head: 832 on x86-64). */
  skbOverhead: number;
  /** Linux: sk_gso_max_size, the most one skb holds (the tail skb's size goal). */
  gsoMaxSize: number;
  /** BSD: SO_SNDLOWAT, the free space a blocked writer waits for (setsockopt(2): default 2048). */
  sndLowat: number;
  /** Linux tcp_rmem[1]: the receive buffer a connection starts with when SO_RCVBUF is not set. */
  rcvbufInit: number;
  /** Send / receive buffer when the application sets none; 'auto' = autotuned to 2 x BDP within [base, max]. */
  defaultSndbuf: number | 'auto';
  defaultRcvbuf: number | 'auto';
  autoBufferBase: number;
  autoSndbufMax: number;
  autoRcvbufMax: number;
  /** Window scale the SYN carries when SO_RCVBUF is not set before connect/accept. */
  defaultWindowScale: number;
  initialWindowSegments: number;
  initialRtoMs: number;
  minRtoMs: number;
  maxRtoMs: number;
  /** Added to every RTO once established (XNU's TCPTV_REXMTSLOP). */
  rtoSlopMs: number;
  /** Linux computes RTO = srtt + max(4 rttvar, rto_min); the others max(rto_min, srtt + 4 rttvar). */
  rtoFormula: 'linux' | 'rfc6298';
  /** Retransmissions of one segment before the OS resets the connection. */
  maxRetransmissions: number;
  persistMinMs: number;
  persistMaxMs: number;
  /** Unanswered-progress zero-window probes before the OS gives up. */
  maxPersistProbes: number;
  /** Restart slow start after an idle period longer than the RTO (RFC 2861; Linux default). */
  slowStartAfterIdle: boolean;
  /**
   * Application + system-call time per send or recv call, µs, when the scenario gives none
   * (`callCostUs`). Linux: measured (see LINUX_CALL_COST_US); the others: estimates, see their notes.
   */
  callCostUs: number;
  /** Shown with a result that uses the default cost when that default is not a measurement of this OS. */
  callCostNote?: string;
  notes: string[];
}

const KB = 1024;

/**
 * One send() or recv() of 64 bytes on a blocking loopback TCP socket, µs: the mean of the two medians
 * that harness/src/callcost.c measured on this project's Linux machine (harness/results/call-cost.json,
 * which test/sim checks this against). Most of it is the system call itself and the socket lock and
 * copy; pushing a segment (TCP_NODELAY) costs about twice as much, which the model leaves out.
 */
export const LINUX_CALL_COST_US = 1;
/**
 * Windows and macOS: no machine to measure on, so their default is the Linux figure, labelled as an
 * estimate. The per-call work has the same shape there (a user/kernel transition, the socket lock, a
 * copy into a kernel buffer); Winsock adds a user-mode layer (ws2_32 -> mswsock -> AFD), so the real
 * figure is more likely above than below.
 */
const CALL_COST_ESTIMATE_NOTE = `Application cost per send/recv call: ${LINUX_CALL_COST_US} µs by default, an estimate (the Linux measurement on the project's machine; this OS's per-call cost has not been measured).`;

export const PROFILES: Record<ProfileName, TcpProfile> = {
  'windows-legacy': {
    name: 'windows-legacy',
    mss: 1460,
    headerBytes: 40,
    nagle: 'classic',
    ackPolicy: 'windows',
    delayedAckMs: 200,
    delayedAckMaxMs: 200,
    ackEverySegments: 2,
    timerTickMs: 0,
    timerLateTicks: 0,
    maxQuickAcks: 0,
    sndbufZeroCompletesAtAck: true,
    sendBufferModel: 'winsock',
    receiveWindowModel: 'bsd',
    bufferSetScale: 1,
    wmemMax: 1 << 30,
    rmemMax: 1 << 30,
    sndbufMin: 0,
    rcvbufMin: 1,
    skbOverhead: 0,
    gsoMaxSize: 0,
    sndLowat: 0,
    rcvbufInit: 0,
    defaultSndbuf: 8 * KB,
    defaultRcvbuf: 8 * KB,
    autoBufferBase: 8 * KB,
    autoSndbufMax: 8 * KB,
    autoRcvbufMax: 8 * KB,
    defaultWindowScale: 0,
    initialWindowSegments: 2,
    initialRtoMs: 3000,
    minRtoMs: 300,
    maxRtoMs: 60_000,
    rtoSlopMs: 0,
    rtoFormula: 'rfc6298',
    maxRetransmissions: 5,
    persistMinMs: 0,
    persistMaxMs: 60_000,
    maxPersistProbes: 1000,
    slowStartAfterIdle: false,
    callCostUs: LINUX_CALL_COST_US,
    callCostNote: CALL_COST_ESTIMATE_NOTE,
    notes: [
      'Windows 2000/XP/2003 as in KB214397: 200 ms delayed-ACK timer, ACK every 2nd segment, 8 KB AFD buffers, no window scaling.',
      'Initial window (2 segments), initial RTO (3 s) and minimum RTO (300 ms) are unverified estimates.',
    ],
  },
  'windows-modern': {
    name: 'windows-modern',
    mss: 1460,
    headerBytes: 40,
    nagle: 'classic',
    ackPolicy: 'windows',
    delayedAckMs: 40,
    delayedAckMaxMs: 40,
    ackEverySegments: 2,
    timerTickMs: 0,
    timerLateTicks: 0,
    maxQuickAcks: 0,
    sndbufZeroCompletesAtAck: true,
    sendBufferModel: 'winsock',
    receiveWindowModel: 'bsd',
    bufferSetScale: 1,
    wmemMax: 1 << 30,
    rmemMax: 1 << 30,
    sndbufMin: 0,
    rcvbufMin: 1,
    skbOverhead: 0,
    gsoMaxSize: 0,
    sndLowat: 0,
    rcvbufInit: 0,
    defaultSndbuf: 'auto',
    defaultRcvbuf: 'auto',
    autoBufferBase: 64 * KB,
    autoSndbufMax: 16 * KB * KB,
    autoRcvbufMax: 16 * KB * KB,
    defaultWindowScale: 8,
    initialWindowSegments: 10,
    initialRtoMs: 1000,
    minRtoMs: 300,
    maxRtoMs: 60_000,
    rtoSlopMs: 0,
    rtoFormula: 'rfc6298',
    maxRetransmissions: 5,
    persistMinMs: 0,
    persistMaxMs: 60_000,
    maxPersistProbes: 1000,
    slowStartAfterIdle: false,
    callCostUs: LINUX_CALL_COST_US,
    callCostNote: CALL_COST_ESTIMATE_NOTE,
    notes: [
      'Windows 10/11 "Internet" TCP template: 40 ms delayed ACK (documented template value; KB823764 still says 200 ms, not yet confirmed by a capture).',
      'Unset SO_SNDBUF means dynamic send buffering (ideal send backlog ~ bandwidth-delay product, at least 64 KB).',
    ],
  },
  linux: {
    name: 'linux',
    mss: 1448,
    headerBytes: 52,
    nagle: 'minshall',
    ackPolicy: 'linux',
    delayedAckMs: 40,
    delayedAckMaxMs: 200,
    ackEverySegments: 2,
    timerTickMs: 4,
    timerLateTicks: 1,
    maxQuickAcks: 16,
    sndbufZeroCompletesAtAck: false,
    sendBufferModel: 'linux',
    receiveWindowModel: 'linux',
    bufferSetScale: 2,
    wmemMax: 212_992,
    rmemMax: 212_992,
    sndbufMin: 4608,
    rcvbufMin: 2304,
    skbOverhead: 832,
    gsoMaxSize: 65_536,
    sndLowat: 0,
    rcvbufInit: 131_072,
    defaultSndbuf: 'auto',
    defaultRcvbuf: 'auto',
    autoBufferBase: 64 * KB,
    autoSndbufMax: 4 * KB * KB,
    autoRcvbufMax: 32 * KB * KB, // tcp_rmem[2]: 32 MB in 6.x (the harness host: 4096 131072 33554432)
    defaultWindowScale: 10, // from tcp_rmem[2] at the SYN (tcp_select_initial_window); 7 with the older 6 MB
    initialWindowSegments: 10,
    initialRtoMs: 1000,
    minRtoMs: 200,
    maxRtoMs: 120_000,
    rtoSlopMs: 0,
    rtoFormula: 'linux',
    maxRetransmissions: 15,
    persistMinMs: 200,
    persistMaxMs: 120_000,
    maxPersistProbes: 15,
    slowStartAfterIdle: true,
    callCostUs: LINUX_CALL_COST_US,
    notes: [
      'Linux 5.19+/6.x at HZ=250: adaptive delayed ACK (40 ms floor, up to 200 ms), quick-ACK for the first 16 ACKs, ping-pong mode, ACK when the application reads pushed data.',
      'Autotuned buffers are taken at their steady state (2 x bandwidth-delay product); slow receive-window growth at connection start is not modelled.',
    ],
  },
  macos: {
    name: 'macos',
    mss: 1448,
    headerBytes: 52,
    nagle: 'bsd',
    ackPolicy: 'macos',
    delayedAckMs: 100,
    delayedAckMaxMs: 200,
    ackEverySegments: 2,
    timerTickMs: 100,
    timerLateTicks: 0,
    maxQuickAcks: 0,
    sndbufZeroCompletesAtAck: false,
    sendBufferModel: 'bsd',
    receiveWindowModel: 'bsd',
    bufferSetScale: 1,
    wmemMax: 1 << 30,
    rmemMax: 1 << 30,
    sndbufMin: 4 * KB,
    rcvbufMin: 1,
    skbOverhead: 0,
    gsoMaxSize: 0,
    sndLowat: 2048,
    rcvbufInit: 0,
    defaultSndbuf: 'auto',
    defaultRcvbuf: 'auto',
    autoBufferBase: 128 * KB,
    autoSndbufMax: 4 * KB * KB,
    autoRcvbufMax: 4 * KB * KB,
    defaultWindowScale: 6,
    initialWindowSegments: 10,
    initialRtoMs: 1000,
    minRtoMs: 30,
    maxRtoMs: 64_000,
    rtoSlopMs: 200,
    rtoFormula: 'rfc6298',
    maxRetransmissions: 12,
    persistMinMs: 5000,
    persistMaxMs: 60_000,
    maxPersistProbes: 1000,
    slowStartAfterIdle: false,
    callCostUs: LINUX_CALL_COST_US,
    callCostNote: CALL_COST_ESTIMATE_NOTE,
    notes: [
      'macOS (XNU) non-legacy ACK strategy: 100 ms delayed ACK processed by a 100 ms timer list (fires after 100-200 ms), ACK every other segment, PSH does not force an ACK. Which release switched strategy is unverified.',
      'Initial window, buffer defaults, the SO_SNDBUF floor and window scale are unverified estimates.',
    ],
  },
};

export function profileFor(name: ProfileName): TcpProfile {
  return PROFILES[name];
}
