// How a call's result is used (ignored, compared with an error value, compared with a length, used
// to advance, returned, asserted, handed on) and what happens when it reports failure: does the
// failure branch tell WOULDBLOCK apart, close the connection, leave, or retry. Follows the result
// through locals (definition-use chains), functions of the program (their summaries), fields and
// test assertions.
import type { CallExpr, Expr, LoopStmt, Span, Stmt, TryStmt, TypeRef } from '../ir/ir';
import { forEachExpr, forEachStmt, stmtExprs, stripCasts } from '../ir/walk';
import { ERROR_SOURCES, FAILURE_NAMES, isAssertionName, isWouldBlockName, looksLikeTeardown, looksLikeWouldBlockTest } from '../lang/c/api';
import type { Cfg, Def } from './cfg';
import type { FunctionScope, LocKey } from './calls';
import { CATCHES_WOULDBLOCK, WOULDBLOCK_EXCEPTIONS } from '../lang/python/api';
import { CS_CATCHES_WOULDBLOCK } from '../lang/csharp/api';
import { sameExpr } from './buffers';
import { unwrapped } from './context';
import type { ErrorPathFact, ResultFact } from './facts';
import type { Summary } from './summary';
import { isExact, type Evaluator } from './values';

const RELATIONAL = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** A comparison of the result with an error value, and which way it reads. */
interface Check { cmp: Expr; failureWhenTrue: boolean; owner?: Stmt; errorValue?: number }

/** Checks that catch the failure (-1) rank first; `== 0` (end of stream) and length checks after. */
function rank(c: Check): number {
  if (!c.owner) return 3;
  if (c.errorValue === -1 || c.errorValue === ZERO_SUCCESS) return 0;
  if (c.errorValue === 0 && c.cmp.k === 'binary' && (c.cmp.op === '<' || c.cmp.op === '<=' || c.cmp.op === '>' || c.cmp.op === '>=')) return 0;
  if (c.errorValue === 0) return 1;
  return 2;
}

export class ResultAnalyzer {
  constructor(
    private scope: FunctionScope,
    private cfg: Cfg,
    private ev: Evaluator,
    private summaryOf: (call: CallExpr) => Summary | undefined,
  ) {}

  private lengthExpr?: Expr;
  private zeroIsSuccess = false;

  /**
   * How the result of `call` is used; `length` is the length it asked for (a comparison with it is a
   * length check). `zeroIsSuccess`: the call returns 0 on success (WSASend, WSARecv), not a count.
   */
  result(call: CallExpr, length?: Expr, zeroIsSuccess = false): { result: ResultFact; checks: Check[] } {
    this.zeroIsSuccess = zeroIsSuccess;
    const r: ResultFact = { ignored: false, explicitlyVoided: false, errorChecked: false, lengthChecked: false, comparedWithOther: false, returned: false, asserted: false, passedOn: false, advances: [] };
    const checks: Check[] = [];
    this.lengthExpr = length;
    this.classify(call, r, checks, 0, new Set());
    // The failure check first: a comparison with -1 / SOCKET_ERROR or `< 0` over `== 0` (end of stream).
    checks.sort((a, b) => rank(a) - rank(b));
    return { result: r, checks };
  }

  /** A reference parameter, or what a pointer parameter points to: writing it hands a value to the caller. */
  private isOutParameter(target: Expr): boolean {
    const t = stripCasts(target);
    const params = this.cfg.fn.params;
    if (t.k === 'name') return params.some((p) => p.name === t.name && p.type.isRef && !p.type.isConst);
    if (t.k === 'unary' && t.op === '*') {
      const base = stripCasts(t.arg);
      return base.k === 'name' && params.some((p) => p.name === base.name && p.type.ptr > 0);
    }
    return false;
  }

  /** `other` is the requested length: the same expression, or the same known value. */
  private isRequestedLength(other: Expr): boolean {
    const len = this.lengthExpr;
    if (!len) return false;
    if (sameExpr(unwrapped(other), unwrapped(len))) return true;
    const a = this.ev.value(other), b = this.ev.value(len);
    return isExact(a) && isExact(b) && a.lo === b.lo;
  }

  private classify(e: Expr, r: ResultFact, checks: Check[], depth: number, seen: Set<Def>): void {
    if (depth > 6) { r.passedOn = true; return; }
    const p = this.cfg.parents.get(e);
    if (!p) return;
    if (!p.expr) {
      const s = p.stmt;
      if (!s) return;
      switch (s.k) {
        case 'expr': r.ignored = true; return;
        case 'return':
          // `bool send_packet(...) { return send(...); }` keeps only "non-zero": the count is lost there.
          if (isBoolean(this.cfg.fn.returnType)) r.errorChecked = true; else r.returned = true;
          return;
        case 'if': case 'loop': case 'switch': r.errorChecked = true; return; // `if (n)`, `switch (n)`
        case 'decl': {
          const v = s.vars.find((x) => x.init === e);
          if (!v) return;
          if (depth === 0) r.variable = v.name;
          const node = this.cfg.nodeOf(e);
          const def = node === undefined ? undefined : this.defAt(node, v.name);
          if (def) this.followDef(def, r, checks, depth, seen);
          return;
        }
        default: return;
      }
    }
    const parent = p.expr;
    switch (parent.k) {
      case 'cast':
        if (parent.type.name === 'void' && parent.type.ptr === 0) {
          const pp = this.cfg.parents.get(parent);
          if (pp && !pp.expr && pp.stmt?.k === 'expr') { r.ignored = true; r.explicitlyVoided = true; return; }
        }
        this.classify(parent, r, checks, depth, seen);
        return;
      case 'binary': {
        if (RELATIONAL.has(parent.op)) {
          const other = parent.left === e ? parent.right : parent.left;
          const errorValue = this.errorValue(other);
          if (errorValue !== undefined) {
            r.errorChecked = true;
            checks.push({ cmp: parent, failureWhenTrue: failureWhenTrue(parent.op, parent.left === e, errorValue), owner: this.conditionOwner(parent), errorValue });
          } else if (this.isRequestedLength(other)) {
            r.lengthChecked = true;
            // `n != len` also separates failure from success: a short count or an error both take the branch.
            checks.push({ cmp: parent, failureWhenTrue: parent.op === '!=' || parent.op === '<' && parent.left === e || parent.op === '>' && parent.right === e, owner: this.conditionOwner(parent) });
          } else {
            r.comparedWithOther = true;
            // `n != 1 || buf[0] != ACK`, `if (n == sizeof(Reply))`: only the expected count is taken. (`n < 4`
            // is not: it checks that a header arrived, not the body after it.)
            const v = this.ev.value(unwrapped(other));
            if (isExact(v) && v.lo >= 1 && (parent.op === '==' || parent.op === '!=')) r.expectsCount = true;
          }
          return;
        }
        if (parent.op === '+' || parent.op === '-') {
          r.lengthChecked = true;
          // `sent = sent + n`, `left = left - n`.
          const pp = this.cfg.parents.get(parent)?.expr;
          if (pp?.k === 'assign' && pp.value === parent) {
            const k = this.cfg.localKey(pp.target);
            if (k && !r.advances.includes(k)) r.advances.push(k);
          }
          return;
        }
        if (parent.op === '&&' || parent.op === '||') { r.errorChecked = true; return; }
        r.passedOn = true;
        return;
      }
      case 'unary':
        if (parent.op === '!') {
          r.errorChecked = true;
          checks.push({ cmp: parent, failureWhenTrue: true, owner: this.conditionOwner(parent) });
          return;
        }
        if (parent.op === '-') { r.lengthChecked = true; return; }
        return;
      case 'assign': {
        if (parent.value !== e) return;
        if (parent.op === '+=' || parent.op === '-=') {
          r.lengthChecked = true;
          const k = this.cfg.localKey(parent.target);
          if (k && !r.advances.includes(k)) r.advances.push(k);
          if (!k) r.advancesStored = true;
          return;
        }
        // `bytesSent = send(...)` into an `int &bytesSent` (or `*sent = ...`) parameter: the caller gets the count.
        if (this.isOutParameter(parent.target)) r.handedOut = true;
        const key = this.cfg.localKey(parent.target);
        if (key) {
          if (depth === 0) r.variable = key;
          const node = this.cfg.nodeOf(parent);
          const def = node === undefined ? undefined : this.defAt(node, key, parent);
          if (def) this.followDef(def, r, checks, depth, seen);
          // `if ((n = send(...)) < 0)`: the assignment's own value is compared too (unless the assignment is the statement).
          const pp = this.cfg.parents.get(parent);
          if (pp?.expr || (pp?.stmt && pp.stmt.k !== 'expr')) this.classify(parent, r, checks, depth + 1, seen);
          return;
        }
        r.storedTo = this.scope.loc(parent.target);
        return;
      }
      case 'call': {
        const argIndex = parent.args.indexOf(e);
        if (argIndex < 0) { r.passedOn = true; return; }
        const callee = this.scope.resolve(parent);
        if (isAssertionName(callee.name)) { r.asserted = true; r.errorChecked = true; return; }
        if (callee.k === 'fn') {
          const s = this.summaryOf(parent);
          if (s?.paramAdvanced.has(argIndex)) { r.lengthChecked = true; return; }
          if (s?.paramCompared.has(argIndex)) { r.comparedWithOther = true; return; }
          if (s && s.paramReturned.has(argIndex)) { this.classify(parent, r, checks, depth + 1, seen); return; }
        }
        if (looksLikeConsume(callee.name)) { r.lengthChecked = true; return; }
        r.passedOn = true;
        return;
      }
      case 'cond':
        if (parent.test === e) { r.errorChecked = true; return; }
        this.classify(parent, r, checks, depth + 1, seen);
        return;
      case 'index': return; // `buf[n] = '\0'`
      case 'comma': this.classify(parent, r, checks, depth, seen); return;
      default: r.passedOn = true;
    }
  }

  private defAt(node: number, key: string, at?: Expr): Def | undefined {
    for (const ev of this.cfg.nodes[node].events) {
      if (ev.k === 'def' && ev.key === key && (!at || ev.def.at === at)) return ev.def;
    }
    return undefined;
  }

  private followDef(def: Def, r: ResultFact, checks: Check[], depth: number, seen: Set<Def>): void {
    if (seen.has(def)) return;
    seen.add(def);
    for (const u of this.cfg.usesOf(def)) this.classify(u.expr, r, checks, depth + 1, seen);
  }

  /** -1, SOCKET_ERROR, 0 (and the like): the values a failed call returns. Returns the value. */
  private errorValue(e: Expr): number | undefined {
    const x = unwrapped(e);
    if (x.k === 'name' && FAILURE_NAMES.has(x.name)) return -1;
    const v = this.ev.value(x);
    if (isExact(v) && v.lo === -1) return -1;
    // For WSASend/WSARecv, 0 is success: `n == 0` tests success, the failure is the other side.
    if (isExact(v) && v.lo === 0) return this.zeroIsSuccess ? ZERO_SUCCESS : 0;
    return undefined;
  }

  /** The if/while/for/do whose condition holds this comparison (through &&, ||, !). */
  private conditionOwner(cmp: Expr): Stmt | undefined {
    let cur: Expr = cmp;
    for (let i = 0; i < 16; i++) {
      const p = this.cfg.parents.get(cur);
      if (!p) return undefined;
      if (!p.expr) {
        const s = p.stmt;
        if (s && (s.k === 'if' || s.k === 'loop') && stmtExprs(s).includes(cur)) return s;
        return undefined;
      }
      const x = p.expr;
      if ((x.k === 'binary' && (x.op === '&&' || x.op === '||')) || (x.k === 'unary' && x.op === '!') || x.k === 'cast' || x.k === 'assign') { cur = x; continue; }
      return undefined;
    }
    return undefined;
  }

  // ---- the failure branch --------------------------------------------------------------------

  /** What the failure branch of `call` does; `loop` is the innermost loop around the call. */
  errorPath(call: CallExpr, checks: Check[], loop: LoopStmt | undefined, resultVar: string | undefined): ErrorPathFact {
    const none: ErrorPathFact = { exists: false, distinguishesWouldBlock: false, closes: false, leaves: false, returnsFailure: false };
    // Python's, .NET's and Java's socket calls fail by raising: a count of 0 is the end of the stream, never a failure.
    if (call.known === 'cs.send.code' || call.known === 'cs.recv.code') return none;
    if (call.known?.startsWith('py.') || call.known?.startsWith('cs.') || call.known?.startsWith('go.') || call.known?.startsWith('java.')) return this.exceptPath(call) ?? none;
    const loopConds = loop?.cond ? [loop.cond] : [];
    // `do { n = send(...); } while (n < 0 && errno == EAGAIN);`: the loop's own condition retries on WOULDBLOCK.
    for (const c of loopConds) {
      if (this.mentionsWouldBlock([c]) && (refersTo(c, call) || (resultVar !== undefined && namesLocal(c, resultVar)))) {
        return { ...none, exists: true, distinguishesWouldBlock: true, wouldBlockLeaves: false };
      }
    }
    // `do n = recv(..); while (n < 0 && errno == EINTR);`: a loop that only retries the call is not
    // the failure handling; the check after it is.
    // A check that only tells 0 apart (`n == 0`, `!n`: the peer closed) does not catch the failure (-1).
    const check = checks.find((c) => c.owner && rank(c) !== 1 && !(c.owner.k === 'loop' && c.failureWhenTrue && containsCall(c.owner, call)));
    if (!check || !check.owner) return this.exceptPath(call) ?? none;
    const owner = check.owner;
    let region: Stmt[] | undefined;
    // The region's statements sit in a `{ ... }` block, where a fix can add code as it is.
    let braced: boolean | undefined;
    const failureInThen = check.failureWhenTrue !== negated(check.cmp, owner);
    if (owner.k === 'if') {
      if (failureInThen) { region = owner.then; braced = owner.thenBraced; }
      else if (owner.else) { region = owner.else; braced = owner.elseBraced; }
      else { region = jumpsAway(owner.then) ? this.following(owner) : undefined; braced = true; }
    } else if (owner.k === 'loop') {
      // `while ((n = recv(...)) > 0) { ... }`: failure leaves the loop; what follows is the failure path.
      region = failureInThen ? owner.body : this.following(owner);
      braced = failureInThen ? undefined : true;
    }
    if (!region) return none;
    const condExprs = stmtExprs(owner);
    const regionExprs: Expr[] = [];
    forEachStmt(region, (s) => regionExprs.push(...stmtExprs(s)));
    const distinguishes = this.mentionsWouldBlock(condExprs) || this.mentionsWouldBlock(regionExprs) || this.switchesOnWouldBlock(region);
    const closeCall = this.closeCall(regionExprs);
    const leavesRegion = this.leaves(region, regionExprs);
    // Falling through to the loop's end leaves it when the loop repeats only on another error
    // (`do { ... } while (err == EINTR)`).
    let wbLeaves: boolean | undefined;
    if (distinguishes) {
      const outcome = this.wouldBlockLeaves(owner, region, failureInThen);
      // Falling through is a retry only if nothing on the way back to the loop's head may leave.
      wbLeaves = outcome === 'leaves' || (outcome === 'falls-through'
        && ((loopConds[0] !== undefined && (this.repeatsOnlyOnOtherErrors(loopConds[0]) || falseOnFailure(loopConds[0], resultVar, this.ev)))
          || (loop !== undefined && this.mayLeaveLater(loop, owner, region))));
    }
    return {
      exists: true,
      distinguishesWouldBlock: distinguishes,
      wouldBlockLeaves: wbLeaves,
      closes: !!closeCall,
      leaves: leavesRegion,
      returnsFailure: !closeCall && returnsOnly(region),
      returnsErrorCode: !closeCall && returnsOnly(region) && (this.returnsErrorSource(region) || this.returnsMinusOne(region)),
      returnsNothing: !closeCall && returnsOnly(region) && returnsNoValue(region) && isVoid(this.cfg.fn.returnType),
      span: regionSpan(region),
      braced,
      closeSpan: closeCall?.span,
    };
  }

  /**
   * Languages whose socket calls raise (Python): the failure path is the first handler of the
   * innermost enclosing `try` that catches the would-block exception (BlockingIOError or one of its
   * bases). It tells WOULDBLOCK apart when it catches BlockingIOError itself, or a base whose body
   * tests the error code (`e.errno == errno.EAGAIN`). Undefined when no handler of that kind encloses the call.
   */
  private exceptPath(call: CallExpr): ErrorPathFact | undefined {
    let stmt: Stmt | undefined;
    for (let e: Expr | undefined = call, i = 0; e && i < 64; i++) {
      const p = this.cfg.parents.get(e);
      if (!p) return undefined;
      if (p.stmt) { stmt = p.stmt; break; }
      e = p.expr;
    }
    for (let s = stmt, i = 0; s && i < 64; i++) {
      const parent = this.cfg.stmtParents.get(s);
      if (parent?.k === 'try' && parent.catches && parent.body.includes(s)) {
        const region = this.catchingHandler(parent);
        if (region === undefined) return undefined;
        const regionExprs: Expr[] = [];
        forEachStmt(region.body, (x) => regionExprs.push(...stmtExprs(x)));
        const closeCall = this.closeCall(regionExprs);
        const distinguishes = region.specific || this.mentionsWouldBlock(regionExprs);
        return {
          exists: true,
          distinguishesWouldBlock: distinguishes,
          wouldBlockLeaves: distinguishes ? this.leaves(region.body, regionExprs) : undefined,
          closes: !!closeCall,
          leaves: this.leaves(region.body, regionExprs),
          returnsFailure: !closeCall && returnsOnly(region.body),
          returnsErrorCode: false,
          returnsNothing: !closeCall && returnsOnly(region.body) && returnsNoValue(region.body),
          span: regionSpan(region.body),
          braced: true,
          closeSpan: closeCall?.span,
        };
      }
      s = parent;
    }
    return undefined;
  }

  /** The first handler of a `try` that catches the would-block exception, and whether it names it. */
  private catchingHandler(t: TryStmt): { body: Stmt[]; specific: boolean } | undefined {
    for (let i = 0; i < t.handlers.length; i++) {
      const types = t.catches?.[i];
      if (types === undefined) return { body: t.handlers[i], specific: false };
      if (types.some((n) => WOULDBLOCK_EXCEPTIONS.has(n))) return { body: t.handlers[i], specific: true };
      if (types.some((n) => CATCHES_WOULDBLOCK.has(n) || CS_CATCHES_WOULDBLOCK.has(n))) return { body: t.handlers[i], specific: false };
    }
    return undefined;
  }

  /** The statements after `s` in the block that holds it. */
  private following(s: Stmt): Stmt[] | undefined {
    const parent = this.cfg.stmtParents.get(s);
    const list = parent ? blockOf(parent, s) : this.cfg.fn.body.includes(s) ? this.cfg.fn.body : undefined;
    if (!list) return undefined;
    const i = list.indexOf(s);
    return i >= 0 ? list.slice(i + 1) : undefined;
  }

  mentionsWouldBlock(exprs: Expr[]): boolean {
    let found = false;
    forEachExpr(exprs, (x) => {
      if (found) return false;
      if (x.k === 'name' && isWouldBlockName(x.name)) found = true;
      else if (x.k === 'call') {
        const callee = this.scope.resolve(x);
        if (callee.k === 'fn') {
          const s = this.summaryOf(x);
          if (s?.classifiesWouldBlock || s?.mentionsWouldBlock) found = true;
        } else if (looksLikeWouldBlockTest(callee.name)) {
          found = true;
        }
      }
      return undefined;
    });
    return found;
  }

  private switchesOnWouldBlock(region: Stmt[]): boolean {
    let found = false;
    forEachStmt(region, (s) => {
      if (s.k === 'switch' && s.cases.some((c) => this.mentionsWouldBlock(c.labels))) found = true;
    });
    return found;
  }

  /**
   * After the failure check, the rest of the loop body may still leave (a return or break on the
   * transfer's progress, `if (sent != want) return;`): falling through is then no proof of a retry.
   */
  private mayLeaveLater(loop: LoopStmt, owner: Stmt, region: Stmt[]): boolean {
    let after = false, leaves = false;
    for (const s of loop.body) {
      if (s === owner || containsStmt(s, owner)) { after = true; continue; }
      if (!after || region.includes(s)) continue;
      forEachStmt([s], (x) => { if (x.k === 'return' || x.k === 'break' || x.k === 'goto' || x.k === 'throw') leaves = true; });
    }
    return leaves;
  }

  /** The loop condition tests an error code (EINTR) and not WOULDBLOCK: WOULDBLOCK ends the loop. */
  private repeatsOnlyOnOtherErrors(cond: Expr): boolean {
    if (this.mentionsWouldBlock([cond])) return false;
    let errorCode = false;
    forEachExpr([cond], (x) => {
      if (x.k === 'name' && (ERROR_SOURCES.has(x.name) || x.name === 'EINTR' || x.name.endsWith('_EINTR') || x.name === 'WSAEINTR')) errorCode = true;
      if (x.k === 'call' && x.callee.k === 'name' && ERROR_SOURCES.has(x.callee.name)) errorCode = true;
    });
    return errorCode;
  }

  /** A return in the region hands back the error code itself (`return -errno;`, `return UV__ERR(errno);`). */
  /**
   * Every return in the failure branch hands back -1 (or SOCKET_ERROR): the count-or-minus-one
   * convention of read()/send(), which leaves errno / WSAGetLastError() for the caller to read.
   */
  private returnsMinusOne(region: Stmt[]): boolean {
    let all = true, any = false;
    forEachStmt(region, (st) => {
      if (st.k !== 'return') return;
      any = true;
      const v = st.value ? this.ev.value(st.value) : undefined;
      if (!isExact(v) || v.lo !== -1) all = false;
    });
    return any && all;
  }

  private returnsErrorSource(region: Stmt[]): boolean {
    let found = false;
    forEachStmt(region, (s) => {
      if (s.k !== 'return' || !s.value) return;
      forEachExpr([s.value], (x) => {
        if (x.k === 'name' && ERROR_SOURCES.has(x.name)) found = true;
        if (x.k === 'call' && x.callee.k === 'name' && ERROR_SOURCES.has(x.callee.name)) found = true;
      });
    });
    // A local holding the error code (`err = errno; ... return err;`) counts too.
    if (!found) {
      forEachStmt(region, (s) => {
        if (s.k !== 'return' || !s.value || s.value.k !== 'name') return;
        const node = this.cfg.nodeOf(s.value);
        if (node === undefined) return;
        for (const d of this.cfg.reachingDefs(s.value.name, node, s.value)) {
          if (d.value) forEachExpr([d.value], (x) => {
            if ((x.k === 'name' && ERROR_SOURCES.has(x.name)) || (x.k === 'call' && x.callee.k === 'name' && ERROR_SOURCES.has(x.callee.name))) found = true;
          });
        }
      });
    }
    return found;
  }

  private closeCall(exprs: Expr[]): CallExpr | undefined {
    let out: CallExpr | undefined;
    forEachExpr(exprs, (x) => {
      if (out || x.k !== 'call') return undefined;
      const callee = this.scope.resolve(x);
      if (callee.k === 'api' && (callee.api.kind === 'close' || callee.api.kind === 'shutdown')) out = x;
      else if (callee.k === 'fn' && this.summaryOf(x)?.closes) out = x;
      else if (callee.k !== 'api' && callee.k !== 'fn' && looksLikeTeardown(callee.name)) out = x;
      return undefined;
    });
    return out;
  }

  private leaves(region: Stmt[], exprs: Expr[]): boolean {
    let out = false;
    forEachStmt(region, (s) => { if (s.k === 'return' || s.k === 'break' || s.k === 'goto' || s.k === 'throw') out = true; });
    if (out) return true;
    forEachExpr(exprs, (x) => {
      if (x.k !== 'call') return;
      const callee = this.scope.resolve(x);
      if ((callee.k === 'api' && callee.api.kind === 'exit') || (callee.k === 'fn' && this.summaryOf(x)?.noReturn)) out = true;
    });
    return out;
  }

  /**
   * The branch taken on WOULDBLOCK leaves (return/goto/throw/break/exit) rather than retrying. Looks
   * for the if or switch that tests WOULDBLOCK in the owner's condition or in the failure branch.
   */
  private wouldBlockLeaves(owner: Stmt, region: Stmt[], failureInThen: boolean): WbOutcome {
    // The owner's own condition tells it apart: `if (n < 0 && err != EAGAIN) { close... }`.
    if (owner.k === 'if' && this.mentionsWouldBlock([owner.cond])) {
      const positive = positiveTest(owner.cond);
      // A positive test (`err == EAGAIN`) sends WOULDBLOCK into the failure branch when it is the then-branch.
      const wbBranch = positive === failureInThen ? region : (failureInThen ? owner.else ?? this.following(owner) : owner.then);
      return wbBranch ? branchOutcome(wbBranch, this) : 'falls-through';
    }
    let verdict: WbOutcome | undefined;
    forEachStmt(region, (s) => {
      if (verdict !== undefined) return;
      if (s.k === 'if' && this.mentionsWouldBlock([s.cond])) {
        const positive = positiveTest(s.cond);
        const branch = positive ? s.then : s.else ?? this.followingWithin(s, region);
        verdict = branch ? branchOutcome(branch, this) : 'falls-through';
      } else if (s.k === 'switch') {
        const c = s.cases.find((x) => this.mentionsWouldBlock(x.labels));
        if (c) {
          // The case's own statements (falling through to the next case's when empty); `break` only leaves the switch.
          const i = s.cases.indexOf(c);
          let body: Stmt[] = [];
          for (let j = i; j < s.cases.length && body.length === 0; j++) body = s.cases[j].body;
          let cont = false, leave = false;
          forEachStmt(body, (x) => { if (x.k === 'continue') cont = true; if (x.k === 'return' || x.k === 'goto' || x.k === 'throw') leave = true; });
          verdict = cont ? 'continues' : leave || this.callsExit(body) ? 'leaves' : 'falls-through';
        }
      }
    });
    if (verdict !== undefined) return verdict;
    // No separate WOULDBLOCK branch: it takes the failure branch, which may leave whatever the error.
    return endsWithContinue(region) ? 'continues' : jumpsAway(region) ? 'leaves' : 'falls-through';
  }

  private followingWithin(s: Stmt, region: Stmt[]): Stmt[] | undefined {
    const i = region.indexOf(s);
    return i >= 0 ? region.slice(i + 1) : this.following(s);
  }

  callsExit(body: Stmt[]): boolean {
    const exprs: Expr[] = [];
    forEachStmt(body, (s) => exprs.push(...stmtExprs(s)));
    let out = false;
    forEachExpr(exprs, (x) => {
      if (x.k !== 'call') return;
      const c = this.scope.resolve(x);
      if ((c.k === 'api' && c.api.kind === 'exit') || (c.k === 'fn' && this.summaryOf(x)?.noReturn)) out = true;
    });
    return out;
  }
}

/** Consumes the count from a queue: `q.erase(0, n)`, `evbuffer_drain(b, n)`, `mg_iobuf_del(&io, 0, n)`. */
function looksLikeConsume(name: string): boolean {
  const n = name.toLowerCase();
  return n.includes('erase') || n.includes('consume') || n.includes('drain') || n.endsWith('_del') || n.includes('advance')
    || n.includes('skip') || n.includes('discard') || n.includes('pop_front') || n === 'memmove' || n.includes('remove');
}

/** The error value of a call that returns 0 on success: `n == 0` is true on success. */
const ZERO_SUCCESS = -2;

/** `n < 0` with the result on the left: failure when true. `0 > n` the same. `n >= 0`: failure when false. */
function failureWhenTrue(op: string, resultOnLeft: boolean, errorValue: number): boolean {
  const o = resultOnLeft ? op : flip(op);
  if (errorValue === ZERO_SUCCESS) return o === '!=' || o === '<' || o === '>';
  if (errorValue === -1) return o === '==' || o === '<=' || o === '<';
  // against 0: `n < 0`, `n <= 0`, `n == 0` are the failure (or closed) side.
  return o === '<' || o === '<=' || o === '==';
}

function flip(op: string): string {
  return op === '<' ? '>' : op === '>' ? '<' : op === '<=' ? '>=' : op === '>=' ? '<=' : op;
}

/** The comparison sits under a `!` (or `!(...)`) inside the owner's condition: its sense is reversed. */
function negated(cmp: Expr, owner: Stmt): boolean {
  const cond = owner.k === 'if' || owner.k === 'loop' ? owner.cond : undefined;
  if (!cond) return false;
  let flips = false;
  forEachExpr([cond], (x) => {
    if (x.k === 'unary' && x.op === '!' && contains(x.arg, cmp)) flips = !flips;
  });
  return flips;
}

function contains(root: Expr, target: Expr): boolean {
  let found = false;
  forEachExpr([root], (x) => { if (x === target) found = true; return found ? false : undefined; });
  return found;
}

/** `err == EAGAIN` is a positive test; `err != EAGAIN`, `!is_eagain(err)` are negative. */
function positiveTest(cond: Expr): boolean {
  let negative = false;
  forEachExpr([cond], (x) => {
    if (x.k === 'binary' && x.op === '!=') {
      for (const side of [x.left, x.right]) if (side.k === 'name' && isWouldBlockName(side.name)) negative = true;
    }
    if (x.k === 'unary' && x.op === '!' && x.arg.k === 'call') negative = true;
  });
  return !negative;
}

type WbOutcome = 'continues' | 'leaves' | 'falls-through';

function branchOutcome(branch: Stmt[], ra: ResultAnalyzer): WbOutcome {
  let cont = false, leave = false;
  forEachStmt(branch, (s) => {
    if (s.k === 'continue') cont = true;
    if (s.k === 'return' || s.k === 'goto' || s.k === 'throw' || s.k === 'break') leave = true;
  });
  if (cont) return 'continues';
  // Nothing after `if (err != EAGAIN) return -1;`: control reaches the loop's end.
  return leave || ra.callsExit(branch) ? 'leaves' : 'falls-through';
}

/** The branch ends by jumping away (return, continue, break, goto, throw). */
function jumpsAway(body: Stmt[]): boolean {
  const last = body[body.length - 1];
  if (!last) return false;
  if (last.k === 'return' || last.k === 'continue' || last.k === 'break' || last.k === 'goto' || last.k === 'throw') return true;
  if (last.k === 'block') return jumpsAway(last.body);
  return false;
}

function endsWithContinue(body: Stmt[]): boolean {
  const last = body[body.length - 1];
  return !!last && (last.k === 'continue' || (last.k === 'block' && endsWithContinue(last.body)));
}

/** The region only hands the failure back: a return (of an error value), nothing closed. */
function returnsOnly(region: Stmt[]): boolean {
  let returns = false, other = false;
  forEachStmt(region, (s) => {
    if (s.k === 'return') returns = true;
    if (s.k === 'break' || s.k === 'goto' || s.k === 'throw') other = true;
  });
  return returns && !other;
}

/**
 * The loop condition is false when the call failed (the result variable is -1): `while (n > 0)`,
 * `while (n > 0 && more)`. Falling through to it after WOULDBLOCK leaves the loop.
 */
function falseOnFailure(cond: Expr, resultVar: string | undefined, ev: Evaluator): boolean {
  if (!resultVar) return false;
  const x = unwrapped(cond);
  if (x.k === 'binary' && x.op === '&&') return falseOnFailure(x.left, resultVar, ev) || falseOnFailure(x.right, resultVar, ev);
  if (x.k !== 'binary' || !RELATIONAL.has(x.op)) return false;
  const l = unwrapped(x.left), r = unwrapped(x.right);
  const onLeft = l.k === 'name' && l.name === resultVar;
  const onRight = r.k === 'name' && r.name === resultVar;
  if (onLeft === onRight) return false;
  const other = ev.value(onLeft ? r : l);
  if (!isExact(other)) return false;
  const a = onLeft ? -1 : other.lo, b = onLeft ? other.lo : -1;
  switch (x.op) {
    case '<': return !(a < b);
    case '<=': return !(a <= b);
    case '>': return !(a > b);
    case '>=': return !(a >= b);
    case '==': return a !== b;
    case '!=': return a === b;
    default: return false;
  }
}

/** Every return in the region is a bare `return;`. */
function returnsNoValue(region: Stmt[]): boolean {
  let value = false;
  forEachStmt(region, (s) => { if (s.k === 'return' && s.value) value = true; });
  return !value;
}

function isBoolean(t: TypeRef): boolean {
  return t.ptr === 0 && (t.name === 'bool' || t.name === 'BOOL' || t.name === '_Bool' || t.name === 'boolean');
}

function isVoid(t: TypeRef): boolean {
  return t.name === 'void' && t.ptr === 0;
}

function blockOf(parent: Stmt, s: Stmt): Stmt[] | undefined {
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

function regionSpan(region: Stmt[]): Span | undefined {
  if (region.length === 0) return undefined;
  return { start: region[0].span.start, end: region[region.length - 1].span.end };
}

function refersTo(root: Expr, target: Expr): boolean { return contains(root, target); }

function containsStmt(root: Stmt, target: Stmt): boolean {
  let found = false;
  forEachStmt([root], (s) => { if (s === target) found = true; });
  return found;
}

/** The call is in the loop's body or condition. */
function containsCall(loop: Stmt, call: CallExpr): boolean {
  if (loop.k !== 'loop') return false;
  let found = false;
  forEachStmt(loop.body, (s) => { if (!found) forEachExpr(stmtExprs(s), (x) => { if (x === call) found = true; }); });
  if (!found && loop.cond) found = contains(loop.cond, call);
  return found;
}

function namesLocal(e: Expr, name: string): boolean {
  let found = false;
  forEachExpr([e], (x) => { if (x.k === 'name' && x.name === name) found = true; });
  return found;
}

export type { Check, LocKey };
