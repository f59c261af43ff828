// Shared by the rule tests: lints a fixture and compares findings with `// expect: <rule-id>` markers.
import { readFileSync } from 'node:fs';
import { ensureGrammars, initEngine, languageIdForPath, lint, type LintOptions, type LintResult } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';

export const ready = initEngine(grammarFiles()).then(() => ensureGrammars(['python', 'csharp', 'go', 'java', 'javascript', 'typescript']));

export interface Expectation { line: number; ruleId: string }

/** Markers `// expect: id[, id]`, `/* expect: id *\/` or `# expect: id` (Python); `//` also in JavaScript and TypeScript on the line where a finding's range starts. */
export function expectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /(?:\/\/|\/\*|#)\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/.exec(line);
    if (m) for (const id of m[1].split(',')) out.push({ line: i, ruleId: id.trim() });
  });
  return out;
}

export function lintFile(file: string, options: LintOptions = {}): { text: string; result: LintResult } {
  const text = readFileSync(file, 'utf8');
  const lang = languageIdForPath(file);
  if (!lang) throw new Error(`not a C, C++, Python, C#, Go, Java, JavaScript or TypeScript file: ${file}`);
  // A generous budget: a loaded CI machine must not turn a fixture into "not analysed".
  return { text, result: lint(text, lang, { profile: 'windows-legacy', timeBudgetMs: 30_000, ...options }) };
}

/** "line:rule" strings for one rule, sorted, so assertion failures show the difference. */
export function linesFor(result: LintResult, ruleId: string): string[] {
  return result.findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.range.start.line + 1}:${ruleId}`).sort();
}

export function expectedFor(text: string, ruleId: string): string[] {
  return expectations(text).filter((e) => e.ruleId === ruleId).map((e) => `${e.line + 1}:${ruleId}`).sort();
}

type Edit = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };

/** Applies LSP-style edits (0-based lines, UTF-16 columns) as an editor would: all ranges refer to
 *  the original text, so they are applied from the last to the first. Overlapping edits throw. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => {
    if (p.line >= lineStarts.length) return text.length;
    const lineEnd = p.line + 1 < lineStarts.length ? lineStarts[p.line + 1] : text.length;
    return Math.min(lineStarts[p.line] + p.character, lineEnd);
  };
  const spans = edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i].end > spans[i - 1].start) throw new Error('overlapping edits');
  }
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return out;
}
