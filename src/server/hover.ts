// Hover text for findings: what the code does on the wire, in the rule's own words, and the fix.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { ruleById } from '../engine';
import { docsUrl } from '../engine/rules/rule';
import { UNUSED_SUPPRESSION_RULE, type Finding, type Range } from '../engine/types';

function contains(r: Range, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

/** Markdown text is built from the rule's docs only; nothing in it comes from the user's file except the message. */
export function hoverFor(findings: Finding[], position: Position): Hover | null {
  const hit = findings.filter((f) => contains(f.range, position));
  if (hit.length === 0) return null;
  const parts = hit.map((f) => {
    const rule = f.ruleId === UNUSED_SUPPRESSION_RULE ? undefined : ruleById(f.ruleId);
    const lines = [`**Socklint: ${rule?.title ?? f.ruleId}** \`${f.ruleId}\``, '', f.message];
    if (rule) {
      if (rule.docs.wire) lines.push('', `**On the wire.** ${rule.docs.wire}`);
      if (rule.docs.fix) lines.push('', `**Fix.** ${rule.docs.fix}`);
      lines.push('', `[Rule documentation](${docsUrl(f.ruleId)})`);
    }
    return lines.join('\n');
  });
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: hit[0].range,
  };
}
