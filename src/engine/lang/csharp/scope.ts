// What the names of a C# file are: its classes (fields, properties, constants, methods), each
// method's parameters and locals with their declared types, and which of those are System.Net.Sockets
// objects. C# declares types, so a value is a socket because its type says so (`Socket s`, a field
// `TcpClient _client`), because it was made as one (`var s = new Socket(...)`), or because a call that
// returns one made it (`listener.AcceptSocket()`, `client.GetStream()`, `await AcceptTcpClientAsync()`),
// and only when the file imports System.Net.Sockets (or names the type fully): a class of the program
// called `Socket` is not the library's. A `.Send()` on anything else is not a socket send.
import type { Budget } from '../../budget';
import { child, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import { ACCEPT_RESULT, NET_TYPES, SAME_CONNECTION, type NetKind } from './api';

export interface CsParam { name: string; type?: SyntaxNode; span: { start: number; end: number } }

export interface CsFunction {
  name: string;
  qualified: string;
  className?: string;
  /** The declaration (undefined for top-level statements and a class's synthetic field initialiser). */
  node?: SyntaxNode;
  /** A block, an arrow clause's expression, or the statements of a synthetic function. */
  body: SyntaxNode[];
  arrow: boolean;
  params: CsParam[];
  isStatic: boolean;
  isConstructor: boolean;
  /** Declared types of locals (by name): the type node, or the initializer for `var`. */
  localTypes: Map<string, SyntaxNode>;
  /** Kinds of locals and parameters that hold System.Net.Sockets objects. */
  kinds: Map<string, NetKind>;
  /** The function a local function or lambda is written in (it sees that function's names). */
  outer?: CsFunction;
  span: { start: number; end: number };
  nameSpan: { start: number; end: number };
}

export interface CsClass {
  name: string;
  bases: string[];
  /** Fields and auto-properties: their type nodes. */
  fields: Map<string, { type: SyntaxNode; span: { start: number; end: number }; init?: SyntaxNode; isStatic: boolean; isConst: boolean }>;
  methods: Map<string, CsFunction>;
  span: { start: number; end: number };
}

const TYPE_DECLS = new Set(['class_declaration', 'struct_declaration', 'record_declaration', 'record_struct_declaration', 'interface_declaration']);

export class CsharpScopes {
  readonly functions: CsFunction[] = [];
  readonly classes = new Map<string, CsClass>();
  /** The file imports System.Net.Sockets (or aliases one of its types). */
  readonly importsSockets: boolean;
  /** `using S = System.Net.Sockets.Socket;` -> S => Socket. */
  private readonly aliases = new Map<string, string>();
  private readonly topLevel: SyntaxNode[] = [];

  constructor(root: SyntaxNode, private readonly text: string, private readonly budget: Budget) {
    let imports = false;
    const visitUsings = (nodes: SyntaxNode[]) => {
      for (const n of nodes) {
        if (n.type === 'using_directive') {
          const named = namedChildren(n);
          const target = named[named.length - 1];
          const full = target ? this.t(target).split(' ').join('') : '';
          const alias = named.length === 2 && named[0].type === 'identifier' ? this.t(named[0]) : undefined;
          if (alias && full.startsWith('System.Net.Sockets.')) { this.aliases.set(alias, full.slice('System.Net.Sockets.'.length)); imports = true; }
          else if (full === 'System.Net.Sockets') imports = true;
        } else if (n.type === 'namespace_declaration') {
          const body = child(n, 'body');
          if (body) visitUsings(namedChildren(body));
        }
      }
    };
    visitUsings(namedChildren(root));
    this.importsSockets = imports || this.text.includes('System.Net.Sockets.');
    this.collect(namedChildren(root), undefined, '');
    if (this.topLevel.length > 0) {
      this.functions.push(this.newFunction('<main>', '<main>', undefined, undefined, this.topLevel, false, [], true, false, undefined, { start: 0, end: text.length }));
    }
    for (const f of this.functions) this.collectLocals(f);
    for (const f of this.functions) this.inferKinds(f);
    if (this.streamParamsFromCalls()) for (const f of this.functions) this.inferKinds(f);
  }

  /**
   * A `Stream` parameter (System.IO's base class) that the file's own calls of that method fill with a
   * NetworkStream is that stream: `string ReadMessage(Stream s)` called as `ReadMessage(client.GetStream())`.
   * True when one was found (the locals are then inferred again).
   */
  private streamParamsFromCalls(): boolean {
    const open = new Map<string, CsFunction[]>();
    for (const f of this.functions) {
      if (f.params.some((p) => p.type && this.simpleTypeName(p.type) === 'Stream' && !f.kinds.has(p.name))) {
        open.set(f.name, [...(open.get(f.name) ?? []), f]);
      }
    }
    if (open.size === 0 || !this.importsSockets) return false;
    let found = false;
    for (const caller of this.functions) {
      const stack = [...caller.body];
      while (stack.length > 0) {
        this.budget.tick();
        const n = stack.pop()!;
        stack.push(...namedChildren(n));
        if (n.type !== 'invocation_expression') continue;
        const fn = child(n, 'function');
        const nameNode = fn?.type === 'identifier' ? fn : fn?.type === 'member_access_expression' ? child(fn, 'name') : undefined;
        const targets = nameNode ? open.get(this.t(nameNode)) : undefined;
        if (!targets) continue;
        const argList = child(n, 'arguments');
        const args = argList ? namedChildren(argList).map((x) => namedChildren(x).pop()).filter((x): x is SyntaxNode => !!x) : [];
        for (const g of targets) {
          if (g.params.length !== args.length) continue;
          g.params.forEach((p, i) => {
            if (p.type && this.simpleTypeName(p.type) === 'Stream' && !g.kinds.has(p.name) && this.kindOf(args[i], caller) === 'stream') {
              g.kinds.set(p.name, 'stream');
              found = true;
            }
          });
        }
      }
    }
    return found;
  }

  t(n: SyntaxNode): string { return this.text.slice(n.start, n.end); }

  private newFunction(name: string, qualified: string, className: string | undefined, node: SyntaxNode | undefined, body: SyntaxNode[], arrow: boolean,
    params: CsParam[], isStatic: boolean, isConstructor: boolean, outer: CsFunction | undefined, span: { start: number; end: number }, nameSpan = { start: span.start, end: span.start }): CsFunction {
    return { name, qualified, className, node, body, arrow, params, isStatic, isConstructor, localTypes: new Map(), kinds: new Map(), outer, span, nameSpan };
  }

  /** Types, methods, constructors and top-level statements, at any nesting of namespaces and classes. */
  private collect(nodes: SyntaxNode[], cls: CsClass | undefined, prefix: string): void {
    for (const n of nodes) {
      this.budget.tick();
      if (n.type === 'namespace_declaration' || n.type === 'file_scoped_namespace_declaration') {
        const body = child(n, 'body');
        // A file-scoped namespace's declarations follow it as siblings.
        if (body) this.collect(namedChildren(body), undefined, prefix);
        continue;
      }
      if (n.type === 'global_statement') { this.topLevel.push(...namedChildren(n)); continue; }
      if (TYPE_DECLS.has(n.type)) {
        const nameNode = child(n, 'name');
        const body = child(n, 'body');
        if (!nameNode) continue;
        const name = this.t(nameNode);
        const bases = n.children.filter((c) => c.type === 'base_list').flatMap((b) => namedChildren(b)).map((b) => this.simpleTypeName(b)).filter((b): b is string => !!b);
        const c: CsClass = { name, bases, fields: new Map(), methods: new Map(), span: { start: n.start, end: n.end } };
        if (!this.classes.has(name)) this.classes.set(name, c);
        const own = this.classes.get(name)!; // partial classes in one file share one entry
        // Primary constructor parameters (`class Conn(Socket socket)`) are fields of the class.
        const plist = n.children.find((x) => x.type === 'parameter_list');
        for (const p of plist ? this.paramsOf(plist) : []) if (p.type) own.fields.set(p.name, { type: p.type, span: p.span, isStatic: false, isConst: false });
        if (body) this.collectMembers(namedChildren(body), own);
        continue;
      }
      if (cls) continue;
    }
  }

  private collectMembers(members: SyntaxNode[], cls: CsClass): void {
    for (const m of members) {
      this.budget.tick();
      if (TYPE_DECLS.has(m.type)) { this.collect([m], undefined, ''); continue; }
      const modifiers = m.children.filter((c) => c.type === 'modifier').map((c) => this.t(c));
      const isStatic = modifiers.includes('static') || modifiers.includes('const');
      if (m.type === 'field_declaration' || m.type === 'event_field_declaration') {
        const decl = m.children.find((c) => c.type === 'variable_declaration');
        const type = decl ? child(decl, 'type') : undefined;
        for (const v of decl ? namedChildren(decl).filter((c) => c.type === 'variable_declarator') : []) {
          const nameNode = child(v, 'name');
          if (!nameNode || !type) continue;
          const init = namedChildren(v).find((c) => c !== nameNode && c.type !== 'bracketed_argument_list');
          cls.fields.set(this.t(nameNode), { type, span: { start: v.start, end: v.end }, init, isStatic, isConst: modifiers.includes('const') });
        }
        continue;
      }
      if (m.type === 'property_declaration') {
        const nameNode = child(m, 'name'), type = child(m, 'type');
        if (nameNode && type) cls.fields.set(this.t(nameNode), { type, span: { start: nameNode.start, end: m.end }, init: child(m, 'value'), isStatic, isConst: false });
        continue;
      }
      if (m.type === 'method_declaration' || m.type === 'constructor_declaration' || m.type === 'destructor_declaration' || m.type === 'operator_declaration') {
        const nameNode = child(m, 'name');
        const name = m.type === 'constructor_declaration' ? '.ctor' : nameNode ? this.t(nameNode) : m.type;
        const body = child(m, 'body');
        const arrow = body?.type === 'arrow_expression_clause';
        const stmts = !body ? [] : arrow ? namedChildren(body) : namedChildren(body);
        const plist = child(m, 'parameters');
        const f = this.newFunction(name, `${cls.name}.${name}`, cls.name, m, stmts, arrow, plist ? this.paramsOf(plist) : [], isStatic,
          m.type === 'constructor_declaration', undefined, { start: m.start, end: m.end }, nameNode ? { start: nameNode.start, end: nameNode.end } : { start: m.start, end: m.start });
        this.functions.push(f);
        if (!cls.methods.has(name)) cls.methods.set(name, f);
        this.collectLocalFunctions(f);
        continue;
      }
    }
  }

  /** Local functions inside a method are functions of their own (they see the method's names). */
  private collectLocalFunctions(f: CsFunction): void {
    this.forEachNode(f.body, (n) => {
      if (n.type !== 'local_function_statement') return;
      const nameNode = child(n, 'name');
      const body = child(n, 'body');
      if (!nameNode || !body) return;
      const arrow = body.type === 'arrow_expression_clause';
      const plist = child(n, 'parameters');
      const g = this.newFunction(this.t(nameNode), `${f.qualified}.${this.t(nameNode)}`, f.className, n, namedChildren(body), arrow,
        plist ? this.paramsOf(plist) : [], f.isStatic, false, f, { start: n.start, end: n.end }, { start: nameNode.start, end: nameNode.end });
      this.functions.push(g);
      this.collectLocalFunctions(g);
    });
  }

  paramsOf(list: SyntaxNode): CsParam[] {
    const out: CsParam[] = [];
    for (const p of namedChildren(list)) {
      if (p.type !== 'parameter') continue;
      const nameNode = child(p, 'name');
      if (!nameNode) continue;
      out.push({ name: this.t(nameNode), type: child(p, 'type'), span: { start: nameNode.start, end: nameNode.end } });
    }
    return out;
  }

  /** Statements and expressions of a body, not descending into local functions, lambdas or nested types. */
  forEachNode(body: SyntaxNode[], visit: (n: SyntaxNode) => void): void {
    const stack = [...body].reverse();
    while (stack.length) {
      this.budget.tick();
      const n = stack.pop()!;
      visit(n);
      if (n.type === 'local_function_statement' || n.type === 'lambda_expression' || n.type === 'anonymous_method_expression' || TYPE_DECLS.has(n.type)) continue;
      for (let i = n.children.length - 1; i >= 0; i--) if (n.children[i].named) stack.push(n.children[i]);
    }
  }

  private collectLocals(f: CsFunction): void {
    this.forEachNode(f.body, (n) => {
      if (n.type === 'variable_declaration') {
        const type = child(n, 'type');
        for (const v of namedChildren(n).filter((c) => c.type === 'variable_declarator')) {
          const nameNode = child(v, 'name');
          if (!nameNode || !type) continue;
          const init = namedChildren(v).find((c) => c !== nameNode && c.type !== 'bracketed_argument_list');
          f.localTypes.set(this.t(nameNode), type.type === 'implicit_type' && init ? init : type);
        }
      } else if (n.type === 'foreach_statement') {
        const left = child(n, 'left'), type = child(n, 'type');
        if (left?.type === 'identifier' && type && type.type !== 'implicit_type') f.localTypes.set(this.t(left), type);
      } else if (n.type === 'declaration_expression') {
        // `out Socket s`, `out var n`
        const type = child(n, 'type'), nameNode = child(n, 'name');
        if (type && nameNode && type.type !== 'implicit_type') f.localTypes.set(this.t(nameNode), type);
        else if (nameNode) f.localTypes.set(this.t(nameNode), nameNode);
      } else if (n.type === 'declaration_pattern') {
        // `x is Socket s`
        const type = child(n, 'type'), nameNode = namedChildren(n).find((c) => c.type === 'identifier' && c !== type);
        if (type && nameNode) f.localTypes.set(this.t(nameNode), type);
      } else if (n.type === 'catch_declaration') {
        const type = child(n, 'type'), nameNode = child(n, 'name');
        if (type && nameNode) f.localTypes.set(this.t(nameNode), type);
      }
    });
  }

  /** Locals' and parameters' kinds, from their types or (for `var`) their initializers, in order. */
  private inferKinds(f: CsFunction): void {
    for (const p of f.params) {
      const k = p.type ? this.kindOfType(p.type) : undefined;
      if (k) f.kinds.set(p.name, k);
    }
    for (let round = 0; round < 3; round++) {
      for (const [name, t] of f.localTypes) {
        if (f.kinds.has(name)) continue;
        const k = this.isTypeNode(t) ? this.kindOfType(t) : this.kindOf(t, f);
        if (k) f.kinds.set(name, k);
      }
    }
  }

  isTypeNode(n: SyntaxNode): boolean {
    return n.type === 'identifier' || n.type === 'qualified_name' || n.type === 'generic_name' || n.type === 'predefined_type' || n.type === 'array_type'
      || n.type === 'nullable_type' || n.type === 'alias_qualified_name' || n.type === 'tuple_type' || n.type === 'pointer_type';
  }

  /** `Socket`, `System.Net.Sockets.TcpClient`, `Socket?`: the simple name of a type. */
  simpleTypeName(t: SyntaxNode): string | undefined {
    switch (t.type) {
      case 'identifier': return this.t(t);
      case 'predefined_type': return this.t(t);
      case 'qualified_name': { const name = child(t, 'name'); return name ? this.simpleTypeName(name) : undefined; }
      case 'generic_name': { const id = namedChildren(t)[0]; return id ? this.t(id) : undefined; }
      case 'nullable_type': { const inner = child(t, 'type') ?? namedChildren(t)[0]; return inner ? this.simpleTypeName(inner) : undefined; }
      default: return undefined;
    }
  }

  /** The System.Net.Sockets kind a type names (only when the file imports it and declares no class of that name). */
  kindOfType(t: SyntaxNode): NetKind | undefined {
    let name = this.simpleTypeName(t);
    if (!name) return undefined;
    // `Task<Socket>` awaited is the socket; the type of `await` is read through kindOf.
    name = this.aliases.get(name) ?? name;
    const qualified = t.type === 'qualified_name' && this.t(t).split(' ').join('').startsWith('System.Net.Sockets.');
    if (!this.importsSockets && !qualified) return undefined;
    if (this.classes.has(name) && !qualified) return undefined;
    return NET_TYPES[name];
  }

  /** The kind of a field (or auto-property) of a class of this file, looking through its bases here. */
  fieldKind(className: string | undefined, name: string, depth = 0): NetKind | undefined {
    const c = className ? this.classes.get(className) : undefined;
    if (!c || depth > 8) return undefined;
    const fd = c.fields.get(name);
    if (fd) return this.kindOfType(fd.type);
    for (const b of c.bases) { const k = this.fieldKind(b, name, depth + 1); if (k) return k; }
    return undefined;
  }

  /** Whether a bare name is a local or parameter of `f` (or of a function it is written in). */
  isLocal(name: string, f: CsFunction): boolean {
    for (let s: CsFunction | undefined = f; s; s = s.outer) if (s.localTypes.has(name) || s.params.some((p) => p.name === name)) return true;
    return false;
  }

  nameKind(name: string, f: CsFunction): NetKind | undefined {
    for (let s: CsFunction | undefined = f; s; s = s.outer) {
      if (s.localTypes.has(name) || s.params.some((p) => p.name === name)) return s.kinds.get(name);
    }
    return this.fieldKind(f.className, name);
  }

  /** The kind of value an expression evaluates to in `f`. */
  kindOf(e: SyntaxNode | undefined, f: CsFunction, depth = 0): NetKind | undefined {
    if (!e || depth > 12) return undefined;
    switch (e.type) {
      case 'parenthesized_expression': case 'await_expression': case 'postfix_unary_expression':
        return this.kindOf(namedChildren(e)[0], f, depth + 1);
      case 'cast_expression': { const t = child(e, 'type'); return t ? this.kindOfType(t) : undefined; }
      case 'as_expression': { const r = child(e, 'right'); return r ? this.kindOfType(r) : undefined; }
      case 'identifier': return this.nameKind(this.t(e), f);
      case 'member_access_expression': {
        const obj = child(e, 'expression'), nameNode = child(e, 'name');
        if (!obj || !nameNode) return undefined;
        const member = this.t(nameNode);
        if (isThis(obj)) return this.fieldKind(f.className, member);
        const base = this.kindOf(obj, f, depth + 1);
        if (base) return SAME_CONNECTION[member]?.[base];
        return undefined;
      }
      case 'object_creation_expression': {
        const t = child(e, 'type');
        const k = t ? this.kindOfType(t) : undefined;
        if (k) return k;
        // `new StreamReader(stream)`, `new BinaryReader(client.GetStream())`: reads of that connection.
        const name = t ? this.simpleTypeName(t) : undefined;
        if (name === 'StreamReader' || name === 'BinaryReader') {
          const args = child(e, 'arguments');
          const first = args ? namedChildren(args)[0] : undefined;
          const inner = first ? namedChildren(first).pop() : undefined;
          const k2 = this.kindOf(inner, f, depth + 1);
          if (k2 === 'stream' || k2 === 'socket') return 'reader';
        }
        return undefined;
      }
      case 'invocation_expression': {
        const fn = child(e, 'function');
        if (fn?.type !== 'member_access_expression') return undefined;
        const obj = child(fn, 'expression'), nameNode = child(fn, 'name');
        if (!obj || !nameNode) return undefined;
        const method = this.t(nameNode);
        // `TcpListener.Create(port)`
        if (method === 'Create' && obj.type === 'identifier' && this.kindOfType(obj) === 'listener') return 'listener';
        const base = this.kindOf(obj, f, depth + 1);
        if (!base) return undefined;
        if ((base === 'listener' || base === 'socket') && ACCEPT_RESULT[method]) return ACCEPT_RESULT[method];
        return SAME_CONNECTION[method]?.[base];
      }
      default: return undefined;
    }
  }
}

/** `this` (an anonymous token in tree-sitter-c-sharp). */
export function isThis(n: SyntaxNode): boolean {
  return n.type === 'this' || n.type === 'this_expression';
}
