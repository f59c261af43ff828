// Quick fixes as text edits, placed where an engineer would write them: after the statement that
// creates the socket and its error check, with the file's indentation; headers added to the include
// block in order and only when missing; no variable left unused. Positions come from the model;
// the text is only used to lay the new code out.
import type { SocketModel, SocketOp } from '../../model';
import type { Fix, Range, TextEdit } from '../../types';
import { count } from './format';
import { sameSocket } from './facts';
import { isNodeRuntime } from './runtime-names';

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

/** A name for a new local that no local of the function (nor one of `avoid`) already has. */
function freshName(model: SocketModel, op: SocketOp, base: string, avoid: string[] = []): string {
  const taken = new Set([...(model.locals.get(op.fnKey) ?? []), ...avoid]);
  if (!taken.has(base)) return base;
  for (let i = 2; i < 100; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
  return `${base}_${op.index}`;
}

/**
 * Adds `#include <header>` among the system includes, in alphabetical order within headers of its
 * kind (with or without a directory), when neither it nor one of `alternatives` is included.
 */
function headerEdit(model: SocketModel, header: string, alternatives: string[] = []): TextEdit | undefined {
  if (model.includes.some((i) => i.path === header || alternatives.includes(i.path))) return undefined;
  const system = model.includes.filter((i) => i.system);
  if (system.length === 0) {
    if (model.includes.length === 0) return undefined;
    const last = model.includes[model.includes.length - 1];
    return { range: at(last.line + 1), newText: `#include <${header}>\n` };
  }
  // The first system include of the same kind that sorts after the new one.
  const nested = header.includes('/');
  const after = system.find((i) => i.path.localeCompare(header) > 0 && i.path.includes('/') === nested);
  const line = after ? after.line : system[system.length - 1].line + 1;
  return { range: at(line), newText: `#include <${header}>\n` };
}

/**
 * POSIX declares TCP_NODELAY in <netinet/tcp.h> and IPPROTO_TCP in <netinet/in.h>, which socket code
 * often leaves out (Winsock's <winsock2.h> has both).
 */
function tcpHeaderEdits(model: SocketModel): TextEdit[] {
  if (model.api === 'winsock') return [];
  return [headerEdit(model, 'netinet/in.h'), headerEdit(model, 'netinet/tcp.h')].filter((e): e is TextEdit => !!e);
}

/** Set TCP_NODELAY right after the socket is created (and checked); else before the loop that sends. */
export function insertNodelayFix(model: SocketModel, text: string, op: SocketOp, title = 'Set TCP_NODELAY on this socket', avoid: string[] = []): Fix | undefined {
  if (model.language === 'csharp') return csharpNodelayFix(model, text, op, title.split('TCP_NODELAY').join('NoDelay = true'));
  if (model.language === 'go') return goNodelayFix(model, op);
  if (model.language === 'java') return javaNodelayFix(model, text, op, title.split('Set TCP_NODELAY').join('Call setTcpNoDelay(true)'));
  if (isNodeRuntime(model)) return nodeNodelayFix(model, text, op, title.split('Set TCP_NODELAY').join('Call setNoDelay(true)').split('TCP_NODELAY').join('setNoDelay(true)'));
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
  if (model.language === 'python') {
    // The socket module's own names; not applied blindly (the module may be imported under another name).
    return { title, edits: [{ range: at(line), newText: `${indent}${socketText}.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)\n` }] };
  }
  const name = freshName(model, op, 'nodelay', avoid);
  const cast = model.api === 'winsock' ? '(const char *)' : '';
  const code = `${indent}int ${name} = 1;\n${indent}setsockopt(${socketText}, IPPROTO_TCP, TCP_NODELAY, ${cast}&${name}, sizeof ${name});\n`;
  return { title, edits: mergeInsertions([...tcpHeaderEdits(model), { range: at(line), newText: code }]), safe: true };
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

/**
 * The most common step by which a code line's indentation grows over the line before it (comment
 * continuation lines such as ` * ...` and preprocessor lines left out), or a tab when most lines
 * start with one.
 */
function measureIndentUnit(text: string): string {
  let tabs = 0, spaces = 0, prev = 0;
  const steps = new Map<number, number>();
  const lines = text.slice(0, 200_000).split('\n');
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    const body = line.trimStart();
    if (body === '' || body.startsWith('*') || body.startsWith('//') || body.startsWith('/*') || body.startsWith('#')) continue;
    const lead = line.slice(0, line.length - body.length);
    if (lead.startsWith('\t')) { tabs++; continue; }
    if (lead.length > 0) spaces++;
    if (lead.length > prev) steps.set(lead.length - prev, (steps.get(lead.length - prev) ?? 0) + 1);
    prev = lead.length;
  }
  if (tabs > spaces) return '\t';
  let best = 4, seen = 0;
  for (const [step, n] of steps) if (step >= 2 && step <= 8 && (n > seen || (n === seen && step < best))) { best = step; seen = n; }
  return ' '.repeat(best);
}

/** The fixes below write C (or C++): offered only on those files. */
function writesC(model: SocketModel): boolean {
  return model.language === 'c' || model.language === 'cpp';
}

/**
 * Replaces a one-shot `send(...);` statement with a loop that sends every byte (for blocking
 * sockets). Offered for review, not applied by --fix: what to do on an error is the author's call.
 */
export function sendAllFix(model: SocketModel, text: string, op: SocketOp): Fix | undefined {
  if (model.language === 'python') return pythonSendAllFix(op);
  if (!writesC(model)) return undefined;
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

// ---- WOULDBLOCK, readiness and framing: fixes that need the author's judgement (never `safe`) ----

/** The test for WOULDBLOCK in the file's API. */
function wouldBlockTest(model: SocketModel): string {
  return model.api === 'winsock' ? 'WSAGetLastError() == WSAEWOULDBLOCK' : 'errno == EAGAIN || errno == EWOULDBLOCK';
}

/** <errno.h> for POSIX code that tests errno (C++ code may have <cerrno> instead). */
function errnoHeaderEdit(model: SocketModel): TextEdit | undefined {
  if (model.api === 'winsock') return undefined;
  return headerEdit(model, model.language === 'cpp' ? 'cerrno' : 'errno.h', ['errno.h', 'cerrno', 'sys/errno.h']);
}

const BOOL_TYPES = new Set(['bool', '_Bool', 'boolean']);
const NUMBER_TYPES = new Set([
  'int', 'long', 'short', 'signed', 'unsigned', 'ssize_t', 'size_t', 'SSIZE_T', 'ptrdiff_t', 'intptr_t', 'int32_t', 'int64_t',
  'DWORD', 'INT', 'LONG', 'HRESULT', 'SOCKET', 'char', 'int8_t', 'int16_t', 'uint32_t', 'uint64_t', 'uint16_t', 'uint8_t', 'UINT', 'ULONG', 'WORD',
]);

/**
 * A `return` of the enclosing function's type meaning "nothing went wrong" (`ok`) or "failed",
 * or undefined when the type does not say (a struct, `auto`).
 */
function returnOf(model: SocketModel, op: SocketOp, ok: boolean): string | undefined {
  const t = op.fnReturns;
  if (t.pointers > 0) return ok ? undefined : `return ${model.language === 'cpp' ? 'nullptr' : 'NULL'};`;
  if (t.name === 'void') return 'return;';
  // What the function returns at its end, when all went well.
  if (ok && t.onTheWayOut !== undefined) {
    const bool = BOOL_TYPES.has(t.name) && { 1: 'true', 0: 'false' }[t.onTheWayOut];
    return `return ${bool || t.onTheWayOut};`;
  }
  if (BOOL_TYPES.has(t.name)) return `return ${ok ? 'true' : 'false'};`;
  if (t.name === 'BOOL') return `return ${ok ? 'TRUE' : 'FALSE'};`;
  if (NUMBER_TYPES.has(t.name)) return ok ? 'return 0;' : 'return -1;';
  return undefined;
}

/**
 * Inserts `lines` (already indented) as the first statements of the op's failure branch; a branch
 * that is a single statement gets braces around the new lines and that statement.
 */
function prependToFailureBranch(text: string, op: SocketOp, lines: string[], inline: string): TextEdit[] | undefined {
  const e = op.errorPath;
  const r = e.range;
  if (!r || e.braced === undefined) return undefined;
  const regionIndent = indentOfLine(text, r.start.line);
  const ownLine = r.start.character === regionIndent.length;
  if (e.braced) {
    // `{ perror("send"); return -1; }` on one line: the test goes in front, on that line too.
    if (!ownLine) return [{ range: { start: r.start, end: r.start }, newText: `${inline} ` }];
    return [{ range: at(r.start.line), newText: lines.map((l) => `${regionIndent}${l}\n`).join('') }];
  }
  if (r.end.line !== r.start.line) return undefined;
  // `if (n < 0) return -1;` on one line: braces around the test and the statement, on that line.
  if (!ownLine) {
    return [
      { range: { start: r.start, end: r.start }, newText: `{ ${inline} ` },
      { range: { start: r.end, end: r.end }, newText: ' }' },
    ];
  }
  // A single statement on its own line under `if (...)`/`else`: brace it, K&R style.
  if (r.start.line === 0) return undefined;
  const header = lineText(text, r.start.line - 1);
  const headerEnd = header.replace(/\s+$/, '');
  if (!headerEnd.endsWith(')') && !headerEnd.endsWith('else')) return undefined;
  const after = lineText(text, r.end.line).slice(r.end.character).trim();
  if (after !== '' && !after.startsWith('//')) return undefined;
  const outer = indentOfLine(text, r.start.line - 1);
  const pos = (line: number, character: number): Range => ({ start: { line, character }, end: { line, character } });
  return [
    { range: pos(r.start.line - 1, headerEnd.length), newText: ' {' },
    { range: at(r.start.line), newText: lines.map((l) => `${regionIndent}${l}\n`).join('') },
    { range: at(r.end.line + 1), newText: `${outer}}\n` },
  ];
}

/**
 * unhandled-wouldblock: in the failure branch, before it closes or gives up, WOULDBLOCK goes back
 * to wait for readiness: `continue` in a loop that waits (or walks the sockets), else a return that
 * tells the caller nothing failed. What to do with unsent bytes stays the author's call.
 */
export function wouldBlockReturnsFix(model: SocketModel, text: string, op: SocketOp): Fix | undefined {
  // The fix writes C; the other languages get the advice in the message and the docs.
  if (!writesC(model)) return undefined;
  const loop = op.loops[op.loops.length - 1];
  const send = op.kind === 'send';
  let exit: string | undefined;
  if (loop && (loop.waits || op.variesPerIteration)) exit = 'continue;';
  else if (op.result.returned && !send && NUMBER_TYPES.has(op.fnReturns.name) && op.fnReturns.pointers === 0) exit = 'return -1;';
  else exit = returnOf(model, op, true);
  if (!exit) return undefined;
  const why = send ? 'send buffer full: send the rest when writable'
    : exit === 'return -1;' ? 'no data yet: the caller reads again when readable' : 'no data yet: read again when readable';
  const unit = indentUnit(text);
  const test = wouldBlockTest(model);
  const edits = prependToFailureBranch(text, op, [`if (${test})`, `${unit}${exit}  /* ${why} */`], `if (${test}) ${exit}`);
  if (!edits) return undefined;
  const include = errnoHeaderEdit(model);
  if (include) edits.unshift(include);
  const code = model.api === 'winsock' ? 'WSAEWOULDBLOCK' : 'EAGAIN';
  const verb = exit === 'continue;' ? 'Go on to the next pass' : 'Return';
  return { title: `${verb} on ${code} instead of ${op.errorPath.closes ? 'closing the connection' : 'giving up'}`, edits, safe: false };
}

/** Defines `name` (lines of code) above the function holding `op`, unless the file already defines it. */
function helperEdit(model: SocketModel, text: string, op: SocketOp, name: string, lines: string[]): TextEdit | undefined | null {
  if (model.definedNames.has(name)) return undefined;
  if (!op.helperSite) return null;
  const line = op.helperSite.start.line;
  const gap = line > 0 && lineText(text, line - 1).trim() !== '' ? '\n' : '';
  return { range: at(line), newText: `${gap}${lines.join('\n')}\n\n` };
}

/** Insertions at one position merged in the order given (an editor would apply them in any order). */
function mergeInsertions(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const same = out.find((o) => o.range.start.line === e.range.start.line && o.range.start.character === e.range.start.character
      && o.range.end.line === o.range.start.line && o.range.end.character === o.range.start.character
      && e.range.end.line === e.range.start.line && e.range.end.character === e.range.start.character);
    if (same) same.newText += e.newText; else out.push({ ...e });
  }
  return out;
}

/**
 * wouldblock-busy-retry: before each try in the retrying loop, wait (5 s at most) until the socket
 * is ready, through a small helper defined above the function; on a timeout or an error, give up
 * with the function's failure value.
 */
export function waitBeforeRetryFix(model: SocketModel, text: string, op: SocketOp): Fix | undefined {
  // The fix writes C; the other languages get the advice in the message and the docs.
  if (!writesC(model)) return undefined;
  const loop = op.loops[op.loops.length - 1];
  const stmt = op.statement?.range;
  if (!loop || !stmt || stmt.start.character !== 0 || !op.socket) return undefined;
  // The statement must be inside the loop's body, not the loop itself.
  if (stmt.start.line <= loop.range.start.line || stmt.end.line > loop.range.end.line) return undefined;
  const fail = returnOf(model, op, false);
  if (!fail) return undefined;
  const send = op.kind === 'send';
  const winsock = model.api === 'winsock';
  const name = send ? 'wait_writable' : 'wait_readable';
  const unit = indentUnit(text);
  const sock = winsock ? 'SOCKET s' : 'int fd';
  const body = winsock
    ? [
      `${unit}fd_set ready;`,
      `${unit}struct timeval limit;`,
      `${unit}FD_ZERO(&ready);`,
      `${unit}FD_SET(s, &ready);`,
      `${unit}limit.tv_sec = timeout_ms / 1000;`,
      `${unit}limit.tv_usec = (timeout_ms % 1000) * 1000;`,
      send ? `${unit}return select(0, NULL, &ready, NULL, &limit);` : `${unit}return select(0, &ready, NULL, NULL, &limit);`,
    ]
    : [
      `${unit}struct pollfd pfd;`,
      `${unit}pfd.fd = fd;`,
      `${unit}pfd.events = ${send ? 'POLLOUT' : 'POLLIN'};`,
      `${unit}pfd.revents = 0;`,
      `${unit}return poll(&pfd, 1, timeout_ms);`,
    ];
  const helper = helperEdit(model, text, op, name, [
    `/* Waits until the socket ${send ? 'has room in its send buffer' : 'has data to read'}, timeout_ms at most: 1 when ready, 0 on timeout, -1 on error. */`,
    `static int ${name}(${sock}, int timeout_ms)`,
    '{',
    ...body,
    '}',
  ]);
  if (helper === null) return undefined;
  const indent = indentOfLine(text, stmt.start.line);
  const code = winsock ? 'WSAEWOULDBLOCK' : 'EAGAIN';
  const edits: TextEdit[] = [{
    range: at(stmt.start.line),
    newText: `${indent}if (${name}(${op.socket.text}, 5000) <= 0)  /* wait instead of spinning on ${code} */\n${indent}${unit}${fail}\n`,
  }];
  if (helper) edits.unshift(helper);
  const include = winsock ? undefined : headerEdit(model, 'poll.h', ['sys/poll.h']);
  if (include) edits.unshift(include);
  return { title: `Wait for the socket to be ${send ? 'writable' : 'readable'} (5 s at most) instead of spinning on ${code}`, edits: mergeInsertions(edits), safe: false };
}

/**
 * recv-message-boundary: a fixed-size object on a blocking socket is read whole with MSG_WAITALL
 * (recv() then returns less only at the end of the stream or on an error); a text message is read
 * up to its end of line by a recv_line helper defined above the function. Binary records of a size
 * the code does not state get no fix: their framing is the protocol's.
 */
export function readWholeMessageFix(model: SocketModel, text: string, op: SocketOp): Fix | undefined {
  // The fix writes C; the other languages get the advice in the message and the docs.
  if (!writesC(model)) return undefined;
  const framing = op.consumedAsMessage?.framing;
  if (!framing || op.state.nonBlocking || !op.socket) return undefined;
  const plainRecv = op.callee === 'recv' || op.callee === '::recv';
  const plainRead = op.callee === 'read' || op.callee === '::read';
  if (!plainRecv && !plainRead) return undefined;
  if (framing === 'text') return recvLineFix(model, text, op, plainRecv);
  // Only one whole fixed-size object (`&hdr, sizeof hdr`) is known to be the message: a buffer read to
  // its capacity is usually larger than the messages, and waiting for all of it would hang.
  const n = op.length?.value;
  if (framing !== 'object' || n === undefined) return undefined;
  const title = `Wait for the whole ${count(n!)}-byte message: recv() with MSG_WAITALL`;
  if (plainRecv) {
    const flags = op.args[3];
    if (!flags || op.args.length !== 4) return undefined;
    const old = sliceRange(text, flags);
    return { title, edits: [{ range: flags, newText: old.trim() === '0' ? 'MSG_WAITALL' : `${old} | MSG_WAITALL` }], safe: false };
  }
  if (model.api === 'winsock' || op.args.length !== 3) return undefined;
  // read(fd, buf, n) on a socket: the same call as recv() with flags.
  const last = op.args[2];
  return {
    title,
    edits: [
      { range: op.nameRange, newText: 'recv' },
      { range: { start: last.end, end: last.end }, newText: ', MSG_WAITALL' },
    ],
    safe: false,
  };
}

function recvLineFix(model: SocketModel, text: string, op: SocketOp, plainRecv: boolean): Fix | undefined {
  if (op.args.length !== (plainRecv ? 4 : 3)) return undefined;
  const winsock = model.api === 'winsock';
  const unit = indentUnit(text);
  const [type, len, result] = winsock ? ['SOCKET', 'int', 'int'] : ['int', 'size_t', 'ssize_t'];
  const asResult = len === result ? 'got' : `(${result})got`;
  const helper = helperEdit(model, text, op, 'recv_line', [
    '/*',
    ` * Receives one line, up to and including its '\\n' (or len bytes): TCP delivers a byte stream,`,
    ' * not messages. A byte at a time, so the next line stays queued in the socket for the next call.',
    ' * Returns the count as recv() does: 0 at the end of the stream, -1 on an error.',
    ' */',
    `static ${result} recv_line(${type} s, void *buf, ${len} len)`,
    '{',
    `${unit}char *p = (char *)buf;`,
    `${unit}${len} got = 0;`,
    `${unit}while (got < len) {`,
    `${unit}${unit}${result} n = recv(s, p + got, 1, 0);`,
    `${unit}${unit}if (n <= 0)`,
    `${unit}${unit}${unit}return got > 0 ? ${asResult} : n;`,
    `${unit}${unit}if (p[got++] == '\\n')`,
    `${unit}${unit}${unit}break;`,
    `${unit}}`,
    `${unit}return ${asResult};`,
    '}',
  ]);
  if (helper === null) return undefined;
  // recv(s, buf, len, flags) -> recv_line(s, buf, len): the name, and the flags argument with its comma.
  const edits: TextEdit[] = [{ range: op.nameRange, newText: 'recv_line' }];
  if (plainRecv) edits.push({ range: { start: op.args[2].end, end: op.args[3].end }, newText: '' });
  if (helper) edits.unshift(helper);
  return { title: 'Read up to the end of the line with a recv_line() helper', edits, safe: false };
}

function sliceRange(text: string, r: Range): string {
  if (r.start.line !== r.end.line) return '';
  return lineText(text, r.start.line).slice(r.start.character, r.end.character);
}

/** A finding's fixes: the one offered, or none. */
/**
 * Python: `sock.send(data)` whose count is not used becomes `sock.sendall(data)`, which loops until
 * every byte is sent (or raises). Only where the result is discarded: sendall returns None.
 */
function pythonSendAllFix(op: SocketOp): Fix | undefined {
  if (op.kind !== 'send' || op.callee !== 'send' || !op.result.ignored) return undefined;
  return { title: 'Use sendall() (sends every byte)', edits: [{ range: op.nameRange, newText: 'sendall' }], safe: true };
}

export function fixList(fix: Fix | undefined): Fix[] {
  return fix ? [fix] : [];
}

/**
 * C#: `s.NoDelay = true;` (Socket and TcpClient both have the property) right after the statement
 * that creates the socket when that is a statement of this method ending in `;` (not a field
 * initialiser, not a `using (...)` header); else before the loop that sends, on the socket as written there.
 */
function csharpNodelayFix(model: SocketModel, text: string, op: SocketOp, title: string): Fix | undefined {
  if (!op.socket || op.variesPerIteration) return undefined;
  const c = op.state.creation;
  // The creation is a statement of this method: a socket()/accept() op of the same function starts there.
  const here = c?.statement && !c.file && model.ops.some((o) => o.fnKey === op.fnKey && (o.kind === 'socket' || o.kind === 'accept')
    && o.statement && o.statement.range.start.line === c.statement!.start.line);
  if (c?.statement && here && isIdentifier(c.display) && lineText(text, c.statement.end.line).trimEnd().endsWith(';')) {
    const line = c.statement.end.character === 0 ? c.statement.end.line : c.statement.end.line + 1;
    const indent = indentOfLine(text, c.statement.start.line);
    return { title, edits: [{ range: at(line), newText: `${indent}${c.display}.NoDelay = true;\n` }], safe: true };
  }
  // Before the loop, on the socket as written at the send: a Socket or TcpClient (a NetworkStream has no NoDelay).
  if (STREAM_WRITES.has(op.callee) || !isIdentifier(op.socket.text)) return undefined;
  const outer = op.loops[0];
  const anchor = outer ? outer.range.start.line : op.statement?.range.start.line;
  if (anchor === undefined) return undefined;
  return { title, edits: [{ range: at(anchor), newText: `${indentOfLine(text, anchor)}${op.socket.text}.NoDelay = true;\n` }], safe: true };
}

/**
 * Go: Nagle is on only because the code called `SetNoDelay(false)` (every TCPConn Go makes has
 * TCP_NODELAY), so the fix turns that call's `false` into `true`: on the connection's own call, else
 * on the file's only such call.
 */
function goNodelayFix(model: SocketModel, op: SocketOp): Fix | undefined {
  const all = model.ops.filter((o) => o.kind === 'setsockopt' && o.option?.name === 'TCP_NODELAY' && o.option.value === 0 && o.args.length === 4);
  const mine = all.filter((o) => sameSocket(o, op));
  const call = mine.length === 1 ? mine[0] : all.length === 1 ? all[0] : undefined;
  return call ? { title: 'Keep Go\'s TCP_NODELAY: SetNoDelay(true)', edits: [{ range: call.args[3], newText: 'true' }], safe: true } : undefined;
}

/** NetworkStream's writes (Socket has none of these names). */
const STREAM_WRITES = new Set(['Write', 'WriteAsync', 'BeginWrite', 'WriteByte']);

/** `client`, `this._sock`: a name the inserted statement can use as it is (not a call or an element). */
function isIdentifier(s: string): boolean {
  const parts = s.split('.');
  return parts.length <= 2 && parts.every((p) => p.length > 0 && [...p].every((ch, i) => ch === '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (i > 0 && ch >= '0' && ch <= '9')));
}

/**
 * Java: `s.setTcpNoDelay(true);` right after the statement of this method that creates the socket
 * (`new Socket(...)`, `server.accept()`), or, for a channel (`SocketChannel.open()`),
 * `ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);`, which needs no import. Not
 * offered where the socket is made elsewhere (a stream is all the sending code has there).
 */
function javaNodelayFix(model: SocketModel, text: string, op: SocketOp, title: string): Fix | undefined {
  if (!op.socket || op.variesPerIteration) return undefined;
  const c = op.state.creation;
  if (!c?.statement || c.file || !isIdentifier(c.display)) return undefined;
  const made = model.ops.find((o) => o.fnKey === op.fnKey && (o.kind === 'socket' || o.kind === 'accept')
    && o.statement && o.statement.range.start.line === c.statement!.start.line);
  if (!made || !lineText(text, c.statement.end.line).trimEnd().endsWith(';')) return undefined;
  // A channel is made by open(); an accepted one is a channel when the code also switches its blocking mode.
  const sameSocket = model.ops.filter((o) => o.socket?.key === made.socket?.key);
  const channel = made.callee === 'open' || (made.kind === 'accept' && sameSocket.some((o) => o.kind === 'nonblock'));
  const line = c.statement.end.character === 0 ? c.statement.end.line : c.statement.end.line + 1;
  const indent = indentOfLine(text, c.statement.start.line);
  const code = channel ? `${c.display}.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);` : `${c.display}.setTcpNoDelay(true);`;
  return { title, edits: [{ range: at(line), newText: `${indent}${code}\n` }], safe: true };
}

/**
 * Node.js: `sock.setNoDelay(true);` right after the statement that makes the socket (a
 * `net.connect()` statement of this function, or the line that opens a connection listener whose
 * parameter is the socket); else before the loop that writes, on the socket as written there.
 * Node applies the option when the connection is made, so it may be set before connect completes.
 */
function nodeNodelayFix(model: SocketModel, text: string, op: SocketOp, title: string): Fix | undefined {
  if (!op.socket || op.variesPerIteration) return undefined;
  const c = op.state.creation;
  const here = c?.statement && !c.file && model.ops.some((o) => o.fnKey === op.fnKey && (o.kind === 'socket' || o.kind === 'accept')
    && o.statement && o.statement.range.start.line === c.statement!.start.line);
  if (c?.statement && here && isIdentifier(c.display)) {
    const rest = lineText(text, c.statement.end.line).slice(c.statement.end.character).trim();
    // After the whole statement (`const s = net.connect(...);`), or as the first line of the
    // listener that receives the socket (`net.createServer((sock) => {`).
    if (rest === '' || rest === ';' || rest.endsWith('{')) {
      const line = c.statement.end.character === 0 ? c.statement.end.line : c.statement.end.line + 1;
      const indent = rest.endsWith('{') ? indentOfLine(text, c.statement.start.line) + indentUnit(text) : indentOfLine(text, c.statement.start.line);
      return { title, edits: [{ range: at(line), newText: `${indent}${c.display}.setNoDelay(true);\n` }], safe: true };
    }
  }
  if (!isIdentifier(op.socket.text)) return undefined;
  const outer = op.loops[0];
  const anchor = outer ? outer.range.start.line : op.statement?.range.start.line;
  if (anchor === undefined) return undefined;
  return { title, edits: [{ range: at(anchor), newText: `${indentOfLine(text, anchor)}${op.socket.text}.setNoDelay(true);\n` }], safe: true };
}
