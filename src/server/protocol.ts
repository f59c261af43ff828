// Socklint's own messages between the language server and the VS Code extension, on top of LSP.
// Plain types and method names only: the extension imports this file without pulling in the server.
import type { Scenario } from '../common/scenario';

/** The `socklint.*` settings as the server receives them. Absent keys fall back to `.socklintrc.json`, then the defaults. */
export interface SocklintSettings {
  enable?: boolean;
  run?: 'onType' | 'onSave';
  rules?: Record<string, string>;
  maxFileSizeKb?: number;
  profile?: string;
  timeBudgetMs?: number;
  /**
   * `socklint.ceiling.*`: how far a workspace setting or a repository's `.socklintrc.json` may
   * raise the limits. Machine-scoped in VS Code, so only the user sets them.
   */
  ceiling?: { maxFileSizeKb?: number; timeBudgetMs?: number };
  /** Sent by the VS Code extension: false in Restricted Mode, where `.socklintrc.json` may only lower the limits. */
  workspaceTrusted?: boolean;
  /** `socklint.codeLens.enable`: the "Simulate: …" lens above findings (default true). */
  codeLens?: { enable?: boolean };
  /** `socklint.simulator.link`: the link preset findings are simulated on (default "lan"). */
  simulator?: { link?: string };
}

export interface InitializationOptions {
  /** Quiet time after a keystroke before linting (default 150 ms). */
  debounceMs?: number;
  /** The client answers `socklint/readFile` (the VS Code extension does): files of any scheme can be read. */
  readFile?: boolean;
}

/** What `Diagnostic.data` carries so a code action can find its finding again. */
export interface DiagnosticData {
  ruleId: string;
  /** Index into the findings of the lint run that published this diagnostic. */
  index: number;
  version: number | null;
}

export interface RuleSummary { id: string; title: string; defaultSeverity: string }

export interface RuleDocsResult extends RuleSummary {
  url: string;
  docs: { summary: string; wire: string; bad: string; good: string; fix: string; related: string[] };
}

/** Arguments of the `socklint.simulate` client command that code actions carry. */
export interface SimulateArgs {
  ruleId: string;
  title: string;
  scenario?: Scenario;
  fixedScenario?: Scenario;
}

export type StatusState = 'analysing' | 'idle';
export interface StatusParams {
  uri: string;
  state: StatusState;
  /** Reported findings in this document after the last run. */
  findings: number;
  /** Set when the file was skipped or cut short (too large, over the time budget). */
  notice?: string;
}

export interface LintFilesParams { uris: string[] }
/** A file's text read by the client with workspace.fs, for any scheme the editor can read (Scan Workspace, .socklintrc.json). */
export interface ReadFileParams { uri: string; maxBytes: number }
/** `text` is the file's bytes decoded as UTF-8 (a BOM kept). Not read past `maxBytes`, and never a FIFO or device. */
export type ReadFileResult =
  | { kind: 'ok'; text: string }
  | { kind: 'too-large'; size: number }
  | { kind: 'not-regular' }
  | { kind: 'error'; code: string };
export interface LintFilesResult { linted: number; findings: number; skipped: number }

export const Methods = {
  /** client -> server: every rule's id and title. */
  rules: 'socklint/rules',
  /** client -> server: one rule's documentation. */
  ruleDocs: 'socklint/ruleDocs',
  /** client -> server: lint files from disk and publish their diagnostics (Scan Workspace). */
  lintFiles: 'socklint/lintFiles',
  /** server -> client: a workspace file's text through workspace.fs (files the editor has not opened). */
  readFile: 'socklint/readFile',
  /** server -> client notification: a document is being analysed, or finished. */
  status: 'socklint/status',
} as const;

/** Client-side command ids that server code actions refer to. */
export const Commands = {
  showRuleDocumentation: 'socklint.showRuleDocumentation',
  simulate: 'socklint.simulate',
  openSimulator: 'socklint.openSimulator',
  scanWorkspace: 'socklint.scanWorkspace',
  showProblems: 'socklint.showProblems',
} as const;
