// What the names of a Java file are: its classes (fields, methods, constructors), each method's
// parameters and locals with their declared types and initialisers, and which of those are socket
// objects. Java declares types, so a value is a socket because its type says so (`Socket s`, a
// field `SocketChannel channel`), because it was made as one (`new Socket(host, port)`,
// `SocketChannel.open()`), or because a call that returns one made it (`server.accept()`,
// `s.getOutputStream()`, `new DataOutputStream(s.getOutputStream())`), and only when the file
// imports the type's package (java.net, java.nio.channels) or names it fully: a class of the
// program called `Socket` is not the library's. A `.write()` on anything else is not a socket write.
import type { Budget } from '../../budget';
import { child, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import { NET_TYPES, WRAPPERS, type JavaKind } from './api';

export interface JavaParam { name: string; type?: SyntaxNode; span: { start: number; end: number } }

export interface JavaLocal { type?: SyntaxNode; init?: SyntaxNode }

export interface JavaFunction {
  name: string;
  qualified: string;
  className?: string;
  node?: SyntaxNode;
  body: SyntaxNode[];
  params: JavaParam[];
  isConstructor: boolean;
  locals: Map<string, JavaLocal>;
  kinds: Map<string, JavaKind>;
  span: { start: number; end: number };
  nameSpan: { start: number; end: number };
}

export interface JavaField { type: SyntaxNode; span: { start: number; end: number }; init?: SyntaxNode; isStatic: boolean; isConst: boolean }

export interface JavaClass {
  name: string;
  bases: string[];
  fields: Map<string, JavaField>;
  methods: Map<string, JavaFunction>;
  span: { start: number; end: number };
}

const TYPE_DECLS = new Set(['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration']);
const FUNCTION_DECLS = new Set(['method_declaration', 'constructor_declaration', 'compact_constructor_declaration']);

export class JavaScopes {
  readonly functions: JavaFunction[] = [];
  readonly classes = new Map<string, JavaClass>();
  /** Packages imported whole (`import java.net.*;`) and types imported by name (simple name -> package). */
  private readonly packages = new Set<string>();
  private readonly imported = new Map<string, string>();
  /** Kinds of fields found from what the class's code assigns to them (`out = new DataOutputStream(...)`). */
  private readonly assignedFieldKinds = new Map<string, JavaKind>();
  /** Stream fields made from a socket field of the same class (`out = new DataOutputStream(socket.getOutputStream())`): that field. */
  private readonly fieldOrigins = new Map<string, string>();

  constructor(root: SyntaxNode, private readonly text: string, private readonly budget: Budget) {
    for (const n of namedChildren(root)) {
      if (n.type !== 'import_declaration') continue;
      const target = namedChildren(n).find((c) => c.type === 'scoped_identifier' || c.type === 'identifier');
      if (!target) continue;
      const full = this.t(target);
      if (n.children.some((c) => c.type === 'asterisk')) this.packages.add(full);
      else {
        const dot = full.lastIndexOf('.');
        if (dot > 0) this.imported.set(full.slice(dot + 1), full.slice(0, dot));
      }
    }
    this.collect(namedChildren(root));
    for (const f of this.functions) this.collectLocals(f);
    for (let round = 0; round < 2; round++) {
      for (const f of this.functions) this.inferKinds(f);
      this.fieldsFromAssignments();
    }
  }

  t(n: SyntaxNode): string { return this.text.slice(n.start, n.end); }

  private collect(nodes: SyntaxNode[]): void {
    for (const n of nodes) {
      this.budget.tick();
      if (!TYPE_DECLS.has(n.type)) continue;
      const nameNode = child(n, 'name');
      if (!nameNode) continue;
      const name = this.t(nameNode);
      const bases: string[] = [];
      const sup = child(n, 'superclass');
      for (const b of sup ? namedChildren(sup) : []) { const s = this.simpleTypeName(b); if (s) bases.push(s); }
      const c: JavaClass = { name, bases, fields: new Map(), methods: new Map(), span: { start: n.start, end: n.end } };
      if (!this.classes.has(name)) this.classes.set(name, c);
      const own = this.classes.get(name)!;
      // A record's components are its fields.
      const comps = n.children.find((x) => x.type === 'formal_parameters');
      for (const p of comps ? this.paramsOf(comps) : []) if (p.type) own.fields.set(p.name, { type: p.type, span: p.span, isStatic: false, isConst: false });
      const body = child(n, 'body');
      if (!body) continue;
      // An enum's members follow its constants in enum_body_declarations.
      const members = namedChildren(body).flatMap((m) => (m.type === 'enum_body_declarations' ? namedChildren(m) : [m]));
      this.collectMembers(members, own);
    }
  }

  private collectMembers(members: SyntaxNode[], cls: JavaClass): void {
    for (const m of members) {
      this.budget.tick();
      if (TYPE_DECLS.has(m.type)) { this.collect([m]); continue; }
      const mods = m.children.find((c) => c.type === 'modifiers');
      const hasModifier = (word: string) => !!mods && mods.children.some((c) => c.type === word);
      const isStatic = hasModifier('static');
      if (m.type === 'field_declaration' || m.type === 'constant_declaration') {
        const type = child(m, 'type');
        for (const v of m.children.filter((c) => c.type === 'variable_declarator')) {
          const nameNode = child(v, 'name');
          if (!nameNode || !type) continue;
          const isConst = isStatic && hasModifier('final');
          cls.fields.set(this.t(nameNode), { type, span: { start: v.start, end: v.end }, init: child(v, 'value'), isStatic, isConst });
        }
        continue;
      }
      if (FUNCTION_DECLS.has(m.type)) {
        const nameNode = child(m, 'name');
        const isConstructor = m.type !== 'method_declaration';
        const name = isConstructor ? '<init>' : nameNode ? this.t(nameNode) : m.type;
        const body = child(m, 'body');
        const plist = child(m, 'parameters');
        const f: JavaFunction = {
          name, qualified: `${cls.name}.${name}`, className: cls.name, node: m, body: body ? namedChildren(body) : [],
          params: plist ? this.paramsOf(plist) : [], isConstructor, locals: new Map(), kinds: new Map(),
          span: { start: m.start, end: m.end }, nameSpan: nameNode ? { start: nameNode.start, end: nameNode.end } : { start: m.start, end: m.start },
        };
        this.functions.push(f);
        if (!cls.methods.has(name)) cls.methods.set(name, f);
      }
    }
  }

  paramsOf(list: SyntaxNode): JavaParam[] {
    const out: JavaParam[] = [];
    for (const p of namedChildren(list)) {
      if (p.type !== 'formal_parameter' && p.type !== 'spread_parameter') continue;
      const nameNode = child(p, 'name') ?? namedChildren(p).filter((c) => c.type === 'identifier' || c.type === 'variable_declarator').pop();
      const id = nameNode?.type === 'variable_declarator' ? child(nameNode, 'name') : nameNode;
      if (!id) continue;
      out.push({ name: this.t(id), type: child(p, 'type') ?? namedChildren(p).find((c) => c !== nameNode && c.type !== 'modifiers'), span: { start: id.start, end: id.end } });
    }
    return out;
  }

  /** Statements and expressions of a body, not descending into lambdas, anonymous class bodies or local classes. */
  forEachNode(body: SyntaxNode[], visit: (n: SyntaxNode) => void): void {
    const stack = [...body].reverse();
    while (stack.length) {
      this.budget.tick();
      const n = stack.pop()!;
      visit(n);
      if (n.type === 'lambda_expression' || n.type === 'class_body' || TYPE_DECLS.has(n.type)) continue;
      for (let i = n.children.length - 1; i >= 0; i--) if (n.children[i].named) stack.push(n.children[i]);
    }
  }

  private collectLocals(f: JavaFunction): void {
    this.forEachNode(f.body, (n) => {
      if (n.type === 'local_variable_declaration') {
        const type = child(n, 'type');
        for (const v of n.children.filter((c) => c.type === 'variable_declarator')) {
          const nameNode = child(v, 'name');
          if (nameNode) f.locals.set(this.t(nameNode), { type: type && this.t(type) !== 'var' ? type : undefined, init: child(v, 'value') });
        }
      } else if (n.type === 'resource') {
        // try (Socket s = new Socket(host, port)) { ... }
        const nameNode = child(n, 'name'), type = child(n, 'type');
        if (nameNode) f.locals.set(this.t(nameNode), { type: type && this.t(type) !== 'var' ? type : undefined, init: child(n, 'value') });
      } else if (n.type === 'enhanced_for_statement') {
        const nameNode = child(n, 'name'), type = child(n, 'type');
        if (nameNode) f.locals.set(this.t(nameNode), { type: type && this.t(type) !== 'var' ? type : undefined });
      } else if (n.type === 'catch_formal_parameter') {
        const nameNode = child(n, 'name');
        const types = n.children.find((c) => c.type === 'catch_type');
        if (nameNode) f.locals.set(this.t(nameNode), { type: types ? namedChildren(types)[0] : undefined });
      }
    });
  }

  /** Locals' and parameters' kinds: from their declared types, else from what initialises them. */
  private inferKinds(f: JavaFunction): void {
    for (const p of f.params) {
      const k = p.type ? this.kindOfType(p.type) : undefined;
      if (k) f.kinds.set(p.name, k);
    }
    for (let round = 0; round < 3; round++) {
      for (const [name, l] of f.locals) {
        if (f.kinds.has(name)) continue;
        const k = (l.type ? this.kindOfType(l.type) : undefined) ?? (l.init ? this.kindOf(l.init, f) : undefined);
        if (k) f.kinds.set(name, k);
      }
    }
  }

  /** A field declared as a stream type (`DataOutputStream out;`) is what the class's code assigns it. */
  private fieldsFromAssignments(): void {
    for (const f of this.functions) {
      const cls = f.className ? this.classes.get(f.className) : undefined;
      if (!cls) continue;
      this.forEachNode(f.body, (n) => {
        if (n.type !== 'assignment_expression') return;
        const l = child(n, 'left'), r = child(n, 'right');
        if (!l || !r) return;
        const name = l.type === 'identifier' && !this.isLocal(this.t(l), f) ? this.t(l)
          : l.type === 'field_access' && child(l, 'object')?.type === 'this' ? this.t(child(l, 'field') ?? l) : undefined;
        if (!name || !cls.fields.has(name) || this.kindOfType(cls.fields.get(name)!.type)) return;
        const key = `${cls.name}.${name}`;
        if (this.assignedFieldKinds.has(key)) return;
        const k = this.kindOf(r, f);
        if (k) this.assignedFieldKinds.set(key, k);
        const origin = k ? this.socketFieldOf(r, f) : undefined;
        if (origin) this.fieldOrigins.set(key, origin);
      });
    }
  }

  /** The socket field of the class a stream expression is made from (through wrappers and getOutputStream()). */
  private socketFieldOf(e: SyntaxNode | undefined, f: JavaFunction, depth = 0): string | undefined {
    if (!e || depth > 8) return undefined;
    switch (e.type) {
      case 'parenthesized_expression': return this.socketFieldOf(namedChildren(e)[0], f, depth + 1);
      case 'object_creation_expression': { const a = child(e, 'arguments'); return a ? this.socketFieldOf(namedChildren(a)[0], f, depth + 1) : undefined; }
      case 'method_invocation': {
        const nm = child(e, 'name');
        const m = nm ? this.t(nm) : '';
        return m === 'getOutputStream' || m === 'getInputStream' || m === 'socket' ? this.socketFieldOf(child(e, 'object'), f, depth + 1) : undefined;
      }
      case 'identifier': case 'field_access': {
        const name = e.type === 'identifier' ? (this.isLocal(this.t(e), f) ? undefined : this.t(e)) : child(e, 'object')?.type === 'this' ? this.t(child(e, 'field') ?? e) : undefined;
        const k = name ? this.fieldKind(f.className, name) : undefined;
        return name && (k === 'socket' || k === 'channel') ? name : undefined;
      }
      default: return undefined;
    }
  }

  /** The socket field a stream field of `className` was made from, if every assignment the analysis saw made it so. */
  fieldOrigin(className: string | undefined, name: string): string | undefined {
    return className ? this.fieldOrigins.get(`${className}.${name}`) : undefined;
  }

  /** `Socket`, `java.net.Socket`, `List<Socket>` (-> List): the simple name of a type. */
  simpleTypeName(t: SyntaxNode): string | undefined {
    switch (t.type) {
      case 'type_identifier': case 'identifier': case 'integral_type': case 'floating_point_type': case 'boolean_type': case 'void_type':
        return this.t(t);
      case 'scoped_type_identifier': { const parts = namedChildren(t); const last = parts[parts.length - 1]; return last ? this.simpleTypeName(last) : undefined; }
      case 'generic_type': { const first = namedChildren(t)[0]; return first ? this.simpleTypeName(first) : undefined; }
      default: return undefined;
    }
  }

  /** The socket kind a type names (only when the file imports it and declares no class of that name). */
  kindOfType(t: SyntaxNode): JavaKind | undefined {
    const name = this.simpleTypeName(t);
    const net = name ? NET_TYPES[name] : undefined;
    if (!name || !net) return undefined;
    const written = this.t(t).split(' ').join('');
    if (t.type === 'scoped_type_identifier') return written === `${net.pkg}.${name}` ? net.kind : undefined;
    if (this.classes.has(name)) return undefined;
    return this.packages.has(net.pkg) || this.imported.get(name) === net.pkg ? net.kind : undefined;
  }

  /** Whether `name` names the library class (for static calls: `SocketChannel.open()`). */
  private isNetClass(n: SyntaxNode, name: string): boolean {
    if (n.type !== 'identifier' && n.type !== 'field_access') return false;
    const written = this.t(n).split(' ').join('');
    const net = NET_TYPES[name];
    if (!net) return false;
    if (written === `${net.pkg}.${name}`) return true;
    return written === name && !this.classes.has(name) && (this.packages.has(net.pkg) || this.imported.get(name) === net.pkg);
  }

  fieldKind(className: string | undefined, name: string, depth = 0): JavaKind | undefined {
    const c = className ? this.classes.get(className) : undefined;
    if (!c || depth > 8) return undefined;
    const fd = c.fields.get(name);
    if (fd) return this.kindOfType(fd.type) ?? this.assignedFieldKinds.get(`${c.name}.${name}`) ?? (fd.init ? this.kindOf(fd.init, undefined) : undefined);
    for (const b of c.bases) { const k = this.fieldKind(b, name, depth + 1); if (k) return k; }
    return undefined;
  }

  isLocal(name: string, f: JavaFunction): boolean {
    return f.locals.has(name) || f.params.some((p) => p.name === name);
  }

  nameKind(name: string, f: JavaFunction | undefined): JavaKind | undefined {
    if (f && this.isLocal(name, f)) return f.kinds.get(name);
    return this.fieldKind(f?.className, name);
  }

  /** The kind of value an expression evaluates to in `f`. */
  kindOf(e: SyntaxNode | undefined, f: JavaFunction | undefined, depth = 0): JavaKind | undefined {
    if (!e || depth > 12) return undefined;
    switch (e.type) {
      case 'parenthesized_expression': return this.kindOf(namedChildren(e)[0], f, depth + 1);
      case 'cast_expression': { const t = child(e, 'type'); return (t ? this.kindOfType(t) : undefined) ?? this.kindOf(child(e, 'value'), f, depth + 1); }
      case 'identifier': return this.nameKind(this.t(e), f);
      case 'field_access': {
        const obj = child(e, 'object'), field = child(e, 'field');
        if (obj?.type === 'this' && field) return this.fieldKind(f?.className, this.t(field));
        return undefined;
      }
      case 'object_creation_expression': {
        const t = child(e, 'type');
        if (!t) return undefined;
        const k = this.kindOfType(t);
        if (k) return k;
        const name = this.simpleTypeName(t);
        const argList = child(e, 'arguments');
        const args = argList ? namedChildren(argList) : [];
        if (name === 'PrintWriter') {
          const inner = this.kindOf(args[0], f, depth + 1);
          if (inner !== 'out' && inner !== 'buffered') return undefined;
          return args[1]?.type === 'true' ? 'autoprint' : 'buffered';
        }
        const wrap = name ? WRAPPERS[name] : undefined;
        const inner = wrap ? this.kindOf(args[0], f, depth + 1) : undefined;
        return wrap && inner ? wrap(inner) : undefined;
      }
      case 'method_invocation': {
        const obj = child(e, 'object'), nameNode = child(e, 'name');
        if (!nameNode) return undefined;
        const method = this.t(nameNode);
        if (!obj) return undefined;
        if (method === 'open' && this.isNetClass(obj, 'SocketChannel')) return 'channel';
        if (method === 'open' && this.isNetClass(obj, 'ServerSocketChannel')) return 'serverchannel';
        const base = this.kindOf(obj, f, depth + 1);
        if (!base) return undefined;
        if (base === 'server' && method === 'accept') return 'socket';
        if (base === 'serverchannel' && method === 'accept') return 'channel';
        if (base === 'socket' && method === 'getOutputStream') return 'out';
        if (base === 'socket' && method === 'getInputStream') return 'in';
        if (base === 'channel' && method === 'socket') return 'socket';
        if (base === 'serverchannel' && method === 'socket') return 'server';
        return undefined;
      }
      default: return undefined;
    }
  }
}
