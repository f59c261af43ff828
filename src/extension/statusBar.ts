// The status bar item: a spinner while the server is analysing a document, otherwise the number
// of Socklint findings, named by what it counts. Until a workspace scan, only open files are
// linted (a closed file's diagnostics go away with it), so it says "open files"; after Scan
// Workspace it counts the scanned files too (kept current as they change) and says so.
// Clicking it opens the Problems panel.
import * as vscode from 'vscode';
import type { StatusParams } from '../server/protocol';
import type { ScanSummary } from './scan';

const SOURCE = 'socklint';
/** Diagnostics that report on the run (file skipped, cut short) rather than a finding. */
const NOTICE_CODES = new Set(['too-large', 'time-budget', 'binary', 'internal', 'encoding']);

function isFinding(d: vscode.Diagnostic): boolean {
  if (d.source !== SOURCE || d.code === undefined) return false;
  const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
  return !NOTICE_CODES.has(code);
}

export class SocklintStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('socklint.status', vscode.StatusBarAlignment.Right, 100);
  private readonly analysing = new Set<string>();
  private readonly notices = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];
  private starting = true;
  private lastScan: ScanSummary | undefined;

  constructor() {
    this.item.name = 'Socklint';
    this.item.command = 'workbench.actions.view.problems';
    this.disposables.push(
      this.item,
      vscode.languages.onDidChangeDiagnostics(() => this.render()),
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
    );
    this.render();
    this.item.show();
  }

  /** The language server is up: stop showing "starting". */
  ready(): void {
    this.starting = false;
    this.render();
  }

  failed(message: string): void {
    this.starting = false;
    this.item.text = '$(error) Socklint';
    this.item.tooltip = `Socklint's language server did not start: ${message}`;
  }

  /** A workspace scan finished: from now on the count covers the scanned files. */
  scanned(summary: ScanSummary): void {
    this.lastScan = summary;
    this.render();
  }

  update(p: StatusParams): void {
    if (p.state === 'analysing') this.analysing.add(p.uri);
    else this.analysing.delete(p.uri);
    if (p.notice) this.notices.set(p.uri, p.notice);
    else this.notices.delete(p.uri);
    this.render();
  }

  private render(): void {
    if (this.starting) {
      this.item.text = '$(loading~spin) Socklint';
      this.item.tooltip = 'Socklint: starting the language server';
      return;
    }
    let total = 0;
    for (const [, diags] of vscode.languages.getDiagnostics()) {
      total += diags.filter(isFinding).length;
    }
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    const notice = active ? this.notices.get(active) : undefined;
    const scope = this.lastScan ? 'workspace scan' : 'open files';
    const findings = `${total} finding${total === 1 ? '' : 's'}`;
    if (this.analysing.size > 0) {
      this.item.text = '$(loading~spin) Socklint: analysing';
    } else if (notice) {
      this.item.text = '$(info) Socklint: skipped';
    } else {
      this.item.text = total === 0 ? `$(pass) Socklint: no findings (${scope})` : `$(warning) Socklint: ${findings} (${scope})`;
    }
    const scan = this.lastScan;
    const what = scan
      ? `${findings} in the last workspace scan (${scan.at.toLocaleTimeString()}, ${scan.linted} of ${scan.files} C/C++ files${scan.cancelled ? ', cancelled' : ''}) and in files opened since, updated as they change.`
      : `${findings} in the open C/C++ files. **Socklint: Scan Workspace** checks every file.`;
    this.item.tooltip = new vscode.MarkdownString(`${notice ? `${notice}\n\n` : ''}${what} Click to open the Problems panel.`);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
