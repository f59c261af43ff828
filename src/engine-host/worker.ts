// The engine worker (bundled to dist/engine-worker.js): runs lint jobs for an EngineHost. Living in
// its own thread gives each run a memory ceiling the host sets (a JS heap limit, and the parser's
// WebAssembly heap, which is freed only when the worker ends) and lets the host replace the whole
// engine, WebAssembly runtime included, after an abort or a runaway file.
import { parentPort, workerData } from 'node:worker_threads';
import { ensureGrammars, initEngine, lint, LintDocument, type LanguageId, type LintOptions } from '../engine';
import { runtimeFailure, wasmHeapBytes } from '../engine/parse/grammars';
import { lintProject } from '../engine/project';
import type { EngineJob, JobReply, JobRequest, WorkerConfig, WorkerHealth, WorkerStatus } from './protocol';

const port = parentPort;
if (!port) throw new Error('engine-worker.js runs only as a worker thread');
const config = (workerData ?? {}) as WorkerConfig;
const docs = new Map<string, LintDocument>();

function health(): WorkerHealth {
  const failure = runtimeFailure();
  return failure ? { wasmHeapBytes: wasmHeapBytes(), runtimeFailure: failure } : { wasmHeapBytes: wasmHeapBytes() };
}

function withHeapCap(options: LintOptions): LintOptions {
  return config.parserHeapCapBytes !== undefined && options.parserHeapCapBytes === undefined
    ? { ...options, parserHeapCapBytes: config.parserHeapCapBytes } : options;
}

function dropDocument(key: string): void {
  docs.get(key)?.dispose();
  docs.delete(key);
}

function handle(id: number, job: EngineJob): JobReply {
  switch (job.kind) {
    case 'lint':
      return { id, kind: 'done', result: lint(job.text, job.languageId, withHeapCap(job.options)), health: health() };
    case 'lintDocument': {
      if (job.text !== undefined) {
        dropDocument(job.key);
        docs.set(job.key, new LintDocument(job.text, job.languageId));
      }
      const doc = docs.get(job.key);
      if (!doc) return { id, kind: 'resync', health: health() };
      try {
        if (job.changes) doc.applyChanges(job.changes);
      } catch {
        dropDocument(job.key);
        return { id, kind: 'resync', health: health() };
      }
      // A cheap check that both copies still agree; a full text repairs any disagreement.
      if (doc.getText().length !== job.expectedLength) {
        dropDocument(job.key);
        return { id, kind: 'resync', health: health() };
      }
      return { id, kind: 'done', result: doc.lint(withHeapCap(job.options)), health: health() };
    }
    case 'closeDocument':
      dropDocument(job.key);
      return { id, kind: 'done', health: health() };
    case 'lintProject': {
      const results = lintProject(job.files.map((f) => ({ path: f.path, text: f.text, languageId: f.languageId, options: withHeapCap(f.options) })));
      return { id, kind: 'done', results: [...results], health: health() };
    }
  }
}

initEngine(config.wasmDir, { wasmMemoryMaxBytes: config.wasmMemoryMaxBytes }).then(
  () => port.postMessage({ kind: 'ready' } satisfies WorkerStatus),
  (e: unknown) => port.postMessage({ kind: 'init-failed', message: e instanceof Error ? e.message : String(e) } satisfies WorkerStatus),
);
/** The languages a job parses: grammars other than C/C++ are loaded the first time they are needed. */
function languagesOf(job: EngineJob): LanguageId[] {
  if (job.kind === 'lint' || job.kind === 'lintDocument') return job.languageId ? [job.languageId] : [];
  if (job.kind === 'lintProject') return job.files.map((f) => f.languageId);
  return [];
}

// The host sends one job at a time (EngineHost.serial), so waiting for a grammar keeps the order.
port.on('message', ({ id, job }: JobRequest) => {
  ensureGrammars(languagesOf(job)).then(
    () => port.postMessage(handle(id, job)),
    (e: unknown) => port.postMessage({ id, kind: 'done', result: { findings: [], suppressed: [], errorNodes: 0, timing: { parseMs: 0, analyseMs: 0 }, notices: [{ kind: 'internal', message: `grammar not loaded: ${e instanceof Error ? e.message : String(e)}` }] }, health: health() } satisfies JobReply),
  );
});
