// Lowers a C# method (or the file's top-level statements) to the IR. Socket calls are written as
// the C API's calls with the C argument order (`s.Send(buf, 0, n, SocketFlags.None)` ->
// send(s, buf, n, 0); `stream.Write(buf, off, n)` -> send(stream, buf + off, n, 0) marked as writing
// every byte), marked `known` so nothing else resolves them, because the analysis reads the IR the
// same way for every language. .NET idioms the analysis must see become their IR equivalents:
//   s.NoDelay = true                    -> setsockopt(s, IPPROTO_TCP, TCP_NODELAY, 1)
//   s.ReceiveBufferSize = n             -> setsockopt(s, SOL_SOCKET, SO_RCVBUF, n)
//   s.Blocking = false                  -> ioctlsocket(s, FIONBIO, 1)
//   new TcpClient(host, port)           -> socket(...), then connect() on what it is assigned to
//   client.GetStream(), client.Client   -> the same connection (the expression `client`)
//   Encoding.UTF8.GetString(buf, 0, n)  -> a cast of the bytes to `string`
//   catch (SocketException e) when (..) -> a try whose handler carries the type it catches and the filter
import type { Budget } from '../../budget';
import type { CallExpr, Expr, FunctionIR, NumExpr, Span, Stmt, TypeRef, VarDecl } from '../../ir/ir';
import { child, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import {
  CLIENT_METHODS, CS_PATH_CALLS, CS_TEXT_OF_SAME, ENUM_MEMBERS, LISTENER_METHODS, OPTION_NAMES, OPTION_PROPERTIES, READER_METHODS, SOCKET_METHODS,
  ERROR_CODE_MEMBERS, STREAM_METHODS, WOULDBLOCK_CODE, type NetKind,
} from './api';
import { isThis, type CsFunction, type CsharpScopes } from './scope';

const UNKNOWN_TYPE: TypeRef = { name: '?', ptr: 0 };
/** C# primitive names as the analysis's type layouts know them (a byte is 1). */
const PRIMITIVES: Record<string, string> = {
  byte: 'char', sbyte: 'char', bool: 'bool', short: 'short', ushort: 'unsigned short', int: 'int', uint: 'unsigned int', long: 'long long',
  ulong: 'unsigned long long', char: 'unsigned short', float: 'float', double: 'double', string: 'string', String: 'string',
};
const STATIC_SLEEP = new Set(['Thread.Sleep', 'Task.Delay']);
const STATIC_INPUT = new Set(['Console.ReadLine', 'Console.ReadKey', 'Console.Read']);
const STATIC_EXIT = new Set(['Environment.Exit', 'Environment.FailFast', 'Application.Exit']);
/** `Encoding.UTF8`, `System.Text.Encoding.ASCII`, `Encoding.GetEncoding(949)`: a text encoding, however it is named. */
const isEncoding = (written: string): boolean => (written.startsWith('System.Text.') ? written.slice('System.Text.'.length) : written).startsWith('Encoding');
const PARSE_TYPES = new Set(['int', 'long', 'short', 'double', 'float', 'decimal', 'Int32', 'Int64', 'Int16', 'Double', 'UInt32', 'uint', 'ulong']);

type Into = { into: Expr; append: boolean };

export class CsharpLowering {
  private pre: Stmt[] = [];
  private post: Stmt[] = [];
  private hoistable = false;
  private synthetic = 0;
  private temps: VarDecl[] = [];

  constructor(private readonly text: string, private readonly scopes: CsharpScopes, private readonly budget: Budget, private readonly f: CsFunction,
    /** Field initialisers a constructor runs first (`Socket _s = new Socket(...)`). */
    private readonly fieldInits: SyntaxNode[] = []) {}

  private t(n: SyntaxNode): string { return n.named ? this.text.slice(n.start, n.end) : n.type; }
  private span(n: SyntaxNode): Span { return { start: n.start, end: n.end }; }
  private num(value: number, span: Span): NumExpr { return { k: 'num', value, span }; }
  private name(name: string, span: Span): Expr { return { k: 'name', name, span }; }
  private unknown(span: Span, parts: Expr[] = []): Expr { return { k: 'unknown', span, parts }; }
  private exprStmt(expr: Expr): Stmt { return { k: 'expr', expr, span: expr.span }; }
  /** A call the lowering writes itself: negative ids never meet a real call's offset. */
  private synth(name: string, args: Expr[], span: Span, known: string): CallExpr {
    return { k: 'call', id: -(++this.synthetic), callee: { k: 'name', name, span }, args, span, nameSpan: span, known };
  }

  lowerFunction(hasErrors: boolean): FunctionIR {
    const f = this.f;
    const body: Stmt[] = [];
    for (const init of this.fieldInits) body.push(...this.block([init]));
    if (f.arrow) {
      const e = f.body[0];
      if (e) {
        this.hoistable = true;
        const value = this.expr(e);
        body.push(...this.pre, { k: 'return', value, span: this.span(e) }, ...this.post);
        this.pre = []; this.post = [];
      }
    } else {
      body.push(...this.block(f.body));
    }
    const decls: VarDecl[] = [...f.localTypes].map(([name, t]) => ({ name, nameSpan: { start: f.span.start, end: f.span.start }, type: this.typeRefOfLocal(t), span: { start: f.span.start, end: f.span.start } }));
    decls.push(...this.temps);
    if (decls.length > 0) body.unshift({ k: 'decl', vars: decls, span: { start: f.span.start, end: f.span.start } });
    const returns = f.node ? child(f.node, 'returns') ?? child(f.node, 'type') : undefined;
    return {
      name: f.name, qualified: f.qualified, className: f.className,
      params: f.params.map((p) => ({ name: p.name, type: p.type ? this.typeRef(p.type) : UNKNOWN_TYPE, span: p.span })),
      returnType: returns ? this.typeRef(returns) : UNKNOWN_TYPE, body, span: f.span, nameSpan: f.nameSpan,
      isStatic: false, hasErrors,
    };
  }

  /** A type as the analysis reads it: net types by kind name, arrays with their size when the initializer gives it. */
  typeRef(t: SyntaxNode, init?: SyntaxNode): TypeRef {
    const kind = this.scopes.kindOfType(t);
    if (kind) return { name: kind, ptr: 0 };
    if (t.type === 'array_type') {
      const elem = child(t, 'type');
      const el = elem ? this.typeRef(elem) : UNKNOWN_TYPE;
      const size = init ? this.arraySize(init) : undefined;
      return { ...el, dims: [size] };
    }
    const name = this.scopes.simpleTypeName(t);
    if (!name) return UNKNOWN_TYPE;
    return { name: PRIMITIVES[name] ?? name, ptr: 0 };
  }

  private typeRefOfLocal(t: SyntaxNode): TypeRef {
    if (this.scopes.isTypeNode(t)) {
      // `byte[] buf = new byte[1024]`: the array's size comes from the declarator's initializer.
      const init = this.initOf(t);
      return this.typeRef(t, init);
    }
    // `var x = <initializer>`
    const kind = this.scopes.kindOf(t, this.f);
    if (kind) return { name: kind, ptr: 0 };
    if (t.type === 'array_creation_expression') {
      const at = child(t, 'type');
      return at ? this.typeRef(at, t) : UNKNOWN_TYPE;
    }
    if (t.type === 'object_creation_expression') { const ty = child(t, 'type'); return ty ? this.typeRef(ty) : UNKNOWN_TYPE; }
    if (t.type === 'string_literal' || t.type === 'verbatim_string_literal' || t.type === 'interpolated_string_expression') return { name: 'string', ptr: 0 };
    if (t.type === 'invocation_expression' && this.isGetString(t)) return { name: 'string', ptr: 0 };
    return UNKNOWN_TYPE;
  }

  /** The initializer of the declarator a declared type belongs to (`byte[] buf = new byte[N]`). */
  private initOf(typeNode: SyntaxNode): SyntaxNode | undefined {
    let found: SyntaxNode | undefined;
    this.scopes.forEachNode(this.f.body, (n) => {
      if (found || n.type !== 'variable_declaration' || child(n, 'type') !== typeNode) return;
      const v = namedChildren(n).find((c) => c.type === 'variable_declarator');
      const nameNode = v ? child(v, 'name') : undefined;
      found = v ? namedChildren(v).find((c) => c !== nameNode) : undefined;
    });
    return found;
  }

  /** `new byte[1024]`, `new byte[N]`: the dimension as an expression. */
  arraySize(init: SyntaxNode): Expr | undefined {
    if (init.type !== 'array_creation_expression') return undefined;
    const at = child(init, 'type');
    const rank = at ? child(at, 'rank') : undefined;
    const dim = rank ? namedChildren(rank)[0] : undefined;
    if (dim) return this.expr(dim);
    const list = namedChildren(init).find((c) => c.type === 'initializer_expression');
    return list ? this.num(namedChildren(list).length, this.span(list)) : undefined;
  }

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
      case 'block': return this.block(namedChildren(n));
      case 'expression_statement': {
        const e = namedChildren(n)[0];
        if (!e) return [];
        this.hoistable = true;
        // The statement's span includes its `;`, so whole-line fixes can move or remove it.
        return [{ k: 'expr', expr: this.expr(e), span }];
      }
      case 'local_declaration_statement': {
        const decl = namedChildren(n).find((c) => c.type === 'variable_declaration');
        const out = decl ? this.declaration(decl) : [];
        // One declarator: the assignment stands for the whole statement (`var s = new Socket(...);`).
        const own = out.filter((x) => x.k === 'expr' && x.expr.k === 'assign' && x.expr.span.start >= n.start && x.span.start >= n.start && x.expr.span.end <= n.end);
        if (own.length === 1 && own[0].k === 'expr') own[0].span = span;
        return out;
      }
      case 'variable_declaration': return this.declaration(n);
      case 'return_statement': {
        const v = namedChildren(n)[0];
        this.hoistable = true;
        return [{ k: 'return', value: v ? this.expr(v) : undefined, span }];
      }
      case 'throw_statement': {
        const v = namedChildren(n)[0];
        return [{ k: 'throw', value: v ? this.expr(v) : undefined, span }];
      }
      case 'break_statement': return [{ k: 'break', span }];
      case 'continue_statement': return [{ k: 'continue', span }];
      case 'goto_statement': { const l = namedChildren(n)[0]; return [{ k: 'goto', label: l ? this.t(l) : '?', span }]; }
      case 'labeled_statement': {
        const parts = namedChildren(n);
        return [{ k: 'label', label: parts[0] ? this.t(parts[0]) : '?', span }, ...this.block(parts.slice(1))];
      }
      case 'empty_statement': case 'local_function_statement': return [];
      case 'if_statement': {
        const cond = child(n, 'condition');
        this.hoistable = true;
        const c = cond ? this.expr(cond) : this.unknown(span);
        this.hoistable = false;
        const then = child(n, 'consequence'), alt = child(n, 'alternative');
        return [{ k: 'if', cond: c, then: this.body(then), else: alt ? this.body(alt) : undefined, thenBraced: then?.type === 'block', elseBraced: alt?.type === 'block', span }];
      }
      case 'while_statement': {
        const cond = child(n, 'condition');
        return [{ k: 'loop', kind: 'while', init: [], cond: cond && !isTrue(cond) ? this.expr(cond) : undefined, update: [], body: this.body(child(n, 'body')), span }];
      }
      case 'do_statement': {
        const cond = child(n, 'condition');
        return [{ k: 'loop', kind: 'do', init: [], cond: cond && !isTrue(cond) ? this.expr(cond) : undefined, update: [], body: this.body(child(n, 'body')), span }];
      }
      case 'for_statement': {
        const init: Stmt[] = [];
        for (const c of n.children.filter((x) => x.field === 'initializer')) {
          if (c.type === 'variable_declaration') init.push(...this.declaration(c));
          else init.push(this.exprStmt(this.expr(c)));
        }
        const cond = child(n, 'condition');
        const update = n.children.filter((x) => x.field === 'update').map((u) => this.expr(u));
        return [{ k: 'loop', kind: 'for', init, cond: cond ? this.expr(cond) : undefined, update, body: this.body(child(n, 'body')), span }];
      }
      case 'foreach_statement': {
        const left = child(n, 'left'), right = child(n, 'right');
        const rangeVar: VarDecl | undefined = left?.type === 'identifier' ? { name: this.t(left), nameSpan: this.span(left), type: UNKNOWN_TYPE, span: this.span(left) } : undefined;
        return [{ k: 'loop', kind: 'range', init: [], update: [], body: this.body(child(n, 'body')), rangeVar, rangeOf: right ? this.expr(right) : undefined, span }];
      }
      case 'try_statement': return this.tryStmt(n);
      case 'using_statement': {
        const out: Stmt[] = [];
        const body = child(n, 'body');
        for (const c of namedChildren(n)) {
          if (c === body) continue;
          if (c.type === 'variable_declaration') out.push(...this.declaration(c));
          else { this.hoistable = true; out.push(...this.pre, this.exprStmt(this.expr(c)), ...this.post); this.pre = []; this.post = []; }
        }
        return [...out, ...this.body(body)];
      }
      case 'lock_statement': case 'checked_statement': case 'unsafe_statement': case 'fixed_statement': {
        const parts = namedChildren(n);
        const last = parts[parts.length - 1];
        const heads = parts.slice(0, -1).filter((c) => c.type !== 'variable_declaration' && c.type !== 'pointer_type').map((c) => this.exprStmt(this.expr(c)));
        return [...heads, ...this.body(last)];
      }
      case 'switch_statement': return [this.switchStmt(n)];
      case 'yield_statement': {
        const v = namedChildren(n)[0];
        return v ? [this.exprStmt(this.expr(v))] : [];
      }
      default: {
        const parts = namedChildren(n).filter((c) => c.type !== 'block').map((c) => this.expr(c));
        return [this.exprStmt(this.unknown(span, parts))];
      }
    }
  }

  private declaration(decl: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const v of namedChildren(decl).filter((c) => c.type === 'variable_declarator')) {
      const nameNode = child(v, 'name');
      const init = namedChildren(v).find((c) => c !== nameNode && c.type !== 'bracketed_argument_list');
      if (!nameNode || !init) continue;
      this.hoistable = true;
      const target = this.name(this.t(nameNode), this.span(nameNode));
      const value = this.expr(init, { into: target, append: false });
      out.push(...this.pre, this.exprStmt({ k: 'assign', op: '=', target, value, span: this.span(v) }), ...this.post);
      this.pre = []; this.post = [];
    }
    return out;
  }

  private switchStmt(n: SyntaxNode): Stmt {
    const value = child(n, 'value');
    const body = child(n, 'body');
    const cases = (body ? namedChildren(body).filter((c) => c.type === 'switch_section') : []).map((sec) => {
      const labels: Expr[] = [];
      let isDefault = false;
      const stmts: SyntaxNode[] = [];
      for (const c of sec.children) {
        if (c.type === 'default') isDefault = true;
        else if (!c.named) continue;
        else if (c.type === 'constant_pattern') { const x = namedChildren(c)[0]; if (x) labels.push(this.expr(x)); }
        else if (c.type.endsWith('_pattern') || c.type === 'when_clause' || c.type === 'case_pattern_switch_label') labels.push(this.unknown(this.span(c)));
        else stmts.push(c);
      }
      if (labels.length === 0 && !isDefault) isDefault = true;
      return { labels, isDefault, body: this.block(stmts), span: this.span(sec) };
    });
    return { k: 'switch', subject: value ? this.expr(value) : this.unknown(this.span(n)), cases, span: this.span(n) };
  }

  private tryStmt(n: SyntaxNode): Stmt[] {
    const body = this.body(child(n, 'body'));
    const handlers: Stmt[][] = [];
    const catches: (string[] | undefined)[] = [];
    let finale: Stmt[] = [];
    for (const c of n.children) {
      if (c.type === 'catch_clause') {
        const decl = c.children.find((x) => x.type === 'catch_declaration');
        const type = decl ? child(decl, 'type') : undefined;
        const filter = c.children.find((x) => x.type === 'catch_filter_clause');
        const handler: Stmt[] = [];
        // `when (e.SocketErrorCode == SocketError.WouldBlock)`: the filter decides which errors land here.
        const cond = filter ? namedChildren(filter)[0] : undefined;
        if (cond) handler.push(this.exprStmt(this.expr(cond)));
        handler.push(...this.body(child(c, 'body')));
        catches.push(type ? [this.scopes.simpleTypeName(type) ?? this.t(type)] : undefined);
        handlers.push(handler);
      } else if (c.type === 'finally_clause') {
        finale = this.body(namedChildren(c).find((x) => x.type === 'block'));
      }
    }
    return [{ k: 'try', body, handlers, catches, span: this.span(n) }, ...finale];
  }

  // ---- expressions ----------------------------------------------------------------------------

  expr(n: SyntaxNode, into?: Into): Expr {
    this.budget.tick();
    const span = this.span(n);
    switch (n.type) {
      case 'identifier': return this.name(this.t(n), span);
      case 'this': case 'this_expression': return this.name('this', span);
      case 'boolean_literal': return this.num(this.t(n) === 'true' ? 1 : 0, span);
      case 'null_literal': return this.num(0, span);
      case 'integer_literal': {
        const raw = this.t(n).split('_').join('').toLowerCase().replace(/[ul]+$/, '');
        const v = raw.startsWith('0x') ? parseInt(raw.slice(2), 16) : raw.startsWith('0b') ? parseInt(raw.slice(2), 2) : Number(raw);
        return Number.isFinite(v) ? this.num(v, span) : this.unknown(span);
      }
      case 'real_literal': { const v = Number(this.t(n).replace(/[fdm]$/i, '')); return Number.isFinite(v) ? this.num(v, span) : this.unknown(span); }
      case 'character_literal': {
        const c = namedChildren(n)[0];
        const s = c ? (c.type === 'escape_sequence' ? unescape(this.t(c)) : this.t(c)) : '';
        return this.num(s.charCodeAt(0) || 0, span);
      }
      case 'string_literal': case 'verbatim_string_literal': case 'raw_string_literal': return this.string(n);
      case 'interpolated_string_expression': {
        const parts = n.children.filter((c) => c.type === 'interpolation').flatMap((c) => namedChildren(c).filter((x) => x.named).slice(0, 1).map((x) => this.expr(x)));
        return this.unknown(span, parts);
      }
      case 'parenthesized_expression': { const x = namedChildren(n)[0]; return x ? this.expr(x, into) : this.unknown(span); }
      case 'await_expression': { const x = namedChildren(n)[0]; return x ? this.expr(x, into) : this.unknown(span); }
      case 'checked_expression': { const x = namedChildren(n)[0]; return x ? this.expr(x, into) : this.unknown(span); }
      case 'cast_expression': {
        const type = child(n, 'type'), value = child(n, 'value');
        if (!value) return this.unknown(span);
        return { k: 'cast', type: type ? this.typeRef(type) : UNKNOWN_TYPE, value: this.expr(value, into), span };
      }
      case 'as_expression': { const l = child(n, 'left'); return l ? this.expr(l, into) : this.unknown(span); }
      case 'assignment_expression': return this.assignment(n);
      case 'binary_expression': {
        const l = child(n, 'left'), r = child(n, 'right');
        const op = n.children.find((c) => c.field === 'operator' || (!c.named && c !== l && c !== r));
        if (!l || !r) return this.unknown(span);
        const o = op ? op.type : '?';
        if (o === '??') return { k: 'cond', test: this.expr(l), then: this.expr(l), else: this.expr(r), span };
        // `e.ErrorCode == 10035`: the number of SocketError.WouldBlock, read as the name it stands for.
        if ((o === '==' || o === '!=') && (this.isSocketErrorCode(l) || this.isSocketErrorCode(r))) {
          const side = (x: SyntaxNode) => (x.type === 'integer_literal' && this.t(x) === WOULDBLOCK_CODE ? this.name('WSAEWOULDBLOCK', this.span(x)) : this.expr(x));
          return { k: 'binary', op: o, left: side(l), right: side(r), span };
        }
        return { k: 'binary', op: o, left: this.expr(l), right: this.expr(r), span };
      }
      case 'prefix_unary_expression': {
        const a = namedChildren(n)[0];
        const op = n.children.find((c) => !c.named);
        if (!a || !op) return this.unknown(span);
        if (op.type === '++' || op.type === '--') return { k: 'update', op: op.type, arg: this.expr(a), prefix: true, span };
        if (op.type === '+') return this.expr(a);
        return { k: 'unary', op: op.type, arg: this.expr(a), span };
      }
      case 'postfix_unary_expression': {
        const a = namedChildren(n)[0];
        const op = n.children.find((c) => !c.named);
        if (!a) return this.unknown(span);
        if (op && (op.type === '++' || op.type === '--')) return { k: 'update', op: op.type, arg: this.expr(a), prefix: false, span };
        return this.expr(a, into); // `x!` (null-forgiving)
      }
      case 'conditional_expression': {
        const c = child(n, 'condition'), a = child(n, 'consequence'), b = child(n, 'alternative');
        if (!c || !a || !b) return this.unknown(span);
        return { k: 'cond', test: this.expr(c), then: this.expr(a), else: this.expr(b), span };
      }
      case 'member_access_expression': return this.memberAccess(n);
      case 'element_access_expression': {
        const base = child(n, 'expression'), sub = child(n, 'subscript');
        const args = sub ? namedChildren(sub).map((a) => namedChildren(a).pop()).filter((a): a is SyntaxNode => !!a) : [];
        if (!base) return this.unknown(span);
        const b = this.expr(base);
        if (args.length !== 1) return this.unknown(span, [b, ...args.map((a) => this.expr(a))]);
        const idx = args[0];
        // `buf[off..]`: the rest of the buffer from `off`.
        if (idx.type === 'range_expression') {
          const parts = idx.children;
          const dots = parts.findIndex((p) => p.type === '..');
          const lower = dots > 0 ? parts.slice(0, dots).find((p) => p.named) : undefined;
          return lower ? { k: 'binary', op: '+', left: b, right: this.expr(lower), span } : b;
        }
        return { k: 'index', base: b, index: this.expr(idx), span };
      }
      case 'invocation_expression': return this.call(n, into);
      case 'object_creation_expression': case 'implicit_object_creation_expression': return this.creation(n, into);
      case 'array_creation_expression': case 'implicit_array_creation_expression': case 'stackalloc_expression': {
        const list = namedChildren(n).find((c) => c.type === 'initializer_expression');
        return list ? { k: 'init', elems: namedChildren(list).map((e) => this.expr(e)), fields: [], span } : this.unknown(span);
      }
      case 'initializer_expression': return { k: 'init', elems: namedChildren(n).map((e) => this.expr(e)), fields: [], span };
      case 'sizeof_expression': { const t = child(n, 'type'); return t ? { k: 'sizeof', type: this.typeRef(t), span } : this.unknown(span); }
      case 'default_expression': return this.num(0, span);
      case 'lambda_expression': case 'anonymous_method_expression': return this.unknown(span);
      case 'conditional_access_expression': {
        // `x?.Send(...)` is written as a call on the member binding; its receiver is the condition.
        const cond = child(n, 'condition');
        return this.unknown(span, cond ? [this.expr(cond)] : []);
      }
      default:
        return this.unknown(span, namedChildren(n).map((c) => this.expr(c)));
    }
  }

  private string(n: SyntaxNode): Expr {
    const span = this.span(n);
    let value = '';
    if (n.type === 'verbatim_string_literal') {
      const raw = this.t(n);
      value = raw.slice(2, -1).split('""').join('"');
    } else if (n.type === 'raw_string_literal') {
      const parts = namedChildren(n).filter((c) => c.type === 'raw_string_content');
      value = parts.map((p) => this.t(p)).join('');
    } else {
      for (const c of n.children) {
        if (c.type === 'string_literal_content') value += this.t(c);
        else if (c.type === 'escape_sequence') value += unescape(this.t(c));
      }
    }
    return { k: 'str', value, length: Buffer.byteLength(value, 'utf8'), span };
  }

  /** `e.ErrorCode`, `e.NativeErrorCode`, `(int)e.SocketErrorCode`: a SocketException's error as a number. */
  private isSocketErrorCode(n: SyntaxNode): boolean {
    let x: SyntaxNode | undefined = n;
    while (x && (x.type === 'cast_expression' || x.type === 'parenthesized_expression')) x = x.type === 'cast_expression' ? child(x, 'value') : namedChildren(x)[0];
    if (!x || x.type !== 'member_access_expression') return false;
    const name = child(x, 'name');
    return !!name && ERROR_CODE_MEMBERS.has(this.t(name));
  }

  private memberAccess(n: SyntaxNode): Expr {
    const span = this.span(n);
    const obj = child(n, 'expression'), nameNode = child(n, 'name');
    if (!obj || !nameNode) return this.unknown(span);
    const member = this.t(nameNode);
    const written = `${this.t(obj)}.${member}`;
    if (obj.named && ENUM_MEMBERS[written] !== undefined) {
      const c = ENUM_MEMBERS[written];
      return /^\d+$/.test(c) ? this.num(Number(c), span) : this.name(c, span);
    }
    // `SocketOptionName.NoDelay` in SetSocketOption
    if (obj.named && this.t(obj) === 'SocketOptionName' && OPTION_NAMES[member]) return this.name(OPTION_NAMES[member], span);
    // `client.Client`, `stream.Socket`, `listener.Server`: the same connection.
    const kind = obj.named || isThis(obj) ? this.scopes.kindOf(obj, this.f) : undefined;
    if (kind && (member === 'Client' || member === 'Socket' || member === 'Server')) return this.expr(obj);
    // `buf.Length` of an array: its size; of a string: its length.
    if (member === 'Length' || member === 'Count') {
      const base = this.expr(obj);
      const local = obj.type === 'identifier' ? this.f.localTypes.get(this.t(obj)) : undefined;
      const field = obj.type === 'identifier' && !local ? this.scopes.classes.get(this.f.className ?? '')?.fields.get(this.t(obj)) : undefined;
      const t = local ?? field?.type;
      const isArray = t?.type === 'array_type' || t?.type === 'array_creation_expression';
      if (isArray) return { k: 'sizeof', arg: base, span };
      return { k: 'call', id: -(++this.synthetic), callee: this.name('strlen', span), args: [base], span, nameSpan: this.span(nameNode) };
    }
    const base = isThis(obj) ? this.name('this', this.span(nameNode)) : this.expr(obj);
    return { k: 'field', base, field: member, arrow: base.k === 'name' && base.name === 'this', span, fieldSpan: this.span(nameNode) };
  }

  // ---- assignments: socket option properties --------------------------------------------------

  private assignment(n: SyntaxNode): Expr {
    const span = this.span(n);
    const l = child(n, 'left'), r = child(n, 'right');
    const opNode = n.children.find((c) => !c.named && c.field === 'operator') ?? n.children.find((c) => !c.named);
    if (!l || !r) return this.unknown(span);
    const op = opNode ? opNode.type : '=';
    if (l.type === 'member_access_expression' && op === '=') {
      const obj = child(l, 'expression'), prop = child(l, 'name');
      const kind = obj ? this.scopes.kindOf(obj, this.f) : undefined;
      if (obj && prop && (kind === 'socket' || kind === 'client' || kind === 'listener')) {
        const option = this.optionProperty(this.expr(obj), this.t(prop), r, span, this.span(prop));
        if (option) return option;
      }
    }
    const target = this.expr(l);
    if (op === '??=') return { k: 'assign', op: '=', target, value: this.expr(r, { into: target, append: false }), span };
    return { k: 'assign', op, target, value: this.expr(r, { into: target, append: op === '+=' }), span };
  }

  /** `NoDelay = true`, `ReceiveBufferSize = n`, `Blocking = false` on a socket: the setsockopt / ioctlsocket they are. */
  private optionProperty(sock: Expr, prop: string, valueNode: SyntaxNode, span: Span, nameSpan: Span): CallExpr | undefined {
    const value = this.expr(valueNode);
    const callee: Expr = { k: 'field', base: sock, field: prop, arrow: false, span, fieldSpan: nameSpan };
    if (prop === 'Blocking') {
      const nb: Expr = value.k === 'num' ? this.num(value.value ? 0 : 1, value.span) : { k: 'unary', op: '!', arg: value, span: value.span };
      return { k: 'call', id: span.start, callee, args: [sock, this.name('FIONBIO', nameSpan), nb], span, nameSpan, known: 'cs.ioctl' };
    }
    const opt = OPTION_PROPERTIES[prop];
    if (!opt) return undefined;
    return { k: 'call', id: span.start, callee, args: [sock, this.name(opt[0], nameSpan), this.name(opt[1], nameSpan), value], span, nameSpan, known: 'cs.setsockopt' };
  }

  // ---- creations ------------------------------------------------------------------------------

  private creation(n: SyntaxNode, into?: Into): Expr {
    const span = this.span(n);
    const typeNode = child(n, 'type');
    const argList = child(n, 'arguments');
    const args = argList ? namedChildren(argList).map((a) => namedChildren(a).pop()).filter((a): a is SyntaxNode => !!a) : [];
    const initializer = n.children.find((c) => c.type === 'initializer_expression');
    const kind = typeNode ? this.scopes.kindOfType(typeNode) : into ? this.kindOfTarget(into.into) : undefined;
    const typeName = typeNode ? this.scopes.simpleTypeName(typeNode) : undefined;
    const nameSpan = typeNode ? this.span(typeNode) : span;
    const make = (a: Expr[], known: string): CallExpr => ({ k: 'call', id: n.start, callee: this.name(typeName ?? 'new', nameSpan), args: a, span, nameSpan, known });
    if (!kind) {
      // `new NetworkStream(socket)`, `new StreamReader(stream)`: the same connection.
      if ((typeName === 'StreamReader' || typeName === 'BinaryReader') && args[0] && this.scopes.kindOf(n, this.f) === 'reader') return this.expr(args[0]);
      const lowered = args.map((a) => this.expr(a));
      return { k: 'new', type: typeNode ? this.typeRef(typeNode) : UNKNOWN_TYPE, args: lowered, span };
    }
    if (kind === 'stream') return args[0] ? this.expr(args[0], into) : this.unknown(span);
    // A socket made here; what it is assigned to gets the connect/bind/options that come with it.
    let target = into && !into.append ? into.into : undefined;
    const after: Stmt[] = [];
    const isTcpClient = kind === 'client';
    let call: CallExpr;
    if (kind === 'socket') {
      const a = args.map((x) => this.expr(x));
      // new Socket(family, type, protocol) or new Socket(type, protocol)
      const family = a.length >= 3 ? a[0] : this.name('AF_INET', span);
      const type = a.length >= 3 ? a[1] : a.length === 2 ? a[0] : this.unknown(span);
      call = make([family, type, this.num(0, span)], 'cs.socket');
    } else {
      call = make([this.name('AF_INET', span), this.name('SOCK_STREAM', span), this.num(0, span)], 'cs.socket');
    }
    let result: Expr = call;
    if (!target && (initializer || (isTcpClient && args.length >= 2) || kind === 'listener') && this.hoistable) {
      // `return new TcpClient(host, port) { NoDelay = true };`: named by a temporary so the steps can follow.
      const temp = this.name(`new@${span.start}`, span);
      this.temps.push({ name: `new@${span.start}`, nameSpan: span, type: { name: kind, ptr: 0 }, span });
      this.pre.push(this.exprStmt({ k: 'assign', op: '=', target: temp, value: call, span }));
      target = temp;
      result = temp;
    }
    if (target) {
      // Named after the constructor: the connect is part of `new TcpClient(host, port)`, not a statement of its own.
      if (isTcpClient && args.length >= 2) after.push(this.exprStmt(this.synth('TcpClient', [target, ...args.map((x) => this.expr(x))], nameSpan, 'cs.connect')));
      if (kind === 'listener' && args.length >= 1) after.push(this.exprStmt(this.synth('TcpListener', [target], nameSpan, 'cs.bind')));
      for (const a of initializer ? namedChildren(initializer) : []) {
        if (a.type !== 'assignment_expression') continue;
        const l = child(a, 'left'), r = child(a, 'right');
        if (l?.type !== 'identifier' || !r) continue;
        const opt = this.optionProperty(target, this.t(l), r, this.span(a), this.span(l));
        if (opt) after.push(this.exprStmt(opt));
      }
    }
    // A temporary's steps run before the statement that uses it; an assignment's right after it.
    if (result !== call) this.pre.push(...after);
    else this.post.push(...after);
    return result;
  }

  private kindOfTarget(e: Expr): NetKind | undefined {
    if (e.k === 'name') return this.scopes.nameKind(e.name, this.f);
    if (e.k === 'field' && e.base.k === 'name' && e.base.name === 'this') return this.scopes.fieldKind(this.f.className, e.field);
    return undefined;
  }

  // ---- calls ----------------------------------------------------------------------------------

  private isGetString(n: SyntaxNode): boolean {
    const fn = child(n, 'function');
    const nameNode = fn?.type === 'member_access_expression' ? child(fn, 'name') : undefined;
    const obj = fn?.type === 'member_access_expression' ? child(fn, 'expression') : undefined;
    return !!nameNode && !!obj && this.t(nameNode) === 'GetString' && isEncoding(this.t(obj));
  }

  private call(n: SyntaxNode, into?: Into): Expr {
    const span = this.span(n);
    const fn = child(n, 'function');
    const argList = child(n, 'arguments');
    const argNodes = argList ? namedChildren(argList) : [];
    const args = argNodes.map((a) => namedChildren(a).filter((c) => c.field !== 'name').pop()).filter((a): a is SyntaxNode => !!a);
    if (!fn) return this.unknown(span);
    const generic = () => args.map((a) => this.expr(a));
    if (fn.type === 'identifier' || fn.type === 'generic_name') {
      const id = fn.type === 'generic_name' ? namedChildren(fn)[0] : fn;
      const name = id ? this.t(id) : '?';
      return { k: 'call', id: n.start, callee: this.name(name, this.span(fn)), args: generic(), span, nameSpan: this.span(fn) };
    }
    if (fn.type !== 'member_access_expression') return { k: 'call', id: n.start, callee: this.expr(fn), args: generic(), span, nameSpan: this.span(fn) };
    const obj = child(fn, 'expression'), nameNode = child(fn, 'name');
    if (!obj || !nameNode) return this.unknown(span);
    const method = nameNode.type === 'generic_name' ? this.t(namedChildren(nameNode)[0] ?? nameNode) : this.t(nameNode);
    const nameSpan = this.span(nameNode);
    const objText = obj.named ? this.t(obj) : '';
    const staticName = `${objText}.${method}`;
    const make = (a: Expr[], known?: string): CallExpr => ({ k: 'call', id: n.start, callee: { k: 'field', base: isThis(obj) ? this.name('this', nameSpan) : this.expr(obj), field: method, arrow: isThis(obj), span: this.span(fn), fieldSpan: nameSpan }, args: a, span, nameSpan, ...(known ? { known } : {}) });

    const kind = this.scopes.kindOf(obj, this.f);
    if (kind) {
      const table = kind === 'socket' ? SOCKET_METHODS : kind === 'client' ? CLIENT_METHODS : kind === 'stream' ? STREAM_METHODS : kind === 'listener' ? LISTENER_METHODS : READER_METHODS;
      // `client.GetStream()`: the same connection.
      if (method === 'GetStream' && kind === 'client') return this.expr(obj);
      // `n = s.EndReceive(ar)` in the callback that `s.BeginReceive(buf, ...)` named: the count of bytes now in buf.
      if ((kind === 'socket' && method === 'EndReceive') || (kind === 'stream' && method === 'EndRead')) {
        const buffer = this.beginBuffer(method === 'EndReceive' ? 'BeginReceive' : 'BeginRead');
        if (buffer) {
          const sock = isThis(obj) ? this.name('this', nameSpan) : this.expr(obj);
          const callee: Expr = { k: 'field', base: sock, field: method, arrow: false, span: this.span(fn), fieldSpan: nameSpan };
          // Spanned where BeginReceive names it, so messages quote the buffer's name.
          const buf = this.name(buffer.name, buffer.span);
          return { k: 'call', id: n.start, callee, args: [sock, buf, this.lengthOf(buf), this.num(0, span)], span, nameSpan, known: 'cs.recv' };
        }
      }
      const known = table[method];
      if (known) return this.netCall(n, kind, obj, method, known, args, into);
    }
    if (method === 'Select' && objText === 'Socket') return make(generic(), 'cs.wait');
    if (STATIC_SLEEP.has(staticName)) return make(generic(), 'cs.sleep');
    if (STATIC_INPUT.has(staticName)) return make(generic(), 'cs.input');
    if (STATIC_EXIT.has(staticName)) return make(generic(), 'cs.exit');
    // `TcpListener.Create(port)`: a listening socket, bound.
    if (method === 'Create' && this.scopes.kindOfType(obj) === 'listener') {
      const call = make([this.name('AF_INET', span), this.name('SOCK_STREAM', span), this.num(0, span)], 'cs.socket');
      if (into && !into.append) this.post.push(this.exprStmt(this.synth('Bind', [into.into], span, 'cs.bind')));
      return call;
    }
    // `Encoding.UTF8.GetString(buf, 0, n)`: the bytes seen as text; `GetBytes("text")`: the literal's bytes.
    if (method === 'GetString' && isEncoding(objText) && args[0]) {
      const bytes = this.expr(args[0]);
      return { k: 'cast', type: { name: 'string', ptr: 0 }, value: args[1] ? this.offset(bytes, args[1]) : bytes, span };
    }
    if (method === 'GetBytes' && isEncoding(objText) && args.length === 1) {
      const s = this.expr(args[0]);
      return s.k === 'str' ? { ...s, span } : make([s]);
    }
    // Text of the same bytes (`msg.Trim()`), parsing calls (`int.Parse(msg)`).
    if (CS_TEXT_OF_SAME.has(method) && args.length === 0) return { k: 'cast', type: { name: 'string', ptr: 0 }, value: this.expr(obj), span };
    if (method === 'Parse' && PARSE_TYPES.has(objText)) return make(generic(), 'int.Parse');
    const known = `${objText}.${method}`;
    if (['JsonSerializer.Deserialize', 'JsonConvert.DeserializeObject', 'JObject.Parse', 'JsonDocument.Parse', 'XDocument.Parse', 'Convert.ToInt32', 'Convert.ToInt64'].includes(known) || known.startsWith('BitConverter.To')) {
      return make(generic(), known);
    }
    if (Object.hasOwn(CS_PATH_CALLS, known)) return make(generic(), known);
    return make(generic());
  }

  /**
   * The buffer a `BeginReceive`/`BeginRead` of this class fills for the callback being lowered: the
   * call must name this method as its callback (`Callback`, `new AsyncCallback(Callback)`,
   * `this.Callback`) and receive at offset 0 into a field of the class, the one place both methods see.
   */
  private beginBuffer(begin: string): { name: string; span: Span } | undefined {
    const cls = this.f.className ? this.scopes.classes.get(this.f.className) : undefined;
    if (!cls) return undefined;
    const me = this.f.name;
    const namesMe = (a: SyntaxNode): boolean => {
      if (a.type === 'identifier') return this.t(a) === me;
      if (a.type === 'member_access_expression') { const nm = child(a, 'name'); return isThis(child(a, 'expression') ?? a) && !!nm && this.t(nm) === me; }
      if (a.type === 'object_creation_expression') {
        const t = child(a, 'type');
        const argList = child(a, 'arguments');
        const inner = argList ? namedChildren(argList).map((x) => namedChildren(x).pop()).filter((x): x is SyntaxNode => !!x) : [];
        return !!t && this.scopes.simpleTypeName(t) === 'AsyncCallback' && inner.length === 1 && namesMe(inner[0]);
      }
      return false;
    };
    for (const g of this.scopes.functions) {
      if (g.className !== this.f.className) continue;
      const stack = [...g.body];
      while (stack.length > 0) {
        this.budget.tick();
        const n = stack.pop()!;
        stack.push(...namedChildren(n));
        if (n.type !== 'invocation_expression') continue;
        const fn = child(n, 'function');
        const nm = fn?.type === 'member_access_expression' ? child(fn, 'name') : undefined;
        if (!nm || this.t(nm) !== begin) continue;
        const argList = child(n, 'arguments');
        const a = argList ? namedChildren(argList).map((x) => namedChildren(x).pop()).filter((x): x is SyntaxNode => !!x) : [];
        if (a.length < 4 || !a.some(namesMe) || a[1].type !== 'integer_literal' || this.t(a[1]) !== '0') continue;
        let buf: SyntaxNode | undefined = a[0];
        if (buf.type === 'member_access_expression' && isThis(child(buf, 'expression') ?? buf)) buf = child(buf, 'name');
        if (!buf || buf.type !== 'identifier') continue;
        const name = this.t(buf);
        if (!cls.fields.has(name) || this.f.localTypes.has(name) || this.f.params.some((p) => p.name === name)) continue;
        return { name, span: this.span(buf) };
      }
    }
    return undefined;
  }

  /** `buf, off` -> `buf + off` (the rest of the buffer from off; `buf` itself when off is 0). */
  private offset(buf: Expr, offNode: SyntaxNode | undefined): Expr {
    if (!offNode) return buf;
    const off = this.expr(offNode);
    if (off.k === 'num' && off.value === 0) return buf;
    return { k: 'binary', op: '+', left: buf, right: off, span: { start: buf.span.start, end: off.span.end } };
  }

  private lengthOf(data: Expr): Expr {
    if (data.k === 'str') return this.num(data.length, data.span);
    return { k: 'sizeof', arg: data, span: data.span };
  }

  /**
   * A buffer argument and its length: `buf` (the whole array), `buf.AsSpan(off, n)`,
   * `new ArraySegment<byte>(buf, off, n)`, `buf.AsMemory(0, n)`, `buf[off..]`.
   */
  private segment(n: SyntaxNode): { buffer: Expr; length: Expr } {
    if (n.type === 'invocation_expression') {
      const fn = child(n, 'function');
      const nameNode = fn?.type === 'member_access_expression' ? child(fn, 'name') : undefined;
      const method = nameNode ? this.t(nameNode) : '';
      if ((method === 'AsSpan' || method === 'AsMemory' || method === 'Slice') && fn) {
        const obj = child(fn, 'expression');
        const argList = child(n, 'arguments');
        const a = argList ? namedChildren(argList).map((x) => namedChildren(x).pop()).filter((x): x is SyntaxNode => !!x) : [];
        if (obj) {
          const base = this.expr(obj);
          if (a.length === 2) return { buffer: this.offset(base, a[0]), length: this.expr(a[1]) };
          if (a.length === 0) return { buffer: base, length: this.lengthOf(base) };
          const buffer = this.offset(base, a[0]);
          return { buffer, length: this.unknown(this.span(n)) };
        }
      }
    }
    if (n.type === 'object_creation_expression') {
      const t = child(n, 'type');
      const argList = child(n, 'arguments');
      const a = argList ? namedChildren(argList).map((x) => namedChildren(x).pop()).filter((x): x is SyntaxNode => !!x) : [];
      if (t && this.scopes.simpleTypeName(t) === 'ArraySegment' && a[0]) {
        const base = this.expr(a[0]);
        return a.length >= 3 ? { buffer: this.offset(base, a[1]), length: this.expr(a[2]) } : { buffer: base, length: this.lengthOf(base) };
      }
    }
    const buffer = this.expr(n);
    return { buffer, length: this.lengthOf(buffer) };
  }

  /** A method of a Socket / TcpClient / NetworkStream / TcpListener / StreamReader, as the C call it is. */
  private netCall(n: SyntaxNode, kind: NetKind, obj: SyntaxNode, method: string, known: string, args: SyntaxNode[], into?: Into): Expr {
    const span = this.span(n);
    const fn = child(n, 'function')!;
    const nameNode = child(fn, 'name')!;
    const nameSpan = this.span(nameNode);
    const sock = isThis(obj) ? this.name('this', nameSpan) : this.expr(obj);
    const callee: Expr = { k: 'field', base: sock, field: method, arrow: false, span: this.span(fn), fieldSpan: nameSpan };
    const make = (a: Expr[], k = known): CallExpr => ({ k: 'call', id: n.start, callee, args: a, span, nameSpan, known: k });
    const isAsync = method.endsWith('Async') || method.startsWith('Begin');
    // Async socket I/O runs overlapped: the socket is marked so (see CS_API['cs.async']).
    if (isAsync && (known.startsWith('cs.send') || known.startsWith('cs.recv') || known === 'cs.stream.write')) {
      this.post.push(this.exprStmt(this.synth(method, [sock], nameSpan, 'cs.async')));
    }
    const api = known.startsWith('cs.send') || known === 'cs.stream.write' ? 'send' : known.startsWith('cs.recv') ? 'recv' : '';
    if (api) {
      if (method === 'WriteByte' || method === 'ReadByte') return make([sock, this.unknown(span), this.num(1, span), this.num(0, span)]);
      if (kind === 'reader' && (method.startsWith('ReadLine') || method.startsWith('ReadToEnd'))) {
        return make([sock, into && !into.append ? into.into : this.unknown(span), this.unknown(span), this.num(0, span)]);
      }
      const first = args[0];
      if (!first) return make([sock, this.unknown(span), this.unknown(span), this.num(0, span)]);
      let seg = this.segment(first);
      let flags: Expr = this.num(0, span);
      // Socket: (buf), (buf, flags), (buf, size, flags), (buf, offset, size, flags[, out err]).
      // NetworkStream: (buf), (buf, offset, count[, token]).
      const rest = args.slice(1).filter((a) => a.type !== 'declaration_expression' && !this.isToken(a));
      if (kind === 'socket' || kind === 'client') {
        if (rest.length === 1) flags = this.expr(rest[0]);
        else if (rest.length === 2) { seg = { buffer: seg.buffer, length: this.expr(rest[0]) }; flags = this.expr(rest[1]); }
        else if (rest.length >= 3) { seg = { buffer: this.offset(seg.buffer, rest[0]), length: this.expr(rest[1]) }; flags = this.expr(rest[2]); }
      } else if (rest.length >= 2) {
        seg = { buffer: this.offset(seg.buffer, rest[0]), length: this.expr(rest[1]) };
      }
      if (api === 'recv' && seg.buffer.k === 'name' && this.hoistable && !into) {
        // `n = s.Receive(buf)` keeps buf as the buffer; nothing to hoist.
      }
      // `Send(buf, off, n, flags, out SocketError err)`: no exception; the code lands in `err`.
      const outCode = args.some((a) => a.type === 'declaration_expression') || (n.children.find((c) => c.type === 'argument_list')?.children ?? []).some((a) => a.type === 'argument' && a.children.some((c) => c.type === 'out'));
      return make([sock, seg.buffer, seg.length, flags], outCode && (known === 'cs.send' || known === 'cs.recv') ? `${known}.code` : known);
    }
    switch (known) {
      case 'cs.setsockopt': {
        // SetSocketOption(level, name, value)
        const a = args.map((x) => this.expr(x));
        const v = a[2] ?? this.unknown(span);
        return make([sock, a[0] ?? this.unknown(span), a[1] ?? this.unknown(span), v]);
      }
      case 'cs.connect': case 'cs.bind': case 'cs.listen': case 'cs.shutdown':
        return make([sock, ...args.map((x) => this.expr(x))]);
      case 'cs.wait':
        return make([sock, ...args.map((x) => this.expr(x))]);
      default:
        return make([sock]);
    }
  }

  /** A CancellationToken argument (`ct`, `token`, `CancellationToken.None`, `cts.Token`). */
  private isToken(a: SyntaxNode): boolean {
    const t = a.named ? this.t(a) : '';
    if (t.startsWith('CancellationToken') || t.endsWith('.Token')) return true;
    if (a.type !== 'identifier') return false;
    const decl = this.f.params.find((p) => p.name === t)?.type ?? this.f.localTypes.get(t);
    return !!decl && this.scopes.simpleTypeName(decl) === 'CancellationToken';
  }
}

function isTrue(n: SyntaxNode): boolean {
  return n.type === 'boolean_literal' && n.end - n.start === 4;
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
    case 'x': case 'u': return String.fromCharCode(parseInt(seq.slice(2), 16) || 0);
    default: return seq.slice(1);
  }
}
