// Types of expressions and sizes of types. Sizes assume a 64-bit target: LP64 (Linux, macOS) for
// POSIX code and LLP64 (64-bit Windows) for Winsock code, which differ only in `long`; structs are
// laid out with natural alignment (each field aligned to its own size, the struct to its largest).
import type { Expr, StructDecl, TypeRef } from '../ir/ir';
import type { Program } from './program';

export type Abi = 'lp64' | 'llp64';

const PRIMITIVE: Record<string, number> = {
  char: 1, 'signed char': 1, 'unsigned char': 1, bool: 1, _Bool: 1, BOOLEAN: 1, BYTE: 1, CHAR: 1, UCHAR: 1, int8_t: 1, uint8_t: 1, u_char: 1, u_int8_t: 1,
  short: 2, 'short int': 2, 'unsigned short': 2, 'signed short': 2, WORD: 2, USHORT: 2, u_short: 2, int16_t: 2, uint16_t: 2, u_int16_t: 2, WCHAR: 2,
  int: 4, 'signed int': 4, 'unsigned int': 4, unsigned: 4, signed: 4, DWORD: 4, BOOL: 4, INT: 4, UINT: 4, ULONG: 4, LONG: 4, u_long: 4,
  u_int: 4, int32_t: 4, uint32_t: 4, u_int32_t: 4, float: 4, socklen_t: 4, in_addr_t: 4, char32_t: 4,
  'long long': 8, 'unsigned long long': 8, 'long long int': 8, int64_t: 8, uint64_t: 8, u_int64_t: 8, double: 8, INT64: 8, UINT64: 8,
  ULONGLONG: 8, LONGLONG: 8, DWORD64: 8, QWORD: 8, size_t: 8, ssize_t: 8, SOCKET: 8, intptr_t: 8, uintptr_t: 8, ptrdiff_t: 8,
  off_t: 8, time_t: 8, SIZE_T: 8, SSIZE_T: 8, ULONG_PTR: 8, LONG_PTR: 8, UINT_PTR: 8, HANDLE: 8, 'long double': 16, char16_t: 2,
};

/** Types whose size depends on the ABI. */
function abiSize(name: string, abi: Abi): number | undefined {
  switch (name) {
    case 'long': case 'long int': case 'signed long': case 'unsigned long': case 'unsigned long int':
      return abi === 'lp64' ? 8 : 4;
    case 'wchar_t': return abi === 'lp64' ? 4 : 2;
    // std::fpos<mbstate_t>: an offset and a conversion state in libstdc++ and libc++ (16 bytes), with an
    // extra fpos_t in MSVC's (24).
    case 'streampos': case 'std::streampos': case 'wstreampos': case 'std::wstreampos':
      return abi === 'lp64' ? 16 : 24;
    case 'streamoff': case 'std::streamoff': case 'streamsize': case 'std::streamsize': return 8;
    default: return undefined;
  }
}

// The socket API's own structs, as the system headers lay them out (identical on Linux, macOS and
// 64-bit Windows): code takes sizeof of them and of their fields (`sizeof(addr.sin_port)`), and the
// headers that define them are never part of the files analysed.
const NO_SPAN = { start: 0, end: 0 };
const field = (name: string, type: string, dim?: number) => ({ name, span: NO_SPAN, type: { name: type, ptr: 0, ...(dim ? { dims: [{ k: 'num' as const, value: dim, span: NO_SPAN }] } : {}) } });
const systemStruct = (name: string, fields: ReturnType<typeof field>[]): StructDecl => ({ name, kind: 'struct', fields, methods: new Set(), bases: [], constants: new Map(), span: NO_SPAN });
const SYSTEM_STRUCTS = new Map<string, StructDecl>();
for (const [names, fields] of [
  [['sockaddr', 'SOCKADDR'], [field('sa_family', 'uint16_t'), field('sa_data', 'char', 14)]],
  [['in_addr', 'IN_ADDR'], [field('s_addr', 'uint32_t')]],
  [['sockaddr_in', 'SOCKADDR_IN'], [field('sin_family', 'uint16_t'), field('sin_port', 'uint16_t'), field('sin_addr', 'in_addr'), field('sin_zero', 'char', 8)]],
  [['in6_addr', 'IN6_ADDR'], [field('s6_addr', 'uint8_t', 16)]],
  [['sockaddr_in6', 'SOCKADDR_IN6'], [field('sin6_family', 'uint16_t'), field('sin6_port', 'uint16_t'), field('sin6_flowinfo', 'uint32_t'), field('sin6_addr', 'in6_addr'), field('sin6_scope_id', 'uint32_t')]],
  [['sockaddr_storage', 'SOCKADDR_STORAGE'], [field('ss_family', 'uint16_t'), field('__ss_align', 'int64_t'), field('__ss_pad2', 'char', 112)]],
] as const) for (const n of names) SYSTEM_STRUCTS.set(n, systemStruct(n, [...fields]));

/** A struct of the program, else one of the socket API's own (sockaddr_in, in_addr, ...). */
export function structOrSystem(program: Program, name: string): StructDecl | undefined {
  return program.struct(name) ?? SYSTEM_STRUCTS.get(name);
}

export class TypeLayouts {
  private sizes = new Map<string, number | undefined>();
  constructor(private program: Program, readonly abi: Abi) {}

  primitive(name: string): number | undefined {
    return abiSize(name, this.abi) ?? PRIMITIVE[name];
  }

  /** Byte size of a type; undefined when any part is unknown. */
  sizeOf(t: TypeRef, dimValue: (e: Expr) => number | undefined, depth = 0): number | undefined {
    if (depth > 12) return undefined;
    let elem: number | undefined;
    if (t.ptr > 0) elem = 8;
    else if (t.isRef && depth > 0) elem = 8;
    else elem = this.named(t.name, dimValue, depth);
    if (elem === undefined) return undefined;
    let n = elem;
    for (const d of t.dims ?? []) {
      const v = d ? dimValue(d) : undefined;
      if (v === undefined || v < 0) return undefined;
      n *= v;
    }
    return n;
  }

  private named(name: string, dimValue: (e: Expr) => number | undefined, depth: number): number | undefined {
    const p = this.primitive(name);
    if (p !== undefined) return p;
    const storage = this.program.enumStorage(name);
    if (storage !== undefined) return storage === name ? undefined : this.named(storage, dimValue, depth + 1);
    const td = this.program.typedef(name);
    if (td && td.name !== name) return this.sizeOf(td, dimValue, depth + 1);
    if (this.sizes.has(name)) return this.sizes.get(name);
    const s = structOrSystem(this.program, name);
    this.sizes.set(name, undefined); // cycle guard
    const size = s ? this.layout(s, dimValue, depth) : undefined;
    this.sizes.set(name, size);
    return size;
  }

  private layout(s: StructDecl, dimValue: (e: Expr) => number | undefined, depth: number): number | undefined {
    if (s.empty) return 1;
    if (s.fields.length === 0 || s.fields.some((f) => f.bits !== undefined)) return undefined;
    let offset = 0, maxAlign = 1, largest = 0;
    for (const [i, f] of s.fields.entries()) {
      // A flexible array member (`char body[];`, last of a struct) adds no bytes, only its alignment.
      const flexible = i === s.fields.length - 1 && s.kind !== 'union' && f.type.ptr === 0 && f.type.dims?.length === 1 && !f.type.dims[0];
      const size = flexible ? 0 : this.sizeOf(f.type, dimValue, depth + 1);
      if (size === undefined) return undefined;
      const align = this.alignOf(f.type, dimValue, depth + 1);
      if (align === undefined) return undefined;
      maxAlign = Math.max(maxAlign, align);
      if (s.kind === 'union') { largest = Math.max(largest, size); continue; }
      offset = Math.ceil(offset / align) * align + size;
    }
    const total = s.kind === 'union' ? largest : offset;
    return Math.ceil(total / maxAlign) * maxAlign;
  }

  private alignOf(t: TypeRef, dimValue: (e: Expr) => number | undefined, depth: number): number | undefined {
    if (depth > 12) return undefined;
    if (t.ptr > 0) return 8;
    const p = this.primitive(t.name);
    if (p !== undefined) return Math.min(p, 8);
    const storage = this.program.enumStorage(t.name);
    if (storage !== undefined) return storage === t.name ? undefined : this.alignOf({ name: storage, ptr: 0 }, dimValue, depth + 1);
    const td = this.program.typedef(t.name);
    if (td && td.name !== t.name) return this.alignOf(td, dimValue, depth + 1);
    const s = structOrSystem(this.program, t.name);
    if (s?.empty) return 1;
    if (!s || s.fields.length === 0) return undefined;
    let a = 1;
    for (const f of s.fields) {
      const fa = this.alignOf(f.type, dimValue, depth + 1);
      if (fa === undefined) return undefined;
      a = Math.max(a, fa);
    }
    return a;
  }
}

/** Follows a typedef to the type it names, pointer levels included. */
export function resolveType(program: Program, t: TypeRef): TypeRef {
  let cur = t;
  for (let i = 0; i < 8; i++) {
    const td = program.typedef(cur.name);
    if (!td || td.name === cur.name) break;
    cur = { ...td, ptr: td.ptr + cur.ptr, dims: cur.dims ?? td.dims };
  }
  return cur;
}

/** The struct or class an expression's value is (or points to), if known. */
export function structNameOf(program: Program, t: TypeRef | undefined): string | undefined {
  if (!t) return undefined;
  const r = resolveType(program, t);
  const name = program.resolveTypeName(r.name);
  if (program.struct(name)) return name;
  // Smart pointers and containers of a struct: `std::shared_ptr<Session>`.
  if (r.args?.length === 1 && (r.name === 'shared_ptr' || r.name === 'unique_ptr' || r.name === 'weak_ptr')) return structNameOf(program, r.args[0]);
  return undefined;
}

/** The type of a field of a struct (following its bases). */
export function fieldType(program: Program, structName: string, field: string): TypeRef | undefined {
  for (const cls of program.classChain(structName)) {
    const f = program.struct(cls)?.fields.find((x) => x.name === field);
    if (f) return f.type;
  }
  return undefined;
}

/** The element type of an array, pointer or container type. */
export function elementType(t: TypeRef | undefined): TypeRef | undefined {
  if (!t) return undefined;
  if (t.dims && t.dims.length > 0) return { ...t, dims: t.dims.slice(1) };
  if (t.ptr > 0) return { ...t, ptr: t.ptr - 1 };
  if (t.args && t.args.length > 0) {
    // std::vector<T>, std::array<T, N>, std::list<T>: T; std::map<K, V>: V.
    const isMap = t.name.includes('map');
    return isMap && t.args.length > 1 ? t.args[1] : t.args[0];
  }
  return undefined;
}
