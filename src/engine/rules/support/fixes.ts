// Quick fixes as text edits, placed where an engineer would write them: after the statement that
// creates the socket and its error check, with the file's indentation; headers added to the include
// block in order and only when missing; no variable left unused. Positions come from the model;
// the text is only used to lay the new code out.
import type { SocketModel, SocketOp } from '../../model';
import type { Fix, Range, TextEdit } from '../../types';

function at(line: number): Range { return { start: { line, character: 0 }, end: { line, character: 0 } }; }

/** The statement after which code that configures the socket goes: its creation, or the check right after it. */
function afterCreation(op: SocketOp): { line: number; indent: string } | undefined {
  const c = op.state.creation;
  if (!c?.statement) return undefined;
  const last = c.errorCheck ?? c.statement;
  const line = last.end.character === 0 ? last.end.line : last.end.line + 1;
  return { line, indent: '' };
}

function lineText(text: string, line: number): string {
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

export function indentOfLine(text: string, line: number): string {
  const l = lineText(text, line);
  let i = 0;
  while (i < l.length && (l[i] === ' ' || l[i] === '\t')) i++;
  return l.slice(0, i);
}

/** A name for a new local that no local of the function already has. */
function freshName(model: SocketModel, op: SocketOp, base: string): string {
  const taken = model.locals.get(op.fnKey) ?? new Set<string>();
  if (!taken.has(base)) return base;
  for (let i = 2; i < 100; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
  return `${base}_${op.index}`;
}

/**
 * POSIX declares TCP_NODELAY in <netinet/tcp.h>, which socket code often leaves out (Winsock's
 * <winsock2.h> has it): added among the system includes, in alphabetical order, when missing.
 */
function tcpHeaderEdit(model: SocketModel): TextEdit | undefined {
  if (model.api === 'winsock') return undefined;
  const header = 'netinet/tcp.h';
  if (model.includes.some((i) => i.path === header)) return undefined;
  const system = model.includes.filter((i) => i.system);
  if (system.length === 0) {
    if (model.includes.length === 0) return undefined;
    const last = model.includes[model.includes.length - 1];
    return { range: at(last.line + 1), newText: `#include <${header}>\n` };
  }
  // The first system include (in its block of consecutive lines) that sorts after the new one.
  const after = system.find((i) => i.path.localeCompare(header) > 0 && i.path.includes('/'));
  const line = after ? after.line : system[system.length - 1].line + 1;
  return { range: at(line), newText: `#include <${header}>\n` };
}

/** Set TCP_NODELAY right after the socket is created (and checked); else before the loop that sends. */
export function insertNodelayFix(model: SocketModel, text: string, op: SocketOp, title = 'Set TCP_NODELAY on this socket'): Fix | undefined {
  const place = afterCreation(op);
  const creation = op.state.creation;
  let line: number, indent: string, socketText: string;
  if (place && creation) {
    line = place.line;
    indent = indentOfLine(text, creation.statement!.start.line);
    socketText = creation.display;
  } else {
    if (!op.socket || op.variesPerIteration) return undefined;
    const outer = op.loops[0];
    const anchor = outer ? outer.range.start.line : op.statement?.range.start.line;
    if (anchor === undefined) return undefined;
    line = anchor;
    indent = indentOfLine(text, anchor);
    socketText = op.socket.text;
  }
  const name = freshName(model, op, 'nodelay');
  const cast = model.api === 'winsock' ? '(const char *)' : '';
  const code = `${indent}int ${name} = 1;\n${indent}setsockopt(${socketText}, IPPROTO_TCP, TCP_NODELAY, ${cast}&${name}, sizeof ${name});\n`;
  const edits: TextEdit[] = [{ range: at(line), newText: code }];
  const include = tcpHeaderEdit(model);
  if (include) edits.unshift(include);
  return { title, edits, safe: true };
}

/** Merges fixes into one, dropping edits that repeat (two sockets made by one factory share its insertion). */
export function combineFixes(title: string, fixes: (Fix | undefined)[]): Fix | undefined {
  if (fixes.some((f) => !f)) return undefined;
  const seen = new Set<string>();
  const edits = fixes.flatMap((f) => f!.edits).filter((e) => {
    const key = `${e.range.start.line}:${e.range.start.character}:${e.newText}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { title, edits, safe: fixes.every((f) => f!.safe) };
}

/**
 * Removes a setsockopt statement (or the `if` that only checks it), and the declaration of its
 * value when nothing else uses it.
 */
export function removeSetsockoptFix(op: SocketOp, title: string): Fix | undefined {
  const range = op.statementRange ?? (op.ownIf ? op.statement?.range : undefined);
  if (!range || range.start.character !== 0) return undefined;
  const edits: TextEdit[] = [{ range, newText: '' }];
  const decl = op.option?.valueDecl;
  if (decl?.onlyUse && decl.range.start.character === 0 && decl.range.end.character === 0) edits.push({ range: decl.range, newText: '' });
  return { title, edits, safe: true };
}

/** Moves a statement (whole lines) to just before another (whole lines), re-indented. */
export function moveStatementFix(title: string, text: string, stmt: Range, before: Range): Fix | undefined {
  if (stmt.start.character !== 0 || stmt.end.character !== 0) return undefined;
  const lines: string[] = [];
  for (let l = stmt.start.line; l < stmt.end.line; l++) lines.push(lineText(text, l));
  const fromIndent = indentOfLine(text, stmt.start.line);
  const toIndent = indentOfLine(text, before.start.line);
  const reindented = lines.map((l) => (l.startsWith(fromIndent) ? toIndent + l.slice(fromIndent.length) : l)).join('\n') + '\n';
  return {
    title,
    edits: [
      { range: at(before.start.line), newText: reindented },
      { range: stmt, newText: '' },
    ],
    safe: true,
  };
}

/** The file's unit of indentation (a tab, or the smallest run of spaces that starts a line). */
export function indentUnit(text: string): string {
  // One file's findings all ask for the same text.
  if (lastIndent && lastIndent.text === text) return lastIndent.unit;
  const unit = measureIndentUnit(text);
  lastIndent = { text, unit };
  return unit;
}
let lastIndent: { text: string; unit: string } | undefined;

function measureIndentUnit(text: string): string {
  let smallest = 0, tabs = 0, spaces = 0;
  let lineStart = true, run = 0;
  for (let i = 0; i < text.length && i < 200_000; i++) {
    const c = text[i];
    if (c === '\n') { lineStart = true; run = 0; continue; }
    if (!lineStart) continue;
    if (c === '\t') { tabs++; lineStart = false; continue; }
    if (c === ' ') { run++; continue; }
    if (run > 0) { spaces++; if (smallest === 0 || run < smallest) smallest = run; }
    lineStart = false;
  }
  if (tabs > spaces) return '\t';
  return ' '.repeat(smallest >= 2 && smallest <= 8 ? smallest : 4);
}

/**
 * Replaces a one-shot `send(...);` statement with a loop that sends every byte (for blocking
 * sockets). Offered for review, not applied by --fix: what to do on an error is the author's call.
 */
export function sendAllFix(model: SocketModel, text: string, op: SocketOp): Fix | undefined {
  if (!op.statementRange || op.statementRange.start.character !== 0 || !op.socket || !op.length?.text || !op.buffer?.text) return undefined;
  if (op.kind !== 'send' || op.callee !== 'send' && op.callee !== 'write') return undefined;
  const indent = indentOfLine(text, op.statementRange.start.line);
  const unit = indentUnit(text);
  const sent = freshName(model, op, 'sent');
  const n = freshName(model, op, 'n');
  const winsock = model.api === 'winsock';
  const fail = winsock ? 'SOCKET_ERROR' : '-1';
  const call = op.callee === 'write'
    ? `write(${op.socket.text}, (const char *)(${op.buffer.text}) + ${sent}, (${op.length.text}) - ${sent})`
    : `send(${op.socket.text}, (const char *)(${op.buffer.text}) + ${sent}, (int)((${op.length.text}) - ${sent}), 0)`;
  const code = [
    `${indent}{`,
    `${indent}${unit}int ${sent} = 0;`,
    `${indent}${unit}while (${sent} < (int)(${op.length.text})) {`,
    `${indent}${unit}${unit}int ${n} = ${call};`,
    `${indent}${unit}${unit}if (${n} == ${fail}) break; /* the connection failed: handle it here */`,
    `${indent}${unit}${unit}${sent} += ${n};`,
    `${indent}${unit}}`,
    `${indent}}`,
    '',
  ].join('\n');
  return { title: 'Send every byte: loop until the whole length is sent', edits: [{ range: op.statementRange, newText: code }], safe: false };
}
