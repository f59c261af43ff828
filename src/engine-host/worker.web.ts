// The engine worker in a browser (bundled to dist/web/engine-worker.js, started from a blob: URL by
// the language server's web worker): the same jobs as worker.ts. It has no files to read: its
// first message is its configuration with the grammars' bytes; every later one is a job.
import { initEngine } from '../engine';
import { engineJobs } from './jobs';
import type { EngineJob, JobReply, JobRequest, WorkerConfig, WorkerStatus } from './protocol';

const scope = self as unknown as { postMessage(m: unknown): void; onmessage: ((e: MessageEvent) => void) | null };
let handle: ((id: number, job: EngineJob) => Promise<JobReply>) | undefined;

scope.onmessage = (e: MessageEvent) => {
  if (handle) {
    const { id, job } = e.data as JobRequest;
    void handle(id, job).then((reply) => scope.postMessage(reply));
    return;
  }
  const config = e.data as WorkerConfig;
  if (!config.grammars) {
    scope.postMessage({ kind: 'init-failed', message: 'no grammars were given to the engine worker' } satisfies WorkerStatus);
    return;
  }
  handle = engineJobs(config.parserHeapCapBytes);
  initEngine(config.grammars, { wasmMemoryMaxBytes: config.wasmMemoryMaxBytes }).then(
    () => scope.postMessage({ kind: 'ready' } satisfies WorkerStatus),
    (err: unknown) => scope.postMessage({ kind: 'init-failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerStatus),
  );
};
