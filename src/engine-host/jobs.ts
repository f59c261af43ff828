// What an engine worker does with the jobs an EngineHost sends it, whichever kind of worker it is
// (worker.ts: a Node worker thread; worker.web.ts: a Web Worker). Plain engine calls, no I/O.
import { ensureGrammars, lint, LintDocument, type LanguageId, type LintOptions } from '../engine';
import { runtimeFailure, wasmHeapBytes } from '../engine/parse/grammars';
import { lintProject } from '../engine/project';
import type { EngineJob, JobReply, WorkerHealth } from './protocol';

/** The languages a job parses: grammars other than C/C++ are loaded the first time they are needed. */
function languagesOf(job: EngineJob): LanguageId[] {
  if (job.kind === 'lint' || job.kind === 'lintDocument') return job.languageId ? [job.languageId] : [];
  if (job.kind === 'lintProject') return job.files.map((f) => f.languageId);
  return [];
}

/**
 * The worker's job handler. Each job first loads the grammars it needs (the host sends one job at a
 * time, so waiting keeps the order); a grammar that cannot be loaded fails that job with a notice,
 * not the worker.
 */
export function engineJobs(parserHeapCapBytes: number | undefined): (id: number, job: EngineJob) => Promise<JobReply> {
  const docs = new Map<string, LintDocument>();

  function health(): WorkerHealth {
    const failure = runtimeFailure();
    return failure ? { wasmHeapBytes: wasmHeapBytes(), runtimeFailure: failure } : { wasmHeapBytes: wasmHeapBytes() };
  }

  function withHeapCap(options: LintOptions): LintOptions {
    return parserHeapCapBytes !== undefined && options.parserHeapCapBytes === undefined
      ? { ...options, parserHeapCapBytes } : options;
  }

  function dropDocument(key: string): void {
    docs.get(key)?.dispose();
    docs.delete(key);
  }

  function grammarFailed(id: number, e: unknown): JobReply {
    const notice = { kind: 'internal' as const, message: `grammar not loaded: ${e instanceof Error ? e.message : String(e)}` };
    return { id, kind: 'done', result: { findings: [], suppressed: [], errorNodes: 0, timing: { parseMs: 0, analyseMs: 0 }, notices: [notice] }, health: health() };
  }

  return (id, job) => ensureGrammars(languagesOf(job)).then(() => handle(id, job), (e: unknown) => grammarFailed(id, e));

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
}
