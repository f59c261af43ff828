// Words and numbers the panel shows: the headline, units per workload, cause names.
// Pure functions (no DOM), unit-tested in test/webview/logic.test.ts.
//
// The headline is the sentence an engineer would repeat to a colleague, so it
//  - states the conditions it assumes (link, OS) in the same sentence as the numbers,
//  - gives the figure that matters for the pattern (throughput for streams, latency per request
//    for request/response), and says so when the fix makes another figure worse,
//  - phrases a gain too large for a multiplier to mean anything ("46,000×") as what goes away
//    ("each record no longer waits 200 ms for a delayed ACK"),
//  - says when the two runs are not on the same OS profile and link.
import { describeLink } from '../src/common/link';
import { formatDuration, formatRate, primaryFigure, unitName } from '../src/common/figures';
import { PROFILE_HEADLINES, type Pattern, type ProfileName, type Scenario } from '../src/common/scenario';
import { CAUSE_NAMES, type CauseBreakdown, type CauseName } from '../src/sim/types';

export { formatDuration, formatRate, unitName } from '../src/common/figures';

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

/** Completes "each record no longer waits 200 ms for ___". */
const WAIT_PHRASES: Record<CauseKey, string> = {
  nagle: "Nagle's algorithm to let it go",
  delayedAck: 'a delayed ACK',
  sendBuffer: 'room in the send buffer',
  window: 'the receive window to open',
  congestion: 'the congestion window',
  loss: 'a retransmission',
  receiver: 'the receiving application',
  wire: 'the wire',
};

/** Above this, "N× faster" says more than a model of someone else's network can back. */
export const MAX_STATED_RATIO = 10;

export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
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

/** What a run was simulated on: the part of a scenario both runs of a fair comparison share. */
export interface Conditions {
  profile: ProfileName;
  link: { rttMs: number; bandwidthMbps: number; mss: number; lossRate: number };
  /** Application cost of one send/recv call (µs) per side, where the model has it. */
  callCostUs?: { client: number; server: number };
}

/** The slice of a simulation result the words need. */
export interface RunSummary {
  title: string;
  pattern: Pattern;
  count: number;
  messagesPerSecond: number;
  totalTimeMs: number;
  /** Milliseconds per cause, summed over all messages. */
  causes: Partial<Causes>;
  latencyMs: { p50: number; p99: number; mean: number };
  /** Bulk transfers are told in Mbit/s and bytes rather than in send calls. */
  goodputMbps?: number;
  bytes?: number;
  conditions?: Conditions;
}

/** "on a LAN (0.5 ms RTT, 1 Gbit/s) with Windows 10/11". */
export function describeConditions(c: Conditions): string {
  let s = `on ${describeLink(c.link)}`;
  if (c.link.lossRate > 0) s += ` losing ${Number((c.link.lossRate * 100).toPrecision(2))}% of segments`;
  s += ` with ${PROFILE_HEADLINES[c.profile]?.label ?? c.profile}`;
  if (c.callCostUs && (c.callCostUs.client > 0 || c.callCostUs.server > 0)) {
    s += c.callCostUs.client === c.callCostUs.server
      ? `, ${formatMicros(c.callCostUs.client)} per send/recv call`
      : `, ${formatMicros(c.callCostUs.client)} / ${formatMicros(c.callCostUs.server)} per client / server call`;
  }
  return s;
}

function formatMicros(us: number): string {
  return `${Number(us.toPrecision(2))} µs`;
}

/** How two runs' conditions differ, as short phrases; empty when they are the same. */
export function conditionDifferences(a: Conditions | undefined, b: Conditions | undefined): string[] {
  if (!a || !b) return [];
  const out: string[] = [];
  if (a.profile !== b.profile) out.push(`OS profile (${PROFILE_HEADLINES[a.profile]?.label ?? a.profile} / ${PROFILE_HEADLINES[b.profile]?.label ?? b.profile})`);
  const la = a.link;
  const lb = b.link;
  if (la.rttMs !== lb.rttMs || la.bandwidthMbps !== lb.bandwidthMbps || la.mss !== lb.mss || la.lossRate !== lb.lossRate) {
    out.push(`link (${describeLink(la)} / ${describeLink(lb)})`);
  }
  const ca = a.callCostUs;
  const cb = b.callCostUs;
  if (ca && cb && (ca.client !== cb.client || ca.server !== cb.server)) out.push('application cost per call');
  return out;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "5.0 records/s" or, for bulk, "320 Mbit/s". */
function rateOf(r: RunSummary): string {
  if (r.pattern === 'bulk' && r.goodputMbps !== undefined) return `${formatRate(r.goodputMbps)} Mbit/s`;
  return `${formatRate(r.messagesPerSecond)} ${unitName(r.pattern)}/s`;
}

/** "10,000 records", "100 MB", "100 requests". */
function amountOf(r: RunSummary): string {
  if (r.pattern === 'bulk' && r.bytes !== undefined) return formatBytes(r.bytes);
  return `${formatCount(r.count)} ${unitName(r.pattern, r.count !== 1)}`;
}

function percent(share: number): string {
  const p = share * 100;
  return p >= 99.5 && p < 100 ? '99%' : `${Math.round(p)}%`;
}

/** How the fixed run is named inside a sentence: its own title when it reads as one ("with TCP_NODELAY"). */
export function fixPhrase(title: string): string {
  return /^(with|without|on|using|after|before)\b/i.test(title) ? title.charAt(0).toLowerCase() + title.slice(1) : 'with the fix';
}

/** One run alone: "On a LAN (…) with Linux, as written: 5.0 records/s (10,000 records in 33 min), 99% of the time waiting for delayed ACKs." */
export function describeRun(r: RunSummary): string {
  const where = r.conditions ? `${capitalise(describeConditions(r.conditions))}, ` : '';
  let s = `${where}${where ? r.title.charAt(0).toLowerCase() + r.title.slice(1) : r.title}: ${rateOf(r)} (${amountOf(r)} in ${formatDuration(r.totalTimeMs)})`;
  const d = dominantCause(r.causes);
  // "Waiting for the wire" is not a problem to point at; name the top cause only when it is one.
  if (d && d.key !== 'wire' && d.share >= 0.1) s += `, ${percent(d.share)} of the time waiting for ${CAUSE_PHRASES[d.key]}`;
  return `${s}.`;
}

/** Milliseconds per message for each cause (the summed causes over the message count). */
export function causesPerMessage(r: Pick<RunSummary, 'causes' | 'count'>): Causes {
  const out = {} as Causes;
  for (const k of CAUSE_KEYS) out[k] = r.count > 0 ? Math.max(0, r.causes[k] ?? 0) / r.count : 0;
  return out;
}

/**
 * What the fix takes away, per message, when one cause explains most of the gain:
 * "each record no longer waits 200 ms for a delayed ACK", "each request waits 2.0 ms instead of 44 ms for …".
 */
export function gainPhrase(a: RunSummary, b: RunSummary): string | undefined {
  const pa = causesPerMessage(a);
  const pb = causesPerMessage(b);
  const totalGain = CAUSE_KEYS.reduce((s, k) => s + pa[k], 0) - CAUSE_KEYS.reduce((s, k) => s + pb[k], 0);
  if (!(totalGain > 0)) return undefined;
  let best: CauseKey | undefined;
  for (const k of CAUSE_KEYS) {
    if (k === 'wire') continue;
    if (pa[k] - pb[k] > 0 && (best === undefined || pa[k] - pb[k] > pa[best] - pb[best])) best = k;
  }
  if (!best || pa[best] - pb[best] < 0.5 * totalGain) return undefined;
  const unit = unitName(a.pattern, false);
  const was = formatDuration(pa[best]);
  if (pb[best] < 0.05 * pa[best]) return `each ${unit} no longer waits ${was} for ${WAIT_PHRASES[best]}`;
  return `each ${unit} waits ${formatDuration(pb[best])} instead of ${was} for ${WAIT_PHRASES[best]}`;
}

const BETTER = 1.1;

/** The headline: both runs' figure that matters, under the conditions they share, and what it costs elsewhere. */
export function headline(a: RunSummary | undefined, b: RunSummary | undefined): string {
  if (!a && !b) return '';
  if (!a || !b) return describeRun((a ?? b)!);
  const differ = conditionDifferences(a.conditions, b.conditions);
  // Like with like: the conditions go first only when both runs share them.
  const where = a.conditions && differ.length === 0 ? `${capitalise(describeConditions(a.conditions))}, ` : '';
  const fix = fixPhrase(b.title);
  const unit = unitName(a.pattern, false);
  const sentences: string[] = [];
  const gain = gainPhrase(a, b);
  if (primaryFigure(a.pattern) === 'throughput') {
    const bulk = a.pattern === 'bulk' && a.goodputMbps !== undefined && b.goodputMbps !== undefined;
    const [ra, rb] = bulk ? [a.goodputMbps!, b.goodputMbps!] : [a.messagesPerSecond, b.messagesPerSecond];
    let s = `${where}${amountOf(a)}: ${rateOf(a)} as written, ${rateOf(b)} ${fix}`;
    s += compare(ra > 0 && rb > 0 ? rb / ra : NaN, 'faster', 'slower', gain);
    sentences.push(`${capitalise(s)}.`);
    // Streams are judged by throughput; say so when the fix costs latency per message.
    if (rb > ra * BETTER && b.latencyMs.p50 > a.latencyMs.p50 * 1.25 && b.latencyMs.p50 - a.latencyMs.p50 > 0.1) {
      sentences.push(`But the median latency per ${unit} rises from ${formatDuration(a.latencyMs.p50)} to ${formatDuration(b.latencyMs.p50)}.`);
    } else if (rb > ra * BETTER && b.latencyMs.p99 > a.latencyMs.p99 * 1.5 && b.latencyMs.p99 - a.latencyMs.p99 > 1) {
      sentences.push(`But the 99th-percentile latency per ${unit} rises from ${formatDuration(a.latencyMs.p99)} to ${formatDuration(b.latencyMs.p99)}.`);
    }
  } else {
    const [la, lb] = [a.latencyMs.p50, b.latencyMs.p50];
    let s = `${where}${amountOf(a)}: the median ${unit} takes ${formatDuration(la)} as written and ${formatDuration(lb)} ${fix}`;
    s += compare(la > 0 && lb > 0 ? la / lb : NaN, 'less', 'more', gain && gain.replace(`each ${unit} `, 'it '));
    sentences.push(`${capitalise(s)}.`);
    // Request patterns are judged by latency; say so when the fix costs throughput or the tail.
    if (la > lb * BETTER && b.messagesPerSecond * BETTER < a.messagesPerSecond) {
      sentences.push(`But throughput falls from ${rateOf(a)} to ${rateOf(b)}.`);
    } else if (la > lb * BETTER && b.latencyMs.p99 > a.latencyMs.p99 * 1.25 && b.latencyMs.p99 - a.latencyMs.p99 > 0.1) {
      sentences.push(`But the 99th-percentile latency rises from ${formatDuration(a.latencyMs.p99)} to ${formatDuration(b.latencyMs.p99)}.`);
    }
  }
  if (differ.length) sentences.push(`Not like for like: the runs differ in ${differ.join(' and ')}.`);
  return sentences.join(' ');
}

/** ", 1.6× faster" (a ratio a model can back), ", because each record no longer waits …" (one it cannot), ", about the same". */
function compare(ratio: number, better: string, worse: string, gain: string | undefined): string {
  if (!Number.isFinite(ratio)) return '';
  if (ratio >= BETTER) {
    if (ratio <= MAX_STATED_RATIO) return ` (${formatRate(ratio)}× ${better})`;
    return gain ? `, because ${gain}` : '';
  }
  if (ratio <= 1 / BETTER) return 1 / ratio <= MAX_STATED_RATIO ? ` (${formatRate(1 / ratio)}× ${worse})` : '';
  return ' (about the same)';
}

/** A run's title: the scenario's own, else what it is in the comparison. */
export function runTitle(s: Scenario | undefined, fallback: string): string {
  // Scenarios arrive unvalidated: a title may be anything.
  const t = typeof s?.title === 'string' ? s.title.trim() : '';
  return t ? t : fallback;
}
