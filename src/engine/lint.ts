// lint(): one file, analysed on its own. For a set of files analysed together (facts that cross
// files), see project.ts; the CLI and the language server use that.
import type { Tree } from 'web-tree-sitter';
import { loadGrammars, parserFor } from './parse/grammars';
import { lintProject, precheck, resolveProfileFor, severityFor } from './project';
import type { LanguageId, LintOptions, LintResult } from './types';

export async function initEngine(wasmDir?: string): Promise<void> {
  await loadGrammars(wasmDir);
}

export function lint(text: string, languageId: LanguageId, options: LintOptions = {}): LintResult {
  return lintProject([{ path: '<input>', text, languageId }], options).get('<input>')!;
}

/** Parses with a deadline (a performance.now() time); null when the budget ran out. The benchmark's floor. */
export function parseWithBudget(text: string, languageId: LanguageId, deadline: number, oldTree?: Tree | null): Tree | null {
  const parser = parserFor(languageId);
  let cancelled = false;
  const tree = parser.parse(text, oldTree ?? null, {
    progressCallback: () => {
      if (performance.now() > deadline) cancelled = true;
      return cancelled;
    },
  } as never);
  if (cancelled) { tree?.delete(); parser.reset(); return null; }
  return tree;
}

export { precheck, resolveProfileFor, severityFor };
