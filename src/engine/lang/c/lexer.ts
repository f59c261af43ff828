// A linear C/C++ lexer for the file outline: where the comments are, and which names are called
// (an identifier followed by `(`). It decides only which functions are worth lowering (a superset:
// a macro or a variable named like a function counts too); what a call really is comes from the
// syntax tree and the IR. Reading tokens from the text is far cheaper than asking the parser.
import type { Budget } from '../../budget';
import type { Span } from '../../ir/ir';

export interface Lexed {
  comments: Span[];
  /** Called names with their offsets, in order. */
  calls: { name: string; at: number }[];
  /** Other identifiers the caller asked to watch for (`watch`), where they appear. */
  mentions: Set<string>;
}

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
const isIdent = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

export function lexCalls(text: string, budget: Budget, watch?: ReadonlySet<string>): Lexed {
  const mentions = new Set<string>();
  const comments: Span[] = [];
  const calls: { name: string; at: number }[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if ((i & 1023) === 0) budget.tick(64);
    const c = text.charCodeAt(i);
    if (c === 47 && text.charCodeAt(i + 1) === 42) { // /* ... */
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      comments.push({ start: i, end });
      i = end;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) { // // ... (with backslash continuations)
      let end = i + 2;
      for (;;) {
        const nl = text.indexOf('\n', end);
        if (nl < 0) { end = n; break; }
        let k = nl - 1;
        if (text.charCodeAt(k) === 13) k--;
        if (text.charCodeAt(k) === 92) { end = nl + 1; continue; }
        end = text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        break;
      }
      comments.push({ start: i, end });
      i = end;
      continue;
    }
    if (c === 34 || c === 39) { // "..." or '...': to the closing quote (or the end of the line)
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) { i += 2; continue; }
        i++;
        if (d === c || d === 10) break;
      }
      continue;
    }
    if (c === 82 && text.charCodeAt(i + 1) === 34) { // R"delim( ... )delim"
      const open = text.indexOf('(', i + 2);
      if (open > 0 && open - i < 20) {
        const close = text.indexOf(`)${text.slice(i + 2, open)}"`, open);
        if (close > 0) { i = close + (open - i); continue; }
      }
    }
    if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdent(text.charCodeAt(i))) i++;
      let j = i;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 40) calls.push({ name: text.slice(start, i), at: start });
      else if (watch) { const name = text.slice(start, i); if (watch.has(name)) mentions.add(name); }
      continue;
    }
    if (c >= 48 && c <= 57) { // a number: skip its digits and suffix letters together
      while (i < n && (isIdent(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
      continue;
    }
    i++;
  }
  return { comments, calls, mentions };
}
