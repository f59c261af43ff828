// The analysis driver: which functions to lower, in what order to analyse them (callees before
// callers, recursion iterated to a fixpoint), and the program-wide socket graph built from the facts.
import type { CallExpr, Expr } from '../ir/ir';
import { forEachStmt } from '../ir/walk';
import { C_API } from '../lang/c/api';
import { FunctionScope } from './calls';
import { Cfg, type CfgHooks } from './cfg';
import type { OpFact } from './facts';
import { FunctionAnalyzer, type FunctionFacts } from './function';
import type { FnRef, Program } from './program';
import { SocketGraph } from './sockets';
import { sameSummary, type Summary } from './summary';
import { TypeLayouts, type Abi } from './types';
import { Evaluator } from './values';

/** API names that make a function worth analysing (the data-moving and configuring calls). */
const SOCKET_CALLS = new Set(Object.entries(C_API).filter(([, a]) => a.kind !== 'sleep' && a.kind !== 'input' && a.kind !== 'exit' && a.kind !== 'file').map(([n]) => n));
/** The socket API without the calls any file descriptor takes (read, write, close, fcntl, ioctl). */
const SOCKET_ONLY_CALLS = new Set([...SOCKET_CALLS].filter((n) => !C_API[n].fdCall));

/** Calls that only read what their pointer arguments point at. */
const READ_ONLY_CALLS = new Set([
  'send', 'sendto', 'write', 'writev', 'setsockopt', 'connect', 'bind', 'WSASend', 'WSASendTo', 'sendmsg',
  'printf', 'fprintf', 'puts', 'fputs', 'strlen', 'strcmp', 'strncmp', 'memcmp', 'strcasecmp', 'strstr', 'strchr', 'atoi',
  'MessageBox', 'MessageBoxA', 'MessageBoxW', 'OutputDebugString', 'OutputDebugStringA', 'perror', 'syslog', 'htons', 'htonl',
  'inet_addr', 'inet_pton', 'ntohs', 'ntohl', 'FD_ISSET', 'free',
]);

/** Calls that write only their first argument (the destination): `memcpy(buf, &hdr, n)` leaves hdr as it was. */
const WRITES_FIRST_ONLY = new Set([
  'memcpy', 'memmove', 'memset', 'strcpy', 'strncpy', 'strcat', 'strncat', 'sprintf', 'snprintf', 'vsprintf', 'vsnprintf',
  'memcpy_s', 'memmove_s', 'strcpy_s', 'strncpy_s', 'strcat_s', 'sprintf_s', 'wcscpy', 'wcsncpy', 'CopyMemory', 'MoveMemory',
  'RtlCopyMemory', 'RtlMoveMemory', 'ZeroMemory', 'FillMemory', 'bcopy',
]);

const MAX_FUNCTIONS = 20_000;
/** On-demand analyses reach at most this many calls away from a function chosen up front. */
const MAX_DEMAND_DEPTH = 3;
/** Levels of callers chosen above the functions that call the socket API. */
const MAX_CALLER_LEVELS = 5;

/** `word` occurs in `body` as a whole identifier. */
function mentionsWord(body: string, word: string): boolean {
  for (let i = body.indexOf(word); i >= 0; i = body.indexOf(word, i + 1)) {
    const before = body.charCodeAt(i - 1), after = body.charCodeAt(i + word.length);
    if (!isWordChar(before) && !isWordChar(after)) return true;
  }
  return false;
}

function isWordChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 48 && c <= 57);
}

export interface FunctionRecord {
  ref: FnRef;
  cfg: Cfg;
  scope: FunctionScope;
  ev: Evaluator;
  facts: FunctionFacts;
}

export class ProgramAnalysis {
  readonly records = new Map<string, FunctionRecord>();
  readonly summaries = new Map<string, Summary>();
  readonly graph: SocketGraph;
  /** Call sites of each function: who calls it, where, with what argument locations. */
  readonly callers = new Map<string, { caller: FunctionRecord; node: number; argLocs: (string | undefined)[]; call: Expr; afterReadiness: boolean }[]>();
  /** Fields and globals compared anywhere in the program. */
  readonly comparedLocs = new Set<string>();
  /** Files that call a function we cannot see into whose name says it sets TCP_NODELAY. */
  readonly unresolvedNodelayFiles = new Set<number>();
  private noReturn = new Set<string>();
  /** Functions chosen for analysis up front (the others are analysed on demand). */
  private chosenKeys = new Set<string>();
  private inProgress = new Set<string>();
  private layouts = new Map<number, TypeLayouts>();

  constructor(readonly program: Program, private abiOf: (file: number) => Abi) {
    this.graph = new SocketGraph(program.budget);
  }

  run(): void {
    const { program } = this;
    program.budget.phase = 'choosing functions to analyse';
    const chosen = this.chooseFunctions();
    for (const ref of chosen) { program.ir(ref); this.chosenKeys.add(ref.key); }
    this.findNoReturn(chosen);
    program.budget.phase = 'analysing functions';
    for (const scc of this.order(chosen)) this.analyseScc(scc);
    this.analyseFieldReaders(chosen);
    this.analyseSocketFieldUsers();
    program.budget.phase = 'connecting sockets across functions';
    for (const r of this.records.values()) {
      for (const f of r.facts.flows) this.graph.addFlow(f);
      for (const e of r.facts.effects) this.graph.addEffect(e);
      for (const c of r.facts.creations) this.graph.addCreation(c);
      for (const l of r.facts.comparedLocs) this.comparedLocs.add(l);
      for (const node of r.cfg.nodes) {
        for (const call of node.calls) {
          if (call.k !== 'call') continue;
          const c = r.scope.resolve(call);
          const lower = c.name.toLowerCase();
          if (c.k !== 'fn' && c.k !== 'api' && (lower.includes('nodelay') || lower.includes('no_delay'))) this.unresolvedNodelayFiles.add(r.ref.file);
        }
      }
      for (const cs of r.facts.callSites) {
        const list = this.callers.get(cs.callee.key) ?? [];
        list.push({ caller: r, node: cs.node, argLocs: cs.argLocs, call: cs.call, afterReadiness: !!cs.afterReadiness });
        this.callers.set(cs.callee.key, list);
      }
    }
    // Parameters take the values their callers pass (direct calls only: a thread's parameter is not the call's).
    for (const r of this.records.values()) {
      r.ev.useCallers((i) => {
        const calls = this.callers.get(r.ref.key);
        if (!calls) return undefined;
        const out: { ev: Evaluator; arg: Expr }[] = [];
        for (const c of calls) {
          const call = c.call as CallExpr;
          const callee = call.k === 'call' ? c.caller.scope.resolve(call) : undefined;
          if (!callee || callee.k !== 'fn' || callee.ref.key !== r.ref.key || !call.args[i]) return undefined;
          out.push({ ev: c.caller.ev, arg: call.args[i] });
        }
        return out;
      });
    }
  }

  /**
   * A send count stored in a field or global is checked wherever that location is compared: analyse
   * the other functions that mention such a field (its name as a word in their text picks them).
   */
  private analyseFieldReaders(chosen: FnRef[]): void {
    const names = new Set<string>();
    for (const r of this.records.values()) {
      for (const op of r.facts.ops) {
        const loc = op.result.storedTo;
        if (!loc) continue;
        const dot = loc.lastIndexOf('.');
        names.add(loc.startsWith('f:') && dot > 0 ? loc.slice(dot + 1) : loc.slice(loc.lastIndexOf(':') + 1));
      }
    }
    if (names.size === 0) return;
    const done = new Set(chosen.map((f) => f.key));
    for (const f of this.program.functions) {
      if (done.has(f.key)) continue;
      if (!this.bodyMentions(f, names)) continue;
      this.program.ir(f);
      this.keep(f, this.analyseFunction(f));
    }
  }

  /** Some name occurs as a word in the function's body (not on to the end of its file). */
  private bodyMentions(f: FnRef, names: Set<string>): boolean {
    const span = f.outline.bodySpan ?? f.outline.span;
    const body = this.program.files[f.file].text.slice(span.start, span.end);
    return [...names].some((n) => mentionsWord(body, n));
  }

  /** Records a function's analysis and its summary for callers. */
  private keep(ref: FnRef, rec: FunctionRecord): FunctionRecord {
    this.records.set(ref.key, rec);
    this.summaries.set(ref.key, rec.facts.summary);
    return rec;
  }

  /**
   * A socket kept in a field or global (`session->fd = accept(...)`) is read and written by methods
   * nothing above chose (`bool Session::sendIo() { return write(fd_, ...); }`): analyse the functions
   * that call a descriptor API and mention such a field (its name as a word in their body picks them).
   */
  private analyseSocketFieldUsers(): void {
    const down = new Map<string, string[]>();
    const starts: string[] = [];
    for (const r of this.records.values()) {
      for (const f of r.facts.flows) { const l = down.get(f.from); if (l) l.push(f.to); else down.set(f.from, [f.to]); }
      for (const c of r.facts.creations) starts.push(c.key);
    }
    const seen = new Set<string>(starts);
    const names = new Set<string>();
    for (let i = 0; i < starts.length && seen.size < 4000; i++) {
      this.program.budget.tick();
      for (const to of down.get(starts[i]) ?? []) {
        if (seen.has(to)) continue;
        seen.add(to);
        starts.push(to);
        if (to.startsWith('f:') || to.startsWith('g:')) names.add(to.slice(Math.max(to.lastIndexOf('.'), to.lastIndexOf(':')) + 1));
      }
    }
    if (names.size === 0) return;
    for (const f of this.program.functions) {
      if (this.records.has(f.key) || ![...f.outline.calls].some((c) => SOCKET_CALLS.has(c))) continue;
      if (!this.bodyMentions(f, names)) continue;
      this.program.ir(f);
      this.keep(f, this.analyseFunction(f));
    }
  }

  /**
   * Every call of the function (through callers that are themselves only called so, two levels up)
   * runs after select/poll reported a socket ready: `if (FD_ISSET(s, &rd)) RecvProc(user);`.
   */
  calledOnlyWhenReady(fnKey: string, depth = 0): boolean {
    const calls = this.callers.get(fnKey);
    if (!calls || calls.length === 0 || depth > 2) return false;
    return calls.every((c) => c.afterReadiness || (c.caller.ref.key !== fnKey && this.calledOnlyWhenReady(c.caller.ref.key, depth + 1)));
  }

  ops(): OpFact[] {
    const out: OpFact[] = [];
    for (const r of this.records.values()) out.push(...r.facts.ops);
    return out;
  }

  layoutsFor(file: number): TypeLayouts {
    let l = this.layouts.get(file);
    if (!l) { l = new TypeLayouts(this.program, this.abiOf(file)); this.layouts.set(file, l); }
    return l;
  }

  // ---- which functions ---------------------------------------------------------------------

  /**
   * Functions that call the socket API, the functions that (transitively) call them, and the
   * functions those call (their summaries say whether they wait, close, parse, compare).
   */
  private chooseFunctions(): FnRef[] {
    const { program } = this;
    const byName = new Map<string, FnRef[]>();
    for (const f of program.functions) {
      const list = byName.get(f.outline.name) ?? [];
      list.push(f);
      byName.set(f.outline.name, list);
    }
    const chosen = new Set<string>();
    const refs = new Map(program.functions.map((f) => [f.key, f]));
    const stack: FnRef[] = [];
    // read/write/close/fcntl/ioctl work on any descriptor: a function calling only those is chosen
    // when its file also uses the socket API proper (a socket module's own wrappers); elsewhere (a
    // file writer, a logger, `set_nonblocking(fd)`) it is analysed on demand, when a chosen function calls it.
    const socketFiles = new Set<number>();
    for (const f of program.functions) if ([...f.outline.calls].some((c) => SOCKET_ONLY_CALLS.has(c))) socketFiles.add(f.file);
    for (const f of program.functions) {
      const calls = [...f.outline.calls];
      const chosenHere = calls.some((c) => SOCKET_ONLY_CALLS.has(c)) || (socketFiles.has(f.file) && calls.some((c) => SOCKET_CALLS.has(c)));
      if (chosenHere) { chosen.add(f.key); stack.push(f); }
    }
    // Callers, up to the roots.
    const callersOf = new Map<string, FnRef[]>();
    for (const f of program.functions) {
      for (const name of f.outline.calls) {
        for (const callee of byName.get(name) ?? []) {
          const list = callersOf.get(callee.key) ?? [];
          list.push(f);
          callersOf.set(callee.key, list);
        }
      }
    }
    // Callers, level by level, as far as the analysis follows them (states.ts asks callers 4 levels
    // up; a server's command handlers, 10 levels above its write(), never matter).
    const addCallers = (from: FnRef[]) => {
      let level = from;
      for (let depth = 0; depth < MAX_CALLER_LEVELS && level.length && chosen.size < MAX_FUNCTIONS; depth++) {
        const next: FnRef[] = [];
        for (const f of level) {
          program.budget.tick();
          for (const c of callersOf.get(f.key) ?? []) if (!chosen.has(c.key)) { chosen.add(c.key); next.push(c); }
        }
        level = next;
      }
    };
    addCallers([...stack]);
    // Functions the chosen ones call (two levels down) that read, write or close a descriptor: the
    // socket may be the one handed to them (`func(sockfd)` with its write()s), and their other callers too.
    const added: FnRef[] = [];
    const visited = new Set<string>(chosen);
    let down = program.functions.filter((f) => chosen.has(f.key));
    for (let depth = 0; depth < 2 && down.length; depth++) {
      const next: FnRef[] = [];
      for (const f of down) {
        for (const name of f.outline.calls) {
          for (const callee of byName.get(name) ?? []) {
            if (visited.has(callee.key)) continue;
            visited.add(callee.key);
            next.push(callee);
            if ([...callee.outline.calls].some((c) => SOCKET_CALLS.has(c))) { chosen.add(callee.key); added.push(callee); }
          }
        }
      }
      down = next;
    }
    addCallers(added);
    // Other callees are analysed on demand, when their summary is asked for (summaryFor).
    void refs;
    return program.functions.filter((f) => chosen.has(f.key));
  }

  /** Functions that never return: no return statement, and their last statement never returns either. */
  private findNoReturn(fns: FnRef[]): void {
    for (let round = 0; round < 4; round++) {
      let changed = false;
      for (const ref of fns) {
        if (this.noReturn.has(ref.key)) continue;
        const ir = this.program.ir(ref);
        let hasReturn = false;
        forEachStmt(ir.body, (s) => { if (s.k === 'return') hasReturn = true; });
        const last = ir.body[ir.body.length - 1];
        if (hasReturn || !last || last.k !== 'expr' || last.expr.k !== 'call') continue;
        const callee = last.expr.callee;
        const name = callee.k === 'name' ? callee.name : undefined;
        if (!name) continue;
        const target = this.program.resolve(name, ref.file);
        if ((target && this.noReturn.has(target.key)) || (!target && C_API[name]?.kind === 'exit')) {
          this.noReturn.add(ref.key);
          changed = true;
        }
      }
      if (!changed) break;
    }
  }

  private hooks(ref: FnRef): CfgHooks {
    return {
      writesThrough: (call, argIndex) => {
        const c = call.callee;
        const name = c.k === 'name' ? c.name : c.k === 'field' ? c.field : undefined;
        if (!name) return true;
        if (READ_ONLY_CALLS.has(name)) return false;
        // bcopy(src, dst, n) is the one that writes its second argument.
        if (WRITES_FIRST_ONLY.has(name) && c.k === 'name') return argIndex === (name === 'bcopy' ? 1 : 0);
        // ioctlsocket(s, FIONBIO, &mode) reads mode; FIONREAD writes.
        if ((name === 'ioctlsocket' || name === 'ioctl') && call.args[1]?.k === 'name' && call.args[1].name === 'FIONBIO') return false;
        return true;
      },
      noReturn: (call) => {
        const c = call.callee;
        const name = c.k === 'name' ? c.name : undefined;
        if (!name) return false;
        const target = this.program.resolve(name, ref.file);
        if (target) return this.noReturn.has(target.key);
        return C_API[name]?.kind === 'exit';
      },
    };
  }

  /** Strongly connected components of the call graph, callees first (Tarjan's algorithm, iterative). */
  private order(fns: FnRef[]): FnRef[][] {
    const keys = new Map(fns.map((f) => [f.key, f]));
    const edges = new Map<string, string[]>();
    for (const f of fns) {
      const out: string[] = [];
      for (const name of f.outline.calls) {
        for (const c of this.program.allNamed(name)) if (keys.has(c.key)) out.push(c.key);
      }
      edges.set(f.key, out);
    }
    const index = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
    const stack: string[] = [];
    const result: FnRef[][] = [];
    let counter = 0;
    for (const f of fns) {
      if (index.has(f.key)) continue;
      const work: { v: string; i: number }[] = [{ v: f.key, i: 0 }];
      index.set(f.key, counter); low.set(f.key, counter); counter++;
      stack.push(f.key); onStack.add(f.key);
      while (work.length) {
        this.program.budget.tick();
        const top = work[work.length - 1];
        const succ = edges.get(top.v) ?? [];
        if (top.i < succ.length) {
          const w = succ[top.i++];
          if (!index.has(w)) {
            index.set(w, counter); low.set(w, counter); counter++;
            stack.push(w); onStack.add(w);
            work.push({ v: w, i: 0 });
          } else if (onStack.has(w)) {
            low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
          }
          continue;
        }
        work.pop();
        if (work.length) {
          const parent = work[work.length - 1].v;
          low.set(parent, Math.min(low.get(parent)!, low.get(top.v)!));
        }
        if (low.get(top.v) === index.get(top.v)) {
          const comp: FnRef[] = [];
          for (;;) {
            const w = stack.pop()!;
            onStack.delete(w);
            comp.push(keys.get(w)!);
            if (w === top.v) break;
          }
          result.push(comp);
        }
      }
    }
    return result;
  }

  private analyseScc(scc: FnRef[]): void {
    const recursive = scc.length > 1 || scc.some((f) => [...f.outline.calls].includes(f.outline.name));
    for (let round = 0; round < (recursive ? 3 : 1); round++) {
      let changed = false;
      for (const ref of scc) {
        const before = this.summaries.get(ref.key);
        const rec = this.keep(ref, this.analyseFunction(ref));
        if (!before || !sameSummary(before, rec.facts.summary)) changed = true;
      }
      if (!changed) break;
    }
  }

  /**
   * A function's summary; a function that was not chosen is analysed when asked with a depth (on
   * demand), up to MAX_DEMAND_DEPTH calls away from a chosen one.
   */
  summaryFor(ref: FnRef, depth: number): Summary | undefined {
    const s = this.summaries.get(ref.key);
    if (s || depth < 0 || depth > MAX_DEMAND_DEPTH || this.chosenKeys.has(ref.key) || this.inProgress.has(ref.key)) return s;
    this.inProgress.add(ref.key);
    try {
      return this.keep(ref, this.analyseFunction(ref, depth)).facts.summary;
    } finally {
      this.inProgress.delete(ref.key);
    }
  }

  private analyseFunction(ref: FnRef, depth = 0): FunctionRecord {
    const ir = this.program.ir(ref);
    this.program.budget.phase = `analysing ${ref.outline.qualified}`;
    const cfg = new Cfg(ir, this.program.budget, this.hooks(ref));
    const scope = new FunctionScope(this.program, ref, ir, cfg);
    const ev = new Evaluator({
      program: this.program, layouts: this.layoutsFor(ref.file), cfg, fileIndex: ref.file, className: ir.className,
      localType: (name) => scope.localType(name),
    });
    const analyzer = new FunctionAnalyzer(scope, cfg, ev, (r, demand) => this.summaryFor(r, demand ? depth + 1 : -1), depth);
    const facts = analyzer.run();
    return { ref, cfg, scope, ev, facts };
  }
}
