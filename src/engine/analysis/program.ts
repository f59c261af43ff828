// The program: every file analysed together (one file for `lint()`, all files of a CLI run, or an
// editor's workspace), with the indexes analysis needs: functions by name and by class, structs,
// typedefs, globals, enum constants and macros across files.
import type { Budget } from '../budget';
import { forEachStmt, stripCasts } from '../ir/walk';
import type { EnumConstant, Expr, FileIR, FunctionIR, FunctionOutline, GlobalDecl, MacroDef, StructDecl, TypeRef } from '../ir/ir';

/** A function of the program: file index and index in that file's outline. */
export interface FnRef {
  /** Unique within the program: `<file>#<index>`. */
  key: string;
  file: number;
  index: number;
  outline: FunctionOutline;
}

export class Program {
  readonly functions: FnRef[] = [];
  private byName = new Map<string, FnRef[]>();
  private byQualified = new Map<string, FnRef[]>();
  private structs = new Map<string, StructDecl>();
  private typedefs = new Map<string, TypeRef>();
  private globals = new Map<string, { decl: GlobalDecl; file: number }[]>();
  private enums = new Map<string, EnumConstant>();
  private enumTypes = new Map<string, string>();
  private macros = new Map<string, MacroDef>();
  private lowered = new Map<string, FunctionIR>();
  private accessors = new Map<string, { className: string; field: string } | null>();
  private constantReturns = new Map<string, { lo: number; hi: number } | null>();
  /** Functions whose class (or a base of it) declares a member of this name. */
  private classMembers = new Map<string, Set<string>>();

  constructor(readonly files: FileIR[], readonly budget: Budget) {
    files.forEach((f, fi) => {
      f.functions.forEach((o, index) => {
        const ref: FnRef = { key: `${fi}#${index}`, file: fi, index, outline: o };
        this.functions.push(ref);
        push(this.byName, o.name, ref);
        push(this.byQualified, o.qualified, ref);
        if (o.className) {
          const m = this.classMembers.get(o.className) ?? new Set();
          m.add(o.name);
          this.classMembers.set(o.className, m);
        }
      });
      for (const s of f.structs) {
        const existing = this.structs.get(s.name);
        // Keep the definition with fields (a forward declaration has none).
        if (!existing || (existing.fields.length === 0 && s.fields.length > 0)) this.structs.set(s.name, s);
        const m = this.classMembers.get(s.name) ?? new Set();
        for (const name of s.methods) m.add(name);
        this.classMembers.set(s.name, m);
      }
      for (const [name, t] of f.typedefs) if (!this.typedefs.has(name)) this.typedefs.set(name, t);
      for (const g of f.globals) push(this.globals, g.name, { decl: g, file: fi });
      for (const e of f.enums) if (!this.enums.has(e.name)) this.enums.set(e.name, e);
      for (const [name, storage] of f.enumTypes ?? []) if (!this.enumTypes.has(name)) this.enumTypes.set(name, storage);
      for (const m of f.macros) if (!this.macros.has(m.name)) this.macros.set(m.name, m);
    });
  }

  fileOf(ref: FnRef): FileIR { return this.files[ref.file]; }

  /** The lowered body of a function (memoised). */
  ir(ref: FnRef): FunctionIR {
    let ir = this.lowered.get(ref.key);
    if (!ir) {
      this.budget.phase = `lowering ${ref.outline.qualified}`;
      ir = this.files[ref.file].lowerFunction(ref.index);
      this.lowered.set(ref.key, ir);
    }
    return ir;
  }

  isLowered(ref: FnRef): boolean { return this.lowered.has(ref.key); }

  /**
   * The member a method only returns (`int getFd() { return fd_; }`, `int &sock() { return this->s; }`),
   * so a call of it names that field. Lowered on demand; memoised.
   */
  accessedField(ref: FnRef): { className: string; field: string } | undefined {
    const cls = ref.outline.className;
    // A method with no parameters, or a C function of one struct parameter (`int conn_fd(const struct conn *c)`).
    const params = ref.outline.params.length;
    if ((cls ? params > 0 : params !== 1) || !ref.outline.bodySpan || ref.outline.bodySpan.end - ref.outline.bodySpan.start > 200) return undefined;
    const known = this.accessors.get(ref.key);
    if (known !== undefined) return known ?? undefined;
    let out: { className: string; field: string } | null = null;
    const ir = this.ir(ref);
    const only = ir.body.length === 1 ? ir.body[0] : undefined;
    if (only?.k === 'return' && only.value) {
      const v = stripCasts(only.value);
      if (cls && v.k === 'name' && v.qualifier === undefined && this.struct(cls)?.fields.some((f) => f.name === v.name)) out = { className: cls, field: v.name };
      if (cls && v.k === 'field' && v.base.k === 'name' && v.base.name === 'this') out = { className: cls, field: v.field };
      const p = ir.params[0];
      if (!cls && p && v.k === 'field' && v.base.k === 'name' && v.base.name === p.name && p.type.name) {
        const owner = this.resolveTypeName(p.type.name);
        if (this.struct(owner)?.fields.some((f) => f.name === v.field)) out = { className: owner, field: v.field };
      }
    }
    this.accessors.set(ref.key, out);
    return out ?? undefined;
  }

  /**
   * The range of what a function returns when every return gives a number literal (`length_t
   * wrap_join(...) { ...; return 16; }`): its callers know the size. Small functions only; memoised.
   */
  constantReturn(ref: FnRef): { lo: number; hi: number } | undefined {
    const known = this.constantReturns.get(ref.key);
    if (known !== undefined) return known ?? undefined;
    let out: { lo: number; hi: number } | null = null;
    const span = ref.outline.bodySpan;
    if (span && span.end - span.start <= 4000) {
      const ir = this.ir(ref);
      let lo = Infinity, hi = -Infinity, other = ir.hasErrors;
      forEachStmt(ir.body, (s) => {
        if (s.k !== 'return') return;
        const v = s.value ? stripCasts(s.value) : undefined;
        if (v?.k === 'num') { lo = Math.min(lo, v.value); hi = Math.max(hi, v.value); } else other = true;
      });
      if (!other && lo <= hi) out = { lo, hi };
    }
    this.constantReturns.set(ref.key, out);
    return out ?? undefined;
  }

  /**
   * The function a call by simple name reaches from `fromFile`: a static function of that file
   * first, then a non-static one anywhere. `className` restricts to a class's methods.
   */
  resolve(name: string, fromFile: number, className?: string): FnRef | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    if (className !== undefined) {
      const chain = this.classChain(className);
      for (const cls of chain) {
        const hit = list.find((r) => r.outline.className === cls);
        if (hit) return hit;
      }
      return undefined;
    }
    return list.find((r) => r.file === fromFile && !r.outline.className)
      ?? list.find((r) => !r.outline.isStatic && !r.outline.className)
      ?? undefined;
  }

  /** Every function with this simple name (for calls through an object of unknown class). */
  allNamed(name: string): FnRef[] { return this.byName.get(name) ?? []; }

  /** `Class::method` written in full. */
  resolveQualified(qualifier: string, name: string): FnRef | undefined {
    return this.byQualified.get(`${qualifier}::${name}`)?.[0] ?? this.resolve(name, -1, qualifier);
  }

  /** The class and its bases, nearest first. */
  classChain(className: string): string[] {
    const out: string[] = [];
    let frontier = [className];
    for (let depth = 0; depth < 8 && frontier.length; depth++) {
      const next: string[] = [];
      for (const c of frontier) {
        if (out.includes(c)) continue;
        out.push(c);
        next.push(...(this.structs.get(c)?.bases ?? []));
      }
      frontier = next;
    }
    return out;
  }

  /** The class (or one of its bases) declares a member function of this name. */
  classHasMember(className: string, name: string): boolean {
    return this.classChain(className).some((c) => this.classMembers.get(c)?.has(name));
  }

  struct(name: string): StructDecl | undefined {
    return this.structs.get(this.resolveTypeName(name));
  }

  /** Follows typedefs: `conn_t` -> `conn`. */
  resolveTypeName(name: string): string {
    let cur = name;
    for (let i = 0; i < 8; i++) {
      const t = this.typedefs.get(cur);
      if (!t || t.name === cur) break;
      cur = t.name;
    }
    return cur;
  }

  /** A typedef's full target (pointer levels included): `typedef struct conn *conn_p`. */
  typedef(name: string): TypeRef | undefined { return this.typedefs.get(name); }

  global(name: string, fromFile: number): GlobalDecl | undefined {
    const list = this.globals.get(name);
    if (!list) return undefined;
    return (list.find((g) => g.file === fromFile) ?? list.find((g) => !g.decl.isStatic) ?? list[0]).decl;
  }

  enumConstant(name: string): EnumConstant | undefined { return this.enums.get(name); }

  /** The integer type an enum type (or an alias of one) is stored in. */
  enumStorage(name: string): string | undefined { return this.enumTypes.get(name); }

  macro(name: string): MacroDef | undefined { return this.macros.get(name); }

  /** A class constant (`static constexpr int kBuf = ...` inside a class). */
  classConstant(name: string, className?: string): Expr | undefined {
    if (className) {
      for (const c of this.classChain(className)) {
        const v = this.structs.get(c)?.constants.get(name);
        if (v) return v;
      }
    }
    for (const s of this.structs.values()) {
      const v = s.constants.get(name);
      if (v) return v;
    }
    return undefined;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v); else m.set(k, [v]);
}
