// The Go front end: text -> FileIR. The whole tree is copied once (which values are connections
// depends on the whole file: imports, struct fields, what functions return), the names are read
// (scope.ts), and each function and method is lowered (lower.ts). Structs are the classes the
// analysis sees: a method's receiver is its first parameter, typed with the struct.
import type { Tree } from 'web-tree-sitter';
import { Budget } from '../../budget';
import type { FunctionIR, FunctionOutline, StructDecl } from '../../ir/ir';
import type { CFile } from '../c/frontend';
import { copyWholeTree, errorAndCommentSpans, outlineFromIR, wholeFileIR } from '../whole-file';
import { GO_API } from './api';
import { GoLowering } from './lower';
import { GoScopes } from './scope';

export interface GoFrontEndOptions {
  budget?: Budget;
  tree?: Tree;
  parserHeapCapBytes?: number;
}

/** Go never shows WOULDBLOCK to the code (the runtime poller waits): no name says a function deals with it. */
const WOULD_BLOCK_NAMES = new Set<string>();

/** The C API name each kind of Go socket call stands for in a function's outline (what the analysis chooses by). */
const OUTLINE_NAME: Record<string, string> = {
  socket: 'socket', accept: 'accept', connect: 'connect', listen: 'listen', bind: 'bind', send: 'send', recv: 'recv',
  setsockopt: 'setsockopt', close: 'close', shutdown: 'shutdown', wait: 'select', sleep: 'sleep', input: 'fgets', exit: 'exit',
};

export function lowerGoFile(path: string, text: string, options: GoFrontEndOptions = {}): CFile {
  let budget = options.budget ?? Budget.unlimited();
  const root = copyWholeTree(text, 'go', budget, options.tree, options.parserHeapCapBytes);
  const { errorSpans, commentSpans } = errorAndCommentSpans(root, budget);
  const scopes = new GoScopes(root, text, budget);

  const lowered = new Map<number, FunctionIR>();
  const lowerAt = (i: number): FunctionIR => {
    let ir = lowered.get(i);
    if (!ir) {
      const f = scopes.functions[i];
      const hasErrors = errorSpans.some((e) => e.start >= f.node.start && e.end <= f.node.end);
      ir = new GoLowering(text, scopes, budget, f).lowerFunction(hasErrors);
      lowered.set(i, ir);
    }
    return ir;
  };
  const functions: FunctionOutline[] = scopes.functions.map((_, i) => outlineFromIR(lowerAt(i), GO_API, OUTLINE_NAME, WOULD_BLOCK_NAMES));

  const structs: StructDecl[] = [...scopes.structs.values()].map((s) => {
    const typer = new GoLowering(text, scopes, budget, scopes.functions[0] ?? emptyFunction(root));
    return {
      name: s.name, kind: 'struct' as const,
      fields: [...s.fields].map(([name, fd]) => ({ name, type: typer.typeRef(fd.type), span: fd.span })),
      methods: new Set(scopes.functions.filter((f) => f.className === s.name).map((f) => f.name)),
      bases: [], constants: new Map(), span: s.span,
    };
  });

  return wholeFileIR({
    path, language: 'go', text, functions, lowerFunction: lowerAt, structs, errorSpans, commentSpans,
    setBudget(b: Budget) { budget = b; },
  });
}

function emptyFunction(root: import('../../parse/snapshot').SyntaxNode) {
  return { name: '<types>', qualified: '<types>', node: root, params: [], results: [], kinds: new Map(), structs: new Map(), locals: new Set<string>(), declared: new Map() };
}
