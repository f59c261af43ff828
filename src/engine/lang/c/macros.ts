// Macro expansion during lowering. A macro's replacement text is parsed once, as the body of a
// small function, and lowered to an IR template; each use copies the template with the parameters
// replaced by the already lowered arguments (which keep their own source ranges) and everything
// else placed at the use site. `CHECK(send(...))`, `SEND_ALL(s, b, n)`, `#define BUF (64 * 1024)`
// and `#define sock_errno WSAGetLastError()` all become the code they stand for.
import type { Expr, MacroDef, Span, Stmt } from '../../ir/ir';
import { substituteExpr, substituteStmts } from '../../ir/walk';
import { child, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import type { CLowering } from './lower';

export interface MacroTable { lookup(name: string): MacroDef | undefined }

/** Parses and lowers a snippet of code given as a function body; undefined when it does not parse. */
export type SnippetLowerer = (body: string, expander: MacroExpander) => Stmt[] | undefined;

interface Template { params: string[]; stmts: Stmt[]; expr?: Expr }

const MAX_NESTING = 8;

export class MacroExpander {
  private templates = new Map<string, Template | null>();
  private expanding: string[] = [];
  private counter = 0;

  constructor(private table: MacroTable, private lowerSnippet: SnippetLowerer) {}

  /** `NAME(args)` used as an expression. */
  functionMacro(name: string, call: SyntaxNode, args: Expr[], _l: CLowering): Expr | undefined {
    const t = this.template(name, true);
    if (!t) return undefined;
    const span = { start: call.start, end: call.end };
    const names = this.bind(t, args, span);
    if (t.expr) return substituteExpr(t.expr, names, span, () => this.nextId(call.start));
    // A statement macro in an expression position: keep its expressions so calls are still seen.
    const stmts = substituteStmts(t.stmts, names, span, () => this.nextId(call.start));
    return { k: 'unknown', span, parts: stmts.flatMap(stmtToExprs) };
  }

  /** An expression statement that is a macro use standing for statements (`CHECK(x);`, `CLOSE_AND_RETURN;`). */
  statementMacro(e: SyntaxNode, l: CLowering): Stmt[] | undefined {
    let name: string | undefined;
    let argsNode: SyntaxNode | undefined;
    if (e.type === 'call_expression') {
      const fn = child(e, 'function');
      if (fn?.type !== 'identifier') return undefined;
      name = l.textOf(fn);
      argsNode = child(e, 'arguments');
    } else if (e.type === 'identifier') {
      name = l.textOf(e);
    } else {
      return undefined;
    }
    const def = this.table.lookup(name);
    if (!def || (def.params !== undefined) !== (e.type === 'call_expression')) return undefined;
    const t = this.template(name, def.params !== undefined);
    if (!t || t.expr) return undefined;
    const args = argsNode ? namedChildren(argsNode).filter((a) => a.type !== 'comment').map((a) => l.expr(a)) : [];
    const span = { start: e.start, end: e.end };
    return substituteStmts(t.stmts, this.bind(t, args, span), span, () => this.nextId(e.start));
  }

  /** An object-like macro used as an expression (`BUFSIZE`, `sock_errno`). */
  objectMacro(name: string, span: Span, _l: CLowering): Expr | undefined {
    const def = this.table.lookup(name);
    if (!def || def.params !== undefined || !def.body) return undefined;
    const t = this.template(name, false);
    if (!t?.expr) return undefined;
    return substituteExpr(t.expr, new Map(), span, () => this.nextId(span.start));
  }

  private bind(t: Template, args: Expr[], span: Span): Map<string, Expr> {
    const names = new Map<string, Expr>();
    t.params.forEach((p, i) => {
      if (p === '__VA_ARGS__') {
        const rest = args.slice(i);
        names.set(p, rest.length === 1 ? rest[0] : { k: 'comma', span, exprs: rest });
      } else {
        names.set(p, args[i] ?? { k: 'unknown', span, parts: [] });
      }
    });
    return names;
  }

  /** Macro calls get ids that cannot collide with real calls' (which are their start offsets). */
  private nextId(useStart: number): number {
    this.counter++;
    return -(useStart * 64 + (this.counter % 64) + 1);
  }

  private template(name: string, functionLike: boolean): Template | undefined {
    if (this.templates.has(name)) return this.templates.get(name) ?? undefined;
    const def = this.table.lookup(name);
    if (!def || (def.params !== undefined) !== functionLike || this.expanding.includes(name) || this.expanding.length >= MAX_NESTING) return undefined;
    this.expanding.push(name);
    let t: Template | null = null;
    try {
      const body = prepareBody(def);
      if (body !== undefined) {
        const stmts = this.lowerSnippet(body, this);
        if (stmts && stmts.length > 0) {
          const only = stmts.length === 1 && stmts[0].k === 'expr' ? stmts[0].expr : undefined;
          t = { params: def.params ?? [], stmts, expr: only };
        }
      }
    } finally {
      this.expanding.pop();
    }
    this.templates.set(name, t);
    return t ?? undefined;
  }
}

function stmtToExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'expr': return [s.expr];
    case 'if': return [s.cond, ...s.then.flatMap(stmtToExprs), ...(s.else ?? []).flatMap(stmtToExprs)];
    case 'block': return s.body.flatMap(stmtToExprs);
    case 'return': return s.value ? [s.value] : [];
    default: return [];
  }
}

/**
 * The replacement text made parseable: `#x` (stringizing) becomes a string literal and `a ## b`
 * (token pasting) joins the tokens. Returns undefined for bodies that are not code (empty, or a
 * bare keyword list such as `__attribute__((unused))`).
 */
function prepareBody(def: MacroDef): string | undefined {
  const body = def.body;
  if (!body) return undefined;
  const params = new Set(def.params ?? []);
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < body.length && body[j] !== c) j += body[j] === '\\' ? 2 : 1;
      out += body.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === '#' && body[i + 1] === '#') { // token pasting: drop the operator and the spaces around it
      out = out.trimEnd();
      i += 2;
      while (i < body.length && (body[i] === ' ' || body[i] === '\t')) i++;
      continue;
    }
    if (c === '#') { // stringizing: #param -> "param"
      let j = i + 1;
      while (j < body.length && (body[j] === ' ' || body[j] === '\t')) j++;
      let k = j;
      while (k < body.length && isIdentChar(body.charCodeAt(k))) k++;
      const word = body.slice(j, k);
      if (params.has(word)) { out += `"${word}"`; i = k; continue; }
      return undefined; // a directive-like body: not code
    }
    out += c;
    i++;
  }
  return out;
}

function isIdentChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 48 && c <= 57);
}
