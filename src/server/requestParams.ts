// Shape checks for request params. A client (or anything that can write to the server's stdin)
// may send null, a missing field or a string where a position belongs; such a request gets an
// empty answer, never an internal error.
import type { CodeActionParams, TextDocumentPositionParams } from 'vscode-languageserver';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isDocumentId(v: unknown): boolean {
  return isObject(v) && typeof v.uri === 'string';
}

function isPosition(v: unknown): boolean {
  return isObject(v) && isCount(v.line) && isCount(v.character);
}

function isRange(v: unknown): boolean {
  return isObject(v) && isPosition(v.start) && isPosition(v.end);
}

export function isTextDocumentPositionParams(p: unknown): p is TextDocumentPositionParams {
  return isObject(p) && isDocumentId(p.textDocument) && isPosition(p.position);
}

/** Diagnostics are checked one by one where they are used; the list itself must be an array. */
export function isCodeActionParams(p: unknown): p is CodeActionParams {
  return isObject(p) && isDocumentId(p.textDocument) && isRange(p.range)
    && isObject(p.context) && Array.isArray(p.context.diagnostics)
    && (p.context.only === undefined || p.context.only === null || Array.isArray(p.context.only));
}

/** A diagnostic the client sent back: only its range (and, if present, its code and data) are read. */
export function isDiagnosticLike(d: unknown): boolean {
  return isObject(d) && isRange(d.range);
}
