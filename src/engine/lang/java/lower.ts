// Lowers a Java method or constructor to the IR. Socket calls are written as the C API's calls
// with the C argument order, marked `known` so nothing else resolves them, because the analysis
// reads the IR the same way for every language. Java idioms the analysis must see become their
// IR equivalents:
//   s.setTcpNoDelay(true)                 -> setsockopt(s, IPPROTO_TCP, TCP_NODELAY, 1)
//   s.setReceiveBufferSize(n)             -> setsockopt(s, SOL_SOCKET, SO_RCVBUF, n)
//   ch.setOption(StandardSocketOptions.TCP_NODELAY, true) -> the same setsockopt
//   ch.configureBlocking(false)           -> ioctl(ch, FIONBIO, 1)
//   new Socket(host, port)                -> socket(...), then connect() on what it is assigned to
//   new ServerSocket(port)                -> socket(...), bind(), listen()
//   s.getOutputStream(), new DataOutputStream(out) -> the same connection (the expression `s`)
//   out.write(buf, off, n), dos.writeInt(v) -> send(s, buf + off, n, 0) marked as writing every byte
//   writer.flush() on a buffered writer   -> one send of what was buffered (the writes before it are not sends)
//   in.read(buf)                          -> recv(s, buf, sizeof buf, 0)
//   new String(buf, 0, n)                 -> a cast of the bytes to `string`; msg.equals("QUIT") -> msg == "QUIT"
//   catch (IOException | SocketException e) -> a try whose handler carries the types it catches
import type { Budget } from '../../budget';
import type { CallExpr, Expr, FunctionIR, NumExpr, Span, Stmt, TypeRef, VarDecl } from '../../ir/ir';
import { child, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import {
  CHANNEL_METHODS, DATA_WRITE_SIZES, JAVA_PARSE_CALLS, JAVA_PATH_CALLS, JAVA_TEXT_OF_SAME, OPTION_SETTERS, SERVER_CHANNEL_METHODS, SERVER_METHODS, SOCKET_METHODS,
  STANDARD_OPTIONS, WHOLE_READS, type JavaKind,
} from './api';
import type { JavaFunction, JavaScopes } from './scope';

const UNKNOWN_TYPE: TypeRef = { name: '?', ptr: 0 };
/** Java primitive names as the analysis's type layouts know them (a byte is 1). */
const PRIMITIVES: Record<string, string> = {
  byte: 'char', boolean: 'bool', short: 'short', int: 'int', long: 'long long', char: 'unsigned short', float: 'float', double: 'double',
  String: 'string',
};
const STATIC_CALLS: Record<string, string> = {
  'Thread.sleep': 'java.sleep', 'TimeUnit.MILLISECONDS.sleep': 'java.sleep', 'System.exit': 'java.exit', 'System.in.read': 'java.input',
};
const PARSE_STATICS = new Set(['Integer.parseInt', 'Integer.valueOf', 'Long.parseLong', 'Long.valueOf', 'Double.parseDouble', 'Short.parseShort']);
/** ByteBuffer methods that show the code follows what a channel write left in the buffer. */
const REMAINING_CHECKS = new Set(['hasRemaining', 'remaining', 'compact', 'position']);

type Into = { into: Expr; append: boolean };

export class JavaLowering {
  private pre: Stmt[] = [];
  private post: Stmt[] = [];
  private hoistable = false;
  private synthetic = 0;
  private temps: VarDecl[] = [];

  constructor(private readonly text: string, private readonly scopes: JavaScopes, private readonly budget: Budget, private readonly f: JavaFunction,
    /** Field initialisers a constructor runs first (`Socket s = new Socket(host, port);` as a field). */
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
    body.push(...this.block(f.body));
    const decls: VarDecl[] = [...f.locals].map(([name, l]) => ({ name, nameSpan: { start: f.span.start, end: f.span.start }, type: this.typeOfLocal(l.type, l.init), span: { start: f.span.start, end: f.span.start } }));
    decls.push(...this.temps);
    if (decls.length > 0) body.unshift({ k: 'decl', vars: decls, span: { start: f.span.start, end: f.span.start } });
    const returns = f.node ? child(f.node, 'type') : undefined;
    return {
      name: f.name, qualified: f.qualified, className: f.className,
      params: f.params.map((p) => ({ name: p.name, type: p.type ? this.typeRef(p.type) : UNKNOWN_TYPE, span: p.span })),
      returnType: returns ? this.typeRef(returns) : UNKNOWN_TYPE, body, span: f.span, nameSpan: f.nameSpan,
      isStatic: false, hasErrors,
    };
  }

  /** A type as the analysis reads it: socket types by kind name, arrays with their size when the initializer gives it. */
  typeRef(t: SyntaxNode, init?: SyntaxNode): TypeRef {
    const kind = this.scopes.kindOfType(t);
    if (kind) return { name: kind, ptr: 0 };
    if (t.type === 'array_type') {
      const elem = child(t, 'element');
      const el = elem ? this.typeRef(elem) : UNKNOWN_TYPE;
      const size = init ? this.arraySize(init) : undefined;
      return { ...el, dims: [size] };
    }
    const name = this.scopes.simpleTypeName(t);
    if (!name) return UNKNOWN_TYPE;
    return { name: PRIMITIVES[name] ?? name, ptr: 0 };
  }

  private typeOfLocal(type: SyntaxNode | undefined, init: SyntaxNode | undefined): TypeRef {
    const kind = (type ? this.scopes.kindOfType(type) : undefined) ?? (init ? this.scopes.kindOf(init, this.f) : undefined);
    if (kind) return { name: kind, ptr: 0 };
    if (type) return this.typeRef(type, init);
    if (init?.type === 'array_creation_expression') { const et = child(init, 'type'); return et ? { ...this.typeRef(et), dims: [this.arraySize(init)] } : UNKNOWN_TYPE; }
    if (init?.type === 'string_literal') return { name: 'string', ptr: 0 };
    return UNKNOWN_TYPE;
  }

  /** `new byte[1024]`, `new byte[N]`, `{1, 2, 3}`: the dimension as an expression. */
  arraySize(init: SyntaxNode): Expr | undefined {
    if (init.type === 'array_initializer') return this.num(namedChildren(init).length, this.span(init));
    if (init.type !== 'array_creation_expression') return undefined;
    const dims = init.children.find((c) => c.type === 'dimensions_expr');
    const dim = dims ? namedChildren(dims)[0] : undefined;
    if (dim) return this.expr(dim);
    const list = init.children.find((c) => c.type === 'array_initializer');
    return list ? this.num(namedChildren(list).length, this.span(list)) : undefined;
  }

  // ---- statements -----------------------------------------------------------------------------

  block(nodes: SyntaxNode[]): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) {
      this.budget.tick();
      if (!n.named || n.type === 'line_comment' || n.type === 'block_comment') continue;
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
      case 'local_variable_declaration': {
        const out = this.declaration(n);
        const own = out.filter((x) => x.k === 'expr' && x.expr.k === 'assign' && x.span.start >= n.start && x.expr.span.end <= n.end);
        if (own.length === 1 && own[0].k === 'expr') own[0].span = span;
        return out;
      }
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
      case 'labeled_statement': {
        const parts = namedChildren(n);
        return [{ k: 'label', label: parts[0] ? this.t(parts[0]) : '?', span }, ...this.block(parts.slice(1))];
      }
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
        for (const c of n.children.filter((x) => x.field === 'init')) {
          if (c.type === 'local_variable_declaration') init.push(...this.declaration(c));
          else init.push(this.exprStmt(this.expr(c)));
        }
        const cond = child(n, 'condition');
        const update = n.children.filter((x) => x.field === 'update').map((u) => this.expr(u));
        return [{ k: 'loop', kind: 'for', init, cond: cond ? this.expr(cond) : undefined, update, body: this.body(child(n, 'body')), span }];
      }
      case 'enhanced_for_statement': {
        const nameNode = child(n, 'name'), value = child(n, 'value');
        const rangeVar: VarDecl | undefined = nameNode ? { name: this.t(nameNode), nameSpan: this.span(nameNode), type: UNKNOWN_TYPE, span: this.span(nameNode) } : undefined;
        return [{ k: 'loop', kind: 'range', init: [], update: [], body: this.body(child(n, 'body')), rangeVar, rangeOf: value ? this.expr(value) : undefined, span }];
      }
      case 'try_statement': case 'try_with_resources_statement': return this.tryStmt(n);
      case 'synchronized_statement': {
        const parts = namedChildren(n);
        const last = parts[parts.length - 1];
        return [...parts.slice(0, -1).map((c) => this.exprStmt(this.expr(c))), ...this.body(last)];
      }
      case 'switch_expression': return [this.switchStmt(n)];
      case 'yield_statement': {
        const v = namedChildren(n)[0];
        return v ? [this.exprStmt(this.expr(v))] : [];
      }
      case 'local_class_declaration': case 'class_declaration': case 'record_declaration': case 'interface_declaration': case 'enum_declaration':
        return [];
      default: {
        const parts = namedChildren(n).filter((c) => c.type !== 'block').map((c) => this.expr(c));
        return [this.exprStmt(this.unknown(span, parts))];
      }
    }
  }

  private declaration(decl: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const v of decl.children.filter((c) => c.type === 'variable_declarator')) {
      const nameNode = child(v, 'name'), init = child(v, 'value');
      if (!nameNode || !init) continue;
      this.hoistable = true;
      const target = this.name(this.t(nameNode), this.span(nameNode));
      const value = init.type === 'array_initializer' ? { k: 'init' as const, elems: namedChildren(init).map((e) => this.expr(e)), fields: [], span: this.span(init) } : this.expr(init, { into: target, append: false });
      out.push(...this.pre, this.exprStmt({ k: 'assign', op: '=', target, value, span: this.span(v) }), ...this.post);
      this.pre = []; this.post = [];
    }
    return out;
  }

  private switchStmt(n: SyntaxNode): Stmt {
    const value = child(n, 'condition');
    const body = child(n, 'body');
    const cases = (body ? namedChildren(body).filter((c) => c.type === 'switch_block_statement_group' || c.type === 'switch_rule') : []).map((sec) => {
      const labels: Expr[] = [];
      let isDefault = false;
      const stmts: SyntaxNode[] = [];
      for (const c of namedChildren(sec)) {
        if (c.type === 'switch_label') {
          const vals = namedChildren(c);
          if (vals.length === 0) isDefault = true;
          for (const x of vals) labels.push(this.expr(x));
        } else stmts.push(c);
      }
      return { labels, isDefault, body: this.block(stmts), span: this.span(sec) };
    });
    return { k: 'switch', subject: value ? this.expr(value) : this.unknown(this.span(n)), cases, span: this.span(n) };
  }

  private tryStmt(n: SyntaxNode): Stmt[] {
    const resources: Stmt[] = [];
    const spec = child(n, 'resources');
    for (const r of spec ? namedChildren(spec) : []) {
      if (r.type !== 'resource') continue;
      const nameNode = child(r, 'name'), value = child(r, 'value');
      this.hoistable = true;
      if (nameNode && value) {
        const target = this.name(this.t(nameNode), this.span(nameNode));
        resources.push(...this.pre, { k: 'expr', expr: { k: 'assign', op: '=', target, value: this.expr(value, { into: target, append: false }), span: this.span(r) }, span: this.span(r) }, ...this.post);
      } else {
        resources.push(...this.pre, this.exprStmt(this.expr(namedChildren(r)[0] ?? r)), ...this.post);
      }
      this.pre = []; this.post = [];
    }
    const body = this.body(child(n, 'body'));
    const handlers: Stmt[][] = [];
    const catches: (string[] | undefined)[] = [];
    let finale: Stmt[] = [];
    for (const c of n.children) {
      if (c.type === 'catch_clause') {
        const param = c.children.find((x) => x.type === 'catch_formal_parameter');
        const types = param?.children.find((x) => x.type === 'catch_type');
        const names = types ? namedChildren(types).map((x) => this.scopes.simpleTypeName(x) ?? this.t(x)) : [];
        catches.push(names.length > 0 ? names : undefined);
        handlers.push(this.body(child(c, 'body')));
      } else if (c.type === 'finally_clause') {
        finale = this.body(namedChildren(c).find((x) => x.type === 'block'));
      }
    }
    return [...resources, { k: 'try', body, handlers, catches, span: this.span(n) }, ...finale];
  }

  // ---- expressions ----------------------------------------------------------------------------

  expr(n: SyntaxNode, into?: Into): Expr {
    this.budget.tick();
    const span = this.span(n);
    switch (n.type) {
      case 'identifier': return this.name(this.t(n), span);
      case 'this': return this.name('this', span);
      case 'true': return this.num(1, span);
      case 'false': case 'null_literal': return this.num(0, span);
      case 'decimal_integer_literal': case 'hex_integer_literal': case 'octal_integer_literal': case 'binary_integer_literal': {
        const raw = this.t(n).split('_').join('').toLowerCase().replace(/l$/, '');
        const v = raw.startsWith('0x') ? parseInt(raw.slice(2), 16) : raw.startsWith('0b') ? parseInt(raw.slice(2), 2)
          : raw.length > 1 && raw.startsWith('0') ? parseInt(raw.slice(1), 8) : Number(raw);
        return Number.isFinite(v) ? this.num(v, span) : this.unknown(span);
      }
      case 'decimal_floating_point_literal': { const v = Number(this.t(n).replace(/[fd]$/i, '')); return Number.isFinite(v) ? this.num(v, span) : this.unknown(span); }
      case 'character_literal': {
        const raw = this.t(n).slice(1, -1);
        const s = raw.startsWith('\\') ? unescape(raw) : raw;
        return this.num(s.charCodeAt(0) || 0, span);
      }
      case 'string_literal': return this.string(n);
      case 'parenthesized_expression': { const x = namedChildren(n)[0]; return x ? this.expr(x, into) : this.unknown(span); }
      case 'cast_expression': {
        const type = child(n, 'type'), value = child(n, 'value');
        if (!value) return this.unknown(span);
        // `(SocketChannel) key.channel()`: a channel a Selector reports on is non-blocking (register() throws otherwise).
        if (type && this.scopes.kindOfType(type) === 'channel' && value.type === 'method_invocation' && this.t(child(value, 'name') ?? value) === 'channel' && into && !into.append) {
          this.post.push(this.exprStmt(this.synth('register', [into.into, this.name('FIONBIO', span), this.num(1, span)], span, 'java.ioctl')));
        }
        return { k: 'cast', type: type ? this.typeRef(type) : UNKNOWN_TYPE, value: this.expr(value, into), span };
      }
      case 'assignment_expression': return this.assignment(n);
      case 'binary_expression': {
        const l = child(n, 'left'), r = child(n, 'right');
        const op = n.children.find((c) => c.field === 'operator');
        if (!l || !r) return this.unknown(span);
        return { k: 'binary', op: op ? op.type : '?', left: this.expr(l), right: this.expr(r), span };
      }
      case 'unary_expression': {
        const a = child(n, 'operand') ?? namedChildren(n)[0];
        const op = n.children.find((c) => !c.named);
        if (!a || !op) return this.unknown(span);
        if (op.type === '+') return this.expr(a);
        return { k: 'unary', op: op.type, arg: this.expr(a), span };
      }
      case 'update_expression': {
        const a = namedChildren(n)[0];
        const op = n.children.find((c) => !c.named);
        if (!a || !op || (op.type !== '++' && op.type !== '--')) return this.unknown(span);
        return { k: 'update', op: op.type, arg: this.expr(a), prefix: op.start < a.start, span };
      }
      case 'ternary_expression': {
        const c = child(n, 'condition'), a = child(n, 'consequence'), b = child(n, 'alternative');
        if (!c || !a || !b) return this.unknown(span);
        return { k: 'cond', test: this.expr(c), then: this.expr(a), else: this.expr(b), span };
      }
      case 'field_access': return this.fieldAccess(n);
      case 'array_access': {
        const a = child(n, 'array'), i = child(n, 'index');
        if (!a || !i) return this.unknown(span);
        return { k: 'index', base: this.expr(a), index: this.expr(i), span };
      }
      case 'method_invocation': return this.call(n, into);
      case 'object_creation_expression': return this.creation(n, into);
      case 'array_creation_expression': {
        const list = n.children.find((c) => c.type === 'array_initializer');
        return list ? { k: 'init', elems: namedChildren(list).map((e) => this.expr(e)), fields: [], span } : this.unknown(span);
      }
      case 'array_initializer': return { k: 'init', elems: namedChildren(n).map((e) => this.expr(e)), fields: [], span };
      case 'lambda_expression': case 'method_reference': case 'class_literal': return this.unknown(span);
      case 'instanceof_expression': { const l = child(n, 'left'); return this.unknown(span, l ? [this.expr(l)] : []); }
      default:
        return this.unknown(span, namedChildren(n).map((c) => this.expr(c)));
    }
  }

  private string(n: SyntaxNode): Expr {
    const span = this.span(n);
    let value = '';
    for (const c of n.children) {
      if (c.type === 'string_fragment' || c.type === 'multiline_string_fragment') value += this.t(c);
      else if (c.type === 'escape_sequence') value += unescape(this.t(c));
    }
    return { k: 'str', value, length: Buffer.byteLength(value, 'utf8'), span };
  }

  private fieldAccess(n: SyntaxNode): Expr {
    const span = this.span(n);
    const obj = child(n, 'object'), field = child(n, 'field');
    if (!obj || !field) return this.unknown(span);
    const member = this.t(field);
    // `StandardSocketOptions.TCP_NODELAY`: the C option it stands for.
    const owner = this.t(obj).split(' ').join('');
    if ((owner === 'StandardSocketOptions' || owner === 'java.net.StandardSocketOptions') && STANDARD_OPTIONS[member]) return this.name(STANDARD_OPTIONS[member][1], span);
    // `buf.length` of an array: its size.
    if (member === 'length') return { k: 'sizeof', arg: this.expr(obj), span };
    const base = obj.type === 'this' ? this.name('this', this.span(field)) : this.expr(obj);
    return { k: 'field', base, field: member, arrow: obj.type === 'this', span, fieldSpan: this.span(field) };
  }

  // ---- assignments ----------------------------------------------------------------------------

  private assignment(n: SyntaxNode): Expr {
    const span = this.span(n);
    const l = child(n, 'left'), r = child(n, 'right');
    const opNode = n.children.find((c) => c.field === 'operator');
    if (!l || !r) return this.unknown(span);
    const op = opNode ? opNode.type : '=';
    const target = this.expr(l);
    return { k: 'assign', op, target, value: this.expr(r, { into: target, append: op === '+=' }), span };
  }

  // ---- creations ------------------------------------------------------------------------------

  private creation(n: SyntaxNode, into?: Into): Expr {
    const span = this.span(n);
    const typeNode = child(n, 'type');
    const argList = child(n, 'arguments');
    const args = argList ? namedChildren(argList) : [];
    const typeName = typeNode ? this.scopes.simpleTypeName(typeNode) : undefined;
    // `new String(buf, 0, n)`: the bytes seen as text.
    if (typeName === 'String' && args[0]) {
      const bytes = this.expr(args[0]);
      return { k: 'cast', type: { name: 'string', ptr: 0 }, value: args.length >= 3 ? this.offset(bytes, args[1]) : bytes, span };
    }
    const kind = typeNode ? this.scopes.kindOfType(typeNode) : undefined;
    if (!kind) {
      // `new DataOutputStream(s.getOutputStream())`, `new BufferedReader(new InputStreamReader(in))`: the same connection.
      if (args[0] && this.scopes.kindOf(n, this.f)) return this.expr(args[0], into);
      // `new FileInputStream(name)`, `new JSONObject(text)`: a library call on its arguments.
      if (typeName && (Object.hasOwn(JAVA_PATH_CALLS, typeName) || JAVA_PARSE_CALLS.has(typeName))) {
        return { k: 'call', id: n.start, callee: this.name(typeName, this.span(typeNode!)), args: args.map((a) => this.expr(a)), span, nameSpan: this.span(typeNode!), known: typeName };
      }
      return { k: 'new', type: typeNode ? this.typeRef(typeNode) : UNKNOWN_TYPE, args: args.map((a) => this.expr(a)), span };
    }
    const nameSpan = typeNode ? this.span(typeNode) : span;
    const call: CallExpr = { k: 'call', id: n.start, callee: this.name(typeName ?? 'new', nameSpan), args: [this.name('AF_INET', span), this.name('SOCK_STREAM', span), this.num(0, span)], span, nameSpan, known: 'java.socket' };
    // A socket made here; what it is assigned to gets the connect/bind/listen its constructor does.
    const connects = kind === 'socket' && args.length >= 2;
    const listens = kind === 'server' && args.length >= 1;
    let target = into && !into.append ? into.into : undefined;
    let result: Expr = call;
    if (!target && (connects || listens) && this.hoistable) {
      // `return new Socket(host, port);`: named by a temporary so the connect can follow.
      const name = `new@${span.start}`;
      this.temps.push({ name, nameSpan: span, type: { name: kind, ptr: 0 }, span });
      this.pre.push(this.exprStmt({ k: 'assign', op: '=', target: this.name(name, span), value: call, span }));
      target = this.name(name, span);
      result = target;
    }
    const after: Stmt[] = [];
    if (target && connects) after.push(this.exprStmt(this.synth(typeName ?? 'Socket', [target, ...args.map((a) => this.expr(a))], nameSpan, 'java.connect')));
    if (target && listens) {
      after.push(this.exprStmt(this.synth(typeName ?? 'ServerSocket', [target], nameSpan, 'java.bind')));
      after.push(this.exprStmt(this.synth(typeName ?? 'ServerSocket', [target], nameSpan, 'java.listen')));
    }
    if (result !== call) this.pre.push(...after);
    else this.post.push(...after);
    return result;
  }

  // ---- calls ----------------------------------------------------------------------------------

  private call(n: SyntaxNode, into?: Into): Expr {
    const span = this.span(n);
    const obj = child(n, 'object'), nameNode = child(n, 'name');
    const argList = child(n, 'arguments');
    const args = argList ? namedChildren(argList) : [];
    if (!nameNode) return this.unknown(span);
    const method = this.t(nameNode);
    const nameSpan = this.span(nameNode);
    const generic = () => args.map((a) => this.expr(a));
    if (!obj) return { k: 'call', id: n.start, callee: this.name(method, nameSpan), args: generic(), span, nameSpan };
    const objText = this.t(obj);
    const callee = (): Expr => ({ k: 'field', base: obj.type === 'this' ? this.name('this', nameSpan) : this.expr(obj), field: method, arrow: obj.type === 'this', span: { start: obj.start, end: nameNode.end }, fieldSpan: nameSpan });
    const make = (a: Expr[], known?: string): CallExpr => ({ k: 'call', id: n.start, callee: callee(), args: a, span, nameSpan, ...(known ? { known } : {}) });

    // `SocketChannel.open(addr)`: a channel, connected when an address is given.
    if (method === 'open' && (this.scopes.kindOf(n, this.f) === 'channel' || this.scopes.kindOf(n, this.f) === 'serverchannel')) {
      const call = make([this.name('AF_INET', span), this.name('SOCK_STREAM', span), this.num(0, span)], 'java.socket');
      if (args.length >= 1 && into && !into.append) this.post.push(this.exprStmt(this.synth('open', [into.into, ...generic()], nameSpan, 'java.connect')));
      return call;
    }
    const kind = this.scopes.kindOf(obj, this.f);
    if (kind) {
      const lowered = this.netCall(n, kind, obj, method, args, into);
      if (lowered) return lowered;
    }
    const staticKnown = STATIC_CALLS[`${objText}.${method}`];
    if (staticKnown) return make(generic(), staticKnown);
    if ((method === 'select' || method === 'selectNow') && this.isSelector(obj)) return make(generic(), 'java.wait');
    if (PARSE_STATICS.has(`${objText}.${method}`)) return make(generic(), `${objText}.${method}`);
    // Text of the same bytes (`msg.trim()`); `msg.equals("QUIT")` is a comparison of the whole text.
    if (JAVA_TEXT_OF_SAME.has(method) && args.length === 0) {
      const inner = this.expr(obj);
      // `new String(buf, 0, n).trim()` is still the received text: one cast, not a cast of a cast.
      return inner.k === 'cast' && inner.type.name === 'string' ? { ...inner, span } : { k: 'cast', type: { name: 'string', ptr: 0 }, value: inner, span };
    }
    if ((method === 'equals' || method === 'equalsIgnoreCase' || method === 'contentEquals') && args.length === 1) {
      return { k: 'binary', op: '==', left: this.expr(obj), right: this.expr(args[0]), span };
    }
    // `"text".getBytes()`: the literal's bytes.
    if (method === 'getBytes' && obj.type === 'string_literal') return { ...this.string(obj), span };
    if (method === 'length' && args.length === 0) return { k: 'call', id: n.start, callee: this.name('strlen', nameSpan), args: [this.expr(obj)], span, nameSpan };
    return make(generic());
  }

  /** A local or field declared as java.nio.channels.Selector (or made by `Selector.open()`). */
  private isSelector(obj: SyntaxNode): boolean {
    if (obj.type !== 'identifier' && obj.type !== 'field_access') return obj.type === 'method_invocation' && this.t(obj).startsWith('Selector.open');
    const name = obj.type === 'identifier' ? this.t(obj) : this.t(child(obj, 'field') ?? obj);
    const local = this.f.locals.get(name);
    const param = this.f.params.find((p) => p.name === name);
    const field = this.f.className ? this.scopes.classes.get(this.f.className)?.fields.get(name) : undefined;
    const type = local?.type ?? param?.type ?? field?.type;
    if (type) return this.scopes.simpleTypeName(type) === 'Selector';
    const init = local?.init ?? field?.init;
    return !!init && this.t(init).startsWith('Selector.open');
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

  /** A method of a socket object, as the C call it is; undefined when it is none of the calls the analysis reads. */
  private netCall(n: SyntaxNode, kind: JavaKind, obj: SyntaxNode, method: string, args: SyntaxNode[], into?: Into): Expr | undefined {
    const span = this.span(n);
    const nameNode = child(n, 'name')!;
    const nameSpan = this.span(nameNode);
    const sock = this.streamOrigin(obj) ?? (obj.type === 'this' ? this.name('this', nameSpan) : this.expr(obj));
    const callee: Expr = { k: 'field', base: sock, field: method, arrow: false, span: { start: obj.start, end: nameNode.end }, fieldSpan: nameSpan };
    const make = (a: Expr[], known: string): CallExpr => ({ k: 'call', id: n.start, callee, args: a, span, nameSpan, known });
    const unknown = () => this.unknown(span);
    const zero = this.num(0, span);
    const transfer = (known: string, buffer: Expr, length: Expr) => make([sock, buffer, length, zero], known);
    // `s.getOutputStream()`, `ch.socket()`: the same connection.
    if ((kind === 'socket' && (method === 'getOutputStream' || method === 'getInputStream')) || ((kind === 'channel' || kind === 'serverchannel') && method === 'socket')) return sock;
    // Option setters on sockets and server sockets.
    if ((kind === 'socket' || kind === 'server') && OPTION_SETTERS[method] && args[0]) {
      const [level, opt] = OPTION_SETTERS[method];
      return make([sock, this.name(level, nameSpan), this.name(opt, nameSpan), this.expr(args[0])], 'java.setsockopt');
    }
    switch (kind) {
      case 'socket': case 'server': case 'serverchannel': case 'channel': {
        const table = kind === 'socket' ? SOCKET_METHODS : kind === 'server' ? SERVER_METHODS : kind === 'channel' ? CHANNEL_METHODS : SERVER_CHANNEL_METHODS;
        const known = table[method];
        if (!known) return undefined;
        if (known === 'java.ioctl') {
          const v = args[0] ? this.expr(args[0]) : unknown();
          const nb: Expr = v.k === 'num' ? this.num(v.value ? 0 : 1, v.span) : { k: 'unary', op: '!', arg: v, span: v.span };
          return make([sock, this.name('FIONBIO', nameSpan), nb], known);
        }
        if (known === 'java.setsockopt') {
          const a = args.map((x) => this.expr(x));
          const opt = a[0];
          const level = opt?.k === 'name' && opt.name === 'TCP_NODELAY' ? 'IPPROTO_TCP' : 'SOL_SOCKET';
          return make([sock, this.name(level, nameSpan), opt ?? unknown(), a[1] ?? unknown()], known);
        }
        if (known === 'java.channel.write') {
          const bb = args[0];
          if (!bb) return undefined;
          const seg = this.byteBuffer(bb);
          // A ByteBuffer keeps its own position: code that checks what is left (`while (bb.hasRemaining())`,
          // `compact()`) handles a short write without using the count, whatever it then does with it
          // (`if (ch.write(bb) == 0) break;` waits for OP_WRITE): the write starts where the last one ended.
          const parent = this.statementOf(n);
          const bufName = this.plainName(bb);
          const tracked = !!bufName && this.checksRemaining(bufName);
          if (parent?.type === 'expression_statement' && tracked) {
            return { k: 'cast', type: { name: 'void', ptr: 0 }, value: transfer(known, seg.buffer, seg.length), span };
          }
          // Its count used (`== 0`: full for now): the buffer argument advances by itself, as `buf + sent` does in C.
          const from: Expr = tracked ? { k: 'binary', op: '+', left: seg.buffer, right: this.unknown(this.span(bb)), span: seg.buffer.span } : seg.buffer;
          return transfer(known, from, seg.length);
        }
        if (known === 'java.recv') {
          const bb = args[0];
          return transfer(known, bb ? this.expr(bb) : unknown(), unknown());
        }
        if (known === 'java.bind' && kind === 'server') {
          // ServerSocket.bind(addr[, backlog]) binds and listens.
          this.post.push(this.exprStmt(this.synth('bind', [sock], nameSpan, 'java.listen')));
        }
        return make([sock, ...args.map((x) => this.expr(x))], known);
      }
      case 'out': {
        if (method === 'close') return make([sock], 'java.close');
        if (method === 'write' && args.length === 1) {
          // write(int) is one byte; write(byte[]) the whole array.
          const a = this.expr(args[0]);
          if (this.isIntExpr(args[0])) return transfer('java.stream.write', unknown(), this.num(1, span));
          return transfer('java.stream.write', a, this.lengthOf(a));
        }
        if (method === 'write' && args.length >= 3) return transfer('java.stream.write', this.offset(this.expr(args[0]), args[1]), this.expr(args[2]));
        if (DATA_WRITE_SIZES[method] !== undefined) return transfer('java.stream.write', unknown(), this.num(DATA_WRITE_SIZES[method], span));
        if ((method === 'writeBytes' || method === 'writeUTF' || method === 'print' || method === 'println') && args[0]) {
          const a = this.expr(args[0]);
          const extra = method === 'writeUTF' ? 2 : method === 'println' ? 1 : 0;
          return transfer('java.stream.write', a, a.k === 'str' ? this.num(a.length + extra, a.span) : unknown());
        }
        return undefined;
      }
      case 'buffered': case 'autoprint': {
        if (method === 'close') return make([sock], 'java.close');
        // What was written so far leaves in one send at the flush.
        if (method === 'flush') return transfer('java.stream.write', unknown(), unknown());
        if (kind === 'autoprint' && (method === 'println' || method === 'printf' || method === 'format')) {
          const a = args[0] ? this.expr(args[0]) : this.num(0, span);
          const length = a.k === 'str' && method === 'println' ? this.num(a.length + 1, a.span) : args.length === 0 ? this.num(1, span) : unknown();
          return transfer('java.stream.write', a.k === 'num' ? unknown() : a, length);
        }
        return undefined;
      }
      case 'in': case 'reader': {
        if (method === 'close') return make([sock], 'java.close');
        if (WHOLE_READS.has(method)) {
          const target = method === 'readLine' && into && !into.append ? into.into : method === 'readFully' && args[0] ? this.expr(args[0]) : unknown();
          return transfer('java.recv.all', target, unknown());
        }
        if (method === 'read' && args.length === 0) return transfer('java.recv.all', unknown(), this.num(1, span));
        if (method === 'read' && args.length === 1) { const b = this.expr(args[0]); return transfer('java.recv', b, this.lengthOf(b)); }
        if (method === 'read' && args.length >= 3) return transfer('java.recv', this.offset(this.expr(args[0]), args[1]), this.expr(args[2]));
        return undefined;
      }
      default: return undefined;
    }
  }

  /**
   * A stream field made from a socket field (`out = new DataOutputStream(socket.getOutputStream())`
   * in open(), `out.writeInt(n)` in send()): the socket field, so reads and writes through the
   * class's `in` and `out` are seen on one connection.
   */
  private streamOrigin(obj: SyntaxNode): Expr | undefined {
    const name = obj.type === 'identifier' && !this.scopes.isLocal(this.t(obj), this.f) ? this.t(obj)
      : obj.type === 'field_access' && child(obj, 'object')?.type === 'this' ? this.t(child(obj, 'field') ?? obj) : undefined;
    const origin = name ? this.scopes.fieldOrigin(this.f.className, name) : undefined;
    if (!origin) return undefined;
    // Spanned at the socket field's own name, so the analysis reads `in` and `out` as that one field.
    const decl = this.scopes.classes.get(this.f.className ?? '')?.fields.get(origin);
    return this.name(origin, decl ? { start: decl.span.start, end: decl.span.start + origin.length } : this.span(obj));
  }

  /** `ByteBuffer.wrap(bytes)`: the bytes and their length; another ByteBuffer: itself, of a length not known here. */
  private byteBuffer(n: SyntaxNode): { buffer: Expr; length: Expr } {
    if (n.type === 'method_invocation') {
      const obj = child(n, 'object'), nm = child(n, 'name');
      const argList = child(n, 'arguments');
      const a = argList ? namedChildren(argList) : [];
      if (obj && nm && this.t(obj) === 'ByteBuffer' && this.t(nm) === 'wrap' && a[0]) {
        const bytes = this.expr(a[0]);
        return a.length >= 3 ? { buffer: this.offset(bytes, a[1]), length: this.expr(a[2]) } : { buffer: bytes, length: this.lengthOf(bytes) };
      }
    }
    return { buffer: this.expr(n), length: this.unknown(this.span(n)) };
  }

  /** The statement a call is the expression of (its parent, through parentheses). */
  private statementOf(n: SyntaxNode): SyntaxNode | undefined {
    let found: SyntaxNode | undefined;
    this.scopes.forEachNode(this.f.body, (s) => {
      if (!found && s.type === 'expression_statement' && namedChildren(s)[0] === n) found = s;
    });
    return found;
  }

  /** `buf` or `this.buf`: the name, or undefined for anything else. */
  private plainName(n: SyntaxNode): string | undefined {
    if (n.type === 'identifier') return this.t(n);
    if (n.type === 'field_access' && child(n, 'object')?.type === 'this') { const f = child(n, 'field'); return f ? this.t(f) : undefined; }
    return undefined;
  }

  /**
   * Whether the code asks the ByteBuffer `name` what is left (`hasRemaining()`, `remaining()`,
   * `compact()`): this function for a local; any method of the class for a field (a write handler
   * that checks what the last write left).
   */
  private checksRemaining(name: string): boolean {
    const isField = !this.scopes.isLocal(name, this.f) && !!this.scopes.classes.get(this.f.className ?? '')?.fields.has(name);
    const bodies = isField ? this.scopes.functions.filter((g) => g.className === this.f.className).map((g) => g.body) : [this.f.body];
    let found = false;
    for (const body of bodies) {
      this.scopes.forEachNode(body, (x) => {
        if (found || x.type !== 'method_invocation') return;
        const obj = child(x, 'object'), nm = child(x, 'name');
        if (obj && this.plainName(obj) === name && nm && REMAINING_CHECKS.has(this.t(nm))) found = true;
      });
    }
    return found;
  }

  /** An argument of type int (write(int b) writes one byte): an integer literal, a char, or a local declared int/byte/char. */
  private isIntExpr(n: SyntaxNode): boolean {
    if (n.type === 'decimal_integer_literal' || n.type === 'hex_integer_literal' || n.type === 'character_literal') return true;
    if (n.type === 'cast_expression') { const t = child(n, 'type'); return !!t && ['int', 'byte', 'char'].includes(this.t(t)); }
    if (n.type !== 'identifier') return false;
    const name = this.t(n);
    const type = this.f.locals.get(name)?.type ?? this.f.params.find((p) => p.name === name)?.type;
    return !!type && type.type === 'integral_type';
  }
}

function isTrue(n: SyntaxNode): boolean {
  const inner = n.type === 'parenthesized_expression' ? namedChildren(n)[0] : n;
  return inner?.type === 'true';
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
    case 'u': return String.fromCharCode(parseInt(seq.slice(2), 16) || 0);
    default: return seq.slice(1);
  }
}
