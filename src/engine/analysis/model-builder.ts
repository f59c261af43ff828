// Builds a file's SocketModel (the rules' view) from the program analysis: ops in source order, with
// positions as LSP ranges, each op's socket state, and evidence that may point into other files.
import { LineIndex } from '../line-index';
import type { Evidence, LoopInfo, SocketModel, SocketOp, ValueInfo } from '../model';
import type { Stmt } from '../ir/ir';
import type { Range } from '../types';
import type { ProgramAnalysis } from './analyze';
import type { Fact, LoopFact, OpFact } from './facts';
import type { SocketStates } from './state';
import type { MaybeValue } from './values';

const WINSOCK_HEADERS = new Set(['winsock2.h', 'winsock.h', 'ws2tcpip.h', 'mswsock.h', 'WinSock2.h', 'Winsock2.h', 'WS2tcpip.h']);

const MULTICAST_OPTIONS = new Set(['IP_ADD_MEMBERSHIP', 'IPV6_ADD_MEMBERSHIP', 'IPV6_JOIN_GROUP', 'MCAST_JOIN_GROUP', 'IP_ADD_SOURCE_MEMBERSHIP']);

export class ModelBuilder {
  private indexes = new Map<number, LineIndex>();

  /** `winsockViaHeaders(file)`: the file includes a Winsock header through a header of the program. */
  constructor(private a: ProgramAnalysis, private states: SocketStates, private winsockViaHeaders: (file: number) => boolean = () => false) {}

  lineIndex(file: number): LineIndex {
    let idx = this.indexes.get(file);
    if (!idx) { idx = new LineIndex(this.a.program.files[file].text); this.indexes.set(file, idx); }
    return idx;
  }

  private range(file: number, span: { start: number; end: number }): Range {
    return this.lineIndex(file).range(span.start, span.end);
  }

  evidence(f: Fact, file: number): Evidence {
    const ev: Evidence = { via: f.via, range: this.range(f.at.file, f.at.span) };
    if (f.at.file !== file) ev.file = this.a.program.files[f.at.file].path;
    return ev;
  }

  build(file: number): SocketModel {
    const program = this.a.program;
    const fileIR = program.files[file];
    const idx = this.lineIndex(file);
    const facts = this.a.ops().filter((o) => o.fn.file === file).sort((x, y) => x.call.span.start - y.call.span.start || x.node - y.node);
    const ops: SocketOp[] = [];
    const kept: OpFact[] = [];
    for (const f of facts) {
      program.budget.tick();
      const state = this.states.state(f);
      // read/write/close/fcntl on a descriptor not known to be a socket are file I/O.
      if (f.api?.fdCall && !state.isSocket) continue;
      ops.push(this.op(f, file, idx, state));
      kept.push(f);
    }
    ops.forEach((o, i) => { o.index = i; });
    const factOf = new Map<SocketOp, OpFact>();
    ops.forEach((o, i) => factOf.set(o, kept[i]));
    const winsock = ops.some((o) => o.winsock) || this.winsockViaHeaders(file) || fileIR.includes.some((i) => WINSOCK_HEADERS.has(i.path.split('/').pop() ?? ''))
      || fileIR.functions.some((fn) => fn.calls.has('WSAStartup') || fn.calls.has('closesocket') || fn.calls.has('ioctlsocket') || fn.calls.has('WSAGetLastError'));
    return {
      language: fileIR.language,
      api: winsock ? 'winsock' : ops.length > 0 ? 'bsd' : 'none',
      joinsMulticast: fileIR.functions.some((fn) => fn.calls.has('WSAJoinLeaf'))
        || ops.some((o) => o.kind === 'setsockopt' && !!o.option && MULTICAST_OPTIONS.has(o.option.name)),
      ops,
      errorNodes: fileIR.errorSpans.length,
      includes: fileIR.includes.map((i) => ({ path: i.path, system: i.system, line: idx.position(i.span.start).line })),
      locals: this.locals(file),
      definedNames: new Set([...fileIR.functions.map((fn) => fn.name), ...fileIR.macros.map((m) => m.name)]),
      mayPrecede: (a, b, avoiding = []) => {
        const fa = factOf.get(a), fb = factOf.get(b);
        if (!fa || !fb || fa.fn.key !== fb.fn.key) return true;
        const rec = this.a.records.get(fa.fn.key);
        // The same op again: on a later pass of a loop it is in (not when it is followed by a return).
        if (a === b) return !rec || rec.cfg.reaches(fa.node, fa.node);
        if (fa.node === fb.node) return fa.call.span.start < fb.call.span.start;
        const blocked = new Set(avoiding.map((o) => factOf.get(o)).filter((f) => f && f.fn.key === fa.fn.key).map((f) => f!.node));
        blocked.delete(fa.node);
        blocked.delete(fb.node);
        return !rec || rec.cfg.reaches(fa.node, fb.node, blocked.size > 0 ? (n) => blocked.has(n) : undefined);
      },
    };
  }

  /**
   * The op's socket is its function's parameter, and every call of the function hands it a
   * connection the caller has just accepted or connected: an open reaches the call, no send on it
   * reaches the call without a new open in between, and the call does not come round again on the
   * same connection (`int fd = accept(...); do_io_event(fd);` inside the accept loop).
   */
  private openedByCallers(f: OpFact): boolean {
    const p = f.socketRootParam;
    if (p === undefined || f.socketLoc !== `p:${f.fn.key}:${p}`) return false;
    const calls = this.a.callers.get(f.fn.key);
    if (!calls || calls.length === 0) return false;
    return calls.every((c) => {
      const loc = c.argLocs[p];
      if (!loc) return false;
      const cfg = c.caller.cfg;
      const onIt = c.caller.facts.ops.filter((o) => o.socketLoc === loc);
      const opens = onIt.filter((o) => (o.kind === 'accept' || o.kind === 'connect') && o.node !== c.node);
      if (!opens.some((o) => cfg.reaches(o.node, c.node))) return false;
      const openNodes = new Set(opens.map((o) => o.node));
      const throughNoOpen = (from: number, to: number) => cfg.reaches(from, to, (n) => openNodes.has(n) && n !== from && n !== to);
      if (throughNoOpen(c.node, c.node)) return false;
      return !onIt.some((o) => o.node !== c.node && (o.kind === 'send' || o.kind === 'sendto' || (o.kind === 'helper' && o.helperInfo?.kinds.includes('send'))) && throughNoOpen(o.node, c.node));
    });
  }

  /**
   * A caller that, right after calling the op's function with the socket, reads from it with no
   * send on it in between (`SendReq(fd, &req); RecvRes(fd, &res);`): where that read is.
   */
  private readByCallerAfter(f: OpFact, file: number): Evidence | undefined {
    const p = f.socketRootParam;
    if (p === undefined || f.socketLoc !== `p:${f.fn.key}:${p}`) return undefined;
    for (const c of this.a.callers.get(f.fn.key) ?? []) {
      const loc = c.argLocs[p];
      if (!loc) continue;
      const cfg = c.caller.cfg;
      const onIt = c.caller.facts.ops.filter((o) => o.socketLoc === loc && o.node !== c.node);
      const sendNodes = new Set(onIt.filter((o) => o.kind === 'send' || o.kind === 'sendto' || (o.kind === 'helper' && o.helperInfo?.kinds[0] === 'send')).map((o) => o.node));
      const read = onIt.find((o) => (o.kind === 'recv' || (o.kind === 'helper' && o.helperInfo?.kinds[0] === 'recv'))
        && cfg.reaches(c.node, o.node, (n) => sendNodes.has(n)));
      if (read) return this.evidence({ via: read.callee, at: { file: read.fn.file, span: read.call.span } }, file);
    }
    return undefined;
  }

  private op(f: OpFact, file: number, idx: LineIndex, state: ReturnType<SocketStates['state']>): SocketOp {
    const program = this.a.program;
    const ir = program.ir(f.fn);
    const ev = (x: Fact | undefined) => (x ? this.evidence(x, file) : undefined);
    const result = { ...f.result, variable: f.result.variable };
    // A count stored in a field or global is checked wherever that location is compared.
    if (f.result.storedTo && this.a.comparedLocs.has(f.result.storedTo)) result.lengthChecked = true;
    const errorPath = {
      exists: f.errorPath.exists, distinguishesWouldBlock: f.errorPath.distinguishesWouldBlock, closes: f.errorPath.closes,
      leaves: f.errorPath.leaves, wouldBlockLeaves: f.errorPath.wouldBlockLeaves, returnsFailure: f.errorPath.returnsFailure, returnsErrorCode: !!f.errorPath.returnsErrorCode, returnsNothing: f.errorPath.returnsNothing,
      handledByCaller: f.errorPath.returnsFailure ? this.states.handledByCallers(f) : undefined,
      range: f.errorPath.span ? idx.range(f.errorPath.span.start, f.errorPath.span.end) : undefined,
      closeRange: f.errorPath.closeSpan ? idx.range(f.errorPath.closeSpan.start, f.errorPath.closeSpan.end) : undefined,
      braced: f.errorPath.braced,
    };
    const creation = state.creation && state.creation.at.file === file ? {
      range: this.range(file, state.creation.at.span),
      statement: state.creation.statement ? idx.wholeLines(state.creation.statement.start, state.creation.statement.end) : undefined,
      errorCheck: state.creation.errorCheck ? idx.wholeLines(state.creation.errorCheck.start, state.creation.errorCheck.end) : undefined,
      display: state.creation.display,
    } : undefined;
    const stmt = f.statement;
    // A length that depends on parameters may be known from what every caller passes.
    if (f.length && !f.length.value && f.length.expr) {
      const v = this.a.records.get(f.fn.key)?.ev.value(f.length.expr);
      if (v) f.length = { ...f.length, value: v };
    }
    const op: SocketOp = {
      index: -1, kind: f.kind, callee: f.callee, winsock: f.winsock,
      socket: f.socketLoc ? { key: f.socketLoc, text: f.socketText ?? f.socketLoc, objects: state.objects.map((c) => c.key), alias: this.alias(f) } : undefined,
      range: idx.range(f.call.span.start, f.call.span.end),
      nameRange: idx.range(f.call.nameSpan.start, f.call.nameSpan.end),
      statementRange: stmt?.whole ? idx.wholeLines(stmt.span.start, stmt.span.end) : undefined,
      statement: stmt ? { range: idx.wholeLines(stmt.span.start, stmt.span.end), block: stmt.block } : undefined,
      indent: idx.indentAt(stmt?.span.start ?? f.call.span.start),
      branches: f.branches,
      fn: ir.qualified, fnKey: f.fn.key,
      fnReturns: { name: ir.returnType.name, pointers: ir.returnType.ptr, onTheWayOut: finalConstant(ir.body) },
      helperSite: f.fn.file === file ? this.helperSite(file, ir.span) : undefined,
      args: f.call.args.map((a) => idx.range(a.span.start, a.span.end)),
      loops: f.loops.map((l) => this.loop(l, idx)),
      variesPerIteration: f.variesPerIteration,
      length: f.length ? valueInfo(f.length.text, f.length.value) : undefined,
      buffer: f.buffer,
      bufferCapacity: f.bufferCapacity,
      flags: f.flags,
      overlappedArg: f.overlappedArg,
      vectored: f.vectored,
      result,
      errorPath,
      option: f.option ? {
        level: f.option.level, name: f.option.name, value: exactOf(f.option.value), valueText: f.option.valueText,
        valueDecl: f.option.valueDecl ? { range: idx.wholeLines(f.option.valueDecl.span.start, f.option.valueDecl.span.end), onlyUse: f.option.valueDecl.onlyUse } : undefined,
      } : undefined,
      ownIf: !!stmt?.ownIf,
      retryLoop: f.retryLoop,
      openedByCallers: (f.kind === 'send' || f.kind === 'helper') && this.openedByCallers(f),
      readByCallerAfter: f.kind === 'send' || f.kind === 'helper' ? this.readByCallerAfter(f, file) : undefined,
      helper: f.helper && f.helperInfo ? {
        kinds: f.helperInfo.kinds, sendsAll: f.helperInfo.sendsAll, receivesAll: f.helperInfo.receivesAll, returnsCount: f.helperInfo.returnsCount,
        singleSendSize: f.helperInfo.singleSendSize ? valueInfo('', f.helperInfo.singleSendSize) : undefined,
        definedAt: this.evidence({ via: f.helper.outline.qualified, at: { file: f.helper.file, span: f.helper.outline.nameSpan } }, file),
      } : undefined,
      consumedAsMessage: f.consumedAsMessage ? { how: f.consumedAsMessage.how, range: idx.range(f.consumedAsMessage.span.start, f.consumedAsMessage.span.end), framing: f.consumedAsMessage.framing } : undefined,
      accumulates: f.accumulates,
      // A handler the event loop calls only for a ready socket reads (or writes) after readiness too.
      afterReadiness: f.afterReadiness || (f.loops.length === 0 && this.a.calledOnlyWhenReady(f.fn.key)),
      inBrokenCode: ir.hasErrors,
      state: {
        transport: state.transport,
        nonBlocking: ev(state.nonBlocking),
        connectedBefore: ev(state.connectedBefore),
        accepted: ev(state.accepted),
        nagleOff: ev(state.nagleOff),
        nagleUnknown: state.nagleUnknown || undefined,
        overlapped: ev(state.overlapped),
        sendTimeout: ev(state.sendTimeout),
        sendBuffer: state.sendBuffer ? { value: state.sendBuffer.value, evidence: this.evidence(state.sendBuffer.fact, file) } : undefined,
        creation,
      },
    };
    return op;
  }

  /**
   * The line a helper for a function goes on: where the function starts, above the comment lines
   * right before it. None for a function defined inside a class body (a free function cannot go there).
   */
  private helperSite(file: number, fn: { start: number; end: number }): Range | undefined {
    const ir = this.a.program.files[file];
    if (ir.structs.some((st) => st.span.start < fn.start && fn.end <= st.span.end)) return undefined;
    const idx = this.lineIndex(file);
    let line = idx.position(fn.start).line;
    const comments = [...ir.commentSpans].sort((x, y) => y.start - x.start);
    for (const c of comments) {
      if (c.start >= fn.start) continue;
      const end = idx.position(c.end), start = idx.position(c.start);
      // Only a comment that ends on the line just above and starts its own line leads the function.
      if (end.line !== line - 1 || idx.indentAt(c.start).length !== start.character) break;
      line = start.line;
    }
    return { start: { line, character: 0 }, end: { line, character: 0 } };
  }

  /** Locals and parameters of one function that name the same socket share the smallest of their keys. */
  private alias(f: OpFact): string | undefined {
    const loc = f.socketLoc;
    if (!loc || !(loc.startsWith('l:') || loc.startsWith('p:'))) return undefined;
    const rec = this.a.records.get(f.fn.key);
    if (!rec) return undefined;
    return [...this.states.sameSocketLocs(rec, loc)].filter((k) => k.startsWith('l:') || k.startsWith('p:')).sort()[0];
  }

  private locals(file: number): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const r of this.a.records.values()) {
      if (r.ref.file !== file) continue;
      out.set(r.ref.key, new Set([...r.cfg.locals]));
    }
    return out;
  }

  private loop(l: LoopFact, idx: LineIndex): LoopInfo {
    return {
      id: l.id, kind: l.kind, range: idx.range(l.span.start, l.span.end), constantBound: l.constantBound, infinite: l.infinite,
      counterBounded: l.counterBounded, waits: l.waits, sleepMs: l.sleepMs, pacedByInput: l.pacedByInput, readsFile: l.readsFile,
      conditionText: l.conditionText, conditionVars: l.conditionVars,
    };
  }
}

/** The constant a function body ends by returning (`return 1;`, `return true;`), as written. */
function finalConstant(body: Stmt[]): string | undefined {
  const last = body[body.length - 1];
  if (last?.k !== 'return' || !last.value) return undefined;
  const v = last.value;
  if (v.k === 'num' && Number.isInteger(v.value)) return String(v.value);
  if (v.k === 'name' && !v.qualifier && ['true', 'false', 'TRUE', 'FALSE'].includes(v.name)) return v.name;
  return undefined;
}

function exactOf(v: MaybeValue): number | undefined {
  return v && v.lo === v.hi ? v.lo : undefined;
}

function valueInfo(text: string, v: MaybeValue): ValueInfo {
  const out: ValueInfo = { text };
  if (v) {
    if (v.lo === v.hi) out.value = v.lo;
    out.min = v.lo;
    out.max = v.hi;
  }
  return out;
}
