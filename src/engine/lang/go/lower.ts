// Lowers a Go function or method to the IR. Socket calls are written as the C API's calls with the
// C argument order, marked `known` so nothing else resolves them:
//   conn, err := net.Dial("tcp", addr)   -> conn = socket(AF_INET, SOCK_STREAM, 0); connect(conn);
//                                           setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, 1)  (Go's default)
//   c, err := ln.Accept()                -> c = accept(ln); setsockopt(c, ..., TCP_NODELAY, 1)
//   n, err := conn.Read(buf)             -> n = recv(conn, buf, sizeof buf, 0)
//   conn.Write(b)                        -> send(conn, b, len(b), 0), a send of every byte
//   tcp.SetNoDelay(false)                -> setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, 0)
//   string(buf[:n])                      -> a cast of buf to `string` (the received text)
//   conn.(*net.TCPConn), bufio.NewReader(conn) -> conn (the same connection)
// Go's default TCP_NODELAY is also written at the entry of a function for each connection it is
// given (a parameter, a connection field of its receiver), unless the file turns Nagle back on
// somewhere (see GoScopes.reenablesNagle). `defer` calls run at the end of the body; the body of a
// func literal is lowered where it is written (a goroutine or a callback runs it with the same
// variables in view).
import type { Budget } from '../../budget';
import type { CallExpr, Expr, FunctionIR, NumExpr, Span, Stmt, SwitchCase, TypeRef, VarDecl } from '../../ir/ir';
import { child, childrenOf, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import {
  CONN_METHODS, DIAL_FUNCTIONS, DIALER_METHODS, DURATION_MS, GO_PARSE_CALLS, LISTEN_FUNCTIONS, LISTENER_METHODS, READ_ALL_FUNCTIONS, READER_MAKERS,
  READER_METHODS, TEXT_OF_SAME, WRAP_FUNCTIONS, WRITE_FUNCTIONS, WRITER_FLUSH, WRITER_MAKERS, packageName,
} from './api';
import type { GoFunction, GoScopes } from './scope';

const UNKNOWN_TYPE: TypeRef = { name: '?', ptr: 0 };
const NETWORKS: Record<string, [string, string]> = {
  tcp: ['AF_INET', 'SOCK_STREAM'], tcp4: ['AF_INET', 'SOCK_STREAM'], tcp6: ['AF_INET6', 'SOCK_STREAM'],
  udp: ['AF_INET', 'SOCK_DGRAM'], udp4: ['AF_INET', 'SOCK_DGRAM'], udp6: ['AF_INET6', 'SOCK_DGRAM'], unix: ['AF_UNIX', 'SOCK_STREAM'],
};
/** SetNoDelay & co. as (level, option). */
const OPTION_METHODS: Record<string, [string, string]> = {
  SetNoDelay: ['IPPROTO_TCP', 'TCP_NODELAY'], SetReadBuffer: ['SOL_SOCKET', 'SO_RCVBUF'], SetWriteBuffer: ['SOL_SOCKET', 'SO_SNDBUF'],
  SetKeepAlive: ['SOL_SOCKET', 'SO_KEEPALIVE'],
};

export class GoLowering {
  private post: Stmt[] = [];
  private deferred: Stmt[] = [];
  private synthetic = 0;
  /** Locals holding received text, or fixed-size byte buffers. */
  private localTypes = new Map<string, TypeRef>();

  constructor(private readonly text: string, private readonly scopes: GoScopes, private readonly budget: Budget, private readonly f: GoFunction) {}

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
  /** Go's default on a TCP connection: TCP_NODELAY on (net/tcpsock.go, newTCPConn). */
  private runtimeNodelay(conn: Expr, span: Span): Stmt | undefined {
    if (this.scopes.reenablesNagle) return undefined;
    return this.exprStmt(this.synth('SetNoDelay', [conn, this.name('IPPROTO_TCP', span), this.name('TCP_NODELAY', span), this.num(1, span)], span, 'go.setsockopt'));
  }

  lowerFunction(hasErrors: boolean): FunctionIR {
    const f = this.f;
    const body: Stmt[] = [];
    // The connections this function is given already have Go's TCP_NODELAY, and so do the
    // connection fields of the structs it sees (a field is one location for every value of its
    // struct type, however the connection got into it: a composite literal, a constructor).
    const entry = { start: f.node.start, end: f.node.start };
    for (const p of f.params) {
      if (f.kinds.get(p.name) === 'conn') { const s = this.runtimeNodelay(this.name(p.name, p.span), p.span); if (s) body.push(s); }
    }
    // Package-level connections too.
    for (const [name, kind] of this.scopes.globals) {
      if (kind !== 'conn' || f.locals.has(name) || f.params.some((p) => p.name === name)) continue;
      const s = this.runtimeNodelay(this.name(name, entry), entry);
      if (s) body.push(s);
    }
    for (const [name, st] of f.structs) {
      const at = f.params.find((p) => p.name === name)?.span ?? entry;
      for (const [field, fd] of this.scopes.structs.get(st)?.fields ?? []) {
        if (this.scopes.kindOfType(fd.type) !== 'conn') continue;
        const conn: Expr = { k: 'field', base: this.name(name, at), field, arrow: true, span: at, fieldSpan: at };
        const s = this.runtimeNodelay(conn, at);
        if (s) body.push(s);
      }
    }
    body.push(...this.body(f.body), ...this.deferred);
    const whole = this.span(f.node);
    const nameNode = child(f.node, 'name');
    const locals = [...f.locals].filter((n) => !f.params.some((p) => p.name === n));
    const at = { start: whole.start, end: whole.start };
    const vars: VarDecl[] = locals.map((n) => ({ name: n, nameSpan: at, type: this.typeOfLocal(n), span: at }));
    if (vars.length > 0) body.unshift({ k: 'decl', vars, span: at });
    return {
      name: f.name, qualified: f.qualified, className: f.className,
      params: f.params.map((p) => ({ name: p.name, type: this.typeOfParam(p.name, p.type), span: p.span })),
      returnType: f.results[0] ? this.typeRef(f.results[0]) : UNKNOWN_TYPE, body, span: whole,
      nameSpan: nameNode ? this.span(nameNode) : at, isStatic: false, hasErrors,
    };
  }

  private typeOfLocal(name: string): TypeRef {
    const k = this.f.kinds.get(name);
    if (k) return { name: k, ptr: 0 };
    const s = this.f.structs.get(name);
    if (s) return { name: s, ptr: 1 };
    return this.localTypes.get(name) ?? UNKNOWN_TYPE;
  }

  private typeOfParam(name: string, type: SyntaxNode | undefined): TypeRef {
    const k = this.f.kinds.get(name);
    if (k) return { name: k, ptr: 0 };
    return type ? this.typeRef(type) : UNKNOWN_TYPE;
  }

  /** A declared type as the IR sees it: a kind of net value, a struct of the file, a byte array, a string. */
  typeRef(type: SyntaxNode): TypeRef {
    const k = this.scopes.kindOfType(type);
    if (k) return { name: k, ptr: 0 };
    const s = this.scopes.typeName(type);
    if (s && this.scopes.structs.has(s)) return { name: s, ptr: type.type === 'pointer_type' ? 1 : 0 };
    if (type.type === 'array_type') {
      const len = child(type, 'length'), el = child(type, 'element');
      if (el && this.t(el) === 'byte' && len) return { name: 'char', ptr: 0, dims: [this.expr(len)] };
    }
    // `[]byte`: a pointer to bytes with a length, as a `char *` buffer is to the analysis.
    if (type.type === 'slice_type') {
      const el = child(type, 'element');
      if (el && (this.t(el) === 'byte' || this.t(el) === 'uint8')) return { name: 'char', ptr: 1 };
    }
    if (type.type === 'type_identifier' && this.t(type) === 'string') return { name: 'string', ptr: 0 };
    return { name: this.t(type), ptr: 0 };
  }

  // ---- statements -----------------------------------------------------------------------------

  private body(n: SyntaxNode | undefined): Stmt[] {
    if (!n) return [];
    const list = n.type === 'block' ? namedChildren(n).find((c) => c.type === 'statement_list') : n;
    if (!list) return [];
    return this.block(list.type === 'statement_list' ? namedChildren(list) : [list]);
  }

  private block(nodes: SyntaxNode[]): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) {
      this.budget.tick();
      if (!n.named || n.type === 'comment') continue;
      const saved = this.post;
      this.post = [];
      const lowered = this.stmt(n);
      out.push(...lowered, ...this.post);
      this.post = saved;
    }
    return out;
  }

  private stmt(n: SyntaxNode): Stmt[] {
    const span = this.span(n);
    switch (n.type) {
      case 'expression_statement': {
        const e = namedChildren(n)[0];
        return e ? this.exprStatement(e) : [];
      }
      case 'short_var_declaration': case 'assignment_statement': return this.assignment(n);
      case 'var_declaration': case 'const_declaration': {
        const out: Stmt[] = [];
        // `var ( ... )` holds its specs in a var_spec_list.
        const specs = namedChildren(n).flatMap((c) => (c.type === 'var_spec_list' || c.type === 'const_spec_list' ? namedChildren(c) : [c]));
        for (const spec of specs) {
          if (spec.type !== 'var_spec' && spec.type !== 'const_spec') continue;
          const names = childrenOf(spec, 'name');
          const type = child(spec, 'type');
          const values = childrenOf(spec, 'value').flatMap((v) => (v.type === 'expression_list' ? namedChildren(v) : [v]));
          if (type) {
            const tr = this.typeRef(type);
            if (tr.dims || tr.name === 'string') for (const nm of names) this.localTypes.set(this.t(nm), tr);
          }
          names.forEach((nm, i) => {
            const v = values.length === names.length ? values[i] : i === 0 ? values[0] : undefined;
            if (v) out.push(...this.assign(nm, v, '=', this.span(spec)));
          });
        }
        return out;
      }
      case 'inc_statement': case 'dec_statement': {
        const a = namedChildren(n)[0];
        return a ? [this.exprStmt({ k: 'update', op: n.type === 'inc_statement' ? '++' : '--', arg: this.expr(a), prefix: false, span })] : [];
      }
      case 'return_statement': {
        const list = namedChildren(n)[0];
        const first = list ? (list.type === 'expression_list' ? namedChildren(list)[0] : list) : undefined;
        return [...this.deferred, { k: 'return', value: first ? this.expr(first) : undefined, span }];
      }
      case 'break_statement': return [{ k: 'break', span }];
      case 'continue_statement': return [{ k: 'continue', span }];
      case 'goto_statement': { const l = namedChildren(n)[0]; return [{ k: 'goto', label: l ? this.t(l) : '', span }]; }
      case 'labeled_statement': {
        const inner = namedChildren(n).filter((c) => c.type !== 'label_name');
        return this.block(inner);
      }
      case 'block': return this.body(n);
      case 'if_statement': return this.ifStmt(n);
      case 'for_statement': return this.forStmt(n);
      case 'expression_switch_statement': return this.switchStmt(n);
      case 'type_switch_statement': {
        const cases = namedChildren(n).filter((c) => c.type === 'type_case' || c.type === 'default_case');
        const init = child(n, 'initializer');
        return [...(init ? this.stmt(init) : []), { k: 'alt', branches: cases.map((c) => this.caseBody(c)), span }];
      }
      case 'select_statement': {
        // The goroutine waits on its channels, then runs one case.
        const cases = namedChildren(n).filter((c) => c.type === 'communication_case' || c.type === 'default_case');
        return [this.exprStmt(this.synth('select', [], { start: n.start, end: n.start + 6 }, 'go.wait')), { k: 'alt', branches: cases.map((c) => this.caseBody(c)), span }];
      }
      case 'go_statement': {
        const call = namedChildren(n)[0];
        return call ? this.exprStatement(call) : [];
      }
      case 'defer_statement': {
        const call = namedChildren(n)[0];
        if (call) {
          const saved = this.post;
          this.post = [];
          const lowered = this.exprStatement(call);
          this.deferred.unshift(...lowered, ...this.post);
          this.post = saved;
        }
        return [];
      }
      case 'send_statement': return [this.exprStmt(this.unknown(span, namedChildren(n).map((c) => this.expr(c))))];
      case 'empty_statement': case 'fallthrough_statement': case 'type_declaration': return [];
      default: return [this.exprStmt(this.unknown(span, namedChildren(n).filter((c) => c.type !== 'block').map((c) => this.expr(c))))];
    }
  }

  /** A call as a statement: an immediately called func literal runs its body here. */
  private exprStatement(e: SyntaxNode): Stmt[] {
    if (e.type === 'call_expression') {
      const fn = child(e, 'function');
      if (fn?.type === 'func_literal') return this.inlineLiteral(fn, e);
    }
    return [this.exprStmt(this.expr(e))];
  }

  /** `func(c net.Conn) { ... }(conn)`: the parameters take the arguments, then the body runs. */
  private inlineLiteral(lit: SyntaxNode, call: SyntaxNode | undefined): Stmt[] {
    const params = this.scopes.paramList(child(lit, 'parameters'));
    const args = call && child(call, 'arguments') ? namedChildren(child(call, 'arguments')!) : [];
    const out: Stmt[] = [];
    params.forEach((p, i) => {
      if (args[i] && p.name !== '_') out.push(this.exprStmt({ k: 'assign', op: '=', target: this.name(p.name, p.span), value: this.expr(args[i]), span: p.span }));
      // A callback's connection parameter (`handler := func(c net.Conn) {...}`) is one Go made.
      else if (p.type && this.scopes.kindOfType(p.type) === 'conn') { const s = this.runtimeNodelay(this.name(p.name, p.span), p.span); if (s) out.push(s); }
    });
    const saved = this.deferred;
    this.deferred = [];
    out.push(...this.body(child(lit, 'body')), ...this.deferred);
    this.deferred = saved;
    return out;
  }

  private ifStmt(n: SyntaxNode): Stmt[] {
    const init = child(n, 'initializer');
    const pre = init ? this.stmt(init) : [];
    const cond = child(n, 'condition');
    const c = cond ? this.expr(cond) : this.unknown(this.span(n));
    const condPost = this.post;
    this.post = [];
    const alt = child(n, 'alternative');
    const elseBody = alt ? (alt.type === 'if_statement' ? this.ifStmt(alt) : this.body(alt)) : undefined;
    return [...pre, ...condPost, { k: 'if', cond: c, then: this.body(child(n, 'consequence')), else: elseBody, thenBraced: true, elseBraced: true, span: this.span(n) }];
  }

  private forStmt(n: SyntaxNode): Stmt[] {
    const span = this.span(n);
    const body = this.body(child(n, 'body'));
    const clause = namedChildren(n).find((c) => c.type === 'for_clause' || c.type === 'range_clause');
    if (clause?.type === 'for_clause') {
      const init = child(clause, 'initializer'), cond = child(clause, 'condition'), update = child(clause, 'update');
      const updates = update ? this.stmt(update).flatMap((s) => (s.k === 'expr' ? [s.expr] : [])) : [];
      return [{ k: 'loop', kind: 'for', init: init ? this.stmt(init) : [], cond: cond ? this.expr(cond) : undefined, update: updates, body, span }];
    }
    if (clause?.type === 'range_clause') {
      const left = child(clause, 'left'), right = child(clause, 'right');
      const vars = left ? namedChildren(left).filter((c) => c.type === 'identifier') : [];
      const v = vars[vars.length - 1];
      const rangeVar: VarDecl | undefined = v ? { name: this.t(v), nameSpan: this.span(v), type: UNKNOWN_TYPE, span: this.span(v) } : undefined;
      // `for i := range 10` (Go 1.22): a counted loop.
      const r = right ? this.expr(right) : undefined;
      // Connections taken from a map or slice were made by Go: TCP_NODELAY is on.
      for (const x of vars) {
        if (this.f.kinds.get(this.t(x)) !== 'conn') continue;
        const s = this.runtimeNodelay(this.name(this.t(x), this.span(x)), this.span(x));
        if (s) body.unshift(s);
      }
      if (r?.k === 'num' && vars.length === 1 && v) {
        const iv = this.name(this.t(v), this.span(v));
        return [{
          k: 'loop', kind: 'for', span, body,
          init: [this.exprStmt({ k: 'assign', op: '=', target: iv, value: this.num(0, r.span), span: this.span(v) })],
          cond: { k: 'binary', op: '<', left: iv, right: r, span: r.span },
          update: [{ k: 'update', op: '++', arg: iv, prefix: false, span: this.span(v) }],
        }];
      }
      return [{ k: 'loop', kind: 'range', init: [], update: [], body, rangeVar, rangeOf: r, span }];
    }
    // `for cond { }` or `for { }`.
    const cond = namedChildren(n).find((c) => c.field !== 'body' && c.type !== 'block' && c.type !== 'comment');
    return [{ k: 'loop', kind: 'while', init: [], cond: cond ? this.expr(cond) : undefined, update: [], body, span }];
  }

  private caseBody(c: SyntaxNode): Stmt[] {
    const list = namedChildren(c).find((x) => x.type === 'statement_list');
    return list ? this.block(namedChildren(list)) : [];
  }

  private switchStmt(n: SyntaxNode): Stmt[] {
    const span = this.span(n);
    const init = child(n, 'initializer');
    const pre = init ? this.stmt(init) : [];
    const value = child(n, 'value');
    const cases = namedChildren(n).filter((c) => c.type === 'expression_case' || c.type === 'default_case');
    const labelsOf = (c: SyntaxNode) => {
      const v = child(c, 'value');
      return v ? (v.type === 'expression_list' ? namedChildren(v) : [v]) : [];
    };
    if (!value) {
      // `switch { case a > b: ... }`: an if/else chain.
      const build = (i: number): Stmt[] | undefined => {
        const c = cases[i];
        if (!c) return undefined;
        if (c.type === 'default_case') return this.caseBody(c);
        const conds = labelsOf(c).map((l) => this.expr(l));
        const cond = conds.reduce<Expr | undefined>((a, b) => (a ? { k: 'binary', op: '||', left: a, right: b, span: this.span(c) } : b), undefined) ?? this.unknown(this.span(c));
        return [{ k: 'if', cond, then: this.caseBody(c), else: build(i + 1), thenBraced: true, elseBraced: true, span: this.span(c) }];
      };
      return [...pre, ...(build(0) ?? [])];
    }
    const subject = this.expr(value);
    // `switch msg { case "QUIT": ... }` on text: each case compares it whole, as `msg == "QUIT"` does.
    const swCases: SwitchCase[] = cases.map((c) => ({ labels: labelsOf(c).map((l) => this.expr(l)), isDefault: c.type === 'default_case', body: this.caseBody(c), span: this.span(c) }));
    if (swCases.some((c) => c.labels.some((l) => l.k === 'str'))) {
      const build = (i: number): Stmt[] | undefined => {
        const c = swCases[i];
        if (!c) return swCases.find((x) => x.isDefault)?.body;
        if (c.isDefault) return build(i + 1);
        const conds = c.labels.map((l): Expr => ({ k: 'binary', op: '==', left: subject, right: l, span: l.span }));
        const cond = conds.reduce<Expr | undefined>((a, b) => (a ? { k: 'binary', op: '||', left: a, right: b, span: c.span } : b), undefined) ?? this.unknown(c.span);
        return [{ k: 'if', cond, then: c.body, else: build(i + 1), thenBraced: true, elseBraced: true, span: c.span }];
      };
      return [...pre, ...(build(0) ?? [])];
    }
    return [...pre, { k: 'switch', subject, cases: swCases, span }];
  }

  // ---- assignments ----------------------------------------------------------------------------

  private assignment(n: SyntaxNode): Stmt[] {
    const left = child(n, 'left'), right = child(n, 'right');
    const opNode = child(n, 'operator');
    const op = n.type === 'short_var_declaration' ? '=' : opNode ? this.t(opNode) : (n.children.find((c) => !c.named && c.type.endsWith('='))?.type ?? '=');
    const ls = left ? namedChildren(left) : [], rs = right ? namedChildren(right) : [];
    const span = this.span(n);
    if (ls.length === rs.length) return ls.flatMap((l, i) => this.assign(l, rs[i], op, span));
    // `n, err := conn.Read(buf)`, `conn, err := net.Dial(...)`: the first result is the one that matters.
    const out: Stmt[] = [];
    if (ls[0] && rs[0]) out.push(...this.assign(ls[0], rs[0], op, span));
    for (const l of ls.slice(1)) if (!(l.type === 'identifier' && this.t(l) === '_')) out.push(this.exprStmt({ k: 'assign', op: '=', target: this.expr(l), value: this.unknown(this.span(l)), span }));
    return out;
  }

  private assign(target: SyntaxNode, value: SyntaxNode, op: string, span: Span): Stmt[] {
    if (target.type === 'identifier' && this.t(target) === '_') return [this.exprStmt(this.expr(value))];
    if (value.type === 'func_literal') return [this.exprStmt({ k: 'assign', op, target: this.expr(target), value: this.unknown(this.span(value)), span }), { k: 'if', cond: this.unknown(this.span(value)), then: this.inlineLiteral(value, undefined), thenBraced: true, span: this.span(value) }];
    const t = this.expr(target);
    const v = this.expr(value, t);
    if (target.type === 'identifier') {
      const name = this.t(target);
      if (v.k === 'cast' && v.type.name === 'string') this.localTypes.set(name, v.type);
      const made = this.byteBuffer(value);
      if (made) this.localTypes.set(name, made);
      // A connection from a call the file cannot see into (a pool, a helper): Go made it, so it has TCP_NODELAY.
      if (this.f.kinds.get(name) === 'conn' && value.type === 'call_expression' && !(v.k === 'call' && v.known)) {
        const s = this.runtimeNodelay(t, this.span(value));
        if (s) this.post.push(s);
      }
    }
    return [this.exprStmt({ k: 'assign', op, target: t, value: v, span })];
  }

  /** `make([]byte, 1024)`: a byte buffer of that size. */
  private byteBuffer(value: SyntaxNode): TypeRef | undefined {
    if (value.type !== 'call_expression') return undefined;
    const fn = child(value, 'function');
    const args = child(value, 'arguments');
    const list = args ? namedChildren(args) : [];
    if (fn?.type !== 'identifier' || this.t(fn) !== 'make' || list.length < 2 || list[0].type !== 'slice_type') return undefined;
    const el = child(list[0], 'element');
    if (!el || (this.t(el) !== 'byte' && this.t(el) !== 'uint8')) return undefined;
    return { name: 'char', ptr: 0, dims: [this.expr(list[1])] };
  }

  // ---- expressions ----------------------------------------------------------------------------

  /** `into`: the target the value is assigned to (a connection made here gets its connect and options). */
  expr(n: SyntaxNode, into?: Expr): Expr {
    this.budget.tick();
    const span = this.span(n);
    switch (n.type) {
      case 'identifier': return this.name(this.t(n), span);
      case 'int_literal': {
        const v = Number(this.t(n).split('_').join(''));
        return Number.isFinite(v) ? this.num(v, span) : this.unknown(span);
      }
      case 'float_literal': { const v = Number(this.t(n).split('_').join('')); return Number.isFinite(v) ? this.num(v, span) : this.unknown(span); }
      case 'rune_literal': { const s = this.t(n).slice(1, -1); return this.num(s.startsWith('\\') ? unescape(s).charCodeAt(0) : s.codePointAt(0) ?? 0, span); }
      case 'true': return this.num(1, span);
      case 'false': case 'nil': return this.num(0, span);
      case 'interpreted_string_literal': case 'raw_string_literal': return this.string(n);
      case 'parenthesized_expression': { const x = namedChildren(n)[0]; return x ? this.expr(x, into) : this.unknown(span); }
      case 'selector_expression': {
        const q = this.scopes.qualified(n, this.f);
        if (q) {
          if (q.path === 'time' && DURATION_MS[q.name] !== undefined) return this.num(DURATION_MS[q.name], span);
          return this.name(`${packageName(q.path)}.${q.name}`, span);
        }
        const operand = child(n, 'operand'), field = child(n, 'field');
        if (!operand || !field) return this.unknown(span);
        const base = this.expr(operand);
        return { k: 'field', base, field: this.t(field), arrow: true, span, fieldSpan: this.span(field) };
      }
      case 'index_expression': {
        const operand = child(n, 'operand'), index = child(n, 'index');
        if (!operand || !index) return this.unknown(span);
        return { k: 'index', base: this.expr(operand), index: this.expr(index), span };
      }
      case 'slice_expression': {
        // `buf[:n]` starts where buf does; `buf[sent:]` is the rest of the buffer from `sent` on.
        const operand = child(n, 'operand'), start = child(n, 'start');
        if (!operand) return this.unknown(span);
        const base = this.expr(operand);
        return start ? { k: 'binary', op: '+', left: base, right: this.expr(start), span } : base;
      }
      case 'type_assertion_expression': {
        // `conn.(*net.TCPConn)`: the same value.
        const operand = child(n, 'operand');
        return operand ? this.expr(operand, into) : this.unknown(span);
      }
      case 'type_conversion_expression': {
        const type = child(n, 'type'), operand = child(n, 'operand');
        if (!operand) return this.unknown(span);
        return this.conversion(type ? this.t(type) : '', operand, span);
      }
      case 'unary_expression': {
        const operand = child(n, 'operand'), op = child(n, 'operator');
        if (!operand) return this.unknown(span);
        const o = op ? this.t(op) : n.children.find((c) => !c.named)?.type ?? '?';
        if (o === '<-') return this.unknown(span, [this.expr(operand)]);
        if (o === '+') return this.expr(operand);
        if (o === '&' && operand.type === 'composite_literal') return this.expr(operand, into);
        return { k: 'unary', op: o === '^' ? '~' : o, arg: this.expr(operand), span };
      }
      case 'binary_expression': {
        const l = child(n, 'left'), r = child(n, 'right'), op = child(n, 'operator');
        if (!l || !r) return this.unknown(span);
        const o = op ? this.t(op) : n.children.find((c) => !c.named)?.type ?? '?';
        return { k: 'binary', op: o === '&^' ? '&' : o, left: this.expr(l), right: this.expr(r), span };
      }
      case 'call_expression': return this.call(n, into);
      case 'composite_literal': {
        const body = child(n, 'body');
        const elems = body ? namedChildren(body) : [];
        return { k: 'init', elems: elems.map((e) => this.expr(namedChildren(e).pop() ?? e)), fields: elems.map(() => undefined), span };
      }
      case 'literal_element': case 'keyed_element': { const x = namedChildren(n).pop(); return x ? this.expr(x) : this.unknown(span); }
      case 'func_literal': return this.unknown(span);
      default: return this.unknown(span, namedChildren(n).filter((c) => c.type !== 'comment' && c.type !== 'block').map((c) => this.expr(c)));
    }
  }

  private string(n: SyntaxNode): Expr {
    let value = '';
    for (const c of n.children) {
      if (c.type === 'interpreted_string_literal_content' || c.type === 'raw_string_literal_content') value += this.t(c);
      else if (c.type === 'escape_sequence') value += unescape(this.t(c));
    }
    return { k: 'str', value, length: Buffer.byteLength(value, 'utf8'), span: this.span(n) };
  }

  /** `string(b)`, `[]byte(s)`: text of the same bytes, bytes of the same text. */
  private conversion(type: string, operand: SyntaxNode, span: Span): Expr {
    const v = type === 'string' ? this.wholeBytes(operand) : this.expr(operand);
    if (type === 'string') return v.k === 'cast' && v.type.name === 'string' ? { ...v, span } : { k: 'cast', type: { name: 'string', ptr: 0 }, value: v, span };
    if (type === '[]byte') return v.k === 'str' ? { ...v, span } : { k: 'cast', type: { name: 'bytes', ptr: 0 }, value: v, span };
    return v;
  }

  /**
   * The bytes a slice is cut from: `string(buf[2:n])`, `json.Unmarshal(buf[4:n], &v)` read part of
   * what one Read returned, which is as much one message as the whole of it.
   */
  private wholeBytes(n: SyntaxNode): Expr {
    const operand = n.type === 'slice_expression' ? child(n, 'operand') : undefined;
    return this.expr(operand ?? n);
  }

  /** The byte count of what a write sends: a literal's length, a fixed array's size, else len(x). */
  private lengthOf(data: Expr, node: SyntaxNode | undefined): Expr {
    if (data.k === 'str') return this.num(data.length, data.span);
    if (data.k === 'name' && node?.type === 'slice_expression' && this.localTypes.get(data.name)?.dims) return { k: 'sizeof', arg: data, span: data.span };
    return { k: 'call', id: -(++this.synthetic), callee: this.name('strlen', data.span), args: [data], span: data.span, nameSpan: data.span };
  }

  private call(n: SyntaxNode, into?: Expr): Expr {
    const span = this.span(n);
    const fn = child(n, 'function');
    const argList = child(n, 'arguments');
    const args = argList ? namedChildren(argList).filter((a) => a.type !== 'comment') : [];
    if (!fn) return this.unknown(span);
    const generic = () => args.filter((a) => !isTypeNode(a)).map((a) => this.expr(a));
    const nameSpan = fn.type === 'selector_expression' && child(fn, 'field') ? this.span(child(fn, 'field')!) : this.span(fn);
    const make = (a: Expr[], known?: string, callee?: Expr): CallExpr => ({ k: 'call', id: n.start, callee: callee ?? this.expr(fn), args: a, span, nameSpan, ...(known ? { known } : {}) });

    if (fn.type === 'identifier') {
      const name = this.t(fn);
      const local = this.f.locals.has(name) || this.f.params.some((p) => p.name === name);
      if (!local && !this.scopes.functionNamed(name)) {
        if ((name === 'string' || name === 'len') && args[0]) {
          if (name === 'string') return this.conversion('string', args[0], span);
          return { k: 'call', id: n.start, callee: this.name('strlen', this.span(fn)), args: [this.expr(args[0])], span, nameSpan };
        }
        if (name === 'panic') return make(generic(), 'go.exit');
      }
      return make(generic());
    }
    if (fn.type === 'parenthesized_expression' || fn.type === 'slice_type' || fn.type === 'array_type') {
      // `([]byte)(s)`, `[]byte(s)` parsed as a call.
      const type = fn.type === 'parenthesized_expression' ? namedChildren(fn)[0] : fn;
      if (type && args[0] && (type.type === 'slice_type' || type.type === 'array_type')) return this.conversion(this.t(type), args[0], span);
    }
    if (fn.type !== 'selector_expression') return make(generic());

    const operand = child(fn, 'operand'), field = child(fn, 'field');
    if (!operand || !field) return make(generic());
    const method = this.t(field);
    const q = this.scopes.qualified(fn, this.f);
    if (q) return this.packageCall(n, q.path, q.name, args, into, make, generic);

    const kind = this.scopes.kindOf(operand, this.f);
    const callee: Expr = { k: 'field', base: this.expr(operand), field: method, arrow: true, span: this.span(fn), fieldSpan: nameSpan };
    if (kind === 'conn') {
      const known = CONN_METHODS[method];
      if (known) return this.connMethod(n, this.expr(operand), method, known, args, callee);
    }
    // `w.Write(b)` on a struct that embeds a net.Conn and declares no Write of its own: the promoted method.
    const wrapper = kind ? undefined : this.scopes.structOf(operand, this.f);
    const embedded = wrapper && !this.scopes.hasMethod(wrapper, method) ? this.scopes.embeddedConn(wrapper) : undefined;
    if (embedded && CONN_METHODS[method]) {
      const conn: Expr = { k: 'field', base: this.expr(operand), field: embedded, arrow: true, span: this.span(operand), fieldSpan: this.span(operand) };
      return this.connMethod(n, conn, method, CONN_METHODS[method], args, callee);
    }
    if (kind === 'listener' && LISTENER_METHODS[method]) {
      const call = make([this.expr(operand)], LISTENER_METHODS[method], callee);
      if (method !== 'Close' && into) { const s = this.runtimeNodelay(into, span); if (s) this.post.push(s); }
      return call;
    }
    if (kind === 'dialer' && DIALER_METHODS.has(method)) {
      const network = args[method === 'DialContext' ? 1 : 0];
      return this.made(n, network, into, 'dial', method, nameSpan);
    }
    if (kind === 'reader' && READER_METHODS[method]) {
      const known = READER_METHODS[method];
      const reader = this.expr(operand);
      if (method === 'Read') {
        const buf = args[0] ? this.expr(args[0]) : this.unknown(span);
        return make([reader, buf, this.readLength(buf), this.num(0, span)], known, callee);
      }
      // Whole units: a line, a token, a decoded value (into the target, or the argument).
      const buf = method === 'Decode' && args[0] ? this.expr(args[0]) : into ?? this.unknown(span);
      return make([reader, buf, this.unknown(span), this.num(0, span)], known, callee);
    }
    if (kind === 'writer' && method === WRITER_FLUSH) {
      return make([this.expr(operand), this.unknown(span), this.unknown(span), this.num(0, span)], 'go.write', callee);
    }
    // `(&net.Dialer{...}).Dial("tcp", addr)`
    if (DIALER_METHODS.has(method) && this.scopes.kindOf(operand, this.f) === undefined && operand.type === 'parenthesized_expression' && this.scopes.kindOf(namedChildren(operand)[0], this.f) === 'dialer') {
      return this.made(n, args[method === 'DialContext' ? 1 : 0], into, 'dial', method, nameSpan);
    }
    // `binary.BigEndian.Uint32(buf)`: a function of a package variable.
    const inner = operand.type === 'selector_expression' ? this.scopes.qualified(operand, this.f) : undefined;
    if (inner) {
      const known = `${packageName(inner.path)}.${inner.name}.${method}`;
      return make(GO_PARSE_CALLS.has(known) ? args.map((a) => this.wholeBytes(a)) : generic(), known);
    }
    return make(generic(), undefined, callee);
  }

  private packageCall(n: SyntaxNode, path: string, name: string, args: SyntaxNode[], into: Expr | undefined,
    make: (a: Expr[], known?: string, callee?: Expr) => CallExpr, generic: () => Expr[]): Expr {
    const span = this.span(n);
    const fn = child(n, 'function')!;
    const nameSpan = this.span(child(fn, 'field')!);
    const short = `${packageName(path)}.${name}`;
    if (DIAL_FUNCTIONS[path]?.has(name)) return this.made(n, args[0], into, 'dial', name, nameSpan);
    if (LISTEN_FUNCTIONS[path]?.has(name)) return this.made(n, args[0], into, 'listen', name, nameSpan);
    // The same connection, wrapped: TLS over it, a bufio reader or writer on it, a decoder reading it.
    if ((WRAP_FUNCTIONS[path]?.has(name) || READER_MAKERS[path]?.has(name) || WRITER_MAKERS[path]?.has(name)) && args[0]) {
      const k = this.scopes.kindOf(args[0], this.f);
      if (k === 'conn' || k === 'reader' || k === 'writer') return this.expr(args[0]);
    }
    if (READ_ALL_FUNCTIONS[path]?.has(name) && args[0]) {
      const k = this.scopes.kindOf(args[0], this.f);
      if (k === 'conn' || k === 'reader') {
        // io.ReadFull(conn, buf), binary.Read(conn, order, &v), io.ReadAll(conn) (into the target).
        const bufNode = name === 'ReadAll' ? undefined : name === 'Read' ? args[2] : args[1];
        const buf = bufNode ? this.expr(bufNode) : into ?? this.unknown(span);
        return make([this.expr(args[0]), buf, bufNode ? this.readLength(buf) : this.unknown(span), this.num(0, span)], 'go.read.all', this.name(name, nameSpan));
      }
    }
    if (WRITE_FUNCTIONS[path]?.has(name) && args[0]) {
      const k = this.scopes.kindOf(args[0], this.f);
      if (k === 'conn' || k === 'writer') {
        if (k === 'writer') return make(generic(), short); // buffered: sent at Flush
        const data = path === 'io' && name === 'WriteString' && args[1] ? this.expr(args[1]) : this.unknown(span, args.slice(1).map((a) => this.expr(a)));
        return make([this.expr(args[0]), data, data.k === 'unknown' ? this.unknown(span) : this.lengthOf(data, args[1]), this.num(0, span)], 'go.write', this.name(name, nameSpan));
      }
    }
    if (path === 'time' && name === 'Sleep') return make(generic(), 'go.sleep', this.name('Sleep', nameSpan));
    if ((path === 'os' && name === 'Exit') || (path === 'log' && (name.startsWith('Fatal') || name.startsWith('Panic')))) return make(generic(), 'go.exit');
    if (path === 'fmt' && (name === 'Scan' || name === 'Scanln' || name === 'Scanf')) return make(generic(), 'go.input');
    if (TEXT_OF_SAME[path]?.has(name) && args[0]) {
      const v = this.expr(args[0]);
      return v.k === 'cast' && v.type.name === 'string' ? { ...v, span } : { k: 'cast', type: { name: 'string', ptr: 0 }, value: v, span };
    }
    // A parse of the bytes: a slice of them is still the bytes one Read returned.
    if (GO_PARSE_CALLS.has(short)) return make(args.filter((a) => !isTypeNode(a)).map((a) => this.wholeBytes(a)), short);
    return make(generic(), short);
  }

  /**
   * A connection or listener made here (`net.Dial`, `d.DialContext`, `net.Listen`): a socket, then
   * the connect (or bind and listen) and Go's TCP_NODELAY on what it is assigned to.
   */
  private made(n: SyntaxNode, networkNode: SyntaxNode | undefined, into: Expr | undefined, what: 'dial' | 'listen', written: string, nameSpan: Span): Expr {
    const span = this.span(n);
    const network = networkNode?.type === 'interpreted_string_literal' || networkNode?.type === 'raw_string_literal' ? this.string(networkNode) : undefined;
    const known = written === 'DialTCP' || written === 'ListenTCP' ? ['AF_INET', 'SOCK_STREAM'] : network?.k === 'str' ? NETWORKS[network.value] : undefined;
    const args = [this.name(known?.[0] ?? '?', span), this.name(known?.[1] ?? '?', span), this.num(0, span)];
    // Arguments are walked for calls (`net.JoinHostPort(...)`, a context).
    const argList = child(n, 'arguments');
    for (const a of argList ? namedChildren(argList) : []) if (a !== networkNode) args.push(this.expr(a));
    const call: CallExpr = { k: 'call', id: n.start, callee: this.name(written, nameSpan), args, span, nameSpan, known: 'go.socket' };
    if (into) {
      if (what === 'dial') {
        this.post.push(this.exprStmt(this.synth(written, [into], nameSpan, 'go.connect')));
        const tcp = known?.[1] === 'SOCK_STREAM' && known[0] !== 'AF_UNIX';
        const s = tcp || !known ? this.runtimeNodelay(into, nameSpan) : undefined;
        if (s) this.post.push(s);
      } else {
        this.post.push(this.exprStmt(this.synth(written, [into], nameSpan, 'go.bind')));
        this.post.push(this.exprStmt(this.synth(written, [into], nameSpan, 'go.listen')));
      }
    }
    return call;
  }

  /** Read's length is the buffer's: a fixed array or a make([]byte, N) has a known size. */
  private readLength(buf: Expr): Expr {
    if (buf.k === 'name' && this.localTypes.get(buf.name)?.dims) return { k: 'sizeof', arg: buf, span: buf.span };
    return { k: 'call', id: -(++this.synthetic), callee: this.name('len', buf.span), args: [buf], span: buf.span, nameSpan: buf.span };
  }

  private connMethod(n: SyntaxNode, conn: Expr, method: string, known: string, args: SyntaxNode[], callee: Expr): Expr {
    const span = this.span(n);
    const nameSpan = callee.k === 'field' ? callee.fieldSpan : span;
    const make = (a: Expr[]): CallExpr => ({ k: 'call', id: n.start, callee, args: a, span, nameSpan, known });
    switch (method) {
      case 'Write': {
        const data = args[0] ? this.expr(args[0]) : this.unknown(span);
        return make([conn, data, this.lengthOf(data, args[0]), this.num(0, span)]);
      }
      case 'ReadFrom': return make([conn, this.unknown(span), this.unknown(span), this.num(0, span)]);
      case 'Read': {
        const buf = args[0] ? this.expr(args[0]) : this.unknown(span);
        return make([conn, buf, this.readLength(buf), this.num(0, span)]);
      }
      default: {
        const opt = OPTION_METHODS[method];
        if (opt) return make([conn, this.name(opt[0], nameSpan), this.name(opt[1], nameSpan), args[0] ? this.expr(args[0]) : this.unknown(span)]);
        return make([conn]);
      }
    }
  }
}

/** Type arguments in a call (`make([]byte, n)`, `new(T)`) are not values. */
function isTypeNode(n: SyntaxNode): boolean {
  return n.type.endsWith('_type') || n.type === 'type_identifier' || n.type === 'qualified_type';
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
