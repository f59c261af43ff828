// The engine's public types: what a lint run returns. Positions are 0-based with UTF-16 columns,
// as in LSP; the CLI adds 1 when printing.
import type { ProfileSetting, Scenario } from '../common/scenario';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';
export type LanguageId = 'c' | 'cpp' | 'python' | 'csharp' | 'go' | 'java' | 'javascript' | 'typescript';

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface TextEdit { range: Range; newText: string }

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Applying it needs no judgement (the CLI's `--fix` applies only these); a fix that offers a
   *  pattern to adapt (batching, framing) is not safe. */
  safe?: boolean;
}

export interface RelatedLocation {
  range: Range;
  message: string;
  /** Set when the location is in another file than the finding (a path as the project knows it). */
  file?: string;
}

export interface Suppression {
  kind: 'line' | 'next-line' | 'block';
  /** The text after `--`, if any. */
  justification?: string;
  range: Range;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** One short sentence (under 160 characters, the first clause under ~100): what is wrong, what it costs. */
  message: string;
  /** The rest for this finding: what happens on the wire, the numbers and their assumptions, the
   *  fix. Shown in the hover and by `--verbose`; carried by JSON and SARIF. Never repeats `message`. */
  detail?: string;
  range: Range;
  /** The calls that enable the problem (the FIONBIO, the earlier connect, the first send). */
  related: RelatedLocation[];
  fixes: Fix[];
  /** The pattern as written, for the simulator; absent when the cost is not latency. */
  scenario?: Scenario;
  /** The same pattern with the rule's fix applied. */
  fixedScenario?: Scenario;
  /** Set when an in-source comment suppresses this finding (kept for SARIF). */
  suppression?: Suppression;
}

/** Something the user must be told about the run itself: a bound hit, a file skipped. */
export interface Notice {
  kind: 'too-large' | 'time-budget' | 'binary' | 'parse-errors' | 'config' | 'encoding' | 'internal';
  message: string;
}

export interface LintOptions {
  /** The OS the numbers assume; `auto` or unset: Windows 10/11 for Winsock code, Linux otherwise. */
  profile?: ProfileSetting;
  /** Rule id or glob ("*", "wouldblock-*") to severity; later keys win. */
  rules?: Record<string, SeveritySetting>;
  maxFileSizeBytes?: number;
  timeBudgetMs?: number;
  /** Report suppression comments that suppress nothing (default true). */
  reportUnusedSuppressions?: boolean;
  /** A parse stops (the file is reported as too large) when the parser's WebAssembly heap grows past this. */
  parserHeapCapBytes?: number;
}

export interface LintResult {
  /** Findings that are reported (suppressed ones are in `suppressed`). */
  findings: Finding[];
  suppressed: Finding[];
  notices: Notice[];
  /** ERROR / MISSING nodes in the tree: the parts around them are still analysed. */
  errorNodes: number;
  timing: { parseMs: number; analyseMs: number };
}

export const UNUSED_SUPPRESSION_RULE = 'unused-suppression';
export const DEFAULT_MAX_FILE_SIZE_BYTES = 1024 * 1024;
export const DEFAULT_TIME_BUDGET_MS = 2000;
