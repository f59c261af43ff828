// Lowers a Python function (or the module's top-level code) to the IR. Socket calls are written as
// the C API's calls with the C argument order (`sock.send(data)` -> send(sock, data, len(data), 0),
// marked `known` so nothing else resolves them), because the analysis reads the IR the same way for
// every language. Python idioms the analysis must see become their IR equivalents:
//   data = sock.recv(n)        -> recv(sock, data, n, 0) assigned to data (the buffer is the result)
//   buf += sock.recv(n)        -> the buffer argument is `buf + len(buf)` (appended: a stream)
//   data[sent:]                -> data + sent (the rest of the buffer, as a pointer offset)
//   data.decode().strip()      -> a cast of the same bytes to `str`
//   len(x)                     -> strlen(x)
//   try/except OSError         -> a try whose handlers carry the exception types they catch
//   for i in range(a, b)       -> for (i = a; i < b; i += 1)
import type { Budget } from '../../budget';
import type {
  CallExpr, Expr, FunctionIR, NumExpr, Span, Stmt, StrExpr, TypeRef, VarDecl,
} from '../../ir/ir';
import { child, childrenOf, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import { SOCKET_METHODS, STREAM_METHODS, TEXT_OF_SAME_BYTES } from './api';
import type { PyFunction, PythonScopes } from './scope';

const UNKNOWN_TYPE: TypeRef = { name: '?', ptr: 0 };
const BUILTIN_KNOWN = new Set(['int', 'float', 'print', 'input', 'exit', 'quit', 'open']);
const BUILTIN_EXCEPTIONS = new Set(['BlockingIOError', 'OSError', 'IOError', 'EnvironmentError', 'Exception', 'BaseException',
  'ConnectionError', 'ConnectionResetError', 'BrokenPipeError', 'TimeoutError', 'InterruptedError', 'KeyboardInterrupt']);

export class PythonLowering {
  private pre: Stmt[] = [];
  private post: Stmt[] = [];
  private hoistable = false;
  private tempCount = 0;
  private synthetic = 0;
  private temps: string[] = [];
  /** Locals that hold received bytes, or text decoded from them. */
  private localTypes = new Map<string, TypeRef>();

  constructor(private readonly text: string, private readonly scopes: PythonScopes, private readonly budget: Budget, private readonly f: PyFunction) {}

  /** A node's text; an anonymous token (an operator, a keyword) is its own type. */
  private t(n: SyntaxNode): string { return n.named ? this.text.slice(n.start, n.end) : n.type; }
  private span(n: SyntaxNode): Span { return { start: n.start, end: n.end }; }
  private num(value: number, span: Span): NumExpr { return { k: 'num', value, span }; }
  private name(name: string, span: Span): Expr { return { k: 'name', name, span }; }
  private unknown(span: Span, parts: Expr[] = []): Expr { return { k: 'unknown', span, parts }; }
  /** A call the lowering writes itself (a length, a connect implied by create_connection): negative ids never meet a real call's offset. */
  private synth(name: string, args: Expr[], span: Span, known?: string): CallExpr {
    return { k: 'call', id: -(++this.synthetic), callee: { k: 'name', name, span }, args, span, nameSpan: span, ...(known ? { known } : {}) };
  }

  lowerFunction(hasErrors: boolean): FunctionIR {
    const f = this.f;
    const body: Stmt[] = [];
    // asyncio hands start_server's callback streams whose transports already set TCP_NODELAY.
    for (const p of f.params) {
      if (f.kinds.get(p.name) === 'stream') body.push(this.exprStmt(this.nodelay(this.name(p.name, p.span), p.span)));
    }
    // Protocol.data_received(data): one chunk of the stream, however the peer wrote it.
    if (f.receivesChunks && f.params[0]) {
      const p = f.params[0];
      const transport: Expr = { k: 'field', base: this.name('this', p.span), field: 'transport', arrow: true, span: p.span, fieldSpan: p.span };
      const call: CallExpr = { k: 'call', id: -(++this.synthetic), callee: { k: 'name', name: 'data_received', span: p.span }, args: [transport, this.name(p.name, p.span), this.unknown(p.span), this.num(0, p.span)], span: p.span, nameSpan: p.span, known: 'py.recv' };
      body.push(this.exprStmt({ k: 'assign', op: '=', target: this.name(p.name, p.span), value: call, span: p.span }));
      this.localTypes.set(p.name, { name: 'bytes', ptr: 0 });
    }
    body.push(...this.block(f.body));
    const whole = f.node ? this.span(f.node) : { start: 0, end: this.text.length };
    const nameNode = f.node ? child(f.node, 'name') : undefined;
    const locals = [...f.locals].filter((n) => !f.params.some((p) => p.name === n)).concat(this.temps);
    const vars: VarDecl[] = locals.map((n) => ({ name: n, nameSpan: { start: whole.start, end: whole.start }, type: this.localTypes.get(n) ?? this.typeOfLocal(n), span: { start: whole.start, end: whole.start } }));
    if (vars.length > 0) body.unshift({ k: 'decl', vars, span: { start: whole.start, end: whole.start } });
    return {
      name: f.name, qualified: f.qualified, className: f.className,
      params: f.params.map((p) => ({ name: p.name, type: this.typeOfLocal(p.name), span: p.span })),
      returnType: UNKNOWN_TYPE, body, span: whole, nameSpan: nameNode ? this.span(nameNode) : { start: 0, end: 0 },
      isStatic: false, hasErrors,
    };
  }

  private typeOfLocal(name: string): TypeRef {
    const k = this.f.kinds.get(name);
    return k ? { name: k, ptr: 0 } : UNKNOWN_TYPE;
  }

  private exprStmt(expr: Expr): Stmt { return { k: 'expr', expr, span: expr.span }; }

  // ---- statements -----------------------------------------------------------------------------

  block(nodes: SyntaxNode[]): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) {
      this.budget.tick();
      if (!n.named || n.type === 'comment') continue;
      const saved = { pre: this.pre, post: this.post, hoistable: this.hoistable };
      this.pre = []; this.post = [];
      const lowered = this.stmt(n);
      out.push(...this.pre, ...lowered, ...this.post);
      this.pre = saved.pre; this.post = saved.post; this.hoistable = saved.hoistable;
    }
    return out;
  }

  private body(n: SyntaxNode | undefined): Stmt[] {
    if (!n) return [];
    return this.block(n.type === 'block' ? namedChildren(n) : [n]);
  }

  private stmt(n: SyntaxNode): Stmt[] {
    const span = this.span(n);
    switch (n.type) {
      case 'expression_statement': {
        const items = namedChildren(n);
        const out: Stmt[] = [];
        for (const e of items) {
          if (e.type === 'string' || e.type === 'concatenated_string') continue; // a docstring
          this.hoistable = true;
          // `conn, addr = s.accept()` and the other assignments: through assignment(), which
          // unpacks tuples (an accept's first item is the connection).
          const l = e.type === 'assignment' || e.type === 'augmented_assignment' ? child(e, 'left') : undefined;
          const r = l ? child(e, 'right') : undefined;
          const opNode = l ? child(e, 'operator') : undefined;
          if (l && r && (l.type === 'pattern_list' || l.type === 'tuple_pattern' || l.type === 'tuple' || l.type === 'list_pattern')) {
            out.push(...this.assignment(l, r, opNode ? this.t(opNode) : '=', this.span(e)));
            continue;
          }
          out.push(this.exprStmt(this.expr(e)));
        }
        return out;
      }
      case 'return_statement': {
        const v = namedChildren(n)[0];
        this.hoistable = true;
        return [{ k: 'return', value: v ? this.expr(v) : undefined, span }];
      }
      case 'raise_statement': {
        const v = namedChildren(n)[0];
        return [{ k: 'throw', value: v ? this.expr(v) : undefined, span }];
      }
      case 'pass_statement': case 'global_statement': case 'nonlocal_statement': case 'import_statement':
      case 'import_from_statement': case 'future_import_statement': case 'function_definition': case 'class_definition':
      case 'decorated_definition': case 'delete_statement': case 'type_alias_statement':
        return [];
      case 'break_statement': return [{ k: 'break', span }];
      case 'continue_statement': return [{ k: 'continue', span }];
      case 'assert_statement': {
        const cond = namedChildren(n)[0];
        if (!cond) return [];
        return [this.exprStmt({ k: 'call', id: n.start, callee: this.name('assert', span), args: [this.expr(cond)], span, nameSpan: { start: n.start, end: n.start + 6 } })];
      }
      case 'if_statement': return [this.ifStmt(n)];
      case 'while_statement': {
        const cond = child(n, 'condition');
        const loop: Stmt = { k: 'loop', kind: 'while', init: [], cond: cond ? this.expr(cond) : undefined, update: [], body: this.body(child(n, 'body')), span };
        const orelse = child(n, 'alternative');
        return [loop, ...(orelse ? this.body(child(orelse, 'body') ?? namedChildren(orelse)[0]) : [])];
      }
      case 'for_statement': return this.forStmt(n);
      case 'try_statement': return this.tryStmt(n);
      case 'with_statement': {
        const out: Stmt[] = [];
        const clause = n.children.find((c) => c.type === 'with_clause');
        for (const item of clause ? namedChildren(clause) : []) {
          const v = child(item, 'value');
          if (!v) continue;
          this.hoistable = true;
          if (v.type === 'as_pattern') {
            const alias = child(v, 'alias');
            const target = alias ? namedChildren(alias)[0] : undefined;
            const value = namedChildren(v)[0];
            if (target && value) out.push(...this.assignment(target, value, '=', this.span(item)));
            else if (value) out.push(this.exprStmt(this.expr(value)));
          } else {
            out.push(this.exprStmt(this.expr(v)));
          }
          out.push(...this.post); this.post = [];
        }
        out.unshift(...this.pre); this.pre = [];
        return [...out, ...this.body(child(n, 'body'))];
      }
      case 'block': return this.block(namedChildren(n));
      default: {
        // match statements and anything newer: walked for calls, nothing more.
        const parts = namedChildren(n).filter((c) => c.type !== 'block').map((c) => this.expr(c));
        return [this.exprStmt(this.unknown(span, parts))];
      }
    }
  }

  private ifStmt(n: SyntaxNode): Stmt {
    const cond = child(n, 'condition');
    this.hoistable = true;
    const c = cond ? this.expr(cond) : this.unknown(this.span(n));
    this.hoistable = false;
    const alternatives = n.children.filter((x) => x.type === 'elif_clause' || x.type === 'else_clause');
    const build = (i: number): Stmt[] | undefined => {
      const a = alternatives[i];
      if (!a) return undefined;
      if (a.type === 'else_clause') return this.body(child(a, 'body') ?? namedChildren(a)[0]);
      const ac = child(a, 'condition');
      return [{ k: 'if', cond: ac ? this.expr(ac) : this.unknown(this.span(a)), then: this.body(child(a, 'consequence')), else: build(i + 1), thenBraced: true, elseBraced: true, span: this.span(a) }];
    };
    return { k: 'if', cond: c, then: this.body(child(n, 'consequence')), else: build(0), thenBraced: true, elseBraced: true, span: this.span(n) };
  }

  private forStmt(n: SyntaxNode): Stmt[] {
    const span = this.span(n);
    const left = child(n, 'left'), right = child(n, 'right');
    const body = this.body(child(n, 'body'));
    const orelse = child(n, 'alternative');
    const after = orelse ? this.body(child(orelse, 'body') ?? namedChildren(orelse)[0]) : [];
    // `for i in range(a, b)`: a counted loop, as `for (i = a; i < b; i += 1)`.
    if (left?.type === 'identifier' && right?.type === 'call') {
      const fn = child(right, 'function');
      const args = child(right, 'arguments');
      const list = args ? namedChildren(args) : [];
      if (fn?.type === 'identifier' && this.t(fn) === 'range' && list.length >= 1 && list.length <= 2 && list.every((a) => a.type !== 'keyword_argument')) {
        const v = this.name(this.t(left), this.span(left));
        const from = list.length === 2 ? this.expr(list[0]) : this.num(0, this.span(right));
        const to = this.expr(list[list.length - 1]);
        return [{
          k: 'loop', kind: 'for', span, body,
          init: [this.exprStmt({ k: 'assign', op: '=', target: v, value: from, span: this.span(left) })],
          cond: { k: 'binary', op: '<', left: v, right: to, span: this.span(right) },
          update: [{ k: 'assign', op: '+=', target: v, value: this.num(1, this.span(left)), span: this.span(left) }],
        }, ...after];
      }
    }
    const first = left ? (left.type === 'identifier' ? left : namedChildren(left).find((c) => c.type === 'identifier')) : undefined;
    const rangeVar: VarDecl | undefined = first ? { name: this.t(first), nameSpan: this.span(first), type: UNKNOWN_TYPE, span: this.span(first) } : undefined;
    return [{ k: 'loop', kind: 'range', init: [], update: [], body, rangeVar, rangeOf: right ? this.expr(right) : undefined, span }, ...after];
  }

  private tryStmt(n: SyntaxNode): Stmt[] {
    const body = this.body(child(n, 'body') ?? n.children.find((c) => c.type === 'block'));
    const handlers: Stmt[][] = [];
    const catches: (string[] | undefined)[] = [];
    let orelse: Stmt[] = [], finale: Stmt[] = [];
    for (const c of n.children) {
      if (c.type === 'except_clause' || c.type === 'except_group_clause') {
        const blockNode = c.children.find((x) => x.type === 'block');
        const typeNode = child(c, 'value') ?? namedChildren(c).find((x) => x.type !== 'block');
        catches.push(typeNode ? this.exceptionTypes(typeNode) : undefined);
        handlers.push(this.body(blockNode));
      } else if (c.type === 'else_clause') {
        orelse = this.body(child(c, 'body') ?? namedChildren(c)[0]);
      } else if (c.type === 'finally_clause') {
        finale = this.body(namedChildren(c).find((x) => x.type === 'block'));
      }
    }
    return [{ k: 'try', body: [...body, ...orelse], handlers, catches, span: this.span(n) }, ...finale];
  }

  /** `(BlockingIOError, socket.error) as e` -> ['BlockingIOError', 'socket.error']. */
  private exceptionTypes(n: SyntaxNode): string[] {
    const x = n.type === 'as_pattern' ? namedChildren(n)[0] : n;
    if (!x) return [];
    const items = x.type === 'tuple' || x.type === 'parenthesized_expression' ? namedChildren(x) : [x];
    return items.map((i) => {
      const lib = this.scopes.names.resolve(i, this.text);
      if (lib === 'socket.error' || lib === 'select.error') return 'OSError';
      if (lib === 'socket.timeout') return 'TimeoutError';
      if (lib) return lib;
      const t = this.t(i);
      return BUILTIN_EXCEPTIONS.has(t) ? t : `?${t}`;
    });
  }

  // ---- assignments ----------------------------------------------------------------------------

  private assignment(target: SyntaxNode, value: SyntaxNode, op: string, span: Span): Stmt[] {
    const f = this.f;
    if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'tuple' || target.type === 'list_pattern') {
      const items = namedChildren(target);
      const values = value.type === 'expression_list' || value.type === 'tuple' ? namedChildren(value) : undefined;
      if (values && values.length === items.length) return items.flatMap((it, i) => this.assignment(it, values[i], op, span));
      const first = items[0];
      if (first && (this.scopes.acceptOf(value, f) || this.scopes.opensStreams(value))) {
        const out = this.assignment(first, value, op, span);
        // `reader, writer = await asyncio.open_connection()`: one connection, two ends of it.
        if (this.scopes.opensStreams(value) && items[1]) out.push(this.exprStmt({ k: 'assign', op: '=', target: this.target(items[1]), value: this.target(first), span }));
        return out;
      }
      const v = this.expr(value);
      return items.map((it, i) => this.exprStmt({ k: 'assign', op: '=', target: this.target(it), value: i === 0 ? this.unknown(v.span, [v]) : this.unknown(this.span(it)), span }));
    }
    const t = this.target(target);
    const val = this.expr(value, { into: t, append: op === '+=' });
    if (target.type === 'identifier' && val.k === 'cast' && val.type.name === 'str') this.localTypes.set(this.t(target), val.type);
    return [this.exprStmt({ k: 'assign', op, target: t, value: val, span })];
  }

  private target(n: SyntaxNode): Expr {
    return this.expr(n);
  }

  // ---- expressions ----------------------------------------------------------------------------

  /**
   * `into`: the expression is assigned to this target (a recv's bytes land there); `append`: with `+=`.
   */
  expr(n: SyntaxNode, into?: { into: Expr; append: boolean }): Expr {
    this.budget.tick();
    const span = this.span(n);
    switch (n.type) {
      case 'identifier': {
        const name = this.t(n);
        if (name === 'self' && this.f.isMethod) return this.name('this', span);
        return this.name(name, span);
      }
      case 'true': return this.num(1, span);
      case 'false': case 'none': return this.num(0, span);
      case 'integer': {
        const written = this.t(n).split('_').join('').toLowerCase();
        const s = written.endsWith('l') ? written.slice(0, -1) : written;
        const v = s.startsWith('0o') ? parseInt(s.slice(2), 8) : s.startsWith('0b') ? parseInt(s.slice(2), 2) : Number(s);
        return Number.isFinite(v) ? this.num(v, span) : this.unknown(span);
      }
      case 'float': { const v = Number(this.t(n).split('_').join('')); return Number.isFinite(v) ? this.num(v, span) : this.unknown(span); }
      case 'string': case 'concatenated_string': return this.string(n);
      case 'parenthesized_expression': { const x = namedChildren(n)[0]; return x ? this.expr(x, into) : this.unknown(span); }
      case 'await': { const x = namedChildren(n)[0]; return x ? this.expr(x, into) : this.unknown(span); }
      case 'named_expression': {
        const name = child(n, 'name'), value = child(n, 'value');
        if (!name || !value) return this.unknown(span);
        const t = this.expr(name);
        return { k: 'assign', op: '=', target: t, value: this.expr(value, { into: t, append: false }), span };
      }
      case 'assignment': case 'augmented_assignment': {
        // A chained `a = b = value` lands here as the right side of an assignment.
        const l = child(n, 'left'), r = child(n, 'right');
        if (!l || !r) return this.unknown(span);
        const opNode = child(n, 'operator');
        const t = this.target(l);
        return { k: 'assign', op: opNode ? this.t(opNode) : '=', target: t, value: this.expr(r, { into: t, append: false }), span };
      }
      case 'attribute': {
        const lib = this.scopes.names.resolve(n, this.text);
        const attr = child(n, 'attribute');
        // `socket.TCP_NODELAY`, `errno.EAGAIN`: the constant by its own name, as C spells it.
        if (lib && attr) {
          const last = this.t(attr);
          if (isConstantName(last)) return this.name(last, span);
          return this.name(lib, span);
        }
        const obj = child(n, 'object');
        if (!obj || !attr) return this.unknown(span);
        const base = this.expr(obj);
        return { k: 'field', base, field: this.t(attr), arrow: base.k === 'name' && base.name === 'this', span, fieldSpan: this.span(attr) };
      }
      case 'subscript': {
        const v = child(n, 'value');
        const subs = childrenOf(n, 'subscript');
        if (!v || subs.length !== 1) return this.unknown(span, v ? [this.expr(v)] : []);
        const s = subs[0];
        const base = this.expr(v);
        if (s.type === 'slice') {
          // `data[sent:]`: the rest of the buffer from `sent` on; `data[:n]` starts where data does.
          const parts = s.children;
          const colon = parts.findIndex((p) => p.type === ':');
          const lower = colon > 0 ? parts.slice(0, colon).find((p) => p.named) : undefined;
          if (!lower) return base;
          return { k: 'binary', op: '+', left: base, right: this.expr(lower), span };
        }
        return { k: 'index', base, index: this.expr(s), span };
      }
      case 'call': return this.call(n, into);
      case 'binary_operator': {
        const l = child(n, 'left'), r = child(n, 'right'), op = child(n, 'operator');
        if (!l || !r) return this.unknown(span);
        const o = op ? this.t(op) : '?';
        return { k: 'binary', op: o === '//' ? '/' : o === '**' ? '**' : o, left: this.expr(l), right: this.expr(r), span };
      }
      case 'boolean_operator': {
        const l = child(n, 'left'), r = child(n, 'right'), op = child(n, 'operator');
        if (!l || !r) return this.unknown(span);
        return { k: 'binary', op: op && this.t(op) === 'and' ? '&&' : '||', left: this.expr(l), right: this.expr(r), span };
      }
      case 'not_operator': {
        const a = child(n, 'argument');
        return a ? { k: 'unary', op: '!', arg: this.expr(a), span } : this.unknown(span);
      }
      case 'unary_operator': {
        const a = child(n, 'argument'), op = child(n, 'operator');
        if (!a) return this.unknown(span);
        const o = op ? this.t(op) : '-';
        return o === '+' ? this.expr(a) : { k: 'unary', op: o, arg: this.expr(a), span };
      }
      case 'comparison_operator': {
        const operands = namedChildren(n).filter((c) => c.field !== 'operators');
        const ops = n.children.filter((c) => c.field === 'operators');
        if (operands.length !== 2 || ops.length !== 1) return this.unknown(span, operands.map((o) => this.expr(o)));
        const o = ops[0].type;
        const mapped = o === 'is' ? '==' : o === 'is not' ? '!=' : o === '<>' ? '!=' : o;
        if (mapped === 'in' || mapped === 'not in') return this.unknown(span, operands.map((x) => this.expr(x)));
        return { k: 'binary', op: mapped, left: this.expr(operands[0]), right: this.expr(operands[1]), span };
      }
      case 'conditional_expression': {
        const parts = namedChildren(n);
        if (parts.length !== 3) return this.unknown(span, parts.map((p) => this.expr(p)));
        return { k: 'cond', test: this.expr(parts[1]), then: this.expr(parts[0]), else: this.expr(parts[2]), span };
      }
      case 'lambda': return this.unknown(span);
      default:
        return this.unknown(span, namedChildren(n).filter((c) => c.type !== 'comment').map((c) => this.expr(c)));
    }
  }

  private string(n: SyntaxNode): Expr {
    const span = this.span(n);
    const pieces = n.type === 'concatenated_string' ? namedChildren(n) : [n];
    let value = '';
    let bytes = false;
    for (const p of pieces) {
      if (p.children.some((c) => c.type === 'interpolation')) return this.unknown(span, p.children.filter((c) => c.type === 'interpolation').flatMap((c) => namedChildren(c).map((x) => this.expr(x))));
      const start = p.children.find((c) => c.type === 'string_start');
      const prefix = start ? this.t(start).toLowerCase() : '';
      if (prefix.includes('b')) bytes = true;
      const raw = prefix.includes('r');
      for (const c of p.children) {
        if (c.type === 'string_content') value += this.t(c);
        else if (c.type === 'escape_sequence') value += raw ? this.t(c) : unescape(this.t(c));
      }
    }
    const length = bytes ? value.length : Buffer.byteLength(value, 'utf8');
    const s: StrExpr = { k: 'str', value, length, span };
    return s;
  }

  private call(n: SyntaxNode, into?: { into: Expr; append: boolean }): Expr {
    const span = this.span(n);
    const fn = child(n, 'function');
    const argList = child(n, 'arguments');
    const all = argList ? namedChildren(argList) : [];
    const positional = all.filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
    const kw = (name: string) => { const a = all.find((x) => x.type === 'keyword_argument' && child(x, 'name') && this.t(child(x, 'name')!) === name); return a ? child(a, 'value') : undefined; };
    const arg = (i: number, name: string) => positional[i] ?? kw(name);
    if (!fn) return this.unknown(span);
    const lib = this.scopes.names.resolve(fn, this.text);
    const nameSpan = fn.type === 'attribute' && child(fn, 'attribute') ? this.span(child(fn, 'attribute')!) : this.span(fn);
    const genericArgs = () => all.map((a) => this.expr(a.type === 'keyword_argument' ? child(a, 'value') ?? a : namedChildren(a)[0] && a.type !== 'identifier' && (a.type === 'list_splat' || a.type === 'dictionary_splat') ? namedChildren(a)[0] : a));
    const make = (args: Expr[], known?: string): CallExpr => ({ k: 'call', id: n.start, callee: this.expr(fn), args, span, nameSpan, ...(known ? { known } : {}) });

    // Sockets made here.
    if (lib === 'socket.socket' || lib === 'socket.create_connection' || lib === 'socket.create_server' || lib === 'socket.fromfd') {
      const family = lib === 'socket.socket' ? arg(0, 'family') : undefined;
      const type = lib === 'socket.socket' ? arg(1, 'type') : undefined;
      const args = [
        family ? this.expr(family) : this.name(lib === 'socket.fromfd' ? '?' : 'AF_INET', span),
        type ? this.expr(type) : this.name(lib === 'socket.fromfd' ? '?' : 'SOCK_STREAM', span),
        this.num(0, span),
      ];
      const call = make(args, 'py.socket');
      // create_connection() returns a connected socket: the connect is part of the call.
      if (lib === 'socket.create_connection' && into && !into.append) {
        this.post.push(this.exprStmt(this.synth('create_connection', [into.into, ...(positional[0] ? [this.unknown(this.span(positional[0]))] : [])], span, 'py.connect')));
      }
      return call;
    }
    if (lib === 'asyncio.open_connection') {
      const call = make([this.name('AF_INET', span), this.name('SOCK_STREAM', span), this.num(0, span)], 'py.socket');
      if (into && !into.append) {
        this.post.push(this.exprStmt(this.synth('open_connection', [into.into], span, 'py.connect')));
        this.post.push(this.exprStmt(this.nodelay(into.into, span)));
      }
      return call;
    }
    if (lib === 'select.select' || lib === 'select.poll' || lib === 'select.epoll') return make(genericArgs(), 'py.wait');
    if (lib === 'time.sleep' || lib === 'asyncio.sleep') return make(genericArgs(), 'py.sleep');
    if (lib === 'sys.exit' || lib === 'os._exit') return make(genericArgs(), 'py.exit');

    if (fn.type === 'identifier') {
      const name = this.t(fn);
      if (!this.isShadowed(name)) {
        if (name === 'len' && positional.length === 1) return { k: 'call', id: n.start, callee: this.name('strlen', this.span(fn)), args: [this.expr(positional[0])], span, nameSpan };
        if (name === 'str' && positional.length >= 2) return { k: 'cast', type: { name: 'str', ptr: 0 }, value: this.expr(positional[0]), span };
        // `bytes(text, 'utf-8')`: the text's bytes.
        if (name === 'bytes' && positional.length + (kw('encoding') ? 1 : 0) >= 2) return { k: 'cast', type: { name: 'bytes', ptr: 0 }, value: this.expr(positional[0]), span };
        if (name === 'input') return make(genericArgs(), 'py.input');
        if (name === 'exit' || name === 'quit') return make(genericArgs(), 'py.exit');
        if (BUILTIN_KNOWN.has(name)) return make(genericArgs(), name);
      }
    }

    if (fn.type === 'attribute') {
      const obj = child(fn, 'object'), attrNode = child(fn, 'attribute');
      const method = attrNode ? this.t(attrNode) : '';
      if (obj && attrNode) {
        const kind = this.scopes.kindOf(obj, this.f);
        if (kind === 'socket' && SOCKET_METHODS[method]) return this.socketMethod(n, obj, method, positional, kw, into);
        if (kind === 'stream' && STREAM_METHODS[method]) return this.streamMethod(n, obj, method, positional, into);
        // ssl: the wrapped socket is the same connection.
        if (method === 'wrap_socket' && positional[0] && this.scopes.kindOf(positional[0], this.f) === 'socket') return this.expr(positional[0]);
        // `await loop.sock_accept(s)`: asyncio accepts and makes the new socket non-blocking itself.
        if ((method === 'sock_accept' || method === 'sock_connect') && positional[0] && this.scopes.kindOf(positional[0], this.f) === 'socket') {
          const sock = this.expr(positional[0]);
          if (method === 'sock_connect') return make([sock, ...(positional[1] ? [this.expr(positional[1])] : [])], 'py.connect');
          if (into && !into.append) this.post.push(this.exprStmt(this.synth('setblocking', [into.into, this.name('FIONBIO', span), this.num(1, span)], span, 'py.setblocking')));
          return make([sock], 'py.accept');
        }
        if ((method === 'sock_recv' || method === 'sock_sendall') && positional[0] && this.scopes.kindOf(positional[0], this.f) === 'socket') {
          const sock = this.expr(positional[0]);
          if (method === 'sock_recv') return make([sock, this.bufferFor(into, span), positional[1] ? this.expr(positional[1]) : this.unknown(span), this.num(0, span)], 'py.loop.sock_recv');
          const data = positional[1] ? this.expr(positional[1]) : this.unknown(span);
          return make([sock, data, this.lengthOf(data), this.num(0, span)], 'py.loop.sock_sendall');
        }
        if (method === 'select' && !lib) {
          // `sel.select()` on a selectors object, `poller.poll()`: waiting for readiness.
          const objLib = this.scopes.names.resolve(obj, this.text);
          if (objLib || this.isSelector(obj)) return make(genericArgs(), 'py.wait');
        }
        if ((method === 'poll' && this.isSelector(obj))) return make(genericArgs(), 'py.wait');
        // Text made of the same bytes: `data.decode()`, `.strip()`; bytes made of literal text: `'hi'.encode()`.
        if (TEXT_OF_SAME_BYTES.has(method)) {
          const base = this.expr(obj);
          return base.k === 'cast' && base.type.name === 'str' ? { ...base, span } : { k: 'cast', type: { name: 'str', ptr: 0 }, value: base, span };
        }
        if (method === 'encode' && obj.type === 'string') return this.expr(obj);
        // `str.encode(text)`: the same, called on the class.
        if (method === 'encode' && obj.type === 'identifier' && this.t(obj) === 'str' && !this.isShadowed('str') && positional[0]) {
          return { k: 'cast', type: { name: 'bytes', ptr: 0 }, value: this.expr(positional[0]), span };
        }
        // `text.encode()`: the bytes of that text (its length, when the text is known).
        if (method === 'encode') return { k: 'cast', type: { name: 'bytes', ptr: 0 }, value: this.expr(obj), span };
      }
    }
    // `sel.register(sock, events, callback)` / `threading.Thread(target=f, args=(conn,))`: the
    // selector or the thread calls the function with the socket later, in the state it has now.
    const dispatch = this.dispatchedCall(n, fn, lib, positional, kw);
    if (dispatch) this.post.push(this.exprStmt(dispatch));
    // A library function (`json.loads`), or a function of the program.
    const known = lib ?? undefined;
    return make(genericArgs(), known);
  }

  /** The call a selector or a new thread makes of a function of this file with a socket argument. */
  private dispatchedCall(n: SyntaxNode, fn: SyntaxNode, lib: string | undefined, positional: SyntaxNode[], kw: (name: string) => SyntaxNode | undefined): CallExpr | undefined {
    const span = this.span(n);
    const method = fn.type === 'attribute' && child(fn, 'attribute') ? this.t(child(fn, 'attribute')!) : '';
    let target: SyntaxNode | undefined, args: SyntaxNode[] = [];
    if (method === 'register' && positional[0] && this.scopes.kindOf(positional[0], this.f) === 'socket') {
      target = positional[2] ?? kw('data'); args = [positional[0]];
    } else if (lib === 'threading.Thread') {
      target = kw('target'); const a = kw('args'); args = a && (a.type === 'tuple' || a.type === 'list') ? namedChildren(a) : [];
    }
    const callee = target ? this.scopes.callable(target, this.f) : undefined;
    if (!target || !callee || !args.some((a) => this.scopes.kindOf(a, this.f) === 'socket')) return undefined;
    return { k: 'call', id: -(++this.synthetic), callee: this.expr(target), args: args.map((a) => this.expr(a)), span, nameSpan: this.span(target) };
  }

  /** A name the function binds itself (a local named `len` is not the builtin). */
  private isShadowed(name: string): boolean {
    return this.f.locals.has(name) || this.scopes.module.locals.has(name) || this.scopes.functions.some((g) => g.name === name && !g.className);
  }

  /** A selectors selector or a poll object, by what it was made from. */
  private isSelector(obj: SyntaxNode): boolean {
    if (obj.type !== 'identifier' && obj.type !== 'attribute') return false;
    // Resolving the variable's assignment is left to the names table; a selector is usually a module-level name.
    const lib = this.scopes.names.resolve(obj, this.text);
    return !!lib && (lib.startsWith('selectors.') || lib.startsWith('select.'));
  }

  private bufferFor(into: { into: Expr; append: boolean } | undefined, span: Span): Expr {
    if (into && into.append) {
      return { k: 'binary', op: '+', left: into.into, right: { k: 'call', id: -(++this.synthetic), callee: this.name('strlen', span), args: [into.into], span, nameSpan: span }, span };
    }
    if (into) {
      if (into.into.k === 'name') this.localTypes.set(into.into.name, { name: 'bytes', ptr: 0 });
      return into.into;
    }
    // Received bytes used inside a larger expression (`json.loads(s.recv(1024))`): named by a
    // temporary assigned just before the statement, so the analysis can follow them.
    if (this.hoistable) {
      const name = `recv@${span.start}`;
      this.temps.push(name);
      this.localTypes.set(name, { name: 'bytes', ptr: 0 });
      return { k: 'name', name, span };
    }
    return this.unknown(span);
  }

  private lengthOf(data: Expr): Expr {
    if (data.k === 'str') return this.num(data.length, data.span);
    return { k: 'call', id: -(++this.synthetic), callee: this.name('strlen', data.span), args: [data], span: data.span, nameSpan: data.span };
  }

  /** `writer`'s transport has TCP_NODELAY (asyncio sets it on every TCP transport). */
  private nodelay(sock: Expr, span: Span): CallExpr {
    return this.synth('setsockopt', [sock, this.name('IPPROTO_TCP', span), this.name('TCP_NODELAY', span), this.num(1, span)], span, 'py.setsockopt');
  }

  private socketMethod(n: SyntaxNode, obj: SyntaxNode, method: string, positional: SyntaxNode[], kw: (name: string) => SyntaxNode | undefined, into?: { into: Expr; append: boolean }): Expr {
    const span = this.span(n);
    const fn = child(n, 'function')!;
    const nameSpan = this.span(child(fn, 'attribute')!);
    const sock = this.expr(obj);
    const callee: Expr = { k: 'field', base: sock, field: method, arrow: false, span: this.span(fn), fieldSpan: nameSpan };
    const make = (args: Expr[], known: string): Expr => {
      const call: CallExpr = { k: 'call', id: n.start, callee, args, span, nameSpan, known };
      if (this.hoistable && !into && (known === 'py.recv')) {
        // Hoisted: `recv@N = recv(sock, recv@N, n, 0)` before the statement, the temporary in its place.
        const temp = call.args[1];
        if (temp.k === 'name') {
          this.pre.push(this.exprStmt({ k: 'assign', op: '=', target: temp, value: call, span }));
          return { ...temp, span };
        }
      }
      return call;
    };
    const e = (x: SyntaxNode | undefined, fallback: () => Expr) => (x ? this.expr(x) : fallback());
    const flags = (x: SyntaxNode | undefined) => (x ? this.expr(x) : this.num(0, span));
    switch (method) {
      case 'send': case 'sendall': case 'sendfile': {
        const data = e(positional[0] ?? kw('data'), () => this.unknown(span));
        return make([sock, data, this.lengthOf(data), flags(positional[1] ?? kw('flags'))], SOCKET_METHODS[method]);
      }
      case 'sendto': {
        const data = e(positional[0], () => this.unknown(span));
        return make([sock, data, this.lengthOf(data), this.num(0, span)], 'py.sendto');
      }
      case 'recv': case 'recvfrom': {
        const buffer = this.bufferFor(into, span);
        return make([sock, buffer, e(positional[0] ?? kw('bufsize'), () => this.unknown(span)), flags(positional[1] ?? kw('flags'))], SOCKET_METHODS[method]);
      }
      case 'recv_into': {
        const buf = e(positional[0] ?? kw('buffer'), () => this.unknown(span));
        const nbytes = positional[1] ?? kw('nbytes');
        const len = nbytes && !(nbytes.type === 'integer' && this.t(nbytes) === '0') ? this.expr(nbytes) : this.lengthOf(buf);
        return make([sock, buf, len, flags(positional[2] ?? kw('flags'))], 'py.recv_into');
      }
      case 'setsockopt': {
        const args = [0, 1, 2].map((i) => e(positional[i], () => this.unknown(span)));
        return make([sock, ...args], 'py.setsockopt');
      }
      case 'setblocking': {
        // setblocking(False) is FIONBIO on; setblocking(True) is off.
        const a = positional[0] ?? kw('flag');
        const on = !a ? this.unknown(span) : a.type === 'false' ? this.num(1, this.span(a)) : a.type === 'true' ? this.num(0, this.span(a))
          : a.type === 'integer' ? this.num(this.t(a) === '0' ? 1 : 0, this.span(a)) : { k: 'unary', op: '!', arg: this.expr(a), span: this.span(a) } as Expr;
        return make([sock, this.name('FIONBIO', nameSpan), on], 'py.setblocking');
      }
      case 'settimeout': {
        const a = positional[0] ?? kw('value');
        const v = a ? this.expr(a) : this.unknown(span);
        // settimeout(0) is non-blocking; settimeout(None) is blocking; any other timeout makes a
        // send that waits for buffer space return what it has sent (CPython polls, then sends once).
        if (a?.type === 'none') return make([sock, this.name('FIONBIO', nameSpan), this.num(0, this.span(a))], 'py.setblocking');
        if (v.k === 'num' && v.value === 0) return make([sock, this.name('FIONBIO', nameSpan), this.num(1, v.span)], 'py.setblocking');
        return make([sock, this.name('SOL_SOCKET', nameSpan), this.name('SO_SNDTIMEO', nameSpan), v], 'py.setsockopt');
      }
      case 'connect': case 'connect_ex': case 'bind': case 'listen': case 'shutdown':
        return make([sock, ...positional.map((p) => this.expr(p))], SOCKET_METHODS[method]);
      case 'accept': case 'close':
        return make([sock], SOCKET_METHODS[method]);
      default:
        return make([sock], SOCKET_METHODS[method]);
    }
  }

  private streamMethod(n: SyntaxNode, obj: SyntaxNode, method: string, positional: SyntaxNode[], into?: { into: Expr; append: boolean }): Expr {
    const span = this.span(n);
    const fn = child(n, 'function')!;
    const nameSpan = this.span(child(fn, 'attribute')!);
    const stream = this.expr(obj);
    const callee: Expr = { k: 'field', base: stream, field: method, arrow: false, span: this.span(fn), fieldSpan: nameSpan };
    const make = (args: Expr[], known: string): CallExpr => ({ k: 'call', id: n.start, callee, args, span, nameSpan, known });
    switch (method) {
      case 'write': case 'writelines': {
        const data = positional[0] ? this.expr(positional[0]) : this.unknown(span);
        return make([stream, data, this.lengthOf(data), this.num(0, span)], 'py.stream.write');
      }
      case 'read': {
        // read() and read(-1) read to the end of the stream: everything the peer sent.
        const size = positional[0];
        const sizeValue = size ? this.expr(size) : undefined;
        const toEnd = !sizeValue || (sizeValue.k === 'unary' && sizeValue.op === '-' && sizeValue.arg.k === 'num' && sizeValue.arg.value === 1);
        const buffer = this.bufferFor(into, span);
        const call = make([stream, buffer, size ? this.expr(size) : this.unknown(span), this.num(0, span)], toEnd ? 'py.stream.readexactly' : 'py.stream.read');
        if (this.hoistable && !into && !toEnd && buffer.k === 'name') {
          this.pre.push(this.exprStmt({ k: 'assign', op: '=', target: buffer, value: call, span }));
          return { ...buffer, span };
        }
        return call;
      }
      case 'readexactly': case 'readline': case 'readuntil': {
        const size = positional[0];
        return make([stream, this.bufferFor(into, span), size ? this.expr(size) : this.unknown(span), this.num(0, span)], 'py.stream.readexactly');
      }
      default:
        return make([stream], STREAM_METHODS[method]);
    }
  }
}

/** `TCP_NODELAY`, `EAGAIN`: a module constant, spelled in capitals. */
function isConstantName(name: string): boolean {
  if (name.length === 0 || name[0] < 'A' || name[0] > 'Z') return false;
  for (const ch of name) if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '_')) return false;
  return true;
}

function unescape(seq: string): string {
  switch (seq[1]) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case '0': return '\0';
    case '\\': return '\\';
    case '\'': return '\'';
    case '"': return '"';
    case 'x': return String.fromCharCode(parseInt(seq.slice(2), 16) || 0);
    default: return seq.slice(1);
  }
}
