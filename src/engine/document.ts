// A document kept open across edits (the language server's unit): the tree is edited in place
// from LSP change events and re-parsed incrementally, so a keystroke re-parses only what changed.
import type { Edit, Point, Tree } from 'web-tree-sitter';
import { LineIndex } from './line-index';
import { internalErrorNotice, parseBounded, precheck } from './lint';
import { lintProject } from './project';
import {
  DEFAULT_TIME_BUDGET_MS, type LanguageId, type LintOptions, type LintResult, type Position, type Range,
} from './types';

export interface ContentChange { range?: Range; text: string }

export class LintDocument {
  private tree: Tree | null = null;
  private index: LineIndex;
  private disposed = false;

  constructor(private text: string, readonly languageId: LanguageId) {
    this.index = new LineIndex(text);
  }

  getText(): string { return this.text; }

  /** Applies LSP content changes in order; a change without a range replaces the whole text. */
  applyChanges(changes: ContentChange[]): void {
    for (const change of changes) {
      if (!change.range) {
        this.text = change.text;
        this.tree?.delete();
        this.tree = null;
      } else {
        const start = this.offsetAt(change.range.start);
        const oldEnd = this.offsetAt(change.range.end);
        const next = this.text.slice(0, start) + change.text + this.text.slice(oldEnd);
        const newEnd = start + change.text.length;
        if (this.tree) {
          const edit: Edit = {
            startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd,
            startPosition: this.point(change.range.start),
            oldEndPosition: this.point(change.range.end),
            newEndPosition: pointAfter(change.range.start, change.text),
          };
          this.tree.edit(edit);
        }
        this.text = next;
      }
      this.index = new LineIndex(this.text);
    }
  }

  lint(options: LintOptions = {}): LintResult {
    if (this.disposed) throw new Error('socklint: document disposed');
    const skipped = precheck(this.text, options);
    if (skipped) { this.tree?.delete(); this.tree = null; return skipped; }
    const start = performance.now();
    const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
    try {
      const parsed = parseBounded(this.text, this.languageId, start + budget, budget, this.tree, options.parserHeapCapBytes);
      const parseMs = performance.now() - start;
      this.tree?.delete();
      this.tree = parsed.tree;
      if (!parsed.tree) return { findings: [], suppressed: [], notices: [parsed.stopped], errorNodes: 0, timing: { parseMs, analyseMs: 0 } };
      const remaining = Math.max(1, budget - parseMs);
      const result = lintProject([{ path: '<document>', text: this.text, languageId: this.languageId, tree: parsed.tree }], { ...options, timeBudgetMs: remaining }).get('<document>')!;
      return { ...result, timing: { parseMs, analyseMs: result.timing.analyseMs } };
    } catch (e) {
      return { findings: [], suppressed: [], notices: [internalErrorNotice(e)], errorNodes: 0, timing: { parseMs: 0, analyseMs: 0 } };
    }
  }

  /** The current tree's S-expression (tests compare incremental and fresh parses with it). */
  treeString(): string | undefined { return this.tree?.rootNode.toString(); }

  dispose(): void {
    this.tree?.delete();
    this.tree = null;
    this.disposed = true;
  }

  private offsetAt(p: Position): number {
    const line = Math.max(0, Math.min(p.line, this.index.lineCount() - 1));
    const lineStart = this.index.lineStart(line);
    const nextStart = line + 1 < this.index.lineCount() ? this.index.lineStart(line + 1) : this.text.length + 1;
    return Math.min(lineStart + Math.max(0, p.character), nextStart - 1, this.text.length);
  }

  private point(p: Position): Point {
    const offset = this.offsetAt(p);
    const pos = this.index.position(offset);
    return { row: pos.line, column: pos.character * 2 };
  }
}

/** Where the text ends when inserted at `start` (columns in tree-sitter's UTF-16 byte units). */
function pointAfter(start: Position, inserted: string): Point {
  const lines = inserted.split('\n');
  if (lines.length === 1) return { row: start.line, column: (start.character + inserted.length) * 2 };
  return { row: start.line + lines.length - 1, column: lines[lines.length - 1].length * 2 };
}
