// Lowering for C and C++: a snapshot of the syntax tree (parse/snapshot.ts) -> the IR (ir/ir.ts).
// Every construct the analysis reasons about has its own IR node; anything else becomes an
// `unknown` expression whose parts are still lowered, so calls inside it are never lost.
// Function-like and object-like macros are expanded here (see macros.ts).
import type { Budget } from '../../budget';
import type {
  Expr, FieldDecl, FunctionIR, Param, Span, Stmt, StructDecl, SwitchCase, TypeRef, VarDecl,
} from '../../ir/ir';
import { child, childrenOf, firstNamed, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import type { MacroExpander } from './macros';

const EXPRESSION_TYPES = new Set([
  'identifier', 'qualified_identifier', 'field_expression', 'subscript_expression', 'call_expression',
  'assignment_expression', 'binary_expression', 'unary_expression', 'pointer_expression', 'update_expression',
  'cast_expression', 'conditional_expression', 'parenthesized_expression', 'number_literal', 'char_literal',
  'string_literal', 'concatenated_string', 'raw_string_literal', 'true', 'false', 'null', 'sizeof_expression',
  'comma_expression', 'initializer_list', 'compound_literal_expression', 'lambda_expression', 'new_expression',
  'delete_expression', 'this', 'template_function', 'user_defined_literal', 'alignof_expression',
  'offsetof_expression', 'generic_expression', 'gnu_asm_expression', 'co_await_expression', 'fold_expression',
  'extension_expression', 'argument_list', 'condition_clause', 'ERROR',
]);

const STATEMENT_TYPES = new Set([
  'compound_statement', 'expression_statement', 'declaration', 'if_statement', 'while_statement', 'do_statement',
  'for_statement', 'for_range_loop', 'switch_statement', 'case_statement', 'return_statement', 'break_statement',
  'continue_statement', 'goto_statement', 'labeled_statement', 'throw_statement', 'try_statement',
  'seh_try_statement', 'preproc_if', 'preproc_ifdef', 'attributed_statement', 'co_return_statement',
  'seh_leave_statement', 'alias_declaration', 'using_declaration', 'static_assert_declaration', 'type_definition',
]);

const NAMED_CASTS = new Set(['static_cast', 'reinterpret_cast', 'const_cast', 'dynamic_cast', 'bit_cast']);

export class CLowering {
  private depth = 0;
  constructor(
    readonly text: string,
    private budget: Budget,
    private macros?: MacroExpander,
  ) {}

  /** Source text of a node; an anonymous token (operator, keyword) is its own type. */
  textOf(n: { start: number; end: number; named?: boolean; type?: string }): string {
    if (n.named === false && n.type !== undefined) return n.type;
    return this.text.slice(n.start, n.end);
  }

  // ---- functions ---------------------------------------------------------------------------

  lowerFunction(fn: SyntaxNode, header: FunctionHeader, hasErrors: boolean): FunctionIR {
    const body = child(fn, 'body');
    return {
      name: header.name,
      qualified: header.qualified,
      className: header.className,
      params: header.params,
      returnType: header.returnType,
      body: body ? this.block(body) : [],
      span: { start: fn.start, end: fn.end },
      nameSpan: header.nameSpan,
      isStatic: header.isStatic,
      hasErrors,
    };
  }

  /** Name, parameters and return type of a function_definition (its body is not needed). */
  functionHeader(fn: SyntaxNode, enclosingClass?: string): FunctionHeader | undefined {
    const typeNode = child(fn, 'type');
    let d = child(fn, 'declarator');
    let ptr = 0;
    for (let i = 0; d && i < 8 && d.type !== 'function_declarator'; i++) {
      if (d.type === 'pointer_declarator') ptr++;
      d = child(d, 'declarator') ?? firstNamed(d);
    }
    if (!d || d.type !== 'function_declarator') return undefined;
    const nameNode = child(d, 'declarator');
    if (!nameNode) return undefined;
    // `DWORD WINAPI Worker(LPVOID)`, `int EXPORT f(...)` in C++: the grammar takes the unknown macro for
    // a scope with a missing `::`. With no `::` written, the name is the last identifier alone.
    const written = this.textOf(nameNode);
    const macroScope = nameNode.type === 'qualified_identifier' && !written.includes('::');
    const qualified = macroScope ? this.textOf(lastName(nameNode)) : written.replace(/\s+/g, '');
    const parts = qualified.split('::');
    const name = parts[parts.length - 1];
    const className = parts.length > 1 ? parts[parts.length - 2] : enclosingClass;
    const params = this.params(child(d, 'parameters'));
    const returnType = typeNode ? this.typeRef(typeNode) : { name: 'void', ptr: 0 };
    returnType.ptr += ptr;
    const isStatic = fn.children.some((c) => c.type === 'storage_class_specifier' && this.textOf(c) === 'static');
    const simpleNameNode = nameNode.type === 'qualified_identifier' ? lastName(nameNode) : nameNode;
    return {
      name, qualified, className, params, returnType, isStatic,
      nameSpan: { start: simpleNameNode.start, end: simpleNameNode.end },
    };
  }

  params(list: SyntaxNode | undefined): Param[] {
    if (!list) return [];
    const out: Param[] = [];
    for (const p of list.children) {
      if (p.type !== 'parameter_declaration' && p.type !== 'optional_parameter_declaration') continue;
      const typeNode = child(p, 'type');
      const type = typeNode ? this.typeRef(typeNode) : { name: '?', ptr: 0 };
      type.isConst = p.children.some((c) => c.type === 'type_qualifier' && this.textOf(c) === 'const');
      const info = this.declarator(child(p, 'declarator'), type);
      out.push({ name: info.name, type: info.type, span: { start: p.start, end: p.end } });
    }
    // `f(void)` has no parameters.
    if (out.length === 1 && !out[0].name && out[0].type.name === 'void' && out[0].type.ptr === 0) return [];
    return out;
  }

  // ---- types -------------------------------------------------------------------------------

  typeRef(n: SyntaxNode): TypeRef {
    switch (n.type) {
      case 'primitive_type': case 'type_identifier': case 'auto': return { name: this.textOf(n), ptr: 0 };
      case 'sized_type_specifier': {
        const words = n.children.map((c) => this.textOf(c)).filter(Boolean);
        return { name: words.join(' '), ptr: 0, words };
      }
      case 'struct_specifier': case 'class_specifier': case 'union_specifier': case 'enum_specifier': {
        const name = child(n, 'name');
        return { name: name ? lastNameText(this, name) : '<anonymous>', ptr: 0 };
      }
      case 'qualified_identifier': {
        const last = lastName(n);
        if (last.type === 'template_type') return this.typeRef(last);
        return { name: this.textOf(last), ptr: 0 };
      }
      case 'template_type': {
        const name = child(n, 'name');
        const argsNode = child(n, 'arguments');
        const args = argsNode ? namedChildren(argsNode).filter((a) => a.type === 'type_descriptor').map((a) => this.typeDescriptor(a)) : [];
        return { name: name ? lastNameText(this, name) : '?', ptr: 0, args };
      }
      case 'type_descriptor': return this.typeDescriptor(n);
      default: return { name: this.textOf(n).trim(), ptr: 0 };
    }
  }

  /** `struct msg *` in a cast or sizeof: the type and its abstract declarator. */
  typeDescriptor(n: SyntaxNode): TypeRef {
    const typeNode = child(n, 'type');
    const t = typeNode ? this.typeRef(typeNode) : { name: '?', ptr: 0 };
    t.isConst = n.children.some((c) => c.type === 'type_qualifier' && this.textOf(c) === 'const') || t.isConst;
    let d = child(n, 'declarator');
    for (let i = 0; d && i < 8; i++) {
      if (d.type === 'abstract_pointer_declarator') t.ptr++;
      else if (d.type === 'abstract_reference_declarator') t.isRef = true;
      else if (d.type === 'abstract_array_declarator') (t.dims ??= []).push(undefined);
      d = child(d, 'declarator') ?? firstNamed(d);
    }
    return t;
  }

  /** The name a declarator declares and the type it gives it (pointers, arrays, references). */
  declarator(d: SyntaxNode | undefined, base: TypeRef): { name: string; nameSpan: Span; type: TypeRef; init?: SyntaxNode; isFunction: boolean } {
    const type: TypeRef = { ...base, dims: base.dims ? [...base.dims] : undefined };
    let cur = d;
    let init: SyntaxNode | undefined;
    let isFunction = false;
    for (let i = 0; cur && i < 12; i++) {
      switch (cur.type) {
        case 'identifier': case 'field_identifier': case 'type_identifier': case 'destructor_name': case 'operator_name':
          return { name: this.textOf(cur), nameSpan: { start: cur.start, end: cur.end }, type, init, isFunction };
        case 'qualified_identifier': {
          const last = lastName(cur);
          return { name: this.textOf(last), nameSpan: { start: last.start, end: last.end }, type, init, isFunction };
        }
        case 'init_declarator': init = child(cur, 'value'); cur = child(cur, 'declarator'); break;
        case 'pointer_declarator': type.ptr++; cur = child(cur, 'declarator'); break;
        case 'reference_declarator': type.isRef = true; cur = firstNamed(cur); break;
        case 'array_declarator': {
          const size = child(cur, 'size');
          (type.dims ??= []).unshift(size ? this.expr(size) : undefined);
          cur = child(cur, 'declarator');
          break;
        }
        case 'function_declarator': isFunction = true; cur = child(cur, 'declarator'); break;
        case 'parenthesized_declarator': case 'attributed_declarator': cur = firstNamed(cur); break;
        default: cur = child(cur, 'declarator') ?? undefined;
      }
    }
    return { name: '', nameSpan: { start: d?.start ?? 0, end: d?.end ?? 0 }, type, init, isFunction };
  }

  /** Variables a declaration declares (function prototypes are left out). */
  declaration(n: SyntaxNode, local = false): VarDecl[] {
    const typeNode = child(n, 'type');
    if (!typeNode) return [];
    const base = this.typeRef(typeNode);
    base.isConst = n.children.some((c) => c.type === 'type_qualifier' && (this.textOf(c) === 'const' || this.textOf(c) === 'constexpr'))
      || n.children.some((c) => c.type === 'storage_class_specifier' && this.textOf(c) === 'constexpr');
    base.isStatic = n.children.some((c) => c.type === 'storage_class_specifier' && this.textOf(c) === 'static');
    const out: VarDecl[] = [];
    for (const d of childrenOf(n, 'declarator')) {
      this.budget.tick();
      const info = this.declarator(d, base);
      const constructed = local && info.isFunction ? this.constructorArgs(d, typeNode) : undefined;
      if (!info.name || (info.isFunction && !constructed)) continue;
      let init: Expr | undefined;
      if (constructed) init = constructed;
      else if (info.init) init = info.init.type === 'argument_list' ? this.initFromArgs(info.init) : this.expr(info.init);
      // `char msg[] = "Hello"` has 6 elements, `int ports[] = {80, 443}` two: the initializer sizes the array.
      const dims = info.type.dims;
      if (dims && dims.length > 0 && dims[0] === undefined && init) {
        const n = init.k === 'str' ? init.length + 1 : init.k === 'init' ? init.elems.length : undefined;
        if (n !== undefined) dims[0] = { k: 'num', span: init.span, value: n };
      }
      out.push({ name: info.name, nameSpan: info.nameSpan, type: info.type, init, span: { start: d.start, end: d.end } });
    }
    return out;
  }

  /**
   * `std::string name(buffer);` in a function body parses as a prototype whose parameters are bare
   * (or qualified) type names: when the type is a class and every "parameter" is one name, it is an object built
   * from those variables (a prototype in a function body names parameter types, rarely only typedefs).
   */
  private constructorArgs(d: SyntaxNode, typeNode: SyntaxNode): Expr | undefined {
    if (typeNode.type !== 'type_identifier' && typeNode.type !== 'qualified_identifier' && typeNode.type !== 'template_type') return undefined;
    if (d.type !== 'function_declarator' || child(d, 'declarator')?.type !== 'identifier') return undefined;
    const params = child(d, 'parameters');
    if (!params) return undefined;
    const elems: Expr[] = [];
    for (const p of namedChildren(params)) {
      const only = p.type === 'parameter_declaration' && p.children.length === 1 ? child(p, 'type') : undefined;
      // `std::ifstream in(path, std::ios::binary)`: a qualified constant is one name too.
      if (only?.type === 'qualified_identifier') {
        const last = lastName(only);
        const text = this.textOf(only);
        elems.push({ k: 'name', span: { start: only.start, end: only.end }, name: this.textOf(last), qualifier: text.slice(0, Math.max(0, text.lastIndexOf('::'))) });
        continue;
      }
      if (!only || only.type !== 'type_identifier') return undefined;
      elems.push({ k: 'name', span: { start: only.start, end: only.end }, name: this.textOf(only) });
    }
    if (elems.length === 0) return undefined;
    return { k: 'init', span: { start: params.start, end: params.end }, elems, fields: elems.map(() => undefined) };
  }

  /** `std::string s("hi")`: constructor arguments, modelled as an initializer. */
  private initFromArgs(list: SyntaxNode): Expr {
    const elems = namedChildren(list).map((a) => this.expr(a));
    return { k: 'init', span: { start: list.start, end: list.end }, elems, fields: elems.map(() => undefined) };
  }

  struct(n: SyntaxNode, name: string): StructDecl {
    const kind = n.type === 'class_specifier' ? 'class' : n.type === 'union_specifier' ? 'union' : 'struct';
    const decl: StructDecl = { name, kind, fields: [], methods: new Set(), bases: [], constants: new Map(), span: { start: n.start, end: n.end } };
    for (const c of n.children) {
      if (c.type === 'base_class_clause') {
        for (const b of namedChildren(c)) if (b.type === 'type_identifier' || b.type === 'qualified_identifier' || b.type === 'template_type') decl.bases.push(this.typeRef(b).name);
      }
    }
    const body = child(n, 'body');
    if (!body) return decl;
    const visit = (list: SyntaxNode) => {
      for (const f of list.children) {
        this.budget.tick();
        if (f.type === 'preproc_if' || f.type === 'preproc_ifdef' || f.type === 'preproc_else' || f.type === 'preproc_elif') { visit(f); continue; }
        if (f.type === 'function_definition' || f.type === 'template_declaration') {
          const fnNode = f.type === 'template_declaration' ? f.children.find((c) => c.type === 'function_definition') : f;
          const h = fnNode ? this.functionHeader(fnNode, name) : undefined;
          if (h) decl.methods.add(h.name);
          continue;
        }
        if (f.type !== 'field_declaration' && f.type !== 'declaration') continue;
        const typeNode = child(f, 'type');
        if (!typeNode) continue;
        const base = this.typeRef(typeNode);
        const isStatic = f.children.some((c) => c.type === 'storage_class_specifier' && this.textOf(c) === 'static');
        const isConst = f.children.some((c) => c.type === 'type_qualifier' && (this.textOf(c) === 'const' || this.textOf(c) === 'constexpr'))
          || f.children.some((c) => c.type === 'storage_class_specifier' && this.textOf(c) === 'constexpr');
        const init = child(f, 'default_value');
        for (const d of childrenOf(f, 'declarator')) {
          const info = this.declarator(d, base);
          if (!info.name) continue;
          if (info.isFunction) { decl.methods.add(info.name); continue; }
          if (isStatic) {
            const value = info.init ?? init;
            if (isConst && value) decl.constants.set(info.name, this.expr(value.type === 'initializer_list' ? firstNamed(value) ?? value : value));
            continue;
          }
          // `const std::string kFull = "server full";`: a const member with its initializer is the same in every object.
          const value = info.init ?? init;
          if (isConst && value && info.type.ptr === 0) decl.constants.set(info.name, this.expr(value.type === 'initializer_list' ? firstNamed(value) ?? value : value));
          const bits = f.children.find((c) => c.type === 'bitfield_clause');
          const field: FieldDecl = { name: info.name, type: info.type, span: { start: d.start, end: d.end } };
          if (bits) field.bits = 1;
          decl.fields.push(field);
        }
      }
    };
    visit(body);
    if (decl.bases.length === 0 && body.children.every((c) => !c.named || c.type === 'comment')) decl.empty = true;
    return decl;
  }

  // ---- statements --------------------------------------------------------------------------

  block(n: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of n.children) if (c.named && c.type !== 'comment') out.push(...this.stmt(c));
    return out;
  }

  /** A statement in the position of a branch or loop body. */
  private body(n: SyntaxNode | undefined): Stmt[] {
    if (!n) return [];
    if (n.type === 'compound_statement') return this.block(n);
    if (n.type === 'else_clause') return this.body(firstNamed(n));
    return this.stmt(n);
  }

  stmt(n: SyntaxNode): Stmt[] {
    this.budget.tick();
    const span = { start: n.start, end: n.end };
    switch (n.type) {
      case 'compound_statement': return [{ k: 'block', span, body: this.block(n) }];
      case 'expression_statement': {
        const e = firstNamed(n);
        if (!e) return [];
        const expanded = this.macros?.statementMacro(e, this);
        if (expanded) return expanded;
        return [{ k: 'expr', span, expr: this.expr(e) }];
      }
      case 'declaration': {
        const vars = this.declaration(n, true);
        return vars.length ? [{ k: 'decl', span, vars }] : [];
      }
      case 'if_statement': {
        const { cond, decl, init } = this.condition(child(n, 'condition'));
        const consequence = child(n, 'consequence'), alternative = child(n, 'alternative');
        const ifStmt: Stmt = {
          k: 'if', span, cond, condDecl: decl, then: this.body(consequence), else: alternative ? this.body(alternative) : undefined,
          thenBraced: consequence?.type === 'compound_statement',
          elseBraced: alternative ? (alternative.type === 'else_clause' ? firstNamed(alternative) : alternative)?.type === 'compound_statement' : undefined,
        };
        return init.length ? [{ k: 'block', span, body: [...init, ifStmt] }] : [ifStmt];
      }
      case 'while_statement': {
        const { cond, decl } = this.condition(child(n, 'condition'));
        const init: Stmt[] = decl ? [{ k: 'decl', span: decl.span, vars: [decl] }] : [];
        return [{ k: 'loop', span, kind: 'while', init, cond, update: [], body: this.body(child(n, 'body')) }];
      }
      case 'do_statement': {
        const condNode = child(n, 'condition');
        const cond = condNode ? this.expr(condNode) : undefined;
        const body = this.body(child(n, 'body'));
        // `do { ... } while (0)`: a block (the macro idiom), not a loop.
        if (cond && cond.k === 'num' && cond.value === 0) return [{ k: 'block', span, body }];
        return [{ k: 'loop', span, kind: 'do', init: [], cond, update: [], body }];
      }
      case 'for_statement': {
        const init: Stmt[] = [];
        for (const i of childrenOf(n, 'initializer')) {
          if (i.type === 'declaration') init.push(...this.stmt(i));
          else init.push({ k: 'expr', span: { start: i.start, end: i.end }, expr: this.expr(i) });
        }
        const condNode = child(n, 'condition');
        const update = childrenOf(n, 'update').flatMap((u) => {
          const e = this.expr(u);
          return e.k === 'comma' ? e.exprs : [e];
        });
        return [{ k: 'loop', span, kind: 'for', init, cond: condNode ? this.expr(condNode) : undefined, update, body: this.body(child(n, 'body')) }];
      }
      case 'for_range_loop': {
        const typeNode = child(n, 'type');
        const base = typeNode ? this.typeRef(typeNode) : { name: 'auto', ptr: 0 };
        const info = this.declarator(child(n, 'declarator'), base);
        const right = child(n, 'right');
        const rangeVar: VarDecl | undefined = info.name ? { name: info.name, nameSpan: info.nameSpan, type: info.type, span: info.nameSpan } : undefined;
        return [{
          k: 'loop', span, kind: 'range', init: [], cond: undefined, update: [], body: this.body(child(n, 'body')),
          rangeVar, rangeOf: right ? this.expr(right) : undefined,
        }];
      }
      case 'switch_statement': {
        const { cond } = this.condition(child(n, 'condition'));
        const body = child(n, 'body');
        const cases: SwitchCase[] = [];
        for (const c of body?.children ?? []) {
          if (c.type !== 'case_statement') continue;
          const value = child(c, 'value');
          const isDefault = !value;
          const stmts: Stmt[] = [];
          for (const s of c.children) {
            if (!s.named || s.type === 'comment' || s === value) continue;
            stmts.push(...this.stmt(s));
          }
          cases.push({ labels: value ? [this.expr(value)] : [], isDefault, body: stmts, span: { start: c.start, end: c.end } });
        }
        return [{ k: 'switch', span, subject: cond, cases }];
      }
      case 'case_statement': return []; // only inside a switch body
      case 'return_statement': case 'co_return_statement': {
        const e = firstNamed(n);
        return [{ k: 'return', span, value: e ? this.expr(e) : undefined }];
      }
      case 'break_statement': return [{ k: 'break', span }];
      case 'continue_statement': return [{ k: 'continue', span }];
      case 'goto_statement': {
        const label = child(n, 'label');
        return [{ k: 'goto', span, label: label ? this.textOf(label) : '' }];
      }
      case 'labeled_statement': {
        const label = child(n, 'label');
        const rest = n.children.filter((c) => c.named && c !== label && c.type !== 'comment');
        return [{ k: 'label', span, label: label ? this.textOf(label) : '' }, ...rest.flatMap((r) => this.stmt(r))];
      }
      case 'throw_statement': {
        const e = firstNamed(n);
        return [{ k: 'throw', span, value: e ? this.expr(e) : undefined }];
      }
      case 'try_statement': case 'seh_try_statement': {
        const handlers = n.children.filter((c) => c.type === 'catch_clause' || c.type === 'seh_except_clause' || c.type === 'seh_finally_clause')
          .map((h) => this.body(child(h, 'body') ?? h.children.find((c) => c.type === 'compound_statement')));
        return [{ k: 'try', span, body: this.body(child(n, 'body')), handlers }];
      }
      case 'attributed_statement': return n.children.filter((c) => c.named && c.type !== 'attribute_declaration').flatMap((c) => this.stmt(c));
      case 'preproc_if': case 'preproc_ifdef': return [this.preprocAlternatives(n)];
      case 'preproc_else': case 'preproc_elif': case 'preproc_elifdef': return [{ k: 'block', span, body: this.preprocBranch(n) }];
      case 'ERROR': return this.errorStatements(n);
      case 'comment': case 'preproc_def': case 'preproc_function_def': case 'preproc_call': case 'preproc_include':
      case 'type_definition': case 'alias_declaration': case 'using_declaration': case 'static_assert_declaration':
      case 'seh_leave_statement': case 'struct_specifier': case 'class_specifier': case 'enum_specifier': case 'union_specifier':
        return [];
      case 'function_definition': return []; // nested functions (a GNU extension) are not followed
      default:
        if (EXPRESSION_TYPES.has(n.type)) return [{ k: 'expr', span, expr: this.expr(n) }];
        return [];
    }
  }

  /** `#if A ... #elif B ... #else ... #endif`: each branch an alternative. */
  private preprocAlternatives(n: SyntaxNode): Stmt {
    const branches: Stmt[][] = [];
    let cur: SyntaxNode | undefined = n;
    for (let i = 0; cur && i < 32; i++) {
      branches.push(this.preprocBranch(cur));
      cur = child(cur, 'alternative');
    }
    // No #else: the whole group may be left out.
    if (branches.length === 1 || (n.type !== 'preproc_else' && !hasElse(n))) branches.push([]);
    return { k: 'alt', span: { start: n.start, end: n.end }, branches };
  }

  private preprocBranch(n: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of n.children) {
      if (!c.named || c.field === 'condition' || c.field === 'name' || c.field === 'alternative') continue;
      if (c.type === 'comment' || c.type === 'preproc_arg' || c.type === 'identifier') continue;
      if (STATEMENT_TYPES.has(c.type) || EXPRESSION_TYPES.has(c.type) || c.type.startsWith('preproc_')) out.push(...this.stmt(c));
    }
    return out;
  }

  /** Broken code: whatever statements and expressions parsed inside the ERROR node. */
  private errorStatements(n: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of n.children) {
      if (!c.named) continue;
      if (STATEMENT_TYPES.has(c.type)) out.push(...this.stmt(c));
      else if (c.type !== 'identifier' && EXPRESSION_TYPES.has(c.type)) out.push({ k: 'expr', span: { start: c.start, end: c.end }, expr: this.expr(c) });
    }
    return out;
  }

  /** A condition: `(expr)`, or C++'s `(init; decl = value)`. */
  private condition(n: SyntaxNode | undefined): { cond: Expr; decl?: VarDecl; init: Stmt[] } {
    const span = { start: n?.start ?? 0, end: n?.end ?? 0 };
    if (!n) return { cond: { k: 'unknown', span, parts: [] }, init: [] };
    if (n.type === 'condition_clause') {
      const init: Stmt[] = [];
      const initNode = child(n, 'initializer');
      if (initNode) init.push(...this.stmt(initNode));
      const value = child(n, 'value');
      if (value?.type === 'declaration') {
        const vars = this.declaration(value);
        const decl = vars[0];
        const cond: Expr = decl ? { k: 'name', span: decl.nameSpan, name: decl.name } : { k: 'unknown', span, parts: [] };
        return { cond, decl, init };
      }
      if (value) return { cond: this.expr(value), init };
      const inner = firstNamed(n);
      return { cond: inner ? this.expr(inner) : { k: 'unknown', span, parts: [] }, init };
    }
    return { cond: this.expr(n), init: [] };
  }

  // ---- expressions -------------------------------------------------------------------------

  expr(n: SyntaxNode): Expr {
    this.budget.tick();
    if (++this.depth > 300) { this.depth--; return { k: 'unknown', span: { start: n.start, end: n.end }, parts: [] }; }
    try {
      return this.exprInner(n);
    } finally {
      this.depth--;
    }
  }

  private exprInner(n: SyntaxNode): Expr {
    const span = { start: n.start, end: n.end };
    switch (n.type) {
      case 'identifier': {
        const name = this.textOf(n);
        return this.macros?.objectMacro(name, span, this) ?? { k: 'name', span, name };
      }
      case 'this': return { k: 'name', span, name: 'this' };
      case 'qualified_identifier': {
        const last = lastName(n);
        const scope = this.textOf(n).slice(0, last.start - n.start).replace(/::\s*$/, '').trim();
        if (last.type === 'template_function') return { k: 'name', span, name: nameOfTemplate(this, last), qualifier: scope };
        return { k: 'name', span, name: this.textOf(last), qualifier: scope };
      }
      case 'template_function': return { k: 'name', span, name: nameOfTemplate(this, n) };
      case 'field_expression': {
        const base = child(n, 'argument');
        const field = child(n, 'field');
        const op = n.children.find((c) => !c.named && (this.textOf(c) === '->' || this.textOf(c) === '.'));
        const fieldName = field ? (field.type === 'template_method' ? nameOfTemplate(this, field) : this.textOf(field)) : '';
        return {
          k: 'field', span, base: base ? this.expr(base) : unknown(span), field: fieldName,
          arrow: !!op && this.textOf(op) === '->', fieldSpan: field ? { start: field.start, end: field.end } : span,
        };
      }
      case 'subscript_expression': {
        const base = child(n, 'argument');
        let index = child(n, 'index') ?? child(n, 'indices');
        if (index?.type === 'subscript_argument_list') index = firstNamed(index);
        return { k: 'index', span, base: base ? this.expr(base) : unknown(span), index: index ? this.expr(index) : unknown(span) };
      }
      case 'call_expression': return this.call(n, span);
      case 'assignment_expression': {
        const left = child(n, 'left'), right = child(n, 'right');
        const op = child(n, 'operator') ?? n.children.find((c) => !c.named);
        return {
          k: 'assign', span, op: op ? this.textOf(op) : '=',
          target: left ? this.expr(left) : unknown(span), value: right ? this.expr(right) : unknown(span),
        };
      }
      case 'binary_expression': {
        const left = child(n, 'left'), right = child(n, 'right');
        const op = child(n, 'operator') ?? n.children.find((c) => !c.named);
        return {
          k: 'binary', span, op: op ? this.textOf(op) : '?',
          left: left ? this.expr(left) : unknown(span), right: right ? this.expr(right) : unknown(span),
        };
      }
      case 'unary_expression': case 'pointer_expression': {
        const arg = child(n, 'argument');
        const op = child(n, 'operator') ?? n.children.find((c) => !c.named);
        return { k: 'unary', span, op: op ? this.textOf(op) : '?', arg: arg ? this.expr(arg) : unknown(span) };
      }
      case 'update_expression': {
        const arg = child(n, 'argument');
        const opNode = n.children.find((c) => !c.named);
        const op = opNode && this.textOf(opNode) === '--' ? '--' : '++';
        return { k: 'update', span, op, arg: arg ? this.expr(arg) : unknown(span), prefix: !!opNode && !!arg && n.children.indexOf(opNode) < n.children.indexOf(arg) };
      }
      case 'cast_expression': {
        const t = child(n, 'type');
        const v = child(n, 'value');
        return { k: 'cast', span, type: t ? this.typeDescriptor(t) : { name: '?', ptr: 0 }, value: v ? this.expr(v) : unknown(span) };
      }
      case 'compound_literal_expression': {
        const t = child(n, 'type');
        const v = child(n, 'value');
        return { k: 'cast', span, type: t ? this.typeDescriptor(t) : { name: '?', ptr: 0 }, value: v ? this.expr(v) : unknown(span) };
      }
      case 'conditional_expression': {
        const c = child(n, 'condition'), t = child(n, 'consequence'), e = child(n, 'alternative');
        const test = c ? this.expr(c) : unknown(span);
        return { k: 'cond', span, test, then: t ? this.expr(t) : test, else: e ? this.expr(e) : unknown(span) };
      }
      case 'parenthesized_expression': {
        const inner = firstNamed(n);
        return inner ? this.expr(inner) : unknown(span);
      }
      case 'number_literal': {
        const v = parseNumber(this.textOf(n));
        return v === undefined ? unknown(span) : { k: 'num', span, value: v };
      }
      case 'char_literal': {
        const v = charValue(this.textOf(n));
        return v === undefined ? unknown(span) : { k: 'num', span, value: v };
      }
      case 'true': return { k: 'num', span, value: 1 };
      case 'false': case 'null': return { k: 'num', span, value: 0 };
      case 'string_literal': case 'raw_string_literal': {
        const value = n.type === 'raw_string_literal' ? rawStringValue(this.textOf(n)) : this.stringValue(n);
        return value === undefined ? unknown(span) : { k: 'str', span, value, length: utf8Length(value) };
      }
      case 'concatenated_string': {
        let value = '';
        for (const c of n.children) {
          if (c.type !== 'string_literal' && c.type !== 'raw_string_literal') return unknown(span); // a macro (PRIu64) in between
          const v = c.type === 'raw_string_literal' ? rawStringValue(this.textOf(c)) : this.stringValue(c);
          if (v === undefined) return unknown(span);
          value += v;
        }
        return { k: 'str', span, value, length: utf8Length(value) };
      }
      case 'sizeof_expression': {
        const t = child(n, 'type');
        const v = child(n, 'value');
        if (t) return { k: 'sizeof', span, type: this.typeDescriptor(t) };
        return { k: 'sizeof', span, arg: v ? this.expr(v) : undefined };
      }
      case 'comma_expression': {
        const exprs: Expr[] = [];
        for (const c of namedChildren(n)) {
          const e = this.expr(c);
          if (e.k === 'comma') exprs.push(...e.exprs); else exprs.push(e);
        }
        return { k: 'comma', span, exprs };
      }
      case 'initializer_list': {
        const elems: Expr[] = [], fields: (string | undefined)[] = [];
        for (const c of namedChildren(n)) {
          if (c.type === 'initializer_pair') {
            const designator = child(c, 'designator') ?? firstNamed(c);
            const value = child(c, 'value');
            const fd = designator?.type === 'field_designator' ? firstNamed(designator) : undefined;
            fields.push(fd ? this.textOf(fd) : undefined);
            elems.push(value ? this.expr(value) : unknown(span));
          } else {
            fields.push(undefined);
            elems.push(this.expr(c));
          }
        }
        return { k: 'init', span, elems, fields };
      }
      case 'argument_list': return this.initFromArgs(n);
      case 'lambda_expression': {
        const body = child(n, 'body');
        const decl = child(n, 'declarator');
        const params = decl ? this.params(child(decl, 'parameters')) : [];
        const fn: FunctionIR = {
          name: '<lambda>', qualified: '<lambda>', params, returnType: { name: 'auto', ptr: 0 },
          body: body ? this.block(body) : [], span, nameSpan: { start: n.start, end: n.start + 1 }, isStatic: true, hasErrors: false,
        };
        return { k: 'lambda', span, fn };
      }
      case 'new_expression': {
        const t = child(n, 'type');
        const args = child(n, 'arguments');
        return { k: 'new', span, type: t ? this.typeRef(t) : { name: '?', ptr: 0 }, args: args ? namedChildren(args).map((a) => this.expr(a)) : [] };
      }
      case 'condition_clause': return this.condition(n).cond;
      case 'user_defined_literal': {
        const num = n.children.find((c) => c.type === 'number_literal');
        const v = num ? parseNumber(this.textOf(num)) : undefined;
        return v === undefined ? unknown(span) : { k: 'num', span, value: v };
      }
      default: {
        // Unknown constructs (ERROR, asm, offsetof, ...): keep what is inside, so calls are not lost.
        const parts: Expr[] = [];
        for (const c of n.children) {
          if (!c.named || c.type === 'comment') continue;
          if (EXPRESSION_TYPES.has(c.type) && c.type !== 'ERROR') parts.push(this.expr(c));
          else if (c.type === 'ERROR' || c.type === 'compound_statement') parts.push(this.expr(c));
        }
        return { k: 'unknown', span, parts };
      }
    }
  }

  private call(n: SyntaxNode, span: Span): Expr {
    const fnNode = child(n, 'function');
    const argsNode = child(n, 'arguments');
    // C++ named casts parse as calls of template functions: `static_cast<int>(x)`.
    if (fnNode?.type === 'template_function') {
      const name = nameOfTemplate(this, fnNode);
      const targs = child(fnNode, 'arguments');
      const typeNode = targs ? namedChildren(targs).find((a) => a.type === 'type_descriptor') : undefined;
      const arg = argsNode ? firstNamed(argsNode) : undefined;
      if (NAMED_CASTS.has(name) && typeNode && arg) return { k: 'cast', span, type: this.typeDescriptor(typeNode), value: this.expr(arg) };
    }
    const args = argsNode ? namedChildren(argsNode).filter((a) => a.type !== 'comment').map((a) => this.expr(a)) : [];
    // `(SEND_TYPE_ARG3)(z)`: a cast to a type named by a macro the parser cannot see (an all-caps
    // name in parentheses, one operand). `(getc)(fp)` (a call that avoids a macro) stays a call.
    const inner = fnNode?.type === 'parenthesized_expression' ? namedChildren(fnNode) : [];
    if (inner.length === 1 && inner[0].type === 'identifier' && args.length === 1 && isAllCapsName(this.textOf(inner[0]))) {
      return { k: 'cast', span, type: { name: this.textOf(inner[0]), ptr: 0 }, value: args[0] };
    }
    const expanded = fnNode && fnNode.type === 'identifier' ? this.macros?.functionMacro(this.textOf(fnNode), n, args, this) : undefined;
    if (expanded) return expanded;
    const callee = fnNode ? this.expr(fnNode) : unknown(span);
    return { k: 'call', span, id: n.start, callee, args, nameSpan: calleeNameSpan(fnNode) ?? span };
  }

  stringValue(n: SyntaxNode): string | undefined {
    let value = '';
    for (const c of n.children) {
      if (c.type === 'string_content') value += this.textOf(c);
      else if (c.type === 'escape_sequence') value += unescape(this.textOf(c));
      else if (c.named && c.type !== 'comment') return undefined;
    }
    return value;
  }
}

export interface FunctionHeader {
  name: string;
  qualified: string;
  className?: string;
  params: Param[];
  returnType: TypeRef;
  nameSpan: Span;
  isStatic: boolean;
}

function unknown(span: Span): Expr { return { k: 'unknown', span, parts: [] }; }

function hasElse(n: SyntaxNode): boolean {
  let cur: SyntaxNode | undefined = child(n, 'alternative');
  for (let i = 0; cur && i < 32; i++) {
    if (cur.type === 'preproc_else') return true;
    cur = child(cur, 'alternative');
  }
  return false;
}

/** The last name of `a::b::c` (or of a template), walking down the `name` fields. */
function lastName(n: SyntaxNode): SyntaxNode {
  let cur = n;
  for (let i = 0; i < 16 && cur.type === 'qualified_identifier'; i++) {
    const next = child(cur, 'name');
    if (!next) break;
    cur = next;
  }
  return cur;
}

function lastNameText(l: CLowering, n: SyntaxNode): string {
  const last = lastName(n);
  if (last.type === 'template_type' || last.type === 'template_function') {
    const name = child(last, 'name');
    return name ? l.textOf(name) : l.textOf(last);
  }
  return l.textOf(last);
}

function nameOfTemplate(l: CLowering, n: SyntaxNode): string {
  const name = child(n, 'name');
  return name ? lastNameText(l, name) : l.textOf(n);
}

function calleeNameSpan(fn: SyntaxNode | undefined): Span | undefined {
  if (!fn) return undefined;
  if (fn.type === 'field_expression') {
    const f = child(fn, 'field');
    return f ? { start: f.start, end: f.end } : undefined;
  }
  if (fn.type === 'qualified_identifier') {
    const last = lastName(fn);
    return { start: last.start, end: last.end };
  }
  return { start: fn.start, end: fn.end };
}

/** A C integer or floating literal as written: `0x10`, `0755`, `0b101`, `200u`, `1'000`, `1.5f`. */
export function parseNumber(raw: string): number | undefined {
  let s = raw.replace(/'/g, '').toLowerCase();
  let end = s.length;
  const isHex = s.startsWith('0x');
  while (end > 0 && (s[end - 1] === 'u' || s[end - 1] === 'l' || (!isHex && s[end - 1] === 'f'))) end--;
  s = s.slice(0, end);
  if (!s) return undefined;
  let v: number;
  if (isHex) v = parseInt(s.slice(2), 16);
  else if (s.startsWith('0b')) v = parseInt(s.slice(2), 2);
  else if (s.length > 1 && s[0] === '0' && /^[0-7]+$/.test(s)) v = parseInt(s, 8);
  else v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function charValue(raw: string): number | undefined {
  const q = raw.indexOf("'");
  const body = raw.slice(q + 1, raw.lastIndexOf("'"));
  if (!body) return undefined;
  const s = body.startsWith('\\') ? unescape(body) : body;
  return s.length ? s.charCodeAt(0) : undefined;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'", '?': '?' };

function unescape(e: string): string {
  const c = e[1];
  if (c === 'x') return String.fromCharCode(parseInt(e.slice(2), 16) || 0);
  if (c >= '0' && c <= '7') return String.fromCharCode(parseInt(e.slice(1), 8) || 0);
  if (c === 'u' || c === 'U') return String.fromCodePoint(parseInt(e.slice(2), 16) || 0);
  return ESCAPES[c] ?? c ?? '';
}

function rawStringValue(raw: string): string | undefined {
  const open = raw.indexOf('(');
  const close = raw.lastIndexOf(')');
  return open >= 0 && close > open ? raw.slice(open + 1, close) : undefined;
}

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; } else n += 3;
  }
  return n;
}

export { EXPRESSION_TYPES, STATEMENT_TYPES };

/** `SEND_TYPE_ARG3`, `SOCKET_T`: the naming convention of macros that stand for types. */
function isAllCapsName(name: string): boolean {
  if (name.length === 0 || name.charCodeAt(0) < 65 || name.charCodeAt(0) > 90) return false;
  for (let i = 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}
