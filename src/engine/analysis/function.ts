// One function's facts: its socket operations (API calls, and calls of functions of the program that
// act on a socket), the sockets it creates, how socket values flow between its locations, what it
// does to each location, and its summary for callers.
import type { CallExpr, Expr, Span, Stmt, TypeRef } from '../ir/ir';
import { forEachExpr, forEachStmt, stmtExprs, stripCasts } from '../ir/walk';
import { FAILURE_NAMES, OPTION_NAMES, isWouldBlockName, type ApiCall } from '../lang/c/api';
import { BufferAnalyzer } from './buffers';
import { registeredCallback, threadConstruction, type CallbackCall } from './callbacks';
import type { Cfg } from './cfg';
import type { FunctionScope, LocKey } from './calls';
import { ContextBuilder, readsConsole, unwrapped } from './context';
import type { Creation, Effect, Fact, Flow, OpFact, Where } from './facts';
import { ResultAnalyzer } from './results';
import { emptySummary, type ParamEffect, type Summary } from './summary';
import { elementType } from './types';
import { isExact, type Evaluator, type MaybeValue } from './values';

/** Calls that return two descriptors in the array they are given. */
const PIPE_CALLS = new Set(['pipe', 'pipe2', '_pipe']);

export interface FunctionFacts {
  ops: OpFact[];
  creations: Creation[];
  flows: Flow[];
  effects: Effect[];
  /** Calls of functions of the program, with the locations of their arguments. */
  /** `afterReadiness`: the call runs only once select/poll said some socket is ready (a dispatch loop). */
  callSites: { callee: import('./program').FnRef; call: CallExpr; node: number; argLocs: (LocKey | undefined)[]; afterReadiness?: boolean }[];
  /** Fields and globals whose values this function compares (a send count stored there is checked). */
  comparedLocs: Set<LocKey>;
  summary: Summary;
}

const CONTAINER_ADDS = new Set(['push_back', 'emplace_back', 'push', 'push_front', 'emplace_front', 'insert', 'emplace', 'add', 'append', 'Add', 'Insert', 'PushBack']);

export class FunctionAnalyzer {
  private facts: FunctionFacts = { ops: [], creations: [], flows: [], effects: [], callSites: [], comparedLocs: new Set(), summary: emptySummary() };
  private ctx: ContextBuilder;
  private results: ResultAnalyzer;
  private buffers: BufferAnalyzer;
  private text: string;

  constructor(
    private scope: FunctionScope,
    private cfg: Cfg,
    private ev: Evaluator,
    /**
     * A callee's summary. `demand`: analyse the callee now if it was not chosen for analysis (its
     * summary matters here: a wait in a loop, a close in an error path, a buffer handed to it).
     */
    private summaryOfRef: (ref: import('./program').FnRef, demand?: boolean) => Summary | undefined,
    /** How deep in a chain of on-demand analyses this one is (0: chosen for analysis). */
    private demandDepth = 0,
  ) {
    this.text = scope.program.files[scope.fileIndex].text;
    const summaryOf = (call: CallExpr) => {
      const c = this.scope.resolve(call);
      return c.k === 'fn' ? this.summaryOfRef(c.ref, true) : undefined;
    };
    this.ctx = new ContextBuilder(scope, cfg, ev, this.text, summaryOf);
    this.results = new ResultAnalyzer(scope, cfg, ev, summaryOf);
    this.buffers = new BufferAnalyzer(scope, cfg, ev, summaryOf);
    this.inferAutoTypes();
  }

  private where(span: Span): Where { return { file: this.scope.fileIndex, span }; }
  private fact(via: string, span: Span): Fact { return { via, at: this.where(span) }; }

  run(): FunctionFacts {
    const { cfg } = this;
    for (const node of cfg.nodes) {
      for (const call of node.calls) {
        this.scope.program.budget.tick();
        this.visitCall(call as CallExpr, node.id);
      }
    }
    this.collectFlows();
    this.summarise();
    return this.facts;
  }

  /** `auto c = accept(...)`, `for (auto &s : socks)`: the type the initializer gives. */
  private inferAutoTypes(): void {
    forEachStmt(this.cfg.fn.body, (s) => {
      if (s.k === 'decl') {
        for (const v of s.vars) {
          if (v.type.name === 'auto' && v.init) {
            const t = this.scope.typeOf(v.init);
            if (t) this.cfg.localTypes.set(v.name, { ...t, ptr: t.ptr + v.type.ptr });
          }
        }
      }
      if (s.k === 'loop' && s.rangeVar && s.rangeOf && s.rangeVar.type.name === 'auto') {
        const t = elementType(this.scope.typeOf(s.rangeOf));
        if (t) this.cfg.localTypes.set(s.rangeVar.name, { ...t, ptr: t.ptr + s.rangeVar.type.ptr });
      }
    });
  }

  // ---- calls ---------------------------------------------------------------------------------

  private visitCall(call: CallExpr, node: number): void {
    const callee = this.scope.resolve(call);
    if (callee.k === 'api') return this.apiCall(call, node, callee.name, callee.api);
    if (callee.k === 'fn') return this.fnCall(call, node, callee.ref);
    const cb = registeredCallback(call, callee.name);
    if (cb) this.callbackCall(call, node, cb);
    if (callee.k === 'member' || callee.k === 'external') {
      // `socks.push_back(s)`: the container now holds the socket.
      if (call.callee.k === 'field' && CONTAINER_ADDS.has(call.callee.field)) {
        const container = this.scope.loc(call.callee.base);
        const last = call.args[call.args.length - 1];
        const from = last ? this.valueLoc(last) : undefined;
        if (container && from) this.facts.flows.push({ from, to: `e:${container}`, kind: 'element' });
      }
    }
  }

  private apiCall(call: CallExpr, node: number, name: string, api: ApiCall): void {
    const arg = (i: number | undefined) => (i === undefined ? undefined : call.args[i]);
    const sockExpr = arg(api.socket);
    const loc = sockExpr ? this.scope.loc(sockExpr) : undefined;
    const effect = (kind: Effect['kind'], option?: Effect['option']) => {
      if (loc) this.facts.effects.push({ kind, loc, node, call, origin: this.fact(name, call.span), option });
    };
    switch (api.kind) {
      case 'file':
        // `fd = open(path, ...)`: a file descriptor; the ops on it are not on a socket.
        this.creation(call, node, name, api);
        return;
      case 'socket': case 'socketpair': case 'accept': {
        this.creation(call, node, name, api);
        const op = this.op(call, node, api.kind === 'accept' ? 'accept' : 'socket', name, api);
        if (api.kind === 'accept' && loc) effect('accept-from');
        this.facts.ops.push(op);
        return;
      }
      case 'connect': effect('connect'); this.facts.ops.push(this.op(call, node, 'connect', name, api)); return;
      case 'listen': effect('listen'); this.facts.ops.push(this.op(call, node, 'listen', name, api)); return;
      case 'bind': effect('bind'); this.facts.ops.push(this.op(call, node, 'bind', name, api)); return;
      case 'send': case 'recv': case 'sendto': case 'recvfrom': case 'sendmsg': case 'recvmsg': {
        const kind = api.kind === 'sendmsg' ? 'send' : api.kind === 'recvmsg' ? 'recv' : api.kind;
        const op = this.op(call, node, kind, name, api);
        this.transfer(op, call, api);
        if (kind === 'send' || kind === 'recv') effect(kind);
        if (op.overlappedArg && loc) this.facts.effects.push({ kind: 'overlapped', loc, node, call, origin: this.fact(`${name} with an OVERLAPPED`, call.span) });
        this.facts.ops.push(op);
        return;
      }
      case 'setsockopt': {
        const op = this.op(call, node, 'setsockopt', name, api);
        const level = arg(1), opt = arg(2), valArg = arg(3);
        const optName = opt ? this.optionName(opt) : '';
        const valueNode = valArg ? pointee(valArg) : undefined;
        const value = valueNode ? this.ev.value(valueNode) : undefined;
        const valueText = valueNode ? this.scope.textOf(valueNode) : '';
        op.option = { level: level ? this.scope.textOf(level) : '', name: optName, value, valueText, valueDecl: valueNode ? this.declOnlyFor(valueNode, call) : undefined };
        op.length = { text: valueText, value };
        this.fillResult(op, call);
        if (OPTION_NAMES.has(optName)) effect('setsockopt', { name: optName, value, valueText });
        this.facts.ops.push(op);
        return;
      }
      case 'ioctl': case 'fcntl': {
        const mode = this.modeChange(name, call);
        if (mode === undefined) {
          // `ioctlsocket(s, FIONBIO, isBlocking ? &zero : &one)` in SetBlocking(bool): each call decides.
          const arg = call.args[2];
          if (arg && namesIn(call.args[1] ?? arg).has('FIONBIO') && loc) {
            this.facts.effects.push({ kind: 'nonblock-param', loc, node, call, origin: this.fact(name, call.span), mode: { expr: arg, ev: this.ev } });
          }
          return;
        }
        // `if (nonblocking) fcntl(fd, F_SETFL, ... | O_NONBLOCK)`: the caller's argument decides.
        const guard = mode && loc ? this.parameterGuard(call) : undefined;
        if (guard) this.facts.effects.push({ kind: 'nonblock-param', loc: loc!, node, call, origin: this.fact(name, call.span), mode: { expr: guard, ev: this.ev, guard: true } });
        else effect(mode ? 'nonblock-on' : 'nonblock-off');
        const op = this.op(call, node, 'nonblock', name, api);
        this.facts.ops.push(op);
        return;
      }
      case 'eventselect': {
        const mask = arg(name === 'WSAAsyncSelect' ? 3 : 2);
        const v = mask ? this.ev.value(mask) : undefined;
        // WSAEventSelect(s, NULL, 0) cancels the events but leaves the socket non-blocking.
        if (!(isExact(v) && v.lo === 0)) effect('eventselect');
        this.facts.ops.push(this.op(call, node, 'eventselect', name, api));
        return;
      }
      case 'iocp': {
        if (!sockExpr || isNullish(sockExpr, this.ev) || (sockExpr.k === 'name' && sockExpr.name === 'INVALID_HANDLE_VALUE')) return;
        effect('overlapped');
        this.facts.ops.push(this.op(call, node, 'iocp', name, api));
        return;
      }
      case 'close': case 'shutdown':
        effect('close');
        this.facts.ops.push(this.op(call, node, api.kind, name, api));
        return;
      default: return;
    }
  }

  /** FIONBIO with a non-zero value, F_SETFL with O_NONBLOCK: true; back to blocking: false; else undefined. */
  private modeChange(name: string, call: CallExpr): boolean | undefined {
    const cmd = call.args[1];
    const arg = call.args[2];
    if (!cmd) return undefined;
    const cmdNames = namesIn(cmd);
    if (cmdNames.has('FIONBIO')) {
      const v = arg ? this.ev.value(pointee(arg)) : undefined;
      if (isExact(v)) return v.lo !== 0;
      // A mode we cannot evaluate (a parameter, `u_long mode = this->nonBlocking`) could be either.
      return undefined;
    }
    if (name === 'fcntl' && (cmdNames.has('F_SETFL') || cmdNames.has('F_SETFD'))) {
      if (!arg || !cmdNames.has('F_SETFL')) return undefined;
      // `flags | O_NONBLOCK` turns it on; `flags & ~O_NONBLOCK` (or 0) turns it off.
      const direct = this.flagsMode(arg, undefined);
      if (direct !== undefined) return direct;
      // `flags |= O_NONBLOCK; fcntl(fd, F_SETFL, flags)`: what the definitions reaching `flags` did.
      const a = unwrapped(arg);
      if (a.k === 'name' && this.cfg.locals.has(a.name)) {
        const node = this.cfg.nodeOf(a);
        const defs = node === undefined ? [] : this.cfg.reachingDefs(a.name, node, a);
        const modes = defs.map((d) => (d.value ? this.flagsMode(d.value, d.op) : undefined));
        if (modes.length > 0 && modes.every((m) => m === true)) return true;
        if (modes.length > 0 && modes.every((m) => m === false)) return false;
      }
      const v = this.ev.value(arg);
      return isExact(v) && v.lo === 0 ? false : undefined;
    }
    return undefined;
  }

  /** What a definition of a flags variable does to O_NONBLOCK: `|= O_NONBLOCK` on, `&= ~O_NONBLOCK` off. */
  private flagsMode(value: Expr, op: string | undefined): boolean | undefined {
    let on = false, off = false;
    forEachExpr([value], (x) => {
      if (x.k === 'unary' && x.op === '~' && namesIn(x.arg).has('O_NONBLOCK')) { off = true; return false; }
      if (x.k === 'name' && (x.name === 'O_NONBLOCK' || x.name === 'O_NDELAY' || x.name === 'FNDELAY')) on = true;
      return undefined;
    });
    if (off && (op === undefined || op === '&=' || op === '=')) return false;
    if (on && (op === undefined || op === '|=' || op === '=')) return true;
    return undefined;
  }

  /**
   * Some return hands back a constant other than 0 or -1 (`return TCPSOCKET_COMPLETE;`, or `rc` last
   * set to one): the function reports a status, not the count its send returned on the way.
   */
  private returnsStatusCodes(): boolean {
    const isStatus = (v: MaybeValue) => isExact(v) && v.lo !== 0 && v.lo !== -1;
    let found = false;
    forEachStmt(this.cfg.fn.body, (st) => {
      if (found || st.k !== 'return' || !st.value) return;
      const x = unwrapped(st.value);
      if (isStatus(this.ev.value(x))) { found = true; return; }
      if (x.k !== 'name' || !this.cfg.locals.has(x.name)) return;
      const node = this.cfg.nodeOf(x);
      const defs = node === undefined ? [] : this.cfg.reachingDefs(x.name, node, x);
      if (defs.some((d) => d.value !== undefined && d.op === undefined && isStatus(this.ev.value(d.value)))) found = true;
    });
    return found;
  }

  /**
   * The parameter an expression is reached from through fields, elements, dereferences and calls of
   * the program's functions on it: `conn->fd`, `us_poll_fd(&s->p)`, `ctx->socks[i]`.
   */
  private rootParam(e: Expr, depth: number): number | undefined {
    if (depth > 8) return undefined;
    const x = stripCasts(e);
    switch (x.k) {
      case 'name': return x.qualifier === undefined ? this.scope.paramOf(x.name) : undefined;
      case 'field': return this.rootParam(x.base, depth + 1);
      case 'index': return this.rootParam(x.base, depth + 1);
      case 'unary': return x.op === '*' || x.op === '&' ? this.rootParam(x.arg, depth + 1) : undefined;
      case 'call': return x.args[0] && this.scope.resolve(x).k === 'fn' ? this.rootParam(x.args[0], depth + 1) : undefined;
      default: return undefined;
    }
  }

  /** -1, 0, SOCKET_ERROR, INVALID_SOCKET: what a count is compared with to find a failure. */
  private isErrorValue(e: Expr): boolean {
    const x = unwrapped(e);
    if (x.k === 'name' && FAILURE_NAMES.has(x.name)) return true;
    const v = this.ev.value(x);
    return isExact(v) && (v.lo === -1 || v.lo === 0);
  }

  private optionName(e: Expr): string {
    const x = unwrapped(e);
    if (x.k === 'name') return x.name;
    return this.scope.textOf(x);
  }

  private creation(call: CallExpr, node: number, name: string, api: ApiCall): void {
    const key = `s:${this.scope.fileIndex}:${call.id}`;
    const target = this.valueTarget(call);
    const c: Creation = {
      key, kind: api.kind === 'accept' ? 'accept' : api.kind === 'socketpair' ? 'socketpair' : api.kind === 'file' ? 'file' : 'socket',
      at: this.where(call.span), transport: 'unknown', display: target ? target.text : name, fnKey: this.scope.fnKey,
    };
    const args = call.args;
    if (api.kind === 'socket') {
      const domain = args[0] ? this.namesOfValue(args[0]) : new Set<string>();
      const type = args[1] ? this.namesOfValue(args[1]) : new Set<string>();
      const proto = args[2] ? this.namesOfValue(args[2]) : new Set<string>();
      if (domain.has('AF_UNIX') || domain.has('AF_LOCAL') || domain.has('PF_UNIX') || domain.has('PF_LOCAL')) c.transport = 'unix';
      else if (type.has('SOCK_DGRAM') || type.has('SOCK_RAW') || proto.has('IPPROTO_UDP') || proto.has('IPPROTO_ICMP')) c.transport = 'udp';
      else if (type.has('SOCK_STREAM') || proto.has('IPPROTO_TCP')) c.transport = (domain.size === 0 || domain.has('AF_INET') || domain.has('AF_INET6') || domain.has('PF_INET') || domain.has('PF_INET6') || domain.has('AF_UNSPEC')) ? 'tcp' : 'stream';
      if (type.has('SOCK_NONBLOCK')) c.nonBlocking = this.fact('SOCK_NONBLOCK', args[1]!.span);
      if (name.startsWith('WSASocket') && args[5] && namesIn(args[5]).has('WSA_FLAG_OVERLAPPED')) c.overlapped = this.fact('WSA_FLAG_OVERLAPPED', args[5].span);
    } else if (api.kind === 'socketpair') {
      c.transport = 'unix';
    } else if (api.kind === 'file') {
      c.transport = 'file';
    } else {
      c.transport = 'stream';
      if (api.socket !== undefined && args[0]) c.listener = this.scope.loc(args[0]);
      if (name === 'accept4' && args[3] && namesIn(args[3]).has('SOCK_NONBLOCK')) c.nonBlocking = this.fact('SOCK_NONBLOCK', args[3].span);
    }
    const ctx = this.ctx.of(call);
    if (ctx.statement) {
      c.statement = ctx.statement.span;
      c.errorCheck = this.creationCheck(ctx.statement.stmt, target?.name);
    }
    this.facts.creations.push(c);
    if (name === 'AcceptEx' && args[1]) {
      // AcceptEx(listen, accept, ...): the accept socket, created before, becomes the connection.
      const acc = this.scope.loc(args[1]);
      if (acc) this.facts.flows.push({ from: key, to: acc, kind: 'assign' });
      return;
    }
    // socketpair(d, t, p, sv) and pipe(fds) fill an array of two descriptors.
    const pair = api.kind === 'socketpair' ? args[3] : PIPE_CALLS.has(name) ? args[0] : undefined;
    if (pair !== undefined || api.kind === 'socketpair') {
      const sv = pair ? this.scope.loc(pointee(pair)) : undefined;
      if (sv) this.facts.flows.push({ from: key, to: sv.startsWith('e:') ? sv : `e:${sv}`, kind: 'element' });
      return;
    }
    if (target?.loc) this.facts.flows.push({ from: key, to: target.loc, kind: 'assign' });
  }

  /**
   * The identifiers a value is made of, looking through locals (their reaching definitions) and
   * globals (their initializers): `int type = SOCK_DGRAM; socket(AF_INET, type, 0)`.
   */
  private namesOfValue(e: Expr, depth = 0): Set<string> {
    const out = new Set<string>();
    forEachExpr([e], (x) => {
      // `socket(rp->ai_family, rp->ai_socktype, ...)` over getaddrinfo's results: what the hints asked for.
      if (x.k === 'field' && ADDRINFO_FIELDS.has(x.field)) {
        for (const n of this.addrinfoHint(x.field)) out.add(n);
        return false;
      }
      if (x.k !== 'name') return;
      if (depth < 4 && x.qualifier === undefined && this.cfg.locals.has(x.name)) {
        const node = this.cfg.nodeOf(x);
        const defs = node === undefined ? [] : this.cfg.reachingDefs(x.name, node, x);
        if (defs.length > 0 && defs.every((d) => d.value)) {
          for (const d of defs) for (const n of this.namesOfValue(d.value!, depth + 1)) out.add(n);
          return;
        }
      }
      const g = depth < 4 ? this.scope.program.global(x.name, this.scope.fileIndex) : undefined;
      if (g?.init) { for (const n of this.namesOfValue(g.init, depth + 1)) out.add(n); return; }
      out.add(x.name);
    });
    return out;
  }

  /**
   * The names assigned to `hints.<field>` for a getaddrinfo call of this function: getaddrinfo only
   * returns addresses of the socket type, family and protocol the hints ask for.
   */
  private addrinfoHint(field: string): Set<string> {
    const out = new Set<string>();
    const hints = new Set<string>();
    forEachStmt(this.cfg.fn.body, (st) => forEachExpr(stmtExprs(st), (x) => {
      if (x.k === 'call' && x.callee.k === 'name' && GETADDRINFO_CALLS.has(x.callee.name) && x.args[2]) {
        const h = pointee(x.args[2]);
        if (h.k === 'name') hints.add(h.name);
      }
    }));
    if (hints.size === 0) return out;
    forEachStmt(this.cfg.fn.body, (st) => forEachExpr(stmtExprs(st), (x) => {
      if (x.k !== 'assign' || x.op !== '=' || x.target.k !== 'field' || x.target.field !== field) return;
      const base = stripCasts(x.target.base);
      if (base.k === 'name' && hints.has(base.name)) for (const n of namesIn(x.value)) out.add(n);
    }));
    return out;
  }

  /** `if (s == INVALID_SOCKET) {...}` right after the creating statement: fixes go after it. */
  private creationCheck(stmt: Stmt, name: string | undefined): Span | undefined {
    if (!name) return undefined;
    const parent = this.cfg.stmtParents.get(stmt);
    const list = parent ? blockList(parent, stmt) : this.cfg.fn.body;
    if (!list) return undefined;
    const i = list.indexOf(stmt);
    const next = list[i + 1];
    if (next && next.k === 'if' && this.checksFailure(next.cond, name)) return next.span;
    // `if ((s = socket(...)) == INVALID_SOCKET)`: the statement is the check itself.
    if (stmt.k === 'if') return stmt.span;
    return undefined;
  }

  /** The condition compares `name` with a failure value (INVALID_SOCKET, -1, `< 0`). */
  private checksFailure(cond: Expr, name: string): boolean {
    let found = false;
    forEachExpr([cond], (x) => {
      if (x.k !== 'binary' || !['==', '!=', '<', '<=', '>', '>='].includes(x.op)) return;
      const [a, b] = [unwrapped(x.left), unwrapped(x.right)];
      const isName = (e: Expr) => e.k === 'name' && e.name === name;
      const isFailure = (e: Expr) => (e.k === 'name' && (e.name === 'INVALID_SOCKET' || e.name === 'SOCKET_ERROR')) || (() => { const v = this.ev.value(e); return isExact(v) && (v.lo === -1 || v.lo === 0); })();
      if ((isName(a) && isFailure(b)) || (isName(b) && isFailure(a))) found = true;
    });
    return found;
  }

  /** A function of the program handed to a thread or event API: treated as called here with those arguments. */
  private callbackCall(call: CallExpr, node: number, cb: CallbackCall): void {
    if (cb.fn.k !== 'name') return;
    const ref = this.scope.program.resolve(cb.fn.name, this.scope.fileIndex);
    if (!ref) return;
    const argLocs: (LocKey | undefined)[] = [];
    for (const a of cb.args) {
      // `pthread_create(&t, NULL, fn, &sock)`: the thread reads the socket back with `*(int *)arg`.
      const from = stripCasts(a.from);
      argLocs[a.param] = from.k === 'unary' && from.op === '&' ? this.scope.loc(from.arg) : this.valueLoc(a.from);
    }
    this.facts.callSites.push({ callee: ref, call, node, argLocs });
    argLocs.forEach((from, i) => { if (from) this.facts.flows.push({ from, to: `p:${ref.key}:${i}`, kind: 'arg' }); });
  }

  /** The test of the innermost `if` whose then-branch holds the call, when that test reads a parameter only. */
  private parameterGuard(call: CallExpr): Expr | undefined {
    const stmts = this.cfg.enclosingStmts(call);
    for (let i = 1; i < stmts.length; i++) {
      const s = stmts[i];
      if (s.k !== 'if') continue;
      if (!s.then.includes(stmts[i - 1])) return undefined;
      const names = namesIn(s.cond);
      return names.size > 0 && [...names].every((n) => this.scope.isParam(n)) ? s.cond : undefined;
    }
    return undefined;
  }

  private fnCall(call: CallExpr, node: number, ref: import('./program').FnRef): void {
    const argLocs = call.args.map((a) => this.valueLoc(a));
    this.facts.callSites.push({ callee: ref, call, node, argLocs, afterReadiness: this.ctx.afterReadiness(this.ctx.of(call)) });
    argLocs.forEach((from, i) => { if (from) this.facts.flows.push({ from, to: `p:${ref.key}:${i}`, kind: 'arg' }); });
    const target = this.valueTarget(call);
    if (target?.loc) this.facts.flows.push({ from: `r:${ref.key}`, to: target.loc, kind: 'return' });
    // A function that was not chosen neither calls the socket API nor leads to a function that does.
    const s = this.summaryOfRef(ref, false);
    if (!s) return;
    // What the callee does to each socket it is given happens here, at this call.
    for (const [i, list] of s.paramEffects) {
      const loc = argLocs[i];
      if (!loc) continue;
      for (const pe of list) {
        if (pe.kind === 'nonblock-param') {
          // Decided by this call's arguments: `SetBlocking(false)` turns it on.
          const on = pe.mode ? modeWithArguments(pe.mode, call.args.map((a) => ({ ev: this.ev, arg: a }))) : undefined;
          if (on === false && pe.mode?.guard) continue;
          if (on !== undefined) this.facts.effects.push({ kind: on ? 'nonblock-on' : 'nonblock-off', loc, node, call, origin: pe.origin });
          continue;
        }
        this.facts.effects.push({ kind: pe.kind, loc, node, call, origin: pe.origin, option: pe.option });
      }
    }
    for (const rm of target?.loc ? s.returnModes : []) {
      const on = modeWithArguments(rm.mode, call.args.map((a) => ({ ev: this.ev, arg: a })));
      if (on === false && rm.mode.guard) continue;
      if (on !== undefined) this.facts.effects.push({ kind: on ? 'nonblock-on' : 'nonblock-off', loc: target!.loc!, node, call, origin: rm.origin });
    }
    for (const fm of s.fieldModes) {
      const on = modeWithArguments(fm.mode, call.args.map((a) => ({ ev: this.ev, arg: a })));
      if (on === false && fm.mode.guard) continue;
      if (on !== undefined) this.facts.effects.push({ kind: on ? 'nonblock-on' : 'nonblock-off', loc: fm.loc, node, call, origin: fm.origin });
    }
    const kinds = new Set<number>([...s.transfers.keys()]);
    for (const i of kinds) {
      const t = s.transfers.get(i) ?? [];
      if (t.length === 0 || !call.args[i]) continue;
      const op = this.op(call, node, 'helper', ref.outline.name, undefined, call.args[i]);
      op.helper = ref;
      // `conn_write(conn, ...)`: the socket is conn->fd (a field location shared program-wide), not conn.
      const field = s.transferFields.get(i);
      if (field) op.socketLoc = field;
      // Several sockets behind one parameter: this call is not a transfer on any one of them.
      else if (field === '') continue;
      const single = s.singleSendSize.get(i);
      op.helperInfo = { kinds: t, sendsAll: s.sendsAll.has(i), receivesAll: s.receivesAll.has(i), returnsCount: s.returnsCount, singleSendSize: single };
      // The size this call sends: the helper's send length with this call's arguments, else over all callers.
      const lengthExpr = s.singleSendLength.get(i);
      const here = lengthExpr ? lengthExpr.ev.valueWithArguments(lengthExpr.expr, call.args.map((arg) => ({ ev: this.ev, arg }))) : undefined;
      if ((here || single) && t.length === 1 && t[0] === 'send') op.length = { text: this.scope.textOf(call), value: here ?? single };
      this.fillResult(op, call);
      this.facts.ops.push(op);
      // One helper op per call is enough (the first socket argument it transfers on).
      break;
    }
  }

  // ---- ops -----------------------------------------------------------------------------------

  private op(call: CallExpr, node: number, kind: OpFact['kind'], name: string, api: ApiCall | undefined, socketArg?: Expr): OpFact {
    const sockExpr = socketArg ?? (api?.socket !== undefined ? call.args[api.socket] : undefined);
    const ctx = this.ctx.of(call);
    const loc = sockExpr ? this.scope.loc(sockExpr) : undefined;
    const op: OpFact = {
      kind, callee: name, api, winsock: !!api?.winsock, call, node, fn: this.scope.ref,
      socketLoc: kind === 'socket' || kind === 'accept' ? this.valueTarget(call)?.loc ?? loc : loc,
      socketText: kind === 'socket' || kind === 'accept' ? this.valueTarget(call)?.text : sockExpr ? this.scope.textOf(sockExpr) : undefined,
      flags: { waitAll: false, more: false, dontWait: false, outOfBand: false },
      overlappedArg: false, vectored: !!api?.vectored,
      result: { ignored: false, explicitlyVoided: false, errorChecked: false, lengthChecked: false, comparedWithOther: false, returned: false, asserted: false, passedOn: false, advances: [] },
      errorPath: { exists: false, distinguishesWouldBlock: false, closes: false, leaves: false, returnsFailure: false },
      loops: ctx.loops, branches: ctx.branches,
      variesPerIteration: sockExpr ? this.variesPerIteration(sockExpr, ctx.loopStmts) : false,
      accumulates: false, afterReadiness: false, retryLoop: false,
      statement: ctx.statement ? { span: ctx.statement.span, block: ctx.statement.block, whole: ctx.statement.whole, ownIf: ownIf(ctx.statement.stmt, call) } : undefined,
    };
    if (sockExpr && kind !== 'socket' && kind !== 'accept') op.socketRootParam = this.rootParam(sockExpr, 0);
    if (sockExpr && kind !== 'socket' && kind !== 'accept') {
      const origins = this.localOrigins(sockExpr);
      op.localObjects = origins.objects;
      op.fromParam = origins.fromParam;
    }
    if (kind === 'socket' || kind === 'accept') op.localObjects = new Set([`s:${this.scope.fileIndex}:${call.id}`]);
    return op;
  }

  /** send/recv details: length, buffer, flags, result use, error path, message use. */
  private transfer(op: OpFact, call: CallExpr, api: ApiCall): void {
    const a = (i: number | undefined) => (i === undefined ? undefined : call.args[i]);
    const lenArg = a(api.length);
    if (lenArg && !api.vectored) op.length = { text: this.scope.textOf(lenArg), value: this.ev.value(lenArg), expr: lenArg };
    const bufArg = a(api.buffer);
    if (bufArg && !api.vectored) {
      const t = this.buffers.target(bufArg);
      op.buffer = { text: this.scope.textOf(bufArg), key: t ? this.scope.loc(t.expr) : undefined };
      if (t) {
        const type = this.scope.typeOf(t.expr);
        if (type && (t.addressOf || (type.dims?.length ?? 0) > 0)) {
          const size = this.ev.value({ k: 'sizeof', span: t.expr.span, arg: t.expr });
          if (isExact(size)) op.bufferCapacity = size.lo;
        }
      }
      op.accumulates = this.buffers.isOffset(bufArg);
    }
    // sendall(), StreamWriter.write(): every byte goes out (or an exception says why not).
    if (api.all && op.kind === 'send') op.accumulates = true;
    const flags = a(api.flags);
    if (flags) {
      const names = namesIn(flags);
      op.flags = { waitAll: names.has('MSG_WAITALL'), more: names.has('MSG_MORE'), dontWait: names.has('MSG_DONTWAIT'), outOfBand: names.has('MSG_OOB') };
    }
    if (api.all && op.kind === 'recv') op.flags = { ...op.flags, waitAll: true };
    if (api.overlapped !== undefined) {
      const ov = a(api.overlapped);
      op.overlappedArg = !!ov && !isNullish(ov, this.ev);
    }
    this.fillResult(op, call);
    const ctx = this.ctx.of(call);
    op.afterReadiness = !!api.waits || this.ctx.afterReadiness(ctx);
    if (op.result.lengthChecked && op.loops.length > 0) op.accumulates = op.accumulates || this.advancesInLoop(op);
    // MSG_OOB reads TCP's one urgent byte, not the stream.
    if ((op.kind === 'recv') && bufArg && !api.vectored && !op.flags.waitAll && !op.flags.outOfBand && !op.accumulates && !op.result.lengthChecked && !op.result.expectsCount) {
      op.consumedAsMessage = this.buffers.messageUse(call, bufArg, op.result.variable);
    }
  }

  /** The result advances an offset inside the loop (a send-all or recv-all loop). */
  private advancesInLoop(op: OpFact): boolean {
    const v = op.result.variable;
    if (!v) return false;
    let found = false;
    const loop = op.loops[op.loops.length - 1];
    forEachStmt(this.cfg.fn.body, (s) => {
      if (found || s.span.start < loop.span.start || s.span.end > loop.span.end) return;
      forEachExpr(stmtExprs(s), (x) => {
        if (x.k === 'assign' && (x.op === '+=' || x.op === '-=') && namesIn(x.value).has(v)) found = true;
        if (x.k === 'assign' && x.op === '=' && x.value.k === 'binary' && (x.value.op === '+' || x.value.op === '-') && namesIn(x.value).has(v)) found = true;
      });
    });
    return found;
  }

  private fillResult(op: OpFact, call: CallExpr): void {
    const lengthArg = op.api?.length !== undefined && !op.vectored ? call.args[op.api.length] : undefined;
    // WSASend/WSARecv return 0 on success (the count goes to an out-parameter).
    const zeroIsSuccess = !!op.api?.winsock && !!op.api.vectored;
    const { result, checks } = this.results.result(call, lengthArg, zeroIsSuccess);
    op.result = result;
    const inner = op.loops.length ? this.ctx.of(call).loopStmts[this.ctx.of(call).loopStmts.length - 1] : undefined;
    op.errorPath = this.results.errorPath(call, checks, inner, result.variable);
    if (inner) op.retryLoop = this.retries(inner, call, result.variable, checks);
  }

  /**
   * The loop repeats this one call until it goes through: the call or its result is the loop's
   * condition (`while (send(..) == SOCKET_ERROR)`, `do n = send(..); while (n < 0 && ..)`), or the
   * success branch of its check leaves the loop (`if (send(..) != SOCKET_ERROR) break;`).
   */
  private retries(loop: import('../ir/ir').LoopStmt, call: CallExpr, variable: string | undefined, checks: { owner?: Stmt; failureWhenTrue: boolean }[]): boolean {
    // `while (true) { n = send(..); if (n < 0 && errno == EINTR) continue; ...; break; }`: it only goes round again by `continue`.
    const last = loop.body[loop.body.length - 1];
    if (last && (last.k === 'break' || last.k === 'return')) return true;
    if (loop.cond) {
      let hit = false;
      forEachExpr([loop.cond], (x) => { if (x === call || (variable && x.k === 'name' && x.name === variable)) hit = true; });
      if (hit) return true;
    }
    for (const c of checks) {
      const owner = c.owner;
      if (!owner || owner.k !== 'if') continue;
      const success = c.failureWhenTrue ? owner.else : owner.then;
      if (success && success.some((x) => x.k === 'break' || x.k === 'return')) return true;
    }
    return false;
  }

  /** The declaration of an option's value variable, and whether this call is its only use. */
  private declOnlyFor(valueNode: Expr, call: CallExpr): { span: Span; onlyUse: boolean } | undefined {
    const v = unwrapped(valueNode);
    if (v.k !== 'name' || !this.cfg.locals.has(v.name)) return undefined;
    const node = this.cfg.nodeOf(v);
    if (node === undefined) return undefined;
    const defs = this.cfg.reachingDefs(v.name, node, v);
    if (defs.length !== 1 || (defs[0].kind !== 'init' && defs[0].kind !== 'decl')) return undefined;
    const stmt = this.cfg.nodes[defs[0].node].stmt;
    if (!stmt || stmt.k !== 'decl') return undefined;
    const uses = this.cfg.usesOf(defs[0]);
    const onlyUse = stmt.vars.length === 1 && uses.every((u) => u.expr.span.start >= call.span.start && u.expr.span.end <= call.span.end);
    return { span: stmt.span, onlyUse };
  }

  /** `clients[i]`, or a local (re)assigned inside an enclosing loop: a different socket each pass. */
  private variesPerIteration(e: Expr, loops: import('../ir/ir').LoopStmt[]): boolean {
    if (loops.length === 0) return false;
    const x = stripCasts(e);
    let indexed = false;
    forEachExpr([x], (y) => { if (y.k === 'index') indexed = true; });
    if (indexed) return true;
    let base: Expr = x;
    for (let i = 0; i < 8 && (base.k === 'field' || (base.k === 'unary' && base.op === '*')); i++) base = base.k === 'field' ? base.base : (base as { arg: Expr }).arg;
    if (base.k !== 'name' || !this.cfg.locals.has(base.name) || this.scope.isParam(base.name)) return false;
    const name = base.name;
    const node = this.cfg.nodeOf(base);
    if (node === undefined) return false;
    // Defined inside the loop (`SOCKET c = accept(...)` per pass, `for (auto &c : conns)`).
    return this.cfg.reachingDefs(name, node, base).some((d) => loops.some((l) => {
      const at = 'span' in d.at ? d.at.span : undefined;
      return at !== undefined && at.start >= l.span.start && at.end <= l.span.end;
    }));
  }

  /** Creation sites (and parameters) that a local socket expression may come from, at this point. */
  private localOrigins(e: Expr): { objects: Set<LocKey>; fromParam: boolean } {
    const objects = new Set<LocKey>();
    let fromParam = false;
    const x = stripCasts(e);
    if (x.k !== 'name' || !this.cfg.locals.has(x.name)) return { objects, fromParam };
    const visit = (name: string, at: Expr, depth: number) => {
      if (depth > 6) return;
      const node = this.cfg.nodeOf(at);
      if (node === undefined) return;
      for (const d of this.cfg.reachingDefs(name, node, at)) {
        if (d.kind === 'param') { fromParam = true; continue; }
        const v = d.value ? stripCasts(d.value) : undefined;
        if (!v) continue;
        const inner = v.k === 'assign' ? stripCasts(v.value) : v;
        if (inner.k === 'call') {
          const c = this.scope.resolve(inner);
          if (c.k === 'api' && (c.api.kind === 'socket' || c.api.kind === 'accept')) objects.add(`s:${this.scope.fileIndex}:${inner.id}`);
        } else if (inner.k === 'name' && this.cfg.locals.has(inner.name)) {
          visit(inner.name, inner, depth + 1);
        }
      }
    };
    visit(x.name, x, 0);
    return { objects, fromParam };
  }

  // ---- flows ---------------------------------------------------------------------------------

  /** Where the value of a call goes: `x = call()`, `T x = call()`, `return call()`. */
  private valueTarget(call: Expr): { loc?: LocKey; text: string; name?: string } | undefined {
    let cur: Expr = call;
    for (let i = 0; i < 8; i++) {
      const p = this.cfg.parents.get(cur);
      if (!p) return undefined;
      if (p.expr) {
        if (p.expr.k === 'cast') { cur = p.expr; continue; }
        if (p.expr.k === 'assign' && p.expr.value === cur) {
          const t = p.expr.target;
          return { loc: this.scope.loc(t), text: this.scope.textOf(t), name: t.k === 'name' ? t.name : undefined };
        }
        if (p.expr.k === 'binary' || p.expr.k === 'unary') return undefined;
        return undefined;
      }
      const s = p.stmt;
      if (s?.k === 'decl') {
        const v = s.vars.find((x) => x.init === cur);
        if (v) return { loc: `l:${this.scope.fnKey}:${v.name}`, text: v.name, name: v.name };
      }
      if (s?.k === 'if' && s.condDecl && s.condDecl.init === cur) return { loc: `l:${this.scope.fnKey}:${s.condDecl.name}`, text: s.condDecl.name, name: s.condDecl.name };
      if (s?.k === 'return') return { loc: `r:${this.scope.fnKey}`, text: 'the returned socket' };
      return undefined;
    }
    return undefined;
  }

  /** The location a value comes from (for flows): a location, a function's return, or a creation site. */
  private valueLoc(e: Expr): LocKey | undefined {
    const x = stripCasts(e);
    if (x.k === 'call') {
      const c = this.scope.resolve(x);
      if (c.k === 'fn') return `r:${c.ref.key}`;
      if (c.k === 'api' && (c.api.kind === 'socket' || c.api.kind === 'accept')) return `s:${this.scope.fileIndex}:${x.id}`;
    }
    return this.scope.loc(x);
  }

  private collectFlows(): void {
    const flows = this.facts.flows;
    const add = (value: Expr, to: LocKey | undefined) => {
      if (!to) return;
      const v = stripCasts(value);
      if (v.k === 'cond') { add(v.then, to); add(v.else, to); return; }
      if (v.k === 'call') return; // calls are handled where they are visited
      const from = this.valueLoc(v);
      if (from && from !== to) flows.push({ from, to, kind: 'assign' });
    };
    forEachStmt(this.cfg.fn.body, (s) => {
      if (s.k === 'decl') {
        for (const v of s.vars) {
          if (!v.init) continue;
          const thread = threadConstruction(v.type.name, v.init);
          const node = this.cfg.stmtNode.get(s);
          if (thread && node !== undefined) this.callbackCall({ k: 'call', span: v.span, id: v.span.start, callee: { k: 'name', span: v.nameSpan, name: v.type.name }, args: [], nameSpan: v.nameSpan }, node, thread);
          const to = `l:${this.scope.fnKey}:${v.name}`;
          if (v.init.k === 'init') {
            // `struct conn c = { .fd = s }`: the field holds the socket.
            const t = this.scope.typeOf({ k: 'name', span: v.nameSpan, name: v.name });
            v.init.elems.forEach((el, i) => {
              const field = v.init && v.init.k === 'init' ? v.init.fields[i] : undefined;
              if (field && t) add(el, `f:${this.scope.program.resolveTypeName(t.name)}.${field}`);
              else if (v.init?.k === 'init' && v.init.elems.length === 1) add(el, to);
            });
          } else {
            add(v.init, to);
          }
        }
      }
      if (s.k === 'loop' && s.rangeVar && s.rangeOf) {
        const container = this.scope.loc(s.rangeOf);
        if (container) flows.push({ from: `e:${container}`, to: `l:${this.scope.fnKey}:${s.rangeVar.name}`, kind: 'element' });
      }
      if (s.k === 'return' && s.value) add(s.value, `r:${this.scope.fnKey}`);
      forEachExpr(stmtExprs(s), (x) => {
        if (x.k === 'assign' && x.op === '=') add(x.value, this.scope.loc(x.target));
        if (x.k === 'binary' && ['==', '!=', '<', '>', '<=', '>='].includes(x.op)) {
          for (const side of [x.left, x.right]) {
            const l = this.scope.loc(side);
            // Compared with a length, not merely with an error value (`this->res == SOCKET_ERROR`).
            const other = side === x.left ? x.right : x.left;
            if (l && (l.startsWith('f:') || l.startsWith('g:')) && !this.isErrorValue(other)) this.facts.comparedLocs.add(l);
          }
        }
      });
    });
  }

  // ---- the summary ---------------------------------------------------------------------------

  private summarise(): void {
    const s = this.facts.summary;
    const fn = this.cfg.fn;
    s.broken = fn.hasErrors;
    const paramLoc = (i: number) => `p:${this.scope.fnKey}:${i}`;
    const paramOfLoc = new Map<LocKey, number>();
    fn.params.forEach((_, i) => paramOfLoc.set(paramLoc(i), i));
    // Locals that hold a parameter's socket (`int fd = c->fd` does not count; `SOCKET s = sock` does).
    const aliasOf = new Map<LocKey, number>();
    for (const f of this.facts.flows) {
      const i = paramOfLoc.get(f.from);
      if (i !== undefined && f.to.startsWith('l:')) aliasOf.set(f.to, i);
    }
    const paramFor = (loc: LocKey | undefined) => (loc === undefined ? undefined : paramOfLoc.get(loc) ?? aliasOf.get(loc));
    const returned = new Set(this.facts.flows.filter((f) => f.to === `r:${this.scope.fnKey}`).map((f) => f.from));
    // Effects on parameters, in CFG order (node ids follow the source order of statements).
    const effects = [...this.facts.effects].sort((a, b) => a.node - b.node || a.call.span.start - b.call.span.start);
    for (const e of effects) {
      if (e.kind === 'nonblock-param' && e.mode && e.loc.startsWith('f:')) s.fieldModes.push({ loc: e.loc, origin: e.origin, mode: e.mode });
      if (e.kind === 'nonblock-param' && e.mode && returned.has(e.loc)) s.returnModes.push({ origin: e.origin, mode: e.mode });
      const i = paramFor(e.loc);
      if (i === undefined || e.kind === 'accept-from') continue;
      const list = s.paramEffects.get(i) ?? [];
      const pe: ParamEffect = { kind: e.kind, origin: e.origin, option: e.option, mode: e.mode };
      list.push(pe);
      s.paramEffects.set(i, list);
    }
    // Transfers count on the parameter the socket is reached from too (`conn_write(conn, ...)` sends on
    // conn->fd); effects above do not: the caller's argument is the struct, not the socket.
    const transferParam = (op: OpFact) => paramFor(op.socketLoc) ?? op.socketRootParam;
    for (const op of [...this.facts.ops].sort((a, b) => a.node - b.node)) {
      const i = transferParam(op);
      if (i === undefined) continue;
      if (paramFor(op.socketLoc) === undefined) {
        // One field per parameter; a helper that reads conn->client_fd and writes conn->server_fd names neither.
        const field = op.socketLoc?.startsWith('f:') ? op.socketLoc : '';
        const known = s.transferFields.get(i);
        s.transferFields.set(i, known === undefined || known === field ? field : '');
      }
      if (op.kind === 'send' || op.kind === 'recv') {
        const list = s.transfers.get(i) ?? [];
        list.push(op.kind);
        s.transfers.set(i, list);
        if (op.kind === 'send' && (op.accumulates || (op.loops.length > 0 && op.result.lengthChecked))) s.sendsAll.add(i);
        if (op.kind === 'recv' && (op.accumulates || op.flags.waitAll || (op.loops.length > 0 && op.result.lengthChecked))) s.receivesAll.add(i);
      } else if (op.kind === 'helper' && op.helperInfo) {
        const list = s.transfers.get(i) ?? [];
        list.push(...op.helperInfo.kinds);
        s.transfers.set(i, list);
        if (op.helperInfo.sendsAll) s.sendsAll.add(i);
        if (op.helperInfo.receivesAll) s.receivesAll.add(i);
      }
    }
    // A parameter's only send, outside any loop, with a known size.
    for (const [i, kinds] of s.transfers) {
      const sends = this.facts.ops.filter((o) => transferParam(o) === i && (o.kind === 'send' || (o.kind === 'helper' && o.helperInfo?.kinds.every((k) => k === 'send'))));
      if (kinds.length === 1 && kinds[0] === 'send' && sends.length === 1 && sends[0].loops.length === 0) {
        const length = sends[0].length;
        if (length?.value) s.singleSendSize.set(i, length.value);
        if (length?.expr && sends[0].kind === 'send') s.singleSendLength.set(i, { expr: length.expr, ev: this.ev });
      }
    }
    s.returnsCount = this.facts.ops.some((o) => (o.kind === 'send' || o.kind === 'recv' || (o.kind === 'helper' && o.helperInfo?.returnsCount)) && o.result.returned)
      && !this.returnsStatusCodes();
    this.summariseValueParams(s);
    this.summariseBehaviour(s);
  }

  /** What the function does with its other parameters: compares, advances with, returns, parses. */
  private summariseValueParams(s: Summary): void {
    const fn = this.cfg.fn;
    const index = new Map<string, number>();
    fn.params.forEach((p, i) => { if (p.name) index.set(p.name, i); });
    if (index.size === 0) return;
    const paramUse = (x: Expr): number | undefined => {
      const u = unwrapped(x);
      return u.k === 'name' && u.qualifier === undefined ? index.get(u.name) : undefined;
    };
    const all: Expr[] = [];
    forEachStmt(fn.body, (st) => {
      all.push(...stmtExprs(st));
      if (st.k === 'return' && st.value) { const i = paramUse(st.value); if (i !== undefined) s.paramReturned.add(i); }
    });
    forEachExpr(all, (x) => {
      if (x.k === 'binary') {
        if (['==', '!=', '<', '>', '<=', '>='].includes(x.op)) {
          for (const side of [x.left, x.right]) { const i = paramUse(side); if (i !== undefined) s.paramCompared.add(i); }
        } else if (x.op === '+' || x.op === '-') {
          for (const side of [x.left, x.right]) { const i = paramUse(side); if (i !== undefined) s.paramAdvanced.add(i); }
        }
      }
      if (x.k === 'assign' && (x.op === '+=' || x.op === '-=')) { const i = paramUse(x.value); if (i !== undefined) s.paramAdvanced.add(i); }
      if (x.k === 'call') {
        // Passed on to another function of the program that compares or advances with it.
        const c = this.scope.resolve(x);
        if (c.k === 'fn') {
          const cs = this.summaryOfRef(c.ref, false);
          x.args.forEach((a, j) => {
            const i = paramUse(a);
            if (i === undefined || !cs) return;
            if (cs.paramCompared.has(j)) s.paramCompared.add(i);
            if (cs.paramAdvanced.has(j)) s.paramAdvanced.add(i);
            const how = cs.paramMessage.get(j);
            if (how) s.paramMessage.set(i, `passes it to ${c.name}(), which ${how}`);
            if (cs.paramAccumulated.has(j)) s.paramAccumulated.add(i);
          });
        }
      }
      return undefined;
    });
    // Buffer parameters used as a whole message (parsed, switched on, cast) or appended to a stream.
    // In Python and JavaScript a parameter has no declared type: any of them may be handed the bytes.
    const language = this.scope.program.files[this.scope.fileIndex].language;
    const untyped = language === 'python' || language === 'javascript' || language === 'typescript';
    for (const [name, i] of index) {
      const t = fn.params[i].type;
      if (!isBufferType(t) && !(untyped && UNTYPED_BYTES.has(t.name))) continue;
      if (s.paramMessage.has(i) || s.paramAccumulated.has(i)) continue;
      const how = this.paramMessageUse(name);
      if (how === null) s.paramAccumulated.add(i);
      else if (how) s.paramMessage.set(i, how);
    }
  }

  /** How a buffer parameter is used from the function's start: as a message, as a stream (null), or neither. */
  private paramMessageUse(name: string): string | null | undefined {
    const param: Expr = { k: 'name', span: { start: -1, end: -1 }, name };
    const use = this.buffers.usesFrom(this.cfg.entry, param);
    return use === null ? null : use?.how;
  }

  private summariseBehaviour(s: Summary): void {
    const fn = this.cfg.fn;
    const all: Expr[] = [];
    let returnsWithWouldBlock = false;
    let hasReturn = false;
    forEachStmt(fn.body, (st) => {
      all.push(...stmtExprs(st));
      if (st.k === 'return') {
        hasReturn = true;
        if (st.value && this.results.mentionsWouldBlock([st.value])) returnsWithWouldBlock = true;
      }
      if (st.k === 'if' && this.results.mentionsWouldBlock([st.cond]) && st.then.some((x) => x.k === 'return')) returnsWithWouldBlock = true;
      if (st.k === 'switch' && st.cases.some((c) => this.results.mentionsWouldBlock(c.labels) && c.body.some((x) => x.k === 'return'))) returnsWithWouldBlock = true;
    });
    s.classifiesWouldBlock = returnsWithWouldBlock;
    forEachExpr(all, (x) => {
      if (x.k === 'name' && isWouldBlockName(x.name)) s.mentionsWouldBlock = true;
      if (x.k !== 'call') return;
      const c = this.scope.resolve(x);
      if (c.k === 'api') {
        if (c.api.kind === 'wait') s.waits = true;
        if (c.api.kind === 'sleep') {
          s.waits = true;
          const ms = this.ctx.sleepMs(c.name, x);
          if (ms !== undefined) s.sleepMs = Math.max(s.sleepMs ?? 0, ms);
        }
        if (c.api.kind === 'input' && readsConsole(c.name, x)) s.readsInput = true;
        if (c.api.kind === 'close' || c.api.kind === 'shutdown') {
          // close(fd) on a file is not a connection teardown; closesocket and close of a known socket are.
          if (c.api.kind === 'shutdown' || c.name === 'closesocket' || this.facts.ops.some((o) => o.call === x)) s.closes = true;
        }
      } else if (c.k === 'fn') {
        // Transitive facts of callees: looked for only in a chain of on-demand analyses (bounded), not
        // for every function chosen, which would analyse the whole program.
        const cs = this.summaryOfRef(c.ref, this.demandDepth > 0);
        if (cs?.waits) s.waits = true;
        if (cs?.readsInput) s.readsInput = true;
        if (cs?.closes) s.closes = true;
        if (cs?.sleepMs !== undefined) s.sleepMs = Math.max(s.sleepMs ?? 0, cs.sleepMs);
        if (cs?.mentionsWouldBlock) s.mentionsWouldBlock = true;
      }
    });
    // Never returns: no return statement, and the body's last statement is a call that never returns.
    if (!hasReturn && fn.body.length > 0) {
      const last = fn.body[fn.body.length - 1];
      if (last.k === 'expr' && last.expr.k === 'call') {
        const c = this.scope.resolve(last.expr);
        s.noReturn = (c.k === 'api' && c.api.kind === 'exit') || (c.k === 'fn' && !!this.summaryOfRef(c.ref)?.noReturn);
      }
    }
  }
}

/** `&v` -> v (the value a pointer argument points at), through casts. */
/** The FIONBIO mode a pointer argument points at, with one call's arguments: true (on), false, or unknown. */
function modeWithArguments(mode: { expr: Expr; ev: Evaluator }, args: { ev: Evaluator; arg: Expr }[]): boolean | undefined {
  const x = stripCasts(mode.expr);
  if (x.k === 'cond') {
    const test = mode.ev.valueWithArguments(x.test, args);
    if (!isExact(test)) return undefined;
    return modeWithArguments({ expr: test.lo ? x.then : x.else, ev: mode.ev }, args);
  }
  const v = mode.ev.valueWithArguments(pointee(x), args);
  return isExact(v) ? v.lo !== 0 : undefined;
}

const ADDRINFO_FIELDS = new Set(['ai_socktype', 'ai_family', 'ai_protocol']);
const GETADDRINFO_CALLS = new Set(['getaddrinfo', 'GetAddrInfoA', 'GetAddrInfoW', 'GetAddrInfoExA', 'GetAddrInfoExW']);

function pointee(e: Expr): Expr {
  const x = stripCasts(e);
  return x.k === 'unary' && x.op === '&' ? x.arg : x;
}

function isNullish(e: Expr, ev: Evaluator): boolean {
  const x = stripCasts(e);
  if (x.k === 'name' && (x.name === 'NULL' || x.name === 'nullptr')) return true;
  const v = ev.value(x);
  return isExact(v) && v.lo === 0;
}

/** Every identifier an expression mentions. */
function namesIn(e: Expr): Set<string> {
  const out = new Set<string>();
  forEachExpr([e], (x) => { if (x.k === 'name') out.add(x.name); });
  return out;
}

/** The statement is `if (call ... ) { ... }` with no else: the if exists only to check this call. */
function ownIf(stmt: Stmt, call: CallExpr): boolean {
  if (stmt.k !== 'if' || stmt.else) return false;
  let calls = 0, holds = false;
  forEachExpr([stmt.cond], (x) => { if (x.k === 'call') calls++; if (x === call) holds = true; });
  return holds && calls === 1;
}

/** Parameter types of Python and JavaScript/TypeScript code that can hold received bytes ('?': not declared). */
const UNTYPED_BYTES = new Set(['?', 'bytes', 'bytearray', 'str', 'Buffer', 'string', 'any', 'unknown']);

function isBufferType(t: TypeRef): boolean {
  if (t.ptr >= 1 && ['char', 'void', 'unsigned char', 'uint8_t', 'u_char', 'BYTE', 'CHAR', 'UCHAR', 'TCHAR', 'wchar_t'].includes(t.name)) return true;
  return (t.dims?.length ?? 0) > 0;
}

function blockList(parent: Stmt, s: Stmt): Stmt[] | undefined {
  switch (parent.k) {
    case 'block': return parent.body;
    case 'if': return parent.then.includes(s) ? parent.then : parent.else;
    case 'loop': return parent.body.includes(s) ? parent.body : parent.init;
    case 'switch': return parent.cases.find((c) => c.body.includes(s))?.body;
    case 'try': return parent.body.includes(s) ? parent.body : parent.handlers.find((h) => h.includes(s));
    case 'alt': return parent.branches.find((b) => b.includes(s));
    default: return undefined;
  }
}

export type { MaybeValue };
