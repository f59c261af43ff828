// The state of a socket at one operation: its transport, whether it is non-blocking there, whether it
// was connected (or accepted) before it, Nagle, overlapped I/O, send timeout and buffer. Order is
// decided along the control-flow paths of the operation's function, and through its callers: a
// `setsockopt` in `init_conn()` runs after the `connect` in `main` that precedes the call.
//
// What an accepted socket takes from its listening socket (research notes, sources):
// - Socket options (SO_RCVBUF, SO_SNDBUF, TCP_NODELAY) are inherited on Linux (The Linux Programming
//   Interface, 61.12) and Windows (accept(): "the same properties as socket s").
// - Non-blocking mode is inherited on Windows (accept(): "including the asynchronous events
//   registered with WSAAsyncSelect or WSAEventSelect", which make it non-blocking) and on BSD and
//   macOS (FreeBSD r99998: the BSDs and Solaris propagate O_NONBLOCK), but not on Linux (accept(2):
//   "does not inherit file status flags such as O_NONBLOCK").
import type { LocKey } from './calls';
import type { FunctionRecord, ProgramAnalysis } from './analyze';
import type { CallExpr } from '../ir/ir';
import type { Creation, Effect, Fact, OpFact } from './facts';
import { ResultAnalyzer } from './results';

export type InheritRules = { nonBlocking: boolean };

export interface OpState {
  transport: 'tcp' | 'udp' | 'unix' | 'file' | 'unknown';
  objects: Creation[];
  nonBlocking?: Fact;
  connectedBefore?: Fact;
  accepted?: Fact;
  nagleOff?: Fact;
  nagleUnknown: boolean;
  overlapped?: Fact;
  sendTimeout?: Fact;
  sendBuffer?: { value?: number; fact: Fact };
  creation?: Creation;
  /** The location is known to hold a socket (for read/write/close on a plain fd). */
  isSocket: boolean;
}

const MAX_CALLER_DEPTH = 4;
/** Effects only a socket can have (read/write/close/fcntl work on any file descriptor). */
const SOCKET_ONLY_EFFECTS = new Set(['connect', 'listen', 'bind', 'setsockopt', 'eventselect', 'accept-from', 'overlapped']);
const FD_CALLS = new Set(['read', 'write', 'readv', 'writev', 'close', 'ioctl', 'fcntl']);

export class SocketStates {
  private nbMemo = new Map<string, Fact | null | 'blocking'>();
  private connMemo = new Map<string, Fact | null>();

  constructor(private a: ProgramAnalysis, private inherit: (file: number) => InheritRules) {}

  state(op: OpFact): OpState {
    const { graph } = this.a;
    const loc = op.socketLoc;
    const all = loc ? graph.objects(loc) : [];
    // Within the function, the creation that reaches this op decides (a variable reused for a new socket).
    const local = op.localObjects && op.localObjects.size > 0 && !op.fromParam
      ? [...op.localObjects].map((k) => graph.creations.get(k)).filter((c): c is Creation => !!c)
      : undefined;
    const objects = local && local.length > 0 ? local : all;
    const effects = loc ? graph.effects(loc) : [];
    const st: OpState = { transport: this.transport(objects, effects, loc), objects, nagleUnknown: false, isSocket: false };
    // read()/write() on a location that may hold an eventfd, a pipe or a file: not known to be a socket at all.
    if (FD_CALLS.has(op.callee) && objects.some((c) => c.transport === 'file')) st.transport = 'file';
    st.isSocket = objects.length > 0 || effects.some((e) => SOCKET_ONLY_EFFECTS.has(e.kind) || ((e.kind === 'send' || e.kind === 'recv') && !FD_CALLS.has(e.origin.via)));
    if (objects.length > 0 && objects.every((c) => c.kind === 'accept')) {
      st.accepted = { via: 'accept', at: objects[0].at };
    }
    st.creation = objects.length === 1 ? objects[0] : undefined;
    // Nagle: TCP_NODELAY (non-zero or unknown), TCP_CORK / TCP_NOPUSH (batching on purpose).
    const opts = effects.filter((e) => e.kind === 'setsockopt' && e.option);
    const inheritedOpts = this.listenerEffects(objects).filter((e) => e.kind === 'setsockopt' && e.option);
    for (const e of [...opts, ...inheritedOpts]) {
      const o = e.option!;
      if (o.name === 'TCP_NODELAY' && (!o.value || o.value.lo !== 0 || o.value.hi !== 0)) st.nagleOff ??= e.origin;
      if (o.name === 'TCP_CORK' || o.name === 'TCP_NOPUSH') st.nagleOff ??= e.origin;
      if (o.name === 'SO_SNDTIMEO' && (!o.value || o.value.hi !== 0)) st.sendTimeout ??= e.origin;
      if (o.name === 'SO_SNDBUF') st.sendBuffer ??= { value: o.value && o.value.lo === o.value.hi ? o.value.lo : undefined, fact: e.origin };
    }
    st.nagleUnknown = this.nodelayUnresolved(op);
    st.overlapped = objects.find((c) => c.overlapped)?.overlapped ?? effects.find((e) => e.kind === 'overlapped')?.origin;
    const nb = this.nonBlockingAt(op);
    if (nb && nb !== 'blocking') st.nonBlocking = nb;
    const conn = this.connectedBefore(op);
    if (conn) st.connectedBefore = conn;
    return st;
  }

  /** TCP, UDP, a Unix-domain socket, or unknown: from the creations, else from how it is used. */
  private transport(objects: Creation[], effects: Effect[], loc: LocKey | undefined, seen: Set<Creation> = new Set()): OpState['transport'] {
    const kinds = new Set<string>();
    for (const c of objects) {
      if (seen.has(c)) continue;
      seen.add(c);
      let t: string = c.transport;
      if (c.kind === 'accept' && c.listener) {
        // What the listening socket is (a location may hold both the listener and what it accepted).
        const lt = this.transport(this.a.graph.objects(c.listener).filter((x) => x !== c), [], undefined, seen);
        t = lt === 'unix' ? 'unix' : 'tcp';
      }
      if (t === 'stream') t = 'tcp';
      kinds.add(t);
    }
    if (kinds.size === 1) {
      const [t] = kinds;
      return t as OpState['transport'];
    }
    if (kinds.size > 1) {
      // A location fed by both a TCP and a UDP socket: unknown, unless one kind is merely unknown.
      kinds.delete('unknown');
      return kinds.size === 1 ? [...kinds][0] as OpState['transport'] : 'unknown';
    }
    void effects; void loc;
    return 'unknown';
  }

  /** Options set on the listening sockets these accepted sockets came from. */
  private listenerEffects(objects: Creation[]): Effect[] {
    const out: Effect[] = [];
    for (const c of objects) {
      if (c.kind !== 'accept' || !c.listener) continue;
      out.push(...this.a.graph.effects(c.listener));
    }
    return out;
  }

  /** A call we cannot see into, named for TCP_NODELAY, takes this socket; or a TCP_NODELAY on a socket we could not name. */
  private nodelayUnresolved(op: OpFact): boolean {
    let files = this.unnamedNodelay;
    if (!files) {
      files = new Set<number>(this.a.unresolvedNodelayFiles);
      for (const r of this.a.records.values()) {
        for (const o of r.facts.ops) if (o.kind === 'setsockopt' && o.option?.name === 'TCP_NODELAY' && !o.socketLoc) files.add(r.ref.file);
      }
      this.unnamedNodelay = files;
    }
    return files.has(op.fn.file);
  }
  private unnamedNodelay?: Set<number>;

  // ---- order: non-blocking ------------------------------------------------------------------

  /**
   * The call that made the socket non-blocking, if it is non-blocking at `op`: set earlier on a path
   * in the op's function, or before the call in a caller, or at creation, or inherited from a
   * non-blocking listening socket (where the OS does that), or (when no path says otherwise) anywhere.
   */
  nonBlockingAt(op: OpFact): Fact | 'blocking' | undefined {
    if (!op.socketLoc) return undefined;
    const rec = this.a.records.get(op.fn.key);
    if (!rec) return undefined;
    const local = this.localMode(rec, op.socketLoc, op.node);
    if (local) return local;
    const fromCallers = this.callerMode(rec, op.socketLoc, 0);
    if (fromCallers) return fromCallers;
    const objects = this.a.graph.objects(op.socketLoc);
    // Created non-blocking (SOCK_NONBLOCK, accept4): only when every socket that can be here was. A
    // field shared by a client's non-blocking socket and a server's blocking one says nothing.
    const created = objects.filter((c) => c.nonBlocking);
    if (created.length > 0 && created.length === objects.length) return created[0].nonBlocking;
    for (const c of objects) {
      if (c.kind !== 'accept' || !c.listener || !this.inherit(c.at.file).nonBlocking) continue;
      // An accepted socket put back into blocking mode (`ioctlsocket(c, FIONBIO, &zero)`) inherits nothing.
      if (this.a.graph.effects(c.key).some((e) => e.kind === 'nonblock-off')) continue;
      const l = this.anywhereMode(c.listener);
      if (l) return { via: `${l.via} on the listening socket (accepted sockets inherit it)`, at: l.at };
    }
    // A local variable's mode changes are all in this function, and none of them comes before the op
    // on any path (`send(c, busy); return;` then `set_nonblock(c)` for the clients kept).
    if (op.socketLoc.startsWith(`l:${op.fn.key}:`) && this.modeChanges(rec, op.socketLoc).length > 0) return undefined;
    return this.anywhereMode(op.socketLoc);
  }

  /** The mode changes (on, off, WSAEventSelect) this function makes on the socket at `loc`. */
  private modeChanges(rec: FunctionRecord, loc: LocKey): FunctionRecord['facts']['effects'] {
    const same = this.sameSocketLocs(rec, loc);
    return rec.facts.effects.filter((e) => same.has(e.loc) && (e.kind === 'nonblock-on' || e.kind === 'nonblock-off' || e.kind === 'eventselect'));
  }

  /** A mode change in this function that reaches `node`; 'blocking' when only back-to-blocking ones do. */
  private localMode(rec: FunctionRecord, loc: LocKey, node: number): Fact | 'blocking' | undefined {
    const changes = this.modeChanges(rec, loc);
    if (changes.length === 0) return undefined;
    const offNodes = new Set(changes.filter((e) => e.kind === 'nonblock-off').map((e) => e.node));
    let sawOff = false;
    for (const e of changes) {
      const before = e.node === node ? false : rec.cfg.reaches(e.node, node, e.kind === 'nonblock-off' ? undefined : (n) => offNodes.has(n) && n !== e.node);
      if (!before) continue;
      if (e.kind === 'nonblock-off') sawOff = true;
      else return e.origin;
    }
    return sawOff ? 'blocking' : undefined;
  }

  /** The mode at the calls of this function (through the parameter the socket came in by). */
  private callerMode(rec: FunctionRecord, loc: LocKey, depth: number): Fact | undefined {
    if (depth > MAX_CALLER_DEPTH) return undefined;
    const param = this.paramIndex(rec, loc);
    if (param === undefined) return undefined;
    const key = `${rec.ref.key}:${param}`;
    const memo = this.nbMemo.get(key);
    if (memo !== undefined) return memo === null || memo === 'blocking' ? undefined : memo;
    this.nbMemo.set(key, null);
    let out: Fact | undefined;
    for (const c of this.a.callers.get(rec.ref.key) ?? []) {
      const argLoc = c.argLocs[param];
      if (!argLoc) continue;
      const m = this.localMode(c.caller, argLoc, c.node) ?? this.callerMode(c.caller, argLoc, depth + 1);
      if (m && m !== 'blocking') { out = m; break; }
    }
    this.nbMemo.set(key, out ?? null);
    return out;
  }

  /** Made non-blocking anywhere (and never put back into blocking mode): the flow-insensitive fallback. */
  private anywhereMode(loc: LocKey): Fact | undefined {
    const effects = this.a.graph.effects(loc);
    if (effects.some((e) => e.kind === 'nonblock-off')) return undefined;
    return effects.find((e) => e.kind === 'nonblock-on' || e.kind === 'eventselect')?.origin;
  }

  // ---- order: connected ----------------------------------------------------------------------

  /** The connect (or accept) that happened before `op` on this socket, along some path. */
  connectedBefore(op: OpFact): Fact | undefined {
    if (!op.socketLoc) return undefined;
    const rec = this.a.records.get(op.fn.key);
    if (!rec) return undefined;
    const local = this.localConnect(rec, op.socketLoc, op.node);
    if (local) return local;
    // A socket a function of the program connected before returning it (`s = connect_to(host)`).
    const fromFactory = this.factoryConnect(op.socketLoc);
    if (fromFactory) return fromFactory;
    return this.callerConnect(rec, op.socketLoc, 0);
  }

  private localConnect(rec: FunctionRecord, loc: LocKey, node: number): Fact | undefined {
    const same = this.sameSocketLocs(rec, loc);
    // A new socket assigned to the variable in between starts over (a reconnect loop).
    const recreate = new Set(rec.facts.creations.filter((c) => c.kind === 'socket').map((c) => rec.cfg.nodes.findIndex((n) => n.calls.some((x) => x.span.start === c.at.span.start && c.at.file === rec.ref.file))).filter((n) => n >= 0));
    for (const e of rec.facts.effects) {
      if (e.kind !== 'connect' || !same.has(e.loc)) continue;
      if (e.node !== node && rec.cfg.reaches(e.node, node, (n) => recreate.has(n))) return e.origin;
    }
    return undefined;
  }

  private callerConnect(rec: FunctionRecord, loc: LocKey, depth: number): Fact | undefined {
    if (depth > MAX_CALLER_DEPTH) return undefined;
    const param = this.paramIndex(rec, loc);
    if (param === undefined) return undefined;
    const key = `${rec.ref.key}:${param}`;
    const memo = this.connMemo.get(key);
    if (memo !== undefined) return memo ?? undefined;
    this.connMemo.set(key, null);
    let out: Fact | undefined;
    for (const c of this.a.callers.get(rec.ref.key) ?? []) {
      const argLoc = c.argLocs[param];
      if (!argLoc) continue;
      out = this.localConnect(c.caller, argLoc, c.node) ?? this.factoryConnect(argLoc) ?? this.callerConnect(c.caller, argLoc, depth + 1);
      if (out) break;
    }
    this.connMemo.set(key, out ?? null);
    return out;
  }

  private factoryConnect(loc: LocKey): Fact | undefined {
    for (const up of this.a.graph.upstream(loc)) {
      if (!up.startsWith('r:')) continue;
      const fnKey = up.slice(2);
      const rec = this.a.records.get(fnKey);
      if (!rec) continue;
      // A connect in the factory on the socket it returns.
      for (const e of rec.facts.effects) {
        if (e.kind === 'connect' && this.a.graph.closure(e.loc).has(up)) return e.origin;
      }
    }
    return undefined;
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Locations of the function that name the same socket as `loc` (through the function's own assignments). */
  sameSocketLocs(rec: FunctionRecord, loc: LocKey): Set<LocKey> {
    const out = new Set<LocKey>([loc]);
    let changed = true;
    for (let round = 0; changed && round < 4; round++) {
      changed = false;
      for (const f of rec.facts.flows) {
        if (f.kind !== 'assign') continue;
        const local = (k: LocKey) => k.startsWith('l:') || k.startsWith('p:');
        if (out.has(f.from) && local(f.to) && !out.has(f.to)) { out.add(f.to); changed = true; }
        if (out.has(f.to) && local(f.from) && !out.has(f.from)) { out.add(f.from); changed = true; }
      }
    }
    return out;
  }

  /** The parameter a location of the function came in by (`p:F:i`, or a local assigned from it). */
  private paramIndex(rec: FunctionRecord, loc: LocKey): number | undefined {
    const prefix = `p:${rec.ref.key}:`;
    for (const l of this.sameSocketLocs(rec, loc)) if (l.startsWith(prefix)) return Number(l.slice(prefix.length));
    return undefined;
  }

  /**
   * No caller of the op's function that gets the failure back mishandles it: closes the connection
   * or gives up without telling WOULDBLOCK apart (undefined when there are no callers in the program).
   * A caller that hands the result on again (returns it, passes it to a callback) leaves the judgement
   * to its own callers and counts as handling it.
   */
  handledByCallers(op: OpFact): boolean | undefined {
    const calls = this.a.callers.get(op.fn.key);
    if (!calls || calls.length === 0) return undefined;
    return calls.every((c) => {
      const call = c.call as CallExpr;
      const rec = c.caller;
      const summaryOf = (x: CallExpr) => { const r = rec.scope.resolve(x); return r.k === 'fn' ? this.a.summaries.get(r.ref.key) : undefined; };
      const ra = new ResultAnalyzer(rec.scope, rec.cfg, rec.ev, summaryOf);
      const { result, checks } = ra.result(call);
      const loops = rec.cfg.enclosingStmts(call).filter((s) => s.k === 'loop');
      const inner = loops[0];
      const path = ra.errorPath(call, checks, inner && inner.k === 'loop' ? inner : undefined, result.variable);
      if (!path.exists || path.distinguishesWouldBlock) return true;
      const handsBack = path.returnsFailure && (result.returned || !!path.returnsErrorCode);
      return !(path.closes || (path.leaves && !handsBack));
    });
  }
}
