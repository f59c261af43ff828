// lint(): one file, analysed on its own. For a set of files analysed together (facts that cross
// files), see project.ts; the CLI and the language server use that. Parsing is bounded in time and
// in the parser's memory; a failure of the WebAssembly runtime is recorded so the host can replace it.
import { loadGrammars, type GrammarBytes, type RuntimeOptions } from './parse/grammars';
import { lintProject, precheck, resolveProfileFor, severityFor } from './project';
import type { LanguageId, LintOptions, LintResult } from './types';

/**
 * Loads the parser runtime and grammars; lint() may be called once it resolves. The host gives the
 * bytes: grammarFiles() from './parse/grammar-files' on Node, bytes posted into a Web Worker on the web.
 */
export async function initEngine(grammars: GrammarBytes | Promise<GrammarBytes>, runtimeOptions?: RuntimeOptions): Promise<void> {
  await loadGrammars(grammars, runtimeOptions);
}

export function lint(text: string, languageId: LanguageId, options: LintOptions = {}): LintResult {
  return lintProject([{ path: '<input>', text, languageId }], options).get('<input>')!;
}

export { precheck, resolveProfileFor, severityFor };
export { DEFAULT_PARSER_HEAP_CAP_BYTES, internalErrorNotice, parseBounded, parseMemoryNotice, parseWithBudget, timeBudgetNotice, type ParseOutcome } from './parse/bounded';
