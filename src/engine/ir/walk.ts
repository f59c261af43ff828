// Walking and rewriting the IR. Every walk is iterative or depth-bounded, so no input can blow the stack.
import type { Expr, Span, Stmt } from './ir';

/** The direct sub-expressions of an expression. */
export function subExprs(e: Expr): Expr[] {
  switch (e.k) {
    case 'field': return [e.base];
    case 'index': return [e.base, e.index];
    case 'call': return [e.callee, ...e.args];
    case 'assign': return [e.target, e.value];
    case 'binary': return [e.left, e.right];
    case 'unary': case 'update': return [e.arg];
    case 'cast': return [e.value];
    case 'cond': return [e.test, e.then, e.else];
    case 'sizeof': return e.arg ? [e.arg] : [];
    case 'init': return e.elems;
    case 'comma': return e.exprs;
    case 'new': return e.args;
    case 'unknown': return e.parts;
    default: return [];
  }
}

/** Expressions directly held by a statement (not those of nested statements). */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'expr': return [s.expr];
    case 'decl': return s.vars.flatMap((v) => (v.init ? [v.init] : []));
    case 'if': return s.condDecl?.init ? [s.condDecl.init] : [s.cond];
    case 'loop': return [...(s.cond ? [s.cond] : []), ...s.update, ...(s.rangeOf ? [s.rangeOf] : [])];
    case 'switch': return [s.subject, ...s.cases.flatMap((c) => c.labels)];
    case 'return': case 'throw': return s.value ? [s.value] : [];
    default: return [];
  }
}

/** Statement lists nested directly in a statement. */
export function childBlocks(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'if': return s.else ? [s.then, s.else] : [s.then];
    case 'loop': return [s.init, s.body];
    case 'switch': return s.cases.map((c) => c.body);
    case 'block': return [s.body];
    case 'try': return [s.body, ...s.handlers];
    case 'alt': return s.branches;
    default: return [];
  }
}

/** Visits every expression under `roots`, outermost first (pre-order), iteratively. */
export function forEachExpr(roots: Expr[], visit: (e: Expr) => void | false): void {
  const stack: Expr[] = [...roots].reverse();
  while (stack.length) {
    const e = stack.pop()!;
    if (visit(e) === false) continue;
    if (e.k === 'lambda') continue; // a lambda's body belongs to its own function
    const subs = subExprs(e);
    for (let i = subs.length - 1; i >= 0; i--) stack.push(subs[i]);
  }
}

/** Visits every statement under `body` in source order (pre-order), iteratively. */
export function forEachStmt(body: Stmt[], visit: (s: Stmt) => void): void {
  const stack: Stmt[] = [...body].reverse();
  while (stack.length) {
    const s = stack.pop()!;
    visit(s);
    const blocks = childBlocks(s);
    for (let b = blocks.length - 1; b >= 0; b--) for (let i = blocks[b].length - 1; i >= 0; i--) stack.push(blocks[b][i]);
  }
}

/** Every expression in a function body, in source order (statements' own, then nested ones). */
export function forEachExprInBody(body: Stmt[], visit: (e: Expr, owner: Stmt) => void | false): void {
  forEachStmt(body, (s) => {
    const exprs = stmtExprs(s);
    if (s.k === 'decl') {
      forEachExpr(exprs, (e) => visit(e, s));
      return;
    }
    forEachExpr(exprs, (e) => visit(e, s));
  });
}

/**
 * A copy of an expression with names replaced (macro parameters by their arguments) and every
 * other node moved to `span` (the macro's use site). Depth-bounded.
 */
export function substituteExpr(e: Expr, names: Map<string, Expr>, span: Span, nextCallId: () => number, depth = 0): Expr {
  if (depth > 200) return { k: 'unknown', span, parts: [] };
  const sub = (x: Expr) => substituteExpr(x, names, span, nextCallId, depth + 1);
  switch (e.k) {
    case 'name': {
      const arg = !e.qualifier ? names.get(e.name) : undefined;
      return arg ?? { ...e, span };
    }
    case 'field': return { ...e, span, fieldSpan: span, base: sub(e.base) };
    case 'index': return { ...e, span, base: sub(e.base), index: sub(e.index) };
    case 'call': return { ...e, span, id: nextCallId(), nameSpan: span, callee: sub(e.callee), args: e.args.map(sub) };
    case 'assign': return { ...e, span, target: sub(e.target), value: sub(e.value) };
    case 'binary': return { ...e, span, left: sub(e.left), right: sub(e.right) };
    case 'unary': return { ...e, span, arg: sub(e.arg) };
    case 'update': return { ...e, span, arg: sub(e.arg) };
    case 'cast': return { ...e, span, value: sub(e.value) };
    case 'cond': return { ...e, span, test: sub(e.test), then: sub(e.then), else: sub(e.else) };
    case 'sizeof': return { ...e, span, arg: e.arg ? sub(e.arg) : undefined };
    case 'init': return { ...e, span, elems: e.elems.map(sub) };
    case 'comma': return { ...e, span, exprs: e.exprs.map(sub) };
    case 'new': return { ...e, span, args: e.args.map(sub) };
    case 'unknown': return { ...e, span, parts: e.parts.map(sub) };
    case 'lambda': return { ...e, span };
    default: return { ...e, span };
  }
}

export function substituteStmts(body: Stmt[], names: Map<string, Expr>, span: Span, nextCallId: () => number, depth = 0): Stmt[] {
  if (depth > 100) return [];
  const se = (x: Expr) => substituteExpr(x, names, span, nextCallId);
  const ss = (b: Stmt[]) => substituteStmts(b, names, span, nextCallId, depth + 1);
  return body.map((s): Stmt => {
    switch (s.k) {
      case 'expr': return { ...s, span, expr: se(s.expr) };
      case 'decl': return { ...s, span, vars: s.vars.map((v) => ({ ...v, span, nameSpan: span, init: v.init ? se(v.init) : undefined })) };
      case 'if': return { ...s, span, cond: se(s.cond), then: ss(s.then), else: s.else ? ss(s.else) : undefined };
      case 'loop': return { ...s, span, init: ss(s.init), cond: s.cond ? se(s.cond) : undefined, update: s.update.map(se), body: ss(s.body), rangeOf: s.rangeOf ? se(s.rangeOf) : undefined };
      case 'switch': return { ...s, span, subject: se(s.subject), cases: s.cases.map((c) => ({ ...c, span, labels: c.labels.map(se), body: ss(c.body) })) };
      case 'return': case 'throw': return { ...s, span, value: s.value ? se(s.value) : undefined };
      case 'block': return { ...s, span, body: ss(s.body) };
      case 'try': return { ...s, span, body: ss(s.body), handlers: s.handlers.map(ss) };
      case 'alt': return { ...s, span, branches: s.branches.map(ss) };
      default: return { ...s, span };
    }
  });
}

/** The simple name an expression calls (`send`, `obj.Send` -> `Send`, `ns::f` -> `f`). */
export function calleeName(callee: Expr): string | undefined {
  if (callee.k === 'name') return callee.name;
  if (callee.k === 'field') return callee.field;
  return undefined;
}

/** Strips casts (and nothing else): `(char *)&x` -> `&x`. */
export function stripCasts(e: Expr): Expr {
  let cur = e;
  for (let i = 0; i < 16 && cur.k === 'cast'; i++) cur = cur.value;
  return cur;
}
