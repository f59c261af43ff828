// The simulation worker: validates a scenario and simulates it off the panel's thread, posting
// progress now and then. Everything it posts is plain data (SimResult is structured-clone safe).
import { simulate, SimulationBoundError, validateScenario } from '../src/sim';
import { PANEL_RUN_LIMITS, type SimRequest, type WorkerReply } from './worker-protocol';

const post = (m: WorkerReply) => (self as unknown as { postMessage(m: WorkerReply): void }).postMessage(m);

// Proof for the panel (and its tests) that this really is a worker, not the page's thread.
const WorkerScope = (globalThis as { WorkerGlobalScope?: abstract new () => unknown }).WorkerGlobalScope;
post({ type: 'hello', inWorker: typeof WorkerScope === 'function' && self instanceof WorkerScope && typeof document === 'undefined' });

self.onmessage = (e: MessageEvent<SimRequest>) => {
  const req = e.data;
  const id = typeof req?.id === 'number' ? req.id : -1;
  const started = performance.now();
  try {
    const v = validateScenario(req?.scenario);
    if (!v.ok) {
      post({ type: 'error', id, bound: false, message: v.errors.map((x) => `${x.path}: ${x.message}`).join('; ') });
      return;
    }
    let lastPost = 0;
    // simulate() validates again; it takes the scenario as written.
    const result = simulate(req.scenario, {
      ...PANEL_RUN_LIMITS,
      perMessageLimit: 20_000,
      onProgress: (fraction) => {
        const now = performance.now();
        if (now - lastPost < 100) return;
        lastPost = now;
        post({ type: 'progress', id, fraction });
      },
    });
    post({ type: 'result', id, result, elapsedMs: performance.now() - started });
  } catch (err) {
    const bound = err instanceof SimulationBoundError;
    post({ type: 'error', id, bound, message: err instanceof Error ? err.message : String(err) });
  }
};
