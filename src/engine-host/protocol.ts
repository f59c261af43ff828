// Messages between an EngineHost (CLI or language server, main thread) and its engine worker.
// Everything here is plain data: it crosses the thread boundary by structured clone.
import type { ContentChange } from '../engine/document';
import type { LanguageId, LintOptions, LintResult } from '../engine/types';
import type { GrammarBytes } from '../engine/parse/grammars';

export type EngineJob =
  /** One text, linted from scratch (CLI files, files scanned from disk). */
  | { kind: 'lint'; text: string; languageId: LanguageId; options: LintOptions }
  /**
   * An open document kept in the worker for incremental parsing: `text` (re)creates it, otherwise
   * `changes` are applied to the worker's copy, which must then be `expectedLength` long.
   */
  | { kind: 'lintDocument'; key: string; languageId: LanguageId; text?: string; changes?: ContentChange[]; expectedLength: number; options: LintOptions }
  | { kind: 'closeDocument'; key: string }
  /** Files analysed together (facts cross functions and files); one result per file. */
  | { kind: 'lintProject'; files: ProjectFile[] };

export interface ProjectFile { path: string; text: string; languageId: LanguageId; options: LintOptions }

export interface JobRequest { id: number; job: EngineJob }

/** What the worker says about itself after each job, so the host knows when to replace it. */
export interface WorkerHealth {
  /** The parser's WebAssembly heap, which never shrinks while the worker lives. */
  wasmHeapBytes: number;
  /** Set once the WebAssembly runtime aborted or trapped: the worker must not be used again. */
  runtimeFailure?: string;
}

export type JobReply =
  | { id: number; kind: 'done'; result?: LintResult; results?: [string, LintResult][]; health: WorkerHealth }
  /** The worker's copy of a document is missing or disagrees with the host's: send the full text. */
  | { id: number; kind: 'resync'; health: WorkerHealth };

export type WorkerStatus = { kind: 'ready' } | { kind: 'init-failed'; message: string };

export interface WorkerConfig {
  /** Node: where tree-sitter.wasm and grammars/ are; default: next to the worker's bundle. */
  wasmDir?: string;
  /** Web Worker: the runtime and grammars themselves (a browser worker has no files to read). */
  grammars?: GrammarBytes;
  parserHeapCapBytes?: number;
  /** The parser's WebAssembly memory maximum (enforced by V8). */
  wasmMemoryMaxBytes?: number;
}
