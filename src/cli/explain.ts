// `socklint --explain <rule-id>`: a rule's documentation in the terminal (the same Markdown as
// the hover and the docs pages, which reads fine as plain text).
import type { Rule } from '../engine';
import { docsMarkdown, docsUrl } from '../engine/rules/rule';

export function formatExplain(rule: Rule): string {
  return `${docsMarkdown(rule).trimEnd()}\n\nDocumentation: ${docsUrl(rule.id)}\n`;
}
