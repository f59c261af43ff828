// The C preprocessor's share of lowering: directive lines (#define, #include, #if ...), found by a
// small linear scanner that knows comments, strings and line continuations. The preprocessor is
// line-based by definition, so this is lexing, not pattern matching over program text.
import type { Budget } from '../../budget';
import type { IncludeDirective, MacroDef, Span } from '../../ir/ir';

export interface Directive {
  /** `define`, `include`, `if`, `ifdef`, `ifndef`, `elif`, `else`, `endif`, ... */
  name: string;
  /** From the `#` to the end of the (continued) line, without the newline. */
  span: Span;
  /** The text after the directive name, continuation lines joined. */
  rest: string;
  restStart: number;
}

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdent = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);
const isSpace = (c: number) => c === 32 || c === 9 || c === 12 || c === 11;

/** Every directive line of the file, in order. Linear in the text's length. */
export function scanDirectives(text: string, budget: Budget): Directive[] {
  const out: Directive[] = [];
  const n = text.length;
  let i = 0;
  let lineStart = true;
  while (i < n) {
    budget.tick();
    const c = text.charCodeAt(i);
    if (c === 10) { lineStart = true; i++; continue; }
    if (isSpace(c) || c === 13) { i++; continue; }
    if (c === 47 && text.charCodeAt(i + 1) === 42) { // /* ... */ (may span lines; keeps lineStart)
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) { // // to the end of the line (with continuations)
      i = endOfLogicalLine(text, i);
      continue;
    }
    if (c === 35 && lineStart) { // #
      const end = endOfLogicalLine(text, i);
      let j = i + 1;
      while (j < end && isSpace(text.charCodeAt(j))) j++;
      const nameStart = j;
      while (j < end && isIdent(text.charCodeAt(j))) j++;
      const name = text.slice(nameStart, j);
      out.push({ name, span: { start: i, end }, rest: joinContinuations(text.slice(j, end)), restStart: j });
      i = end;
      lineStart = false;
      continue;
    }
    lineStart = false;
    if (c === 34 || c === 39) { // a string or character literal ends on its line
      i = skipQuoted(text, i, c);
      continue;
    }
    i++;
  }
  return out;
}

function endOfLogicalLine(text: string, from: number): number {
  let i = from;
  for (;;) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    let k = nl - 1;
    if (text.charCodeAt(k) === 13) k--;
    if (text.charCodeAt(k) === 92) { i = nl + 1; continue; } // backslash-newline continues the line
    return text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
  }
}

function skipQuoted(text: string, from: number, quote: number): number {
  let i = from + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) { i += 2; continue; }
    if (c === quote || c === 10) return i + 1;
    i++;
  }
  return i;
}

function joinContinuations(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 && (s.charCodeAt(i + 1) === 10 || (s.charCodeAt(i + 1) === 13 && s.charCodeAt(i + 2) === 10))) {
      i += s.charCodeAt(i + 1) === 13 ? 2 : 1;
      out += ' ';
      continue;
    }
    out += s[i];
  }
  return stripComments(out).trim();
}

/** Comments in a directive's text become a space (as the preprocessor does). */
function stripComments(s: string): string {
  if (!s.includes('/')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34 || c === 39) { const e = skipQuoted(s, i, c); out += s.slice(i, e); i = e - 1; continue; }
    if (c === 47 && s.charCodeAt(i + 1) === 42) { const e = s.indexOf('*/', i + 2); out += ' '; i = e < 0 ? s.length : e + 1; continue; }
    if (c === 47 && s.charCodeAt(i + 1) === 47) break;
    out += s[i];
  }
  return out;
}

/** `#define NAME body` and `#define NAME(a, b) body`. */
export function macroFromDirective(d: Directive): MacroDef | undefined {
  if (d.name !== 'define') return undefined;
  const s = d.rest;
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  const start = i;
  while (i < s.length && isIdent(s.charCodeAt(i))) i++;
  const name = s.slice(start, i);
  if (!name || !isIdentStart(name.charCodeAt(0))) return undefined;
  // A parameter list only when '(' follows the name with no space.
  if (s.charCodeAt(i) === 40) {
    const close = s.indexOf(')', i);
    if (close < 0) return undefined;
    const params: string[] = [];
    let variadic = false;
    for (const raw of s.slice(i + 1, close).split(',')) {
      const p = raw.trim();
      if (!p) continue;
      if (p === '...') { variadic = true; params.push('__VA_ARGS__'); } else params.push(p.endsWith('...') ? p.slice(0, -3).trim() : p);
    }
    return { name, params, variadic, body: s.slice(close + 1).trim(), span: d.span };
  }
  return { name, body: s.slice(i).trim(), span: d.span };
}

/** `#include "net.h"` / `#include <winsock2.h>`. */
export function includeFromDirective(d: Directive): IncludeDirective | undefined {
  if (d.name !== 'include' && d.name !== 'import') return undefined;
  const s = d.rest.trim();
  const open = s.charCodeAt(0);
  const close = open === 34 ? s.indexOf('"', 1) : open === 60 ? s.indexOf('>', 1) : -1;
  if (close < 0) return undefined;
  return { path: s.slice(1, close), system: open === 60, span: d.span };
}

/**
 * A copy of the text, the same length, in which each #if group keeps one branch and the directive
 * lines and the other branches are blanked (newlines kept, so every offset and line stays where it
 * was). Used when the tree has errors around conditionals: a call split by `#ifdef` parses whole.
 * The kept branch is the first one, except that `#if 0` keeps its `#else`.
 */
export function maskConditionals(text: string, directives: Directive[], budget: Budget): string | undefined {
  const conditionals = directives.filter((d) => COND.has(d.name));
  if (conditionals.length === 0) return undefined;
  // Blank the spans (keeping line breaks, so offsets and lines stay), in order, from slices of the text.
  const spans = [...conditionals.map((d) => d.span), ...droppedRegions(conditionals)].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const span of spans) {
    budget.tick(Math.ceil((span.end - span.start) / 256) || 1);
    const start = Math.max(span.start, at);
    if (span.end <= start) continue;
    parts.push(text.slice(at, start));
    let run = '';
    for (let i = start; i < span.end; i++) {
      const c = text.charCodeAt(i);
      run += c === 10 ? '\n' : c === 13 ? '\r' : ' ';
    }
    parts.push(run);
    at = span.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

const COND = new Set(['if', 'ifdef', 'ifndef', 'elif', 'else', 'endif', 'elifdef', 'elifndef']);

/** The spans that lie in branches that were not kept (see maskConditionals). */
function droppedRegions(directives: Directive[]): Span[] {
  const out: Span[] = [];
  const stack: { kept: boolean; dropping: boolean; dropFrom: number }[] = [];
  const outerDropping = () => stack.slice(0, -1).some((g) => g.dropping);
  for (const d of directives) {
    if (!COND.has(d.name)) continue;
    if (d.name === 'if' || d.name === 'ifdef' || d.name === 'ifndef') {
      const isZero = d.name === 'if' && d.rest.trim() === '0';
      stack.push({ kept: !isZero, dropping: isZero, dropFrom: d.span.end });
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top) continue;
    if (d.name === 'endif') {
      if (top.dropping && !outerDropping()) out.push({ start: top.dropFrom, end: d.span.start });
      stack.pop();
      continue;
    }
    // #elif / #else: close the current branch, open the next.
    if (top.dropping && !outerDropping()) out.push({ start: top.dropFrom, end: d.span.start });
    if (top.kept) { top.dropping = true; top.dropFrom = d.span.end; } else { top.kept = true; top.dropping = false; }
  }
  return out;
}
