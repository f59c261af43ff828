// Hover text for findings. VS Code already shows the diagnostic's message (and its rule id and
// docs link) at the top of the hover, so this part never repeats it: it adds the explanation
// behind the message (the finding's `detail`, else the rule's "what happens on the wire") and the
// link to the rule's page, kept short enough to read without scrolling.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { ruleById } from '../engine';
import { findingDetail } from '../engine/detail';
import { docsUrl } from '../engine/rules/rule';
import { UNUSED_SUPPRESSION_RULE, type Finding, type Range } from '../engine/types';

/**
 * About five lines of a default-width hover, which leaves room for VS Code's block above it (the
 * message and the related locations) when the hover opens in a short editor above the Problems
 * panel. Longer explanations end at a sentence and point to the docs.
 */
export const HOVER_DETAIL_MAX_CHARS = 340;

function contains(r: Range, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

/** The text cut after the last whole sentence that fits, or at a word with an ellipsis. */
export function shorten(text: string, max = HOVER_DETAIL_MAX_CHARS): { text: string; cut: boolean } {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return { text: flat, cut: false };
  const head = flat.slice(0, max);
  const sentenceEnd = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.) ') + 1);
  if (sentenceEnd > max / 3) return { text: head.slice(0, sentenceEnd + 1), cut: true };
  return { text: `${head.slice(0, head.lastIndexOf(' '))} …`, cut: true };
}

/**
 * The detail is plain text with `code` in backticks: code spans stay (Markdown shows them as
 * code, literally), and everything else that Markdown would read as markup is escaped.
 */
export function plainToMarkdown(s: string): string {
  const parts = s.split(/(`[^`\n]+`)/);
  return parts.map((p, i) => (i % 2 === 1 ? p : p.replace(/[\\`*_{}[\]<>#|~]/g, '\\$&'))).join('');
}

/** Markdown built from the rule's docs and the finding's detail; nothing is taken from the user's file. */
export function hoverFor(findings: Finding[], position: Position): Hover | null {
  const hit = findings.filter((f) => contains(f.range, position) && f.ruleId !== UNUSED_SUPPRESSION_RULE);
  const parts: string[] = [];
  for (const f of hit) {
    const rule = ruleById(f.ruleId);
    const detail = findingDetail(f);
    if (!rule || !detail) continue;
    const { text, cut } = shorten(detail);
    const docs = `[${cut ? 'More in the rule documentation' : 'Rule documentation'}](${docsUrl(f.ruleId)})`;
    parts.push(`**${plainToMarkdown(rule.title)}.** ${plainToMarkdown(text)}\n\n${docs}`);
  }
  if (parts.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: hit[0].range,
  };
}
