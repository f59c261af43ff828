// What a call resolves to, and where a socket-valued expression lives.
//
// A call is the socket API only when it resolves to it: `send(...)` in a class that declares its own
// `send` member is that member; `conn->send(...)` is a member or a function pointer; a function of
// the program named like an API function is that function. Places that may hold a socket are keyed
// as "locations": a local, a parameter, a function's return value, a global, a field of a struct
// type (all `conn->fd` share `f:conn.fd`), or the elements of an array or container.
import type { CallExpr, Expr, FunctionIR, TypeRef } from '../ir/ir';
import { stripCasts } from '../ir/walk';
import { C_API, type ApiCall } from '../lang/c/api';
import { PY_API } from '../lang/python/api';
import { CS_API } from '../lang/csharp/api';
import { GO_API } from '../lang/go/api';
import { JAVA_API } from '../lang/java/api';
import { NODE_API } from '../lang/node/api';
import type { Cfg } from './cfg';
import type { FnRef, Program } from './program';
import { elementType, fieldType, resolveType, structNameOf } from './types';

export type Callee =
  | { k: 'api'; name: string; api: ApiCall }
  | { k: 'fn'; name: string; ref: FnRef }
  | { k: 'member'; name: string }
  | { k: 'external'; name: string };

export type LocKey = string;

/** Everything about one function that call resolution and locations need. */
export class FunctionScope {
  readonly fnKey: string;
  private paramIndex = new Map<string, number>();

  constructor(
    readonly program: Program,
    readonly ref: FnRef,
    readonly ir: FunctionIR,
    readonly cfg: Cfg,
  ) {
    this.fnKey = ref.key;
    ir.params.forEach((p, i) => { if (p.name) this.paramIndex.set(p.name, i); });
  }

  get fileIndex(): number { return this.ref.file; }

  /** The source text of an expression (for messages; never for deciding anything). */
  textOf(e: { span: { start: number; end: number } }): string {
    return this.program.files[this.ref.file].text.slice(e.span.start, Math.min(e.span.end, e.span.start + 200));
  }
  get className(): string | undefined { return this.ir.className; }

  localType(name: string): TypeRef | undefined {
    const i = this.paramIndex.get(name);
    if (i !== undefined) return this.ir.params[i].type;
    return this.cfg.localTypes.get(name);
  }

  isParam(name: string): boolean { return this.paramIndex.has(name); }
  paramOf(name: string): number | undefined { return this.paramIndex.get(name); }

  /** The declared type of an expression (variables, fields, elements, dereferences, casts). */
  typeOf(e: Expr, depth = 0): TypeRef | undefined {
    if (depth > 12) return undefined;
    const x = e;
    switch (x.k) {
      case 'name': {
        if (x.name === 'this' && this.className) return { name: this.className, ptr: 1 };
        if (x.qualifier === undefined) {
          const t = this.localType(x.name);
          if (t) return resolveType(this.program, t);
        }
        const g = this.program.global(x.name, this.fileIndex);
        if (g) return resolveType(this.program, g.type);
        // A bare member name inside a method.
        if (this.className && x.qualifier === undefined) {
          const ft = fieldType(this.program, this.className, x.name);
          if (ft) return resolveType(this.program, ft);
        }
        return undefined;
      }
      case 'field': {
        const bt = this.typeOf(x.base, depth + 1);
        const s = structNameOf(this.program, bt);
        if (!s) return undefined;
        const ft = fieldType(this.program, s, x.field);
        return ft ? resolveType(this.program, ft) : undefined;
      }
      case 'index': return elementType(this.typeOf(x.base, depth + 1));
      case 'unary':
        if (x.op === '*') return elementType(this.typeOf(x.arg, depth + 1));
        if (x.op === '&') { const t = this.typeOf(x.arg, depth + 1); return t ? { ...t, ptr: t.ptr + 1 } : undefined; }
        return undefined;
      case 'cast': return resolveType(this.program, x.type);
      case 'call': {
        const c = this.resolve(x);
        return c.k === 'fn' ? resolveType(this.program, c.ref.outline.returnType) : undefined;
      }
      default: return undefined;
    }
  }

  /** What a call reaches (see the file comment). */
  resolve(call: CallExpr): Callee {
    const callee = call.callee;
    // The lowering already knows (Python, C#, Java: a method of a socket object, a module's function).
    if (call.known !== undefined) {
      const api = PY_API[call.known] ?? CS_API[call.known] ?? GO_API[call.known] ?? JAVA_API[call.known] ?? NODE_API[call.known];
      return api ? { k: 'api', name: writtenName(call), api } : { k: 'external', name: call.known };
    }
    if (callee.k === 'name') {
      const name = callee.name;
      if (callee.qualifier !== undefined && callee.qualifier !== '') {
        if (callee.qualifier === 'std' || callee.qualifier.startsWith('std::')) return { k: 'external', name };
        const ref = this.program.resolveQualified(callee.qualifier, name);
        return ref ? { k: 'fn', name, ref } : { k: 'external', name };
      }
      // A function pointer held in a local or parameter is not the API, even if named `send`.
      if (callee.qualifier === undefined && (this.cfg.locals.has(name))) return { k: 'external', name };
      // Inside a method, an unqualified name finds the class's own member first.
      if (callee.qualifier === undefined && this.className && this.program.classHasMember(this.className, name)) {
        const ref = this.program.resolve(name, this.fileIndex, this.className);
        return ref ? { k: 'fn', name, ref } : { k: 'member', name };
      }
      const ref = this.program.resolve(name, this.fileIndex);
      if (ref) return { k: 'fn', name, ref };
      const api = C_API[name];
      if (api) return { k: 'api', name, api };
      return { k: 'external', name };
    }
    if (callee.k === 'field') {
      const name = callee.field;
      const bt = this.typeOf(callee.base);
      const s = structNameOf(this.program, bt);
      if (s) {
        const ref = this.program.resolve(name, this.fileIndex, s);
        if (ref) return { k: 'fn', name, ref };
        return { k: 'member', name };
      }
      // The receiver's class is unknown: a method of that name in exactly one class of the program.
      const all = this.program.allNamed(name).filter((r) => r.outline.className);
      if (all.length === 1) return { k: 'fn', name, ref: all[0] };
      return { k: 'member', name };
    }
    return { k: 'external', name: '?' };
  }

  /** The location an expression names, if it can hold a socket. */
  loc(e: Expr, depth = 0): LocKey | undefined {
    if (depth > 12) return undefined;
    const x = stripCasts(e);
    switch (x.k) {
      case 'name': {
        if (x.name === 'this') return undefined;
        if (x.qualifier === undefined) {
          const pi = this.paramIndex.get(x.name);
          if (pi !== undefined) return `p:${this.fnKey}:${pi}`;
          if (this.cfg.locals.has(x.name)) return `l:${this.fnKey}:${x.name}`;
        }
        const g = this.program.global(x.name, this.fileIndex);
        if (g) return g.isStatic ? `g:${this.fileIndex}:${x.name}` : `g:${x.name}`;
        if (this.className && fieldType(this.program, this.className, x.name)) return `f:${this.ownerOfField(this.className, x.name)}.${x.name}`;
        // An undeclared name in a C++ method is a member of its class (declared in a header we may not have).
        if (this.className) return `f:${this.className}.${x.name}`;
        return `g:${x.name}`;
      }
      case 'field': {
        const bt = this.typeOf(x.base);
        const s = structNameOf(this.program, bt);
        if (x.base.k === 'name' && x.base.name === 'this' && this.className) return `f:${this.ownerOfField(this.className, x.field)}.${x.field}`;
        if (s) return `f:${this.ownerOfField(s, x.field)}.${x.field}`;
        // The struct is not among the analysed files: its type's name still tells `file->fd` from `conn->fd`.
        const named = bt && bt.name && bt.name !== 'auto' && bt.name !== '?' ? this.program.resolveTypeName(bt.name) : '?';
        return `f:${named}.${x.field}`;
      }
      case 'index': {
        const base = this.loc(x.base, depth + 1);
        return base ? `e:${base}` : undefined;
      }
      case 'unary': return x.op === '*' ? this.loc(x.arg, depth + 1) : undefined;
      case 'call': {
        // `std::move(s)`, `sock.get()`: the same socket.
        if (x.callee.k === 'name' && (x.callee.name === 'move' || x.callee.name === 'forward') && x.args[0]) return this.loc(x.args[0], depth + 1);
        // `client->getFd()`, `session->get_sock() = accept(...)`: an accessor is the field it returns.
        // `conn_fd(c)`: a C accessor of one struct parameter names the field too.
        if (x.args.length <= 1) {
          const c = this.resolve(x);
          const field = c.k === 'fn' ? this.program.accessedField(c.ref) : undefined;
          if (field) return `f:${this.ownerOfField(field.className, field.field)}.${field.field}`;
        }
        return undefined;
      }
      default: return undefined;
    }
  }

  /** The class in the chain that declares a field (so `Derived::fd` and `Base::fd` share a key). */
  private ownerOfField(cls: string, field: string): string {
    for (const c of this.program.classChain(cls)) {
      if (this.program.struct(c)?.fields.some((f) => f.name === field)) return c;
    }
    return cls;
  }
}

/** The simple name a call uses, as written. */
export function writtenName(call: CallExpr): string {
  const c = call.callee;
  return c.k === 'name' ? c.name : c.k === 'field' ? c.field : '?';
}
