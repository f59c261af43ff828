// The C# front end: text -> FileIR. The whole tree is copied once (which values are sockets depends
// on the whole file: field types, the imports), the names are read (scope.ts), and each method,
// constructor and local function is lowered (lower.ts). Top-level statements (C# 9) are one more
// function, `<main>`; field initialisers run at the start of each constructor (or of a synthetic
// one when the class declares none).
import type { Tree } from 'web-tree-sitter';
import { Budget } from '../../budget';
import type { Expr, FunctionIR, FunctionOutline, StructDecl } from '../../ir/ir';
import type { SyntaxNode } from '../../parse/snapshot';
import type { CFile } from '../c/frontend';
import { copyWholeTree, errorAndCommentSpans, outlineFromIR, wholeFileIR } from '../whole-file';
import { CS_API } from './api';
import { CsharpLowering } from './lower';
import { CsharpScopes, type CsFunction } from './scope';

export interface CsharpFrontEndOptions {
  budget?: Budget;
  tree?: Tree;
  parserHeapCapBytes?: number;
}

/** The C API name each kind of .NET socket call stands for in a function's outline (what the analysis chooses by). */
/** Names whose mention says the function deals with WOULDBLOCK. */
const WOULD_BLOCK_NAMES = new Set(['WSAEWOULDBLOCK', 'WSA_IO_PENDING']);

const OUTLINE_NAME: Record<string, string> = {
  socket: 'socket', accept: 'accept', connect: 'connect', listen: 'listen', bind: 'bind', send: 'send', recv: 'recv',
  sendto: 'sendto', recvfrom: 'recvfrom', setsockopt: 'setsockopt', ioctl: 'ioctlsocket', close: 'closesocket', shutdown: 'shutdown',
  wait: 'select', sleep: 'Sleep', input: 'fgets', exit: 'exit', iocp: 'CreateIoCompletionPort',
};

export function lowerCsharpFile(path: string, text: string, options: CsharpFrontEndOptions = {}): CFile {
  let budget = options.budget ?? Budget.unlimited();
  const root = copyWholeTree(text, 'csharp', budget, options.tree, options.parserHeapCapBytes);
  const { errorSpans, commentSpans } = errorAndCommentSpans(root, budget);

  const scopes = new CsharpScopes(root, text, budget);
  const fns: { f: CsFunction; inits: SyntaxNode[] }[] = [];
  for (const f of scopes.functions) fns.push({ f, inits: f.isConstructor ? fieldInitialisers(scopes, f.className) : [] });
  // A class with field initialisers and no constructor: its implicit constructor runs them.
  for (const c of scopes.classes.values()) {
    if ([...c.methods.values()].some((m) => m.isConstructor)) continue;
    const inits = fieldInitialisers(scopes, c.name);
    if (inits.length === 0) continue;
    const f: CsFunction = {
      name: '.ctor', qualified: `${c.name}..ctor`, className: c.name, body: [], arrow: false, params: [], isStatic: false, isConstructor: true,
      localTypes: new Map(), kinds: new Map(), span: c.span, nameSpan: { start: c.span.start, end: c.span.start },
    };
    fns.push({ f, inits });
  }

  const lowered = new Map<number, FunctionIR>();
  const lowerAt = (i: number): FunctionIR => {
    let ir = lowered.get(i);
    if (!ir) {
      const { f, inits } = fns[i];
      const span = f.span;
      const hasErrors = errorSpans.some((e) => e.start >= span.start && e.end <= span.end);
      ir = new CsharpLowering(text, scopes, budget, f, inits).lowerFunction(hasErrors);
      lowered.set(i, ir);
    }
    return ir;
  };

  const functions: FunctionOutline[] = fns.map((_, i) => outlineFromIR(lowerAt(i), CS_API, OUTLINE_NAME, WOULD_BLOCK_NAMES));

  // Classes as structs: fields with their types (sockets by kind), `const` fields as class constants.
  const structs: StructDecl[] = [...scopes.classes.values()].map((c) => {
    const typer = new CsharpLowering(text, scopes, budget, { ...emptyFunction(c.name), className: c.name });
    const constants = new Map<string, Expr>();
    for (const [name, fd] of c.fields) if (fd.isConst && fd.init) constants.set(name, typer.expr(fd.init));
    return {
      name: c.name, kind: 'class' as const,
      fields: [...c.fields].map(([name, fd]) => ({ name, type: typer.typeRef(fd.type, fd.init), span: fd.span })),
      methods: new Set(c.methods.keys()), bases: c.bases, constants, span: c.span,
    };
  });

  return wholeFileIR({
    path, language: 'csharp', text, functions, lowerFunction: lowerAt, structs, errorSpans, commentSpans,
    setBudget(b: Budget) { budget = b; },
  });
}

/** A class's field initialisers as `name = value` assignments for its constructors to run. */
function fieldInitialisers(scopes: CsharpScopes, className: string | undefined): SyntaxNode[] {
  const c = className ? scopes.classes.get(className) : undefined;
  if (!c) return [];
  const out: SyntaxNode[] = [];
  for (const [name, fd] of c.fields) {
    if (!fd.init || fd.isConst || fd.isStatic) continue;
    // A synthetic assignment node: `name = init`, spanning the declarator.
    const left: SyntaxNode = { type: 'identifier', field: 'left', start: fd.span.start, end: fd.span.start + name.length, named: true, children: [] };
    out.push({
      type: 'expression_statement', start: fd.span.start, end: fd.span.end, named: true,
      children: [{ type: 'assignment_expression', start: fd.span.start, end: fd.span.end, named: true, children: [left, { type: '=', field: 'operator', start: -1, end: -1, named: false, children: [] }, { ...fd.init, field: 'right' }] }],
    });
  }
  return out;
}

function emptyFunction(className: string): CsFunction {
  return {
    name: '<fields>', qualified: `${className}.<fields>`, className, body: [], arrow: false, params: [], isStatic: false, isConstructor: false,
    localTypes: new Map(), kinds: new Map(), span: { start: 0, end: 0 }, nameSpan: { start: 0, end: 0 },
  };
}
