// The JSON report of DESIGN.md: an array of findings with 1-based lines and columns
// (columns in UTF-16 units of the decoded text, as in editors; endColumn is exclusive).
import { findingDetail } from '../../engine/detail';
import { sortFindings, type RunReport } from '../report';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  severity: string;
  /** One sentence: what is wrong and what it costs. */
  message: string;
  /** The explanation behind it: what happens on the wire, the numbers, the fix. */
  detail?: string;
}

export function toJsonFindings(report: RunReport): JsonFinding[] {
  return report.files.flatMap((file) =>
    sortFindings(file.findings).map((f) => ({
      file: file.display,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message,
      detail: findingDetail(f),
    })),
  );
}

export function formatJson(report: RunReport): string {
  return `${JSON.stringify(toJsonFindings(report), null, 2)}\n`;
}
