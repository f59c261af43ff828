// The language server over real stdio with a real LSP client: initialize, didOpen, didChange,
// diagnostics, code actions, hovers, configuration changes, .socklintrc.json, Scan Workspace's
// request, shutdown. Expected findings come from the engine itself (a full lint of the same text),
// so these tests check the server's plumbing, incremental edits and conventions, not rule output.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver-protocol';
import { ensureGrammars, initEngine, lint } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';
import { docsUrl } from '../../src/engine/rules/rule';
import { findingDetail } from '../../src/engine/detail';
import { HOVER_DETAIL_MAX_CHARS, shorten } from '../../src/server/hover';
import { LspClient, waitFor } from './lspClient';
import { bigFile, SILENT, SNDBUF_ZERO, SNDBUF_ZERO_RULE, tabsCrlf } from './fixtures';

const uri = (name: string) => `file:///virtual/${name}`;

/** What a full, from-scratch engine run says about `text`, in the shape the server publishes. */
function expected(text: string, lang: 'c' | 'cpp' = 'cpp', options = {}) {
  return lint(text, lang, options).findings.map((f) => ({ code: f.ruleId, range: f.range, message: f.message }));
}
/** LSP 3.18 allows Markdown messages; this server sends plain strings. */
const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
function got(diags: Diagnostic[]) {
  return diags.filter((d) => d.code !== undefined && !['too-large', 'time-budget'].includes(String(d.code)))
    .map((d) => ({ code: d.code, range: d.range, message: text(d) }));
}

/** Applies a code action's edit to the client's copy and sends it as incremental changes. */
async function applyAction(client: LspClient, docUri: string, action: CodeAction): Promise<number> {
  const change = action.edit!.documentChanges![0] as TextDocumentEdit;
  assert.equal(change.textDocument.version, client.document(docUri).version, 'the edit names the version it was computed for');
  const edits = change.edits.map((e) => ('snippet' in e ? { range: e.range, newText: (e as { snippet: { value: string } }).snippet.value } : e)) as TextEdit[];
  // Send the edits last-to-first so earlier ranges stay valid, as an editor does.
  const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  let v = 0;
  for (const e of sorted) v = await client.change(docUri, [{ range: e.range, text: e.newText }]);
  return v;
}

async function actionsFor(client: LspClient, docUri: string, d: Diagnostic): Promise<CodeAction[]> {
  const r = await client.conn.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: docUri },
    range: d.range,
    context: { diagnostics: [d] },
  });
  return (r ?? []) as CodeAction[];
}

before(async () => {
  await initEngine(grammarFiles());
  await ensureGrammars(['javascript', 'typescript']);
});

describe('language server over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    const init = await client.initialize();
    assert.equal(init.serverInfo?.name, 'socklint');
  });
  after(async () => {
    const code = await client.shutdown();
    assert.equal(code, 0, `server exit code; stderr: ${client.stderr.join('')}`);
  });

  it('announces incremental sync, quick fixes and hovers, and asks for setting and config-file events', async () => {
    // (initialize already ran; look at what it registered afterwards.)
    await waitFor('registrations', () => client.registrations.length >= 2 || undefined, 5000);
    assert.ok(client.registrations.includes('workspace/didChangeConfiguration'));
    assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'));
  });

  it('publishes diagnostics on open that follow the editor conventions', async () => {
    const u = uri('open.cpp');
    await client.open(u, SNDBUF_ZERO);
    const diags = await client.waitDiagnostics(u);
    assert.deepEqual(got(diags), expected(SNDBUF_ZERO));
    const d = diags.find((x) => x.code === SNDBUF_ZERO_RULE);
    assert.ok(d, `expected a ${SNDBUF_ZERO_RULE} diagnostic, got ${JSON.stringify(diags.map((x) => x.code))}`);
    assert.equal(d.source, 'socklint');
    assert.equal(d.codeDescription?.href, docsUrl(SNDBUF_ZERO_RULE));
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.ok(d.relatedInformation && d.relatedInformation.length > 0, 'relatedInformation points at the enabling call');
    assert.equal(d.relatedInformation[0].location.uri, u);
    assert.match(client.text(u).split('\n')[d.relatedInformation[0].location.range.start.line], /send\(/);
    assert.deepEqual((d.data as { ruleId: string }).ruleId, SNDBUF_ZERO_RULE);
    await client.close(u);
    await client.waitDiagnostics(u, (ds) => ds.length === 0);
  });

  it('keeps diagnostics equal to a full lint through a burst of small incremental edits, and publishes only the latest', async () => {
    const u = uri('typing.cpp');
    await client.open(u, SNDBUF_ZERO);
    await client.waitDiagnostics(u);
    const startSeq = client.lastSeq(u);
    // Type a comment and a statement one character at a time, deleting some of it again, with no pause.
    let rnd = 7;
    const next = () => (rnd = (rnd * 1103515245 + 12345) % 2147483648) / 2147483648;
    let last = 0;
    for (let i = 0; i < 60; i++) {
      const doc = client.document(u);
      const lines = doc.getText().split('\n');
      const line = 4 + Math.floor(next() * (lines.length - 6));
      const character = Math.floor(next() * (lines[line].length + 1));
      if (next() < 0.7) {
        last = await client.change(u, [{ range: { start: { line, character }, end: { line, character } }, text: next() < 0.1 ? '\n' : 'x;('[Math.floor(next() * 3)] }]);
      } else if (character > 0) {
        last = await client.change(u, [{ range: { start: { line, character: character - 1 }, end: { line, character } }, text: '' }]);
      }
    }
    const diags = await client.waitDiagnostics(u, (_d, p) => p.params.version === last, startSeq);
    assert.deepEqual(got(diags), expected(client.text(u)), 'incremental result equals a from-scratch lint');
    // The burst was read as one batch: stale versions were dropped, not linted and published one by one.
    const publishes = client.lastSeq(u) - startSeq;
    assert.ok(publishes <= 5, `published ${publishes} times for 60 edits`);
    await client.close(u);
  });

  it('offers the fix, disable line/file, docs and simulate actions; the fix removes the finding', async () => {
    const u = uri('fix.cpp');
    await client.open(u, SNDBUF_ZERO);
    const diags = await client.waitDiagnostics(u);
    const d = diags.find((x) => x.code === SNDBUF_ZERO_RULE)!;
    const actions = await actionsFor(client, u, d);
    const titles = actions.map((a) => a.title);
    const finding = lint(SNDBUF_ZERO, 'cpp').findings.find((f) => f.ruleId === SNDBUF_ZERO_RULE)!;
    for (const fix of finding.fixes) assert.ok(titles.includes(fix.title), `fix "${fix.title}" offered; got ${titles.join(' | ')}`);
    assert.ok(titles.includes(`Disable ${SNDBUF_ZERO_RULE} for this line`));
    assert.ok(titles.includes(`Disable ${SNDBUF_ZERO_RULE} for this file`));
    const docs = actions.find((a) => a.title.startsWith('Show documentation'))!;
    assert.deepEqual(docs.command?.arguments, [SNDBUF_ZERO_RULE]);
    const sim = actions.find((a) => a.title.startsWith('Simulate'));
    assert.equal(!!sim, !!finding.scenario, 'simulate is offered exactly when the finding has a scenario');
    if (sim) assert.deepEqual((sim.command!.arguments![0] as { scenario: unknown }).scenario, finding.scenario);

    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix, 'the rule fix is the preferred action');
    const seq = client.lastSeq(u);
    const v = await applyAction(client, u, fix);
    const after = await client.waitDiagnostics(u, (_d, p) => p.params.version === v, seq);
    assert.ok(!after.some((x) => x.code === SNDBUF_ZERO_RULE), 'finding gone after the fix');
    assert.doesNotMatch(client.text(u), /SO_SNDBUF/);
    assert.deepEqual(got(after), expected(client.text(u)));
    await client.close(u);
  });

  it('JavaScript and TypeScript documents: Node findings, a hover, and the setNoDelay(true) fix', async () => {
    const source = [
      "import * as net from 'node:net';",
      "import { once } from 'node:events';",
      '',
      'export async function call(host: string): Promise<Buffer> {',
      '  const sock = net.connect(7002, host);',
      "  sock.write('GET ');",
      "  sock.write('user:1\\r\\n');",
      "  const [reply] = await once(sock, 'data');",
      '  return reply;',
      '}',
      '',
    ].join('\n');
    for (const [name, languageId] of [['call.ts', 'typescript'], ['call.mjs', 'javascript']] as const) {
      const u = uri(name);
      const text_ = languageId === 'javascript' ? source.replace(': Promise<Buffer>', '').replace('host: string', 'host') : source;
      await client.open(u, text_, languageId);
      const diags = await client.waitDiagnostics(u, (ds) => ds.length > 0);
      const want = lint(text_, languageId).findings.map((f) => ({ code: f.ruleId, range: f.range, message: f.message }));
      assert.deepEqual(got(diags), want);
      const d = diags.find((x) => x.code === 'write-write-read')!;
      assert.equal(d.range.start.line, 6, JSON.stringify(diags));
      const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: d.range.start });
      // The hover explains the cost for the profile (Linux peers when none is chosen) and links the rule's page.
      assert.match((h?.contents as { value: string }).value, /^\*\*Write-write-read with Nagle on\.\*\* This 8-byte send follows an earlier send.*~40 ms/s);
      const fix = (await actionsFor(client, u, d)).find((a) => a.isPreferred)!;
      assert.equal(fix.title, 'Call setNoDelay(true) on this socket');
      const seq = client.lastSeq(u);
      const v = await applyAction(client, u, fix);
      const after = await client.waitDiagnostics(u, (_d, p) => p.params.version === v, seq);
      assert.equal(client.text(u).split('\n')[5], '  sock.setNoDelay(true);');
      assert.deepEqual(got(after), []);
      await client.close(u);
    }
  });

  it('a fix that inserts a line matches the file\'s tabs and CRLF line ends', async () => {
    const u = uri('tabs.cpp');
    const source = tabsCrlf();
    await client.open(u, source);
    const diags = await client.waitDiagnostics(u);
    const withFix = diags.filter((d) => lint(source, 'cpp').findings.some((f) => f.ruleId === d.code && f.fixes.length > 0 && f.fixes[0].edits.some((e) => e.newText.includes('\n'))));
    assert.ok(withFix.length > 0, `a finding with an inserting fix; got ${JSON.stringify(diags.map((d) => d.code))}`);
    const fix = (await actionsFor(client, u, withFix[0])).find((a) => a.isPreferred)!;
    const edit = (fix.edit!.documentChanges![0] as TextDocumentEdit).edits[0] as TextEdit;
    const line = edit.range.start.line;
    const v = await applyAction(client, u, fix);
    const after = client.text(u);
    assert.ok(!/[^\r]\n/.test(after), 'every line still ends with CRLF');
    const lines = after.split('\r\n');
    const indentOf = (l: string) => /^[ \t]*/.exec(l)![0];
    assert.match(lines[line], /^\t+\S/, `inserted line is tab-indented: ${JSON.stringify(lines[line])}`);
    assert.equal(indentOf(lines[line]), indentOf(lines[line + 1]), 'same indentation as the statement it precedes');
    const published = await client.waitDiagnostics(u, (_d, p) => p.params.version === v);
    assert.ok(!published.some((d) => d.code === withFix[0].code), 'the fix silences the finding');
    await client.close(u);
  });

  it('"disable for this line" inserts an indented comment with a reason, which silences the finding', async () => {
    const u = uri('disable-line.cpp');
    await client.open(u, SNDBUF_ZERO);
    const d = (await client.waitDiagnostics(u)).find((x) => x.code === SNDBUF_ZERO_RULE)!;
    const action = (await actionsFor(client, u, d)).find((a) => a.title.includes('for this line'))!;
    const seq = client.lastSeq(u);
    const v = await applyAction(client, u, action);
    const lines = client.text(u).split('\n');
    assert.equal(lines[d.range.start.line], `    // socklint-disable-next-line ${SNDBUF_ZERO_RULE} -- reason`);
    const after = await client.waitDiagnostics(u, (_d, p) => p.params.version === v, seq);
    assert.ok(!after.some((x) => x.code === SNDBUF_ZERO_RULE));
    assert.ok(!after.some((x) => x.code === 'unused-suppression'), 'the new comment is used');
    await client.close(u);
  });

  it('"disable for this file" silences the rule everywhere in the file', async () => {
    const u = uri('disable-file.cpp');
    const text = SNDBUF_ZERO + SNDBUF_ZERO.split('\n').slice(1).join('\n').replace('upload(', 'upload2(');
    await client.open(u, text);
    const diags = await client.waitDiagnostics(u);
    assert.equal(diags.filter((x) => x.code === SNDBUF_ZERO_RULE).length, 2);
    const action = (await actionsFor(client, u, diags.find((x) => x.code === SNDBUF_ZERO_RULE)!)).find((a) => a.title.includes('for this file'))!;
    const seq = client.lastSeq(u);
    const v = await applyAction(client, u, action);
    assert.equal(client.text(u).split('\n')[0], `/* socklint-disable ${SNDBUF_ZERO_RULE} */`);
    const after = await client.waitDiagnostics(u, (_d, p) => p.params.version === v, seq);
    assert.equal(after.filter((x) => x.code === SNDBUF_ZERO_RULE).length, 0);
    await client.close(u);
  });

  it('hover adds the explanation behind the message, never the message itself, short, with the docs link', async () => {
    const u = uri('hover.cpp');
    await client.open(u, SNDBUF_ZERO);
    const d = (await client.waitDiagnostics(u)).find((x) => x.code === SNDBUF_ZERO_RULE)!;
    const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: d.range.start });
    const value = (h?.contents as { value: string }).value;
    // VS Code shows the diagnostic's message above this part: not a word of it twice.
    assert.ok(!value.includes(text(d).slice(0, 40)), value);
    // The explanation: the finding's detail (or the rule's wire text), cut at a sentence to fit.
    const finding = lint(SNDBUF_ZERO, 'cpp').findings.find((f) => f.ruleId === SNDBUF_ZERO_RULE)!;
    const detail = findingDetail(finding)!.replace(/\s+/g, ' ');
    const shown = shorten(detail);
    const unescaped = value.replace(/\\(.)/g, '$1');
    assert.ok(unescaped.includes(shown.text), `${unescaped}\n---\n${shown.text}`);
    assert.ok(shown.text.length <= HOVER_DETAIL_MAX_CHARS);
    if (shown.cut) assert.match(shown.text, /(\.|\.\)| …)$/, 'cut at the end of a sentence, or marked as cut');
    assert.ok(value.includes(`](${docsUrl(SNDBUF_ZERO_RULE)})`), value);
    assert.ok(value.length < HOVER_DETAIL_MAX_CHARS + 200, `short enough to read without scrolling: ${value.length} characters`);
    const none = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: { line: 0, character: 0 } });
    assert.equal(none, null);
    await client.close(u);
  });

  it('code actions: the fix first and preferred, simulate and docs next, suppressions last and never preferred', async () => {
    const u = uri('order.cpp');
    const source = `${SNDBUF_ZERO}\nvoid push(SOCKET s, const char *buf, int n)\n{\n    send(s, buf, n, 0);\n}\n`;
    await client.open(u, source);
    const diags = await client.waitDiagnostics(u);
    const findings = lint(source, 'cpp').findings;

    const withFix = diags.find((x) => x.code === SNDBUF_ZERO_RULE)!;
    const a = await actionsFor(client, u, withFix);
    const fixes = findings.find((f) => f.ruleId === SNDBUF_ZERO_RULE)!.fixes;
    assert.ok(fixes.length > 0);
    assert.equal(a[0].title, fixes[0].title);
    assert.equal(a[0].isPreferred, true);
    assert.equal(a[0].kind, 'quickfix.socklint.fix', 'the client tells fixes from suppressions by this kind');
    assert.deepEqual(a.filter((x) => x.isPreferred).map((x) => x.title), [fixes[0].title], 'only the fix is preferred');
    const kinds: string[] = a.map((x) => (x.title.startsWith('Disable') ? 'disable' : x.title.startsWith('Show documentation') ? 'docs' : x.title.startsWith('Simulate') ? 'simulate' : 'fix'));
    const expectedOrder = (['fix', 'simulate', 'docs', 'disable'] as string[]).filter((k) => kinds.includes(k));
    assert.deepEqual(kinds.filter((k, i) => kinds.indexOf(k) === i), expectedOrder, a.map((x) => x.title).join(' | '));

    // A finding with no safe fix (only a pattern to adapt): nothing is preselected, and the menu still does not open on a suppression.
    const noFix = diags.find((x) => x.code === 'partial-send-ignored' && findings.some((f) => f.ruleId === x.code && f.fixes.every((fx) => fx.safe !== true) && f.range.start.line === x.range.start.line));
    assert.ok(noFix, `a finding without a safe fix; got ${JSON.stringify(diags.map((x) => x.code))}`);
    const b = await actionsFor(client, u, noFix);
    assert.ok(b.length > 0);
    assert.doesNotMatch(b[0].title, /^Disable/, b.map((x) => x.title).join(' | '));
    assert.ok(b.every((x) => !x.isPreferred));
    assert.match(b[b.length - 1].title, /^Disable .* for this file$/);
    await client.close(u);
  });

  it('a settings change re-lints open files at once (severity and off)', async () => {
    const u = uri('settings.cpp');
    await client.open(u, SNDBUF_ZERO);
    await client.waitDiagnostics(u);
    let seq = client.lastSeq(u);
    await client.changeSettings({ rules: { [SNDBUF_ZERO_RULE]: 'error' } });
    let diags = await client.waitDiagnostics(u, () => true, seq);
    assert.equal(diags.find((x) => x.code === SNDBUF_ZERO_RULE)?.severity, DiagnosticSeverity.Error);
    seq = client.lastSeq(u);
    await client.changeSettings({ rules: { 'sndbuf-*': 'off' } });
    diags = await client.waitDiagnostics(u, () => true, seq);
    assert.ok(!diags.some((x) => x.code === SNDBUF_ZERO_RULE));
    seq = client.lastSeq(u);
    await client.changeSettings({ enable: false });
    diags = await client.waitDiagnostics(u, () => true, seq);
    assert.deepEqual(diags, []);
    seq = client.lastSeq(u);
    await client.changeSettings({});
    diags = await client.waitDiagnostics(u, () => true, seq);
    assert.ok(diags.some((x) => x.code === SNDBUF_ZERO_RULE));
    await client.close(u);
  });

  it('a file over socklint.maxFileSizeKb gets one informational message, not silence', async () => {
    const u = uri('big.cpp');
    await client.changeSettings({ maxFileSizeKb: 1 });
    const source = bigFile(200);
    assert.ok(source.length > 1024);
    await client.open(u, source);
    const diags = await client.waitDiagnostics(u);
    assert.equal(diags.length, 1, JSON.stringify(diags));
    assert.equal(diags[0].severity, DiagnosticSeverity.Information);
    assert.equal(diags[0].source, 'socklint');
    assert.ok(text(diags[0]).length > 10);
    await client.changeSettings({});
    await client.close(u);
  });

  it('a file over the time budget gets one informational message, and the server keeps answering', async () => {
    const u = uri('slow.cpp');
    await client.changeSettings({ timeBudgetMs: 1 });
    await client.open(u, bigFile(2000));
    const diags = await client.waitDiagnostics(u, (ds) => ds.some((d) => d.code === 'time-budget'), 0, 30_000);
    const notice = diags.filter((d) => d.code === 'time-budget');
    assert.equal(notice.length, 1);
    assert.equal(notice[0].severity, DiagnosticSeverity.Information);
    assert.match(text(notice[0]), /time budget/);
    const rules = await client.conn.sendRequest<unknown[]>('socklint/rules');
    assert.ok(rules.length > 0);
    await client.changeSettings({});
    await client.close(u);
  });

  it('the rules and ruleDocs requests answer from the engine registry', async () => {
    const rules = await client.conn.sendRequest<{ id: string }[]>('socklint/rules');
    assert.ok(rules.some((r) => r.id === SNDBUF_ZERO_RULE));
    const docs = await client.conn.sendRequest<{ id: string; docs: { wire: string }; url: string } | null>('socklint/ruleDocs', { ruleId: SNDBUF_ZERO_RULE });
    assert.equal(docs?.url, docsUrl(SNDBUF_ZERO_RULE));
    assert.ok(docs!.docs.wire.length > 20);
    assert.equal(await client.conn.sendRequest('socklint/ruleDocs', { ruleId: 'no-such-rule' }), null);
  });
});

describe('language server with files on disk', () => {
  let dir: string;
  let client: LspClient;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'socklint-server-'));
    client = new LspClient();
    await client.initialize(pathToFileURL(dir).toString());
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('.socklintrc.json applies, settings override it, and editing it re-lints at once', async () => {
    const file = path.join(dir, 'a.cpp');
    const rc = path.join(dir, '.socklintrc.json');
    writeFileSync(file, SNDBUF_ZERO);
    writeFileSync(rc, JSON.stringify({ rules: { [SNDBUF_ZERO_RULE]: 'hint' } }));
    const u = pathToFileURL(file).toString();
    await client.open(u, SNDBUF_ZERO);
    let diags = await client.waitDiagnostics(u);
    assert.equal(diags.find((x) => x.code === SNDBUF_ZERO_RULE)?.severity, DiagnosticSeverity.Hint);

    let seq = client.lastSeq(u);
    writeFileSync(rc, JSON.stringify({ rules: { [SNDBUF_ZERO_RULE]: 'off' } }));
    await client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(rc).toString(), type: FileChangeType.Changed }] });
    diags = await client.waitDiagnostics(u, () => true, seq);
    assert.ok(!diags.some((x) => x.code === SNDBUF_ZERO_RULE), 'off in the file');

    seq = client.lastSeq(u);
    await client.changeSettings({ rules: { [SNDBUF_ZERO_RULE]: 'error' } });
    diags = await client.waitDiagnostics(u, () => true, seq);
    assert.equal(diags.find((x) => x.code === SNDBUF_ZERO_RULE)?.severity, DiagnosticSeverity.Error, 'settings win over the file');
    await client.changeSettings({});

    // A broken config file is reported on the config file, and the defaults apply.
    seq = client.lastSeq(u);
    writeFileSync(rc, '{ "rules": { "no-such-rule": "off" }, "profile": "windows-legacy" }');
    await client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(rc).toString(), type: FileChangeType.Changed }] });
    const rcDiags = await client.waitDiagnostics(pathToFileURL(rc).toString(), (ds) => ds.length > 0);
    assert.match(text(rcDiags[0]), /no-such-rule/);
    diags = await client.waitDiagnostics(u, () => true, seq);
    assert.deepEqual(got(diags), expected(SNDBUF_ZERO, 'cpp', { profile: 'windows-legacy' }));
    await client.close(u);
    rmSync(rc);
    await client.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(rc).toString(), type: FileChangeType.Deleted }] });
  });

  it('socklint/lintFiles lints closed files from disk and publishes their diagnostics', async () => {
    const a = path.join(dir, 'scan-a.c');
    const b = path.join(dir, 'scan-b.cpp');
    writeFileSync(a, SNDBUF_ZERO);
    writeFileSync(b, SILENT);
    const uris = [a, b, path.join(dir, 'notes.txt')].map((f) => pathToFileURL(f).toString());
    const r = await client.conn.sendRequest<{ linted: number; findings: number; skipped: number }>('socklint/lintFiles', { uris });
    assert.equal(r.linted, 2);
    assert.equal(r.skipped, 1);
    assert.equal(r.findings, lint(SNDBUF_ZERO, 'c').findings.length + lint(SILENT, 'cpp').findings.length);
    const da = await client.waitDiagnostics(uris[0]);
    assert.deepEqual(got(da), expected(SNDBUF_ZERO, 'c'));
  });
});

describe('language server with run = onSave and snippet edits', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient({ snippets: true, init: { debounceMs: 20 } });
    client.settings = { run: 'onSave' };
    await client.initialize();
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0);
  });

  it('lints on open and save only', async () => {
    const u = uri('onsave.cpp');
    await client.open(u, SILENT);
    await client.waitDiagnostics(u);
    const seq = client.lastSeq(u);
    // Turn the silent file into the firing one.
    const doc = client.document(u);
    await client.change(u, [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) }, text: SNDBUF_ZERO }]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(client.lastSeq(u), seq, 'nothing published while typing');
    await client.save(u);
    const diags = await client.waitDiagnostics(u, () => true, seq);
    assert.ok(diags.some((x) => x.code === SNDBUF_ZERO_RULE));
    // The reason in "disable for this line" is a snippet tab stop for clients that apply snippets.
    const action = (await actionsFor(client, u, diags.find((x) => x.code === SNDBUF_ZERO_RULE)!)).find((a) => a.title.includes('for this line'))!;
    const edit = (action.edit!.documentChanges![0] as TextDocumentEdit).edits[0] as unknown as { snippet: { value: string } };
    assert.match(edit.snippet.value, /-- \$\{1:reason\}/);
    await client.close(u);
  });
});
