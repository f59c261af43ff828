// Which values of a Go file are connections, listeners, dialers, or bufio readers and writers over a
// connection. Go declares types, so most of it is read: parameters (`conn net.Conn`), receivers and
// struct fields (`s.conn` of a `conn net.Conn` field), `var c *net.TCPConn`. What `:=` binds is
// inferred from the value: `net.Dial(...)`, `ln.Accept()`, `d.DialContext(...)`, a type assertion
// `conn.(*net.TCPConn)`, `bufio.NewReader(conn)`, a function of the file declared to return a
// `net.Conn`, another such variable. Package names resolve through the file's imports
// (`import nt "net"`), so a `Write` on anything else is not a socket write.
import type { Budget } from '../../budget';
import { child, childrenOf, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import {
  DIAL_FUNCTIONS, DIALER_METHODS, LISTEN_FUNCTIONS, NET_TYPES, READER_MAKERS, WRAP_FUNCTIONS, WRITER_MAKERS, type GoKind,
} from './api';

export interface GoParam { name: string; span: { start: number; end: number }; type?: SyntaxNode }

export interface GoFunction {
  name: string;
  qualified: string;
  /** The receiver's type name for a method. */
  className?: string;
  node: SyntaxNode;
  body?: SyntaxNode;
  /** The receiver first (for methods), then the parameters. */
  params: GoParam[];
  /** Declared result types. */
  results: SyntaxNode[];
  /** Locals and parameters of a known kind, and locals holding a struct of the file (name -> struct). */
  kinds: Map<string, GoKind>;
  structs: Map<string, string>;
  /** Every name bound in the body (`:=`, `var`, range variables, func literal parameters). */
  locals: Set<string>;
  /** Declared types of parameters and `var` locals (what a range over them yields). */
  declared: Map<string, SyntaxNode>;
}

export interface GoStruct {
  name: string;
  /** Named and embedded fields (an embedded `net.Conn` is the field `Conn`, whose methods are promoted). */
  fields: Map<string, { type: SyntaxNode; span: { start: number; end: number }; embedded?: boolean }>;
  methods: Set<string>;
  span: { start: number; end: number };
}

export class GoScopes {
  /** Local package name -> import path (`nt` -> `net`; `json` -> `encoding/json`). */
  readonly imports = new Map<string, string>();
  readonly functions: GoFunction[] = [];
  readonly structs = new Map<string, GoStruct>();
  /** Package-level variables of a known kind. */
  readonly globals = new Map<string, GoKind>();
  private readonly byName = new Map<string, GoFunction>();

  constructor(private readonly root: SyntaxNode, private readonly text: string, private readonly budget: Budget) {
    for (const n of root.children) {
      if (n.type === 'import_declaration') this.readImports(n);
    }
    for (const n of root.children) {
      this.budget.tick();
      if (n.type === 'type_declaration') this.readTypes(n);
      else if (n.type === 'function_declaration' || n.type === 'method_declaration') this.readFunction(n);
    }
    for (const n of root.children) if (n.type === 'var_declaration') this.readGlobals(n);
    for (const f of this.functions) this.infer(f);
    this.reenablesNagle = this.functions.some((f) => this.turnsNagleOn(f));
  }

  /**
   * Some connection of the file gets `SetNoDelay(false)`: Go's default (TCP_NODELAY on every TCP
   * connection) is then not written after the file's dials and accepts, so only the file's own
   * SetNoDelay calls decide. Judged per file: the analysis joins the states of a connection across
   * the functions it flows through, and the runtime's default would hide the call that undoes it.
   */
  readonly reenablesNagle: boolean;

  private turnsNagleOn(f: GoFunction): boolean {
    let found = false;
    this.forEachNode(f.body, (n) => {
      if (found || n.type !== 'call_expression') return;
      const fn = child(n, 'function');
      const field = fn?.type === 'selector_expression' ? child(fn, 'field') : undefined;
      if (!field || this.t(field) !== 'SetNoDelay' || this.kindOf(child(fn!, 'operand'), f) !== 'conn') return;
      const args = child(n, 'arguments');
      const a = args ? namedChildren(args)[0] : undefined;
      if (a?.type === 'false') found = true;
    });
    return found;
  }

  t(n: SyntaxNode): string { return this.text.slice(n.start, n.end); }

  private readImports(n: SyntaxNode): void {
    const specs: SyntaxNode[] = [];
    const visit = (x: SyntaxNode) => { if (x.type === 'import_spec') specs.push(x); else for (const c of namedChildren(x)) visit(c); };
    visit(n);
    for (const s of specs) {
      const pathNode = child(s, 'path');
      const content = pathNode ? namedChildren(pathNode).find((c) => c.type === 'interpreted_string_literal_content' || c.type === 'raw_string_literal_content') : undefined;
      if (!content) continue;
      const path = this.t(content);
      const name = child(s, 'name');
      if (name && (name.type === 'dot' || name.type === 'blank_identifier')) continue;
      const local = name ? this.t(name) : path.slice(path.lastIndexOf('/') + 1);
      this.imports.set(local, path);
    }
  }

  private readTypes(n: SyntaxNode): void {
    for (const spec of namedChildren(n)) {
      if (spec.type !== 'type_spec') continue;
      const name = child(spec, 'name'), type = child(spec, 'type');
      if (!name || type?.type !== 'struct_type') continue;
      const s: GoStruct = { name: this.t(name), fields: new Map(), methods: new Set(), span: { start: spec.start, end: spec.end } };
      const list = namedChildren(type).find((c) => c.type === 'field_declaration_list');
      for (const fd of list ? namedChildren(list) : []) {
        if (fd.type !== 'field_declaration') continue;
        const ft = child(fd, 'type');
        if (!ft) continue;
        const names = childrenOf(fd, 'name');
        for (const fname of names) s.fields.set(this.t(fname), { type: ft, span: { start: fname.start, end: fname.end } });
        if (names.length === 0) {
          // An embedded field is named after its type: `net.Conn` -> `Conn`, `*net.TCPConn` -> `TCPConn`.
          const base = ft.type === 'pointer_type' ? namedChildren(ft)[0] : ft;
          const nameNode = base?.type === 'qualified_type' ? child(base, 'name') : base;
          if (nameNode) s.fields.set(this.t(nameNode), { type: ft, span: { start: fd.start, end: fd.end }, embedded: true });
        }
      }
      this.structs.set(s.name, s);
    }
  }

  private readFunction(n: SyntaxNode): void {
    const nameNode = child(n, 'name');
    if (!nameNode) return;
    const name = this.t(nameNode);
    const params: GoParam[] = [];
    let className: string | undefined;
    const receiver = child(n, 'receiver');
    if (receiver) {
      const p = namedChildren(receiver).find((c) => c.type === 'parameter_declaration');
      const rt = p ? child(p, 'type') : undefined;
      className = rt ? this.typeName(rt) : undefined;
      const rn = p ? child(p, 'name') : undefined;
      params.push({ name: rn ? this.t(rn) : '_', span: rn ? { start: rn.start, end: rn.end } : { start: n.start, end: n.start }, type: rt });
    }
    params.push(...this.paramList(child(n, 'parameters')));
    const result = child(n, 'result');
    const results = !result ? [] : result.type === 'parameter_list' ? namedChildren(result).map((p) => child(p, 'type')).filter((x): x is SyntaxNode => !!x) : [result];
    const f: GoFunction = {
      name, qualified: className ? `${className}.${name}` : name, className, node: n, body: child(n, 'body'),
      params, results, kinds: new Map(), structs: new Map(), locals: new Set(), declared: new Map(),
    };
    this.functions.push(f);
    if (!className) this.byName.set(name, f);
  }

  paramList(list: SyntaxNode | undefined): GoParam[] {
    const out: GoParam[] = [];
    for (const p of list ? namedChildren(list) : []) {
      if (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration') continue;
      const type = child(p, 'type');
      const names = childrenOf(p, 'name');
      if (names.length === 0) out.push({ name: '_', span: { start: p.start, end: p.start }, type });
      for (const nm of names) out.push({ name: this.t(nm), span: { start: nm.start, end: nm.end }, type });
    }
    return out;
  }

  private readGlobals(n: SyntaxNode): void {
    for (const spec of namedChildren(n).flatMap((c) => (c.type === 'var_spec_list' ? namedChildren(c) : [c]))) {
      if (spec.type !== 'var_spec') continue;
      const type = child(spec, 'type');
      const k = type ? this.kindOfType(type) : undefined;
      if (k) for (const nm of childrenOf(spec, 'name')) this.globals.set(this.t(nm), k);
    }
  }

  /** The import path a package name stands for, unless a local of `f` shadows it. */
  packageOf(n: SyntaxNode | undefined, f?: GoFunction): string | undefined {
    if (!n || (n.type !== 'identifier' && n.type !== 'package_identifier')) return undefined;
    const name = this.t(n);
    if (f && (f.locals.has(name) || f.params.some((p) => p.name === name))) return undefined;
    return this.imports.get(name);
  }

  /** `pkg.Name` as (import path, name) when `pkg` is an imported package. */
  qualified(n: SyntaxNode | undefined, f?: GoFunction): { path: string; name: string } | undefined {
    if (!n) return undefined;
    if (n.type === 'qualified_type') {
      const pkg = child(n, 'package'), name = child(n, 'name');
      const path = pkg ? this.imports.get(this.t(pkg)) : undefined;
      return path && name ? { path, name: this.t(name) } : undefined;
    }
    if (n.type !== 'selector_expression') return undefined;
    const operand = child(n, 'operand'), field = child(n, 'field');
    const path = this.packageOf(operand, f);
    return path && field ? { path, name: this.t(field) } : undefined;
  }

  /** The kind of value a declared type holds (`net.Conn`, `*net.TCPConn`, `net.Listener`, `net.Dialer`). */
  kindOfType(type: SyntaxNode): GoKind | undefined {
    const x = type.type === 'pointer_type' ? namedChildren(type)[0] : type;
    const q = x ? this.qualified(x) : undefined;
    return q ? NET_TYPES[q.path]?.[q.name] : undefined;
  }

  /** The name of a struct type of the file (`Client`, `*Client`). */
  typeName(type: SyntaxNode): string | undefined {
    const x = type.type === 'pointer_type' ? namedChildren(type)[0] : type;
    if (x?.type === 'type_identifier') return this.t(x);
    if (x?.type === 'generic_type') { const b = child(x, 'type') ?? namedChildren(x)[0]; return b ? this.t(b) : undefined; }
    return undefined;
  }

  fieldKind(structName: string | undefined, field: string): GoKind | undefined {
    const s = structName ? this.structs.get(structName) : undefined;
    const fd = s?.fields.get(field);
    return fd ? this.kindOfType(fd.type) : undefined;
  }

  functionNamed(name: string): GoFunction | undefined { return this.byName.get(name); }

  /** The embedded connection field of a struct of the file (`Conn` of `struct { net.Conn }`). */
  embeddedConn(structName: string | undefined): string | undefined {
    const s = structName ? this.structs.get(structName) : undefined;
    for (const [name, fd] of s?.fields ?? []) if (fd.embedded && this.kindOfType(fd.type) === 'conn') return name;
    return undefined;
  }

  /** A method the struct declares itself (it hides a promoted one). */
  hasMethod(structName: string, method: string): boolean {
    return this.functions.some((g) => g.className === structName && g.name === method);
  }

  /** What ranging over an expression yields: a map's keys and values, a slice's or array's elements. */
  rangeKinds(e: SyntaxNode | undefined, f: GoFunction): { first?: GoKind; second?: GoKind } {
    let type: SyntaxNode | undefined;
    if (e?.type === 'identifier') type = f.declared.get(this.t(e));
    else if (e?.type === 'selector_expression') {
      const field = child(e, 'field');
      const s = this.structOf(child(e, 'operand'), f);
      type = s && field ? this.structs.get(s)?.fields.get(this.t(field))?.type : undefined;
    }
    if (type?.type === 'map_type') {
      const k = child(type, 'key'), v = child(type, 'value');
      return { first: k ? this.kindOfType(k) : undefined, second: v ? this.kindOfType(v) : undefined };
    }
    if (type?.type === 'slice_type' || type?.type === 'array_type') {
      const el = child(type, 'element');
      return { second: el ? this.kindOfType(el) : undefined };
    }
    return {};
  }

  /** The struct of the file an expression holds (`s`, `&Server{}`, `s.peer` of a struct-typed field). */
  structOf(e: SyntaxNode | undefined, f: GoFunction, depth = 0): string | undefined {
    if (!e || depth > 8) return undefined;
    if (e.type === 'identifier') return f.structs.get(this.t(e));
    if (e.type === 'parenthesized_expression') return this.structOf(namedChildren(e)[0], f, depth + 1);
    if (e.type === 'unary_expression' && child(e, 'operand')) return this.structOf(child(e, 'operand'), f, depth + 1);
    if (e.type === 'composite_literal') { const t = child(e, 'type'); const name = t ? this.typeName(t) : undefined; return name && this.structs.has(name) ? name : undefined; }
    if (e.type === 'selector_expression') {
      const s = this.structOf(child(e, 'operand'), f, depth + 1);
      const field = child(e, 'field');
      const fd = s && field ? this.structs.get(s)?.fields.get(this.t(field)) : undefined;
      const name = fd ? this.typeName(fd.type) : undefined;
      return name && this.structs.has(name) ? name : undefined;
    }
    if (e.type === 'call_expression') {
      const fn = child(e, 'function');
      const g = fn?.type === 'identifier' ? this.byName.get(this.t(fn)) : undefined;
      const name = g?.results[0] ? this.typeName(g.results[0]) : undefined;
      return name && this.structs.has(name) ? name : undefined;
    }
    return undefined;
  }

  /** The kind of value an expression evaluates to in `f`. */
  kindOf(e: SyntaxNode | undefined, f: GoFunction, depth = 0): GoKind | undefined {
    if (!e || depth > 10) return undefined;
    switch (e.type) {
      case 'parenthesized_expression': return this.kindOf(namedChildren(e)[0], f, depth + 1);
      case 'identifier': {
        const name = this.t(e);
        return f.kinds.get(name) ?? (f.locals.has(name) || f.params.some((p) => p.name === name) ? undefined : this.globals.get(name));
      }
      case 'selector_expression': {
        const operand = child(e, 'operand'), field = child(e, 'field');
        if (!operand || !field) return undefined;
        return this.fieldKind(this.structOf(operand, f), this.t(field));
      }
      case 'type_assertion_expression': {
        // `conn.(*net.TCPConn)`: the same connection, seen as a TCPConn.
        const type = child(e, 'type');
        return type ? this.kindOfType(type) : undefined;
      }
      case 'unary_expression': {
        // `&net.Dialer{Timeout: ...}`
        const operand = child(e, 'operand');
        return operand?.type === 'composite_literal' ? this.kindOf(operand, f, depth + 1) : undefined;
      }
      case 'composite_literal': {
        const type = child(e, 'type');
        return type ? this.kindOfType(type) : undefined;
      }
      case 'call_expression': return this.kindOfCall(e, f, depth);
      default: return undefined;
    }
  }

  private kindOfCall(e: SyntaxNode, f: GoFunction, depth: number): GoKind | undefined {
    const fn = child(e, 'function');
    const args = child(e, 'arguments');
    const first = args ? namedChildren(args)[0] : undefined;
    if (!fn) return undefined;
    const q = this.qualified(fn, f);
    if (q) {
      if (DIAL_FUNCTIONS[q.path]?.has(q.name)) return 'conn';
      if (LISTEN_FUNCTIONS[q.path]?.has(q.name)) return 'listener';
      if (WRAP_FUNCTIONS[q.path]?.has(q.name)) return this.kindOf(first, f, depth + 1) === 'conn' ? 'conn' : undefined;
      if (READER_MAKERS[q.path]?.has(q.name)) return this.overConn(first, f, depth) ? 'reader' : undefined;
      if (WRITER_MAKERS[q.path]?.has(q.name)) return this.overConn(first, f, depth) ? 'writer' : undefined;
      return undefined;
    }
    if (fn.type === 'selector_expression') {
      const operand = child(fn, 'operand'), field = child(fn, 'field');
      const method = field ? this.t(field) : '';
      const k = this.kindOf(operand, f, depth + 1);
      if (k === 'listener' && (method === 'Accept' || method === 'AcceptTCP')) return 'conn';
      if (k === 'dialer' && DIALER_METHODS.has(method)) return 'conn';
      // A method of a struct of the file declared to return a connection.
      const s = this.structOf(operand, f);
      const m = s ? this.functions.find((g) => g.className === s && g.name === method) : undefined;
      return m?.results[0] ? this.kindOfType(m.results[0]) : undefined;
    }
    if (fn.type === 'identifier') {
      const g = this.byName.get(this.t(fn));
      return g?.results[0] ? this.kindOfType(g.results[0]) : undefined;
    }
    return undefined;
  }

  /** The argument is a connection, or a reader/writer made over one (`bufio.NewReader(conn)`). */
  private overConn(e: SyntaxNode | undefined, f: GoFunction, depth: number): boolean {
    const k = this.kindOf(e, f, depth + 1);
    return k === 'conn' || k === 'reader' || k === 'writer';
  }

  /** Nodes of a body, in order, not descending into nested type declarations. */
  forEachNode(body: SyntaxNode | undefined, visit: (n: SyntaxNode) => void): void {
    if (!body) return;
    const stack = [body];
    while (stack.length) {
      this.budget.tick();
      const n = stack.pop()!;
      visit(n);
      for (let i = n.children.length - 1; i >= 0; i--) if (n.children[i].named) stack.push(n.children[i]);
    }
  }

  private infer(f: GoFunction): void {
    for (const p of f.params) {
      if (!p.type) continue;
      f.declared.set(p.name, p.type);
      const k = this.kindOfType(p.type);
      if (k) f.kinds.set(p.name, k);
      const s = this.typeName(p.type);
      if (s && this.structs.has(s)) f.structs.set(p.name, s);
    }
    // Names bound anywhere in the body (shadowing a package name, or the locals the IR declares).
    this.forEachNode(f.body, (n) => {
      if (n.type === 'short_var_declaration' || n.type === 'range_clause') {
        const left = child(n, 'left');
        for (const id of left ? namedChildren(left) : []) if (id.type === 'identifier') f.locals.add(this.t(id));
      } else if (n.type === 'var_spec' || n.type === 'const_spec') {
        const type = child(n, 'type');
        for (const id of childrenOf(n, 'name')) { f.locals.add(this.t(id)); if (type) f.declared.set(this.t(id), type); }
      } else if (n.type === 'func_literal') {
        for (const p of this.paramList(child(n, 'parameters'))) {
          f.locals.add(p.name);
          const k = p.type ? this.kindOfType(p.type) : undefined;
          if (k) f.kinds.set(p.name, k);
        }
      }
    });
    f.locals.delete('_');
    // Kinds flow through assignments in order; a few rounds settle chains written out of order.
    for (let round = 0; round < 3; round++) {
      let changed = false;
      const bind = (target: SyntaxNode, value: SyntaxNode | undefined) => {
        if (target.type !== 'identifier') return;
        const name = this.t(target);
        if (name === '_') return;
        const k = value ? this.kindOf(value, f) : undefined;
        if (k && f.kinds.get(name) !== k) { f.kinds.set(name, k); changed = true; }
        const s = value ? this.structOf(value, f) : undefined;
        if (s && !f.structs.has(name)) { f.structs.set(name, s); changed = true; }
      };
      this.forEachNode(f.body, (n) => {
        if (n.type === 'short_var_declaration' || n.type === 'assignment_statement') {
          const left = child(n, 'left'), right = child(n, 'right');
          const ls = left ? namedChildren(left) : [], rs = right ? namedChildren(right) : [];
          if (ls.length === rs.length) ls.forEach((l, i) => bind(l, rs[i]));
          else if (rs.length === 1 && ls[0]) bind(ls[0], rs[0]);
        } else if (n.type === 'range_clause') {
          // `for c := range s.clients` over a map keyed by connections, `for _, c := range conns`.
          const left = child(n, 'left');
          const vars = left ? namedChildren(left) : [];
          const r = this.rangeKinds(child(n, 'right'), f);
          [r.first, r.second].forEach((k, i) => {
            const v = vars[i];
            if (!k || v?.type !== 'identifier' || this.t(v) === '_' || f.kinds.get(this.t(v)) === k) return;
            f.kinds.set(this.t(v), k);
            changed = true;
          });
        } else if (n.type === 'var_spec') {
          const type = child(n, 'type');
          const values = childrenOf(n, 'value').flatMap((v) => (v.type === 'expression_list' ? namedChildren(v) : [v]));
          const names = childrenOf(n, 'name');
          names.forEach((nm, i) => {
            const k = type ? this.kindOfType(type) : undefined;
            if (k) { if (f.kinds.get(this.t(nm)) !== k) { f.kinds.set(this.t(nm), k); changed = true; } return; }
            const s = type ? this.typeName(type) : undefined;
            if (s && this.structs.has(s)) { f.structs.set(this.t(nm), s); return; }
            bind(nm, values.length === names.length ? values[i] : i === 0 ? values[0] : undefined);
          });
        }
      });
      if (!changed) break;
    }
  }
}
