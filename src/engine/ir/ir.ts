// The language-neutral IR: what a function does, statement by statement, with the expressions
// written as small trees. Each language's lowering (src/engine/lang/<l>/) builds it from a syntax
// tree; analysis (src/engine/analysis/) reads only this. Offsets are UTF-16 offsets into the
// file's text (what the editor and the syntax tree use), so every node can be pointed at.

export interface Span { start: number; end: number }

/** A type as declared: the base name (`conn`, `SOCKET`, `int`), pointer depth, array dimensions. */
export interface TypeRef {
  /** Base type name without qualifiers (`struct conn *` -> `conn`; `std::vector<int>` -> `vector`). */
  name: string;
  /** `*` levels (references count as 0: a reference names the object itself). */
  ptr: number;
  /** Array dimensions as written (`char buf[BUF]` -> [Name BUF]); an empty dimension is undefined. */
  dims?: (Expr | undefined)[];
  /** Template arguments (`std::vector<SOCKET>` -> [SOCKET]). */
  args?: TypeRef[];
  isConst?: boolean;
  isStatic?: boolean;
  isRef?: boolean;
  /** The type was `unsigned` / `signed` / `long long` ...: a primitive spelled in several words. */
  words?: string[];
}

export type Expr =
  | NameExpr | FieldExpr | IndexExpr | CallExpr | AssignExpr | BinaryExpr | UnaryExpr | UpdateExpr
  | CastExpr | CondExpr | NumExpr | StrExpr | SizeofExpr | InitExpr | LambdaExpr | CommaExpr | NewExpr
  | UnknownExpr;

interface Base { span: Span }

/** An identifier. `::send` has qualifier '' (global scope); `std::cout` has qualifier 'std'. */
export interface NameExpr extends Base { k: 'name'; name: string; qualifier?: string }
/** `base.field` or `base->field`. */
export interface FieldExpr extends Base { k: 'field'; base: Expr; field: string; arrow: boolean; fieldSpan: Span }
export interface IndexExpr extends Base { k: 'index'; base: Expr; index: Expr }
export interface CallExpr extends Base {
  k: 'call';
  /** Unique within the file: the call's start offset (two calls never start at the same offset, except a
   *  macro expansion's calls, which take the macro use's offset plus a small counter). */
  id: number;
  callee: Expr;
  args: Expr[];
  /** Where the callee's name is written (diagnostics point here). */
  nameSpan: Span;
  /** Set when the call came from expanding a function-like macro (`CHECK(send(...))`). */
  fromMacro?: string;
  /**
   * What the lowering resolved the call to, when the language decides that by itself (Python: a
   * method of an object known to be a socket, a function of an imported module): a key of that
   * language's API table (`lang/python/api.ts`), or a dotted library name (`json.loads`).
   */
  known?: string;
}
export interface AssignExpr extends Base { k: 'assign'; op: string; target: Expr; value: Expr }
export interface BinaryExpr extends Base { k: 'binary'; op: string; left: Expr; right: Expr }
/** `-x`, `!x`, `~x`, `&x` (address of), `*x` (dereference). */
export interface UnaryExpr extends Base { k: 'unary'; op: string; arg: Expr }
export interface UpdateExpr extends Base { k: 'update'; op: '++' | '--'; arg: Expr; prefix: boolean }
export interface CastExpr extends Base { k: 'cast'; type: TypeRef; value: Expr }
export interface CondExpr extends Base { k: 'cond'; test: Expr; then: Expr; else: Expr }
export interface NumExpr extends Base { k: 'num'; value: number }
/** A string literal (adjacent literals concatenated) with escapes decoded; `length` in bytes. */
export interface StrExpr extends Base { k: 'str'; value: string; length: number }
export interface SizeofExpr extends Base { k: 'sizeof'; type?: TypeRef; arg?: Expr }
/** `{a, b}` or `{.f = a}` (designated fields in `fields`). */
export interface InitExpr extends Base { k: 'init'; elems: Expr[]; fields: (string | undefined)[] }
export interface LambdaExpr extends Base { k: 'lambda'; fn: FunctionIR }
export interface CommaExpr extends Base { k: 'comma'; exprs: Expr[] }
export interface NewExpr extends Base { k: 'new'; type: TypeRef; args: Expr[] }
/** Anything the lowering does not model; its parts are still walked for calls. */
export interface UnknownExpr extends Base { k: 'unknown'; parts: Expr[] }

export interface VarDecl {
  name: string;
  nameSpan: Span;
  type: TypeRef;
  init?: Expr;
  span: Span;
}

export type Stmt =
  | ExprStmt | DeclStmt | IfStmt | LoopStmt | SwitchStmt | ReturnStmt | JumpStmt | GotoStmt | LabelStmt
  | ThrowStmt | BlockStmt | TryStmt | AltStmt;

export interface ExprStmt extends Base { k: 'expr'; expr: Expr }
export interface DeclStmt extends Base { k: 'decl'; vars: VarDecl[] }
export interface IfStmt extends Base {
  k: 'if';
  cond: Expr;
  /** `if (int n = recv(...))`: a declaration in the condition (its value is the condition). */
  condDecl?: VarDecl;
  then: Stmt[];
  else?: Stmt[];
  /** The branch is a `{ ... }` block (code can be added to it as it is), not a single statement. */
  thenBraced?: boolean;
  elseBraced?: boolean;
}
export interface LoopStmt extends Base {
  k: 'loop';
  kind: 'for' | 'while' | 'do' | 'range';
  init: Stmt[];
  /** Absent: no exit condition of its own (`for (;;)`). */
  cond?: Expr;
  update: Expr[];
  body: Stmt[];
  /** Range-for: the element variable and the range expression. */
  rangeVar?: VarDecl;
  rangeOf?: Expr;
}
export interface SwitchCase { labels: Expr[]; isDefault: boolean; body: Stmt[]; span: Span }
export interface SwitchStmt extends Base { k: 'switch'; subject: Expr; cases: SwitchCase[] }
export interface ReturnStmt extends Base { k: 'return'; value?: Expr }
export interface JumpStmt extends Base { k: 'break' | 'continue' }
export interface GotoStmt extends Base { k: 'goto'; label: string }
export interface LabelStmt extends Base { k: 'label'; label: string }
export interface ThrowStmt extends Base { k: 'throw'; value?: Expr }
export interface BlockStmt extends Base { k: 'block'; body: Stmt[] }
export interface TryStmt extends Base {
  k: 'try'; body: Stmt[]; handlers: Stmt[][];
  /** Per handler, the exception types it catches as resolved names (`BlockingIOError`, `OSError`);
   *  undefined for a handler that catches everything. Absent when the language does not say (C++). */
  catches?: (string[] | undefined)[];
}
/** `#if` / `#ifdef` branches inside a function, kept as alternatives: any one of them may be compiled. */
export interface AltStmt extends Base { k: 'alt'; branches: Stmt[][] }

export interface Param { name: string; type: TypeRef; span: Span }

export interface FunctionIR {
  /** The simple name (`Run` for `Client::Run`). */
  name: string;
  /** As written, with its class or namespace (`Client::Run`), or the simple name. */
  qualified: string;
  /** The class the function is a member of (out-of-class definition or defined inside the class). */
  className?: string;
  params: Param[];
  returnType: TypeRef;
  body: Stmt[];
  span: Span;
  nameSpan: Span;
  /** `static` at file scope: visible only in its own file. */
  isStatic: boolean;
  /** The body has syntax errors: facts are drawn from the parts that parsed, and absences are not trusted. */
  hasErrors: boolean;
}

export interface FieldDecl { name: string; type: TypeRef; span: Span; bits?: number }

export interface StructDecl {
  name: string;
  kind: 'struct' | 'class' | 'union';
  fields: FieldDecl[];
  /** Member functions declared in the class body (by simple name). */
  methods: Set<string>;
  bases: string[];
  /** `static const int kBuf = 4096;` inside the class: class constants. */
  constants: Map<string, Expr>;
  span: Span;
  /** `struct Ping {};`: a body with nothing in it (C++ gives it size 1). */
  empty?: boolean;
}

export interface MacroDef {
  name: string;
  /** Undefined for object-like macros. */
  params?: string[];
  variadic?: boolean;
  /** The replacement text (continuation lines joined). */
  body: string;
  span: Span;
}

export interface IncludeDirective { path: string; system: boolean; span: Span }

/** A function known by its signature before (or without) lowering its body. */
export interface FunctionOutline {
  name: string;
  qualified: string;
  className?: string;
  params: Param[];
  returnType: TypeRef;
  span: Span;
  nameSpan: Span;
  bodySpan?: Span;
  isStatic: boolean;
  /** Names this function calls (simple names), from the file outline: decides whether it is worth lowering. */
  calls: Set<string>;
  /** Identifiers it mentions that may matter without a call (WOULDBLOCK constants, socket options). */
  mentions: Set<string>;
}

export interface GlobalDecl extends VarDecl { isStatic: boolean; isConst: boolean }

export interface EnumConstant { name: string; value?: Expr; index: number; enumName?: string }

/** Everything one file declares, with function bodies lowered on demand. */
export interface FileIR {
  path: string;
  language: string;
  text: string;
  functions: FunctionOutline[];
  /** Lowers the body of functions[i] (memoised by the owner). */
  lowerFunction(index: number): FunctionIR;
  globals: GlobalDecl[];
  structs: StructDecl[];
  enums: EnumConstant[];
  /** Enum types by name or typedef alias: the integer type they are stored in (`int` unless the code gives one). */
  enumTypes?: Map<string, string>;
  macros: MacroDef[];
  includes: IncludeDirective[];
  /** Typedef aliases: `typedef struct conn conn_t;` -> conn_t => conn (TypeRef of the target). */
  typedefs: Map<string, TypeRef>;
  /** Spans of syntax errors (ERROR and MISSING nodes). */
  errorSpans: Span[];
  /** Comments as spans (suppression directives live in them). */
  commentSpans: Span[];
  /** Preprocessor conditionals masked to parse the file (the tree had errors around them). */
  preprocessed: boolean;
}

export function spanContains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
