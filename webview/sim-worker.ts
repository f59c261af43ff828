// The simulation worker: validates a scenario and simulates it off the panel's thread, posting
// progress now and then. Everything it posts is plain data (SimResult is structured-clone safe).
import { CAUSE_NAMES, simulate, SimulationBoundError, validateScenario } from '../src/sim';
import { PANEL_RUN_LIMITS, type SimRequest, type WorkerReply } from './worker-protocol';

const post = (m: WorkerReply, transfer: Transferable[] = []) =>
  (self as unknown as { postMessage(m: WorkerReply, t: Transferable[]): void }).postMessage(m, transfer);

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
    // The first report comes after 100 ms of work, so a report always carries real progress.
    let lastPost = performance.now();
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
    // Per-message detail goes as two transferable arrays: as 20,000 small objects it takes the
    // page's thread a second or more to receive, which is the freeze the worker is there to avoid.
    const { perMessage, ...rest } = result;
    const latencies = new Float64Array(perMessage.length);
    const causes = new Float64Array(perMessage.length * CAUSE_NAMES.length);
    perMessage.forEach((m, i) => {
      latencies[i] = m.latencyMs;
      CAUSE_NAMES.forEach((c, j) => { causes[i * CAUSE_NAMES.length + j] = m.causes[c]; });
    });
    post({ type: 'result', id, result: { ...rest, perMessageLatencies: latencies, perMessageCauses: causes }, elapsedMs: performance.now() - started }, [latencies.buffer, causes.buffer]);
  } catch (err) {
    const bound = err instanceof SimulationBoundError;
    post({ type: 'error', id, bound, message: err instanceof Error ? err.message : String(err) });
  }
};
