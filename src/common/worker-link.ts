// A worker as the language server and the engine host see it, whether it is a Node worker thread
// (desktop, CLI) or a Web Worker (the browser): post messages, hear replies, learn that it ended.
// The two implementations are worker-link-node.ts and worker-link-web.ts.

/** Why a worker stopped: it ran out of memory, threw, or exited on its own. */
export type WorkerEnd =
  | { kind: 'out-of-memory' }
  | { kind: 'error'; message: string }
  | { kind: 'exit'; code: number };

export interface WorkerLink {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called when the worker ends by itself (never after terminate()); may be called more than once (an error, then the exit). */
  onEnd(listener: (end: WorkerEnd) => void): void;
  terminate(): Promise<void>;
}
