// A plain JavaScript copy of a syntax subtree, taken in one cursor walk. Every property read on a
// web-tree-sitter Node crosses into WebAssembly (and some, like `parent`, search down from the
// root), so lowering reads this copy instead: one crossing per step instead of several per question.
import type { Language, TreeCursor } from 'web-tree-sitter';
import type { Budget } from '../budget';

export interface SyntaxNode {
  type: string;
  /** The field this node fills in its parent (`condition`, `body`, ...), when its parent's type needs it. */
  field?: string;
  start: number;
  end: number;
  named: boolean;
  children: SyntaxNode[];
}

/** Node types whose children are taken as one leaf: their text is all that is needed. */
const LEAF_TYPES = new Set([
  'identifier', 'field_identifier', 'type_identifier', 'namespace_identifier', 'statement_identifier',
  'primitive_type', 'number_literal', 'char_literal', 'comment', 'raw_string_literal', 'system_lib_string',
  'string_content', 'escape_sequence', 'true', 'false', 'null', 'this', 'auto', 'preproc_arg', 'line_comment', 'block_comment',
]);

/** Parents whose children are told apart by field (positions alone are ambiguous there). */
const FIELD_PARENTS = new Set([
  'if_statement', 'for_statement', 'for_range_loop', 'while_statement', 'do_statement', 'switch_statement',
  'case_statement', 'declaration', 'init_declarator', 'function_definition', 'function_declarator',
  'parameter_declaration', 'optional_parameter_declaration', 'field_declaration', 'sizeof_expression',
  'cast_expression', 'conditional_expression', 'lambda_expression', 'new_expression', 'qualified_identifier',
  'template_function', 'template_method', 'array_declarator', 'pointer_declarator', 'reference_declarator',
  'struct_specifier', 'class_specifier', 'union_specifier', 'enum_specifier', 'enumerator', 'type_definition',
  'preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_def', 'preproc_function_def', 'labeled_statement',
  'try_statement', 'catch_clause', 'field_expression', 'subscript_expression', 'call_expression',
  'assignment_expression', 'binary_expression', 'unary_expression', 'pointer_expression', 'update_expression',
  'initializer_pair', 'condition_clause', 'type_descriptor', 'template_type', 'alias_declaration',
  'abstract_pointer_declarator', 'abstract_array_declarator', 'parenthesized_declarator', 'goto_statement',
  'linkage_specification', 'namespace_definition', 'template_declaration', 'else_clause', 'preproc_include',
  'compound_literal_expression', 'throw_statement', 'return_statement', 'delete_expression', 'new_declarator',
  'structured_binding_declarator', 'preproc_elifdef',
  // Python (tree-sitter-python)
  'class_definition', 'assignment', 'augmented_assignment', 'attribute', 'call', 'subscript', 'keyword_argument',
  'boolean_operator', 'comparison_operator', 'not_operator', 'binary_operator', 'unary_operator', 'elif_clause',
  'while_statement', 'with_item', 'as_pattern', 'except_clause', 'typed_parameter', 'typed_default_parameter',
  'default_parameter', 'named_expression', 'conditional_expression', 'import_from_statement', 'aliased_import',
  'import_statement', 'decorated_definition', 'raise_statement', 'for_in_clause', 'pair', 'with_statement',
  // C# (tree-sitter-c-sharp)
  'invocation_expression', 'member_access_expression', 'variable_declarator', 'object_creation_expression', 'method_declaration',
  'class_declaration', 'struct_declaration', 'record_declaration', 'interface_declaration', 'parameter', 'catch_declaration',
  'foreach_statement', 'element_access_expression', 'array_creation_expression', 'constructor_declaration', 'local_function_statement',
  'using_statement', 'variable_declaration', 'array_type', 'qualified_name', 'property_declaration', 'is_pattern_expression',
  'as_expression', 'conditional_access_expression', 'namespace_declaration', 'file_scoped_namespace_declaration', 'argument',
  'declaration_expression', 'declaration_pattern', 'nullable_type', 'destructor_declaration', 'operator_declaration',
  'member_binding_expression', 'default_expression', 'sizeof_expression', 'implicit_object_creation_expression',
  // Go (tree-sitter-go)
  'function_declaration', 'short_var_declaration', 'assignment_statement', 'var_spec', 'const_spec', 'import_spec', 'selector_expression',
  'index_expression', 'slice_expression', 'type_assertion_expression', 'type_conversion_expression', 'for_clause', 'range_clause',
  'expression_switch_statement', 'type_switch_statement', 'expression_case', 'type_case', 'qualified_type', 'func_literal', 'type_spec',
  'composite_literal', 'slice_type', 'variadic_parameter_declaration', 'generic_type', 'select_statement', 'map_type',
  // Java (tree-sitter-java)
  'method_invocation', 'field_access', 'local_variable_declaration', 'formal_parameter', 'catch_formal_parameter', 'enhanced_for_statement',
  'array_access', 'ternary_expression', 'try_with_resources_statement', 'resource', 'scoped_type_identifier', 'generic_type',
  'instanceof_expression', 'constructor_body', 'enum_declaration', 'record_declaration', 'spread_parameter', 'switch_expression',
  'synchronized_statement', 'update_expression',
  // JavaScript and TypeScript (tree-sitter-javascript, tree-sitter-typescript)
  'member_expression', 'arrow_function', 'function_expression', 'function', 'function_declaration', 'generator_function',
  'generator_function_declaration', 'method_definition', 'class', 'abstract_class_declaration', 'public_field_definition',
  'field_definition', 'required_parameter', 'optional_parameter', 'assignment_pattern', 'pair_pattern', 'nested_type_identifier',
  'augmented_assignment_expression', 'ternary_expression', 'for_in_statement', 'switch_case', 'import_specifier', 'await_expression',
]);

interface TypeTables { types: string[]; named: boolean[]; leaf: boolean[]; fields: string[]; fieldParents: boolean[] }
const tables = new WeakMap<Language, TypeTables>();

function tablesFor(language: Language): TypeTables {
  let t = tables.get(language);
  if (t) return t;
  const types: string[] = [], named: boolean[] = [], leaf: boolean[] = [], fieldParents: boolean[] = [];
  for (let id = 0; id < language.nodeTypeCount; id++) {
    const name = language.nodeTypeForId(id) ?? '';
    types.push(name);
    named.push(language.nodeTypeIsNamed(id));
    leaf.push(LEAF_TYPES.has(name));
    fieldParents.push(FIELD_PARENTS.has(name));
  }
  const fields: string[] = [''];
  for (let id = 1; id <= language.fieldCount; id++) fields.push(language.fieldNameForId(id) ?? '');
  t = { types, named, leaf, fields, fieldParents };
  tables.set(language, t);
  return t;
}

/** The ERROR node id is 65535 in every grammar. */
const ERROR_ID = 65535;

/**
 * Copies the subtree at the cursor's current node. Depth is bounded (deeper nodes become leaves),
 * and the budget is charged per node, so a pathological file cannot stall the walk.
 *
 * Every read crosses into WebAssembly, so reads are spent where they matter: anonymous tokens
 * (punctuation, operators, keywords) carry only their type, which is their text, and no position;
 * named nodes carry their range.
 */
export function snapshot(cursor: TreeCursor, language: Language, budget: Budget, maxDepth = 400): SyntaxNode {
  const t = tablesFor(language);
  const walk = (depth: number, readField: boolean): SyntaxNode => {
    budget.tick();
    const id = cursor.nodeTypeId;
    const field = readField ? t.fields[cursor.currentFieldId] || undefined : undefined;
    if (id !== ERROR_ID && !(t.named[id] ?? true)) {
      // An anonymous token: its type is its text.
      return { type: t.types[id] ?? '', field, start: -1, end: -1, named: false, children: [] };
    }
    const type = id === ERROR_ID ? 'ERROR' : t.types[id] ?? 'ERROR';
    const start = cursor.startIndex, end = cursor.endIndex;
    if (t.leaf[id] || depth >= maxDepth || !cursor.gotoFirstChild()) {
      return { type, field, start, end, named: true, children: [] };
    }
    const childFields = t.fieldParents[id] ?? false;
    const children: SyntaxNode[] = [];
    do children.push(walk(depth + 1, childFields)); while (cursor.gotoNextSibling());
    cursor.gotoParent();
    return { type, field, start, end, named: true, children };
  };
  return walk(0, false);
}

/** The text of a token: an anonymous token's type is its text; a named one is read from the source. */
export function tokenText(text: string, n: SyntaxNode): string {
  return n.named ? text.slice(n.start, n.end) : n.type;
}

export function child(n: SyntaxNode, field: string): SyntaxNode | undefined {
  for (const c of n.children) if (c.field === field) return c;
  return undefined;
}

export function childrenOf(n: SyntaxNode, field: string): SyntaxNode[] {
  return n.children.filter((c) => c.field === field);
}

export function namedChildren(n: SyntaxNode): SyntaxNode[] {
  return n.children.filter((c) => c.named && c.type !== 'comment');
}

export function firstNamed(n: SyntaxNode, type?: string): SyntaxNode | undefined {
  for (const c of n.children) if (c.named && c.type !== 'comment' && (!type || c.type === type)) return c;
  return undefined;
}
