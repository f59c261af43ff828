// The CodeLens previews' simulations, run on a worker (lensWorker.ts on Node, lensWorker.web.ts in
// a browser) so a long simulation never delays diagnostics. Takes the two runs of a finding,
// answers with the few numbers the CodeLens shows. Pure simulator: no engine, no LSP.
import type { Scenario } from '../common/scenario';
import { simulate, SimulationBoundError } from '../sim';
import type { LensJob, LensJobResult, LensRunFigures } from './lensProtocol';

/** Far more than any finding's runs need (the README's first example takes ~50,000 events). */
const LIMITS = { maxEvents: 3_000_000, maxSimTimeMs: 24 * 3600_000, traceLimit: 0, perMessageLimit: 0 };

function figures(s: Scenario): LensRunFigures {
  const r = simulate(s, LIMITS);
  return {
    pattern: r.scenario.workload.pattern,
    profile: r.profile,
    link: { rttMs: r.scenario.link.rttMs, bandwidthMbps: r.scenario.link.bandwidthMbps, mss: r.scenario.link.mss },
    title: r.scenario.title,
    messagesPerSecond: r.messagesPerSecond,
    goodputMbps: r.goodputMbps,
    latencyP50Ms: r.latencyMs.p50,
  };
}

export function runLensJob(job: LensJob): LensJobResult {
  try {
    return { id: job.id, ok: true, runs: [figures(job.runs[0]), figures(job.runs[1])] };
  } catch (e) {
    const bound = e instanceof SimulationBoundError;
    return { id: job.id, ok: false, reason: bound ? `the simulation stopped at a limit (${e.bound})` : `the simulation failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
