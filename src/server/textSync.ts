// Applies `didChange` content changes so that the server's two copies of a document (the
// TextDocument it answers requests from, and the engine's incremental copy) can never disagree.
// Each change is checked and put in canonical form first: a range whose start is after its end
// is swapped (as TextDocument does), positions past the end of a line or of the document are
// clamped (as LSP specifies), and a change that is not a change at all (no text, a range without
// numbers) is dropped and reported. Both copies then receive the same canonical changes.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ContentChange } from '../engine/document';
import type { Position } from '../engine/types';

export interface SyncedChanges {
  doc: TextDocument;
  /** The changes as applied: ranges in order and inside the text they applied to. */
  changes: ContentChange[];
  /** What was repaired or dropped, for the log. */
  problems: string[];
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

function isPosition(p: unknown): p is Position {
  return typeof p === 'object' && p !== null && isCount((p as Position).line) && isCount((p as Position).character);
}

/** A position inside the text: lines past the end mean the end; characters past a line's end mean its end. */
function clamp(doc: TextDocument, p: Position): Position {
  const text = doc.getText();
  const lastLine = doc.lineCount - 1;
  if (p.line > lastLine) return doc.positionAt(text.length);
  const line = Math.max(0, Math.trunc(p.line));
  const start = doc.offsetAt({ line, character: 0 });
  let end = line < lastLine ? doc.offsetAt({ line: line + 1, character: 0 }) : text.length;
  if (end > start && text.charCodeAt(end - 1) === 10) end--;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return { line, character: Math.min(Math.max(0, Math.trunc(p.character)), end - start) };
}

const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
const same = (a: Position, b: Position) => a.line === b.line && a.character === b.character;

/** Applies `changes` in order to `doc` (at `version`), repairing or dropping malformed ones. */
export function applyContentChanges(doc: TextDocument, changes: unknown, version: number): SyncedChanges {
  const problems: string[] = [];
  const applied: ContentChange[] = [];
  let current = doc;
  const list: unknown[] = Array.isArray(changes) ? changes : [];
  if (!Array.isArray(changes)) problems.push('contentChanges is not an array; no change applied');
  list.forEach((raw, i) => {
    const change = raw as Partial<TextDocumentContentChangeEvent> & { range?: unknown };
    if (typeof change !== 'object' || change === null || typeof change.text !== 'string') {
      problems.push(`change ${i} has no text; dropped`);
      return;
    }
    let next: ContentChange;
    if (change.range === undefined || change.range === null) {
      next = { text: change.text };
    } else {
      const r = change.range as { start?: unknown; end?: unknown };
      if (!isPosition(r.start) || !isPosition(r.end)) {
        problems.push(`change ${i} has a malformed range; dropped`);
        return;
      }
      let start = clamp(current, r.start);
      let end = clamp(current, r.end);
      if (!same(start, r.start) || !same(end, r.end)) problems.push(`change ${i}: a position outside the document was clamped`);
      if (before(end, start)) {
        [start, end] = [end, start];
        problems.push(`change ${i}: the range's start was after its end; swapped`);
      }
      next = { range: { start, end }, text: change.text };
    }
    current = TextDocument.update(current, [next as TextDocumentContentChangeEvent], version);
    applied.push(next);
  });
  return { doc: TextDocument.update(current, [], version), changes: applied, problems };
}
