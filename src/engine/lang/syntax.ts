// Small helpers over tree-sitter nodes shared by the C-family adapter.
import type { Node, TreeCursor } from 'web-tree-sitter';
import type { Position, Range } from '../types';

/**
 * Maps UTF-16 offsets (what web-tree-sitter reports for JS strings) to line/character positions.
 * Computed from the text itself so columns are right whatever characters precede them.
 */
export class LineIndex {
  private starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  position(offset: number): Position {
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
  lineStart(line: number): number { return this.starts[Math.min(line, this.starts.length - 1)]; }
  lineCount(): number { return this.starts.length; }
  /** Leading whitespace of the line holding `offset`. */
  indentAt(offset: number): string {
    const start = this.starts[this.position(offset).line];
    const m = /^[ \t]*/.exec(this.text.slice(start, start + 200));
    return m ? m[0] : '';
  }
}

export function nodeRange(index: LineIndex, n: Node): Range {
  return index.range(n.startIndex, n.endIndex);
}

const NAMED_CASTS = new Set(['static_cast', 'reinterpret_cast', 'const_cast']);

/** C++ `reinterpret_cast<const char *>(&v)`: parsed as a call of a template function. */
function isNamedCast(n: Node): boolean {
  if (n.type !== 'call_expression') return false;
  const fn = n.childForFieldName('function');
  return fn?.type === 'template_function' && NAMED_CASTS.has(fn.childForFieldName('name')?.text ?? '')
    && (n.childForFieldName('arguments')?.namedChildCount ?? 0) === 1;
}

/** Removes parentheses and casts: `((HANDLE)s)` -> `s`. */
export function stripWrappers(n: Node | null): Node | null {
  let cur = n;
  for (let i = 0; cur && i < 16; i++) {
    if (cur.type === 'parenthesized_expression') cur = cur.namedChild(0);
    else if (cur.type === 'cast_expression') cur = cur.childForFieldName('value');
    else if (isNamedCast(cur)) cur = cur.childForFieldName('arguments')?.namedChild(0) ?? null;
    else break;
  }
  return cur;
}

/** The callee name of a call: `send`, `::send`, `obj.Send` -> `Send`, `std::this_thread::sleep_for` -> `sleep_for`. */
export function calleeName(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  if (!fn) return undefined;
  switch (fn.type) {
    case 'identifier': return fn.text;
    case 'qualified_identifier': {
      const name = fn.childForFieldName('name');
      return name ? (name.type === 'identifier' ? name.text : name.text.replace(/^.*::/, '')) : undefined;
    }
    case 'field_expression': return fn.childForFieldName('field')?.text;
    case 'template_function': return fn.childForFieldName('name')?.text;
    default: return undefined;
  }
}

/** Whether the call is a member call (`obj.send(...)`, `p->send(...)`), which is not the socket API. */
export function isMemberCall(call: Node): boolean {
  return call.childForFieldName('function')?.type === 'field_expression';
}

export function callArgs(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  if (!list) return [];
  const out: Node[] = [];
  for (let i = 0; i < list.namedChildCount; i++) {
    const c = list.namedChild(i);
    if (c && c.type !== 'comment') out.push(c);
  }
  return out;
}

const LOOP_TYPES = new Set(['for_statement', 'while_statement', 'do_statement', 'for_range_loop']);
export function isLoop(n: Node): boolean { return LOOP_TYPES.has(n.type); }

export function isFunction(n: Node): boolean {
  return n.type === 'function_definition' || n.type === 'lambda_expression';
}

/** The name of a function definition as written (`Client::Run`, `main`). */
export function functionName(fn: Node): string {
  if (fn.type === 'lambda_expression') return '<lambda>';
  let d = fn.childForFieldName('declarator');
  for (let i = 0; d && i < 8; i++) {
    if (d.type === 'function_declarator') {
      const inner = d.childForFieldName('declarator');
      return inner ? inner.text : '';
    }
    d = d.childForFieldName('declarator');
  }
  return '';
}

/** Parameter names of a function definition, in order ('' for unnamed). */
export function functionParams(fn: Node): string[] {
  let d = fn.childForFieldName('declarator');
  for (let i = 0; d && i < 8 && d.type !== 'function_declarator'; i++) d = d.childForFieldName('declarator');
  const list = d?.childForFieldName('parameters');
  if (!list) return [];
  const out: string[] = [];
  for (let i = 0; i < list.namedChildCount; i++) {
    const p = list.namedChild(i);
    if (!p || (p.type !== 'parameter_declaration' && p.type !== 'optional_parameter_declaration')) continue;
    out.push(declaratorName(p.childForFieldName('declarator')) ?? '');
  }
  return out;
}

/** The identifier a declarator declares: `*p`, `buf[10]`, `&r` -> the name. */
export function declaratorName(d: Node | null): string | undefined {
  let cur = d;
  for (let i = 0; cur && i < 8; i++) {
    if (cur.type === 'identifier' || cur.type === 'field_identifier') return cur.text;
    cur = cur.childForFieldName('declarator') ?? cur.namedChild(0);
  }
  return undefined;
}

/**
 * Parent lookups for one tree. tree-sitter nodes keep no parent pointer, so `node.parent` searches
 * down from the root each time; here one cursor descent records every ancestor of a node at once.
 */
export class Parents {
  private cache = new Map<number, Node | null>();
  private cursor: TreeCursor;
  constructor(private root: Node) { this.cursor = root.walk(); }
  of(n: Node): Node | null {
    const hit = this.cache.get(n.id);
    if (hit !== undefined) return hit;
    if (n.id === this.root.id) return null;
    this.cursor.reset(this.root);
    let prev: Node = this.root;
    for (let depth = 0; depth < 400; depth++) {
      if (!this.cursor.gotoFirstChildForIndex(n.startIndex)) break;
      // Zero-width or same-start children: step to the sibling that actually contains the node.
      while (this.cursor.endIndex < n.endIndex && this.cursor.gotoNextSibling()) { /* advance */ }
      const cur = this.cursor.currentNode;
      this.cache.set(cur.id, prev);
      if (cur.id === n.id) return prev;
      prev = cur;
    }
    // Not reachable by descent (should not happen): fall back to the library's own lookup.
    const p = n.parent;
    this.cache.set(n.id, p);
    return p;
  }
  dispose(): void { this.cursor.delete(); }
}

/** Walks up to the statement directly inside a compound statement (or a case body). */
export function enclosingStatement(n: Node, parents: Parents): Node | null {
  let cur: Node | null = n;
  for (let i = 0; cur && i < 64; i++) {
    const parent: Node | null = parents.of(cur);
    if (!parent) return null;
    if (parent.type === 'compound_statement' || parent.type === 'case_statement' || parent.type === 'translation_unit') return cur;
    if (isFunction(parent)) return null;
    cur = parent;
  }
  return null;
}

export function textHasWord(text: string, words: RegExp): boolean {
  return words.test(text);
}
