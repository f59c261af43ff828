// Shared by the rule tests: lints a fixture and compares findings with `// expect: <rule-id>` markers.
import { readFileSync } from 'node:fs';
import { initEngine, languageIdForPath, lint, type LintOptions, type LintResult } from '../../src/engine';

export const ready = initEngine();

export interface Expectation { line: number; ruleId: string }

/** Markers `// expect: id[, id]` or `/* expect: id *\/` on the line where a finding's range starts. */
export function expectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /(?:\/\/|\/\*)\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/.exec(line);
    if (m) for (const id of m[1].split(',')) out.push({ line: i, ruleId: id.trim() });
  });
  return out;
}

export function lintFile(file: string, options: LintOptions = {}): { text: string; result: LintResult } {
  const text = readFileSync(file, 'utf8');
  const lang = languageIdForPath(file);
  if (!lang) throw new Error(`not a C/C++ file: ${file}`);
  return { text, result: lint(text, lang, { profile: 'windows-legacy', ...options }) };
}

/** "line:rule" strings for one rule, sorted, so assertion failures show the difference. */
export function linesFor(result: LintResult, ruleId: string): string[] {
  return result.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.range.start.line + 1}:${ruleId}`).sort();
}

export function expectedFor(text: string, ruleId: string): string[] {
  return expectations(text).filter((e) => e.ruleId === ruleId).map((e) => `${e.line + 1}:${ruleId}`).sort();
}
