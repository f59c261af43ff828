// Simulator speed: wall time of KB case study 1 (10,000 records, each stalling ~200 ms of simulated
// time), and simulated events per second on a bulk transfer. Each figure is the median of several
// runs after one warm-up run (JIT), all measured in this one process.
import { simulate, PRESETS } from '../src/sim/index';
import type { Scenario } from '../src/common/scenario';

const REPEATS = 7;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall and CPU time (CPU is steadier on a loaded machine; it includes the GC's helper threads). */
function measure(scenario: Scenario): { wallMs: number; cpuMs: number; coldMs: number; events: number; simulatedMs: number } {
  let t = performance.now();
  const first = simulate(scenario);
  const coldMs = performance.now() - t;
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const cpu = process.cpuUsage();
    t = performance.now();
    simulate(scenario);
    walls.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  return { wallMs: median(walls), cpuMs: median(cpus), coldMs, events: first.events, simulatedMs: first.totalTimeMs };
}

export default {
  name: 'simulator',
  async run() {
    const case1 = PRESETS.find((p) => p.id === 'kb-case-1-records-sndbuf-zero')!.scenario;
    const bulk = PRESETS.find((p) => p.id === 'bulk-long-fat-link')!.scenario;
    const c1 = measure(case1);
    const b = measure(bulk);
    return {
      'case 1 (10,000 records) wall ms, median': c1.wallMs,
      'case 1 CPU ms, median': c1.cpuMs,
      'case 1 wall ms, first (cold) run': c1.coldMs,
      'case 1 simulated time / wall time': c1.simulatedMs / c1.wallMs,
      'case 1 events': c1.events,
      'case 1 events per second': c1.events / (c1.wallMs / 1000),
      'bulk 100 MB over 80 ms RTT wall ms, median': b.wallMs,
      'bulk CPU ms, median': b.cpuMs,
      'bulk events': b.events,
      'bulk events per second': b.events / (b.wallMs / 1000),
    };
  },
};
