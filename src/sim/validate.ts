// validateScenario(): untrusted JSON -> NormalizedScenario, or every problem with the field it is in.
// Hand-written rather than a JSON-schema validator because it runs inside the webview's Web Worker
// under a CSP without 'unsafe-eval' (Ajv compiles validators with `new Function`), and because it
// also fills in the profile's defaults and checks cross-field limits (min <= max, total bytes).
import { DEFAULT_PROFILE, PATTERNS, PROFILE_NAMES, type Pattern, type ProfileName } from '../common/scenario';
import { PROFILES, type TcpProfile } from './profiles';
import type { NormalizedEndpoint, NormalizedScenario, NormalizedWorkload, ValidationError, ValidationResult } from './types';

/** Limits that keep one simulation to seconds of wall time; the CLI and webview quote them in errors. */
export const LIMITS = {
  maxCount: 1_000_000,
  maxMessageBytes: 64 * 1024 * 1024,
  /** Bytes one scenario may move in total (all messages, both directions). */
  maxTotalBytes: 1_000_000_000,
  maxBufferBytes: 1 << 30,
  maxRttMs: 60_000,
  maxBandwidthMbps: 1_000_000,
  minBandwidthMbps: 0.001,
  minMss: 88, // TCP_MIN_MSS
  maxMss: 65_495,
  maxLossRate: 0.5,
  maxWrites: 64,
  maxOverlappedSends: 64,
  maxBatch: 100_000,
  maxPauseMs: 3_600_000,
  /**
   * Per-call application cost, µs. A send or recv system call costs about 1 µs on current hardware
   * (harness/results/call-cost.json); 1000 µs is far beyond any system call: slower application
   * work per message belongs in workload.thinkTimeMs / readDelayMs.
   */
  maxCallCostUs: 1000,
  maxTitleLength: 200,
} as const;

type Obj = Record<string, unknown>;

class Checker {
  readonly errors: ValidationError[] = [];

  fail(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  /** An optional sub-object: undefined -> {}; anything else but a plain object is an error. */
  object(value: unknown, path: string, allowed: readonly string[]): Obj {
    if (value === undefined) return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `must be an object (got ${describe(value)})`);
      return {};
    }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(join(path, key), `unknown field (expected one of: ${allowed.join(', ')})`);
    }
    return value as Obj;
  }

  number(obj: Obj, key: string, path: string, min: number, max: number, fallback: number, integer: boolean): number {
    const value = obj[key];
    if (value === undefined) return fallback;
    const where = join(path, key);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(where, `must be a number (got ${describe(value)})`);
      return fallback;
    }
    if (integer && !Number.isInteger(value)) {
      this.fail(where, `must be a whole number (got ${value})`);
      return fallback;
    }
    if (value < min || value > max) {
      this.fail(where, `must be between ${min} and ${max} (got ${value})`);
      return fallback;
    }
    return value;
  }

  boolean(obj: Obj, key: string, path: string, fallback: boolean): boolean {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.fail(join(path, key), `must be true or false (got ${describe(value)})`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(obj: Obj, key: string, path: string, choices: readonly T[], fallback: T | undefined): T | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (fallback === undefined) this.fail(join(path, key), `is required (one of: ${choices.join(', ')})`);
      return fallback;
    }
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      this.fail(join(path, key), `must be one of: ${choices.join(', ')} (got ${describe(value)})`);
      return fallback;
    }
    return value as T;
  }

  /** A size: a whole number of bytes, or [min, max] drawn uniformly. */
  size(value: unknown, path: string, min: number, fallback: [number, number]): [number, number] {
    if (value === undefined) return fallback;
    const max = LIMITS.maxMessageBytes;
    const ok = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
    if (ok(value)) return [value, value];
    if (Array.isArray(value) && value.length === 2 && ok(value[0]) && ok(value[1])) {
      if (value[0] > value[1]) {
        this.fail(path, `range [min, max] must have min <= max (got [${value[0]}, ${value[1]}])`);
        return fallback;
      }
      return [value[0], value[1]];
    }
    this.fail(path, `must be a whole number of bytes between ${min} and ${max}, or [min, max] (got ${describe(value)})`);
    return fallback;
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const ENDPOINT_KEYS = ['nodelay', 'sndbuf', 'rcvbuf', 'rcvbufAfterAccept', 'quickack', 'callCostUs'] as const;

function endpoint(c: Checker, input: unknown, path: string, p: TcpProfile): NormalizedEndpoint {
  const o = c.object(input, path, ENDPOINT_KEYS);
  // null (as a NormalizedScenario carries it) means "not set", like an omitted field.
  const optionalBuffer = (key: 'sndbuf' | 'rcvbuf', min: number): number | null =>
    o[key] === undefined || o[key] === null ? null : c.number(o, key, path, min, LIMITS.maxBufferBytes, min, true);
  return {
    nodelay: c.boolean(o, 'nodelay', path, false),
    sndbuf: optionalBuffer('sndbuf', 0),
    rcvbuf: optionalBuffer('rcvbuf', 1),
    rcvbufAfterAccept: c.boolean(o, 'rcvbufAfterAccept', path, false),
    quickack: c.boolean(o, 'quickack', path, false),
    callCostUs: c.number(o, 'callCostUs', path, 0, LIMITS.maxCallCostUs, p.callCostUs, false),
  };
}

const WORKLOAD_KEYS = [
  'pattern', 'count', 'sizeBytes', 'batch', 'writes', 'responseBytes', 'recvBufferBytes', 'totalBytes', 'writeBytes',
  'thinkTimeMs', 'nonBlocking', 'overlappedSends', 'readDelayMs',
] as const;

function workload(c: Checker, input: unknown): NormalizedWorkload | undefined {
  if (input === undefined) {
    c.fail('workload', 'is required (an object with at least "pattern")');
    return undefined;
  }
  const path = 'workload';
  const o = c.object(input, path, WORKLOAD_KEYS);
  const pattern = c.oneOf<Pattern>(o, 'pattern', path, PATTERNS, undefined);
  const isRecords = pattern === 'records';
  const count = c.number(o, 'count', path, 1, LIMITS.maxCount, isRecords ? 1000 : 100, true);
  const sizeBytes = c.size(o.sizeBytes, 'workload.sizeBytes', 1, isRecords ? [20, 100] : [100, 100]);
  let writes: [number, number][] = [[20, 20], [20, 20]];
  if (o.writes !== undefined) {
    if (!Array.isArray(o.writes) || o.writes.length < 1 || o.writes.length > LIMITS.maxWrites) {
      c.fail('workload.writes', `must be an array of 1 to ${LIMITS.maxWrites} sizes (got ${describe(o.writes)})`);
    } else {
      writes = o.writes.map((w: unknown, i: number) => c.size(w, `workload.writes[${i}]`, 1, [20, 20]));
    }
  }
  const w: NormalizedWorkload = {
    pattern: pattern ?? 'records',
    count,
    sizeBytes,
    batch: c.number(o, 'batch', path, 1, LIMITS.maxBatch, 1, true),
    writes,
    responseBytes: c.number(o, 'responseBytes', path, 1, LIMITS.maxMessageBytes, 64, true),
    recvBufferBytes: c.number(o, 'recvBufferBytes', path, 1, LIMITS.maxMessageBytes, 8192, true),
    totalBytes: c.number(o, 'totalBytes', path, 1, LIMITS.maxTotalBytes, 10_000_000, true),
    writeBytes: c.number(o, 'writeBytes', path, 1, LIMITS.maxMessageBytes, 65_536, true),
    thinkTimeMs: c.number(o, 'thinkTimeMs', path, 0, LIMITS.maxPauseMs, 0, false),
    nonBlocking: c.boolean(o, 'nonBlocking', path, false),
    overlappedSends: c.number(o, 'overlappedSends', path, 1, LIMITS.maxOverlappedSends, 1, true),
    readDelayMs: c.number(o, 'readDelayMs', path, 0, LIMITS.maxPauseMs, 0, false),
  };
  // Cross-field limits: how many bytes the whole scenario moves.
  const moved = totalBytesMoved(w);
  if (moved > LIMITS.maxTotalBytes) {
    const field = w.pattern === 'bulk' ? 'workload.totalBytes' : 'workload.count';
    c.fail(field, `the scenario would move up to ${moved} bytes, more than the ${LIMITS.maxTotalBytes} a simulation may move`);
  }
  if (w.pattern === 'bulk' && Math.ceil(w.totalBytes / w.writeBytes) > LIMITS.maxCount) {
    c.fail('workload.writeBytes', `totalBytes / writeBytes is ${Math.ceil(w.totalBytes / w.writeBytes)} send calls, more than ${LIMITS.maxCount}`);
  }
  return w;
}

/** Upper bound of the payload bytes a workload moves (both directions). */
export function totalBytesMoved(w: NormalizedWorkload): number {
  switch (w.pattern) {
    case 'bulk':
      return w.totalBytes;
    case 'records':
      return w.count * w.sizeBytes[1];
    case 'request-response':
    case 'two-channel':
      return w.count * (w.sizeBytes[1] + w.responseBytes);
    case 'write-write-read':
      return w.count * (w.writes.reduce((s, r) => s + r[1], 0) + w.responseBytes);
  }
}

export function validateScenario(input: unknown): ValidationResult {
  if (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '', message: `a scenario must be a JSON object (got ${describe(input)})` }] };
  }
  const c = new Checker();
  const top = c.object(input, '', ['title', 'profile', 'link', 'client', 'server', 'workload']);
  let title = '';
  if (top.title !== undefined) {
    if (typeof top.title !== 'string' || top.title.length > LIMITS.maxTitleLength) {
      c.fail('title', `must be a string of at most ${LIMITS.maxTitleLength} characters`);
    } else title = top.title;
  }
  const profile = c.oneOf<ProfileName>(top, 'profile', '', PROFILE_NAMES, DEFAULT_PROFILE) ?? DEFAULT_PROFILE;
  const p = PROFILES[profile];
  const l = c.object(top.link, 'link', ['rttMs', 'bandwidthMbps', 'mss', 'lossRate', 'seed']);
  const link = {
    rttMs: c.number(l, 'rttMs', 'link', 0, LIMITS.maxRttMs, 1, false),
    bandwidthMbps: c.number(l, 'bandwidthMbps', 'link', LIMITS.minBandwidthMbps, LIMITS.maxBandwidthMbps, 1000, false),
    mss: c.number(l, 'mss', 'link', LIMITS.minMss, LIMITS.maxMss, p.mss, true),
    lossRate: c.number(l, 'lossRate', 'link', 0, LIMITS.maxLossRate, 0, false),
    seed: c.number(l, 'seed', 'link', -(2 ** 31), 2 ** 31 - 1, 1, true),
  };
  const client = endpoint(c, top.client, 'client', p);
  const server = endpoint(c, top.server, 'server', p);
  const w = workload(c, top.workload);
  if (c.errors.length > 0 || !w) return { ok: false, errors: c.errors };
  return { ok: true, scenario: { title, profile, link, client, server, workload: w } };
}
