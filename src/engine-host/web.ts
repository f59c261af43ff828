// The engine host in a browser: the engine in a Web Worker started from a blob: URL made of the
// engine worker's bundle (dist/web/engine-worker.js), with the grammars' bytes posted in as its
// first message. Everything else (watchdog, replacement, incremental documents) is engine.ts.
// A browser has no JS heap limit per worker: the parser's WebAssembly memory maximum still holds.
import { webWorkerLink, workerScriptUrl } from '../common/worker-link-web';
import type { GrammarBytes } from '../engine/parse/grammars';
import { WorkerEngine, type Engine, type EngineHostOptions } from './engine';

export function createWebEngine(engineWorkerCode: string, grammars: GrammarBytes, options: EngineHostOptions = {}): Engine {
  const url = workerScriptUrl(engineWorkerCode);
  return new WorkerEngine((config) => {
    const link = webWorkerLink(url, 'socklint-engine');
    // Copied, not transferred: a replacement worker needs the same bytes.
    link.post({ ...config, grammars });
    return link;
  }, options);
}
