// The Python front end: text -> FileIR. The whole tree is copied once (Python files are read at
// once: which values are sockets depends on the whole file), the socket values are inferred
// (scope.ts), and function bodies are lowered on demand (lower.ts). The module's top-level code is
// one more function, `<module>`, so scripts without functions are analysed too.
import type { Tree } from 'web-tree-sitter';
import { Budget } from '../../budget';
import type { FileIR, FunctionIR, FunctionOutline, Span, StructDecl } from '../../ir/ir';
import { forEachExprInBody } from '../../ir/walk';
import { parseBounded } from '../../parse/bounded';
import { snapshot, type SyntaxNode } from '../../parse/snapshot';
import { ParseStopped, type CFile } from '../c/frontend';
import { PY_API } from './api';
import { PythonLowering } from './lower';
import { PythonNames } from './names';
import { PythonScopes } from './scope';

export interface PythonFrontEndOptions {
  budget?: Budget;
  tree?: Tree;
  parserHeapCapBytes?: number;
}

/** The C API name each kind of Python socket call stands for in a function's outline (what the analysis chooses by). */
const OUTLINE_NAME: Record<string, string> = {
  socket: 'socket', accept: 'accept', connect: 'connect', listen: 'listen', bind: 'bind', send: 'send', recv: 'recv',
  sendto: 'sendto', recvfrom: 'recvfrom', setsockopt: 'setsockopt', ioctl: 'fcntl', close: 'close', shutdown: 'shutdown',
  wait: 'select', sleep: 'sleep', input: 'fgets', exit: 'exit',
};

export function lowerPythonFile(path: string, text: string, options: PythonFrontEndOptions = {}): CFile {
  let budget = options.budget ?? Budget.unlimited();
  budget.phase = 'parsing';
  let tree = options.tree;
  const ownTree = !tree;
  if (!tree) {
    const outcome = parseBounded(text, 'python', budget.deadline, 0, null, options.parserHeapCapBytes);
    if (!outcome.tree) {
      if (outcome.stopped.kind === 'time-budget') budget.check();
      throw new ParseStopped(outcome.stopped);
    }
    tree = outcome.tree;
  }
  let root: SyntaxNode;
  const cursor = tree.walk();
  try {
    budget.phase = 'reading the file outline';
    root = snapshot(cursor, tree.language, budget);
  } finally {
    cursor.delete();
    if (ownTree) tree.delete();
  }

  const errorSpans: Span[] = [];
  const commentSpans: Span[] = [];
  const stack = [root];
  while (stack.length) {
    budget.tick();
    const n = stack.pop()!;
    if (n.type === 'ERROR' || n.type === 'MISSING') errorSpans.push({ start: n.start, end: n.end });
    if (n.type === 'comment') commentSpans.push({ start: n.start, end: n.end });
    for (const c of n.children) if (c.named) stack.push(c);
  }
  commentSpans.sort((a, b) => a.start - b.start);

  const names = new PythonNames(root, text);
  const scopes = new PythonScopes(root, text, names, budget);
  // Top-level code counts only when there is some (a module of definitions has none to analyse).
  const fns = scopes.functions.filter((f) => f.node || f.body.length > 0);
  const lowered = new Map<number, FunctionIR>();
  const lowerAt = (i: number): FunctionIR => {
    let ir = lowered.get(i);
    if (!ir) {
      const f = fns[i];
      const span = f.node ? { start: f.node.start, end: f.node.end } : { start: 0, end: text.length };
      const hasErrors = errorSpans.some((e) => (f.node ? e.start >= span.start && e.end <= span.end : !scopes.functions.some((g) => g.node && e.start >= g.node.start && e.end <= g.node.end)));
      ir = new PythonLowering(text, scopes, budget, f).lowerFunction(hasErrors);
      lowered.set(i, ir);
    }
    return ir;
  };

  // The outline needs each function's calls: lowering is linear and Python files are read whole, so
  // functions are lowered here and the IR kept.
  const functions: FunctionOutline[] = fns.map((f, i) => {
    const ir = lowerAt(i);
    const calls = new Set<string>();
    const mentions = new Set<string>();
    forEachExprInBody(ir.body, (e) => {
      if (e.k === 'call') {
        const api = e.known ? PY_API[e.known] : undefined;
        if (api) calls.add(OUTLINE_NAME[api.kind] ?? api.kind);
        else if (e.callee.k === 'name') calls.add(e.callee.name);
        else if (e.callee.k === 'field') calls.add(e.callee.field);
      }
      if (e.k === 'name' && (e.name === 'EAGAIN' || e.name === 'EWOULDBLOCK' || e.name === 'BlockingIOError')) mentions.add(e.name);
      return undefined;
    });
    return {
      name: ir.name, qualified: ir.qualified, className: ir.className, params: ir.params, returnType: ir.returnType,
      span: ir.span, nameSpan: ir.nameSpan, bodySpan: ir.span, isStatic: false, calls, mentions,
    };
  });

  const structs: StructDecl[] = [...scopes.classes.values()].map((c) => ({
    name: c.name, kind: 'class',
    fields: [...c.attrs].map(([name, kind]) => ({ name, type: { name: kind, ptr: 0 }, span: c.span })),
    methods: new Set(c.methods.keys()),
    bases: c.bases.filter((b) => b.type === 'identifier').map((b) => text.slice(b.start, b.end)),
    constants: new Map(), span: c.span,
  }));

  const file: CFile = {
    path, language: 'python', text,
    functions,
    lowerFunction: lowerAt,
    globals: [], structs, enums: [], macros: [], includes: [], typedefs: new Map(),
    errorSpans, commentSpans, preprocessed: false, errorCount: errorSpans.length,
    release() { /* the tree was freed after the copy */ },
    setBudget(b: Budget) { budget = b; },
  };
  return file;
}
