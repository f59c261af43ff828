// The simulator's input, shared by the engine (findings carry one), the simulator, the CLI and
// the webview. Types only plus the profile headline numbers: neither the engine nor the simulator
// imports the other; both import this.

export const PROFILE_NAMES = ['windows-legacy', 'windows-modern', 'linux', 'macos'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export const PATTERNS = ['records', 'request-response', 'write-write-read', 'two-channel', 'bulk'] as const;
export type Pattern = (typeof PATTERNS)[number];

/** A number, or [min, max] drawn uniformly with the link's seed. */
export type SizeSpec = number | [number, number];

export interface LinkSpec {
  rttMs?: number;
  bandwidthMbps?: number;
  mss?: number;
  lossRate?: number;
  seed?: number;
}

export interface EndpointSpec {
  nodelay?: boolean;
  /** 0 = Winsock "complete at ACK" semantics on Windows profiles, the OS clamp elsewhere. */
  sndbuf?: number;
  rcvbuf?: number;
  /**
   * Microseconds of application and system-call time per send() or recv() call on this side
   * (0 to 1000; omitted = the profile's default, measured on Linux by harness/src/callcost.c).
   */
  callCostUs?: number;
}

export interface ServerSpec extends EndpointSpec {
  /** SO_RCVBUF set after accept(): the window scale was fixed by the SYN. */
  rcvbufAfterAccept?: boolean;
  /** The receiver re-arms TCP_QUICKACK after every read (Linux). */
  quickack?: boolean;
}

export interface WorkloadSpec {
  pattern: Pattern;
  count?: number;
  sizeBytes?: SizeSpec;
  batch?: number;
  writes?: SizeSpec[] | number[];
  responseBytes?: number;
  recvBufferBytes?: number;
  totalBytes?: number;
  writeBytes?: number;
  thinkTimeMs?: number;
  nonBlocking?: boolean;
  /** Overlapped (WSASend) sends kept outstanding at once; 1 = a plain blocking send. */
  overlappedSends?: number;
  /** The receiving application pauses this long before each recv() (a slow reader). */
  readDelayMs?: number;
}

export interface Scenario {
  /** Shown in the simulator panel's headline ("As written", "With TCP_NODELAY"). */
  title?: string;
  profile?: ProfileName;
  link?: LinkSpec;
  client?: EndpointSpec;
  server?: ServerSpec;
  workload: WorkloadSpec;
}

/**
 * The few per-OS numbers the lint messages quote. The simulator's full profiles live in
 * src/sim and must agree with these (test/sim checks it).
 */
export interface ProfileHeadline {
  label: string;
  delayedAckMs: number;
  /** Winsock's "a send completes when its data is ACKed" meaning of SO_SNDBUF = 0. */
  sndbufZeroCompletesAtAck: boolean;
  nagle: 'classic' | 'minshall' | 'bsd';
}

export const PROFILE_HEADLINES: Record<ProfileName, ProfileHeadline> = {
  'windows-legacy': { label: 'Windows (legacy, 200 ms delayed ACK)', delayedAckMs: 200, sndbufZeroCompletesAtAck: true, nagle: 'classic' },
  'windows-modern': { label: 'Windows 10/11', delayedAckMs: 40, sndbufZeroCompletesAtAck: true, nagle: 'classic' },
  linux: { label: 'Linux', delayedAckMs: 40, sndbufZeroCompletesAtAck: false, nagle: 'minshall' },
  macos: { label: 'macOS', delayedAckMs: 100, sndbufZeroCompletesAtAck: false, nagle: 'bsd' },
};

export const DEFAULT_PROFILE: ProfileName = 'windows-modern';

/** What settings and config files accept: a profile, or `auto` (chosen per file by the API it uses). */
export const PROFILE_SETTINGS = ['auto', ...PROFILE_NAMES] as const;
export type ProfileSetting = (typeof PROFILE_SETTINGS)[number];
