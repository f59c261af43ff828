// "Show rule documentation": the rule's docs text (from the language server) as a themed page.
// No scripts at all: the CSP allows only the page's own nonce'd style, and enableScripts is off.
import * as vscode from 'vscode';
import { makeNonce } from '../panel/html';
import type { RuleDocsResult } from '../server/protocol';

const VIEW_TYPE = 'socklint.ruleDocs';
let panel: vscode.WebviewPanel | undefined;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Paragraphs split on blank lines; `inline code` kept as code. Everything else is text. */
function prose(s: string): string {
  return s
    .split(/\n\s*\n/)
    .map((p) => `<p>${esc(p.trim()).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('\n');
}

export function ruleDocsHtml(rule: RuleDocsResult, nonce: string): string {
  const d = rule.docs;
  const related = d.related.length ? `<h2>Related rules in other tools</h2><ul>${d.related.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(rule.id)}</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground);
         background: var(--vscode-editor-background); max-width: 52rem; padding: 0 1.5rem 2rem; line-height: 1.5; }
  h1 { font-size: 1.5em; font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .4em; }
  h2 { font-size: 1.15em; font-weight: 600; margin-top: 1.6em; }
  .id { font-family: var(--vscode-editor-font-family); color: var(--vscode-descriptionForeground); }
  .sev { display: inline-block; padding: 0 .5em; border-radius: 3px; background: var(--vscode-badge-background); color: var(--vscode-badge-foreground); }
  pre { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); background: var(--vscode-textCodeBlock-background);
        padding: .7em 1em; overflow-x: auto; border-left: 3px solid var(--vscode-panel-border); }
  pre.bad { border-left-color: var(--vscode-editorWarning-foreground); }
  pre.good { border-left-color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
  code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 0 .2em; }
  pre code { background: none; padding: 0; }
  a { color: var(--vscode-textLink-foreground); }
</style></head>
<body>
<h1>${esc(rule.title)}</h1>
<p><span class="id">${esc(rule.id)}</span> &nbsp; <span class="sev">default: ${esc(rule.defaultSeverity)}</span></p>
${prose(d.summary)}
<h2>What happens on the wire</h2>
${prose(d.wire)}
<h2>Code that triggers it</h2>
<pre class="bad"><code>${esc(d.bad.trimEnd())}</code></pre>
<h2>Corrected code</h2>
<pre class="good"><code>${esc(d.good.trimEnd())}</code></pre>
<h2>Fix</h2>
${prose(d.fix)}
${related}
<p><a href="${esc(rule.url)}">Rule page</a></p>
</body></html>`;
}

/** Shows (or reuses) the docs panel for one rule. */
export function showRuleDocs(rule: RuleDocsResult): void {
  const nonce = makeNonce();
  if (!panel) {
    panel = vscode.window.createWebviewPanel(VIEW_TYPE, '', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: false, localResourceRoots: [] });
    panel.onDidDispose(() => (panel = undefined));
  }
  panel.title = `Socklint: ${rule.id}`;
  panel.webview.html = ruleDocsHtml(rule, nonce);
  panel.reveal(undefined, true);
}
