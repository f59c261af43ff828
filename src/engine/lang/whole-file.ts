// What the front ends of languages read whole (Python, C#, Go, Java, JavaScript/TypeScript) share: the file's tree copied once and
// freed, the spans of its syntax errors and comments, and a function's outline taken from its IR.
// (C/C++ reads a file lazily, function by function: lang/c/frontend.ts.)
import type { Tree } from 'web-tree-sitter';
import type { Budget } from '../budget';
import type { FunctionIR, FunctionOutline, Span, StructDecl } from '../ir/ir';
import { forEachExprInBody } from '../ir/walk';
import { parseBounded } from '../parse/bounded';
import { snapshot, type SyntaxNode } from '../parse/snapshot';
import type { LanguageId } from '../types';
import type { ApiCall } from './c/api';
import { ParseStopped, type CFile } from './c/frontend';

/** Parses `text` (unless the editor's tree is given) and copies the whole tree; a tree parsed here is freed. */
export function copyWholeTree(text: string, language: LanguageId, budget: Budget, tree?: Tree, parserHeapCapBytes?: number): SyntaxNode {
  budget.phase = 'parsing';
  const ownTree = !tree;
  if (!tree) {
    const outcome = parseBounded(text, language, budget.deadline, 0, null, parserHeapCapBytes);
    if (!outcome.tree) {
      if (outcome.stopped.kind === 'time-budget') budget.check();
      throw new ParseStopped(outcome.stopped);
    }
    tree = outcome.tree;
  }
  const cursor = tree.walk();
  try {
    budget.phase = 'reading the file outline';
    return snapshot(cursor, tree.language, budget);
  } finally {
    cursor.delete();
    if (ownTree) tree.delete();
  }
}

/** The spans of syntax errors (ERROR, MISSING) and of comments (in order) in a copied tree. */
export function errorAndCommentSpans(root: SyntaxNode, budget: Budget): { errorSpans: Span[]; commentSpans: Span[] } {
  const errorSpans: Span[] = [];
  const commentSpans: Span[] = [];
  const stack = [root];
  while (stack.length) {
    budget.tick();
    const n = stack.pop()!;
    if (n.type === 'ERROR' || n.type === 'MISSING') errorSpans.push({ start: n.start, end: n.end });
    if (n.type === 'comment' || n.type === 'line_comment' || n.type === 'block_comment') commentSpans.push({ start: n.start, end: n.end });
    for (const c of n.children) if (c.named) stack.push(c);
  }
  commentSpans.sort((a, b) => a.start - b.start);
  return { errorSpans, commentSpans };
}

/**
 * A lowered function's outline: the calls it makes, with the runtime's socket calls under the C API
 * name of their kind (what the analysis chooses functions by), and the WOULDBLOCK names it mentions.
 */
export function outlineFromIR(ir: FunctionIR, api: Record<string, ApiCall>, outlineName: Record<string, string>, wouldBlockNames: Set<string>): FunctionOutline {
  const calls = new Set<string>();
  const mentions = new Set<string>();
  forEachExprInBody(ir.body, (e) => {
    if (e.k === 'call') {
      const known = e.known ? api[e.known] : undefined;
      if (known) calls.add(outlineName[known.kind] ?? known.kind);
      else if (e.callee.k === 'name') calls.add(e.callee.name);
      else if (e.callee.k === 'field') calls.add(e.callee.field);
    }
    if (e.k === 'name' && wouldBlockNames.has(e.name)) mentions.add(e.name);
    return undefined;
  });
  return {
    name: ir.name, qualified: ir.qualified, className: ir.className, params: ir.params, returnType: ir.returnType,
    span: ir.span, nameSpan: ir.nameSpan, bodySpan: ir.span, isStatic: false, calls, mentions,
  };
}

/**
 * The file a whole-file front end hands the analysis: its functions (lowered on demand) and classes;
 * no C globals, macros, includes or typedefs, and no tree left to free.
 */
export function wholeFileIR(parts: {
  path: string; language: LanguageId; text: string; functions: FunctionOutline[]; lowerFunction(index: number): FunctionIR;
  structs: StructDecl[]; errorSpans: Span[]; commentSpans: Span[]; setBudget(b: Budget): void;
}): CFile {
  return {
    ...parts,
    globals: [], enums: [], macros: [], includes: [], typedefs: new Map(),
    preprocessed: false, errorCount: parts.errorSpans.length,
    release() { /* the tree was freed after the copy */ },
  };
}
