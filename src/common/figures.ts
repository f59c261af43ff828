// How a simulation's numbers are told: which figure matters for a pattern, units, rounding, and
// the one-line comparison the CodeLens shows. Shared by the simulator panel's headline and the
// language server's CodeLens, so both say the same thing about the same runs. Pure: no DOM.
import type { Pattern } from './scenario';

/**
 * The figure an engineer asks about first: how many per second for one-way streams (records,
 * bulk), how long one exchange takes for request/response patterns.
 */
export type Figure = 'throughput' | 'latency';

export function primaryFigure(pattern: Pattern): Figure {
  return pattern === 'records' || pattern === 'bulk' ? 'throughput' : 'latency';
}

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

/** A rough number for a one-line preview: ~5, ~0.4, ~78,000, ~1.1 M. */
export function formatApprox(n: number): string {
  if (!Number.isFinite(n)) return '–';
  if (n >= 1e6) return `~${Number((n / 1e6).toPrecision(2))} M`;
  if (n >= 10) return `~${Number(n.toPrecision(2)).toLocaleString('en-US')}`;
  return `~${Number(n.toPrecision(1))}`;
}

/** A rough duration: ~44 ms, ~0.11 ms, ~2 s. */
export function formatApproxDuration(ms: number): string {
  return `~${formatDuration(ms)}`;
}

/** The numbers of one run that the one-line comparison needs. */
export interface RunFigures {
  pattern: Pattern;
  messagesPerSecond: number;
  /** Bulk: application payload per second. */
  goodputMbps?: number;
  /** Median latency of one message (one exchange for request patterns). */
  latencyP50Ms: number;
}

/**
 * The CodeLens text: the figure that matters, as written → with the fix, on the named link.
 * "Simulate on a LAN: ~5 records/s → ~78,000/s", "Simulate on a LAN: ~44 ms → ~0.11 ms per request",
 * "Simulate on a LAN: ~120 → ~940 Mbit/s".
 */
export function lensTitle(a: RunFigures, b: RunFigures, linkPhrase: string): string {
  const head = `Simulate on ${linkPhrase}:`;
  // Within 10% the fix changes nothing on this link: say so rather than "~960 → ~960".
  const same = (x: number, y: number) => x > 0 && y > 0 && Math.max(x, y) / Math.min(x, y) < 1.1;
  if (primaryFigure(a.pattern) === 'latency') {
    const per = `per ${unitName(a.pattern, false)}`;
    if (same(a.latencyP50Ms, b.latencyP50Ms)) return `${head} ${formatApproxDuration(a.latencyP50Ms)} ${per} either way`;
    return `${head} ${formatApproxDuration(a.latencyP50Ms)} → ${formatApproxDuration(b.latencyP50Ms)} ${per}`;
  }
  if (a.pattern === 'bulk' && a.goodputMbps !== undefined && b.goodputMbps !== undefined) {
    if (same(a.goodputMbps, b.goodputMbps)) return `${head} ${formatApprox(a.goodputMbps)} Mbit/s either way`;
    return `${head} ${formatApprox(a.goodputMbps)} → ${formatApprox(b.goodputMbps)} Mbit/s`;
  }
  const unit = `${unitName(a.pattern)}/s`;
  if (same(a.messagesPerSecond, b.messagesPerSecond)) return `${head} ${formatApprox(a.messagesPerSecond)} ${unit} either way`;
  return `${head} ${formatApprox(a.messagesPerSecond)} ${unit} → ${formatApprox(b.messagesPerSecond)}/s`;
}
