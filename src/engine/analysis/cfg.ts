// A function's control-flow graph, built from the structured IR, with the reads and writes of local
// variables (and of fields of local structs: `msg.len`) recorded per node in evaluation order.
// Questions are answered on demand by searching the graph: which definitions reach this use,
// which uses this definition reaches, does this call run after that one on some path.
import type { Budget } from '../budget';
import type { Expr, FunctionIR, Stmt, VarDecl } from '../ir/ir';
import { subExprs } from '../ir/walk';

/** A read or a write of a local, in the order the expression evaluates them. */
export type Event =
  | { k: 'use'; key: string; expr: Expr }
  | { k: 'def'; key: string; def: Def };

export interface Def {
  id: number;
  key: string;
  /** The value assigned; undefined when unknown (`x++`, `&x` passed to a call, a parameter). */
  value?: Expr;
  /** `+=`, `-=`, ... (the value is then an operand). */
  op?: string;
  kind: 'init' | 'assign' | 'param' | 'update' | 'out' | 'range' | 'decl';
  node: number;
  /** Where the definition is written (the declarator, or the assignment). */
  at: Expr | VarDecl;
}

export interface CfgNode {
  id: number;
  /** What the node evaluates: an expression statement, a condition, a declaration, ... */
  exprs: Expr[];
  stmt?: Stmt;
  events: Event[];
  succ: number[];
  pred: number[];
  /** Calls evaluated at this node, in evaluation order. */
  calls: Expr[];
  /** The node ends the function (return, throw, a call that never returns is marked later). */
  exits?: boolean;
}

/** Where an expression sits: its parent expression, or the statement that holds it. */
export interface Parent { expr?: Expr; stmt?: Stmt; node: number }

export class Cfg {
  readonly nodes: CfgNode[] = [];
  readonly entry: number;
  readonly exit: number;
  /** Parent of every expression of the function (by identity). */
  readonly parents = new Map<Expr, Parent>();
  /** Parent statement of every statement (undefined at the top level), and its CFG node. */
  readonly stmtParents = new Map<Stmt, Stmt | undefined>();
  readonly stmtNode = new Map<Stmt, number>();
  /** Local names (declared variables and parameters); anything else is a global, field or macro. */
  readonly locals = new Set<string>();
  readonly localTypes = new Map<string, VarDecl['type']>();
  private defCount = 0;
  private labels = new Map<string, number>();
  private gotos: { node: number; label: string }[] = [];

  constructor(readonly fn: FunctionIR, private budget: Budget, private hooks: CfgHooks) {
    this.entry = this.newNode([]);
    for (const [i, p] of fn.params.entries()) {
      if (!p.name) continue;
      this.locals.add(p.name);
      this.localTypes.set(p.name, p.type);
      this.nodes[this.entry].events.push({ k: 'def', key: p.name, def: this.def(p.name, undefined, 'param', this.entry, { name: p.name, nameSpan: p.span, type: p.type, span: p.span }) });
      void i;
    }
    collectLocals(fn.body, this.locals, this.localTypes);
    this.exit = this.newNode([]);
    const end = this.block(fn.body, [this.entry], { breaks: [], continues: [] }, undefined);
    for (const n of end) this.edge(n, this.exit);
    for (const g of this.gotos) {
      const target = this.labels.get(g.label);
      if (target !== undefined) this.edge(g.node, target);
    }
  }

  // ---- construction ------------------------------------------------------------------------

  private newNode(exprs: Expr[], stmt?: Stmt): number {
    this.budget.tick();
    const id = this.nodes.length;
    this.nodes.push({ id, exprs, stmt, events: [], succ: [], pred: [], calls: [] });
    return id;
  }

  private edge(a: number, b: number): void {
    if (this.nodes[a].succ.includes(b)) return;
    this.nodes[a].succ.push(b);
    this.nodes[b].pred.push(a);
  }

  private def(key: string, value: Expr | undefined, kind: Def['kind'], node: number, at: Expr | VarDecl, op?: string): Def {
    return { id: this.defCount++, key, value, kind, node, at, op };
  }

  /** A node evaluating `exprs` after all of `from`. */
  private step(exprs: Expr[], from: number[], stmt?: Stmt, parentStmt?: Stmt): number {
    const id = this.newNode(exprs, stmt);
    for (const f of from) this.edge(f, id);
    for (const e of exprs) this.record(e, id, undefined, stmt ?? parentStmt);
    return id;
  }

  private block(body: Stmt[], from: number[], ctx: Ctx, parent: Stmt | undefined): number[] {
    let cur = from;
    for (const s of body) {
      this.stmtParents.set(s, parent);
      cur = this.stmt(s, cur, ctx);
    }
    return cur;
  }

  /** Returns the nodes control leaves `s` from (falling through). */
  private stmt(s: Stmt, from: number[], ctx: Ctx): number[] {
    this.budget.tick();
    switch (s.k) {
      case 'expr': {
        const n = this.step([s.expr], from, s);
        this.stmtNode.set(s, n);
        // `exit(1);`, `die("...")`: control does not come back.
        if (this.nodes[n].calls.some((c) => this.hooks.noReturn(c as Extract<Expr, { k: 'call' }>))) {
          this.nodes[n].exits = true;
          this.edge(n, this.exit);
          return [];
        }
        return [n];
      }
      case 'decl': {
        const n = this.newNode(s.vars.flatMap((v) => (v.init ? [v.init] : [])), s);
        for (const f of from) this.edge(f, n);
        this.stmtNode.set(s, n);
        for (const v of s.vars) {
          if (v.init) this.record(v.init, n, undefined, s);
          this.nodes[n].events.push({ k: 'def', key: v.name, def: this.def(v.name, v.init, v.init ? 'init' : 'decl', n, v) });
        }
        return [n];
      }
      case 'if': {
        const condExprs = s.condDecl?.init ? [s.condDecl.init] : [s.cond];
        const c = this.step(condExprs, from, s);
        if (s.condDecl) this.nodes[c].events.push({ k: 'def', key: s.condDecl.name, def: this.def(s.condDecl.name, s.condDecl.init, 'init', c, s.condDecl) });
        this.stmtNode.set(s, c);
        const thenEnd = this.block(s.then, [c], ctx, s);
        const elseEnd = s.else ? this.block(s.else, [c], ctx, s) : [c];
        return [...thenEnd, ...elseEnd];
      }
      case 'loop': {
        let cur = this.block(s.init, from, ctx, s);
        const inner: Ctx = { breaks: [], continues: [] };
        let head: number;
        if (s.kind === 'do') {
          head = this.newNode([]);
          for (const f of cur) this.edge(f, head);
          const bodyEnd = this.block(s.body, [head], inner, s);
          const cond = this.step(s.cond ? [s.cond] : [], [...bodyEnd, ...inner.continues], s);
          this.stmtNode.set(s, cond);
          this.edge(cond, head);
          return [cond, ...inner.breaks];
        }
        head = this.step(s.cond ? [s.cond] : s.rangeOf ? [s.rangeOf] : [], cur, s);
        this.stmtNode.set(s, head);
        if (s.rangeVar) this.nodes[head].events.push({ k: 'def', key: s.rangeVar.name, def: this.def(s.rangeVar.name, undefined, 'range', head, s.rangeVar) });
        const bodyEnd = this.block(s.body, [head], inner, s);
        cur = [...bodyEnd, ...inner.continues];
        if (s.update.length) cur = [this.step(s.update, cur, undefined, s)];
        for (const f of cur) this.edge(f, head);
        // `for (;;)` / `while (1)` leave only by break (or return).
        const infinite = !s.cond && s.kind !== 'range' || (s.cond?.k === 'num' && s.cond.value !== 0);
        return infinite ? inner.breaks : [head, ...inner.breaks];
      }
      case 'switch': {
        const c = this.step([s.subject, ...s.cases.flatMap((x) => x.labels)], from, s);
        this.stmtNode.set(s, c);
        const inner: Ctx = { breaks: [], continues: ctx.continues };
        let fall: number[] = [];
        for (const cs of s.cases) {
          fall = this.block(cs.body, [c, ...fall], inner, s);
        }
        const hasDefault = s.cases.some((x) => x.isDefault);
        ctx.continues.push(...inner.continues.filter((n) => !ctx.continues.includes(n)));
        return [...fall, ...inner.breaks, ...(hasDefault ? [] : [c])];
      }
      case 'return': case 'throw': {
        const n = this.step(s.value ? [s.value] : [], from, s);
        this.stmtNode.set(s, n);
        this.nodes[n].exits = true;
        this.edge(n, this.exit);
        return [];
      }
      case 'break': for (const f of from) ctx.breaks.push(f); return [];
      case 'continue': for (const f of from) ctx.continues.push(f); return [];
      case 'goto': {
        const n = this.step([], from, s);
        this.gotos.push({ node: n, label: s.label });
        return [];
      }
      case 'label': {
        const n = this.step([], from, s);
        this.labels.set(s.label, n);
        return [n];
      }
      case 'block': return this.block(s.body, from, ctx, s);
      case 'try': {
        const start = this.step([], from, s);
        const bodyEnd = this.block(s.body, [start], ctx, s);
        const ends = [...bodyEnd];
        for (const h of s.handlers) ends.push(...this.block(h, [start, ...bodyEnd], ctx, s));
        return ends;
      }
      case 'alt': {
        const ends: number[] = [];
        for (const b of s.branches) ends.push(...this.block(b, from, ctx, s));
        return ends;
      }
    }
  }

  /** Walks an expression in evaluation order, recording parents, calls, reads and writes. */
  private record(e: Expr, node: number, parent: Expr | undefined, stmt: Stmt | undefined, depth = 0): void {
    this.budget.tick();
    this.parents.set(e, { expr: parent, stmt: parent ? undefined : stmt, node });
    if (depth > 400) return;
    const n = this.nodes[node];
    switch (e.k) {
      case 'assign': {
        // The value (and, for `+=`, the old value) first, then the write.
        this.record(e.value, node, e, stmt, depth + 1);
        const key = this.localKey(e.target);
        if (key) {
          if (e.op !== '=') n.events.push({ k: 'use', key, expr: e.target });
          this.parents.set(e.target, { expr: e, node });
          this.recordInner(e.target, node, stmt, depth);
          n.events.push({ k: 'def', key, def: this.def(key, e.value, 'assign', node, e, e.op === '=' ? undefined : e.op) });
        } else {
          this.record(e.target, node, e, stmt, depth + 1);
        }
        return;
      }
      case 'update': {
        this.record(e.arg, node, e, stmt, depth + 1);
        const key = this.localKey(e.arg);
        if (key) n.events.push({ k: 'def', key, def: this.def(key, undefined, 'update', node, e, e.op) });
        return;
      }
      case 'call': {
        for (const s of subExprs(e)) this.record(s, node, e, stmt, depth + 1);
        n.calls.push(e);
        // `recv(s, &x, ...)`, `getsockopt(..., &v, &len)`: a call may write what it is given the address of.
        e.args.forEach((a, i) => {
          const target = addressOf(a);
          const key = target ? this.localKey(target) : undefined;
          if (key && this.hooks.writesThrough(e, i)) n.events.push({ k: 'def', key, def: this.def(key, undefined, 'out', node, e) });
          // A local array passed to a call may be filled by it (`recv(s, buf, ...)`, `strcpy(buf, ...)`).
          if (!target && a.k === 'name' && this.locals.has(a.name) && (this.localTypes.get(a.name)?.dims?.length ?? 0) > 0 && this.hooks.writesThrough(e, i)) {
            n.events.push({ k: 'def', key: a.name, def: this.def(a.name, undefined, 'out', node, e) });
          }
        });
        return;
      }
      case 'name': {
        if (this.locals.has(e.name) && e.qualifier === undefined) n.events.push({ k: 'use', key: e.name, expr: e });
        return;
      }
      case 'field': {
        const key = this.localKey(e);
        this.record(e.base, node, e, stmt, depth + 1);
        if (key && key !== this.localKey(e.base)) n.events.push({ k: 'use', key, expr: e });
        return;
      }
      case 'lambda': return;
      default:
        for (const s of subExprs(e)) this.record(s, node, e, stmt, depth + 1);
    }
  }

  /** Records parents inside an assignment target without counting the target itself as a read. */
  private recordInner(target: Expr, node: number, stmt: Stmt | undefined, depth: number): void {
    if (target.k === 'field') this.record(target.base, node, target, stmt, depth + 1);
    else if (target.k === 'index') { this.record(target.base, node, target, stmt, depth + 1); this.record(target.index, node, target, stmt, depth + 1); }
  }

  /** `x` or `x.f` (a field of a local struct, not through a pointer) when x is a local. */
  localKey(e: Expr): string | undefined {
    if (e.k === 'name' && e.qualifier === undefined && this.locals.has(e.name)) return e.name;
    if (e.k === 'field' && !e.arrow) {
      const base = this.localKey(e.base);
      return base ? `${base}.${e.field}` : undefined;
    }
    return undefined;
  }

  // ---- questions ---------------------------------------------------------------------------

  /** The definitions of `key` that reach the use `expr` (at `node`). */
  reachingDefs(key: string, node: number, expr?: Expr): Def[] {
    const out: Def[] = [];
    const n = this.nodes[node];
    // Within the node: the last definition before the use, if any.
    let idx = expr ? n.events.findIndex((ev) => ev.k === 'use' && ev.expr === expr) : n.events.length;
    if (idx < 0) idx = n.events.length;
    for (let i = idx - 1; i >= 0; i--) {
      const ev = n.events[i];
      if (ev.k === 'def' && (ev.key === key || isPrefixKey(ev.key, key))) { out.push(ev.def); return out; }
    }
    const seen = new Set<number>([node]);
    const stack = [...n.pred];
    while (stack.length) {
      this.budget.tick();
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const m = this.nodes[id];
      let killed = false;
      for (let i = m.events.length - 1; i >= 0; i--) {
        const ev = m.events[i];
        if (ev.k === 'def' && (ev.key === key || isPrefixKey(ev.key, key))) { if (!out.includes(ev.def)) out.push(ev.def); killed = true; break; }
      }
      if (!killed) stack.push(...m.pred);
    }
    return out;
  }

  /** The reads of `def`'s variable that `def` reaches (until the variable is written again). */
  usesOf(def: Def): { expr: Expr; node: number }[] {
    const out: { expr: Expr; node: number }[] = [];
    const start = this.nodes[def.node];
    const pos = start.events.findIndex((ev) => ev.k === 'def' && ev.def === def);
    const scan = (m: CfgNode, from: number): boolean => {
      for (let i = from; i < m.events.length; i++) {
        const ev = m.events[i];
        if (ev.k === 'use' && (ev.key === def.key || isPrefixKey(def.key, ev.key))) out.push({ expr: ev.expr, node: m.id });
        else if (ev.k === 'def' && ev.key === def.key) return true;
      }
      return false;
    };
    if (scan(start, pos + 1)) return out;
    const seen = new Set<number>();
    const stack = [...start.succ];
    while (stack.length) {
      this.budget.tick();
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      const m = this.nodes[id];
      if (id === def.node) { scan(m, 0); continue; }
      if (!scan(m, 0)) stack.push(...m.succ);
    }
    return out;
  }

  /** Some path leads from node `a` to node `b` (a != b), avoiding the nodes in `avoid`. */
  reaches(a: number, b: number, avoid?: (n: number) => boolean): boolean {
    const seen = new Set<number>();
    const stack = [...this.nodes[a].succ];
    while (stack.length) {
      this.budget.tick();
      const id = stack.pop()!;
      if (id === b) return true;
      if (seen.has(id) || (avoid && avoid(id))) continue;
      seen.add(id);
      stack.push(...this.nodes[id].succ);
    }
    return false;
  }

  /** Every path from the entry to `b` passes through a node for which `pred` holds (before b). */
  alwaysAfter(b: number, pred: (n: number) => boolean): boolean {
    // Search backwards from b; reaching the entry without meeting `pred` means some path avoids it.
    const seen = new Set<number>();
    const stack = [...this.nodes[b].pred];
    while (stack.length) {
      this.budget.tick();
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (pred(id)) continue;
      if (id === this.entry) return false;
      stack.push(...this.nodes[id].pred);
    }
    return true;
  }

  /** The nearest enclosing statements of an expression, innermost first. */
  enclosingStmts(e: Expr): Stmt[] {
    const out: Stmt[] = [];
    let p = this.parents.get(e);
    let cur: Expr | undefined = e;
    for (let i = 0; p && i < 500 && !p.stmt; i++) { cur = p.expr; p = cur ? this.parents.get(cur) : undefined; }
    let s: Stmt | undefined = p?.stmt;
    for (let i = 0; s && i < 500; i++) { out.push(s); s = this.stmtParents.get(s); }
    return out;
  }

  /** The chain of parent expressions of `e`, innermost first, and the statement holding the outermost. */
  exprChain(e: Expr): { chain: Expr[]; stmt?: Stmt } {
    const chain: Expr[] = [];
    let p = this.parents.get(e);
    for (let i = 0; p && i < 500; i++) {
      if (p.stmt || !p.expr) return { chain, stmt: p.stmt };
      chain.push(p.expr);
      p = this.parents.get(p.expr);
    }
    return { chain };
  }

  nodeOf(e: Expr): number | undefined { return this.parents.get(e)?.node; }
}

interface Ctx { breaks: number[]; continues: number[] }

export interface CfgHooks {
  /** A call may write through its argument `argIndex` (`recv(s, buf, ...)`, `getsockopt(..., &v, &len)`). */
  writesThrough(call: Extract<Expr, { k: 'call' }>, argIndex: number): boolean;
  /** The call never returns (`exit`, `abort`, a function of the program that always exits). */
  noReturn(call: Extract<Expr, { k: 'call' }>): boolean;
}

/** `&x` -> x (through casts). */
function addressOf(e: Expr): Expr | undefined {
  let cur = e;
  for (let i = 0; i < 8 && cur.k === 'cast'; i++) cur = cur.value;
  return cur.k === 'unary' && cur.op === '&' ? cur.arg : undefined;
}

/** A write of `msg` kills what is known of `msg.len`. */
function isPrefixKey(written: string, read: string): boolean {
  return read.length > written.length && read.startsWith(written) && read[written.length] === '.';
}

function collectLocals(body: Stmt[], out: Set<string>, types: Map<string, VarDecl['type']>): void {
  const stack = [...body];
  while (stack.length) {
    const s = stack.pop()!;
    if (s.k === 'decl') for (const v of s.vars) { out.add(v.name); types.set(v.name, v.type); }
    if (s.k === 'if' && s.condDecl) { out.add(s.condDecl.name); types.set(s.condDecl.name, s.condDecl.type); }
    if (s.k === 'loop' && s.rangeVar) { out.add(s.rangeVar.name); types.set(s.rangeVar.name, s.rangeVar.type); }
    switch (s.k) {
      case 'if': stack.push(...s.then, ...(s.else ?? [])); break;
      case 'loop': stack.push(...s.init, ...s.body); break;
      case 'switch': for (const c of s.cases) stack.push(...c.body); break;
      case 'block': stack.push(...s.body); break;
      case 'try': stack.push(...s.body, ...s.handlers.flat()); break;
      case 'alt': stack.push(...s.branches.flat()); break;
    }
  }
}
