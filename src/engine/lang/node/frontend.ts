// The JavaScript / TypeScript front end (Node.js): text -> FileIR. The whole tree is copied once
// (which values are sockets depends on the whole file: its imports, fields, calls), the names are
// read (scope.ts), and each function of the file is lowered (lower.ts). The module's top-level code
// is one more function, `<module>`, whose names are the file's globals.
import type { Tree } from 'web-tree-sitter';
import { Budget } from '../../budget';
import type { FunctionIR, FunctionOutline, GlobalDecl, StructDecl } from '../../ir/ir';
import type { LanguageId } from '../../types';
import type { CFile } from '../c/frontend';
import { copyWholeTree, errorAndCommentSpans, outlineFromIR, wholeFileIR } from '../whole-file';
import { NODE_API } from './api';
import { KIND_TYPE, NodeLowering } from './lower';
import { NodeScopes } from './scope';

export interface NodeFrontEndOptions {
  budget?: Budget;
  tree?: Tree;
  parserHeapCapBytes?: number;
}

/** The C API name each kind of Node socket call stands for in a function's outline (what the analysis chooses by). */
const OUTLINE_NAME: Record<string, string> = {
  socket: 'socket', accept: 'accept', connect: 'connect', listen: 'listen', bind: 'bind', send: 'send', recv: 'recv',
  setsockopt: 'setsockopt', close: 'close', shutdown: 'shutdown', wait: 'select', sleep: 'sleep', exit: 'exit',
};
/** Node has no WOULDBLOCK: writes queue, reads are events. */
const WOULD_BLOCK_NAMES = new Set<string>();

export function lowerNodeFile(path: string, text: string, language: LanguageId, options: NodeFrontEndOptions = {}): CFile {
  let budget = options.budget ?? Budget.unlimited();
  const root = copyWholeTree(text, language, budget, options.tree, options.parserHeapCapBytes);
  const { errorSpans, commentSpans } = errorAndCommentSpans(root, budget);

  const scopes = new NodeScopes(root, text, budget);
  // Top-level code counts only when there is some beyond declarations of functions and classes.
  const fns = scopes.functions.filter((f) => f.node || f.body.length > 0);
  const lowered = new Map<number, FunctionIR>();
  const lowerAt = (i: number): FunctionIR => {
    let ir = lowered.get(i);
    if (!ir) {
      const f = fns[i];
      const span = f.node ? { start: f.node.start, end: f.node.end } : { start: 0, end: text.length };
      const hasErrors = errorSpans.some((e) => e.start >= span.start && e.end <= span.end);
      ir = new NodeLowering(text, scopes, budget, f).lowerFunction(hasErrors);
      lowered.set(i, ir);
    }
    return ir;
  };
  const functions: FunctionOutline[] = fns.map((_, i) => outlineFromIR(lowerAt(i), NODE_API, OUTLINE_NAME, WOULD_BLOCK_NAMES));

  // Classes as structs: fields that hold sockets or servers, by kind.
  const structs: StructDecl[] = [...scopes.classes.values()].map((c) => {
    const names = new Set([...c.fields.keys(), ...c.declared.keys()]);
    return {
      name: c.name, kind: 'class' as const,
      fields: [...names].map((name) => {
        const k = scopes.fieldKind(c.name, name);
        return { name, type: k ? KIND_TYPE[k] : { name: '?', ptr: 0 }, span: c.declared.get(name)?.span ?? c.span };
      }),
      methods: new Set(c.methods.keys()), bases: [], constants: new Map(), span: c.span,
    };
  });

  const file = wholeFileIR({
    path, language, text, functions, lowerFunction: lowerAt, structs, errorSpans, commentSpans,
    setBudget(b: Budget) { budget = b; },
  });
  // The module's names are globals of the file, typed by what they hold.
  const globals: GlobalDecl[] = [...scopes.moduleNames].map((name) => {
    const k = scopes.module.kinds.get(name);
    const at = { start: 0, end: 0 };
    return { name, nameSpan: at, span: at, type: k ? KIND_TYPE[k] : { name: '?', ptr: 0 }, isStatic: true, isConst: false };
  });
  return { ...file, globals };
}
