// Turns the simulator's trace (instants: a segment left, a timer fired, send() returned) into the
// spans the ladder diagram draws as bars: how long data sat before it left (a Nagle hold), how
// long a send() call blocked, how long a delayed-ACK or persist timer ran. Everything here is
// derived from the trace itself; nothing is assumed beyond the scenario's Nagle setting and MSS.
// Pure, unit-tested in test/webview/trace.test.ts.
import type { TraceEntry } from './results';

/** Spans shorter than this (ms) are not worth a bar. */
const MIN_SPAN_MS = 0.05;

export interface TraceContext {
  nodelay: { client: boolean; server: boolean };
  mss: number;
}

type Side = 'client' | 'server';
const key = (side: Side, channel: number) => `${side}/${channel}`;

export function deriveSpans(entries: readonly TraceEntry[], ctx: TraceContext): TraceEntry[] {
  const spans: TraceEntry[] = [];
  // Application send calls per side and channel, as [time, first byte, last byte + 1].
  const sends = new Map<string, { t: number; from: number; to: number }[]>();
  const written = new Map<string, number>();
  const pendingSend = new Map<string, TraceEntry[]>();
  for (const e of entries) {
    const k = key(e.from, e.channel);
    if (e.kind === 'app-send' && e.len !== undefined) {
      const start = e.seq ?? written.get(k) ?? 0;
      written.set(k, start + e.len);
      (sends.get(k) ?? sends.set(k, []).get(k)!).push({ t: e.time, from: start, to: start + e.len });
      (pendingSend.get(k) ?? pendingSend.set(k, []).get(k)!).push(e);
    } else if (e.kind === 'app-send-done') {
      const call = pendingSend.get(k)?.shift();
      if (call && e.time - call.time >= MIN_SPAN_MS) {
        spans.push({ kind: 'span', from: e.from, channel: e.channel, startTime: call.time, time: e.time, note: 'blocked in send()' });
      }
    } else if (e.kind === 'data' && e.seq !== undefined && e.note !== 'retransmission') {
      // The data waited from the send() call that wrote its first byte until it left.
      const call = sends.get(k)?.find((s) => e.seq! >= s.from && e.seq! < s.to);
      if (call && e.time - call.t >= MIN_SPAN_MS) {
        const nagle = !ctx.nodelay[e.from] && (e.len ?? 0) < ctx.mss;
        spans.push({ kind: 'span', from: e.from, channel: e.channel, startTime: call.t, time: e.time, note: nagle ? 'Nagle hold' : 'waiting to send' });
      }
    } else if (e.kind === 'timer') {
      const start = timerStart(entries, e);
      if (start !== undefined && e.time - start >= MIN_SPAN_MS) {
        spans.push({ kind: 'span', from: e.from, channel: e.channel, startTime: start, time: e.time, note: `${e.note === 'delayed-ack' ? 'delayed-ACK' : e.note ?? ''} timer`.trim() });
      }
    }
  }
  return spans;
}

/** When a timer that fired at `fired.time` was armed, read from the segments around it. */
function timerStart(entries: readonly TraceEntry[], fired: TraceEntry): number | undefined {
  const side = fired.from;
  const peer: Side = side === 'client' ? 'server' : 'client';
  const sameChannel = (e: TraceEntry) => e.channel === fired.channel;
  const note = (fired.note ?? '').toLowerCase();
  if (note.includes('delayed')) {
    // Armed by the first data to arrive after this side last sent an ACK.
    let lastAckSent = -Infinity;
    for (const e of entries) {
      if (e.time >= fired.time) break;
      if (sameChannel(e) && e.from === side && (e.kind === 'data' || e.kind === 'ack' || e.kind === 'window-update')) lastAckSent = e.time;
    }
    let first: number | undefined;
    for (const e of entries) {
      if (!sameChannel(e) || e.from !== peer || e.kind !== 'data' || e.arriveTime === undefined) continue;
      if (e.arriveTime > lastAckSent && e.arriveTime <= fired.time) first = Math.min(first ?? Infinity, e.arriveTime);
    }
    return first;
  }
  if (note.includes('persist')) {
    // Armed when the peer's zero window arrived (or when the previous probe went out).
    let start: number | undefined;
    for (const e of entries) {
      if (!sameChannel(e) || e.time >= fired.time) continue;
      if (e.from === peer && e.win === 0 && e.arriveTime !== undefined && e.arriveTime <= fired.time) start = e.arriveTime;
      if (e.from === side && e.kind === 'timer' && (e.note ?? '').toLowerCase().includes('persist')) start = e.time;
    }
    return start;
  }
  return undefined;
}
