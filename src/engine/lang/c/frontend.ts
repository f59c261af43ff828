// The C and C++ front end: text -> FileIR. The file's outline (functions with their signatures and
// the names they call, structs, enums, globals, macros, includes) is read at once; function bodies
// are lowered on demand, because most functions of a large program never touch a socket.
import type { Language, Node, Tree, TreeCursor } from 'web-tree-sitter';
import { Budget } from '../../budget';
import { LineIndex } from '../../line-index';
import type {
  EnumConstant, FileIR, FunctionIR, FunctionOutline, GlobalDecl, MacroDef, Span, Stmt, StructDecl, TypeRef,
} from '../../ir/ir';
import { parseBounded } from '../../parse/bounded';
import { parserFor } from '../../parse/grammars';
import { child, firstNamed, snapshot, type SyntaxNode } from '../../parse/snapshot';
import type { LanguageId, Notice } from '../../types';
import { CLowering, type FunctionHeader } from './lower';
import { C_API } from './api';
import { lexCalls, type Lexed } from './lexer';
import { MacroExpander, type MacroTable } from './macros';
import { includeFromDirective, macroFromDirective, maskConditionals, scanDirectives } from './preprocessor';

export interface CFrontEndOptions {
  /** Macros visible through the file's #includes (other files of the project); the file's own come first. */
  externalMacros?: MacroTable;
  budget?: Budget;
  /** An already parsed tree of exactly this text (the editor keeps one); it is not deleted here. */
  tree?: Tree;
  /** Stop a parse when the parser's WebAssembly heap grows past this (see parse/bounded.ts). */
  parserHeapCapBytes?: number;
}

/** A parse stopped by a bound (time or memory): the notice says which. */
export class ParseStopped extends Error {
  constructor(readonly notice: Notice) { super(notice.message); }
}

/** A lowered file plus what is needed to lower more of it later. */
export interface CFile extends FileIR {
  /** Frees the syntax tree; later lowerFunction() calls parse again. */
  release(): void;
  /** The budget later lowering charges (the analysis of a set of files has its own, larger one). */
  setBudget(budget: Budget): void;
  /** The number of ERROR/MISSING nodes. */
  errorCount: number;
}

export function lowerCFile(path: string, text: string, language: LanguageId, options: CFrontEndOptions = {}): CFile {
  let budget = options.budget ?? Budget.unlimited();
  const currentBudget = () => budget;
  budget.phase = 'reading preprocessor directives';
  const directives = scanDirectives(text, budget);
  const macros: MacroDef[] = [];
  const includes = [];
  for (const d of directives) {
    const m = macroFromDirective(d);
    if (m) macros.push(m);
    const inc = includeFromDirective(d);
    if (inc) includes.push(inc);
  }

  budget.phase = 'parsing';
  let ownTree = !options.tree;
  let tree = options.tree ?? parse(text, language, budget, options.parserHeapCapBytes);
  let parsedText = text;
  let preprocessed = false;
  let errors = countErrors(tree, budget);
  if (errors.count > 0 && directives.some((d) => d.name === 'if' || d.name === 'ifdef' || d.name === 'ifndef')) {
    // Conditionals can split a statement in two (`#ifdef _WIN32` inside a call's arguments): parse
    // the text with one branch of each kept and see whether that parses better.
    const masked = maskConditionals(text, directives, budget);
    // Only when an error sits near a branch the mask removes: errors elsewhere (an unknown macro
    // in a declaration) parse the same either way, and a second parse is the most costly step here.
    const regions = masked !== undefined ? maskedRegions(text, masked, budget) : [];
    if (masked !== undefined && errors.spans.some((e) => regions.some((r) => e.end >= r.start - 256 && e.start <= r.end + 256))) {
      const t2 = reparseMasked(tree, masked, regions, language, budget, options.parserHeapCapBytes);
      const e2 = countErrors(t2, budget);
      if (e2.count < errors.count) {
        if (ownTree) tree.delete();
        tree = t2; ownTree = true; parsedText = masked; errors = e2; preprocessed = true;
      } else {
        t2.delete();
      }
    }
  }

  const ownMacros = new Map<string, MacroDef>();
  for (const m of macros) ownMacros.set(m.name, m);
  const table: MacroTable = {
    lookup: (name) => ownMacros.get(name) ?? options.externalMacros?.lookup(name),
  };

  budget.phase = 'reading the file outline';
  const lexed = lexCalls(parsedText, budget);
  const outline = readOutline(tree, parsedText, budget, table, language, lexed, currentBudget);

  // A tree this front end parsed is freed now: the socket functions are copied already, and the few
  // others the analysis reaches are parsed again one function at a time (parseFunctionAlone). Holding
  // every file's tree until the run ends is what made a repository's peak memory grow with its size.
  let liveTree: Tree | null = tree;
  if (ownTree) { tree.delete(); liveTree = null; }
  let lines: LineIndex | undefined;
  const lowered = new Map<number, FunctionIR>();
  const file: CFile = {
    path, language, text,
    functions: outline.functions.map((f) => f.outline),
    lowerFunction(index: number): FunctionIR {
      const hit = lowered.get(index);
      if (hit) return hit;
      const f = outline.functions[index];
      let snap = f.snapshot;
      f.snapshot = undefined; // lowered once; the copy is not needed any more
      let alone: Tree | null = null;
      if (!snap) {
        const span = f.outline.span;
        const from = liveTree ?? (alone = parseFunctionAlone(parsedText, span, lines ??= new LineIndex(parsedText), language, budget, options.parserHeapCapBytes));
        const node = from.rootNode.descendantForIndex(span.start, span.end);
        const fnNode = node ? enclosingFunction(node, span) : null;
        if (fnNode) {
          const cursor = from.walk();
          try {
            cursor.reset(fnNode);
            snap = snapshot(cursor, from.language, budget);
          } finally {
            cursor.delete();
          }
        }
      }
      let ir: FunctionIR;
      if (!snap) {
        ir = { ...f.outline, body: [], hasErrors: true };
      } else {
        const lowering = new CLowering(parsedText, budget, outline.expander);
        // Only errors in the body count: an unknown calling-convention macro (`DWORD WINAPI f(...)`)
        // breaks the header's parse but not the code.
        const body = f.outline.bodySpan ?? f.outline.span;
        const hasErrors = (f.outline.bodySpan ? f.bodyHasError : errors.spans.some((e) => e.start >= body.start && e.end <= body.end))
          || errorRightAfter(parsedText, body.end, errors.spans) || !!f.strayAfter;
        ir = lowering.lowerFunction(snap, f.header, hasErrors);
      }
      alone?.delete();
      lowered.set(index, ir);
      return ir;
    },
    globals: outline.globals,
    structs: outline.structs,
    enums: outline.enums,
    enumTypes: outline.enumTypes,
    macros,
    includes,
    typedefs: outline.typedefs,
    errorSpans: errors.spans,
    commentSpans: outline.comments,
    preprocessed,
    errorCount: errors.count,
    release() {
      if (liveTree && ownTree) liveTree.delete();
      liveTree = null;
    },
    setBudget(b: Budget) { budget = b; },
  };
  if (!ownTree) {
    // The caller owns the tree: lower nothing lazily from it after it may have changed.
    const release = file.release;
    file.release = () => { liveTree = null; release(); };
  }
  return file;
}

function parse(text: string, language: LanguageId, budget: Budget, heapCap?: number): Tree {
  const outcome = parseBounded(text, language, budget.deadline, 0, null, heapCap);
  if (outcome.tree) return outcome.tree;
  if (outcome.stopped.kind === 'time-budget') { budget.phase = 'parsing'; budget.check(); }
  throw new ParseStopped(outcome.stopped);
}

/**
 * Parses one function of the text on its own (tree-sitter's included ranges: offsets stay those of the
 * whole text, and only the function's characters are read), for a function lowered after the file's
 * tree was freed.
 */
function parseFunctionAlone(text: string, span: Span, lines: LineIndex, language: LanguageId, budget: Budget, heapCap?: number): Tree {
  const range = {
    startIndex: span.start, endIndex: span.end,
    startPosition: pointOf(lines.position(span.start)), endPosition: pointOf(lines.position(span.end)),
  };
  const outcome = parseBounded(text, language, budget.deadline, 0, null, heapCap, [range]);
  if (outcome.tree) return outcome.tree;
  if (outcome.stopped.kind === 'time-budget') { budget.phase = 'parsing'; budget.check(); }
  throw new ParseStopped(outcome.stopped);
}

const pointOf = (p: { line: number; character: number }) => ({ row: p.line, column: p.character });

/** The function_definition with exactly this span (descendantForIndex returns the smallest node holding it). */
function enclosingFunction(n: Node, span: Span): Node | null {
  return n.type === 'function_definition' && n.startIndex === span.start ? n : null;
}

// ---- errors ------------------------------------------------------------------------------------

/** The runs of text the mask blanked out (directive lines and dropped branches). */
function maskedRegions(text: string, masked: string, budget: Budget): Span[] {
  const regions: Span[] = [];
  for (let i = 0; i < text.length; i++) {
    if ((i & 4095) === 0) budget.tick(16);
    if (text.charCodeAt(i) === masked.charCodeAt(i)) continue;
    const start = i;
    while (i < text.length && text.charCodeAt(i) !== masked.charCodeAt(i)) i++;
    regions.push({ start, end: i });
  }
  return regions;
}

/**
 * Parses the masked text incrementally from the tree of the original: the mask only blanks runs of
 * characters (newlines stay), so each run is an edit of the same length and everything between them
 * is reused. Several times cheaper than parsing the masked text from scratch.
 */
function reparseMasked(tree: Tree, masked: string, regions: Span[], language: LanguageId, budget: Budget, heapCap?: number): Tree {
  const copy = tree.copy();
  try {
    const lines = new LineIndex(masked);
    for (const r of regions) {
      const start = lines.position(r.start), end = lines.position(r.end);
      const startPosition = { row: start.line, column: start.character };
      const endPosition = { row: end.line, column: end.character };
      copy.edit({ startIndex: r.start, oldEndIndex: r.end, newEndIndex: r.end, startPosition, oldEndPosition: endPosition, newEndPosition: endPosition });
    }
    const outcome = parseBounded(masked, language, budget.deadline, 0, copy, heapCap);
    if (outcome.tree) return outcome.tree;
    if (outcome.stopped.kind === 'time-budget') { budget.phase = 'parsing'; budget.check(); }
    throw new ParseStopped(outcome.stopped);
  } finally {
    copy.delete();
  }
}

/**
 * A syntax error starts right after the function's closing brace: a stray `}` typed inside the body
 * closed it early, and the statements that really end it (the check of a result) are in the error.
 */
function errorRightAfter(text: string, end: number, spans: Span[]): boolean {
  if (spans.length === 0) return false;
  let i = end;
  while (i < text.length && i - end < 4096 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return spans.some((e) => e.start === i);
}

/**
 * The ERROR nodes of a tree (a syntax error's extent). MISSING tokens (zero-width, inserted by the
 * parser) are not listed: a function's own `hasError` covers them where it matters (lowerFunction).
 * One walk inside WebAssembly; a query over the whole tree costs twice as much.
 */
function countErrors(tree: Tree, budget: Budget): { count: number; spans: Span[] } {
  if (!tree.rootNode.hasError) return { count: 0, spans: [] };
  budget.tick(64);
  const spans: Span[] = [];
  for (const n of tree.rootNode.descendantsOfType(['ERROR'])) {
    if (!n) continue;
    const start = n.startIndex;
    spans.push({ start, end: Math.max(start, n.endIndex) });
    if (spans.length > 10_000) break;
  }
  // A tree with only MISSING tokens still has errors.
  return { count: Math.max(spans.length, 1), spans };
}

// ---- the outline -------------------------------------------------------------------------------

interface OutlineFunction {
  outline: FunctionOutline;
  header: FunctionHeader;
  /** The whole function, copied while the outline was read (functions that call the socket API). */
  snapshot?: SyntaxNode;
  /** Statements follow it outside any function: its body was cut short by a stray `}`. */
  strayAfter?: boolean;
  /** Whether its body holds an ERROR or MISSING node (read with the outline: the tree is freed after). */
  bodyHasError: boolean;
}

/** Statements that cannot stand outside a function. */
const STRAY_STATEMENTS = new Set(['if_statement', 'return_statement', 'for_statement', 'while_statement', 'do_statement', 'switch_statement', 'break_statement', 'continue_statement', 'goto_statement', 'compound_statement', 'ERROR']);
interface Outline {
  functions: OutlineFunction[];
  globals: GlobalDecl[];
  structs: StructDecl[];
  enums: EnumConstant[];
  enumTypes: Map<string, string>;
  typedefs: Map<string, TypeRef>;
  comments: Span[];
  expander: MacroExpander;
  lexed: Lexed;
  table: MacroTable;
  /** The tree has an error somewhere (else no body can have one). */
  treeHasError: boolean;
}

const CONTAINERS = new Set([
  'translation_unit', 'declaration_list', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef',
  'linkage_specification', 'namespace_definition', 'template_declaration', 'ERROR', 'field_declaration_list',
]);

function readOutline(tree: Tree, text: string, budget: Budget, table: MacroTable, language: LanguageId, lexed: Lexed, currentBudget: () => Budget): Outline {
  const out: Outline = { functions: [], globals: [], structs: [], enums: [], enumTypes: new Map(), typedefs: new Map(), comments: lexed.comments, expander: undefined as never, lexed, table, treeHasError: tree.rootNode.hasError };
  const expander = new MacroExpander(table, (body, exp) => lowerSnippet(body, exp, language, currentBudget()));
  out.expander = expander;
  const lowering = new CLowering(text, budget, expander);
  const lang = tree.language;
  const cursor = tree.walk();
  try {
    visitContainer(cursor, lang, text, budget, lowering, out, undefined, 0);
  } finally {
    cursor.delete();
  }
  out.functions.sort((a, b) => a.outline.span.start - b.outline.span.start);
  return out;
}

function visitContainer(cursor: TreeCursor, lang: Language, text: string, budget: Budget, l: CLowering, out: Outline, className: string | undefined, depth: number): void {
  if (depth > 64 || !cursor.gotoFirstChild()) return;
  let previous: OutlineFunction | undefined;
  do {
    budget.tick();
    const type = cursor.nodeType;
    // Statements outside any function (tree-sitter accepts them): a stray `}` closed the function
    // before them, so what the function really does is partly outside it.
    if (previous && STRAY_STATEMENTS.has(type)) previous.strayAfter = true;
    if (type !== 'comment') previous = undefined;
    if (type === 'function_definition') {
      const before = out.functions.length;
      readFunction(cursor, lang, budget, l, out, className);
      if (out.functions.length > before) previous = out.functions[out.functions.length - 1];
    } else if (CONTAINERS.has(type)) {
      // Namespaces and extern "C" blocks hold their declarations in a body.
      if (type === 'namespace_definition' || type === 'linkage_specification') {
        if (cursor.gotoFirstChild()) {
          do {
            if (cursor.nodeType === 'declaration_list') visitContainer(cursor, lang, text, budget, l, out, className, depth + 1);
            else if (cursor.nodeType === 'function_definition') readFunction(cursor, lang, budget, l, out, className);
            else if (cursor.nodeType === 'declaration') readDeclaration(snapshot(cursor, lang, budget), l, out);
          } while (cursor.gotoNextSibling());
          cursor.gotoParent();
        }
      } else {
        visitContainer(cursor, lang, text, budget, l, out, className, depth + 1);
      }
    } else if (type === 'class_specifier' || type === 'struct_specifier' || type === 'union_specifier') {
      readClass(cursor, lang, text, budget, l, out, depth);
    } else if (type === 'declaration' || type === 'type_definition' || type === 'field_declaration' || type === 'enum_specifier') {
      // A declaration may define a class with inline methods: `class C { ... } c;`.
      const snap = snapshotOutline(cursor, lang, budget);
      if (type === 'enum_specifier') readEnum(snap, l, out);
      else if (type === 'type_definition') readTypedef(snap, l, out);
      else if (type !== 'field_declaration') readDeclaration(snap, l, out);
      readNestedClasses(snap, l, out);
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
}

/** A snapshot of a declaration that leaves out the bodies of inline methods (they can be large). */
function snapshotOutline(cursor: TreeCursor, lang: Language, budget: Budget): SyntaxNode {
  return snapshot(cursor, lang, budget, 24);
}

function readClass(cursor: TreeCursor, lang: Language, text: string, budget: Budget, l: CLowering, out: Outline, depth: number): void {
  // Take the class's name and base clause, then walk its body for fields and methods.
  const start = cursor.startIndex;
  let name: string | undefined;
  const parts: SyntaxNode[] = [];
  if (!cursor.gotoFirstChild()) return;
  do {
    const field = cursor.currentFieldName;
    if (field === 'body') {
      visitContainer(cursor, lang, text, budget, l, out, undefined, depth + 1);
      const body = snapshotFields(cursor, lang, budget);
      parts.push({ ...body, field: 'body' });
    } else {
      const s = snapshot(cursor, lang, budget, 12);
      if (field === 'name') name = lastIdentifier(l, s);
      parts.push({ ...s, field: field ?? undefined });
    }
  } while (cursor.gotoNextSibling());
  cursor.gotoParent();
  if (!name) return;
  const end = parts.length ? parts[parts.length - 1].end : start;
  const node: SyntaxNode = { type: 'class_specifier', start, end, named: true, children: parts };
  out.structs.push(l.struct(node, name));
  // Methods defined inside the class body belong to it.
  for (const f of out.functions) if (f.outline.span.start > start && f.outline.span.end <= end && !f.outline.className) {
    f.outline.className = name; f.header.className = name;
  }
}

/** The field declarations of a class body, without the bodies of its inline methods. */
function snapshotFields(cursor: TreeCursor, lang: Language, budget: Budget): SyntaxNode {
  const start = cursor.startIndex;
  const children: SyntaxNode[] = [];
  if (cursor.gotoFirstChild()) {
    do {
      const t = cursor.nodeType;
      if (t === 'field_declaration' || t === 'declaration' || t === 'preproc_if' || t === 'preproc_ifdef' || t === 'access_specifier') {
        children.push(snapshot(cursor, lang, budget, 24));
      } else if (t === 'function_definition' || t === 'template_declaration') {
        children.push(headerOnly(cursor, lang, budget).node);
      }
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return { type: 'field_declaration_list', start, end: children.length ? children[children.length - 1].end : start, named: true, children };
}

/** A function_definition without its body (and where the body is). */
function headerOnly(cursor: TreeCursor, lang: Language, budget: Budget): { node: SyntaxNode; body?: Span } {
  const start = cursor.startIndex, end = cursor.endIndex;
  const type = cursor.nodeType;
  const children: SyntaxNode[] = [];
  let body: Span | undefined;
  if (cursor.gotoFirstChild()) {
    do {
      const field = cursor.currentFieldName;
      if (field === 'body') { body = { start: cursor.startIndex, end: cursor.endIndex }; continue; }
      if (cursor.nodeType === 'function_definition') { children.push(headerOnly(cursor, lang, budget).node); continue; }
      children.push({ ...snapshot(cursor, lang, budget, 24), field: field ?? undefined });
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
  }
  return { node: { type, start, end, named: true, children }, body };
}

function readFunction(cursor: TreeCursor, lang: Language, budget: Budget, l: CLowering, out: Outline, className: string | undefined): void {
  const span = { start: cursor.startIndex, end: cursor.endIndex };
  const calls = callsIn(out.lexed, span);
  // A function that calls the socket API is lowered for sure: copy it whole now, while the cursor is here.
  const full = isSocketFunction(calls, out.table) ? snapshot(cursor, lang, budget) : undefined;
  const { node, body } = full ? { node: full, body: spanOf(child(full, 'body')) } : headerOnly(cursor, lang, budget);
  const header = l.functionHeader(node, className);
  if (!header) return;
  const bodyHasError = out.treeHasError && body !== undefined && (cursor.currentNode.childForFieldName('body')?.hasError ?? false);
  out.functions.push({
    header,
    snapshot: full,
    bodyHasError,
    outline: { ...header, span, bodySpan: body, calls, mentions: new Set() },
  });
}

function spanOf(n: SyntaxNode | undefined): Span | undefined {
  return n ? { start: n.start, end: n.end } : undefined;
}

/** Names called inside a span, from the lexed call list (sorted by offset). */
function callsIn(lexed: Lexed, span: Span): Set<string> {
  const calls = lexed.calls;
  let lo = 0, hi = calls.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (calls[mid].at < span.start) lo = mid + 1; else hi = mid; }
  const out = new Set<string>();
  for (let i = lo; i < calls.length && calls[i].at < span.end; i++) out.add(calls[i].name);
  return out;
}

/** Calls the socket API directly, or through a macro of the file that does. */
export function isSocketFunction(calls: Set<string>, table: MacroTable): boolean {
  for (const c of calls) {
    if (SOCKET_API_NAMES.has(c)) return true;
    const m = table.lookup(c);
    if (m && macroCallsApi(m.body)) return true;
  }
  return false;
}

export function macroCallsApi(body: string, names: ReadonlySet<string> = SOCKET_API_NAMES): boolean {
  for (const name of names) {
    const i = body.indexOf(name);
    if (i >= 0 && !isIdentChar(body.charCodeAt(i - 1)) && !isIdentChar(body.charCodeAt(i + name.length))) return true;
  }
  return false;
}

function isIdentChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c >= 48 && c <= 57);
}

export const SOCKET_API_NAMES = new Set(Object.entries(C_API).filter(([, a]) => a.kind !== 'sleep' && a.kind !== 'input' && a.kind !== 'exit' && a.kind !== 'wait' && a.kind !== 'file').map(([n]) => n));

function readDeclaration(snap: SyntaxNode, l: CLowering, out: Outline): void {
  const isStatic = snap.children.some((c) => c.type === 'storage_class_specifier' && l.textOf(c) === 'static');
  const typeNode = child(snap, 'type');
  if (typeNode && (typeNode.type === 'struct_specifier' || typeNode.type === 'union_specifier') && child(typeNode, 'body')) {
    const name = child(typeNode, 'name');
    if (name) out.structs.push(l.struct(typeNode, l.textOf(name)));
  }
  if (typeNode?.type === 'enum_specifier') readEnum(typeNode, l, out);
  for (const v of l.declaration(snap)) {
    out.globals.push({ ...v, isStatic, isConst: !!v.type.isConst });
  }
}

function readTypedef(snap: SyntaxNode, l: CLowering, out: Outline): void {
  const typeNode = child(snap, 'type');
  if (!typeNode) return;
  const target = l.typeRef(typeNode);
  const aliases: string[] = [];
  for (const d of snap.children) {
    if (d.field !== 'declarator') continue;
    const info = l.declarator(d, target);
    if (info.name) { aliases.push(info.name); out.typedefs.set(info.name, info.type); }
  }
  if ((typeNode.type === 'struct_specifier' || typeNode.type === 'union_specifier' || typeNode.type === 'class_specifier') && child(typeNode, 'body')) {
    const name = child(typeNode, 'name');
    // `typedef struct { ... } rec_t;` is known by its alias.
    const structName = name ? l.textOf(name) : aliases[0];
    if (structName) out.structs.push(l.struct(typeNode, structName));
    if (!name && aliases[0]) for (const a of aliases) out.typedefs.set(a, { name: aliases[0], ptr: out.typedefs.get(a)?.ptr ?? 0 });
  }
  if (typeNode.type === 'enum_specifier') readEnum(typeNode, l, out, aliases);
}

function readEnum(n: SyntaxNode, l: CLowering, out: Outline, aliases: string[] = []): void {
  const body = child(n, 'body');
  if (!body) return;
  const enumName = child(n, 'name');
  // Stored as int unless the code names the type (`enum class Op : uint8_t`, C23 `enum E : short`).
  const base = child(n, 'base') ?? child(n, 'underlying_type');
  const storage = base ? l.typeRef(base).name : 'int';
  if (enumName) out.enumTypes.set(l.textOf(enumName), storage);
  for (const a of aliases) out.enumTypes.set(a, storage);
  let index = 0;
  for (const e of body.children) {
    if (e.type !== 'enumerator') continue;
    const name = child(e, 'name');
    const value = child(e, 'value');
    if (!name) continue;
    out.enums.push({ name: l.textOf(name), value: value ? l.expr(value) : undefined, index: index++, enumName: enumName ? l.textOf(enumName) : undefined });
  }
}

/** Classes and structs defined inside a declaration's type (`struct conn { ... } *conns;`). */
function readNestedClasses(snap: SyntaxNode, l: CLowering, out: Outline): void {
  const typeNode = child(snap, 'type');
  if (typeNode && typeNode.type === 'class_specifier' && child(typeNode, 'body')) {
    const name = child(typeNode, 'name');
    if (name && !out.structs.some((s) => s.span.start === typeNode.start)) out.structs.push(l.struct(typeNode, l.textOf(name)));
  }
}

function lastIdentifier(l: CLowering, n: SyntaxNode): string {
  if (n.children.length === 0) return l.textOf(n);
  const name = child(n, 'name');
  if (name) return lastIdentifier(l, name);
  const last = [...n.children].reverse().find((c) => c.named);
  return last ? lastIdentifier(l, last) : l.textOf(n);
}

// ---- macro bodies ------------------------------------------------------------------------------

const SNIPPET_PREFIX = 'void __socklint_macro__(void) {\n';

function lowerSnippet(body: string, expander: MacroExpander, language: LanguageId, budget: Budget): Stmt[] | undefined {
  if (body.length > 4000) return undefined;
  const text = `${SNIPPET_PREFIX}${body}\n;}\n`;
  const tree = parserFor(language).parse(text);
  if (!tree) return undefined;
  try {
    if (tree.rootNode.hasError) return undefined;
    const fn = tree.rootNode.firstNamedChild;
    if (!fn || fn.type !== 'function_definition') return undefined;
    const cursor = tree.walk();
    try {
      cursor.reset(fn);
      const snap = snapshot(cursor, tree.language, budget);
      const bodyNode = child(snap, 'body');
      if (!bodyNode) return undefined;
      const l = new CLowering(text, budget, expander);
      const stmts = l.block(bodyNode);
      return stmts.length ? stmts : undefined;
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
}

export { firstNamed };
