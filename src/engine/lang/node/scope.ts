// Which values of a JavaScript or TypeScript file are Node.js sockets. The lowering decides from what
// the code resolves to, never from a method's name alone: the names bound to the `net` module
// (`require('net')`, `import net from 'node:net'`, `import { connect } from 'net'`), what its
// functions return (`net.connect()`, `net.createConnection()` and `new net.Socket()` make sockets,
// `net.createServer()` a server), the socket a server hands its connection listener, parameters and
// fields declared `net.Socket` (TypeScript), and what flows from those through assignments, fields
// of `this`, method chains (`setNoDelay()` returns the socket) and the arguments of calls to the
// file's own functions. A `.write()` on anything else is not a socket write.
//
// The file's functions are its function declarations, class methods and functions assigned to a
// name (`const onData = (chunk) => {...}`); every other function expression (an event listener, a
// timer's callback) is lowered inside the function that registers it (lower.ts), so its params are
// names of that function.
import type { Budget } from '../../budget';
import { child, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import { CONNECTION_EVENTS, EVENTS_MODULES, FS_MODULES, LISTENER_METHODS, NET_MODULES, SERVER_FACTORIES, SOCKET_FACTORIES, TIMERS_PROMISES_MODULES, type NodeKind } from './api';

export interface NodeFunction {
  name: string;
  qualified: string;
  className?: string;
  /** The function node (undefined for the module's top-level code). */
  node?: SyntaxNode;
  /** The statements of the body (one expression for an arrow function with an expression body). */
  body: SyntaxNode[];
  params: { name: string; span: { start: number; end: number }; type?: SyntaxNode }[];
  isMethod: boolean;
  /** Names the function binds (declarations, params, params of the listeners lowered inside it). */
  locals: Set<string>;
  kinds: Map<string, NodeKind>;
  /** Registered as a socket's 'data' listener (`sock.on('data', onData)`): its first parameter is one chunk. */
  receivesChunks?: boolean;
}

export interface NodeClass {
  name: string;
  fields: Map<string, NodeKind>;
  /** Declared fields (TypeScript `private sock: net.Socket`), with their type node. */
  declared: Map<string, { span: { start: number; end: number }; type?: SyntaxNode }>;
  methods: Map<string, NodeFunction>;
  span: { start: number; end: number };
}

export const FUNCTION_NODES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const DECLARED_FUNCTIONS = new Set(['function_declaration', 'generator_function_declaration']);
/** Socket methods that return the socket itself (so a chain stays on it). */
const RETURNS_THIS = new Set(['connect', 'setNoDelay', 'setKeepAlive', 'setEncoding', 'setTimeout', 'on', 'once', 'addListener',
  'prependListener', 'prependOnceListener', 'pause', 'resume', 'ref', 'unref', 'listen']);

export class NodeScopes {
  readonly functions: NodeFunction[] = [];
  readonly classes = new Map<string, NodeClass>();
  readonly module: NodeFunction;
  /** Module-level names (globals of the file). */
  readonly moduleNames = new Set<string>();
  private readonly byName = new Map<string, NodeFunction>();
  /** The function nodes that are functions of the file (not lowered in place). */
  private readonly ownNodes = new Set<SyntaxNode>();
  /** Local names bound to the `net` module itself. */
  private readonly netModule = new Set<string>();
  /** Locals bound to the fs module, and fs functions imported by name (local -> member). */
  private readonly fsModule = new Set<string>();
  private readonly fsMembers = new Map<string, string>();
  /** Local names bound to one member of `net` (`import { connect as dial } from 'net'` -> dial => connect). */
  private readonly netMembers = new Map<string, string>();
  /** Names bound to `events.once` / the events module, and to timers/promises' setTimeout. */
  private readonly eventsModule = new Set<string>();
  private readonly onceNames = new Set<string>();
  private readonly sleepNames = new Set<string>();
  private readonly timersModule = new Set<string>();

  constructor(root: SyntaxNode, private readonly text: string, private readonly budget: Budget) {
    this.module = this.newFunction('<module>', '<module>', undefined, undefined, [], false);
    this.readImports(root);
    this.collect(namedChildren(root), undefined, '');
    this.module.body = namedChildren(root);
    for (const f of this.functions) this.collectLocals(f);
    this.infer();
  }

  t(n: SyntaxNode): string { return this.text.slice(n.start, n.end); }

  private newFunction(name: string, qualified: string, className: string | undefined, node: SyntaxNode | undefined, body: SyntaxNode[], isMethod: boolean): NodeFunction {
    const f: NodeFunction = { name, qualified, className, node, body, params: [], isMethod, locals: new Set(), kinds: new Map() };
    this.functions.push(f);
    if (node) this.ownNodes.add(node);
    return f;
  }

  // ---- imports ----------------------------------------------------------------------------------

  private moduleOf(n: SyntaxNode | undefined): string | undefined {
    if (!n || n.type !== 'string') return undefined;
    return this.t(n).slice(1, -1);
  }

  /** `require('net')`, possibly awaited `import('net')`. */
  private requiredModule(n: SyntaxNode | undefined): string | undefined {
    const x = n && (n.type === 'await_expression' || n.type === 'parenthesized_expression') ? namedChildren(n)[0] : n;
    if (!x || x.type !== 'call_expression') return undefined;
    const fn = child(x, 'function');
    const args = child(x, 'arguments');
    if (!fn || !args || (this.t(fn) !== 'require' && fn.type !== 'import')) return undefined;
    return this.moduleOf(namedChildren(args)[0]);
  }

  private bindModule(module: string, local: string): void {
    if (NET_MODULES.has(module)) this.netModule.add(local);
    if (EVENTS_MODULES.has(module)) this.eventsModule.add(local);
    if (TIMERS_PROMISES_MODULES.has(module)) this.timersModule.add(local);
    if (FS_MODULES.has(module)) this.fsModule.add(local);
  }

  private bindMember(module: string, member: string, local: string): void {
    if (NET_MODULES.has(module)) this.netMembers.set(local, member);
    if (EVENTS_MODULES.has(module) && member === 'once') this.onceNames.add(local);
    if (TIMERS_PROMISES_MODULES.has(module) && member === 'setTimeout') this.sleepNames.add(local);
    if (EVENTS_MODULES.has(module) && member === 'default') this.eventsModule.add(local);
    if (FS_MODULES.has(module)) { if (member === 'default' || member === 'promises') this.fsModule.add(local); else this.fsMembers.set(local, member); }
  }

  private readImports(root: SyntaxNode): void {
    const visit = (n: SyntaxNode, depth: number) => {
      if (depth > 40) return;
      this.budget.tick();
      if (n.type === 'import_statement') {
        // `import net = require('net')` (TypeScript).
        const req = n.children.find((c) => c.type === 'import_require_clause');
        if (req) {
          const id = namedChildren(req).find((c) => c.type === 'identifier');
          const module = this.moduleOf(namedChildren(req).find((c) => c.type === 'string'));
          if (id && module) this.bindModule(module, this.t(id));
          return;
        }
        const module = this.moduleOf(child(n, 'source'));
        const clause = n.children.find((c) => c.type === 'import_clause');
        if (!module || !clause) return;
        for (const c of namedChildren(clause)) {
          if (c.type === 'identifier') this.bindModule(module, this.t(c)); // default import
          else if (c.type === 'namespace_import') { const id = namedChildren(c).find((x) => x.type === 'identifier'); if (id) this.bindModule(module, this.t(id)); }
          else if (c.type === 'named_imports') {
            for (const s of namedChildren(c)) {
              if (s.type !== 'import_specifier') continue;
              const name = child(s, 'name'), alias = child(s, 'alias');
              if (name) this.bindMember(module, this.t(name), this.t(alias ?? name));
            }
          }
        }
        return;
      }
      if (n.type === 'variable_declarator') {
        const name = child(n, 'name'), value = child(n, 'value');
        const module = this.requiredModule(value);
        if (name && module) {
          if (name.type === 'identifier') this.bindModule(module, this.t(name));
          else if (name.type === 'object_pattern') {
            for (const p of namedChildren(name)) {
              if (p.type === 'shorthand_property_identifier_pattern') this.bindMember(module, this.t(p), this.t(p));
              else if (p.type === 'pair_pattern') {
                const k = child(p, 'key'), v = child(p, 'value');
                if (k && v?.type === 'identifier') this.bindMember(module, this.t(k), this.t(v));
              }
            }
          }
        }
        // `const { connect } = net` (net bound above): a member of the module.
        if (name?.type === 'object_pattern' && value?.type === 'identifier' && this.netModule.has(this.t(value))) {
          for (const p of namedChildren(name)) if (p.type === 'shorthand_property_identifier_pattern') this.netMembers.set(this.t(p), this.t(p));
        }
      }
      for (const c of n.children) if (c.named) visit(c, depth + 1);
    };
    visit(root, 0);
  }

  /** The member of `net` a callee or constructor names: `net.connect` -> connect, `dial` (imported as connect) -> connect. */
  netMember(n: SyntaxNode | undefined): string | undefined {
    if (!n) return undefined;
    if (n.type === 'identifier') return this.netMembers.get(this.t(n));
    if (n.type === 'member_expression') {
      const obj = child(n, 'object'), prop = child(n, 'property');
      if (obj?.type === 'identifier' && prop && this.netModule.has(this.t(obj))) return this.t(prop);
    }
    return undefined;
  }

  /** The fs function a callee names: `fs.readFile`, `fsp.writeFile`, `readFileSync` (imported by name) -> `fs.<name>`. */
  fsFunction(n: SyntaxNode | undefined): string | undefined {
    if (!n) return undefined;
    if (n.type === 'identifier') { const m = this.fsMembers.get(this.t(n)); return m ? `fs.${m}` : undefined; }
    if (n.type === 'member_expression') {
      const obj = child(n, 'object'), prop = child(n, 'property');
      if (obj?.type === 'identifier' && prop && this.fsModule.has(this.t(obj))) return `fs.${this.t(prop)}`;
    }
    return undefined;
  }

  /** `once(emitter, 'drain')` from events (also `events.once`, `EventEmitter.once`). */
  isEventsOnce(fn: SyntaxNode): boolean {
    if (fn.type === 'identifier') return this.onceNames.has(this.t(fn));
    if (fn.type === 'member_expression') {
      const obj = child(fn, 'object'), prop = child(fn, 'property');
      return !!obj && !!prop && this.t(prop) === 'once' && obj.type === 'identifier' && this.eventsModule.has(this.t(obj));
    }
    return false;
  }

  /** `setTimeout(ms)` from timers/promises (`await sleep(100)`). */
  isPromiseSleep(fn: SyntaxNode): boolean {
    if (fn.type === 'identifier') return this.sleepNames.has(this.t(fn));
    if (fn.type === 'member_expression') {
      const obj = child(fn, 'object'), prop = child(fn, 'property');
      return !!obj && !!prop && this.t(prop) === 'setTimeout' && obj.type === 'identifier' && this.timersModule.has(this.t(obj));
    }
    return false;
  }

  /** A TypeScript type that names net.Socket or net.Server (also `Socket | null`). */
  typeKind(type: SyntaxNode | undefined, depth = 0): NodeKind | undefined {
    if (!type || depth > 6) return undefined;
    switch (type.type) {
      case 'type_annotation': case 'parenthesized_type': return this.typeKind(namedChildren(type)[0], depth + 1);
      case 'union_type': {
        const kinds = namedChildren(type).map((c) => (c.type === 'literal_type' || c.type === 'predefined_type' ? null : this.typeKind(c, depth + 1)));
        const real = kinds.filter((k) => k !== null);
        return real.length > 0 && real.every((k) => k && k === real[0]) ? real[0]! : undefined;
      }
      case 'nested_type_identifier': {
        const mod = child(type, 'module'), name = child(type, 'name');
        if (mod && name && this.netModule.has(this.t(mod))) return this.classKind(this.t(name));
        return undefined;
      }
      case 'type_identifier': {
        const member = this.netMembers.get(this.t(type));
        return member ? this.classKind(member) : undefined;
      }
      default: return undefined;
    }
  }

  private classKind(name: string): NodeKind | undefined {
    return name === 'Socket' || name === 'TLSSocket' ? 'socket' : name === 'Server' ? 'server' : undefined;
  }

  // ---- functions and classes ----------------------------------------------------------------------

  private paramsOf(f: NodeFunction, fnNode: SyntaxNode): void {
    for (const p of paramNodes(fnNode)) {
      const id = paramIdentifier(p);
      if (!id) continue;
      f.params.push({ name: this.t(id), span: { start: id.start, end: id.end }, type: child(p, 'type') });
    }
  }

  private functionBody(fnNode: SyntaxNode): SyntaxNode[] {
    const body = child(fnNode, 'body');
    if (!body) return [];
    return body.type === 'statement_block' ? namedChildren(body) : [body];
  }

  /** Functions and classes at any depth (not inside the function expressions lowered in place: those are collected too). */
  private collect(nodes: SyntaxNode[], cls: NodeClass | undefined, prefix: string): void {
    const stack = [...nodes].reverse();
    while (stack.length) {
      this.budget.tick();
      const n = stack.pop()!;
      if (DECLARED_FUNCTIONS.has(n.type)) {
        const nameNode = child(n, 'name');
        if (nameNode) {
          const name = this.t(nameNode);
          const f = this.newFunction(name, prefix + name, undefined, n, this.functionBody(n), false);
          this.paramsOf(f, n);
          this.byName.set(name, f);
        }
      } else if (n.type === 'variable_declarator') {
        const nameNode = child(n, 'name'), value = child(n, 'value');
        if (nameNode?.type === 'identifier' && value && FUNCTION_NODES.has(value.type)) {
          const name = this.t(nameNode);
          const f = this.newFunction(name, prefix + name, undefined, value, this.functionBody(value), false);
          this.paramsOf(f, value);
          this.byName.set(name, f);
          for (const c of namedChildren(value)) stack.push(c);
          continue;
        }
      } else if (n.type === 'class_declaration' || n.type === 'class' || n.type === 'abstract_class_declaration') {
        const nameNode = child(n, 'name');
        const body = child(n, 'body');
        if (nameNode && body) {
          const c: NodeClass = { name: this.t(nameNode), fields: new Map(), declared: new Map(), methods: new Map(), span: { start: n.start, end: n.end } };
          this.classes.set(c.name, c);
          for (const m of namedChildren(body)) {
            if (m.type === 'method_definition') {
              const mn = child(m, 'name');
              if (!mn) continue;
              const name = this.t(mn);
              const f = this.newFunction(name, `${c.name}.${name}`, c.name, m, this.functionBody(m), true);
              this.paramsOf(f, m);
              c.methods.set(name, f);
              // TypeScript parameter properties: `constructor(private sock: net.Socket)`.
              if (name === 'constructor') {
                for (const p of paramNodes(m)) {
                  if (!p.children.some((x) => x.type === 'accessibility_modifier' || x.type === 'readonly')) continue;
                  const id = paramIdentifier(p);
                  if (id) c.declared.set(this.t(id), { span: { start: id.start, end: id.end }, type: child(p, 'type') });
                }
              }
              for (const x of this.functionBody(m)) stack.push(x);
            } else if (m.type === 'public_field_definition' || m.type === 'field_definition') {
              const fn = child(m, 'name') ?? child(m, 'property');
              if (fn) c.declared.set(this.t(fn), { span: { start: m.start, end: m.end }, type: child(m, 'type') });
            }
          }
          continue;
        }
      }
      for (let i = n.children.length - 1; i >= 0; i--) if (n.children[i].named) stack.push(n.children[i]);
    }
  }

  /** Statements and expressions of a function, descending into the function expressions lowered in it, not into the file's other functions. */
  forEachNode(f: NodeFunction, visit: (n: SyntaxNode) => void): void {
    const stack = [...f.body].reverse();
    while (stack.length) {
      this.budget.tick();
      const n = stack.pop()!;
      if (this.isOwnFunction(n) || n.type === 'class_declaration' || n.type === 'class' || n.type === 'abstract_class_declaration') continue;
      visit(n);
      for (let i = n.children.length - 1; i >= 0; i--) if (n.children[i].named) stack.push(n.children[i]);
    }
  }

  /** A function node that is a function of the file (not lowered in place). */
  isOwnFunction(n: SyntaxNode): boolean {
    return DECLARED_FUNCTIONS.has(n.type) || n.type === 'method_definition' || this.ownNodes.has(n);
  }

  private collectLocals(f: NodeFunction): void {
    for (const p of f.params) f.locals.add(p.name);
    const addPattern = (p: SyntaxNode | undefined) => {
      if (!p) return;
      if (p.type === 'identifier' || p.type === 'shorthand_property_identifier_pattern') f.locals.add(this.t(p));
      else for (const c of namedChildren(p)) addPattern(c.type === 'pair_pattern' ? child(c, 'value') : c);
    };
    this.forEachNode(f, (n) => {
      if (n.type === 'variable_declarator') addPattern(child(n, 'name'));
      else if (n.type === 'for_in_statement') addPattern(child(n, 'left'));
      else if (FUNCTION_NODES.has(n.type)) for (const p of paramNodes(n)) { const id = paramIdentifier(p); if (id) f.locals.add(this.t(id)); }
      else if (n.type === 'catch_clause') addPattern(child(n, 'parameter'));
    });
    if (!f.node) {
      // The names the module's own statements declare are the file's globals: functions see them
      // too. (Names declared inside the listeners lowered into the module's code are its locals.)
      for (const s of f.body) {
        const decl = s.type === 'export_statement' ? namedChildren(s).find((c) => c.type === 'lexical_declaration' || c.type === 'variable_declaration') : s;
        if (decl?.type !== 'lexical_declaration' && decl?.type !== 'variable_declaration') continue;
        for (const d of namedChildren(decl)) {
          const name = d.type === 'variable_declarator' ? child(d, 'name') : undefined;
          if (name?.type === 'identifier') this.moduleNames.add(this.t(name));
        }
      }
    }
  }

  // ---- kinds --------------------------------------------------------------------------------------

  /** The kind of value an expression evaluates to in `f`. */
  kindOf(e: SyntaxNode | undefined, f: NodeFunction, depth = 0): NodeKind | undefined {
    if (!e || depth > 12) return undefined;
    switch (e.type) {
      case 'parenthesized_expression': case 'await_expression': case 'as_expression': case 'non_null_expression':
      case 'satisfies_expression': case 'type_assertion':
        return this.kindOf(namedChildren(e).find((c) => !c.type.endsWith('type') && c.type !== 'type_arguments'), f, depth + 1);
      case 'identifier': return this.nameKind(this.t(e), f);
      case 'member_expression': {
        const obj = child(e, 'object'), prop = child(e, 'property');
        if (obj?.type === 'this' && prop && f.className) return this.fieldKind(f.className, this.t(prop));
        return undefined;
      }
      case 'new_expression': {
        const member = this.netMember(child(e, 'constructor'));
        return member ? this.classKind(member) : undefined;
      }
      case 'call_expression': {
        const fn = child(e, 'function');
        const member = this.netMember(fn);
        if (member && SOCKET_FACTORIES.has(member)) return 'socket';
        if (member && SERVER_FACTORIES.has(member)) return 'server';
        if (fn?.type === 'member_expression') {
          const obj = child(fn, 'object'), prop = child(fn, 'property');
          if (prop && RETURNS_THIS.has(this.t(prop))) return this.kindOf(obj, f, depth + 1);
        }
        return undefined;
      }
      default: return undefined;
    }
  }

  nameKind(name: string, f: NodeFunction): NodeKind | undefined {
    if (f.locals.has(name)) return f.kinds.get(name);
    return this.moduleNames.has(name) ? this.module.kinds.get(name) : undefined;
  }

  fieldKind(className: string, field: string): NodeKind | undefined {
    const c = this.classes.get(className);
    if (!c) return undefined;
    return c.fields.get(field) ?? this.typeKind(c.declared.get(field)?.type);
  }

  /** The function of the file a callable expression names: `handle`, `this.onData`, `this.onData.bind(this)`. */
  callable(e: SyntaxNode | undefined, f: NodeFunction): NodeFunction | undefined {
    if (!e) return undefined;
    if (e.type === 'identifier') return f.locals.has(this.t(e)) && !this.byName.get(this.t(e))?.node ? undefined : this.byName.get(this.t(e));
    if (e.type === 'member_expression') {
      const obj = child(e, 'object'), prop = child(e, 'property');
      if (obj?.type === 'this' && prop && f.className) return this.classes.get(f.className)?.methods.get(this.t(prop));
      return undefined;
    }
    if (e.type === 'call_expression') {
      // `this.onData.bind(this)`
      const fn = child(e, 'function');
      if (fn?.type === 'member_expression' && child(fn, 'property') && this.t(child(fn, 'property')!) === 'bind') return this.callable(child(fn, 'object'), f);
    }
    return undefined;
  }

  /** The event a listener call registers for (`sock.on('data', cb)` -> data), when the emitter is a socket or server. */
  listenerEvent(call: SyntaxNode, f: NodeFunction): { emitter: SyntaxNode; kind: NodeKind; event: string; listener?: SyntaxNode } | undefined {
    const fn = child(call, 'function');
    if (fn?.type !== 'member_expression') return undefined;
    const obj = child(fn, 'object'), prop = child(fn, 'property');
    if (!obj || !prop || !LISTENER_METHODS.has(this.t(prop))) return undefined;
    const kind = this.kindOf(obj, f);
    if (!kind) return undefined;
    const args = argumentsOf(call);
    if (args[0]?.type !== 'string') return undefined;
    return { emitter: obj, kind, event: this.t(args[0]).slice(1, -1), listener: args[1] };
  }

  private infer(): void {
    for (let round = 0; round < 6; round++) {
      let changed = false;
      const set = (g: NodeFunction, name: string, k: NodeKind | undefined) => {
        if (!k) return;
        const owner = g.locals.has(name) || !this.moduleNames.has(name) ? g : this.module;
        if (!owner.kinds.has(name)) { owner.kinds.set(name, k); changed = true; }
      };
      const param = (g: NodeFunction | undefined, i: number, k: NodeKind | undefined) => {
        if (g && k && g.params[i]) set(g, g.params[i].name, k);
      };
      const fnParam = (fnNode: SyntaxNode | undefined, f: NodeFunction, i: number, k: NodeKind) => {
        if (!fnNode) return;
        if (FUNCTION_NODES.has(fnNode.type)) {
          const p = paramNodes(fnNode)[i];
          const id = p ? paramIdentifier(p) : undefined;
          if (id) set(f, this.t(id), k);
        } else param(this.callable(fnNode, f), i, k);
      };
      for (const f of this.functions) {
        for (const p of f.params) set(f, p.name, this.typeKind(p.type));
        this.forEachNode(f, (n) => {
          if (n.type === 'variable_declarator') {
            const name = child(n, 'name'), value = child(n, 'value');
            if (name?.type === 'identifier') set(f, this.t(name), this.typeKind(child(n, 'type')) ?? this.kindOf(value, f));
          } else if (n.type === 'assignment_expression') {
            const l = child(n, 'left'), r = child(n, 'right');
            const k = this.kindOf(r, f);
            if (l?.type === 'identifier') set(f, this.t(l), k);
            else if (k && l?.type === 'member_expression' && child(l, 'object')?.type === 'this' && f.className) {
              const c = this.classes.get(f.className);
              const field = child(l, 'property');
              if (c && field && !c.fields.has(this.t(field))) { c.fields.set(this.t(field), k); changed = true; }
            }
          } else if (FUNCTION_NODES.has(n.type)) {
            for (const p of paramNodes(n)) { const id = paramIdentifier(p); if (id) set(f, this.t(id), this.typeKind(child(p, 'type'))); }
          } else if (n.type === 'call_expression') {
            const fn = child(n, 'function');
            const args = argumentsOf(n);
            // The connection listener: createServer([options], listener).
            const member = this.netMember(fn);
            if (member && SERVER_FACTORIES.has(member)) fnParam(args.find((a) => FUNCTION_NODES.has(a.type) || a.type === 'identifier' || a.type === 'member_expression' || a.type === 'call_expression'), f, 0, 'socket');
            const ev = this.listenerEvent(n, f);
            if (ev && ev.kind === 'server' && CONNECTION_EVENTS.has(ev.event)) fnParam(ev.listener, f, 0, 'socket');
            if (ev && ev.kind === 'socket' && ev.event === 'data' && ev.listener && !FUNCTION_NODES.has(ev.listener.type)) {
              const target = this.callable(ev.listener, f);
              if (target && !target.receivesChunks) { target.receivesChunks = true; changed = true; }
            }
            // Calls of the file's own functions pass sockets to their parameters.
            const target = this.callable(fn, f);
            if (target) args.forEach((a, i) => param(target, i, this.kindOf(a, f)));
          }
        });
      }
      if (!changed) break;
    }
  }
}

/** The parameter nodes of a function node (an arrow function's lone `x` included). */
export function paramNodes(fnNode: SyntaxNode): SyntaxNode[] {
  const single = child(fnNode, 'parameter');
  if (single) return [single];
  const params = child(fnNode, 'parameters');
  return params ? namedChildren(params).filter((p) => p.type !== 'comment') : [];
}

/** The identifier a parameter binds (`x`, `x: T`, `x = 1`, `private x: T`); undefined for patterns. */
export function paramIdentifier(p: SyntaxNode): SyntaxNode | undefined {
  if (p.type === 'identifier') return p;
  if (p.type === 'required_parameter' || p.type === 'optional_parameter') {
    const pat = child(p, 'pattern');
    return pat?.type === 'identifier' ? pat : undefined;
  }
  if (p.type === 'assignment_pattern') {
    const l = child(p, 'left');
    return l?.type === 'identifier' ? l : undefined;
  }
  return undefined;
}

/** A call's arguments (without comments). */
export function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  const args = child(call, 'arguments');
  return args ? namedChildren(args).filter((a) => a.type !== 'comment') : [];
}
