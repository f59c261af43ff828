import { simulate } from '../src/sim/index';
import data from '../harness/results/linux-measured.json';
const f = (v: number) => +v.toPrecision(4);
for (const c of (data as any).cases) {
  try {
    const t0 = performance.now();
    const r = simulate(c.scenario);
    const m = c.measured;
    console.log(c.id.padEnd(42), 'p50', f(m.latencyMs.p50), '→', f(r.latencyMs.p50), '| p90', f(m.latencyMs.p90), '→', f(r.latencyMs.p90), '| msg/s', f(m.messagesPerSecond), '→', f(r.messagesPerSecond), '| first', f(m.latencyMs.first), '→', f(r.perMessage[0].latencyMs), '| segs', c.observed.clientDataSegsOut, '→', r.segments.data, 'wall', (performance.now()-t0).toFixed(0));
  } catch (e) { console.log(c.id, 'ERR', (e as Error).message); }
}
