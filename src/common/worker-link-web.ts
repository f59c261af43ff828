// WorkerLink over a Web Worker (the language server in a browser starts its engine and simulator
// workers with this). The script is a blob: URL made from the bundle's code: where the extension's
// files are not plain http URLs (code-server serves them as vscode-remote: resources), a worker
// cannot be started from their address.
import type { WorkerLink } from './worker-link';

/** A blob: URL for a worker bundle's code; made once per bundle and kept for the worker's restarts. */
export function workerScriptUrl(code: string): string {
  return URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
}

export function webWorkerLink(scriptUrl: string, name: string): WorkerLink {
  const worker = new Worker(scriptUrl, { name });
  let terminated = false;
  return {
    post: (m) => worker.postMessage(m),
    onMessage: (listener) => worker.addEventListener('message', (e: MessageEvent) => listener(e.data)),
    onEnd: (listener) => {
      // A Web Worker has no exit event: an uncaught error is its end (the host then replaces it).
      worker.addEventListener('error', (e: ErrorEvent) => {
        e.preventDefault();
        if (!terminated) listener({ kind: 'error', message: e.message || 'the worker failed' });
      });
      worker.addEventListener('messageerror', () => { if (!terminated) listener({ kind: 'error', message: 'a message could not be read' }); });
    },
    terminate: async () => {
      terminated = true;
      worker.terminate();
    },
  };
}
