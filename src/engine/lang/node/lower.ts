// Lowers a JavaScript or TypeScript function (or the module's top-level code) to the IR. Socket calls
// are written as the C API's calls with the C argument order (`sock.write(data)` -> send(sock, data,
// strlen(data), 0), marked `known` so nothing else resolves them), because the analysis reads the
// IR the same way for every language. Node's event-driven code becomes the control flow it stands
// for: a listener runs after the code that registers it, so its body is lowered at the end of the
// block that registers it, shaped by its event:
//   sock.on('data', (chunk) => B)       -> while (;;) { chunk = recv(sock, chunk, ?, 0); B }
//   net.createServer((sock) => B)        -> { sock = accept(server); B }                (per connection)
//   net.connect(port, () => B)           -> socket(); connect(); ...; B            (once, when connected)
//   setInterval(() => B, ms)             -> while (;;) { sleep(ms); B }
//   sock.once('drain', ...) / once(sock, 'drain') -> a wait for the socket to be writable
//   for await (const chunk of sock) B    -> while (;;) { chunk = recv(sock, ...); B }
// A `return` inside a listener ends that listener's run: a jump to the end of its body.
import type { Budget } from '../../budget';
import type { CallExpr, Expr, FunctionIR, NumExpr, Span, Stmt, TypeRef, VarDecl } from '../../ir/ir';
import { child, childrenOf, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import { CONNECTION_EVENTS, LISTENER_METHODS, NODE_BUFFER_READS, NODE_PATH_CALLS, NODE_TEXT_OF_SAME, SERVER_FACTORIES, SOCKET_FACTORIES } from './api';
import { argumentsOf, FUNCTION_NODES, paramIdentifier, paramNodes, type NodeFunction, type NodeScopes } from './scope';

const UNKNOWN_TYPE: TypeRef = { name: '?', ptr: 0 };
/** The type the IR gives values of each kind (never a class name the file could define). */
export const KIND_TYPE: Record<string, TypeRef> = { socket: { name: 'net.Socket', ptr: 0 }, server: { name: 'net.Server', ptr: 0 } };
const BYTES: TypeRef = { name: 'bytes', ptr: 0 };
const TEXT: TypeRef = { name: 'str', ptr: 0 };
/** Array methods whose callback runs once per element, in place. */
const ELEMENT_CALLBACKS = new Set(['forEach', 'map', 'filter', 'some', 'every', 'find', 'findIndex', 'flatMap', 'reduce']);
/** Socket events whose listener runs at most a few times, late: end, close, error, timeout. */
const ONCE_EVENTS = new Set(['connect', 'ready', 'lookup']);
/** Global functions that parse a whole text. */
const GLOBAL_PARSERS = new Set(['parseInt', 'parseFloat', 'Number', 'BigInt']);

export class NodeLowering {
  private pre: Stmt[] = [];
  private post: Stmt[] = [];
  /** Listener bodies registered in the current block: they run after it. */
  private deferred: Stmt[] = [];
  private synthetic = 0;
  private labels = 0;
  private readonly temps: string[] = [];
  /** Where `return` jumps inside a listener lowered in place (undefined: a real return). */
  private returnLabel: string | undefined;
  private readonly localTypes = new Map<string, TypeRef>();
  /**
   * Sockets this function's own synchronous code has just begun to connect (`const s = net.connect()`),
   * until an `await`: writes then are queued in the socket and leave together once it connects
   * (net.Socket holds the first until 'connect' and flushes the rest with one writev).
   */
  private readonly connecting = new Set<string>();
  /** Loops of the function's own code around the statement being lowered. */
  private loopDepth = 0;
  /** Lowering a listener's or callback's body (it runs later, not in the synchronous stretch). */
  private inCallback = false;
  /** Locals bound to a value of known byte length (`const rec = Buffer.alloc(64)`). */
  private readonly knownLengths = new Map<string, number>();

  constructor(private readonly text: string, private readonly scopes: NodeScopes, private readonly budget: Budget, private readonly f: NodeFunction) {}

  private t(n: SyntaxNode): string { return n.named ? this.text.slice(n.start, n.end) : n.type; }
  private span(n: SyntaxNode): Span { return { start: n.start, end: n.end }; }
  private num(value: number, span: Span): NumExpr { return { k: 'num', value, span }; }
  private name(name: string, span: Span): Expr { return { k: 'name', name, span }; }
  private unknown(span: Span, parts: Expr[] = []): Expr { return { k: 'unknown', span, parts }; }
  private exprStmt(expr: Expr): Stmt { return { k: 'expr', expr, span: expr.span }; }
  /** A call the lowering writes itself: negative ids never meet a real call's offset. */
  private synth(name: string, args: Expr[], span: Span, known?: string, nameSpan: Span = span): CallExpr {
    return { k: 'call', id: -(++this.synthetic), callee: { k: 'name', name, span: nameSpan }, args, span, nameSpan, ...(known ? { known } : {}) };
  }
  private temp(prefix: string, at: number, type?: TypeRef): string {
    const name = `${prefix}@${at}`;
    if (!this.temps.includes(name)) this.temps.push(name);
    if (type) this.localTypes.set(name, type);
    return name;
  }

  lowerFunction(hasErrors: boolean): FunctionIR {
    const f = this.f;
    const body = this.block(f.body);
    // A function of the file registered as a 'data' listener: its first parameter is one chunk of
    // the stream, whichever socket it came from.
    const chunk = f.receivesChunks ? f.params[0] : undefined;
    if (chunk) {
      const target = this.name(chunk.name, chunk.span);
      const source = this.name('<data source>', chunk.span);
      body.unshift(this.exprStmt({ k: 'assign', op: '=', target, value: this.recvCall(source, target, chunk.span, chunk.span), span: chunk.span }));
    }
    const whole = f.node ? this.span(f.node) : { start: 0, end: this.text.length };
    const nameNode = f.node ? child(f.node, 'name') ?? undefined : undefined;
    // The module's own names are the file's globals (its functions see them); only temporaries are local there.
    const locals = [...f.locals].filter((n) => !f.params.some((p) => p.name === n) && (f.node || !this.scopes.moduleNames.has(n))).concat(this.temps);
    const vars: VarDecl[] = locals.map((n) => ({ name: n, nameSpan: { start: whole.start, end: whole.start }, type: this.localTypes.get(n) ?? this.typeOfName(n), span: { start: whole.start, end: whole.start } }));
    if (vars.length > 0) body.unshift({ k: 'decl', vars, span: { start: whole.start, end: whole.start } });
    return {
      name: f.name, qualified: f.qualified, className: f.className,
      params: f.params.map((p) => ({ name: p.name, type: p === chunk ? BYTES : this.typeOfName(p.name), span: p.span })),
      returnType: UNKNOWN_TYPE, body, span: whole,
      nameSpan: nameNode ? this.span(nameNode) : f.node ? { start: f.node.start, end: f.node.start } : { start: 0, end: 0 },
      isStatic: false, hasErrors,
    };
  }

  typeOfName(name: string): TypeRef {
    const k = this.scopes.nameKind(name, this.f);
    return k ? KIND_TYPE[k] : UNKNOWN_TYPE;
  }

  // ---- statements -----------------------------------------------------------------------------

  block(nodes: SyntaxNode[]): Stmt[] {
    const out: Stmt[] = [];
    const savedDeferred = this.deferred;
    this.deferred = [];
    for (const n of nodes) {
      this.budget.tick();
      if (!n.named || n.type === 'comment') continue;
      const saved = { pre: this.pre, post: this.post };
      this.pre = []; this.post = [];
      const lowered = this.stmt(n);
      out.push(...this.pre, ...lowered, ...this.post);
      this.pre = saved.pre; this.post = saved.post;
    }
    out.push(...this.deferred);
    this.deferred = savedDeferred;
    return out;
  }

  private body(n: SyntaxNode | undefined): Stmt[] {
    if (!n) return [];
    return this.block(n.type === 'statement_block' ? namedChildren(n) : [n]);
  }

  private stmt(n: SyntaxNode): Stmt[] {
    const span = this.span(n);
    switch (n.type) {
      case 'expression_statement': {
        const e = namedChildren(n)[0];
        if (!e || e.type === 'string') return []; // 'use strict'
        return [this.exprStmt(this.expr(e))];
      }
      case 'lexical_declaration': case 'variable_declaration': return this.declaration(n);
      case 'export_statement': {
        const d = child(n, 'declaration') ?? namedChildren(n).find((c) => c.type === 'lexical_declaration' || c.type === 'variable_declaration');
        return d && (d.type === 'lexical_declaration' || d.type === 'variable_declaration') ? this.declaration(d) : [];
      }
      case 'return_statement': {
        const v = namedChildren(n)[0];
        if (this.returnLabel) return [...(v ? [this.exprStmt(this.expr(v))] : []), { k: 'goto', label: this.returnLabel, span }];
        return [{ k: 'return', value: v ? this.expr(v) : undefined, span }];
      }
      case 'throw_statement': {
        const v = namedChildren(n)[0];
        return [{ k: 'throw', value: v ? this.expr(v) : undefined, span }];
      }
      case 'break_statement': return [{ k: 'break', span }];
      case 'continue_statement': return [{ k: 'continue', span }];
      case 'statement_block': return [{ k: 'block', body: this.block(namedChildren(n)), span }];
      case 'if_statement': {
        const cond = child(n, 'condition');
        const alt = child(n, 'alternative');
        const altBody = alt ? namedChildren(alt)[0] : undefined;
        const cons = child(n, 'consequence');
        return [{
          k: 'if', cond: cond ? this.expr(cond) : this.unknown(span), then: this.body(cons), else: altBody ? this.body(altBody) : undefined,
          thenBraced: cons?.type === 'statement_block', elseBraced: altBody?.type === 'statement_block', span,
        }];
      }
      case 'while_statement': case 'do_statement': case 'for_statement': case 'for_in_statement': {
        // A loop that awaits runs its later passes after the socket has connected.
        if (this.awaitsIn(n)) this.connecting.clear();
        this.loopDepth++;
        try { return this.loop(n, span); } finally { this.loopDepth--; }
      }
      case 'try_statement': {
        const handler = child(n, 'handler');
        const fin = child(n, 'finalizer');
        const handlers = handler ? [this.body(child(handler, 'body'))] : [];
        return [
          { k: 'try', body: this.body(child(n, 'body')), handlers, catches: handlers.map(() => undefined), span },
          ...(fin ? this.body(child(fin, 'body') ?? namedChildren(fin)[0]) : []),
        ];
      }
      case 'switch_statement': {
        const v = child(n, 'value');
        const b = child(n, 'body');
        const cases = (b ? namedChildren(b) : []).filter((c) => c.type === 'switch_case' || c.type === 'switch_default').map((c) => {
          const value = child(c, 'value');
          return { labels: value ? [this.expr(value)] : [], isDefault: c.type === 'switch_default', body: this.block(childrenOf(c, 'body')), span: this.span(c) };
        });
        return [{ k: 'switch', subject: v ? this.expr(v) : this.unknown(span), cases, span }];
      }
      case 'labeled_statement': return this.body(child(n, 'body') ?? namedChildren(n)[1]);
      case 'empty_statement': case 'import_statement': case 'function_declaration': case 'generator_function_declaration':
      case 'class_declaration': case 'abstract_class_declaration': case 'interface_declaration': case 'type_alias_declaration':
      case 'enum_declaration': case 'ambient_declaration': case 'module': case 'internal_module': case 'debugger_statement':
      case 'hash_bang_line': case 'import_alias':
        return [];
      default: {
        const parts = namedChildren(n).filter((c) => c.type !== 'statement_block').map((c) => this.expr(c));
        return [this.exprStmt(this.unknown(span, parts))];
      }
    }
  }

  private loop(n: SyntaxNode, span: Span): Stmt[] {
    switch (n.type) {
      case 'while_statement': {
        const cond = child(n, 'condition');
        return [{ k: 'loop', kind: 'while', init: [], cond: cond ? this.expr(cond) : undefined, update: [], body: this.body(child(n, 'body')), span }];
      }
      case 'do_statement': {
        const cond = child(n, 'condition');
        return [{ k: 'loop', kind: 'do', init: [], cond: cond ? this.expr(cond) : undefined, update: [], body: this.body(child(n, 'body')), span }];
      }
      case 'for_statement': {
        const init = child(n, 'initializer');
        const cond = child(n, 'condition');
        const inc = childrenOf(n, 'increment');
        const condExpr = cond && cond.type !== 'empty_statement' && cond.named ? (cond.type === 'expression_statement' ? namedChildren(cond)[0] : cond) : undefined;
        return [{
          k: 'loop', kind: 'for', init: init && init.named && init.type !== 'empty_statement' ? this.stmt(init) : [],
          cond: condExpr ? this.expr(condExpr) : undefined, update: inc.filter((x) => x.named).map((x) => this.expr(x)), body: this.body(child(n, 'body')), span,
        }];
      }
      case 'for_in_statement': return this.forIn(n);
      default: return [];
    }
  }

  /** An `await` in the node, outside the function expressions in it. */
  private awaitsIn(n: SyntaxNode): boolean {
    const stack = [n];
    while (stack.length) {
      const x = stack.pop()!;
      if (x.type === 'await_expression' || (x.type === 'for_in_statement' && x.children.some((c) => !c.named && c.type === 'await'))) return true;
      for (const c of x.children) if (c.named && !FUNCTION_NODES.has(c.type)) stack.push(c);
    }
    return false;
  }

  private declaration(n: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const d of namedChildren(n)) {
      if (d.type !== 'variable_declarator') continue;
      const name = child(d, 'name'), value = child(d, 'value');
      if (!name || !value || FUNCTION_NODES.has(value.type)) continue;
      const span = this.span(d);
      if (name.type === 'identifier') {
        const target = this.name(this.t(name), this.span(name));
        const length = this.constantLength(value);
        if (length !== undefined && n.children.some((c) => c.type === 'const')) this.knownLengths.set(this.t(name), length);
        const v = this.expr(value, target);
        if (v.k === 'cast' && v.type.name === 'str') this.localTypes.set(this.t(name), TEXT);
        out.push(this.exprStmt({ k: 'assign', op: '=', target, value: v, span }));
      } else if (name.type === 'array_pattern') {
        // `const [chunk] = await once(sock, 'data')`: the first item is the chunk.
        const first = namedChildren(name)[0];
        const target = first?.type === 'identifier' ? this.name(this.t(first), this.span(first)) : undefined;
        const v = this.expr(value, target);
        out.push(this.exprStmt(target ? { k: 'assign', op: '=', target, value: v, span } : v));
      } else {
        out.push(this.exprStmt(this.unknown(span, [this.expr(value)])));
      }
    }
    return out;
  }

  private forIn(n: SyntaxNode): Stmt[] {
    const span = this.span(n);
    const left = child(n, 'left'), right = child(n, 'right');
    const awaits = n.children.some((c) => !c.named && c.type === 'await');
    const id = left?.type === 'identifier' ? left : undefined;
    // `for await (const chunk of sock)`: one chunk per pass, as it arrives.
    if (awaits && id && right && this.scopes.kindOf(right, this.f) === 'socket') {
      const v = this.name(this.t(id), this.span(id));
      this.localTypes.set(this.t(id), BYTES);
      const recv = this.recvCall(this.expr(right), v, this.span(right), this.span(right));
      return [{ k: 'loop', kind: 'while', init: [], update: [], body: [this.exprStmt({ k: 'assign', op: '=', target: v, value: recv, span: this.span(id) }), ...this.body(child(n, 'body'))], span }];
    }
    const rangeVar: VarDecl | undefined = id ? { name: this.t(id), nameSpan: this.span(id), type: UNKNOWN_TYPE, span: this.span(id) } : undefined;
    return [{ k: 'loop', kind: 'range', init: [], update: [], body: this.body(child(n, 'body')), rangeVar, rangeOf: right ? this.expr(right) : undefined, span }];
  }

  // ---- listeners and callbacks lowered in place -------------------------------------------------

  /** The statements of a function expression's body, run where the caller puts them; `return` ends them. */
  private callbackBody(fnNode: SyntaxNode, before: Stmt[] = []): Stmt[] {
    const label = `return@${fnNode.start}#${++this.labels}`;
    const saved = { returnLabel: this.returnLabel, pre: this.pre, post: this.post, inCallback: this.inCallback, loopDepth: this.loopDepth };
    this.returnLabel = label;
    this.inCallback = true;
    this.loopDepth = 0;
    this.pre = []; this.post = [];
    const b = child(fnNode, 'body');
    let stmts: Stmt[];
    if (!b) stmts = [];
    else if (b.type === 'statement_block') stmts = this.block(namedChildren(b));
    else {
      // An expression body: one statement.
      const e = this.expr(b);
      stmts = [...this.pre, this.exprStmt(e), ...this.post];
    }
    this.returnLabel = saved.returnLabel; this.pre = saved.pre; this.post = saved.post;
    this.inCallback = saved.inCallback; this.loopDepth = saved.loopDepth;
    const span = { start: fnNode.end, end: fnNode.end };
    return [...before, ...stmts, { k: 'label', label, span }];
  }

  /** The first parameter of a listener as a local of this function (its kind was inferred by the scopes). */
  private firstParam(fnNode: SyntaxNode): SyntaxNode | undefined {
    const p = paramNodes(fnNode)[0];
    return p ? paramIdentifier(p) : undefined;
  }

  /**
   * The body of a listener, given the value its first parameter receives: a function expression is
   * lowered in place (the parameter assigned first); a function of the file is called with it.
   */
  private listenerRun(listener: SyntaxNode | undefined, first: (target: Expr) => Expr, tempPrefix: string, tempType: TypeRef | undefined, span: Span, firstType?: TypeRef): Stmt[] {
    if (!listener) return [];
    if (FUNCTION_NODES.has(listener.type)) {
      const p = this.firstParam(listener);
      const before: Stmt[] = [];
      if (p) {
        const target = this.name(this.t(p), this.span(p));
        if (firstType) this.localTypes.set(this.t(p), firstType);
        before.push({ k: 'expr', expr: { k: 'assign', op: '=', target, value: first(target), span: this.span(p) }, span: this.span(p) });
      } else {
        before.push(this.exprStmt(first(this.unknown(span))));
      }
      return this.callbackBody(listener, before);
    }
    // A function of the file (`handle`, `this.onData`): called with the value. (A 'data' listener
    // receives its chunk itself: see lowerFunction.)
    const tmp = this.name(this.temp(tempPrefix, listener.start, tempType), this.span(listener));
    const assign: Stmt = this.exprStmt({ k: 'assign', op: '=', target: tmp, value: first(tmp), span });
    const target = this.scopes.callable(listener, this.f);
    if (!target || target.receivesChunks) return [assign];
    // `this.onData.bind(this)` calls `this.onData`.
    const bound = listener.type === 'call_expression' ? child(listener, 'function') : undefined;
    const fnExpr = (bound && child(bound, 'object')) ?? listener;
    const call: CallExpr = { k: 'call', id: -(++this.synthetic), callee: this.expr(fnExpr), args: [tmp], span: this.span(listener), nameSpan: this.span(listener) };
    return [assign, this.exprStmt(call)];
  }

  private recvCall(sock: Expr, buffer: Expr, span: Span, nameSpan: Span): CallExpr {
    return this.synth('data', [sock, buffer, this.unknown(span), this.num(0, span)], span, 'node.data', nameSpan);
  }

  /** `sock.on('data', listener)`: a loop that receives one chunk per pass, after the registering code. */
  private dataLoop(sock: Expr, listener: SyntaxNode | undefined, span: Span, nameSpan: Span): void {
    if (!listener) return;
    const body = this.listenerRun(listener, (target) => this.recvCall(sock, target, span, nameSpan), 'chunk', BYTES, span, BYTES);
    this.deferred.push({ k: 'loop', kind: 'while', init: [], update: [], body, span: this.span(listener) });
  }

  /**
   * A server's connection listener: an accept, then the listener's body, once. (It runs once per
   * connection; each run is on its own socket and is judged on its own, so it is not written as a
   * loop whose socket changes every pass.)
   */
  private acceptLoop(server: Expr, listener: SyntaxNode | undefined, noDelay: boolean, span: Span): void {
    if (!listener) return;
    const accept = (target: Expr): Expr => this.synth('accept', [server], target.span, 'node.accept');
    const body = this.listenerRun(listener, accept, 'conn', KIND_TYPE.socket, span);
    // `createServer({ noDelay: true }, ...)`: every accepted socket has Nagle off.
    if (noDelay) {
      const first = body[0];
      const target = first?.k === 'expr' && first.expr.k === 'assign' ? first.expr.target : undefined;
      if (target) body.splice(1, 0, this.exprStmt(this.nodelayCall(target, target.span)));
    }
    this.deferred.push({ k: 'block', body, span: this.span(listener) });
  }

  /** A listener that runs once, later (connect callback, a timer): its body at the end of the block. */
  private deferOnce(listener: SyntaxNode | undefined, guarded: boolean): void {
    if (!listener || !FUNCTION_NODES.has(listener.type)) return;
    const body = this.callbackBody(listener);
    const span = this.span(listener);
    this.deferred.push(guarded ? { k: 'if', cond: this.unknown(span), then: body, thenBraced: true, span } : { k: 'block', body, span });
  }

  private nodelayCall(sock: Expr, span: Span, on = 1): CallExpr {
    return this.synth('setNoDelay', [sock, this.name('IPPROTO_TCP', span), this.name('TCP_NODELAY', span), this.num(on, span)], span, 'node.setsockopt');
  }

  // ---- expressions ----------------------------------------------------------------------------

  /** `into`: the expression is assigned to this target (a socket made or a chunk received lands there). */
  expr(n: SyntaxNode, into?: Expr): Expr {
    this.budget.tick();
    const span = this.span(n);
    switch (n.type) {
      case 'identifier': case 'shorthand_property_identifier': {
        const name = this.t(n);
        if (name === 'undefined') return this.num(0, span);
        return this.name(name, span);
      }
      case 'this': return this.name('this', span);
      case 'true': return this.num(1, span);
      case 'false': case 'null': case 'undefined': return this.num(0, span);
      case 'number': {
        const written = this.t(n).split('_').join('');
        const v = Number(written.endsWith('n') ? written.slice(0, -1) : written);
        return Number.isFinite(v) ? this.num(v, span) : this.unknown(span);
      }
      case 'string': case 'template_string': return this.string(n);
      case 'parenthesized_expression': case 'await_expression': case 'as_expression': case 'non_null_expression':
      case 'satisfies_expression': case 'type_assertion': {
        // After an await the socket may have connected.
        if (n.type === 'await_expression') this.connecting.clear();
        const x = namedChildren(n).find((c) => !c.type.endsWith('_type') && c.type !== 'type_identifier' && c.type !== 'type_arguments' && c.type !== 'predefined_type' && c.type !== 'generic_type' && c.type !== 'nested_type_identifier');
        return x ? this.expr(x, into) : this.unknown(span);
      }
      case 'assignment_expression': {
        const l = child(n, 'left'), r = child(n, 'right');
        if (!l || !r) return this.unknown(span);
        const target = this.expr(l);
        const v = this.expr(r, target);
        if (l.type === 'identifier' && v.k === 'cast' && v.type.name === 'str') this.localTypes.set(this.t(l), TEXT);
        return { k: 'assign', op: '=', target, value: v, span };
      }
      case 'augmented_assignment_expression': {
        const l = child(n, 'left'), r = child(n, 'right'), op = child(n, 'operator');
        if (!l || !r) return this.unknown(span);
        const o = op ? this.t(op) : '+=';
        return { k: 'assign', op: o === '??=' || o === '||=' || o === '&&=' ? '=' : o, target: this.expr(l), value: this.expr(r), span };
      }
      case 'member_expression': {
        const obj = child(n, 'object'), prop = child(n, 'property');
        if (!obj || !prop) return this.unknown(span);
        const base = this.expr(obj);
        return { k: 'field', base, field: this.t(prop), arrow: base.k === 'name' && base.name === 'this', span, fieldSpan: this.span(prop) };
      }
      case 'subscript_expression': {
        const obj = child(n, 'object'), idx = child(n, 'index');
        if (!obj || !idx) return this.unknown(span);
        return { k: 'index', base: this.expr(obj), index: this.expr(idx), span };
      }
      case 'call_expression': return this.call(n, into);
      case 'new_expression': return this.newExpr(n, into);
      case 'binary_expression': {
        const l = child(n, 'left'), r = child(n, 'right'), op = child(n, 'operator');
        if (!l || !r) return this.unknown(span);
        const o = op ? this.t(op) : '?';
        if (o === 'instanceof' || o === 'in') return this.unknown(span, [this.expr(l), this.expr(r)]);
        const mapped = o === '===' ? '==' : o === '!==' ? '!=' : o === '??' ? '||' : o === '>>>' ? '>>' : o;
        return { k: 'binary', op: mapped, left: this.expr(l), right: this.expr(r), span };
      }
      case 'unary_expression': {
        const a = child(n, 'argument'), op = child(n, 'operator');
        if (!a) return this.unknown(span);
        const o = op ? this.t(op) : '!';
        if (o === '+') return this.expr(a);
        if (o === '!' || o === '-' || o === '~') return { k: 'unary', op: o, arg: this.expr(a), span };
        return this.unknown(span, [this.expr(a)]);
      }
      case 'update_expression': {
        const a = child(n, 'argument'), op = child(n, 'operator');
        if (!a) return this.unknown(span);
        const prefix = !n.children[0]?.named;
        return { k: 'update', op: op && this.t(op) === '--' ? '--' : '++', arg: this.expr(a), prefix, span };
      }
      case 'ternary_expression': {
        const c = child(n, 'condition'), a = child(n, 'consequence'), b = child(n, 'alternative');
        if (!c || !a || !b) return this.unknown(span);
        return { k: 'cond', test: this.expr(c), then: this.expr(a), else: this.expr(b), span };
      }
      case 'sequence_expression': return { k: 'comma', exprs: namedChildren(n).map((c) => this.expr(c)), span };
      case 'array': return { k: 'init', elems: namedChildren(n).map((c) => this.expr(c)), fields: [], span };
      case 'spread_element': { const x = namedChildren(n)[0]; return x ? this.expr(x) : this.unknown(span); }
      case 'object': {
        // Walked for calls (and listeners) only.
        const parts: Expr[] = [];
        for (const p of namedChildren(n)) {
          const v = p.type === 'pair' ? child(p, 'value') : p.type === 'spread_element' ? namedChildren(p)[0] : undefined;
          if (v && !FUNCTION_NODES.has(v.type)) parts.push(this.expr(v));
        }
        return this.unknown(span, parts);
      }
      case 'arrow_function': case 'function_expression': case 'function': case 'generator_function':
        // A function value stored or passed somewhere we do not follow: its body runs at some point, maybe.
        this.deferOnce(n, true);
        return this.unknown(span);
      default:
        return this.unknown(span, namedChildren(n).filter((c) => c.type !== 'comment' && !FUNCTION_NODES.has(c.type)).map((c) => this.expr(c)));
    }
  }

  private string(n: SyntaxNode): Expr {
    const span = this.span(n);
    const subs = n.children.filter((c) => c.type === 'template_substitution');
    if (subs.length > 0) return this.unknown(span, subs.flatMap((s) => namedChildren(s).map((x) => this.expr(x))));
    let value = '';
    for (const c of n.children) {
      if (c.type === 'string_fragment') value += this.t(c);
      else if (c.type === 'escape_sequence') value += unescape(this.t(c));
    }
    return { k: 'str', value, length: utf8Length(value), span };
  }

  /** The byte length of a value known from its literal: 'text', Buffer.alloc(64), Buffer.from('text'). */
  private constantLength(n: SyntaxNode | undefined): number | undefined {
    if (!n) return undefined;
    if (n.type === 'string' || n.type === 'template_string') {
      const s = this.string(n);
      return s.k === 'str' ? s.length : undefined;
    }
    if (n.type === 'identifier') return this.knownLengths.get(this.t(n));
    if (n.type === 'call_expression') {
      const fn = child(n, 'function');
      const args = argumentsOf(n);
      if (fn?.type !== 'member_expression') return undefined;
      const obj = child(fn, 'object'), prop = child(fn, 'property');
      if (!obj || !prop || this.t(obj) !== 'Buffer' || this.f.locals.has('Buffer')) return undefined;
      const method = this.t(prop);
      if ((method === 'alloc' || method === 'allocUnsafe') && args[0]?.type === 'number') return Number(this.t(args[0]));
      if (method === 'from' && args.length === 1) return this.constantLength(args[0]);
    }
    return undefined;
  }

  private lengthOf(node: SyntaxNode | undefined, data: Expr): Expr {
    const known = this.constantLength(node);
    if (known !== undefined) return this.num(known, data.span);
    if (data.k === 'str') return this.num(data.length, data.span);
    return { k: 'call', id: -(++this.synthetic), callee: this.name('strlen', data.span), args: [data], span: data.span, nameSpan: data.span };
  }

  private newExpr(n: SyntaxNode, into?: Expr): Expr {
    const span = this.span(n);
    const ctor = child(n, 'constructor');
    const args = argumentsOf(n);
    const member = this.scopes.netMember(ctor);
    if (member === 'Socket' || member === 'TLSSocket') {
      const call = this.synth('Socket', [this.name('AF_INET', span), this.name('SOCK_STREAM', span), this.num(0, span)], span, 'node.socket', ctor ? this.span(ctor) : span);
      call.id = n.start;
      const opts = args[0]?.type === 'object' ? args[0] : undefined;
      if (opts && this.optionIsTrue(opts, 'noDelay')) {
        const target = into ?? this.name(this.temp('sock', n.start, KIND_TYPE.socket), span);
        this.post.push(this.exprStmt(this.nodelayCall(target, span)));
        if (!into) { this.pre.push(this.exprStmt({ k: 'assign', op: '=', target, value: call, span })); return target; }
      }
      return call;
    }
    if (member === 'Server') return this.server(n, args, into, ctor ? this.span(ctor) : span);
    // `new Promise((resolve) => ...)`: the executor runs at once, in place.
    if (ctor?.type === 'identifier' && this.t(ctor) === 'Promise' && args[0] && FUNCTION_NODES.has(args[0].type)) {
      this.pre.push(...this.callbackBody(args[0]));
      return this.unknown(span);
    }
    return { k: 'new', type: { name: ctor ? this.t(ctor) : '?', ptr: 0 }, args: args.map((a) => this.expr(a)), span };
  }

  /** The name of an object literal's key (`noDelay`, `'noDelay'`). */
  private keyName(p: SyntaxNode): string | undefined {
    if (p.type === 'shorthand_property_identifier') return this.t(p);
    const k = p.type === 'pair' ? child(p, 'key') : undefined;
    if (!k) return undefined;
    if (k.type === 'string') { const s = this.string(k); return s.k === 'str' ? s.value : undefined; }
    return this.t(k);
  }

  /** `{ noDelay: true }`: the option is set to the literal true. */
  private optionIsTrue(obj: SyntaxNode, key: string): boolean {
    return namedChildren(obj).some((p) => p.type === 'pair' && this.keyName(p) === key && child(p, 'value')?.type === 'true');
  }

  private hasOption(obj: SyntaxNode, key: string): boolean {
    return namedChildren(obj).some((p) => this.keyName(p) === key);
  }

  /** net.connect(port, host, listener) / net.createConnection({ port, noDelay }, listener). */
  private connect(n: SyntaxNode, args: SyntaxNode[], into: Expr | undefined, nameSpan: Span): Expr {
    const span = this.span(n);
    // The options object comes first, or last before the callback (`tls.connect(port, host, options, cb)`).
    const objects = args.filter((a) => a.type === 'object');
    // A path (a string, or `{ path }`) is a Unix-domain socket: no Nagle there.
    const unix = args[0]?.type === 'string' || args[0]?.type === 'template_string' || objects.some((o) => this.hasOption(o, 'path'));
    const call = this.synth('connect', [this.name(unix ? 'AF_UNIX' : 'AF_INET', span), this.name('SOCK_STREAM', span), this.num(0, span)], span, 'node.socket', nameSpan);
    call.id = n.start;
    const target = into ?? this.name(this.temp('sock', n.start, KIND_TYPE.socket), span);
    this.post.push(this.exprStmt(this.synth('connect', [target, ...args.filter((a) => !FUNCTION_NODES.has(a.type)).map((a) => this.unknown(this.span(a)))], span, 'node.connect', nameSpan)));
    if (objects.some((o) => this.optionIsTrue(o, 'noDelay'))) this.post.push(this.exprStmt(this.nodelayCall(target, span)));
    this.deferOnce(args.find((a) => FUNCTION_NODES.has(a.type)), false);
    if (target.k === 'name' && !this.inCallback) this.connecting.add(target.name);
    if (!into) { this.pre.push(this.exprStmt({ k: 'assign', op: '=', target, value: call, span })); return target; }
    return call;
  }

  /** net.createServer([options], connectionListener). */
  private server(n: SyntaxNode, args: SyntaxNode[], into: Expr | undefined, nameSpan: Span): Expr {
    const span = this.span(n);
    const call = this.synth('createServer', [this.name('AF_INET', span), this.name('SOCK_STREAM', span), this.num(0, span)], span, 'node.socket', nameSpan);
    call.id = n.start;
    const opts = args[0]?.type === 'object' ? args[0] : undefined;
    const listener = args.find((a) => a !== opts);
    const target = into ?? this.name(this.temp('server', n.start, KIND_TYPE.server), span);
    this.acceptLoop(target, listener, !!opts && this.optionIsTrue(opts, 'noDelay'), span);
    if (!into) { this.pre.push(this.exprStmt({ k: 'assign', op: '=', target, value: call, span })); return target; }
    return call;
  }

  private call(n: SyntaxNode, into?: Expr): Expr {
    const span = this.span(n);
    const fn = child(n, 'function');
    const args = argumentsOf(n);
    if (!fn) return this.unknown(span);
    const prop = fn.type === 'member_expression' ? child(fn, 'property') : undefined;
    const nameSpan = prop ? this.span(prop) : this.span(fn);
    const generic = (known?: string): CallExpr => {
      const call: CallExpr = { k: 'call', id: n.start, callee: this.expr(fn), args: args.filter((a) => !FUNCTION_NODES.has(a.type)).map((a) => this.expr(a)), span, nameSpan, ...(known ? { known } : {}) };
      // Callbacks given to calls we do not model: their bodies run later, maybe.
      for (const a of args) if (FUNCTION_NODES.has(a.type)) this.deferOnce(a, true);
      return call;
    };

    // `fs.readFile(name, ...)`: a file opened by name.
    const fsCall = this.scopes.fsFunction(fn);
    if (fsCall && Object.hasOwn(NODE_PATH_CALLS, fsCall)) return generic(fsCall);
    const member = this.scopes.netMember(fn);
    if (member && SOCKET_FACTORIES.has(member)) return this.connect(n, args, into, nameSpan);
    if (member && SERVER_FACTORIES.has(member)) return this.server(n, args, into, nameSpan);

    // once(sock, 'drain') / once(sock, 'data') from events.
    if (this.scopes.isEventsOnce(fn) && args[0] && args[1]?.type === 'string') {
      const kind = this.scopes.kindOf(args[0], this.f);
      const event = this.t(args[1]).slice(1, -1);
      if (kind === 'socket' && event === 'data') {
        const buffer = into ?? this.name(this.temp('chunk', n.start, BYTES), span);
        if (into?.k === 'name') this.localTypes.set(into.name, BYTES);
        const recv = this.recvCall(this.expr(args[0]), buffer, span, nameSpan);
        recv.id = n.start;
        if (!into) { this.pre.push(this.exprStmt({ k: 'assign', op: '=', target: buffer, value: recv, span })); return buffer; }
        return recv;
      }
      return generic('node.wait');
    }
    // `await setTimeout(ms)` from timers/promises, under whatever name it was imported as.
    if (this.scopes.isPromiseSleep(fn)) {
      const call = this.synth('setTimeout', args.map((a) => this.expr(a)), span, 'node.sleep', nameSpan);
      call.id = n.start;
      return call;
    }

    if (fn.type === 'identifier' && !this.f.locals.has(this.t(fn)) && !this.scopes.moduleNames.has(this.t(fn))) {
      const name = this.t(fn);
      if (name === 'setInterval' && args[0] && FUNCTION_NODES.has(args[0].type)) {
        // A timer: the body once per tick, paced by the interval.
        const ms = args[1] ? this.expr(args[1]) : this.num(0, span);
        const sleep = this.synth('setInterval', [ms], span, 'node.sleep', nameSpan);
        this.deferred.push({ k: 'loop', kind: 'while', init: [], update: [], body: this.callbackBody(args[0], [this.exprStmt(sleep)]), span: this.span(args[0]) });
        return this.unknown(span);
      }
      if ((name === 'setTimeout' || name === 'setImmediate' || name === 'queueMicrotask') && args[0] && FUNCTION_NODES.has(args[0].type)) {
        this.deferOnce(args[0], false);
        return this.unknown(span);
      }
      if (GLOBAL_PARSERS.has(name)) return generic(name);
    }

    if (fn.type === 'member_expression' && prop) {
      const obj = child(fn, 'object')!;
      const method = this.t(prop);
      const objText = obj.type === 'identifier' ? this.t(obj) : '';
      if (objText === 'JSON' && method === 'parse' && !this.f.locals.has('JSON')) return generic('JSON.parse');
      if (objText === 'process' && method === 'exit') return generic('node.exit');
      if (objText === 'process' && method === 'nextTick' && args[0] && FUNCTION_NODES.has(args[0].type)) { this.deferOnce(args[0], false); return this.unknown(span); }
      const kind = this.scopes.kindOf(obj, this.f);
      if (kind === 'socket') return this.socketMethod(n, obj, method, args, into, nameSpan);
      if (kind === 'server') return this.serverMethod(n, obj, method, args, nameSpan);
      // Text of the same bytes: `chunk.toString()`, `.trim()`.
      if (NODE_TEXT_OF_SAME.has(method)) {
        const base = this.expr(obj);
        return base.k === 'cast' && base.type.name === 'str' ? { ...base, span } : { k: 'cast', type: TEXT, value: base, span };
      }
      // `chunk.readUInt32BE(0)`: a number read at a fixed place of the bytes.
      if (NODE_BUFFER_READS.has(method)) {
        return { k: 'call', id: n.start, callee: this.expr(fn), args: [this.expr(obj), ...args.map((a) => this.expr(a))], span, nameSpan, known: `Buffer.${method}` };
      }
      // `items.forEach((item) => ...)`: the callback once per element, in place.
      if (ELEMENT_CALLBACKS.has(method) && args[0] && FUNCTION_NODES.has(args[0].type)) {
        const p = this.firstParam(args[0]);
        const rangeVar: VarDecl | undefined = p ? { name: this.t(p), nameSpan: this.span(p), type: UNKNOWN_TYPE, span: this.span(p) } : undefined;
        const body = this.callbackBody(args[0]);
        this.pre.push({ k: 'loop', kind: 'range', init: [], update: [], body, rangeVar, rangeOf: this.expr(obj), span: this.span(args[0]) });
        return this.unknown(span);
      }
    }
    return generic();
  }

  private socketMethod(n: SyntaxNode, obj: SyntaxNode, method: string, args: SyntaxNode[], into: Expr | undefined, nameSpan: Span): Expr {
    const span = this.span(n);
    const fn = child(n, 'function')!;
    const sock = this.expr(obj);
    const callee: Expr = { k: 'field', base: sock, field: method, arrow: false, span: this.span(fn), fieldSpan: nameSpan };
    const make = (callArgs: Expr[], known: string): CallExpr => ({ k: 'call', id: n.start, callee, args: callArgs, span, nameSpan, known });
    const callbacks = args.filter((a) => FUNCTION_NODES.has(a.type));
    switch (method) {
      case 'write': {
        const data = args[0] && !FUNCTION_NODES.has(args[0].type) ? this.expr(args[0]) : this.unknown(span);
        for (const cb of callbacks) this.deferOnce(cb, true);
        // Written in a loop while the socket is still connecting: queued, and flushed together on
        // 'connect' (one writev), as MSG_MORE holds a part for the next send.
        const queued = !this.inCallback && this.loopDepth > 0 && sock.k === 'name' && this.connecting.has(sock.name);
        return make([sock, data, this.lengthOf(args[0], data), queued ? this.name('MSG_MORE', span) : this.num(0, span)], 'node.write');
      }
      case 'end': {
        // end(data) writes the data, then the FIN.
        if (args[0] && !FUNCTION_NODES.has(args[0].type)) {
          const data = this.expr(args[0]);
          this.pre.push(this.exprStmt({ k: 'call', id: -(++this.synthetic), callee, args: [sock, data, this.lengthOf(args[0], data), this.num(0, span)], span, nameSpan, known: 'node.write' }));
        }
        for (const cb of callbacks) this.deferOnce(cb, true);
        return make([sock, this.name('SHUT_WR', span)], 'node.shutdown');
      }
      case 'destroy': case 'destroySoon': case 'resetAndDestroy':
        return make([sock], 'node.close');
      case 'setNoDelay': {
        const off = args[0]?.type === 'false';
        return make([sock, this.name('IPPROTO_TCP', nameSpan), this.name('TCP_NODELAY', nameSpan), args[0] && !off && args[0].type !== 'true' ? this.expr(args[0]) : this.num(off ? 0 : 1, span)], 'node.setsockopt');
      }
      case 'cork':
        // Writes are held until uncork() and leave together: batching on purpose.
        return make([sock, this.name('IPPROTO_TCP', nameSpan), this.name('TCP_CORK', nameSpan), this.num(1, span)], 'node.setsockopt');
      case 'setKeepAlive':
        return make([sock, this.name('SOL_SOCKET', nameSpan), this.name('SO_KEEPALIVE', nameSpan), this.num(1, span)], 'node.setsockopt');
      case 'connect': {
        const opts = args[0]?.type === 'object' ? args[0] : undefined;
        const call = make([sock, ...args.filter((a) => !FUNCTION_NODES.has(a.type)).map((a) => this.unknown(this.span(a)))], 'node.connect');
        if (opts && this.optionIsTrue(opts, 'noDelay')) this.post.push(this.exprStmt(this.nodelayCall(sock, span)));
        for (const cb of callbacks) this.deferOnce(cb, false);
        if (sock.k === 'name' && !this.inCallback) this.connecting.add(sock.name);
        return call;
      }
      default:
        break;
    }
    if (LISTENER_METHODS.has(method) && args[0]?.type === 'string') {
      const event = this.t(args[0]).slice(1, -1);
      const listener = args[1];
      if (event === 'data') this.dataLoop(sock, listener, span, nameSpan);
      else if (event === 'drain') {
        // Waiting for the socket's queue to empty before writing more.
        if (listener && FUNCTION_NODES.has(listener.type)) this.deferOnce(listener, true);
        return make([sock], 'node.wait');
      } else if (ONCE_EVENTS.has(event)) this.deferOnce(listener, false);
      else this.deferOnce(listener, true);
      return sock;
    }
    // Any other method: the socket's own, resolved as such (never a send or a receive).
    return { k: 'call', id: n.start, callee, args: args.filter((a) => !FUNCTION_NODES.has(a.type)).map((a) => this.expr(a)), span, nameSpan, known: `net.Socket.${method}` };
  }

  private serverMethod(n: SyntaxNode, obj: SyntaxNode, method: string, args: SyntaxNode[], nameSpan: Span): Expr {
    const span = this.span(n);
    const fn = child(n, 'function')!;
    const server = this.expr(obj);
    const callee: Expr = { k: 'field', base: server, field: method, arrow: false, span: this.span(fn), fieldSpan: nameSpan };
    const make = (callArgs: Expr[], known: string): CallExpr => ({ k: 'call', id: n.start, callee, args: callArgs, span, nameSpan, known });
    if (method === 'listen') {
      for (const cb of args.filter((a) => FUNCTION_NODES.has(a.type))) this.deferOnce(cb, false);
      return make([server], 'node.listen');
    }
    if (method === 'close') return make([server], 'node.close');
    if (LISTENER_METHODS.has(method) && args[0]?.type === 'string') {
      const event = this.t(args[0]).slice(1, -1);
      if (CONNECTION_EVENTS.has(event)) this.acceptLoop(server, args[1], false, span);
      else this.deferOnce(args[1], true);
      return server;
    }
    return { k: 'call', id: n.start, callee, args: args.filter((a) => !FUNCTION_NODES.has(a.type)).map((a) => this.expr(a)), span, nameSpan, known: `net.Server.${method}` };
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
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
    case '`': return '`';
    case 'x': return String.fromCharCode(parseInt(seq.slice(2), 16) || 0);
    case 'u': {
      // \uXXXX or \u{X...}
      const hex = seq[2] === '{' ? seq.slice(3, -1) : seq.slice(2);
      const code = parseInt(hex, 16);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    default: return seq.slice(1);
  }
}
