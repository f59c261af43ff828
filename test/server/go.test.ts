// A Go document in the language server over real stdio: the server lints `go` documents (the Go
// grammar is loaded on the first one), publishes what a full lint finds with package net's names,
// offers the SetNoDelay(true) fix and a `//` disable-line action, and both remove the finding.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, type CodeAction, type Diagnostic, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol';
import { ensureGrammars, initEngine, lint } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';
import { LspClient } from './lspClient';

const CLIENT = `package rpc

import "net"

func Call(addr string, header, body []byte) (string, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return "", err
	}
	conn.(*net.TCPConn).SetNoDelay(false)
	conn.Write(header)
	conn.Write(body)
	reply := make([]byte, 256)
	n, err := conn.Read(reply)
	if string(reply[:n]) == "OK" {
		return "ok", nil
	}
	return "", err
}
`;

const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const got = (diags: Diagnostic[]) => diags.map((d) => ({ code: d.code, line: d.range.start.line, message: text(d) }));
const expected = (source: string) => lint(source, 'go').findings.map((f) => ({ code: f.ruleId, line: f.range.start.line, message: f.message }));

async function apply(client: LspClient, uri: string, action: CodeAction): Promise<number> {
  const edits = (action.edit!.documentChanges![0] as TextDocumentEdit).edits as TextEdit[];
  let v = 0;
  for (const e of [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)) {
    v = await client.change(uri, [{ range: e.range, text: e.newText }]);
  }
  return v;
}

before(async () => {
  await initEngine(grammarFiles());
  await ensureGrammars(['go']);
});

describe('a Go document in the language server', () => {
  let client: LspClient;
  before(async () => { client = new LspClient(); await client.initialize(); });
  after(async () => { assert.equal(await client.shutdown(), 0, client.stderr.join('')); });

  it('publishes the findings of a full lint, in Go terms', async () => {
    const u = 'file:///virtual/rpc.go';
    await client.open(u, CLIENT, 'go');
    const diags = await client.waitDiagnostics(u, (ds) => ds.length > 0);
    assert.deepEqual(got(diags), expected(CLIENT));
    assert.deepEqual(diags.map((d) => d.code).sort(), ['recv-message-boundary', 'write-write-read']);
    assert.match(text(diags.find((d) => d.code === 'recv-message-boundary')!), /^Read\(\) returns 1–256 bytes/);
    await client.close(u);
  });

  it('the SetNoDelay(true) fix and the // disable-line action each remove the finding', async () => {
    for (const pick of ['fix', 'disable'] as const) {
      const u = `file:///virtual/rpc-${pick}.go`;
      await client.open(u, CLIENT, 'go');
      const diags = await client.waitDiagnostics(u, (ds) => ds.length > 0);
      const d = diags.find((x) => x.code === 'write-write-read')!;
      const actions = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
      const action = pick === 'fix' ? actions.find((a) => a.isPreferred) : actions.find((a) => a.title === 'Disable write-write-read for this line');
      assert.ok(action, `${pick}: offered; got ${actions.map((a) => a.title).join(' | ')}`);
      if (pick === 'fix') assert.equal(action.title, "Keep Go's TCP_NODELAY: SetNoDelay(true)");
      const seq = client.lastSeq(u);
      const v = await apply(client, u, action);
      const after = await client.waitDiagnostics(u, (_d, p) => p.params.version === v, seq);
      assert.deepEqual(after.map((x) => x.code), ['recv-message-boundary'], client.text(u));
      if (pick === 'fix') assert.match(client.text(u), /SetNoDelay\(true\)/);
      else assert.match(client.text(u), /\/\/ socklint-disable-(next-)?line write-write-read/);
      await client.close(u);
    }
  });
});
