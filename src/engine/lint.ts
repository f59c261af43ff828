// lint(): one file, analysed on its own. For a set of files analysed together (facts that cross
// files), see project.ts; the CLI and the language server use that. Parsing is bounded in time and
// in the parser's memory; a failure of the WebAssembly runtime is recorded so the host can replace it.
import { loadGrammars, type RuntimeOptions } from './parse/grammars';
import { lintProject, precheck, resolveProfileFor, severityFor } from './project';
import type { LanguageId, LintOptions, LintResult } from './types';

export async function initEngine(wasmDir?: string, runtimeOptions?: RuntimeOptions): Promise<void> {
  await loadGrammars(wasmDir, runtimeOptions);
}

export function lint(text: string, languageId: LanguageId, options: LintOptions = {}): LintResult {
  return lintProject([{ path: '<input>', text, languageId }], options).get('<input>')!;
}

export { precheck, resolveProfileFor, severityFor };
export { DEFAULT_PARSER_HEAP_CAP_BYTES, internalErrorNotice, parseBounded, parseMemoryNotice, parseWithBudget, timeBudgetNotice, type ParseOutcome } from './parse/bounded';
