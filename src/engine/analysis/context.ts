// Where a call sits in its function: the loops around it (with what bounds and paces them), the
// branches it is in, the statement that holds it, and whether a readiness test guards it.
import type { CallExpr, Expr, LoopStmt, Span, Stmt } from '../ir/ir';
import { forEachExpr, stmtExprs, forEachStmt } from '../ir/walk';
import type { Cfg } from './cfg';
import type { FunctionScope } from './calls';
import type { LoopFact } from './facts';
import type { Summary } from './summary';
import { isExact, type Evaluator } from './values';

export interface CallContext {
  loops: LoopFact[];
  loopStmts: LoopStmt[];
  branches: string[];
  /** The statement directly inside a block that holds the call, the block's id, and whether the call is all of it. */
  statement?: { span: Span; block: number; whole: boolean; stmt: Stmt };
  stmts: Stmt[];
}

const READINESS_FIELDS = new Set(['revents', 'events', 'lNetworkEvents', 'filter']);

export class ContextBuilder {
  private loopCache = new Map<LoopStmt, LoopFact>();

  constructor(
    private scope: FunctionScope,
    private cfg: Cfg,
    private ev: Evaluator,
    private text: string,
    private summaryOf: (call: Extract<Expr, { k: 'call' }>) => Summary | undefined,
  ) {}

  of(e: Expr): CallContext {
    const stmts = this.cfg.enclosingStmts(e); // innermost first
    const loopStmts: LoopStmt[] = [];
    const branches: string[] = [];
    for (let i = 0; i < stmts.length; i++) {
      const s = stmts[i];
      const inner = i > 0 ? stmts[i - 1] : undefined;
      if (s.k === 'loop' && (!inner || s.body.includes(inner) || s.init.includes(inner) || inBlock(s.body, inner))) loopStmts.unshift(s);
      if (s.k === 'if' && inner) {
        if (s.then.includes(inner)) branches.push(`${s.span.start}:then`);
        else if (s.else?.includes(inner)) branches.push(`${s.span.start}:else`);
      }
      if (s.k === 'switch' && inner) {
        const c = s.cases.find((x) => x.body.includes(inner));
        if (c) branches.push(`${s.span.start}:${c.span.start}`);
      }
      if (s.k === 'alt' && inner) {
        const b = s.branches.findIndex((x) => x.includes(inner));
        if (b >= 0) branches.push(`${s.span.start}:alt${b}`);
      }
    }
    // A call in a loop's condition (`while (recv(...) > 0)`) is in that loop too.
    const own = stmts[0];
    if (own && own.k === 'loop' && !loopStmts.includes(own)) loopStmts.push(own);
    let statement: CallContext['statement'];
    for (let i = 0; i < stmts.length; i++) {
      const parent = stmts[i + 1];
      const s = stmts[i];
      if (!parent || parent.k === 'block' || parent.k === 'if' || parent.k === 'loop' || parent.k === 'switch' || parent.k === 'try' || parent.k === 'alt') {
        if (s.k === 'if' || s.k === 'loop' || s.k === 'switch') {
          // The call is in a condition: the statement is the if/loop itself.
        }
        const whole = s.k === 'expr' && unwrapped(s.expr) === e;
        statement = { span: s.span, block: parent ? parent.span.start : -1, whole, stmt: s };
        break;
      }
    }
    return { loops: loopStmts.map((l) => this.loop(l)), loopStmts, branches, statement, stmts };
  }

  loop(l: LoopStmt): LoopFact {
    const hit = this.loopCache.get(l);
    if (hit) return hit;
    const cond = l.cond;
    const condValue = cond ? this.ev.value(cond) : undefined;
    const infinite = l.kind !== 'range' && (!cond || (isExact(condValue) && condValue.lo !== 0));
    let constantBound: number | undefined;
    if (l.kind === 'for' && cond && cond.k === 'binary' && (cond.op === '<' || cond.op === '<=' || cond.op === '!=') && cond.left.k === 'name') {
      const counter = cond.left.name;
      const startsAtZero = l.init.some((s) => {
        if (s.k === 'expr' && s.expr.k === 'assign' && s.expr.target.k === 'name' && s.expr.target.name === counter) return isZero(this.ev.value(s.expr.value));
        if (s.k === 'decl') return s.vars.some((v) => v.name === counter && v.init !== undefined && isZero(this.ev.value(v.init)));
        return false;
      });
      const n = this.ev.value(cond.right);
      if (startsAtZero && isExact(n)) constantBound = cond.op === '<=' ? n.lo + 1 : n.lo;
    }
    // Counters: locals incremented/decremented (or += constant) in the loop.
    const counters = new Set<string>();
    const bodyExprs: Expr[] = [];
    forEachStmt(l.body, (s) => bodyExprs.push(...stmtExprs(s)));
    bodyExprs.push(...l.update);
    forEachExpr(bodyExprs, (x) => {
      if (x.k === 'update' && x.arg.k === 'name') counters.add(x.arg.name);
      if (x.k === 'assign' && (x.op === '+=' || x.op === '-=') && x.target.k === 'name' && isExact(this.ev.value(x.value))) counters.add(x.target.name);
    });
    const condVars = new Set<string>();
    if (cond) forEachExpr([cond], (x) => { if (x.k === 'name' && this.cfg.locals.has(x.name)) condVars.add(x.name); });
    let counterBounded = [...counters].some((c) => condVars.has(c) && cond !== undefined && comparesName(cond, c));
    if (!counterBounded) {
      // `if (++tries > 5) break;`
      forEachStmt(l.body, (s) => {
        if (counterBounded || s.k !== 'if') return;
        const names = new Set<string>();
        forEachExpr([s.cond], (x) => { if (x.k === 'name') names.add(x.name); });
        if ([...counters].some((c) => names.has(c) && comparesName(s.cond, c)) && leaves(s.then)) counterBounded = true;
      });
    }
    // What the loop calls: waits, sleeps, input.
    let waits = false, pacedByInput = false, readsFile = false;
    let sleepMs: number | undefined;
    const all: Expr[] = [...bodyExprs, ...(cond ? [cond] : [])];
    forEachExpr(all, (x) => {
      if (x.k === 'binary' && x.op === '>>' && isConsoleIn(x.left)) pacedByInput = true;
      if (x.k !== 'call') return;
      // `in.read(buf, n)` on a std::ifstream: a file read in chunks.
      if (x.callee.k === 'field' && (x.callee.field === 'read' || x.callee.field === 'readsome') && isFileStream(this.scope.typeOf(x.callee.base))) readsFile = true;
      const callee = this.scope.resolve(x);
      if (callee.k === 'api') {
        if (callee.api.kind === 'wait') waits = true;
        if (callee.api.kind === 'input') {
          if (readsConsole(callee.name, x)) pacedByInput = true;
          else readsFile = true;
        }
        if (callee.api.kind === 'sleep') {
          waits = true;
          const ms = this.sleepMs(callee.name, x);
          if (ms !== undefined) sleepMs = Math.max(sleepMs ?? 0, ms);
        }
      } else if (callee.k === 'fn') {
        const s = this.summaryOf(x);
        if (s?.waits) waits = true;
        if (s?.readsInput) pacedByInput = true;
        if (s?.sleepMs !== undefined) sleepMs = Math.max(sleepMs ?? 0, s.sleepMs);
      } else if (callee.name === 'getline' && x.args[0] && isConsoleIn(x.args[0])) {
        pacedByInput = true;
      } else if (callee.k === 'external' && (callee.name === 'sleep_for' || callee.name === 'wait_for' || callee.name === 'wait')) {
        waits = true;
      }
    });
    const condText = cond ? this.text.slice(cond.span.start, Math.min(cond.span.end, cond.span.start + 200)) : '';
    const fact: LoopFact = {
      id: l.span.start, kind: l.kind, span: l.span, constantBound, infinite, counterBounded, waits, sleepMs, pacedByInput, readsFile,
      conditionText: collapseSpaces(condText).slice(0, 80), conditionVars: [...condVars],
    };
    this.loopCache.set(l, fact);
    return fact;
  }

  /** A constant sleep's length in ms: Sleep(ms), sleep(s), usleep(us), Java's Thread.sleep(ms), Node's timers (setTimeout, setInterval). */
  sleepMs(name: string, call: Extract<Expr, { k: 'call' }>): number | undefined {
    // Java's Thread.sleep and Node's timers take milliseconds, as Win32's Sleep does.
    const scale = name === 'Sleep' || name === 'SleepEx' || call.known === 'java.sleep' || (call.known === 'node.sleep' && (name === 'setTimeout' || name === 'setInterval')) ? 1
      : name === 'sleep' ? 1000 : name === 'usleep' ? 0.001 : undefined;
    if (scale === undefined || !call.args[0]) return undefined;
    const v = this.ev.value(call.args[0]);
    return isExact(v) ? v.lo * scale : undefined;
  }

  /**
   * The call runs only in the branch of an `if` that tests readiness (a select/poll result, FD_ISSET,
   * revents), with no loop between that test and the call.
   */
  afterReadiness(ctx: CallContext): boolean {
    for (let i = 0; i < ctx.stmts.length; i++) {
      const s = ctx.stmts[i];
      if (s.k === 'loop') return false;
      if (s.k !== 'if') continue;
      const inner = i > 0 ? ctx.stmts[i - 1] : undefined;
      if (!inner || !s.then.includes(inner)) continue;
      if (this.testsReadiness(s.cond)) return true;
    }
    return false;
  }

  private testsReadiness(cond: Expr): boolean {
    let found = false;
    forEachExpr([cond], (x) => {
      if (found) return false;
      if (x.k === 'call') {
        const callee = this.scope.resolve(x);
        const name = callee.name;
        if (name === 'FD_ISSET' || (callee.k === 'api' && callee.api.kind === 'wait') || (callee.k === 'fn' && this.summaryOf(x)?.waits)) found = true;
      } else if (x.k === 'field' && READINESS_FIELDS.has(x.field)) {
        found = true;
      } else if (x.k === 'name' && this.cfg.locals.has(x.name)) {
        // `n = select(...); if (n > 0) ...`
        const node = this.cfg.nodeOf(x);
        if (node !== undefined) {
          for (const d of this.cfg.reachingDefs(x.name, node, x)) {
            const v = d.value ? unwrapped(d.value) : undefined;
            if (v?.k === 'call') {
              const c = this.scope.resolve(v);
              if ((c.k === 'api' && c.api.kind === 'wait') || (c.k === 'fn' && this.summaryOf(v)?.waits)) found = true;
            }
          }
        }
      }
      return undefined;
    });
    return found;
  }
}

function inBlock(body: Stmt[], s: Stmt): boolean { return body.includes(s); }

function isZero(v: { lo: number; hi: number } | undefined): boolean { return !!v && v.lo === 0 && v.hi === 0; }

/** The condition compares the name (`i < n`, `tries <= MAX`, `left != 0`). */
function comparesName(cond: Expr, name: string): boolean {
  let found = false;
  forEachExpr([cond], (x) => {
    if (x.k === 'binary' && ['<', '>', '<=', '>=', '!=', '=='].includes(x.op)) {
      for (const side of [x.left, x.right]) {
        const u = unwrapped(side);
        if (u.k === 'name' && u.name === name) found = true;
        if (u.k === 'update' && u.arg.k === 'name' && u.arg.name === name) found = true;
      }
    }
  });
  return found;
}

/** The statements leave the enclosing loop or function. */
export function leaves(body: Stmt[]): boolean {
  let out = false;
  forEachStmt(body, (s) => { if (s.k === 'break' || s.k === 'return' || s.k === 'goto' || s.k === 'throw') out = true; });
  return out;
}

const FILE_STREAMS = new Set(['ifstream', 'fstream', 'wifstream', 'wfstream', 'basic_ifstream', 'basic_fstream']);

/** A C++ file stream object (not a reference to some istream, which may be the console). */
function isFileStream(t: import('../ir/ir').TypeRef | undefined): boolean {
  return !!t && t.ptr === 0 && FILE_STREAMS.has(t.name.startsWith('std::') ? t.name.slice(5) : t.name);
}

/** Which argument of a stream-reading call names the stream (`fgets(buf, n, stream)`). */
const STREAM_ARG: Record<string, number> = { fgets: 2, fgetc: 0, getc: 0, fscanf: 0, fread: 3, getline: 2, ReadFile: 0, _lread: 0, _read: 0 };

/**
 * An input call that waits for a person: console input, or a stream call on `stdin` (`fgets` from a
 * file the program serves is just reading, `fgets(line, n, stdin)` is someone typing).
 */
export function readsConsole(name: string, call: CallExpr): boolean {
  const at = STREAM_ARG[name];
  if (at === undefined) return true;
  // std::getline(std::cin, line), getline(cin, line).
  if (name === 'getline' && call.args[0] && isConsoleIn(call.args[0])) return true;
  const stream = call.args[at] ? unwrapped(call.args[at]) : undefined;
  if (!stream) return false;
  // `_read(0, ...)`, `_read(STDIN_FILENO, ...)`, `ReadFile(GetStdHandle(STD_INPUT_HANDLE), ...)`.
  if (stream.k === 'num') return stream.value === 0;
  if (stream.k === 'call') return stream.callee.k === 'name' && stream.callee.name === 'GetStdHandle';
  return stream.k === 'name' && (stream.name === 'stdin' || stream.name === 'cin' || stream.name === 'STDIN_FILENO');
}

function isConsoleIn(e: Expr): boolean {
  const x = unwrapped(e);
  if (x.k === 'binary' && x.op === '>>') return isConsoleIn(x.left);
  return x.k === 'name' && (x.name === 'cin' || x.name === 'wcin');
}

export function unwrapped(e: Expr): Expr {
  let cur = e;
  for (let i = 0; i < 16 && cur.k === 'cast'; i++) cur = cur.value;
  return cur;
}

function collapseSpaces(s: string): string {
  let out = '';
  let space = false;
  for (const ch of s) {
    const isSpace = ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r';
    if (isSpace) { if (!space) out += ' '; space = true; } else { out += ch; space = false; }
  }
  return out.trim();
}
