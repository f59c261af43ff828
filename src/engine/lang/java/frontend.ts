// The Java front end: text -> FileIR. The whole tree is copied once (which values are sockets
// depends on the whole file: the imports, field types, what constructors assign to fields), the
// names are read (scope.ts), and each method and constructor is lowered (lower.ts). Field
// initialisers run at the start of each constructor (or of a synthetic one when the class
// declares none).
import type { Tree } from 'web-tree-sitter';
import { Budget } from '../../budget';
import type { Expr, FunctionIR, FunctionOutline, StructDecl } from '../../ir/ir';
import type { SyntaxNode } from '../../parse/snapshot';
import type { CFile } from '../c/frontend';
import { copyWholeTree, errorAndCommentSpans, outlineFromIR, wholeFileIR } from '../whole-file';
import { JAVA_API } from './api';
import { JavaLowering } from './lower';
import { JavaScopes, type JavaFunction } from './scope';

export interface JavaFrontEndOptions {
  budget?: Budget;
  tree?: Tree;
  parserHeapCapBytes?: number;
}

/** The C API name each kind of Java socket call stands for in a function's outline (what the analysis chooses by). */
const OUTLINE_NAME: Record<string, string> = {
  socket: 'socket', accept: 'accept', connect: 'connect', listen: 'listen', bind: 'bind', send: 'send', recv: 'recv',
  setsockopt: 'setsockopt', ioctl: 'ioctl', close: 'close', shutdown: 'shutdown', wait: 'select', sleep: 'sleep', input: 'fgets', exit: 'exit',
};
/** Java's non-blocking calls report "would block" by a count of 0, never by a name. */
const WOULD_BLOCK_NAMES = new Set<string>();

export function lowerJavaFile(path: string, text: string, options: JavaFrontEndOptions = {}): CFile {
  let budget = options.budget ?? Budget.unlimited();
  const root = copyWholeTree(text, 'java', budget, options.tree, options.parserHeapCapBytes);
  const { errorSpans, commentSpans } = errorAndCommentSpans(root, budget);

  const scopes = new JavaScopes(root, text, budget);
  const fns: { f: JavaFunction; inits: SyntaxNode[] }[] = scopes.functions.map((f) => ({ f, inits: f.isConstructor ? fieldInitialisers(scopes, f.className) : [] }));
  // A class with field initialisers and no constructor: its default constructor runs them.
  for (const c of scopes.classes.values()) {
    if ([...c.methods.values()].some((m) => m.isConstructor)) continue;
    const inits = fieldInitialisers(scopes, c.name);
    if (inits.length === 0) continue;
    const f: JavaFunction = {
      name: '<init>', qualified: `${c.name}.<init>`, className: c.name, body: [], params: [], isConstructor: true,
      locals: new Map(), kinds: new Map(), span: c.span, nameSpan: { start: c.span.start, end: c.span.start },
    };
    fns.push({ f, inits });
  }

  const lowered = new Map<number, FunctionIR>();
  const lowerAt = (i: number): FunctionIR => {
    let ir = lowered.get(i);
    if (!ir) {
      const { f, inits } = fns[i];
      const hasErrors = errorSpans.some((e) => e.start >= f.span.start && e.end <= f.span.end);
      ir = new JavaLowering(text, scopes, budget, f, inits).lowerFunction(hasErrors);
      lowered.set(i, ir);
    }
    return ir;
  };

  const functions: FunctionOutline[] = fns.map((_, i) => outlineFromIR(lowerAt(i), JAVA_API, OUTLINE_NAME, WOULD_BLOCK_NAMES));

  // Classes as structs: fields with their types (sockets by kind), `static final` fields as class constants.
  const structs: StructDecl[] = [...scopes.classes.values()].map((c) => {
    const typer = new JavaLowering(text, scopes, budget, emptyFunction(c.name));
    const constants = new Map<string, Expr>();
    for (const [name, fd] of c.fields) if (fd.isConst && fd.init) constants.set(name, typer.expr(fd.init));
    return {
      name: c.name, kind: 'class' as const,
      fields: [...c.fields].map(([name, fd]) => ({ name, type: scopes.fieldKind(c.name, name) ? { name: scopes.fieldKind(c.name, name)!, ptr: 0 } : typer.typeRef(fd.type, fd.init), span: fd.span })),
      methods: new Set(c.methods.keys()), bases: c.bases, constants, span: c.span,
    };
  });

  return wholeFileIR({
    path, language: 'java', text, functions, lowerFunction: lowerAt, structs, errorSpans, commentSpans,
    setBudget(b: Budget) { budget = b; },
  });
}

/** A class's instance field initialisers as `name = value` assignments for its constructors to run. */
function fieldInitialisers(scopes: JavaScopes, className: string | undefined): SyntaxNode[] {
  const c = className ? scopes.classes.get(className) : undefined;
  if (!c) return [];
  const out: SyntaxNode[] = [];
  for (const [name, fd] of c.fields) {
    if (!fd.init || fd.isStatic) continue;
    // A synthetic statement `name = init;`, spanning the declarator.
    const left: SyntaxNode = { type: 'identifier', field: 'left', start: fd.span.start, end: fd.span.start + name.length, named: true, children: [] };
    out.push({
      type: 'expression_statement', start: fd.span.start, end: fd.span.end, named: true,
      children: [{ type: 'assignment_expression', start: fd.span.start, end: fd.span.end, named: true, children: [left, { type: '=', field: 'operator', start: -1, end: -1, named: false, children: [] }, { ...fd.init, field: 'right' }] }],
    });
  }
  return out;
}

function emptyFunction(className: string): JavaFunction {
  return {
    name: '<fields>', qualified: `${className}.<fields>`, className, body: [], params: [], isConstructor: false,
    locals: new Map(), kinds: new Map(), span: { start: 0, end: 0 }, nameSpan: { start: 0, end: 0 },
  };
}
