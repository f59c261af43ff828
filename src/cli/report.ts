// What a lint run produced, in the shape every output format reads.
import type { Finding, LanguageId, Severity } from '../engine';

export interface FileReport {
  abs: string;
  /** Path relative to the working directory, with `/` separators (absolute when outside it). */
  display: string;
  languageId: LanguageId;
  encoding: string;
  /** Kept only for files with findings (the text report quotes their lines). */
  text?: string;
  findings: Finding[];
  /** Findings silenced by in-source comments (SARIF keeps them as suppressed results). */
  suppressed: Finding[];
}

/** Something about the run itself, already printed to stderr; SARIF also carries it. */
export interface RunNotice {
  level: 'error' | 'warning' | 'note';
  message: string;
  /** The file it concerns, if any. */
  file?: { abs: string; display: string };
}

/**
 * What happened to each C/C++ file the run found: analysed in full, skipped (over the size limit
 * or the time budget, binary, unreadable) or failed (an internal error, out of memory). Only
 * analysed files count as "checked".
 */
export interface RunStats {
  analysed: number;
  skipped: number;
  failed: number;
}

export interface RunReport {
  cwd: string;
  /** Files the engine ran on (those skipped or failed after reading are here too, with no findings). */
  files: FileReport[];
  notices: RunNotice[];
  exitCode?: number;
  stats?: RunStats;
}

export type Counts = Record<Severity, number>;

export function countSeverities(files: FileReport[]): Counts {
  const counts: Counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const f of files) for (const x of f.findings) counts[x.severity]++;
  return counts;
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId),
  );
}
