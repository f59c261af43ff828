// A Java document in the language server over real stdio: the Java grammar loads on the first Java
// document, diagnostics carry java.net's names, the setTcpNoDelay(true) quick fix applied as the
// editor would removes the finding (the diagnostics after the edit equal a full lint), and the
// hover explains the finding.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, HoverRequest, type CodeAction, type Diagnostic, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol';
import { ensureGrammars, initEngine, lint } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';
import { LspClient } from './lspClient';

const FEED = `import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;

class Feed {
    void run(String host, long[] samples) throws IOException {
        Socket s = new Socket(host, 2003);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        for (int i = 0; i < samples.length; i++) {
            out.writeLong(samples[i]);
        }
    }
}
`;

const uri = 'file:///virtual/Feed.java';
const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const expected = (source: string) => lint(source, 'java', { profile: 'windows-legacy' }).findings.map((f) => ({ code: f.ruleId, line: f.range.start.line, message: f.message }));
const got = (ds: Diagnostic[]) => ds.filter((d) => d.code !== undefined).map((d) => ({ code: d.code, line: d.range.start.line, message: text(d) }));

before(async () => {
  await initEngine(grammarFiles());
  await ensureGrammars(['java']);
});

describe('a Java document in the language server', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    // Small one-way writes stall against a Windows peer; on the Linux profile (auto's choice for Java) they do not.
    client.settings = { profile: 'windows-legacy' };
    await client.initialize();
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0, client.stderr.join(''));
  });

  it('publishes the Java findings, fixes them with setTcpNoDelay(true), and follows edits', async () => {
    await client.open(uri, FEED, 'java');
    const diags = await client.waitDiagnostics(uri, (ds) => ds.some((d) => d.code === 'small-sends-nagle'));
    assert.deepEqual(got(diags), expected(FEED));
    const d = diags.find((x) => x.code === 'small-sends-nagle')!;
    assert.equal(d.range.start.line, 9);
    assert.match(text(d), /^8-byte sends in a loop with Nagle on/);

    const hover = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: d.range.start });
    const hoverText = JSON.stringify(hover?.contents ?? '');
    assert.match(hoverText, /Small sends in a loop with Nagle on/, hoverText);
    assert.match(hoverText, /200 ms delayed-ACK/, hoverText);

    const actions = ((await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) ?? []) as CodeAction[];
    const fix = actions.find((a) => a.title === 'Call setTcpNoDelay(true) on this socket');
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    const change = fix.edit!.documentChanges![0] as TextDocumentEdit;
    let version = 0;
    for (const e of [...change.edits].reverse() as TextEdit[]) version = await client.change(uri, [{ range: e.range, text: e.newText }]);
    const after = await client.waitDiagnostics(uri, (_ds, p) => p.params.version === version);
    assert.equal(client.text(uri).split('\n')[7].trim(), 's.setTcpNoDelay(true);');
    assert.deepEqual(got(after), []);
    assert.deepEqual(expected(client.text(uri)), []);
  });
});
