// `--fix` and `--fix-dry-run`, as ESLint and Ruff have them: apply the fixes a rule marks safe
// (`Fix.safe`, a change that needs no judgement), never two that touch the same text, re-lint
// and repeat while that uncovers more (at most MAX_PASSES times, as ESLint does), then report
// what remains. `--fix` writes the files back in the bytes they came in (encoding, BOM, line
// endings); `--fix-dry-run` prints a unified diff instead and writes nothing.
import { writeFileSync } from 'node:fs';
import * as iconv from 'iconv-lite';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { Finding, Fix, LintResult, Position, TextEdit } from '../engine';

/** ESLint's bound: a fix that keeps producing new fixable findings cannot loop forever. */
export const MAX_PASSES = 10;

export interface AppliedFix { ruleId: string; title: string; /** 1-based line of the finding, in the text the pass started from. */ line: number }

interface Span { start: number; end: number; newText: string }

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** A 0-based line / UTF-16 column position as an offset; a column past the line's end stops before its line break. */
function offsetOf(text: string, starts: number[], p: Position): number {
  if (p.line >= starts.length) return text.length;
  let lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] - 1 : text.length;
  if (lineEnd > starts[p.line] && text[lineEnd - 1] === '\r') lineEnd--;
  return Math.min(starts[p.line] + p.character, lineEnd);
}

/** The engine writes fixes with `\n`; in a CRLF file the new lines get CRLF too. */
function fitEol(newText: string, crlf: boolean): string {
  return crlf ? newText.replace(/\r?\n/g, '\r\n') : newText;
}

function spansOf(text: string, starts: number[], edits: TextEdit[], crlf: boolean): Span[] | undefined {
  const spans = edits
    .map((e) => ({ start: offsetOf(text, starts, e.range.start), end: offsetOf(text, starts, e.range.end), newText: fitEol(e.newText, crlf) }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  if (spans.some((s) => s.end < s.start)) return undefined;
  // A fix whose own edits overlap cannot be applied in any order that means what it says.
  for (let i = 1; i < spans.length; i++) if (spans[i].start < spans[i - 1].end) return undefined;
  return spans;
}

/** Two fixes conflict when their edits overlap or even touch: the order of two insertions at one point is a guess. */
function conflicts(a: Span[], b: Span[]): boolean {
  return a.some((x) => b.some((y) => x.start <= y.end && y.start <= x.end));
}

export function safeFix(f: Finding): Fix | undefined {
  return f.fixes.find((x) => x.safe === true && x.edits.length > 0);
}

/** One pass: the first safe fix of each finding, in file order, skipping any that conflicts with one already taken. */
export function applySafeFixes(text: string, findings: readonly Finding[]): { text: string; applied: AppliedFix[] } {
  const starts = lineStarts(text);
  const crlf = text.includes('\r\n');
  const taken: Span[][] = [];
  const applied: AppliedFix[] = [];
  const ordered = [...findings].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  for (const f of ordered) {
    const fix = safeFix(f);
    if (!fix) continue;
    const spans = spansOf(text, starts, fix.edits, crlf);
    if (!spans || taken.some((t) => conflicts(t, spans))) continue;
    taken.push(spans);
    applied.push({ ruleId: f.ruleId, title: fix.title, line: f.range.start.line + 1 });
  }
  // All spans refer to the original text: apply them from the last to the first.
  const all = taken.flat().sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of all) out = out.slice(0, s.start) + s.newText + out.slice(s.end);
  return { text: out, applied };
}

/** Applies safe fixes and re-lints until nothing more applies; `result` describes the final text. */
export async function fixUntilStable(text: string, first: LintResult, relint: (text: string) => Promise<LintResult>): Promise<{ text: string; applied: AppliedFix[]; result: LintResult }> {
  let current = text;
  let result = first;
  const applied: AppliedFix[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const step = applySafeFixes(current, result.findings);
    if (step.applied.length === 0 || step.text === current) break;
    current = step.text;
    applied.push(...step.applied);
    result = await relint(current);
  }
  return { text: current, applied, result };
}

/** A unified diff of one file (git's a/ b/ prefixes, so `git apply` and `patch -p1` take it). */
export function unifiedDiff(display: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${display}`, `b/${display}`, before, after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
}

const BOMS: [string, number[]][] = [['utf-8', [0xef, 0xbb, 0xbf]], ['utf-16le', [0xff, 0xfe]], ['utf-16be', [0xfe, 0xff]]];

function encode(text: string, encoding: string, bom: Buffer): Buffer {
  const body = encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
  return Buffer.concat([bom, body]);
}

/**
 * The fixed text in the bytes the file came in: same encoding, same BOM. Undefined when the
 * original text would not encode back to exactly the original bytes (a wrong encoding guess,
 * undecodable bytes): writing then would change more than the fix.
 */
export function encodeLikeOriginal(original: Buffer, decodedText: string, encoding: string, fixedText: string): Buffer | undefined {
  const bomFor = BOMS.find(([enc, bytes]) => enc === encoding && bytes.every((b, i) => original[i] === b));
  const bom = Buffer.from(bomFor ? bomFor[1] : []);
  if (encoding !== 'utf-8' && !iconv.encodingExists(encoding)) return undefined;
  if (!encode(decodedText, encoding, bom).equals(original)) return undefined;
  return encode(fixedText, encoding, bom);
}

/** What `--fix` / `--fix-dry-run` did over the whole run. */
export class FixRun {
  private readonly diffs: string[] = [];
  private fixes = 0;
  private files = 0;

  constructor(readonly dryRun: boolean, private readonly notice: (level: 'error' | 'warning', message: string, abs: string) => void) {}

  /**
   * Fixes one file's text. Returns the text and lint result to report: the fixed ones, or the
   * original ones when the file could not be written back.
   */
  async file(abs: string, display: string, original: Buffer, decoded: { text: string; encoding: string }, first: LintResult,
    relint: (text: string) => Promise<LintResult>): Promise<{ text: string; result: LintResult }> {
    const outcome = await fixUntilStable(decoded.text, first, relint);
    if (outcome.applied.length === 0) return { text: decoded.text, result: first };
    if (this.dryRun) {
      this.diffs.push(unifiedDiff(display, decoded.text, outcome.text));
    } else {
      const bytes = encodeLikeOriginal(original, decoded.text, decoded.encoding, outcome.text);
      if (!bytes) {
        this.notice('warning', `not fixed: the file does not read back byte for byte as ${decoded.encoding}; set --encoding`, abs);
        return { text: decoded.text, result: first };
      }
      try {
        writeFileSync(abs, bytes);
      } catch (e) {
        this.notice('error', `not fixed: cannot write the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, abs);
        return { text: decoded.text, result: first };
      }
    }
    this.fixes += outcome.applied.length;
    this.files++;
    return { text: outcome.text, result: outcome.result };
  }

  /** The diff `--fix-dry-run` prints (empty when nothing would change). */
  diff(): string {
    return this.diffs.join('');
  }

  /** One line for stderr. */
  summary(remaining: number): string {
    const fixes = `${this.fixes} fix${this.fixes === 1 ? '' : 'es'}`;
    const files = `${this.files} file${this.files === 1 ? '' : 's'}`;
    const left = `${remaining} problem${remaining === 1 ? '' : 's'}`;
    if (this.fixes === 0) return `socklint: no safe fixes to apply; ${left} left`;
    return this.dryRun ? `socklint: would apply ${fixes} in ${files}; ${left} would remain` : `socklint: applied ${fixes} in ${files}; ${left} left`;
  }
}
