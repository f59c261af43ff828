// Scenario builders: the pattern a finding describes, in the simulator's input format, with the
// numbers the code shows (sizes from literals or sizeof, counts from constant loop bounds).
import type { ProfileName, Scenario, SizeSpec } from '../../../common/scenario';
import type { SocketOp } from '../../model';

/** A sample count for the simulator when the code's loop bound is not a constant. */
export const DEFAULT_COUNT = 1000;
const MAX_COUNT = 100_000;

/** The iteration count when a loop around the op has a constant bound, else undefined. */
export function knownLoopCount(op: SocketOp): number | undefined {
  return op.loops.map((l) => l.constantBound).find((b) => b !== undefined);
}

export function loopCount(op: SocketOp): number {
  const bound = op.loops.map((l) => l.constantBound).find((b) => b !== undefined);
  return Math.min(MAX_COUNT, Math.max(1, bound ?? DEFAULT_COUNT));
}

export function sizeOf(op: SocketOp | undefined, fallback: SizeSpec): SizeSpec {
  const v = op?.length?.value;
  return v !== undefined && v > 0 && v <= 16 * 1024 * 1024 ? v : fallback;
}

export function recordsScenario(profile: ProfileName, title: string, o: {
  count: number; sizeBytes: SizeSpec; sndbuf?: number; nodelay?: boolean; batch?: number;
}): Scenario {
  return {
    title, profile,
    client: { nodelay: o.nodelay ?? false, ...(o.sndbuf !== undefined ? { sndbuf: o.sndbuf } : {}) },
    workload: { pattern: 'records', count: o.count, sizeBytes: o.sizeBytes, batch: o.batch ?? 1, recvBufferBytes: 200 },
  };
}

export function writeWriteReadScenario(profile: ProfileName, title: string, o: {
  count: number; writes: SizeSpec[]; responseBytes: number; nodelay?: boolean;
}): Scenario {
  return {
    title, profile,
    client: { nodelay: o.nodelay ?? false },
    workload: { pattern: 'write-write-read', count: o.count, writes: o.writes as number[], responseBytes: o.responseBytes },
  };
}

export function twoChannelScenario(profile: ProfileName, title: string, o: {
  count: number; sizeBytes: SizeSpec; responseBytes: number; nodelay?: boolean; singleConnection?: boolean;
}): Scenario {
  return {
    title, profile,
    client: { nodelay: o.nodelay ?? false },
    server: { nodelay: o.nodelay ?? false },
    workload: {
      pattern: o.singleConnection ? 'request-response' : 'two-channel',
      count: o.count, sizeBytes: o.sizeBytes, responseBytes: o.responseBytes,
    },
  };
}

export function bulkScenario(profile: ProfileName, title: string, o: {
  rcvbuf: number; rcvbufAfterAccept: boolean; rttMs?: number; totalBytes?: number;
}): Scenario {
  return {
    title, profile,
    link: { rttMs: o.rttMs ?? 50, bandwidthMbps: 1000 },
    server: { rcvbuf: o.rcvbuf, rcvbufAfterAccept: o.rcvbufAfterAccept },
    workload: { pattern: 'bulk', totalBytes: o.totalBytes ?? 50_000_000, writeBytes: 65536 },
  };
}
