// Constant evaluation over the IR. A value is a number, a range of numbers, or unknown; rules say
// which they need (an exact option value, or an upper bound on a send's size). Names are resolved
// through the definitions that reach them (cfg.ts), globals, enums, class constants and macros.
import type { CallExpr, Expr, StrExpr, TypeRef } from '../ir/ir';
import { stripCasts } from '../ir/walk';
import type { Cfg, Def } from './cfg';
import type { Program } from './program';
import { elementType, fieldType, structOrSystem, type TypeLayouts } from './types';
import { FORMAT_CALLS, STRLEN_CALLS } from '../lang/c/api';

/** Calls that count an array's elements. */
const ELEMENT_COUNT_CALLS = new Set(['_countof', 'ARRAYSIZE', 'ARRAY_SIZE', 'size']);

export interface Value { lo: number; hi: number }
export type MaybeValue = Value | undefined;

export const exact = (n: number): Value => ({ lo: n, hi: n });
export const isExact = (v: MaybeValue): v is Value => !!v && v.lo === v.hi;

export function join(a: MaybeValue, b: MaybeValue): MaybeValue {
  if (!a || !b) return undefined;
  return { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) };
}

const WELL_KNOWN: Record<string, number> = { TRUE: 1, FALSE: 0, NULL: 0, nullptr: 0, true: 1, false: 0 };

const MAX_DEPTH = 12;

/** What the evaluator needs to know about the function it evaluates in. */
export interface EvalScope {
  program: Program;
  layouts: TypeLayouts;
  cfg?: Cfg;
  fileIndex: number;
  className?: string;
  /** The declared type of a local or parameter. */
  localType(name: string): TypeRef | undefined;
}

/** The arguments the callers of a function pass for one of its parameters, with the evaluator of each caller. */
export type ParamArgs = (index: number) => { ev: Evaluator; arg: Expr }[] | undefined;

export class Evaluator {
  private memo = new Map<Def, MaybeValue>();
  private strMemo = new Map<Def, MaybeValue>();
  private active = new Set<Def>();
  private paramArgs?: ParamArgs;

  constructor(private scope: EvalScope) {}

  /**
   * Lets a parameter's value come from its callers (`show_error(fd, "busy")` makes `strlen(info)`
   * 4 inside show_error). Set once every function has been analysed.
   */
  useCallers(paramArgs: ParamArgs): void {
    this.paramArgs = paramArgs;
    this.memo.clear();
    this.strMemo.clear();
  }

  /** The value of `e` (an expression of this function) when its parameters are these arguments of one call. */
  valueWithArguments(e: Expr, args: { ev: Evaluator; arg: Expr }[]): MaybeValue {
    const saved = this.paramArgs;
    this.paramArgs = (i) => (args[i] ? [args[i]] : undefined);
    this.memo.clear();
    this.strMemo.clear();
    try {
      return this.value(e);
    } finally {
      this.paramArgs = saved;
      this.memo.clear();
      this.strMemo.clear();
    }
  }

  private paramIndex(d: Def): number | undefined {
    if (d.kind !== 'param' || !('name' in d.at)) return undefined;
    const i = this.scope.cfg?.fn.params.findIndex((p) => p.name === d.key);
    return i !== undefined && i >= 0 ? i : undefined;
  }

  /** The join over the callers' arguments for a parameter (undefined if any is unknown, or none). */
  private fromCallers(d: Def, depth: number, what: (ev: Evaluator, arg: Expr) => MaybeValue): MaybeValue {
    const i = this.paramIndex(d);
    if (i === undefined || !this.paramArgs || depth > 6) return undefined;
    const args = this.paramArgs(i);
    if (!args || args.length === 0 || args.length > 64) return undefined;
    let out: MaybeValue;
    for (const [k, a] of args.entries()) {
      const v = what(a.ev, a.arg);
      if (!v) return undefined;
      out = k === 0 ? v : join(out, v);
    }
    return out;
  }

  /** The numeric value of `e` (exact or a range), or undefined. */
  value(e: Expr, depth = 0): MaybeValue {
    if (depth > MAX_DEPTH) return undefined;
    this.scope.program.budget.tick();
    switch (e.k) {
      case 'num': return exact(e.value);
      case 'cast': return this.value(e.value, depth + 1);
      case 'unary': {
        const v = this.value(e.arg, depth + 1);
        if (!v) return undefined;
        if (e.op === '-') return { lo: -v.hi, hi: -v.lo };
        if (e.op === '+') return v;
        if (e.op === '~' && isExact(v)) return exact(~v.lo);
        if (e.op === '!' && isExact(v)) return exact(v.lo ? 0 : 1);
        return undefined;
      }
      case 'binary': return this.binary(e.op, this.value(e.left, depth + 1), this.value(e.right, depth + 1));
      case 'cond': {
        const t = this.value(e.test, depth + 1);
        if (isExact(t)) return this.value(t.lo ? e.then : e.else, depth + 1);
        return join(this.value(e.then, depth + 1), this.value(e.else, depth + 1));
      }
      case 'sizeof': return this.sizeofValue(e, depth);
      case 'comma': return e.exprs.length ? this.value(e.exprs[e.exprs.length - 1], depth + 1) : undefined;
      case 'name': return this.nameValue(e, depth);
      case 'field': return this.fieldValue(e, depth);
      case 'call': return this.callValue(e, depth);
      case 'init': return e.elems.length === 1 ? this.value(e.elems[0], depth + 1) : undefined;
      default: return undefined;
    }
  }

  private binary(op: string, a: MaybeValue, b: MaybeValue): MaybeValue {
    if (!a || !b) return undefined;
    switch (op) {
      case '+': return { lo: a.lo + b.lo, hi: a.hi + b.hi };
      case '-': return { lo: a.lo - b.hi, hi: a.hi - b.lo };
      case '*': {
        const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
        return { lo: Math.min(...p), hi: Math.max(...p) };
      }
    }
    if (!isExact(a) || !isExact(b)) {
      if (op === '/' && isExact(b) && b.lo > 0) return { lo: Math.trunc(a.lo / b.lo), hi: Math.trunc(a.hi / b.lo) };
      return undefined;
    }
    const x = a.lo, y = b.lo;
    switch (op) {
      case '/': return y === 0 ? undefined : exact(Math.trunc(x / y));
      case '%': return y === 0 ? undefined : exact(x % y);
      case '<<': return y > 52 || y < 0 ? undefined : exact(x * 2 ** y);
      case '>>': return y < 0 ? undefined : exact(Math.trunc(x / 2 ** y));
      case '&': return exact(x & y);
      case '|': return exact(x | y);
      case '^': return exact(x ^ y);
      case '==': return exact(x === y ? 1 : 0);
      case '!=': return exact(x !== y ? 1 : 0);
      case '<': return exact(x < y ? 1 : 0);
      case '>': return exact(x > y ? 1 : 0);
      case '<=': return exact(x <= y ? 1 : 0);
      case '>=': return exact(x >= y ? 1 : 0);
      case '&&': return exact(x && y ? 1 : 0);
      case '||': return exact(x || y ? 1 : 0);
    }
    return undefined;
  }

  private nameValue(e: Extract<Expr, { k: 'name' }>, depth: number): MaybeValue {
    const { cfg, program } = this.scope;
    if (e.qualifier === undefined && cfg?.locals.has(e.name)) {
      const node = cfg.nodeOf(e);
      if (node === undefined) return undefined;
      const defs = cfg.reachingDefs(e.name, node, e);
      return this.defsValue(defs, depth);
    }
    if (e.name in WELL_KNOWN) return exact(WELL_KNOWN[e.name]);
    const cc = program.classConstant(e.name, e.qualifier || this.scope.className);
    if (cc) return this.value(cc, depth + 1);
    const en = program.enumConstant(e.name);
    if (en) return this.enumValue(en.name, depth);
    const g = program.global(e.name, this.scope.fileIndex);
    if (g && g.isConst && g.init) return this.value(g.init, depth + 1);
    return undefined;
  }

  private enumValue(name: string, depth: number): MaybeValue {
    const { program } = this.scope;
    const en = program.enumConstant(name);
    if (!en) return undefined;
    if (en.value) return this.value(en.value, depth + 1);
    // Implicit values count up from the previous enumerator of the same enum.
    if (en.index === 0) return exact(0);
    const file = program.files.find((f) => f.enums.includes(en));
    const prev = file?.enums.find((x) => x.enumName === en.enumName && x.index === en.index - 1 && x !== en);
    const pv = prev ? this.enumValue(prev.name, depth + 1) : undefined;
    return pv && isExact(pv) ? exact(pv.lo + 1) : undefined;
  }

  private fieldValue(e: Extract<Expr, { k: 'field' }>, depth: number): MaybeValue {
    const { cfg } = this.scope;
    const key = cfg?.localKey(e);
    if (!cfg || !key) return undefined;
    const node = cfg.nodeOf(e);
    if (node === undefined) return undefined;
    return this.defsValue(cfg.reachingDefs(key, node, e), depth);
  }

  defsValue(defs: Def[], depth: number): MaybeValue {
    if (defs.length === 0) return undefined;
    let out: MaybeValue;
    for (const [i, d] of defs.entries()) {
      const v = this.defValue(d, depth);
      if (!v) return undefined;
      out = i === 0 ? v : join(out, v);
    }
    return out;
  }

  defValue(d: Def, depth: number): MaybeValue {
    if (this.memo.has(d)) return this.memo.get(d);
    if (d.kind === 'param') {
      if (this.active.has(d)) return undefined;
      this.active.add(d);
      try {
        return this.fromCallers(d, depth, (ev, arg) => ev.value(arg, depth + 1));
      } finally {
        this.active.delete(d);
      }
    }
    if (this.active.has(d) || !d.value || d.op !== undefined) return undefined;
    this.active.add(d);
    let v: MaybeValue;
    try {
      // `int zero = 0;`, `T x = {4096}`: the initializer's value.
      v = this.value(d.value, depth + 1);
    } finally {
      this.active.delete(d);
    }
    this.memo.set(d, v);
    return v;
  }

  private sizeofValue(e: Extract<Expr, { k: 'sizeof' }>, depth: number): MaybeValue {
    const dim = (x: Expr) => { const v = this.value(x, depth + 1); return isExact(v) ? v.lo : undefined; };
    const { layouts } = this.scope;
    if (e.type) {
      const n = layouts.sizeOf(e.type, dim);
      return n === undefined ? undefined : exact(n);
    }
    if (!e.arg) return undefined;
    const t = this.typeOf(e.arg, depth);
    if (t) {
      const n = layouts.sizeOf(t, dim);
      if (n !== undefined) return exact(n);
    }
    // `sizeof(TypeName)` parsed as an expression (the parser cannot tell a type name from a variable).
    const a = stripCasts(e.arg);
    if (a.k === 'name' && !this.scope.cfg?.locals.has(a.name)) {
      const n = layouts.sizeOf({ name: a.name, ptr: 0 }, dim);
      if (n !== undefined) return exact(n);
    }
    if (a.k === 'str') return exact(a.length + 1);
    return undefined;
  }

  /**
   * `strlen(buf)` of a char array whose contents are not known (filled by sprintf, fgets, recv):
   * at most its capacity less the terminator.
   */
  private capacityBound(e: Expr, depth: number): MaybeValue {
    const t = this.typeOf(stripCasts(e), depth);
    if (!t || t.ptr !== 0 || t.dims?.length !== 1 || !t.dims[0]) return undefined;
    if (!['char', 'unsigned char', 'signed char', 'wchar_t', 'TCHAR', 'CHAR', 'WCHAR', 'u_char', 'uint8_t'].includes(t.name)) return undefined;
    const n = this.value(t.dims[0], depth + 1);
    return isExact(n) && n.lo > 0 ? { lo: 0, hi: n.lo - 1 } : undefined;
  }

  /** The declared type of an expression, when it is a variable, a field, an element or a dereference. */
  typeOf(e: Expr, depth = 0): TypeRef | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const { program } = this.scope;
    switch (e.k) {
      case 'name': {
        const t = this.scope.localType(e.name);
        if (t) return t;
        const g = program.global(e.name, this.scope.fileIndex);
        if (g) return g.type;
        // A member used inside a method (`m_local` for `this->m_local`).
        const cls = e.qualifier === undefined ? this.scope.className : undefined;
        return cls ? fieldType(program, program.resolveTypeName(cls), e.name) : undefined;
      }
      case 'field': {
        const bt = this.typeOf(e.base, depth + 1);
        if (!bt) return undefined;
        const structName = program.resolveTypeName(bt.name);
        return fieldType(program, structName, e.field)
          ?? (program.struct(structName) ? undefined : structOrSystem(program, structName)?.fields.find((x) => x.name === e.field)?.type);
      }
      case 'index': return elementType(this.typeOf(e.base, depth + 1));
      case 'unary': {
        const t = this.typeOf(e.arg, depth + 1);
        if (!t) return undefined;
        if (e.op === '*') return elementType(t);
        if (e.op === '&') return { ...t, ptr: t.ptr + 1 };
        return undefined;
      }
      case 'cast': return e.type;
      default: return undefined;
    }
  }

  private callValue(e: CallExpr, depth: number): MaybeValue {
    const name = e.callee.k === 'name' ? e.callee.name : e.callee.k === 'field' ? e.callee.field : undefined;
    if (!name) return undefined;
    if (STRLEN_CALLS.has(name) && e.args[0]) return this.strLen(e.args[0], depth + 1) ?? this.capacityBound(e.args[0], depth + 1);
    // `n = recv(s, buf, N, 0)`: at most N bytes (or -1).
    if ((name === 'recv' || name === 'read' || name === 'recvfrom') && e.callee.k === 'name' && e.args.length >= 3) {
      const n = this.value(e.args[2], depth + 1);
      return n && n.hi >= 0 ? { lo: -1, hi: n.hi } : undefined;
    }
    // `len = sprintf(buf, "received %d\n", n)`: the length it formatted.
    if (FORMAT_CALLS.has(name) && e.callee.k === 'name' && !name.startsWith('StringCch')) return this.formatted(e, name, depth)?.length;
    // `msg.size()`, `msg.length()` of a std::string built from literals.
    if ((name === 'size' || name === 'length') && e.callee.k === 'field' && e.args.length === 0) return this.strLen(e.callee.base, depth + 1);
    if ((name === 'min' || name === 'MIN') && e.args.length === 2) {
      const a = this.value(e.args[0], depth + 1), b = this.value(e.args[1], depth + 1);
      if (a && b) return { lo: Math.min(a.lo, b.lo), hi: Math.min(a.hi, b.hi) };
      if (a) return { lo: Math.min(0, a.lo), hi: a.hi };
      if (b) return { lo: Math.min(0, b.lo), hi: b.hi };
    }
    if ((name === 'htons' || name === 'htonl' || name === 'ntohs' || name === 'ntohl') && e.args[0]) return undefined;
    // `_countof(msg)`, `ARRAYSIZE(msg)` (Windows headers), `std::size(msg)`: the array's element count.
    if (ELEMENT_COUNT_CALLS.has(name) && e.args.length === 1) {
      const t = this.typeOf(stripCasts(e.args[0]), depth + 1);
      const n = t && t.ptr === 0 && t.dims?.[0] ? this.value(t.dims[0], depth + 1) : undefined;
      if (isExact(n)) return n;
    }
    // A function of the program that returns only number literals.
    if (e.callee.k === 'name') {
      const ref = this.scope.program.resolve(name, this.scope.fileIndex);
      if (ref) return this.scope.program.constantReturn(ref);
    }
    return undefined;
  }

  /** The length of the string an expression holds (strlen of it), exact or a range. */
  strLen(e: Expr, depth = 0): MaybeValue {
    if (depth > MAX_DEPTH) return undefined;
    const x = stripCasts(e);
    switch (x.k) {
      case 'str': return exact(x.length);
      case 'cond': return join(this.strLen(x.then, depth + 1), this.strLen(x.else, depth + 1));
      case 'call': {
        const name = x.callee.k === 'field' ? x.callee.field : undefined;
        // `s.c_str()`, `s.data()`.
        if ((name === 'c_str' || name === 'data') && x.callee.k === 'field') return this.strLen(x.callee.base, depth + 1);
        // `std::string(ERR_PREFIX)`: the string it is built from.
        if (x.callee.k === 'name' && (x.callee.name === 'string' || x.callee.name === 'basic_string') && x.args.length === 1) return this.strLen(x.args[0], depth + 1);
        return undefined;
      }
      case 'binary': {
        // `std::string(a) + "b"`: a concatenation when both sides are strings (pointer arithmetic has a number on one side).
        if (x.op !== '+') return undefined;
        const l = this.strLen(x.left, depth + 1);
        const r = l ? this.strLen(x.right, depth + 1) : undefined;
        return l && r ? { lo: l.lo + r.lo, hi: l.hi + r.hi } : undefined;
      }
      case 'index': {
        // `msgs[i]` of `const char *msgs[] = {"a", "bb"}`.
        const base = stripCasts(x.base);
        if (base.k !== 'name') return undefined;
        const init = this.initializerOf(base);
        if (!init || init.k !== 'init' || init.elems.length === 0) return undefined;
        let out: MaybeValue;
        for (const [i, el] of init.elems.entries()) {
          const v = this.strLen(el, depth + 1);
          if (!v) return undefined;
          out = i === 0 ? v : join(out, v);
        }
        return out;
      }
      case 'name': {
        const { cfg } = this.scope;
        if (cfg?.locals.has(x.name)) {
          const node = cfg.nodeOf(x);
          if (node === undefined) return undefined;
          const defs = cfg.reachingDefs(x.name, node, x);
          if (defs.length === 0) return undefined;
          let out: MaybeValue;
          for (const [i, d] of defs.entries()) {
            const v = this.defStrLen(d, depth);
            if (!v) return undefined;
            out = i === 0 ? v : join(out, v);
          }
          return out;
        }
        const g = this.scope.program.global(x.name, this.scope.fileIndex);
        if (g?.init && (g.isConst || g.type.isConst)) return this.strLen(g.init, depth + 1);
        // A class's constant text (`const std::string kFull = "...";` in the class).
        const cc = g ? undefined : this.scope.program.classConstant(x.name, x.qualifier || this.scope.className);
        return cc ? this.strLen(cc, depth + 1) : undefined;
      }
      default: return undefined;
    }
  }

  private defStrLen(d: Def, depth: number): MaybeValue {
    if (this.strMemo.has(d)) return this.strMemo.get(d);
    if (this.active.has(d)) return undefined;
    this.active.add(d);
    let v: MaybeValue;
    try {
      if (d.kind === 'param') v = this.fromCallers(d, depth, (ev, arg) => ev.strLen(arg, depth + 1));
      else if (d.kind === 'out' && d.at && 'k' in d.at && d.at.k === 'call') v = this.builtString(d.at, d.key, depth + 1);
      else if (d.value && d.op === undefined) {
        const init = d.value.k === 'init' && d.value.elems.length === 1 ? d.value.elems[0] : d.value;
        v = this.strLen(init, depth + 1);
      }
    } finally {
      this.active.delete(d);
    }
    this.strMemo.set(d, v);
    return v;
  }

  /** `strcpy(buf, "HELLO ")`, `strcat(buf, name)`, `sprintf(buf, "PING %d\r\n", n)`: what buf then holds. */
  private builtString(call: CallExpr, key: string, depth: number): MaybeValue {
    const name = call.callee.k === 'name' ? call.callee.name : undefined;
    const dest = call.args[0] ? stripCasts(call.args[0]) : undefined;
    if (!name || !dest || dest.k !== 'name' || dest.name !== key) return undefined;
    if (name === 'strcpy' || name === 'strcpy_s' || name === 'lstrcpy') return this.strLen(call.args[call.args.length - 1], depth + 1);
    if (name === 'strcat' || name === 'strcat_s' || name === 'lstrcat') {
      const { cfg } = this.scope;
      const node = cfg?.nodeOf(call);
      if (!cfg || node === undefined) return undefined;
      // What buf held just before the call, plus what is appended.
      const before = cfg.reachingDefs(key, node, call.args[0]);
      let prev: MaybeValue;
      for (const [i, d] of before.entries()) {
        const v = this.defStrLen(d, depth + 1);
        if (!v) return undefined;
        prev = i === 0 ? v : join(prev, v);
      }
      const add = this.strLen(call.args[call.args.length - 1], depth + 1);
      return prev && add ? { lo: prev.lo + add.lo, hi: prev.hi + add.hi } : undefined;
    }
    if (FORMAT_CALLS.has(name)) {
      const { length: v, sized } = this.formatted(call, name, depth) ?? {};
      if (!v) return undefined;
      if (sized) {
        const cap = this.value(call.args[1], depth + 1);
        if (cap && cap.hi > 0) return { lo: Math.min(v.lo, cap.hi - 1), hi: Math.min(v.hi, cap.hi - 1) };
      }
      return v;
    }
    return undefined;
  }

  /** The length a printf-style call formats (its return value; snprintf's is not cut to the buffer). */
  private formatted(call: CallExpr, name: string, depth: number): { length: MaybeValue; sized: boolean } | undefined {
    const sized = name.startsWith('sn') || name.startsWith('_sn') || name.endsWith('_s') || name.startsWith('StringCch');
    const fmtIndex = sized ? 2 : 1;
    const fmt = call.args[fmtIndex] ? stripCasts(call.args[fmtIndex]) : undefined;
    if (!fmt || fmt.k !== 'str') return undefined;
    return { length: formatLength(fmt, call.args.slice(fmtIndex + 1), (a) => this.strLen(a, depth + 1)), sized };
  }

  private initializerOf(name: Extract<Expr, { k: 'name' }>): Expr | undefined {
    const { cfg, program } = this.scope;
    if (cfg?.locals.has(name.name)) {
      const node = cfg.nodeOf(name);
      if (node === undefined) return undefined;
      const defs = cfg.reachingDefs(name.name, node, name);
      return defs.length === 1 && defs[0].kind === 'init' ? defs[0].value : undefined;
    }
    return program.global(name.name, this.scope.fileIndex)?.init;
  }
}

/** The printed length of a printf-style format with its arguments: literal text plus each conversion's range. */
export function formatLength(fmt: StrExpr, args: Expr[], strLen: (e: Expr) => MaybeValue): MaybeValue {
  const s = fmt.value;
  let lo = 0, hi = 0, arg = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') { lo++; hi++; continue; }
    if (s[i + 1] === '%') { lo++; hi++; i++; continue; }
    let j = i + 1;
    let width = 0;
    while (j < s.length && '-+ #0'.includes(s[j])) j++;
    while (j < s.length && s[j] >= '0' && s[j] <= '9') { width = width * 10 + Number(s[j]); j++; }
    if (s[j] === '.') { j++; while (j < s.length && s[j] >= '0' && s[j] <= '9') j++; }
    let longs = 0;
    while (j < s.length && 'hlLqjzt'.includes(s[j])) { if (s[j] === 'l' || s[j] === 'j' || s[j] === 'z') longs++; j++; }
    const conv = s[j];
    let r: MaybeValue;
    switch (conv) {
      case 'd': case 'i': r = { lo: 1, hi: longs ? 20 : 11 }; break;
      case 'u': r = { lo: 1, hi: longs ? 20 : 10 }; break;
      case 'x': case 'X': case 'o': r = { lo: 1, hi: longs ? 22 : 11 }; break;
      case 'c': r = exact(1); break;
      case 's': r = args[arg] ? strLen(args[arg]) : undefined; break;
      case 'p': r = { lo: 3, hi: 18 }; break;
      case 'f': case 'e': case 'g': case 'F': case 'E': case 'G': r = { lo: 1, hi: 328 }; break;
      default: return undefined;
    }
    if (!r) return undefined;
    arg++;
    lo += Math.max(r.lo, width);
    hi += Math.max(r.hi, width);
    i = j;
  }
  return { lo, hi };
}
