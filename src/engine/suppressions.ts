// In-source suppression comments, honoured identically by the editor and the CLI:
//   // socklint-disable-next-line <id>[, <id>] [-- reason]
//   // socklint-disable-line <id> [-- reason]
//   /* socklint-disable <id> */ ... /* socklint-enable <id> */
// A directive without ids applies to every rule. Directives that suppress nothing are reported.
import type { LineIndex } from './line-index';
import type { Range } from './types';

export interface Directive {
  kind: 'line' | 'next-line' | 'disable' | 'enable';
  ruleIds: string[];
  justification?: string;
  range: Range;
  /** The line a line/next-line directive covers. */
  targetLine: number;
  offset: number;
  used: Set<string>;
}

const DIRECTIVE = /socklint-(disable-next-line|disable-line|disable|enable)\b([^\n]*)/g;

export function parseDirectives(text: string, index: LineIndex, isComment: (offset: number) => boolean): Directive[] {
  const out: Directive[] = [];
  if (!text.includes('socklint-')) return out;
  for (const m of text.matchAll(DIRECTIVE)) {
    const offset = m.index ?? 0;
    if (!isComment(offset)) continue;
    let rest = m[2];
    const close = rest.indexOf('*/');
    if (close >= 0) rest = rest.slice(0, close);
    const [idsPart, ...reason] = rest.split('--');
    const ruleIds = idsPart.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
    const kind = m[1] === 'disable-next-line' ? 'next-line' : m[1] === 'disable-line' ? 'line' : (m[1] as 'disable' | 'enable');
    const range = index.range(offset, offset + m[0].length - (m[2].length - rest.length));
    out.push({
      kind, ruleIds, justification: reason.join('--').trim() || undefined, range, offset,
      targetLine: kind === 'next-line' ? range.end.line + 1 : range.start.line,
      used: new Set(),
    });
  }
  return out;
}

function covers(d: Directive, ruleId: string): boolean {
  return d.ruleIds.length === 0 || d.ruleIds.includes(ruleId);
}

/** The directive that silences a finding of `ruleId` starting at `range`, if any (and marks it used). */
export function findSuppression(directives: Directive[], ruleId: string, range: Range, offset: number): Directive | undefined {
  for (const d of directives) {
    if ((d.kind === 'line' || d.kind === 'next-line') && d.targetLine === range.start.line && covers(d, ruleId)) {
      d.used.add(ruleId);
      return d;
    }
  }
  // Block form: the last disable/enable before the finding decides.
  let active: Directive | undefined;
  for (const d of directives) {
    if (d.offset > offset) break;
    if (!covers(d, ruleId)) continue;
    if (d.kind === 'disable') active = d;
    else if (d.kind === 'enable') active = undefined;
  }
  if (active) active.used.add(ruleId);
  return active;
}

/** Directives (or ids within them) that silenced nothing. */
export function unusedDirectives(directives: Directive[], knownIds: Set<string>, enabledIds: Set<string> = knownIds): { range: Range; message: string }[] {
  const out: { range: Range; message: string }[] = [];
  for (const d of directives) {
    if (d.kind === 'enable') continue;
    const unknown = d.ruleIds.filter((id) => !knownIds.has(id));
    for (const id of unknown) out.push({ range: d.range, message: `Unknown rule id "${id}" in a socklint-${kindName(d)} comment.` });
    // Directives for rules switched off by configuration are not "unused".
    const unused = d.ruleIds.length === 0 ? (d.used.size === 0 ? ['(all rules)'] : []) : d.ruleIds.filter((id) => enabledIds.has(id) && !d.used.has(id));
    for (const id of unused) out.push({ range: d.range, message: `Unused socklint-${kindName(d)} comment: no ${id === '(all rules)' ? '' : `${id} `}finding to suppress here.` });
  }
  return out;
}

function kindName(d: Directive): string {
  return d.kind === 'next-line' ? 'disable-next-line' : d.kind === 'line' ? 'disable-line' : 'disable';
}
