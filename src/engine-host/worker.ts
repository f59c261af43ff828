// The engine worker on Node (bundled to dist/engine-worker.js): runs lint jobs for an EngineHost. Living in
// its own thread gives each run a memory ceiling the host sets (a JS heap limit, and the parser's
// WebAssembly heap, which is freed only when the worker ends) and lets the host replace the whole
// engine, WebAssembly runtime included, after an abort or a runaway file.
import { parentPort, workerData } from 'node:worker_threads';
import { initEngine } from '../engine';
import { grammarFiles } from '../engine/parse/grammar-files';
import { engineJobs } from './jobs';
import type { JobRequest, WorkerConfig, WorkerStatus } from './protocol';

const port = parentPort;
if (!port) throw new Error('engine-worker.js runs only as a worker thread');
const config = (workerData ?? {}) as WorkerConfig;
const handle = engineJobs(config.parserHeapCapBytes);

initEngine(grammarFiles(config.wasmDir), { wasmMemoryMaxBytes: config.wasmMemoryMaxBytes }).then(
  () => port.postMessage({ kind: 'ready' } satisfies WorkerStatus),
  (e: unknown) => port.postMessage({ kind: 'init-failed', message: e instanceof Error ? e.message : String(e) } satisfies WorkerStatus),
);
port.on('message', ({ id, job }: JobRequest) => void handle(id, job).then((reply) => port.postMessage(reply)));
