// How much work a scenario needs, estimated before it runs, so a scenario that cannot finish
// within the event budget is refused at once with the reason instead of running into it minutes
// later. Every data segment that reaches the peer is one event and so is every ACK that comes back;
// those two dominate any bulk or records run.
import type { NormalizedScenario } from './types';

export interface WorkEstimate {
  events: number;
  /** The parts of the estimate, in words, for the refusal message (built only when asked for). */
  detail: () => string;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Payload bytes the workload moves, with each size range at its mean. */
function meanBytes(s: NormalizedScenario): { bytes: number; sendCalls: number; recvCalls: number } {
  const w = s.workload;
  const mean = (r: [number, number]) => (r[0] + r[1]) / 2;
  switch (w.pattern) {
    case 'bulk': {
      const calls = Math.ceil(w.totalBytes / w.writeBytes);
      return { bytes: w.totalBytes, sendCalls: calls, recvCalls: Math.ceil(w.totalBytes / w.recvBufferBytes) };
    }
    case 'records': {
      const calls = Math.ceil(w.count / w.batch);
      return { bytes: w.count * mean(w.sizeBytes), sendCalls: calls, recvCalls: 0 };
    }
    case 'write-write-read':
      return { bytes: w.count * (w.writes.reduce((a, r) => a + mean(r), 0) + w.responseBytes), sendCalls: w.count * (w.writes.length + 1), recvCalls: 2 * w.count };
    default:
      return { bytes: w.count * (mean(w.sizeBytes) + w.responseBytes), sendCalls: 2 * w.count, recvCalls: 2 * w.count };
  }
}

/**
 * Events the run will take at least about: data segments that arrive (the bytes over the MSS), the
 * ACKs that answer them (one per two segments, one per segment once losses put data out of order),
 * and a send call each when calls cost time. A lower estimate, not an upper bound: retransmissions,
 * timers and small segments only add to it.
 */
export function estimateWork(s: NormalizedScenario): WorkEstimate {
  const { bytes, sendCalls, recvCalls } = meanBytes(s);
  const loss = s.link.lossRate;
  const segments = bytes / s.link.mss;
  const acks = segments * (loss > 0 ? 1 : 0.5) * (1 - loss);
  const callCost = s.client.callCostUs > 0 || s.server.callCostUs > 0;
  const calls = callCost ? sendCalls + recvCalls : 0;
  const events = segments + acks + calls;
  const detail = () => `${fmt(segments)} data segments of at most ${s.link.mss} bytes to arrive, about ${fmt(acks)} ACKs` +
    (loss > 0 ? ` (with loss ${loss} every segment past a hole is ACKed)` : '') +
    (calls > 0 ? `, ${fmt(calls)} send and recv calls` : '');
  return { events, detail };
}
