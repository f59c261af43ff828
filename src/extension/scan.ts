// "Socklint: Scan Workspace": every C/C++ file in the workspace, minus files.exclude (findFiles
// applies it) and .gitignore (read here: findFiles does not), linted by the language server in
// batches so the progress notification moves and Cancel takes effect between batches.
// Works on URIs (no Node path module), so the scan runs the same in a browser.
import * as vscode from 'vscode';
import ignore, { type Ignore } from 'ignore';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { Methods, type LintFilesParams, type LintFilesResult } from '../server/protocol';

const SOURCES = '**/*.{c,C,cc,cpp,cxx,c++,h,hh,hpp,hxx,inl,ipp}';
const BATCH = 20;

/** One matcher per .gitignore, applied to paths relative to its own folder (as git does). */
async function gitignoreFilter(token: vscode.CancellationToken): Promise<(file: vscode.Uri) => boolean> {
  const files = await vscode.workspace.findFiles('**/.gitignore', '**/node_modules/**', undefined, token);
  const matchers: { folder: vscode.Uri; ig: Ignore }[] = [];
  for (const f of files) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(f));
      matchers.push({ folder: vscode.Uri.joinPath(f, '..'), ig: ignore().add(text) });
    } catch {
      // An unreadable .gitignore ignores nothing.
    }
  }
  return (file) =>
    !matchers.some(({ folder, ig }) => {
      const rel = relativePath(folder, file);
      return rel !== undefined && ig.ignores(rel);
    });
}

/** `file`'s path below `folder` ("src/a.c"), or undefined when it is not inside it. */
function relativePath(folder: vscode.Uri, file: vscode.Uri): string | undefined {
  if (folder.scheme !== file.scheme || folder.authority !== file.authority) return undefined;
  const base = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return file.path.startsWith(base) && file.path.length > base.length ? file.path.slice(base.length) : undefined;
}

/** What one Scan Workspace did, for the status bar. */
export interface ScanSummary { files: number; linted: number; findings: number; cancelled: boolean; at: Date }

export async function scanWorkspace(client: BaseLanguageClient): Promise<ScanSummary | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage('Socklint: open a folder to scan.');
    return undefined;
  }
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Socklint: scanning workspace', cancellable: true },
    async (progress, token) => {
      progress.report({ message: 'finding C/C++ files…' });
      const found = await vscode.workspace.findFiles(SOURCES, undefined, undefined, token);
      const keep = await gitignoreFilter(token);
      const files = found.filter(keep).sort((a, b) => a.path.localeCompare(b.path));
      const total: LintFilesResult = { linted: 0, findings: 0, skipped: 0 };
      for (let i = 0; i < files.length && !token.isCancellationRequested; i += BATCH) {
        const batch = files.slice(i, i + BATCH);
        const params: LintFilesParams = { uris: batch.map((u) => client.code2ProtocolConverter.asUri(u)) };
        let r: LintFilesResult;
        try {
          r = await client.sendRequest<LintFilesResult>(Methods.lintFiles, params, token);
        } catch (e) {
          if (token.isCancellationRequested) break; // the client rejects a cancelled request
          throw e;
        }
        total.linted += r.linted;
        total.findings += r.findings;
        total.skipped += r.skipped;
        progress.report({ increment: (batch.length / files.length) * 100, message: `${Math.min(i + BATCH, files.length)} of ${files.length} files` });
      }
      return { ...total, files: files.length, cancelled: token.isCancellationRequested };
    },
  );
  const what = `${summary.linted} of ${summary.files} C/C++ files, ${summary.findings} finding${summary.findings === 1 ? '' : 's'}`;
  void vscode.window.showInformationMessage(summary.cancelled ? `Socklint: scan cancelled after ${what}.` : `Socklint: scanned ${what}.`);
  if (summary.findings > 0) await vscode.commands.executeCommand('workbench.actions.view.problems');
  return { files: summary.files, linted: summary.linted, findings: summary.findings, cancelled: summary.cancelled, at: new Date() };
}
