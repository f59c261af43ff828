// After a rule's fix is applied, show where it changed the file: a fix often lands away from the
// finding (TCP_NODELAY goes right after the socket is created, a setsockopt moves before connect),
// and VS Code applies a code action's edit without scrolling to it. The language server marks its
// fixes with FIX_KIND; the client middleware gives each one a follow-up command that reveals and
// selects the changed text once the edit is in (LSP runs a code action's command after its edit).
import * as vscode from 'vscode';

export const REVEAL_FIX_COMMAND = 'socklint.revealFix';
/** Must match FIX_KIND in src/server/codeActions.ts. */
const FIX_KIND = vscode.CodeActionKind.QuickFix.append('socklint').append('fix');

const newlines = (s: string) => s.split('\n').length - 1;

/**
 * Where the fix's main change sits once all its edits are applied: the first edit that inserts
 * code other than an #include (the TCP_NODELAY line, the moved statement), else the first edit.
 * Ranges of a workspace edit refer to the text before it, so the lines that earlier edits add or
 * remove shift it.
 */
export function changedRange(edits: readonly vscode.TextEdit[]): vscode.Range | undefined {
  if (edits.length === 0) return undefined;
  const sorted = [...edits].sort((a, b) => a.range.start.compareTo(b.range.start));
  const primary = sorted.find((e) => e.newText.trim() && !/^\s*#\s*include\b/.test(e.newText)) ?? sorted[0];
  let shift = 0;
  for (const e of sorted) {
    if (e === primary) break;
    shift += newlines(e.newText) - (e.range.end.line - e.range.start.line);
  }
  const start = new vscode.Position(primary.range.start.line + shift, primary.range.start.character);
  // Select the inserted text without its final line break (a deletion selects nothing).
  const text = primary.newText.replace(/\r?\n$/, '');
  const lines = text.split('\n');
  const end = lines.length === 1
    ? start.translate(0, lines[0].length)
    : new vscode.Position(start.line + lines.length - 1, lines[lines.length - 1].replace(/\r$/, '').length);
  return new vscode.Range(start, end);
}

/** Gives each Socklint fix in `actions` the command that reveals its edit. */
export function withRevealCommands(
  document: vscode.TextDocument,
  actions: (vscode.CodeAction | vscode.Command)[] | null | undefined,
): (vscode.CodeAction | vscode.Command)[] | null | undefined {
  for (const a of actions ?? []) {
    if (!(a instanceof vscode.CodeAction) || !a.kind || !FIX_KIND.contains(a.kind) || !a.edit || a.command) continue;
    const range = changedRange(a.edit.get(document.uri));
    if (range) a.command = { title: 'Show the fix', command: REVEAL_FIX_COMMAND, arguments: [document.uri.toString(), range] };
  }
  return actions;
}

/** The command itself: scrolls the range into view (centred when it was off-screen) and selects it. */
export function registerRevealFix(): vscode.Disposable {
  return vscode.commands.registerCommand(REVEAL_FIX_COMMAND, (uri: string, range: vscode.Range) => {
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
    if (!editor) return;
    const r = editor.document.validateRange(range);
    editor.selection = new vscode.Selection(r.start, r.end);
    editor.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  });
}
