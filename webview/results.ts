// What the panel reads from a simulation result. The result crosses a worker boundary, so it is
// checked here like any other message; a result that does not fit is reported, not drawn.
// Also the derived data the charts, tables and CSV share (so they cannot disagree).
import { CAUSE_KEYS, type Causes } from './format';

export interface TraceEntry {
  time: number;
  from: 'client' | 'server';
  kind: string;
  channel: number;
  seq?: number;
  len?: number;
  ack?: number;
  win?: number;
  note?: string;
  /** Segments: when it reached the peer (absent when lost). */
  arriveTime?: number;
  /** Spans the panel derives (a hold, a running timer): when it started; `time` is when it ended. */
  startTime?: number;
}

export interface RunView {
  messagesPerSecond: number;
  totalTimeMs: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  latencies: number[];
  perMessageCauses: Causes[];
  packets: TraceEntry[];
  causes: Causes;
  /** Application payload per second (Mbit/s), and the bytes a bulk transfer moved. */
  goodputMbps?: number;
  bytes?: number;
  /** Messages simulated (perMessage may hold only the first of them). */
  messages: number;
  notes: string[];
  /** Counters shown next to the run: data segments, pure ACKs, delayed-ACK timers fired, ... */
  counters: { label: string; value: number }[];
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function causesOf(v: unknown): Causes | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const out = {} as Causes;
  for (const k of CAUSE_KEYS) {
    const x = o[k] ?? 0;
    if (!num(x)) return undefined;
    out[k] = x;
  }
  return out;
}

export function readResult(r: unknown): { ok: true; view: RunView } | { ok: false; error: string } {
  if (typeof r !== 'object' || r === null) return { ok: false, error: 'the simulator returned no result' };
  const o = r as Record<string, unknown>;
  if (!num(o.messagesPerSecond) || !num(o.totalTimeMs)) return { ok: false, error: 'result lacks messagesPerSecond / totalTimeMs' };
  const lat = o.latencyMs as Record<string, unknown> | undefined;
  if (!lat || !['p50', 'p90', 'p99', 'max'].every((k) => num(lat[k]))) return { ok: false, error: 'result lacks latency percentiles' };
  const causes = causesOf(o.causes);
  if (!causes) return { ok: false, error: 'result lacks the cause breakdown' };
  const latencies: number[] = [];
  const perMessageCauses: Causes[] = [];
  if (o.perMessageLatencies instanceof Float64Array && o.perMessageCauses instanceof Float64Array) {
    // The worker's compact form (webview/sim-worker.ts): one row of CAUSE_KEYS per message.
    const lat = o.perMessageLatencies;
    const cm = o.perMessageCauses;
    const w = CAUSE_KEYS.length;
    if (cm.length !== lat.length * w) return { ok: false, error: 'per-message causes do not match the latencies' };
    for (let i = 0; i < lat.length; i++) {
      if (!num(lat[i])) return { ok: false, error: 'a per-message latency is not a number' };
      latencies.push(lat[i]!);
      const c = {} as Causes;
      CAUSE_KEYS.forEach((k, j) => { c[k] = cm[i * w + j]!; });
      perMessageCauses.push(c);
    }
  } else if (Array.isArray(o.perMessage)) {
    for (const m of o.perMessage as unknown[]) {
      const e = m as Record<string, unknown> | null;
      if (!e || !num(e.latencyMs)) return { ok: false, error: 'a per-message entry lacks its latency' };
      latencies.push(e.latencyMs);
      perMessageCauses.push(causesOf(e.causes) ?? zeroCauses());
    }
  }
  const packets: TraceEntry[] = [];
  if (Array.isArray(o.packets)) {
    for (const p of o.packets as unknown[]) {
      const e = p as Record<string, unknown> | null;
      if (!e || !num(e.t) || typeof e.kind !== 'string') continue;
      packets.push({
        time: e.t,
        from: e.from === 'server' ? 'server' : 'client',
        kind: e.kind,
        channel: num(e.channel) ? e.channel : 0,
        seq: num(e.seq) ? e.seq : undefined,
        len: num(e.len) ? e.len : undefined,
        ack: num(e.ack) ? e.ack : undefined,
        win: num(e.win) ? e.win : undefined,
        note: typeof e.note === 'string' ? e.note : undefined,
        arriveTime: num(e.arriveT) ? e.arriveT : undefined,
      });
    }
  }
  const mean = num(lat.mean) ? lat.mean : latencies.length ? latencies.reduce((a, b) => a + b, 0) / latencies.length : NaN;
  return {
    ok: true,
    view: {
      messagesPerSecond: o.messagesPerSecond,
      totalTimeMs: o.totalTimeMs,
      latencyMs: { p50: lat.p50 as number, p90: lat.p90 as number, p99: lat.p99 as number, max: lat.max as number, mean },
      latencies,
      perMessageCauses,
      packets,
      causes,
      messages: num(o.messages) ? o.messages : latencies.length,
      goodputMbps: num(o.goodputMbps) ? o.goodputMbps : undefined,
      bytes: bulkBytes(o.scenario),
      notes: Array.isArray(o.notes) ? (o.notes as unknown[]).filter((n): n is string => typeof n === 'string') : [],
      counters: counters(o),
    },
  };
}

function bulkBytes(s: unknown): number | undefined {
  const w = (s as { workload?: { pattern?: unknown; totalBytes?: unknown } } | undefined)?.workload;
  return w?.pattern === 'bulk' && num(w.totalBytes) ? w.totalBytes : undefined;
}

function counters(o: Record<string, unknown>): { label: string; value: number }[] {
  const out: { label: string; value: number }[] = [];
  const add = (label: string, v: unknown) => { if (num(v)) out.push({ label, value: v }); };
  const seg = (o.segments ?? {}) as Record<string, unknown>;
  const tim = (o.timers ?? {}) as Record<string, unknown>;
  add('Data segments', seg.data);
  add('Pure ACKs', seg.pureAcks);
  add('Retransmissions', seg.retransmissions);
  add('Window updates', seg.windowUpdates);
  add('Zero-window probes', seg.probes);
  add('Delayed-ACK timers fired', tim.delayedAck);
  add('Retransmission timeouts', tim.rto);
  add('Persist timers fired', tim.persist);
  add('WOULDBLOCK returns', o.wouldBlock);
  add('Events simulated', o.events);
  return out;
}

/** Points of the latency CDF: at most `maxPoints` (x = latency ms, y = % of messages at or below). */
export function cdfPoints(latencies: readonly number[], maxPoints = 200): { x: number; y: number }[] {
  if (latencies.length === 0) return [];
  const sorted = [...latencies].sort((a, b) => a - b);
  const n = sorted.length;
  const step = Math.max(1, Math.floor(n / maxPoints));
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < n; i += step) out.push({ x: sorted[i]!, y: ((i + 1) / n) * 100 });
  if (out[out.length - 1]!.y !== 100) out.push({ x: sorted[n - 1]!, y: 100 });
  return out;
}

function csvField(v: string | number): string {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(Math.round(v * 1e6) / 1e6) : '') : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per message per run: the latency and how long each cause held it. */
export function resultsCsv(runs: readonly { title: string; view: RunView }[]): string {
  const header = ['run', 'message', 'latency_ms', ...CAUSE_KEYS.map((k) => `${k}_ms`)];
  const lines = [header.join(',')];
  for (const r of runs) {
    r.view.latencies.forEach((lat, i) => {
      const c = r.view.perMessageCauses[i]!;
      lines.push([r.title, i + 1, lat, ...CAUSE_KEYS.map((k) => c[k])].map(csvField).join(','));
    });
  }
  return `${lines.join('\r\n')}\r\n`;
}

function zeroCauses(): Causes {
  const out = {} as Causes;
  for (const k of CAUSE_KEYS) out[k] = 0;
  return out;
}
