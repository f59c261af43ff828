// Bounded parsing and the notices that report a bound or a failure. A parse stops at a deadline
// and when the parser's WebAssembly heap grows past a cap; a failure of the WebAssembly runtime is
// recorded so the host can replace it.
import type { Range, Tree } from 'web-tree-sitter';
import type { LanguageId, Notice } from '../types';
import { noteRuntimeError, parserFor, runtimeFailure, wasmHeapBytes, wasmHeapMaxBytes } from './grammars';

/**
 * A parse also stops when the parser's WebAssembly heap grows past this. The heap never shrinks,
 * and at 2 GiB Emscripten aborts and leaves the runtime unusable; stopping here keeps a huge or
 * pathological file from getting anywhere near that. Tree-sitter needs about 55 bytes of heap per
 * byte of source, so the default leaves room for files far over the size limits.
 */
export const DEFAULT_PARSER_HEAP_CAP_BYTES = 768 * 1024 * 1024;

export type ParseOutcome = { tree: Tree } | { tree: null; stopped: Notice };

/**
 * Parses with a deadline (a performance.now() time: sub-millisecond, so tiny budgets still bind)
 * and a cap on the parser's heap. Tree-sitter calls the progress callback every few hundred
 * operations, so both bounds bind within a fraction of a millisecond of being crossed.
 */
export function parseBounded(
  text: string, languageId: LanguageId, deadline: number, budgetMs: number,
  oldTree?: Tree | null, heapCapBytes = DEFAULT_PARSER_HEAP_CAP_BYTES, includedRanges?: Range[],
): ParseOutcome {
  const parser = parserFor(languageId);
  // A heap already grown past the cap by an earlier file is reused, not grown: only growth stops a parse.
  const heapLimit = Math.max(heapCapBytes, wasmHeapBytes());
  let stop: 'time' | 'memory' | undefined;
  const tree = parser.parse(text, oldTree ?? null, {
    ...(includedRanges ? { includedRanges } : {}),
    progressCallback: () => {
      if (performance.now() > deadline) stop = 'time';
      else if (wasmHeapBytes() > heapLimit) stop = 'memory';
      return stop !== undefined;
    },
  } as never);
  if (stop || !tree) {
    tree?.delete();
    // Frees what the stopped parse allocated (it would otherwise be kept for resuming).
    parser.reset();
    return { tree: null, stopped: stop === 'memory' ? parseMemoryNotice(heapCapBytes) : timeBudgetNotice('parsing', budgetMs) };
  }
  return { tree };
}

/** parseBounded() for callers that only need the tree: null when a bound stopped the parse. */
export function parseWithBudget(text: string, languageId: LanguageId, deadline: number, oldTree?: Tree | null): Tree | null {
  return parseBounded(text, languageId, deadline, 0, oldTree).tree;
}

export function timeBudgetNotice(what: 'parsing' | 'analysis', budgetMs: number): Notice {
  return what === 'parsing'
    ? { kind: 'time-budget', message: `not analysed: parsing took longer than the ${budgetMs} ms time budget` }
    : { kind: 'time-budget', message: `not analysed: analysis exceeded the ${budgetMs} ms time budget` };
}

export function parseMemoryNotice(capBytes: number): Notice {
  return { kind: 'too-large', message: `not analysed: parsing needed more than ${Math.round(capBytes / 1048576)} MB of memory` };
}

/**
 * An exception from parse or analysis, as the notice that reports it. A WebAssembly abort or trap
 * is recorded (runtimeFailure()) so that the host can replace the runtime; other files go on.
 */
export function internalErrorNotice(e: unknown): Notice {
  if (noteRuntimeError(e)) {
    // An abort with the heap at its maximum is the runtime running out of memory (malloc failed).
    const full = wasmHeapBytes() > wasmHeapMaxBytes() - 64 * 1024 * 1024;
    const why = full ? `out of memory: the parser may use at most ${Math.round(wasmHeapMaxBytes() / 1048576)} MB` : runtimeFailure();
    return { kind: 'internal', message: `internal error: the parser's WebAssembly runtime failed (${why})` };
  }
  return { kind: 'internal', message: `internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
}

