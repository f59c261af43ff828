// Engine findings -> LSP diagnostics, following DESIGN.md's editor conventions: `source`,
// `code` with a docs link, `relatedInformation` at the enabling call, `data` for code actions.
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { docsUrl } from '../engine/rules/rule';
import { UNUSED_SUPPRESSION_RULE, type Finding, type LintResult, type Notice, type Severity } from '../engine/types';
import type { DiagnosticData } from './protocol';

export const SOURCE = 'socklint';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(uri: string, f: Finding, index: number, version: number | null): Diagnostic {
  const data: DiagnosticData = { ruleId: f.ruleId, index, version };
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    source: SOURCE,
    code: f.ruleId,
    message: f.message,
    data,
  };
  if (f.ruleId !== UNUSED_SUPPRESSION_RULE) d.codeDescription = { href: docsUrl(f.ruleId) };
  else d.tags = [DiagnosticTag.Unnecessary];
  if (f.related.length > 0) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  }
  return d;
}

/** The notices a user must see (skipped or cut-short files) become one informational diagnostic at the top. */
const SHOWN_NOTICES = new Set<Notice['kind']>(['too-large', 'time-budget', 'binary', 'internal', 'encoding']);

export function noticeDiagnostic(notices: Notice[]): Diagnostic | undefined {
  const shown = notices.filter((n) => SHOWN_NOTICES.has(n.kind));
  if (shown.length === 0) return undefined;
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: SOURCE,
    code: shown[0].kind,
    message: shown.map((n) => n.message).join('\n'),
  };
}

export function toDiagnostics(uri: string, result: LintResult, version: number | null): Diagnostic[] {
  const out = result.findings.map((f, i) => toDiagnostic(uri, f, i, version));
  const notice = noticeDiagnostic(result.notices);
  if (notice) out.unshift(notice);
  return out;
}

/** A `.socklintrc.json` problem ("file:3:5: message" or "file: message") as a diagnostic on that file. */
export function configProblemDiagnostic(problem: string, file: string): Diagnostic {
  const m = problem.startsWith(file) ? /^:(\d+):(\d+):/.exec(problem.slice(file.length)) : null;
  const line = m ? Math.max(0, Number(m[1]) - 1) : 0;
  const character = m ? Math.max(0, Number(m[2]) - 1) : 0;
  const message = problem.startsWith(file) ? problem.slice(file.length).replace(/^(:\d+:\d+)?:\s*/, '') : problem;
  return {
    range: { start: { line, character }, end: { line, character: character + 1 } },
    severity: DiagnosticSeverity.Warning,
    source: SOURCE,
    message,
  };
}
