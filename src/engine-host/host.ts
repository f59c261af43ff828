// The engine host on Node (the CLI and the desktop language server): the engine in a worker
// thread (dist/engine-worker.js) with a JS heap limit; see engine.ts for what the host does.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { nodeWorkerLink } from '../common/worker-link-node';
import { grammarFiles } from '../engine/parse/grammar-files';
import { InThreadEngine, WorkerEngine, type Engine, type EngineHostOptions } from './engine';

export * from './engine';

/** The engine in a Node worker thread running `workerScript`. */
export class EngineHost extends WorkerEngine {
  constructor(options: EngineHostOptions & { workerScript: string }) {
    super((config, maxHeapMb) => nodeWorkerLink(options.workerScript, { workerData: config, maxHeapMb }), options);
  }
}

/** A host backed by a worker when its bundle exists (dist/), else the engine in this thread (running from source). */
export function createEngine(options: EngineHostOptions & { workerScript?: string } = {}): Engine {
  const script = options.workerScript ?? path.join(__dirname, 'engine-worker.js');
  return existsSync(script) ? new EngineHost({ ...options, workerScript: script }) : new InThreadEngine(grammarFiles(options.wasmDir), options);
}
