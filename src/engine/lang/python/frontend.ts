// The Python front end: text -> FileIR. The whole tree is copied once (Python files are read at
// once: which values are sockets depends on the whole file), the socket values are inferred
// (scope.ts), and function bodies are lowered on demand (lower.ts). The module's top-level code is
// one more function, `<module>`, so scripts without functions are analysed too.
import type { Tree } from 'web-tree-sitter';
import { Budget } from '../../budget';
import type { FunctionIR, FunctionOutline, StructDecl } from '../../ir/ir';
import type { CFile } from '../c/frontend';
import { copyWholeTree, errorAndCommentSpans, outlineFromIR, wholeFileIR } from '../whole-file';
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
/** Names whose mention says the function deals with WOULDBLOCK. */
const WOULD_BLOCK_NAMES = new Set(['EAGAIN', 'EWOULDBLOCK', 'BlockingIOError']);

const OUTLINE_NAME: Record<string, string> = {
  socket: 'socket', accept: 'accept', connect: 'connect', listen: 'listen', bind: 'bind', send: 'send', recv: 'recv',
  sendto: 'sendto', recvfrom: 'recvfrom', setsockopt: 'setsockopt', ioctl: 'fcntl', close: 'close', shutdown: 'shutdown',
  wait: 'select', sleep: 'sleep', input: 'fgets', exit: 'exit',
};

export function lowerPythonFile(path: string, text: string, options: PythonFrontEndOptions = {}): CFile {
  let budget = options.budget ?? Budget.unlimited();
  const root = copyWholeTree(text, 'python', budget, options.tree, options.parserHeapCapBytes);
  const { errorSpans, commentSpans } = errorAndCommentSpans(root, budget);

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
  const functions: FunctionOutline[] = fns.map((_, i) => outlineFromIR(lowerAt(i), PY_API, OUTLINE_NAME, WOULD_BLOCK_NAMES));

  const structs: StructDecl[] = [...scopes.classes.values()].map((c) => ({
    name: c.name, kind: 'class',
    fields: [...c.attrs].map(([name, kind]) => ({ name, type: { name: kind, ptr: 0 }, span: c.span })),
    methods: new Set(c.methods.keys()),
    bases: c.bases.filter((b) => b.type === 'identifier').map((b) => text.slice(b.start, b.end)),
    constants: new Map(), span: c.span,
  }));

  return wholeFileIR({
    path, language: 'python', text, functions, lowerFunction: lowerAt, structs, errorSpans, commentSpans,
    setBudget(b: Budget) { budget = b; },
  });
}
