// Constant evaluation for C-family expressions as written: literals, macros, enum and const
// values, locals assigned a constant, sizeof of primitive types, arrays and simple structs.
// It works on the expression's text with a tiny recursive-descent parser: that covers the forms
// socket code uses for option values and lengths (`0`, `4 * 1024 * 1024`, `sizeof(buf)`, `BUFSZ - 1`).

/** Sizes on the platforms this code targets (Winsock and LP64 agree except for `long`). */
const PRIMITIVE_SIZES: Record<string, number> = {
  char: 1, 'signed char': 1, 'unsigned char': 1, bool: 1, BOOLEAN: 1, BYTE: 1, CHAR: 1, UCHAR: 1, int8_t: 1, uint8_t: 1,
  short: 2, 'unsigned short': 2, WORD: 2, USHORT: 2, u_short: 2, int16_t: 2, uint16_t: 2, wchar_t: 2, WCHAR: 2,
  int: 4, 'unsigned int': 4, unsigned: 4, long: 4, 'unsigned long': 4, DWORD: 4, BOOL: 4, INT: 4, UINT: 4, ULONG: 4,
  LONG: 4, u_long: 4, u_int: 4, int32_t: 4, uint32_t: 4, float: 4, socklen_t: 4,
  'long long': 8, 'unsigned long long': 8, int64_t: 8, uint64_t: 8, double: 8, INT64: 8, UINT64: 8, ULONGLONG: 8,
  LONGLONG: 8, size_t: 8, ssize_t: 8, SOCKET: 8,
};

const WELL_KNOWN: Record<string, number> = {
  TRUE: 1, FALSE: 0, true: 1, false: 0, NULL: 0, nullptr: 0,
};

export interface ValueScope {
  /** Value of a name at this point (macro, enum, const, or a local's latest constant assignment). */
  lookup(name: string): number | undefined;
  /** Byte size of a type name or a variable (array, struct), for sizeof. */
  sizeOf(nameOrType: string): number | undefined;
}

const MAX_DEPTH = 16;

/** Evaluates an integer constant expression; undefined when any part is unknown. */
export function evalConstText(text: string, scope: ValueScope, depth = 0): number | undefined {
  if (depth > MAX_DEPTH || text.length > 200) return undefined;
  const tokens = tokenize(text);
  if (!tokens) return undefined;
  const p = new ExprParser(tokens, scope, depth);
  const v = p.parseExpr();
  return p.atEnd() && v !== undefined && Number.isFinite(v) ? v : undefined;
}

type Tok = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(text: string): Tok[] | undefined {
  const out: Tok[] = [];
  const re = /\s*(?:(0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?)[uUlLfF]*|([A-Za-z_][A-Za-z_0-9]*(?:::[A-Za-z_][A-Za-z_0-9]*)*)|(<<|>>|\|\||&&|[-+*/%()&|~!^<>?:.,\[\]]|->))/y;
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) { i++; continue; }
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m || m.index !== i) return undefined;
    if (m[1] !== undefined) out.push({ t: 'num', v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ t: 'id', v: m[2] });
    else out.push({ t: 'op', v: m[3] });
    i = re.lastIndex;
    if (out.length > 200) return undefined;
  }
  return out;
}

const TYPE_WORDS = new Set(['const', 'volatile', 'unsigned', 'signed', 'struct', 'enum', 'union', 'class']);

class ExprParser {
  private i = 0;
  constructor(private toks: Tok[], private scope: ValueScope, private depth: number) {}
  atEnd(): boolean { return this.i >= this.toks.length; }
  private peek(): Tok | undefined { return this.toks[this.i]; }
  private isOp(v: string): boolean { const t = this.peek(); return t?.t === 'op' && t.v === v; }

  parseExpr(): number | undefined { return this.parseBin(0); }

  private static PREC: Record<string, number> = {
    '|': 1, '^': 2, '&': 3, '<<': 4, '>>': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6,
  };

  private parseBin(minPrec: number): number | undefined {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      if (!t || t.t !== 'op') break;
      const prec = ExprParser.PREC[t.v];
      if (prec === undefined || prec < minPrec) break;
      this.i++;
      const right = this.parseBin(prec + 1);
      if (left === undefined || right === undefined) left = undefined;
      else left = apply(t.v, left, right);
    }
    return left;
  }

  private parseUnary(): number | undefined {
    const t = this.peek();
    if (!t) return undefined;
    if (t.t === 'op' && (t.v === '-' || t.v === '+' || t.v === '~' || t.v === '!')) {
      this.i++;
      const v = this.parseUnary();
      if (v === undefined) return undefined;
      return t.v === '-' ? -v : t.v === '+' ? v : t.v === '~' ? ~v : v ? 0 : 1;
    }
    if (t.t === 'op' && t.v === '(') {
      // A cast `(int)x` / `(DWORD)(x)` or a parenthesised expression.
      const close = this.findClose(this.i);
      if (close > this.i + 1 && this.looksLikeType(this.i + 1, close)) {
        this.i = close + 1;
        return this.parseUnary();
      }
      this.i++;
      const v = this.parseExpr();
      if (!this.isOp(')')) return undefined;
      this.i++;
      return v;
    }
    if (t.t === 'num') { this.i++; return t.v; }
    if (t.t === 'id') {
      this.i++;
      if (t.v === 'sizeof') return this.parseSizeof();
      if (t.v in WELL_KNOWN) return WELL_KNOWN[t.v];
      // static_cast<int>(x) and friends are not worth the trouble: unknown.
      return this.scope.lookup(t.v);
    }
    return undefined;
  }

  private parseSizeof(): number | undefined {
    if (this.isOp('(')) {
      const close = this.findClose(this.i);
      if (close < 0) return undefined;
      const inner = this.toks.slice(this.i + 1, close);
      this.i = close + 1;
      return sizeOfTokens(inner, this.scope);
    }
    const t = this.peek();
    if (t?.t === 'id') { this.i++; return this.scope.sizeOf(t.v); }
    return undefined;
  }

  private findClose(open: number): number {
    let depth = 0;
    for (let j = open; j < this.toks.length; j++) {
      const t = this.toks[j];
      if (t.t !== 'op') continue;
      if (t.v === '(') depth++;
      else if (t.v === ')' && --depth === 0) return j;
    }
    return -1;
  }

  private looksLikeType(from: number, to: number): boolean {
    const words: string[] = [];
    for (let j = from; j < to; j++) {
      const t = this.toks[j];
      if (t.t === 'op' && t.v === '*') continue;
      if (t.t !== 'id') return false;
      words.push(t.v);
    }
    if (words.length === 0) return false;
    if (words.some((w) => TYPE_WORDS.has(w))) return true;
    const base = words.join(' ');
    if (base in PRIMITIVE_SIZES) return true;
    // `(HANDLE)s`, `(my_len_t)n`: a single name that is not a known value is taken as a type.
    return words.length === 1 && this.scope.lookup(base) === undefined && /^[A-Za-z_]\w*$/.test(base) && to + 1 < this.toks.length;
  }
}

function apply(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return b === 0 ? undefined : Math.trunc(a / b);
    case '%': return b === 0 ? undefined : a % b;
    case '<<': return b > 52 ? undefined : a * 2 ** b;
    case '>>': return Math.trunc(a / 2 ** b);
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
  }
  return undefined;
}

function sizeOfTokens(inner: Tok[], scope: ValueScope): number | undefined {
  const words = inner.filter((t) => t.t === 'id').map((t) => t.v).filter((w) => !TYPE_WORDS.has(w) || w === 'unsigned' || w === 'signed');
  const hasPointer = inner.some((t) => t.t === 'op' && t.v === '*');
  if (hasPointer) return 8;
  if (inner.some((t) => t.t === 'op' && t.v !== '*')) {
    // sizeof(buf[0]), sizeof(x.y): not resolved.
    return undefined;
  }
  const name = words.join(' ');
  if (name in PRIMITIVE_SIZES) return PRIMITIVE_SIZES[name];
  return scope.sizeOf(words[words.length - 1] ?? '');
}

export function primitiveSize(type: string): number | undefined {
  return PRIMITIVE_SIZES[type.replace(/\b(const|volatile|struct)\b/g, '').trim().replace(/\s+/g, ' ')];
}

/** Parses a C integer literal as written (`0x10`, `200u`). */
export function parseNumberLiteral(text: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}
