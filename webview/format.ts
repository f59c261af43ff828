// Words and numbers the panel shows: the headline, units per workload, cause names.
// Pure functions (no DOM), unit-tested in test/webview/format.test.ts.
import type { Pattern, Scenario } from '../src/common/scenario';
import { CAUSE_NAMES, type CauseBreakdown, type CauseName } from '../src/sim/types';

export const CAUSE_KEYS = CAUSE_NAMES;
export type CauseKey = CauseName;
export type Causes = CauseBreakdown;

/** Short labels for legends and tables. */
export const CAUSE_LABELS: Record<CauseKey, string> = {
  nagle: 'Nagle hold',
  delayedAck: 'Delayed ACK',
  sendBuffer: 'Send buffer',
  window: 'Receive window',
  congestion: 'Congestion control',
  loss: 'Loss (retransmission)',
  receiver: 'Receiver not reading',
  wire: 'Wire (RTT + transmission)',
};

/** Completes "…% of the time waiting for ___". */
const CAUSE_PHRASES: Record<CauseKey, string> = {
  nagle: "Nagle's algorithm",
  delayedAck: 'delayed ACKs',
  sendBuffer: 'the send buffer',
  window: 'the receive window',
  congestion: 'congestion control',
  loss: 'retransmissions',
  receiver: 'the receiving application',
  wire: 'the wire',
};

/** What one "message" is called for each workload. */
export function unitName(pattern: Pattern, plural = true): string {
  switch (pattern) {
    case 'records': return plural ? 'records' : 'record';
    case 'bulk': return plural ? 'writes' : 'write';
    default: return plural ? 'requests' : 'request';
  }
}

/** Two significant digits, grouped: 5.0, 41,000, 0.37. */
export function formatRate(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n === 0) return '0';
  const rounded = Number(n.toPrecision(2));
  if (Math.abs(rounded) >= 100) return rounded.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return n.toPrecision(2);
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
}

/** A duration a person reads at a glance: 0.42 ms, 850 ms, 8.3 s, 33 min, 2.1 h. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const two = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(2));
  if (ms < 1000) return `${two(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${two(s)} s`;
  const min = s / 60;
  if (min < 120) return `${Math.round(min)} min`;
  return `${two(min / 60)} h`;
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(3)} kB`;
  return `${Math.round(n)} B`;
}

/** The cause that held messages longest, and its share of all waiting, or undefined when nothing waited. */
export function dominantCause(causes: Partial<Causes>): { key: CauseKey; share: number } | undefined {
  let total = 0;
  let best: CauseKey | undefined;
  for (const k of CAUSE_KEYS) {
    const v = causes[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) continue;
    total += v;
    if (best === undefined || v > (causes[best] ?? 0)) best = k;
  }
  return best && total > 0 ? { key: best, share: (causes[best] ?? 0) / total } : undefined;
}

/** The slice of a simulation result the words need. */
export interface RunSummary {
  title: string;
  pattern: Pattern;
  count: number;
  messagesPerSecond: number;
  totalTimeMs: number;
  causes: Partial<Causes>;
  /** Bulk transfers are told in Mbit/s and bytes rather than in send calls. */
  goodputMbps?: number;
  bytes?: number;
}

/** "5.0 records/s" or, for bulk, "320 Mbit/s". */
function rateOf(r: RunSummary): string {
  if (r.pattern === 'bulk' && r.goodputMbps !== undefined) return `${formatRate(r.goodputMbps)} Mbit/s`;
  return `${formatRate(r.messagesPerSecond)} ${unitName(r.pattern)}/s`;
}

function percent(share: number): string {
  const p = share * 100;
  return p >= 99.5 && p < 100 ? '99%' : `${Math.round(p)}%`;
}

/** "As written: 5.0 records/s (10,000 records in 33 min), 99% of the time waiting for delayed ACKs." */
export function describeRun(r: RunSummary): string {
  const unit = unitName(r.pattern);
  const what = r.pattern === 'bulk' && r.bytes !== undefined ? formatBytes(r.bytes) : `${formatCount(r.count)} ${r.count === 1 ? unitName(r.pattern, false) : unit}`;
  let s = `${r.title}: ${rateOf(r)} (${what} in ${formatDuration(r.totalTimeMs)})`;
  const d = dominantCause(r.causes);
  // "Waiting for the wire" is not a problem to point at; name the top cause only when it is one.
  if (d && d.key !== 'wire' && d.share >= 0.1) s += `, ${percent(d.share)} of the time waiting for ${CAUSE_PHRASES[d.key]}`;
  return `${s}.`;
}

/** The headline: the first run in full, the second as its rate, and the speed-up between them. */
export function headline(a: RunSummary | undefined, b: RunSummary | undefined): string {
  if (!a && !b) return '';
  if (!a || !b) return describeRun((a ?? b)!);
  let s = `${describeRun(a)} ${b.title}: ${rateOf(b)}`;
  // Compare what the two runs have in common: Mbit/s when both are bulk, else messages per second.
  const both = a.pattern === 'bulk' && b.pattern === 'bulk' && a.goodputMbps !== undefined && b.goodputMbps !== undefined;
  const [ra, rb] = both ? [a.goodputMbps!, b.goodputMbps!] : [a.messagesPerSecond, b.messagesPerSecond];
  if (ra > 0 && rb > 0) {
    const ratio = rb / ra;
    if (ratio >= 1.1) s += ` (${formatRate(ratio)}× faster)`;
    else if (ratio <= 1 / 1.1) s += ` (${formatRate(1 / ratio)}× slower)`;
    else s += ' (about the same)';
  }
  return `${s}.`;
}

/** A run's title: the scenario's own, else what it is in the comparison. */
export function runTitle(s: Scenario | undefined, fallback: string): string {
  // Scenarios arrive unvalidated: a title may be anything.
  const t = typeof s?.title === 'string' ? s.title.trim() : '';
  return t ? t : fallback;
}
