// What the code does with the bytes one recv() returned: treats them as one whole message (parses
// them, prints them as a line, switches on a type byte, casts them to a message struct, hands them to
// a function that does), or keeps them as part of a stream (appends them to a reassembly buffer).
import type { CallExpr, Expr, Span } from '../ir/ir';
import { forEachExpr, stripCasts, subExprs } from '../ir/walk';
import { COPY_CALLS, DISPLAY_CALLS, FORMAT_CALLS, PARSE_CALLS, PATH_CALLS, RECORD_CALLS } from '../lang/c/api';
import { PY_PARSE_CALLS, PY_PATH_CALLS, SPLITTING_METHODS } from '../lang/python/api';
import { CS_PARSE_CALLS, CS_PATH_CALLS, CS_SPLITTING } from '../lang/csharp/api';
import { GO_PARSE_CALLS, GO_PATH_CALLS } from '../lang/go/api';
import { JAVA_PARSE_CALLS, JAVA_PATH_CALLS, JAVA_SPLITTING } from '../lang/java/api';
import { NODE_BUFFER_READS, NODE_PARSE_CALLS, NODE_PATH_CALLS, NODE_SPLITTING } from '../lang/node/api';
import type { MessageFraming } from '../model';
import type { Cfg } from './cfg';
import type { FunctionScope } from './calls';
import type { Summary } from './summary';
import type { Evaluator } from './values';

export interface MessageUse {
  how: string; span: Span;
  /** Printed or shown (a trace when the bytes are also relayed). */
  printed?: boolean;
  /** What kind of message the use implies (a fix reads it whole accordingly). */
  framing?: MessageFraming;
}

const MAX_NODES = 600;
/** Calls that write their first argument from elsewhere: clearing, reading a line or input into it. */
const REFILL_FIRST_ARG = new Set(['memset', 'bzero', 'ZeroMemory', 'SecureZeroMemory', 'fgets', 'gets', 'gets_s', 'fgetws', 'RtlZeroMemory', 'explicit_bzero']);

export class BufferAnalyzer {
  constructor(
    private scope: FunctionScope,
    private cfg: Cfg,
    private ev: Evaluator,
    private summaryOf: (call: CallExpr) => Summary | undefined,
  ) {}

  /** The buffer argument advances through a larger buffer (`buf + got`, `&buf[len]`). */
  isOffset(bufferArg: Expr): boolean {
    const b = stripCasts(bufferArg);
    if (b.k === 'binary' && (b.op === '+' || b.op === '-')) return !isZero(this.ev.value(b.right));
    if (b.k === 'unary' && b.op === '&' && b.arg.k === 'index') return !isZero(this.ev.value(b.arg.index));
    return false;
  }

  /** The object a buffer argument names (`buf`, `c->rbuf`, `hdr` of `&hdr`), and whether it was `&object`. */
  target(bufferArg: Expr): { expr: Expr; addressOf: boolean } | undefined {
    const b = stripCasts(bufferArg);
    if (b.k === 'unary' && b.op === '&') return { expr: stripCasts(b.arg), addressOf: true };
    if (b.k === 'name' || b.k === 'field' || (b.k === 'call' && b.callee.k === 'field' && (b.callee.field === 'data' || b.callee.field === 'c_str'))) return { expr: b, addressOf: false };
    return undefined;
  }

  /**
   * How the bytes received into `bufferArg` by `call` are used as a whole message, if they are.
   * Undefined when they are not (or when they go into a reassembly buffer first).
   */
  messageUse(call: CallExpr, bufferArg: Expr, countVar?: string): MessageUse | undefined {
    const t = this.target(bufferArg);
    if (!t) return undefined;
    const type = this.scope.typeOf(t.expr);
    if (t.addressOf && !(type?.dims?.length) && t.expr.k !== 'index') {
      // recv(s, (char *)&hdr, sizeof hdr, 0): a fixed-size object filled by one call.
      return { how: `reads ${describe(this.scope, t.expr)} (a fixed-size object) in one call`, span: call.span, framing: 'object' };
    }
    const buffer = t.expr.k === 'call' && t.expr.callee.k === 'field' ? t.expr.callee.base : t.expr;
    const start = this.cfg.nodeOf(call);
    if (start === undefined) return undefined;
    const use = this.usesFrom(start, buffer, call) ?? undefined;
    // An echo or relay that also prints what it got (`printf("got: %s\n", buf); send(c, buf, n, 0)`)
    // passes the bytes on as a stream; the print is a trace, not the message's meaning.
    if (use?.printed && countVar && this.relaysFrom(start, buffer, call, countVar)) return undefined;
    return use;
  }

  /**
   * The bytes received are sent on after `call`: the buffer, with a length made from the count the
   * call returned (`send(c, buf, n, 0)`), before the buffer is received into again.
   */
  private relaysFrom(start: number, buffer: Expr, call: CallExpr, countVar: string): boolean {
    const seen = new Set<number>();
    const queue: number[] = [start];
    let found = false;
    while (queue.length && seen.size < MAX_NODES && !found) {
      this.scope.program.budget.tick();
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      let refilled = false;
      for (const x of this.cfg.nodes[id].calls as CallExpr[]) {
        if (x === call || (id === start && x.span.start < call.span.end)) continue;
        if (this.refills(x, buffer)) { refilled = true; break; }
        const callee = this.scope.resolve(x);
        if (callee.k !== 'api' || callee.api.buffer === undefined || (callee.api.kind !== 'send' && callee.api.kind !== 'sendto')) continue;
        // `send(c, buf + done, n - done, 0)` in a send-all loop relays it too.
        let arg = x.args[callee.api.buffer] ? stripCasts(x.args[callee.api.buffer]) : undefined;
        while (arg && arg.k === 'binary' && arg.op === '+') arg = stripCasts(arg.left);
        const t = arg ? this.target(arg) : undefined;
        const length = callee.api.length !== undefined ? x.args[callee.api.length] : undefined;
        const usesCount = !!length && namesUsed(length).has(countVar);
        if (t && sameExpr(t.expr, buffer) && usesCount) { found = true; break; }
      }
      if (refilled) continue;
      for (const s of this.cfg.nodes[id].succ) if (!seen.has(s)) queue.push(s);
    }
    return found;
  }

  /**
   * Walks forward from `start` (after `call` when given), node by node, until the buffer is received
   * into again, and classifies each use. A MessageUse, null (kept as a stream), or undefined.
   */
  usesFrom(start: number, buffer: Expr, call?: CallExpr, depth = 0): MessageUse | null | undefined {
    const seen = new Set<number>();
    const queue: number[] = [start];
    let first = true;
    let verdict: MessageUse | null | undefined;
    let printed: MessageUse | undefined;
    while (queue.length && seen.size < MAX_NODES && verdict === undefined) {
      this.scope.program.budget.tick();
      const id = queue.shift()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const node = this.cfg.nodes[id];
      let refilled = false;
      const calls = node.calls as CallExpr[];
      // In the first node, only what comes after the recv itself counts.
      const afterIndex = first && call ? calls.indexOf(call) : -1;
      first = false;
      forEachExpr(node.exprs, (x) => {
        if (verdict !== undefined) return false;
        if (x.k === 'call' && x !== call && (afterIndex < 0 || calls.indexOf(x) > afterIndex) && this.refills(x, buffer)) refilled = true;
        if (!sameExpr(x, buffer)) return undefined;
        if (afterIndex >= 0 && call && !this.after(x, call)) return false;
        const v = this.classifyUse(x, buffer, depth);
        // A print is a weak verdict: a trace before the bytes go into a reassembly buffer is not
        // the code treating them as a message, so keep looking.
        if (v?.printed) printed ??= v;
        else if (v !== undefined) verdict = v;
        return false;
      });
      if (refilled) continue;
      for (const s of node.succ) if (!seen.has(s)) queue.push(s);
    }
    return verdict === undefined ? printed : verdict;
  }

  /**
   * The bytes were copied into the string local `name` at `copy`: how the copy is used from there on,
   * until it is assigned again (one level of copies; a copy of a copy is not followed).
   */
  private copyUse(copy: Expr, name: string, span: Span, depth: number): MessageUse | null | undefined {
    if (depth > 0) return undefined;
    const node = this.cfg.nodeOf(copy);
    if (node === undefined) return undefined;
    const target: Expr = { k: 'name', name, span };
    return this.usesFrom(node, target, undefined, depth + 1) ?? undefined;
  }

  /** A string object (`std::string`, `QString`, ...), or what `std::string(...)` makes. */
  private isStringValue(e: Expr): boolean {
    if ((e.k === 'call' && isStringConstructor(e)) || (e.k === 'cast' && isStringType(e.type))) return true;
    const t = this.scope.typeOf(e);
    return !!t && isStringType(t);
  }

  /** `x` is evaluated after `call` in the same node (arguments of later calls, later statements). */
  private after(x: Expr, call: CallExpr): boolean {
    if (x.span.start >= call.span.end) return true;
    // Inside the call's own arguments: not a use of what it received.
    return !(x.span.start >= call.span.start && x.span.end <= call.span.end);
  }

  /** Another read into the same buffer (a loop's next recv, or a memset/memcpy/fgets into it). */
  private refills(x: CallExpr, buffer: Expr): boolean {
    const callee = this.scope.resolve(x);
    const into = (arg: Expr | undefined) => { const t = arg ? this.target(arg) : undefined; return !!t && sameExpr(t.expr, buffer); };
    if (callee.k === 'api' && callee.api.buffer !== undefined && (callee.api.kind === 'recv' || callee.api.kind === 'recvfrom')) return into(x.args[callee.api.buffer]);
    // The buffer is cleared or overwritten with something else (the next line typed, a reply built in it).
    if (REFILL_FIRST_ARG.has(callee.name) || (COPY_CALLS.has(callee.name) && !callee.name.includes('cat')) || FORMAT_CALLS.has(callee.name)) return into(x.args[0]);
    return false;
  }

  /** null: a use that keeps the bytes as a stream (stop, quiet); a MessageUse: used as a message; undefined: neither. */
  private classifyUse(use: Expr, buffer: Expr, depth = 0): MessageUse | null | undefined {
    const p = this.cfg.parents.get(use);
    const parent = p?.expr;
    if (!parent) {
      // `string code = buf;`: the text is copied into a string; what the code does with the copy counts.
      if (p?.stmt?.k === 'decl') {
        const v = p.stmt.vars.find((d) => d.init === use);
        if (v && isStringType(v.type)) return this.copyUse(use, v.name, v.nameSpan, depth);
      }
      // `switch (buf[0])` is reached through the index below; a bare statement use means nothing.
      return undefined;
    }
    let cur: Expr = use;
    let up: Expr | undefined = parent;
    // `str.c_str()`, `vec.data()`: the same bytes.
    if (up.k === 'field' && up.base === cur && (up.field === 'c_str' || up.field === 'data')) {
      const call = this.cfg.parents.get(up)?.expr;
      if (call?.k === 'call' && call.callee === up && call.args.length === 0) {
        cur = call;
        up = this.cfg.parents.get(call)?.expr;
        if (!up) return undefined;
      }
    }
    // `std::string name(buf);`, `std::string name(buf, n);`: a string local constructed from the bytes.
    if (up.k === 'init' && up.elems[0] === cur) {
      const made = this.cfg.parents.get(up);
      const v = made?.stmt?.k === 'decl' ? made.stmt.vars.find((d) => d.init === up) : undefined;
      if (v && isStringType(v.type)) return this.copyUse(up, v.name, v.nameSpan, depth);
    }
    // `std::string(buf, 0, n)`, `string(buf)`: a string made of the bytes received.
    if ((up.k === 'call' && up.args[0] === cur && isStringConstructor(up)) || (up.k === 'cast' && isStringType(up.type))) {
      const made = this.cfg.parents.get(up);
      if (made?.stmt?.k === 'decl') {
        const v = made.stmt.vars.find((d) => d.init === up);
        if (v) return this.copyUse(up, v.name, v.nameSpan, depth);
      }
      if (made?.expr?.k === 'assign' && made.expr.value === up && made.expr.target.k === 'name') {
        // `acc += std::string(buf, n)`, `text += Encoding.UTF8.GetString(buf, 0, n)`: appended to a reassembly string.
        if (made.expr.op === '+=') return null;
        return this.copyUse(up, made.expr.target.name, made.expr.target.span, depth);
      }
      cur = up;
      up = made?.expr;
      if (!up) return undefined;
    }
    // `str = buf;` into a string local.
    if (up.k === 'assign' && up.value === cur && up.op === '=' && up.target.k === 'name') {
      const t = this.scope.typeOf(up.target);
      if (t && isStringType(t)) return this.copyUse(up, up.target.name, up.target.span, depth);
    }
    // The received text compared whole with a literal (`Menu != "1"`), or cut at fixed places (`code.substr(0, 3)`).
    if (up.k === 'binary' && (up.op === '==' || up.op === '!=') && this.isStringValue(cur)) {
      const other = stripCasts(up.left === cur ? up.right : up.left);
      if (other.k === 'str') return { how: `compares the received text with "${other.value.slice(0, 20)}" as a whole command`, span: up.span, framing: 'text' };
    }
    // Python, C#, Java: the received text cut into a command and its arguments (`data.decode().split()`, `msg.Split(' ')`).
    const language = this.scope.program.files[this.scope.fileIndex].language;
    const nodeCode = language === 'javascript' || language === 'typescript';
    if (up.k === 'field' && up.base === cur && (language === 'python' ? SPLITTING_METHODS : language === 'java' ? JAVA_SPLITTING : nodeCode ? NODE_SPLITTING : CS_SPLITTING).has(up.field) && this.isStringValue(cur)) {
      const call = this.cfg.parents.get(up)?.expr;
      if (call?.k === 'call' && call.callee === up && call.known === undefined && (language === 'python' || language === 'csharp' || language === 'java' || nodeCode)) {
        return { how: `splits the received text with ${up.field}() as if it held one whole message`, span: call.span, framing: 'text' };
      }
    }
    if (up.k === 'field' && up.base === cur && (up.field === 'substr' || up.field === 'compare') && this.isStringValue(cur)) {
      const call = this.cfg.parents.get(up)?.expr;
      if (call?.k === 'call' && call.callee === up) return { how: `parses the received text with ${up.field}() as if it held a whole message`, span: call.span, framing: 'text' };
    }
    // Through casts: `(struct msg *)buf` is itself the verdict.
    for (let i = 0; up && up.k === 'cast' && i < 4; i++) {
      if (isMessageCast(this.scope, up.type)) return { how: `casts the buffer to ${typeText(up.type)}`, span: up.span, framing: 'binary' };
      // `static_cast<std::string>(buf)`: a string made of the bytes, as `std::string(buf)` below.
      if (isStringType(up.type)) break;
      cur = up;
      up = this.cfg.parents.get(up)?.expr;
    }
    if (!up) return undefined;
    if (up.k === 'index' && up.base === cur) {
      // `buf[0]` as a type byte: switched on, or compared with a constant. `buf[k]` in a loop walks
      // the bytes one by one (a line assembler), which is how a stream should be read.
      const at = this.ev.value(up.index);
      if (!at || at.lo !== 0 || at.hi !== 0) return undefined;
      const ip = this.cfg.parents.get(up);
      if (ip && !ip.expr && ip.stmt?.k === 'switch') return { how: 'switches on its first byte as a message type', span: up.span, framing: 'binary' };
      if (ip?.expr?.k === 'binary' && (ip.expr.op === '==' || ip.expr.op === '!=')) {
        const other = ip.expr.left === up ? ip.expr.right : ip.expr.left;
        const v = this.ev.value(other);
        if (v && v.lo === v.hi && v.lo !== 0) return { how: 'tests its first byte as a message type', span: ip.expr.span, framing: 'binary' };
      }
      return undefined;
    }
    if (up.k === 'binary' && up.op === '<<' && streamsToConsole(up, this.cfg)) {
      return { how: 'prints the buffer as one message', span: up.span, printed: true, framing: 'text' };
    }
    if (up.k !== 'call') return undefined;
    const argIndex = up.args.indexOf(cur);
    if (argIndex < 0) {
      // `buf.c_str()` / `str.append(...)` on the buffer object itself.
      if (up.callee.k === 'field' && up.callee.base === cur && isAppendName(up.callee.field)) return null;
      return undefined;
    }
    const callee = this.scope.resolve(up);
    const name = callee.name;
    if (up.known !== undefined && (PY_PARSE_CALLS.has(name) || CS_PARSE_CALLS.has(name) || GO_PARSE_CALLS.has(name) || JAVA_PARSE_CALLS.has(name) || NODE_PARSE_CALLS.has(name))) return { how: `parses the bytes with ${name}() as if they held one whole message`, span: up.span, framing: 'text' };
    if (up.known !== undefined && name.startsWith('Buffer.') && NODE_BUFFER_READS.has(name.slice(7)) && argIndex === 0) return { how: `reads a number from the bytes with ${name.slice(7)}() as if they held a whole header`, span: up.span, framing: 'binary' };
    if (PARSE_CALLS.has(name)) return { how: `parses the buffer with ${name}() as if it held a whole message`, span: up.span, framing: PARSE_BINARY.has(name) ? 'binary' : 'text' };
    // `fopen(name, "rb")`, `os.Create(name)`: the received text names a file, whole.
    const pathArgs = language === 'c' || language === 'cpp'
      ? (up.callee.k === 'name' && callee.k !== 'fn' ? ownEntry(PATH_CALLS, name) : undefined)
      : up.known !== undefined ? ownEntry(PATH_CALLS_BY_LANGUAGE[language] ?? {}, name) : undefined;
    if (pathArgs?.includes(argIndex)) return { how: `uses the text as a file name in ${name}() as if it held one whole name`, span: up.span, framing: 'text' };
    if (DISPLAY_CALLS.has(name) || RECORD_CALLS.has(name)) {
      const fmtIndex = RECORD_CALLS.has(name) || name === 'syslog' ? 1 : 0;
      if (name === 'fwrite' || name === 'fputs') return null; // a byte stream copied through
      if (name === 'puts' || name.startsWith('MessageBox') || name.startsWith('SetWindowText') || name.startsWith('SetDlgItemText') || name === 'AfxMessageBox') {
        return { how: `shows the buffer as one message with ${name}()`, span: up.span, framing: 'text' };
      }
      const fmt = up.args[fmtIndex] ? stripCasts(up.args[fmtIndex]) : undefined;
      if (fmt?.k === 'str' && argIndex > fmtIndex && framesAsLine(fmt.value)) {
        return RECORD_CALLS.has(name)
          ? { how: `writes the buffer to a file as one record with ${name}()`, span: up.span, framing: 'text' }
          : { how: `prints the buffer as one message with ${name}()`, span: up.span, printed: true, framing: 'text' };
      }
      return undefined;
    }
    // `sprintf(line, "%s: %s\n", who, buf)`: the received text framed into one record with other text.
    if (FORMAT_CALLS.has(name) && argIndex > 0) {
      const fmt = up.args.slice(1, argIndex).map((a) => stripCasts(a)).reverse().find((a) => a.k === 'str');
      if (fmt?.k === 'str' && framesAsLine(fmt.value)) return { how: `formats the buffer into one record with ${name}()`, span: up.span, framing: 'text' };
      return undefined;
    }
    // `std::format("From server: {}", buf)`, `std::print(...)`: the same with C++20 format strings.
    if (STD_FORMAT_CALLS.has(name) && argIndex > 0 && up.callee.k === 'name' && (up.callee.qualifier === 'std' || up.callee.qualifier === 'fmt')) {
      const fmt = up.args[0] ? stripCasts(up.args[0]) : undefined;
      if (fmt?.k === 'str' && bracesWithOtherText(fmt.value)) {
        return { how: `formats the buffer as one message with ${up.callee.qualifier}::${name}()`, span: up.span, printed: name !== 'format', framing: 'text' };
      }
      return undefined;
    }
    if (COPY_CALLS.has(name)) {
      if (argIndex === 1 || (argIndex === 2 && name.endsWith('_s'))) {
        const dest = up.args[0] ? stripCasts(up.args[0]) : undefined;
        if (dest && this.isOffset(dest)) return null; // appended to a reassembly buffer
        if (dest?.k === 'unary' && dest.op === '&' && !this.scope.typeOf(dest.arg)?.dims?.length) {
          return { how: `copies ${describe(this.scope, dest.arg)} out of it as one message`, span: up.span, framing: 'binary' };
        }
      }
      return undefined;
    }
    if (callee.k === 'fn') {
      const s = this.summaryOf(up);
      if (s?.paramAccumulated.has(argIndex)) return null;
      const how = s?.paramMessage.get(argIndex);
      if (how) return { how: `hands the buffer to ${name}(), which ${how}`, span: up.span };
      return undefined;
    }
    if (isAppendName(name)) return null;
    // A function we cannot see into, named for handling one record or message: `store_record(buf, n)`.
    if (callee.k === 'external' && handlesWholeMessage(name)) return { how: `hands the buffer to ${name}() as one whole message`, span: up.span, framing: 'binary' };
    return undefined;
  }
}

/** Per language, the library calls that take a file name (see PATH_CALLS). */
const PATH_CALLS_BY_LANGUAGE: Record<string, Record<string, number[]>> = {
  python: PY_PATH_CALLS, csharp: CS_PATH_CALLS, go: GO_PATH_CALLS, java: JAVA_PATH_CALLS, javascript: NODE_PATH_CALLS, typescript: NODE_PATH_CALLS,
};

/** A table's own entry (never one inherited from Object, such as `constructor`). */
function ownEntry<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** C++20 / {fmt} formatting and printing calls. */
const STD_FORMAT_CALLS = new Set(['format', 'print', 'println', 'format_to']);

/** String classes whose objects hold a copy of the bytes they are made from. */
const STRING_TYPES = new Set(['str', 'bytes', 'string', 'wstring', 'u8string', 'u16string', 'u32string', 'basic_string', 'QString', 'CString', 'CStringA', 'CStringW', 'String']);

/** A string object (not a pointer to one). */
function isStringType(t: import('../ir/ir').TypeRef): boolean {
  return STRING_TYPES.has(t.name) && t.ptr === 0;
}

/** `std::string(buf, 0, n)`, `string(buf)`, `QString(buf)`: a string made from a buffer. */
function isStringConstructor(call: CallExpr): boolean {
  const c = call.callee;
  return c.k === 'name' && STRING_TYPES.has(c.name);
}

/** Parse calls that compare raw bytes (the rest read text). */
const PARSE_BINARY = new Set(['memcmp']);

const MESSAGE_WORDS = ['record', 'message', 'msg', 'packet', 'pkt', 'command', 'cmd', 'request', 'frame', 'parse'];
const STREAM_WORDS = ['feed', 'append', 'push', 'buffer', 'stream', 'execute', 'write', 'send', 'copy', 'log', 'print', 'dump', 'free', 'recv', 'read', 'chunk', 'incremental', 'consume', 'add', 'queue'];

/** Named for handling one whole record or message, and not for taking a stream in pieces. */
function handlesWholeMessage(name: string): boolean {
  const n = name.toLowerCase();
  return MESSAGE_WORDS.some((w) => n.includes(w)) && !STREAM_WORDS.some((w) => n.includes(w));
}

/**
 * The format prints a string (`%s`, `%.*s`, `%-20s`) inside other text or as a line
 * (`"Received: %s\n"`), not as bare bytes (`"%s"`).
 */
/** A `{}` format string with a replacement field and other text around it. */
function bracesWithOtherText(fmt: string): boolean {
  let fields = 0, other = 0;
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] === '{' && fmt[i + 1] !== '{') {
      const close = fmt.indexOf('}', i);
      if (close < 0) return false;
      fields++;
      i = close;
    } else if (fmt[i] !== ' ') other++;
  }
  return fields > 0 && other > 0;
}

function framesAsLine(fmt: string): boolean {
  let strings = 0, other = 0;
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%') { other++; continue; }
    if (fmt[i + 1] === '%') { other++; i++; continue; }
    let j = i + 1;
    while (j < fmt.length && '-+ #0123456789.*hlLqjzt'.includes(fmt[j])) j++;
    if (fmt[j] === 's' || fmt[j] === 'S') strings++; else other++;
    i = j;
  }
  return strings > 0 && other > 0;
}

function isAppendName(name: string): boolean {
  const n = name.toLowerCase();
  return n.includes('append') || n.includes('push') || n.includes('insert') || n.includes('feed') || n.includes('enqueue')
    || n === 'write' || n.includes('add') || n.includes('put') || n.includes('concat') || n.includes('execute');
}

function isMessageCast(scope: FunctionScope, t: import('../ir/ir').TypeRef): boolean {
  if (t.ptr < 1) return false;
  const n = t.name;
  if (['char', 'void', 'unsigned char', 'signed char', 'u_char', 'uint8_t', 'int8_t', 'BYTE', 'CHAR', 'UCHAR', 'wchar_t', 'WCHAR', 'TCHAR', 'LPSTR', 'PCHAR', 'const char'].includes(n)) return false;
  return !!scope.program.struct(scope.program.resolveTypeName(n));
}

function typeText(t: import('../ir/ir').TypeRef): string {
  return `${t.name} ${'*'.repeat(Math.max(1, t.ptr))}`.trim();
}

/** `std::cout << buf << std::endl` or `<< "\n"`: printed as one line. */
function streamsToConsole(e: Expr, cfg: Cfg): boolean {
  // Find the whole `<<` chain and see whether it starts at cout/cerr and ends a line.
  let top: Expr = e;
  for (let i = 0; i < 32; i++) {
    const p = cfg.parents.get(top)?.expr;
    if (!p || p.k !== 'binary' || p.op !== '<<') break;
    top = p;
  }
  let left: Expr = top;
  const parts: Expr[] = [];
  for (let i = 0; i < 64 && left.k === 'binary' && left.op === '<<'; i++) { parts.push(left.right); left = left.left; }
  const sink = left.k === 'name' && (left.name === 'cout' || left.name === 'cerr' || left.name === 'wcout' || left.name === 'clog');
  const endsLine = parts.some((p) => (p.k === 'name' && p.name === 'endl') || (p.k === 'str' && p.value.includes('\n')));
  return sink && endsLine;
}

function isZero(v: { lo: number; hi: number } | undefined): boolean { return !!v && v.lo === 0 && v.hi === 0; }

/** Structural equality of access paths (`buf`, `c->rbuf`, `this->buf_`). */
export function sameExpr(a: Expr, b: Expr): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case 'name': return a.name === (b as typeof a).name && (a.qualifier ?? '') === ((b as typeof a).qualifier ?? '');
    case 'field': return a.field === (b as typeof a).field && sameExpr(a.base, (b as typeof a).base);
    case 'index': return sameExpr(a.base, (b as typeof a).base) && sameExpr(a.index, (b as typeof a).index);
    case 'unary': return a.op === (b as typeof a).op && sameExpr(a.arg, (b as typeof a).arg);
    case 'num': return a.value === (b as typeof a).value;
    case 'call': {
      const bb = b as typeof a;
      return a.args.length === bb.args.length && sameExpr(a.callee, bb.callee) && a.args.every((x, i) => sameExpr(x, bb.args[i]));
    }
    default: return false;
  }
}

function describe(scope: FunctionScope, e: Expr): string {
  const text = scope.textOf(e);
  return text.length <= 40 ? text : 'the object';
}

export { subExprs };

function namesUsed(e: Expr): Set<string> {
  const out = new Set<string>();
  forEachExpr([e], (x) => { if (x.k === 'name') out.add(x.name); });
  return out;
}
