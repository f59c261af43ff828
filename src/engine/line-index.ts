// Maps UTF-16 offsets (what web-tree-sitter reports for JavaScript strings, and what the IR keeps)
// to LSP line/character positions, computed from the text itself so columns are right whatever
// characters precede them.
import type { Position, Range } from './types';

export class LineIndex {
  private starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
  offset(p: Position): number { return this.lineStart(p.line) + p.character; }
  lineStart(line: number): number { return this.starts[Math.min(Math.max(line, 0), this.starts.length - 1)]; }
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > 0 && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }
  lineCount(): number { return this.starts.length; }
  /** Leading whitespace of the line holding `offset`. */
  indentAt(offset: number): string {
    const start = this.starts[this.position(offset).line];
    let end = start;
    while (end < this.text.length && end - start < 200 && (this.text[end] === ' ' || this.text[end] === '\t')) end++;
    return this.text.slice(start, end);
  }
  /**
   * The span widened to whole lines when nothing but whitespace (and a trailing line comment) shares
   * its lines: deleting or moving it then leaves no blank line behind.
   */
  wholeLines(start: number, end: number): Range {
    const s = this.position(start), e = this.position(end);
    const ls = this.lineStart(s.line);
    let onlySpaceBefore = true;
    for (let i = ls; i < start; i++) if (this.text[i] !== ' ' && this.text[i] !== '\t') { onlySpaceBefore = false; break; }
    const le = this.lineEnd(e.line);
    let rest = this.text.slice(end, le).trim();
    if (rest.startsWith('//')) rest = '';
    if (onlySpaceBefore && rest === '' && e.line + 1 < this.lineCount()) {
      return { start: { line: s.line, character: 0 }, end: { line: e.line + 1, character: 0 } };
    }
    return this.range(start, end);
  }
}
