// What a rule is: metadata, docs, and a check over the SocketModel. Rules never see syntax trees.
import type { ProfileHeadline, ProfileName } from '../../common/scenario';
import type { SocketModel } from '../model';
import type { Fix, Range, RelatedLocation, Severity } from '../types';
import type { Scenario } from '../../common/scenario';

export interface RuleDocs {
  /** One sentence: what the rule flags. */
  summary: string;
  /** Exactly when it fires and when it stays quiet, in the analysis' terms. */
  when: string;
  /** What happens on the wire, with numbers. */
  wire: string;
  /** Code that fires. */
  bad: string;
  /** The corrected code, which stays silent. */
  good: string;
  /** How to fix it, in words. */
  fix: string;
  /** Related rules in other tools (or "none"). */
  related: string[];
  /** How the rule reads Python code: the runtime's defaults, its names and its fix. */
  python?: string;
  /** How the rule reads C# code (System.Net.Sockets): the runtime's defaults, its names and its fix. */
  csharp?: string;
  /** How the rule reads Go code (package net): the runtime's defaults, its names and its fix. */
  go?: string;
  /** How the rule reads Java code (java.net, java.nio.channels): the runtime's defaults, its names and its fix. */
  java?: string;
  /** How the rule reads Node.js code (the `net` module, JavaScript and TypeScript): the runtime's defaults, its names and its fix. */
  node?: string;
}

export interface RuleContext {
  model: SocketModel;
  text: string;
  profile: ProfileName;
  headline: ProfileHeadline;
}

export interface RuleFinding {
  message: string;
  /** Lower than the rule's default for a rarer case (partial-send-ignored on a plain blocking socket). */
  severity?: Severity;
  /** See Finding.detail. */
  detail?: string;
  range: Range;
  related?: RelatedLocation[];
  fixes?: Fix[];
  scenario?: Scenario;
  fixedScenario?: Scenario;
}

export interface Rule {
  id: string;
  title: string;
  defaultSeverity: Severity;
  docs: RuleDocs;
  check(ctx: RuleContext): RuleFinding[];
}

const DOCS_BASE = 'https://github.com/socklint/socklint/blob/main/docs/rules/';
export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE}${ruleId}.md`;
}

/** Renders a rule's docs as Markdown (CLI --explain, hover, docs pages, SARIF help). */
export function docsMarkdown(rule: Rule, lang = 'c'): string {
  const d = rule.docs;
  return [
    `# ${rule.id}: ${rule.title}`,
    '',
    d.summary,
    '',
    `Default severity: ${rule.defaultSeverity}`,
    '',
    '## When it fires, and when it stays quiet',
    '',
    d.when,
    '',
    '## What happens on the wire',
    '',
    d.wire,
    '',
    '## Code that triggers it',
    '',
    '```' + lang,
    d.bad.trimEnd(),
    '```',
    '',
    '## Corrected code',
    '',
    '```' + lang,
    d.good.trimEnd(),
    '```',
    '',
    '## Fix',
    '',
    d.fix,
    '',
    ...(d.python ? ['## In Python', '', d.python, ''] : []),
    ...(d.csharp ? ['## In C#', '', d.csharp, ''] : []),
    ...(d.go ? ['## In Go', '', d.go, ''] : []),
    ...(d.java ? ['## In Java', '', d.java, ''] : []),
    ...(d.node ? ['## In Node.js', '', d.node, ''] : []),
    '## Related rules in other tools',
    '',
    ...d.related.map((r) => `- ${r}`),
    '',
  ].join('\n');
}
