// Which values of a Python file are sockets. Python has no declared types, so the lowering decides
// from what the code resolves to: an object made by `socket.socket()` / `socket.create_connection()`
// (or wrapped by ssl), the first item `accept()` returns, a socketserver handler's `self.request`, a
// parameter annotated `socket.socket`, the streams `asyncio.open_connection()` returns or
// `asyncio.start_server()` hands its callback, and what flows from those through assignments,
// attributes of `self`, and the arguments of calls to the file's own functions (directly, as a
// thread's target, or as a selectors callback). A `.send()` on anything else is not a socket send.
import type { Budget } from '../../budget';
import { child, childrenOf, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import type { PythonNames } from './names';

export type ValueKind = 'socket' | 'stream';

export interface PyFunction {
  key: string;
  name: string;
  qualified: string;
  className?: string;
  /** The def node (undefined for the module's top-level code). */
  node?: SyntaxNode;
  /** The statements of the body. */
  body: SyntaxNode[];
  /** Parameters without `self`/`cls` for methods. */
  params: { name: string; span: { start: number; end: number }; annotation?: SyntaxNode }[];
  isMethod: boolean;
  /** The function this one is defined in (a closure sees its names). */
  outer?: PyFunction;
  /** Names assigned in the body (locals), and their kinds when they hold sockets. */
  locals: Set<string>;
  kinds: Map<string, ValueKind>;
  /** Names declared `global` / `nonlocal`. */
  globals: Set<string>;
  /** asyncio.Protocol.data_received: its data parameter is one chunk of the stream. */
  receivesChunks?: boolean;
}

export interface PyClass {
  name: string;
  bases: SyntaxNode[];
  methods: Map<string, PyFunction>;
  attrs: Map<string, ValueKind>;
  span: { start: number; end: number };
}

const SOCKET_FACTORIES = new Set(['socket.socket', 'socket.create_connection', 'socket.create_server', 'socket.fromfd', 'ssl.wrap_socket']);
const HANDLER_BASES = new Set(['socketserver.BaseRequestHandler', 'socketserver.StreamRequestHandler', 'SocketServer.BaseRequestHandler', 'SocketServer.StreamRequestHandler']);
const PROTOCOL_BASES = new Set(['asyncio.Protocol', 'asyncio.BufferedProtocol', 'asyncio.protocols.Protocol']);
const THREAD_STARTERS = new Set(['threading.Thread', '_thread.start_new_thread', 'thread.start_new_thread']);

export class PythonScopes {
  readonly functions: PyFunction[] = [];
  readonly classes = new Map<string, PyClass>();
  readonly module: PyFunction;
  private readonly byName = new Map<string, PyFunction>();

  constructor(private readonly root: SyntaxNode, private readonly text: string, readonly names: PythonNames, private readonly budget: Budget) {
    this.module = this.newFunction('<module>', '<module>', undefined, undefined, [], false, undefined);
    this.collect(root.children, this.module, undefined);
    this.module.body = root.children.filter((c) => c.named && c.type !== 'function_definition' && c.type !== 'class_definition' && c.type !== 'decorated_definition');
    for (const f of this.functions) this.collectLocals(f);
    this.infer();
  }

  text_(n: SyntaxNode): string { return this.text.slice(n.start, n.end); }

  private newFunction(name: string, qualified: string, className: string | undefined, node: SyntaxNode | undefined, body: SyntaxNode[], isMethod: boolean, outer: PyFunction | undefined): PyFunction {
    const f: PyFunction = { key: `${this.functions.length}`, name, qualified, className, node, body, params: [], isMethod, outer, locals: new Set(), kinds: new Map(), globals: new Set() };
    this.functions.push(f);
    return f;
  }

  /** Functions and classes, at any depth (a def inside a def is a function of its own). */
  private collect(nodes: SyntaxNode[], outer: PyFunction, cls: PyClass | undefined): void {
    for (const raw of nodes) {
      this.budget.tick();
      const n = raw.type === 'decorated_definition' ? child(raw, 'definition') ?? raw : raw;
      if (n.type === 'function_definition') {
        const nameNode = child(n, 'name');
        const body = child(n, 'body');
        if (!nameNode) continue;
        const name = this.text_(nameNode);
        const staticMethod = raw.type === 'decorated_definition' && raw.children.some((d) => d.type === 'decorator' && this.text_(d).includes('staticmethod'));
        const isMethod = !!cls && !staticMethod;
        const f = this.newFunction(name, cls ? `${cls.name}.${name}` : outer.node ? `${outer.qualified}.${name}` : name, cls?.name, n, body ? namedChildren(body) : [], isMethod, outer.node ? outer : undefined);
        const params = child(n, 'parameters');
        const list = params ? namedChildren(params) : [];
        list.forEach((p, i) => {
          if (isMethod && i === 0) return;
          const id = p.type === 'identifier' ? p : child(p, 'name') ?? namedChildren(p).find((c) => c.type === 'identifier');
          if (!id || id.type !== 'identifier') return;
          f.params.push({ name: this.text_(id), span: { start: id.start, end: id.end }, annotation: child(p, 'type') });
        });
        if (cls) cls.methods.set(name, f);
        else if (!outer.node) this.byName.set(name, f);
        this.collect(f.body, f, undefined);
        continue;
      }
      if (n.type === 'class_definition') {
        const nameNode = child(n, 'name');
        const body = child(n, 'body');
        if (!nameNode || !body) continue;
        const supers = child(n, 'superclasses');
        const c: PyClass = { name: this.text_(nameNode), bases: supers ? namedChildren(supers).filter((b) => b.type !== 'keyword_argument') : [], methods: new Map(), attrs: new Map(), span: { start: n.start, end: n.end } };
        this.classes.set(c.name, c);
        this.collect(namedChildren(body), outer, c);
        continue;
      }
      // Defs inside if/try at module level (`if sys.platform == ...: def f(): ...`).
      if (!cls && (n.type === 'if_statement' || n.type === 'try_statement' || n.type === 'else_clause' || n.type === 'elif_clause' || n.type === 'block' || n.type === 'except_clause' || n.type === 'finally_clause')) {
        this.collect(n.children.filter((c) => c.named), outer, undefined);
      }
    }
  }

  /** The classes a class derives from, in this file, and the library bases at the end of the chain. */
  private libraryBases(c: PyClass, depth = 0): string[] {
    if (depth > 8) return [];
    const out: string[] = [];
    for (const b of c.bases) {
      const lib = this.names.resolve(b, this.text);
      if (lib) out.push(lib);
      else if (b.type === 'identifier' && this.classes.has(this.text_(b))) out.push(...this.libraryBases(this.classes.get(this.text_(b))!, depth + 1));
    }
    return out;
  }

  isRequestHandler(className: string | undefined): boolean {
    const c = className ? this.classes.get(className) : undefined;
    return !!c && this.libraryBases(c).some((b) => HANDLER_BASES.has(b));
  }

  isProtocol(className: string | undefined): boolean {
    const c = className ? this.classes.get(className) : undefined;
    return !!c && this.libraryBases(c).some((b) => PROTOCOL_BASES.has(b));
  }

  /** The attribute's kind in a class or the classes of this file it derives from. */
  attrKind(className: string | undefined, attr: string, depth = 0): ValueKind | undefined {
    const c = className ? this.classes.get(className) : undefined;
    if (!c || depth > 8) return undefined;
    const k = c.attrs.get(attr);
    if (k) return k;
    if (attr === 'request' && this.isRequestHandler(className)) return 'socket';
    for (const b of c.bases) if (b.type === 'identifier') { const r = this.attrKind(this.text_(b), attr, depth + 1); if (r) return r; }
    return undefined;
  }

  method(className: string | undefined, name: string, depth = 0): PyFunction | undefined {
    const c = className ? this.classes.get(className) : undefined;
    if (!c || depth > 8) return undefined;
    const m = c.methods.get(name);
    if (m) return m;
    for (const b of c.bases) if (b.type === 'identifier') { const r = this.method(this.text_(b), name, depth + 1); if (r) return r; }
    return undefined;
  }

  /** Statements of a body, not descending into nested defs and classes. */
  forEachNode(body: SyntaxNode[], visit: (n: SyntaxNode) => void): void {
    const stack = [...body].reverse();
    while (stack.length) {
      this.budget.tick();
      const n = stack.pop()!;
      if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'decorated_definition' || n.type === 'lambda') continue;
      visit(n);
      for (let i = n.children.length - 1; i >= 0; i--) if (n.children[i].named) stack.push(n.children[i]);
    }
  }

  private collectLocals(f: PyFunction): void {
    const addTarget = (t: SyntaxNode | undefined) => {
      if (!t) return;
      if (t.type === 'identifier') f.locals.add(this.text_(t));
      else if (t.type === 'pattern_list' || t.type === 'tuple_pattern' || t.type === 'list_pattern' || t.type === 'tuple' || t.type === 'as_pattern_target' || t.type === 'parenthesized_expression') for (const c of namedChildren(t)) addTarget(c);
    };
    for (const p of f.params) f.locals.add(p.name);
    this.forEachNode(f.body, (n) => {
      if (n.type === 'assignment' || n.type === 'augmented_assignment') addTarget(child(n, 'left'));
      else if (n.type === 'named_expression') addTarget(child(n, 'name'));
      else if (n.type === 'for_statement') addTarget(child(n, 'left'));
      else if (n.type === 'as_pattern') addTarget(child(n, 'alias'));
      else if (n.type === 'global_statement' || n.type === 'nonlocal_statement') for (const c of namedChildren(n)) f.globals.add(this.text_(c));
    });
    for (const g of f.globals) f.locals.delete(g);
  }

  /** The kind of value an expression evaluates to in `f`. */
  kindOf(e: SyntaxNode | undefined, f: PyFunction, depth = 0): ValueKind | undefined {
    if (!e || depth > 10) return undefined;
    switch (e.type) {
      case 'parenthesized_expression': case 'await': return this.kindOf(namedChildren(e)[0], f, depth + 1);
      case 'identifier': return this.nameKind(this.text_(e), f);
      case 'attribute': {
        const obj = child(e, 'object'), attr = child(e, 'attribute');
        if (obj && attr && obj.type === 'identifier' && this.text_(obj) === 'self' && f.isMethod) return this.attrKind(f.className, this.text_(attr));
        return undefined;
      }
      case 'subscript': {
        // `s.accept()[0]`
        const v = child(e, 'value');
        const idx = child(e, 'subscript');
        if (v && idx && this.text_(idx) === '0' && this.acceptOf(v, f)) return 'socket';
        return undefined;
      }
      case 'call': {
        const fn = child(e, 'function');
        if (!fn) return undefined;
        const lib = this.names.resolve(fn, this.text);
        if (lib && SOCKET_FACTORIES.has(lib)) return 'socket';
        if (fn.type === 'attribute') {
          const obj = child(fn, 'object'), attr = child(fn, 'attribute');
          const method = attr ? this.text_(attr) : '';
          const args = child(e, 'arguments');
          const first = args ? namedChildren(args)[0] : undefined;
          // `ctx.wrap_socket(sock, ...)`: the same connection, now with TLS.
          if (method === 'wrap_socket' && first && this.kindOf(first, f, depth + 1) === 'socket') return 'socket';
          if (method === 'dup' && this.kindOf(obj, f, depth + 1) === 'socket') return 'socket';
        }
        return undefined;
      }
      default: return undefined;
    }
  }

  nameKind(name: string, f: PyFunction): ValueKind | undefined {
    for (let s: PyFunction | undefined = f; s; s = s.outer) {
      if (s.locals.has(name) || s.params.some((p) => p.name === name)) return s.kinds.get(name);
    }
    return this.module.kinds.get(name);
  }

  /** `s.accept()` on a socket (possibly awaited). */
  acceptOf(e: SyntaxNode, f: PyFunction): boolean {
    const x = e.type === 'await' || e.type === 'parenthesized_expression' ? namedChildren(e)[0] : e;
    if (!x || x.type !== 'call') return false;
    const fn = child(x, 'function');
    if (fn?.type !== 'attribute') return false;
    const attr = child(fn, 'attribute');
    if (attr && this.text_(attr) === 'sock_accept') {
      // `await loop.sock_accept(s)`: asyncio's accept, on a listening socket.
      const args = child(x, 'arguments');
      return this.kindOf(args ? namedChildren(args)[0] : undefined, f) === 'socket';
    }
    return !!attr && this.text_(attr) === 'accept' && this.kindOf(child(fn, 'object'), f) === 'socket';
  }

  /** `asyncio.open_connection(...)` (possibly awaited). */
  opensStreams(e: SyntaxNode): boolean {
    const x = e.type === 'await' ? namedChildren(e)[0] : e;
    if (!x || x.type !== 'call') return false;
    const fn = child(x, 'function');
    const lib = fn ? this.names.resolve(fn, this.text) : undefined;
    return lib === 'asyncio.open_connection';
  }

  /** The function a callable expression names: `handle`, `self.handle`. */
  callable(e: SyntaxNode | undefined, f: PyFunction): PyFunction | undefined {
    if (!e) return undefined;
    if (e.type === 'identifier') {
      const name = this.text_(e);
      // `Handler(conn, addr)`: a class of the file is called through its __init__.
      return this.byName.get(name) ?? (this.classes.has(name) && !this.nameKind(name, f) ? this.method(name, '__init__') : undefined);
    }
    if (e.type === 'attribute') {
      const obj = child(e, 'object'), attr = child(e, 'attribute');
      if (!obj || !attr) return undefined;
      if (obj.type === 'identifier' && this.text_(obj) === 'self' && f.isMethod) return this.method(f.className, this.text_(attr));
      // `Action().get(...)`: a method of the class just made.
      if (obj.type === 'call') {
        const made = child(obj, 'function');
        if (made?.type === 'identifier' && this.classes.has(this.text_(made))) return this.method(this.text_(made), this.text_(attr));
      }
      // `a.lsdir(conn)` on an object of a class of the file: the method of that name, when exactly
      // one class of the file has one (as the analysis resolves such calls). Not on a module, a
      // socket or a stream, and not through the class itself (its first argument would be self).
      if (this.names.resolve(e, this.text) || this.kindOf(obj, f)) return undefined;
      if (obj.type === 'identifier' && this.classes.has(this.text_(obj)) && !f.locals.has(this.text_(obj)) && !f.params.some((p) => p.name === this.text_(obj))) return undefined;
      const name = this.text_(attr);
      const owners = [...this.classes.values()].filter((c) => c.methods.has(name));
      return owners.length === 1 ? owners[0].methods.get(name) : undefined;
    }
    return undefined;
  }

  private infer(): void {
    for (let round = 0; round < 8; round++) {
      let changed = false;
      const set = (map: Map<string, ValueKind>, name: string, k: ValueKind | undefined) => {
        if (k && map.get(name) !== k && !map.has(name)) { map.set(name, k); changed = true; }
      };
      const param = (g: PyFunction | undefined, i: number, k: ValueKind | undefined) => {
        if (!g || !k || i < 0 || i >= g.params.length) return;
        set(g.kinds, g.params[i].name, k);
      };
      for (const f of this.functions) {
        // Parameters: an annotation, a socketserver handler's request, asyncio's callbacks.
        for (const p of f.params) {
          // `sock: socket.socket`, also `socket.socket | ssl.SSLSocket`, `Optional[socket.socket]`.
          const libs = p.annotation ? this.annotationTypes(namedChildren(p.annotation)[0] ?? p.annotation) : [];
          if (libs.length > 0 && libs.every((l) => l === 'socket.socket' || l === 'ssl.SSLSocket')) set(f.kinds, p.name, 'socket');
          if (libs.length > 0 && libs.every((l) => l === 'asyncio.StreamWriter' || l === 'asyncio.StreamReader')) set(f.kinds, p.name, 'stream');
        }
        if (f.isMethod && f.name === 'data_received' && this.isProtocol(f.className)) f.receivesChunks = true;
        const assign = (target: SyntaxNode | undefined, value: SyntaxNode | undefined) => {
          if (!target || !value) return;
          if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'tuple' || target.type === 'list_pattern') {
            const items = namedChildren(target);
            if (this.acceptOf(value, f) && items[0]?.type === 'identifier') set(f.kinds, this.text_(items[0]), 'socket');
            if (this.acceptOf(value, f) && items[0]?.type === 'attribute') this.setAttr(items[0], f, 'socket', () => { changed = true; });
            if (this.opensStreams(value)) for (const it of items) if (it.type === 'identifier') set(f.kinds, this.text_(it), 'stream');
            const values = value.type === 'expression_list' || value.type === 'tuple' ? namedChildren(value) : undefined;
            if (values && values.length === items.length) items.forEach((it, i) => assign(it, values[i]));
            return;
          }
          const k = this.kindOf(value, f);
          if (!k) return;
          if (target.type === 'identifier') set(f.kinds, this.text_(target), k);
          else if (target.type === 'attribute') this.setAttr(target, f, k, () => { changed = true; });
        };
        this.forEachNode(f.body, (n) => {
          if (n.type === 'assignment') assign(child(n, 'left'), child(n, 'right'));
          else if (n.type === 'named_expression') assign(child(n, 'name'), child(n, 'value'));
          else if (n.type === 'with_item') {
            const v = child(n, 'value');
            if (v?.type === 'as_pattern') {
              const alias = child(v, 'alias');
              assign(alias ? namedChildren(alias)[0] : undefined, namedChildren(v)[0]);
            }
          } else if (n.type === 'call') {
            const fn = child(n, 'function');
            const argList = child(n, 'arguments');
            const args = argList ? namedChildren(argList) : [];
            const positional = args.filter((a) => a.type !== 'keyword_argument' && a.type !== 'list_splat' && a.type !== 'dictionary_splat');
            const kw = (name: string) => { const a = args.find((x) => x.type === 'keyword_argument' && child(x, 'name') && this.text_(child(x, 'name')!) === name); return a ? child(a, 'value') : undefined; };
            const target = this.callable(fn, f);
            if (target) positional.forEach((a, i) => param(target, i, this.kindOf(a, f)));
            const lib = fn ? this.names.resolve(fn, this.text) : undefined;
            const tupleItems = (t: SyntaxNode | undefined) => (t && (t.type === 'tuple' || t.type === 'list') ? namedChildren(t) : []);
            if (lib && THREAD_STARTERS.has(lib)) {
              const tf = lib === 'threading.Thread' ? this.callable(kw('target'), f) : this.callable(positional[0], f);
              const targs = lib === 'threading.Thread' ? tupleItems(kw('args')) : tupleItems(positional[1]);
              targs.forEach((a, i) => param(tf, i, this.kindOf(a, f)));
            }
            const method = fn?.type === 'attribute' && child(fn, 'attribute') ? this.text_(child(fn, 'attribute')!) : '';
            if (method === 'submit' && positional.length > 0) positional.slice(1).forEach((a, i) => param(this.callable(positional[0], f), i, this.kindOf(a, f)));
            if (lib === 'asyncio.start_server') { const cb = this.callable(positional[0] ?? kw('client_connected_cb'), f); param(cb, 0, 'stream'); param(cb, 1, 'stream'); }
            if (method === 'register' && positional.length >= 1 && this.kindOf(positional[0], f) === 'socket') {
              param(this.callable(positional[2] ?? kw('data'), f), 0, 'socket');
            }
          }
        });
      }
      if (!changed) break;
    }
  }

  /** The library types an annotation names: each side of `A | B`, the inside of `Optional[A]` and `Union[A, B]`; `None` adds nothing; anything unresolved is '?'. */
  private annotationTypes(n: SyntaxNode, depth = 0): string[] {
    if (depth > 6) return ['?'];
    if (n.type === 'none') return [];
    if (n.type === 'binary_operator' && child(n, 'operator')?.type === '|') {
      const l = child(n, 'left'), r = child(n, 'right');
      return [...(l ? this.annotationTypes(l, depth + 1) : ['?']), ...(r ? this.annotationTypes(r, depth + 1) : ['?'])];
    }
    if (n.type === 'subscript' || n.type === 'generic_type') {
      const base = child(n, 'value') ?? namedChildren(n)[0];
      const lib = base ? this.names.resolve(base, this.text) ?? this.text_(base) : '';
      if (lib === 'typing.Optional' || lib === 'typing.Union' || lib === 'Optional' || lib === 'Union') {
        const inner = n.type === 'subscript' ? childrenOf(n, 'subscript') : namedChildren(namedChildren(n).find((c) => c.type === 'type_parameter') ?? n).slice(0);
        return inner.flatMap((c) => this.annotationTypes(c.type === 'type' ? namedChildren(c)[0] ?? c : c, depth + 1));
      }
    }
    if (n.type === 'type') { const c = namedChildren(n)[0]; return c ? this.annotationTypes(c, depth + 1) : ['?']; }
    return [this.names.resolve(n, this.text) ?? '?'];
  }

  private setAttr(target: SyntaxNode, f: PyFunction, k: ValueKind, changed: () => void): void {
    const obj = child(target, 'object'), attr = child(target, 'attribute');
    if (!obj || !attr || obj.type !== 'identifier' || this.text_(obj) !== 'self' || !f.isMethod || !f.className) return;
    const c = this.classes.get(f.className);
    if (c && !c.attrs.has(this.text_(attr))) { c.attrs.set(this.text_(attr), k); changed(); }
  }
}

export { childrenOf };
