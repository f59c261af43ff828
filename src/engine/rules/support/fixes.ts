// Text edits rules offer as quick fixes. Each is only offered where it is safe: a statement of its
// own that can be removed or moved, or a new statement inserted at a known place.
import type { SocketModel, SocketOp } from '../../model';
import type { Fix, Range } from '../../types';
import { isWinsock, symbols } from './facts';

function lineStart(line: number): Range['start'] { return { line, character: 0 }; }

/** The setsockopt that turns Nagle off, as one line of C that compiles with Winsock and POSIX. */
function nodelayLine(indent: string, socketText: string): string {
  return `${indent}{ int nodelay = 1; setsockopt(${socketText}, IPPROTO_TCP, TCP_NODELAY, (const char *)&nodelay, sizeof nodelay); }\n`;
}

/**
 * Inserts TCP_NODELAY right after the statement that creates the socket (socket/accept), or, when
 * the socket comes from elsewhere, before the statement (or the outermost loop) holding `anchor`.
 */
export function insertNodelayFix(model: SocketModel, text: string, anchor: SocketOp, title = 'Set TCP_NODELAY on this socket'): Fix | undefined {
  const fix = nodelayStatement(model, text, anchor, title);
  if (!fix) return undefined;
  const include = tcpHeaderEdit(text);
  return { ...(include ? { title, edits: [include, ...fix.edits] } : fix), safe: true };
}

/**
 * POSIX declares TCP_NODELAY in <netinet/tcp.h>, which socket code often does not include
 * (Winsock's <winsock2.h> has it): add the include after the file's last #include.
 */
function tcpHeaderEdit(text: string): Fix['edits'][number] | undefined {
  if (isWinsock(text) || /#\s*include\s*<netinet\/tcp\.h>/.test(text)) return undefined;
  const lines = text.split('\n');
  let last = -1;
  for (let i = 0; i < lines.length && i < 400; i++) if (/^\s*#\s*include\b/.test(lines[i])) last = i;
  if (last < 0) return undefined;
  return { range: { start: lineStart(last + 1), end: lineStart(last + 1) }, newText: '#include <netinet/tcp.h>\n' };
}

/** Merges fixes into one, dropping edits that repeat (two sockets made by one factory share its insertion). */
export function combineFixes(title: string, fixes: (Fix | undefined)[]): Fix | undefined {
  if (fixes.some((f) => !f)) return undefined;
  const seen = new Set<string>();
  const edits = fixes.flatMap((f) => f!.edits).filter((e) => {
    const key = JSON.stringify(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { title, edits, safe: fixes.every((f) => f!.safe === true) };
}

function nodelayStatement(model: SocketModel, text: string, anchor: SocketOp, title: string): Fix | undefined {
  const created = symbols(model, anchor.socket).find((s) => s.createdStatement && (s.origin === 'socket' || s.origin === 'accept'));
  if (created?.createdStatement && created.createdAt) {
    const stmt = created.createdStatement;
    const line = stmt.end.character === 0 ? stmt.end.line : stmt.end.line + 1;
    const indent = indentOfLine(text, stmt.start.line);
    return { title, edits: [{ range: { start: lineStart(line), end: lineStart(line) }, newText: nodelayLine(indent, created.display) }] };
  }
  if (!anchor.socketText || anchor.variesPerIteration) return undefined;
  const outer = anchor.loops[0];
  const at = outer ? outer.range.start.line : anchor.statement?.range.start.line;
  if (at === undefined) return undefined;
  const indent = indentOfLine(text, at);
  return { title, edits: [{ range: { start: lineStart(at), end: lineStart(at) }, newText: nodelayLine(indent, anchor.socketText) }] };
}

/** Deletes a statement that is a line (or lines) of its own. */
export function removeStatementFix(title: string, range: Range | undefined): Fix | undefined {
  if (!range) return undefined;
  return { title, edits: [{ range, newText: '' }], safe: true };
}

/** Moves `stmt` (whole lines) to just before `before` (whole lines), re-indented. */
export function moveStatementFix(title: string, text: string, stmt: Range, before: Range): Fix | undefined {
  if (stmt.start.character !== 0 || stmt.end.character !== 0) return undefined;
  const lines = text.split('\n');
  const moved = lines.slice(stmt.start.line, stmt.end.line);
  const fromIndent = /^[ \t]*/.exec(moved[0] ?? '')?.[0] ?? '';
  const toIndent = indentOfLine(text, before.start.line);
  const reindented = moved.map((l) => (l.startsWith(fromIndent) ? toIndent + l.slice(fromIndent.length) : l)).join('\n') + '\n';
  return {
    title,
    edits: [
      { range: { start: lineStart(before.start.line), end: lineStart(before.start.line) }, newText: reindented },
      { range: stmt, newText: '' },
    ],
    safe: true,
  };
}

export function indentOfLine(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  return /^[ \t]*/.exec(text.slice(start, start + 200))?.[0] ?? '';
}
