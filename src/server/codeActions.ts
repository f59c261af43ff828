// Code actions for one finding, in the order the quick-fix menu shows them: the rule's fix
// (preferred, so it is the one selected and the one "auto fix" applies), simulate the latency
// impact, show the rule's documentation, and only then disable for this line / for the file, so
// Enter on an open menu never suppresses a finding. Pure functions over the document text so the
// tests can call them directly as well as over LSP.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleById } from '../engine';
import { UNUSED_SUPPRESSION_RULE, type Finding } from '../engine/types';
import { Commands, type SimulateArgs } from './protocol';

export interface ActionContext {
  doc: TextDocument;
  /** The client applies SnippetTextEdits (LSP 3.18): the reason becomes a tab stop to type over. */
  snippets: boolean;
  /** The document version the findings were computed for: the editor refuses edits for another. */
  version: number;
}

const REASON_PLACEHOLDER = 'reason';

/** The kind of a rule's fix: a quick fix the client can tell from the suppressions (it reveals the edit). */
export const FIX_KIND = `${CodeActionKind.QuickFix}.socklint.fix`;

function lineText(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
}

function indentOf(text: string): string {
  return /^[ \t]*/.exec(text)![0];
}

function eol(doc: TextDocument): string {
  return doc.getText().includes('\r\n') ? '\r\n' : '\n';
}

/**
 * The engine writes fixes with `\n` and with the indentation of the line they go to (tabs or
 * spaces, as found); in a CRLF file the inserted lines get CRLF too, so the file stays consistent.
 */
export function fitLineEndings(doc: TextDocument, edit: TextEdit): TextEdit {
  if (!edit.newText.includes('\n') || eol(doc) === '\n') return edit;
  return { range: edit.range, newText: edit.newText.replace(/\r?\n/g, '\r\n') };
}

function edit(ctx: ActionContext, edits: TextEdit[]): WorkspaceEdit {
  return { documentChanges: [{ textDocument: { uri: ctx.doc.uri, version: ctx.version }, edits }] };
}

/** `// socklint-disable-next-line <id> -- reason` above the finding, indented like it. */
export function disableLineAction(ctx: ActionContext, f: Finding, diagnostic: Diagnostic): CodeAction {
  const { doc } = ctx;
  const line = f.range.start.line;
  const indent = indentOf(lineText(doc, line));
  const nl = eol(doc);
  const at = { line, character: 0 };
  const head = `${indent}// socklint-disable-next-line ${f.ruleId} -- `;
  const textEdit = ctx.snippets
    ? { range: { start: at, end: at }, snippet: { kind: 'snippet', value: `${head.replace(/[$}\\]/g, '\\$&')}\${1:${REASON_PLACEHOLDER}}${nl}` } }
    : { range: { start: at, end: at }, newText: `${head}${REASON_PLACEHOLDER}${nl}` };
  return {
    title: `Disable ${f.ruleId} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: edit(ctx, [textEdit as TextEdit]),
  };
}

/** `/* socklint-disable <id> *\/` as the file's first line: a block with no end covers the rest of the file. */
export function disableFileAction(ctx: ActionContext, f: Finding, diagnostic: Diagnostic): CodeAction {
  const at = { line: 0, character: 0 };
  return {
    title: `Disable ${f.ruleId} for this file`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    edit: edit(ctx, [{ range: { start: at, end: at }, newText: `/* socklint-disable ${f.ruleId} */${eol(ctx.doc)}` }]),
  };
}

export function actionsForFinding(ctx: ActionContext, f: Finding, diagnostic: Diagnostic): CodeAction[] {
  const actions: CodeAction[] = [];
  f.fixes.forEach((fix, i) => {
    actions.push({
      title: fix.title,
      kind: FIX_KIND,
      diagnostics: [diagnostic],
      // Only a fix that needs no judgement is preferred (the one "auto fix" applies); a pattern to adapt is offered, not preselected.
      isPreferred: i === 0 && fix.safe !== false,
      edit: edit(ctx, fix.edits.map((e) => fitLineEndings(ctx.doc, e))),
    });
  });
  if (f.ruleId === UNUSED_SUPPRESSION_RULE) return actions;

  const title = ruleById(f.ruleId)?.title ?? f.ruleId;
  if (f.scenario) {
    const args: SimulateArgs = { ruleId: f.ruleId, title, scenario: f.scenario, fixedScenario: f.fixedScenario };
    actions.push({
      title: `Simulate the latency impact of ${f.ruleId}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      command: { title: 'Simulate latency impact', command: Commands.simulate, arguments: [args] },
    });
  }
  actions.push({
    title: `Show documentation for ${f.ruleId}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title: 'Show rule documentation', command: Commands.showRuleDocumentation, arguments: [f.ruleId] },
  });
  actions.push(disableLineAction(ctx, f, diagnostic), disableFileAction(ctx, f, diagnostic));
  return actions;
}
