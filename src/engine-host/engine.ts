// Runs the engine in a worker so that one file can never take the CLI or the language server down
// with it. The worker is a Node worker thread (host.ts: CLI, desktop server) or a Web Worker
// (web.ts: the language server in a browser); this file is what both share, and imports no Node.
// Memory has two ceilings: the worker's JS heap limit (Node only) and the maximum of the parser's
// WebAssembly memory, both enforced by the JavaScript engine. A parse stops cleanly (the file is
// "too large") well before the latter; WebAssembly memory is returned only when the worker ends.
// The host replaces the worker when:
//   - it runs out of memory, crashes or exits (the file being analysed is reported as failed),
//   - a job outlives its watchdog (the engine's own time budget plus a grace period),
//   - the WebAssembly runtime aborted or trapped (it may hold memory nothing will free),
//   - its WebAssembly heap has grown past `recycleHeapBytes` (to give the memory back).
// Jobs run one at a time, in order. Documents kept for incremental parsing are re-sent in full to
// a new worker, so callers never see the replacement except as a failed file.
import type { WorkerLink } from '../common/worker-link';
import { ensureGrammars, initEngine, lint, LintDocument, type GrammarBytes } from '../engine';
import { DEFAULT_PARSER_HEAP_CAP_BYTES } from '../engine/lint';
import type { ContentChange } from '../engine/document';
import { DEFAULT_TIME_BUDGET_MS, type LanguageId, type LintOptions, type LintResult } from '../engine/types';
import { lintProject } from '../engine/project';
import type { EngineJob, JobReply, JobRequest, ProjectFile, WorkerConfig, WorkerStatus } from './protocol';

export interface EngineHostOptions {
  /** Where tree-sitter.wasm and grammars/ are (Node); default: next to the running bundle. */
  wasmDir?: string;
  /** The worker's JS heap limit (V8 old generation), in MB (Node only: a browser has no such limit). */
  maxHeapMb?: number;
  /** The maximum of the parser's WebAssembly memory, in MB: a parse that needs more aborts. */
  parserMemoryMb?: number;
  /** A parse stops cleanly once the parser's heap grows past this (bytes; default: 3/4 of parserMemoryMb, at most 768 MB). */
  parserHeapCapBytes?: number;
  /** Replace the worker after a job that left its WebAssembly heap larger than this (bytes). */
  recycleHeapBytes?: number;
  /** Extra time a job gets over its time budget before the watchdog stops it (ms). */
  watchdogGraceMs?: number;
  /** One line per worker replacement, for logs. */
  log?: (message: string) => void;
}

export const DEFAULT_ENGINE_HEAP_MB = 1024;
export const DEFAULT_PARSER_MEMORY_MB = 1024;
export const DEFAULT_RECYCLE_HEAP_BYTES = 512 * 1024 * 1024;
const DEFAULT_WATCHDOG_GRACE_MS = 10_000;
const STARTUP_TIMEOUT_MS = 60_000;
/** A project job may take the sum of its files' budgets, but never longer than this. */
const MAX_PROJECT_WATCHDOG_MS = 10 * 60_000;

/** What the CLI and the language server call: lint a text, or an open document incrementally. */
export interface Engine {
  /** Starts the engine ahead of the first job (a failure to start is reported by that job). */
  warmUp(): Promise<void>;
  lint(text: string, languageId: LanguageId, options: LintOptions): Promise<LintResult>;
  /**
   * Files analysed together, so facts cross functions and files. Undefined when the engine failed
   * on the set (an abort, memory, the watchdog): the caller then lints file by file, so one bad
   * file cannot take the others with it.
   */
  lintProject(files: ProjectFile[]): Promise<Map<string, LintResult> | undefined>;
  /** `changes` since the last call for `key`, or undefined to send `text` in full. */
  lintDocument(key: string, languageId: LanguageId, text: string, changes: ContentChange[] | undefined, options: LintOptions): Promise<LintResult>;
  closeDocument(key: string): Promise<void>;
  dispose(): Promise<void>;
  /** How many engines were started so far (1 unless one had to be replaced). */
  readonly starts: number;
}

/**
 * The memory ceilings a user may set for the CLI or the server process through the environment:
 * SOCKLINT_ENGINE_HEAP_MB (the engine's JS heap) and SOCKLINT_PARSER_MEMORY_MB (the parser's
 * WebAssembly memory). A repository cannot set either.
 */
export function engineOptionsFromEnv(env: Record<string, string | undefined>): { options: EngineHostOptions; problems: string[] } {
  const options: EngineHostOptions = {};
  const problems: string[] = [];
  // The parser's memory starts at 32 MB, so less than 64 would leave no room to parse anything.
  for (const [name, key, min] of [['SOCKLINT_ENGINE_HEAP_MB', 'maxHeapMb', 16], ['SOCKLINT_PARSER_MEMORY_MB', 'parserMemoryMb', 64]] as const) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    if (/^\d+$/.test(raw) && Number(raw) >= min) options[key] = Number(raw);
    else problems.push(`${name}=${raw}: expected a whole number of MB, at least ${min}; ignored`);
  }
  return { options, problems };
}

export function failedResult(message: string): LintResult {
  return { findings: [], suppressed: [], notices: [{ kind: 'internal', message }], errorNodes: 0, timing: { parseMs: 0, analyseMs: 0 } };
}

type Outcome = JobReply | { kind: 'failed'; message: string };

/** Starts one engine worker with the given configuration (a Node worker thread, or a Web Worker). */
export type StartEngineWorker = (config: WorkerConfig, maxHeapMb: number) => WorkerLink;

class WorkerHandle {
  readonly ready: Promise<string | undefined>;
  /** Documents this worker holds; a new worker holds none. */
  readonly known = new Set<string>();
  private readonly pending = new Map<number, (o: Outcome) => void>();
  private ended?: string;

  constructor(readonly worker: WorkerLink, private readonly maxHeapMb: number) {
    // First: a failure while starting is reported with its reason.
    worker.onEnd((end) => {
      this.end(end.kind === 'out-of-memory'
        ? `the analysis needed more than ${this.maxHeapMb} MB of memory`
        : end.kind === 'error' ? `the analysis failed (${end.message})`
          : `the analysis stopped unexpectedly (exit code ${end.code})`);
    });
    let onStatus: ((m: WorkerStatus) => void) | undefined;
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => resolve(`the engine did not start within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS);
      onStatus = (m) => {
        clearTimeout(timer);
        onStatus = undefined;
        resolve(m.kind === 'ready' ? undefined : `the engine failed to start (${m.message})`);
      };
      worker.onEnd(() => { clearTimeout(timer); resolve(this.ended ?? 'the engine exited while starting'); });
    });
    worker.onMessage((raw) => {
      const m = raw as JobReply | WorkerStatus;
      if ('id' in m) this.settle(m.id, m);
      else if (m.kind === 'ready' || m.kind === 'init-failed') onStatus?.(m);
    });
  }

  get alive(): boolean { return this.ended === undefined; }

  send(id: number, job: EngineJob, watchdogMs: number, onWatchdog: () => void): Promise<Outcome> {
    if (this.ended) return Promise.resolve({ kind: 'failed', message: this.ended });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const limit = watchdogMs < 10_000 ? `${Math.round(watchdogMs)} ms` : `${Math.round(watchdogMs / 1000)} s`;
        this.end(`the analysis did not finish within ${limit} and was stopped`);
        onWatchdog();
      }, watchdogMs);
      this.pending.set(id, (o) => { clearTimeout(timer); resolve(o); });
      this.worker.post({ id, job } satisfies JobRequest);
    });
  }

  private settle(id: number, o: Outcome): void {
    const done = this.pending.get(id);
    this.pending.delete(id);
    done?.(o);
  }

  /** Marks the worker dead (first reason wins), fails what it was doing, and stops it. */
  end(reason: string): void {
    if (this.ended) return;
    this.ended = reason;
    for (const id of [...this.pending.keys()]) this.settle(id, { kind: 'failed', message: reason });
    void this.worker.terminate();
  }
}

/** The engine in a worker, replaced when it fails (see the top of this file). */
export class WorkerEngine implements Engine {
  private current?: WorkerHandle;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;
  private started = 0;
  private readonly options: Required<Omit<EngineHostOptions, 'wasmDir' | 'log'>> & EngineHostOptions;

  constructor(private readonly startWorker: StartEngineWorker, options: EngineHostOptions = {}) {
    const parserMemoryMb = options.parserMemoryMb ?? DEFAULT_PARSER_MEMORY_MB;
    this.options = {
      ...options,
      maxHeapMb: options.maxHeapMb ?? DEFAULT_ENGINE_HEAP_MB,
      parserMemoryMb,
      parserHeapCapBytes: options.parserHeapCapBytes ?? Math.min(DEFAULT_PARSER_HEAP_CAP_BYTES, parserMemoryMb * 1024 * 1024 * 0.75),
      recycleHeapBytes: options.recycleHeapBytes ?? DEFAULT_RECYCLE_HEAP_BYTES,
      watchdogGraceMs: options.watchdogGraceMs ?? DEFAULT_WATCHDOG_GRACE_MS,
    };
  }

  get starts(): number { return this.started; }

  warmUp(): Promise<void> {
    return this.serial(async () => {
      const w = this.worker();
      const failure = await w.ready;
      if (failure) {
        w.end(failure);
        this.options.log?.(`socklint: ${failure}`);
      }
    });
  }

  lint(text: string, languageId: LanguageId, options: LintOptions): Promise<LintResult> {
    return this.serial(async () => {
      const o = await this.run({ kind: 'lint', text, languageId, options }, options);
      return o.kind === 'done' && o.result ? o.result : failedResult(notAnalysed(o));
    });
  }

  lintProject(files: ProjectFile[]): Promise<Map<string, LintResult> | undefined> {
    return this.serial(async () => {
      // The set does the work of all its files: its watchdog allows their budgets together (bounded).
      const total = Math.min(files.reduce((n, f) => n + (f.options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS), 0), MAX_PROJECT_WATCHDOG_MS);
      const o = await this.run({ kind: 'lintProject', files }, { timeBudgetMs: total });
      return o.kind === 'done' && o.results ? new Map(o.results) : undefined;
    });
  }

  lintDocument(key: string, languageId: LanguageId, text: string, changes: ContentChange[] | undefined, options: LintOptions): Promise<LintResult> {
    return this.serial(async () => {
      const incremental = changes !== undefined && this.current?.alive === true && this.current.known.has(key);
      let o = await this.run(incremental
        ? { kind: 'lintDocument', key, languageId, changes, expectedLength: text.length, options }
        : { kind: 'lintDocument', key, languageId, text, expectedLength: text.length, options }, options);
      if (o.kind === 'resync') {
        this.options.log?.(`socklint: the engine's copy of ${key} disagreed with the editor's; re-sent in full`);
        o = await this.run({ kind: 'lintDocument', key, languageId, text, expectedLength: text.length, options }, options);
      }
      if (o.kind === 'done' && o.result) {
        this.current?.known.add(key);
        return o.result;
      }
      this.current?.known.delete(key);
      return failedResult(notAnalysed(o));
    });
  }

  closeDocument(key: string): Promise<void> {
    return this.serial(async () => {
      const w = this.current;
      if (!w?.alive || !w.known.has(key)) return;
      w.known.delete(key);
      await this.run({ kind: 'closeDocument', key }, {});
    });
  }

  async dispose(): Promise<void> {
    await this.queue.catch(() => undefined);
    const w = this.current;
    this.current = undefined;
    if (w) {
      w.end('the engine was shut down');
      await w.worker.terminate();
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private worker(): WorkerHandle {
    if (!this.current?.alive) {
      if (this.current) this.options.log?.('socklint: starting a new engine');
      const config: WorkerConfig = {
        wasmDir: this.options.wasmDir,
        parserHeapCapBytes: this.options.parserHeapCapBytes,
        wasmMemoryMaxBytes: this.options.parserMemoryMb * 1024 * 1024,
      };
      this.current = new WorkerHandle(this.startWorker(config, this.options.maxHeapMb), this.options.maxHeapMb);
      this.started++;
    }
    return this.current;
  }

  private async run(job: EngineJob, options: LintOptions): Promise<Outcome> {
    const w = this.worker();
    const startFailure = await w.ready;
    if (startFailure) {
      w.end(startFailure);
      return { kind: 'failed', message: startFailure };
    }
    const watchdogMs = (options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS) + Math.max(options.timeBudgetMs ?? 0, this.options.watchdogGraceMs);
    const o = await w.send(++this.nextId, job, watchdogMs, () => this.options.log?.(`socklint: the engine was stopped after ${watchdogMs} ms`));
    if (o.kind === 'failed') {
      this.options.log?.(`socklint: ${o.message}; the engine will be restarted`);
      return o;
    }
    if (o.health.runtimeFailure) {
      w.end(`the parser's runtime failed (${o.health.runtimeFailure})`);
      this.options.log?.(`socklint: the parser's WebAssembly runtime failed (${o.health.runtimeFailure}); the engine will be restarted`);
    } else if (o.health.wasmHeapBytes > this.options.recycleHeapBytes) {
      // Replaced to give the memory back; documents are re-sent in full to the next worker.
      w.end('recycled');
    }
    return o;
  }
}

function notAnalysed(o: Outcome): string {
  return o.kind === 'failed' ? `not analysed: ${o.message}` : 'not analysed: the engine gave no result';
}

/** The same interface in this thread, for running from source: no isolation, no memory ceiling. */
export class InThreadEngine implements Engine {
  private readonly ready: Promise<void>;
  private readonly docs = new Map<string, LintDocument>();
  readonly starts = 1;

  constructor(grammars: GrammarBytes | Promise<GrammarBytes>, private readonly options: EngineHostOptions = {}) {
    this.ready = initEngine(grammars);
  }

  warmUp(): Promise<void> {
    return this.ready;
  }

  private withCap(options: LintOptions): LintOptions {
    return this.options.parserHeapCapBytes !== undefined && options.parserHeapCapBytes === undefined
      ? { ...options, parserHeapCapBytes: this.options.parserHeapCapBytes } : options;
  }

  async lint(text: string, languageId: LanguageId, options: LintOptions): Promise<LintResult> {
    await this.ready;
    await ensureGrammars([languageId]);
    return lint(text, languageId, this.withCap(options));
  }

  async lintProject(files: ProjectFile[]): Promise<Map<string, LintResult> | undefined> {
    await this.ready;
    await ensureGrammars(files.map((f) => f.languageId));
    return lintProject(files.map((f) => ({ path: f.path, text: f.text, languageId: f.languageId, options: this.withCap(f.options) })));
  }

  async lintDocument(key: string, languageId: LanguageId, text: string, changes: ContentChange[] | undefined, options: LintOptions): Promise<LintResult> {
    await this.ready;
    await ensureGrammars([languageId]);
    let doc = this.docs.get(key);
    if (doc && changes) {
      try {
        doc.applyChanges(changes);
      } catch {
        doc.dispose();
        doc = undefined;
      }
    }
    if (!doc || !changes || doc.getText().length !== text.length) {
      doc?.dispose();
      doc = new LintDocument(text, languageId);
      this.docs.set(key, doc);
    }
    return doc.lint(this.withCap(options));
  }

  async closeDocument(key: string): Promise<void> {
    this.docs.get(key)?.dispose();
    this.docs.delete(key);
  }

  async dispose(): Promise<void> {
    for (const d of this.docs.values()) d.dispose();
    this.docs.clear();
  }
}
