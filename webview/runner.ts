// Runs simulations off the page's thread. One worker per run slot (as written / with fix), so
// both runs go in parallel; a new request for a slot ends the stale one by terminating its worker.
import type { Scenario } from '../src/common/scenario';
import type { SimRequest, WorkerReply } from './worker-protocol';

export type RunOutcome =
  | { ok: true; result: unknown; elapsedMs: number }
  | { ok: false; message: string; bound: boolean; superseded?: boolean };

/** A run that takes longer than this is stopped and reported; the simulator's own limits normally come first. */
const RUN_TIMEOUT_MS = 60_000;

let blobUrl: Promise<string> | undefined;

/**
 * A webview page may not start a worker from the extension's resource origin, so the worker
 * script is fetched from there and started from a same-origin blob (CSP: worker-src blob:).
 */
function workerBlobUrl(scriptUrl: string): Promise<string> {
  blobUrl ??= fetch(scriptUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`could not load the simulator (${r.status})`);
      return r.text();
    })
    .then((text) => URL.createObjectURL(new Blob([text], { type: 'text/javascript' })));
  // A failed load may be retried later.
  blobUrl.catch(() => { blobUrl = undefined; });
  return blobUrl;
}

function isReply(d: unknown): d is WorkerReply {
  if (typeof d !== 'object' || d === null) return false;
  const t = (d as { type?: unknown }).type;
  return t === 'hello' || t === 'progress' || t === 'result' || t === 'error';
}

export class RunSlot {
  private worker: Worker | undefined;
  private nextId = 1;
  private finishCurrent: ((o: RunOutcome) => void) | undefined;
  /** Whether the last worker reported that it really runs as a worker. */
  inWorker: boolean | undefined;

  constructor(private readonly scriptUrl: string) {}

  async run(scenario: Scenario, onProgress: (fraction: number) => void): Promise<RunOutcome> {
    // Only the newest request matters: drop the one in flight.
    if (this.finishCurrent) {
      this.finishCurrent({ ok: false, message: 'superseded', bound: false, superseded: true });
      this.stopWorker();
    }
    const id = this.nextId++;
    return new Promise<RunOutcome>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (o: RunOutcome) => {
        if (this.finishCurrent !== finish) return;
        this.finishCurrent = undefined;
        if (timer) clearTimeout(timer);
        resolve(o);
      };
      this.finishCurrent = finish;
      workerBlobUrl(this.scriptUrl).then(
        (url) => {
          if (this.finishCurrent !== finish) return;
          let w: Worker;
          try {
            w = this.ensureWorker(url);
          } catch (err) {
            // e.g. a Content Security Policy that forbids blob: workers
            return finish({ ok: false, message: `could not start the simulator: ${err instanceof Error ? err.message : String(err)}`, bound: false });
          }
          w.onmessage = (e: MessageEvent) => {
            const m: unknown = e.data;
            if (!isReply(m)) return finish({ ok: false, message: 'the simulator sent a malformed reply', bound: false });
            if (m.type === 'hello') this.inWorker = m.inWorker;
            else if (m.id !== id) return;
            else if (m.type === 'progress') onProgress(Math.min(1, Math.max(0, m.fraction)));
            else if (m.type === 'result') finish({ ok: true, result: m.result, elapsedMs: m.elapsedMs });
            else finish({ ok: false, message: m.message, bound: m.bound });
          };
          w.onerror = (e: ErrorEvent) => {
            e.preventDefault();
            this.stopWorker();
            finish({ ok: false, message: `the simulator crashed: ${e.message || 'unknown error'}`, bound: false });
          };
          timer = setTimeout(() => {
            this.stopWorker();
            finish({ ok: false, message: `stopped after ${RUN_TIMEOUT_MS / 1000} s without an answer`, bound: true });
          }, RUN_TIMEOUT_MS);
          const req: SimRequest = { id, scenario };
          w.postMessage(req);
        },
        (err: unknown) => finish({ ok: false, message: err instanceof Error ? err.message : String(err), bound: false }),
      );
    });
  }

  private ensureWorker(url: string): Worker {
    this.worker ??= new Worker(url, { name: 'socklint-sim' });
    return this.worker;
  }

  private stopWorker(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  dispose(): void {
    this.finishCurrent?.({ ok: false, message: 'closed', bound: false, superseded: true });
    this.stopWorker();
  }
}
