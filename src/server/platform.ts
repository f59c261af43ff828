// What the language server needs from where it runs, so that the same server code serves the
// desktop (a Node process: platform-node.ts) and the browser (a Web Worker: platform-web.ts).
// Everything Node-only (the file system, paths, Buffer, setImmediate, node:url, worker threads,
// the environment) is behind this seam; socklintServer.ts and the engine use none of it.
import type { WorkerLink } from '../common/worker-link';
import type { Engine } from '../engine-host/engine';
import type { ReadFileResult } from './protocol';

/** Asks the client to read a file (`socklint/readFile`, answered with workspace.fs). */
export type ReadThroughClient = (uri: string, maxBytes: number) => Promise<ReadFileResult>;

export interface ServerPlatform {
  /** For the log: "Node.js 20.19.0", "a Web Worker". */
  readonly description: string;
  /** The engine, in a worker the server can replace. */
  createEngine(log: (message: string) => void): Engine;
  /** Starts the CodeLens simulations' worker (lensWorker.ts / lensWorker.web.ts); may throw. */
  startLensWorker(): WorkerLink;
  /**
   * Reads a workspace file the editor has not opened, at most `maxBytes`: from the disk where the
   * server can read it directly (a `file:` URI on Node), else through the client.
   */
  readFile(uri: string, maxBytes: number, throughClient: ReadThroughClient): Promise<ReadFileResult>;
  /** Resolves once the messages already received have been handled (a newer edit makes a result stale). */
  afterQueuedMessages(): Promise<void>;
  /** How a file URI is named in messages (a path on the desktop). */
  displayName(uri: string): string;
}
