// WorkerLink over a Node worker thread.
import { Worker } from 'node:worker_threads';
import type { WorkerLink } from './worker-link';

export interface NodeWorkerOptions {
  workerData?: unknown;
  /** The worker's JS heap limit (V8 old generation), in MB. */
  maxHeapMb?: number;
}

export function nodeWorkerLink(script: string, options: NodeWorkerOptions = {}): WorkerLink {
  const worker = new Worker(script, {
    workerData: options.workerData,
    ...(options.maxHeapMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb } } : {}),
    stdout: false,
    stderr: false,
  });
  // The process may exit while a worker runs; the worker must not keep it alive.
  worker.unref();
  let terminated = false;
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (listener) => { worker.on('message', listener); },
    onEnd: (listener) => {
      worker.on('error', (e: Error & { code?: string }) => {
        if (!terminated) listener(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { kind: 'out-of-memory' } : { kind: 'error', message: e.message.split('\n')[0] });
      });
      worker.on('exit', (code) => { if (!terminated) listener({ kind: 'exit', code }); });
    },
    terminate: async () => {
      terminated = true;
      await worker.terminate().catch(() => undefined);
    },
  };
}
