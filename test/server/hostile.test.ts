// The language server given hostile input over real stdio with a real LSP client: edit ranges
// that are reversed or outside the document, malformed changes, requests with null or junk
// params, a workspace whose .socklintrc.json asks for unbounded limits or is a FIFO, and an
// engine that runs out of memory. Expected findings come from a from-scratch engine run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  DidChangeTextDocumentNotification,
  DiagnosticSeverity,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
} from 'vscode-languageserver-protocol';
import { initEngine, lint } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';
import { LspClient, SERVER, waitFor } from './lspClient';
import { SNDBUF_ZERO, SNDBUF_ZERO_RULE } from './fixtures';

const uri = (name: string) => `file:///virtual/${name}`;
const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const expected = (source: string, lang: 'c' | 'cpp' = 'c') => lint(source, lang).findings.map((f) => ({ code: f.ruleId, range: f.range }));
const got = (diags: Diagnostic[]) => diags.filter((d) => d.source === 'socklint' && typeof d.code === 'string' && !['too-large', 'time-budget', 'internal'].includes(d.code))
  .map((d) => ({ code: d.code, range: d.range }));

/** Two lines; the first has an ignored send (one finding), the second nothing. */
const TWO_LINES = 'int f(int s, const char *b, int n) { send(s, b, n, 0); return 0; }\nint g(void) { return 0; }\n';

before(async () => {
  await initEngine(grammarFiles());
});

describe('language server given malformed edits and requests', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient();
    await client.initialize();
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0, client.stderr.join(''));
  });

  /** Sends a didChange as given (the test client's own copy is not touched) and waits for that version. */
  async function rawChange(u: string, version: number, contentChanges: unknown): Promise<Diagnostic[]> {
    const seq = client.lastSeq(u);
    await client.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version }, contentChanges } as never);
    return client.waitDiagnostics(u, (_d, p) => p.params.version === version, seq);
  }

  it('a reversed range is applied as its well-formed twin; both copies agree with a fresh lint', async () => {
    const u = uri('reversed.c');
    await client.open(u, TWO_LINES, 'c');
    assert.deepEqual(got(await client.waitDiagnostics(u)), expected(TWO_LINES));
    assert.equal(expected(TWO_LINES).length, 1);
    // Start after end: deletes line 0 (as TextDocument does); the old server duplicated it instead.
    const v = await client.change(u, [{ range: { start: { line: 1, character: 0 }, end: { line: 0, character: 0 } }, text: '' }]);
    assert.equal(client.text(u), 'int g(void) { return 0; }\n');
    const diags = await client.waitDiagnostics(u, (_d, p) => p.params.version === v);
    assert.deepEqual(got(diags), [], 'opened fresh, this text has no findings');
    assert.deepEqual(got(diags), expected(client.text(u)));
    const actions = await client.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } }, context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);
    assert.ok(client.logs.some((l) => l.includes("the range's start was after its end; swapped")), client.logs.join('\n'));
    // Typing goes on from the repaired text.
    const v2 = await client.change(u, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'void h(int s, const char *b, int n) { send(s, b, n, 0); }\n' }]);
    const after = await client.waitDiagnostics(u, (_d, p) => p.params.version === v2);
    assert.deepEqual(got(after), expected(client.text(u)));
    assert.equal(got(after).length, 1);
    await client.close(u);
  });

  it('positions past a line or past the document are clamped as LSP says, the same in both copies', async () => {
    const u = uri('clamped.c');
    // Line 0 sends nothing; line 1 is an ignored send.
    const source = 'int f(int s, const char *b, int n) { return 0; }\nint g(int s, const char *b, int n) { send(s, b, n, 0); return 0; }\n';
    await client.open(u, source, 'c');
    await client.waitDiagnostics(u);
    // Character 999 on line 0 means the end of line 0 (not the start of line 1): the comment
    // opener lands at the end of line 0 and silences nothing.
    let diags = await rawChange(u, 2, [{ range: { start: { line: 0, character: 999 }, end: { line: 0, character: 999 } }, text: ' //' }]);
    const afterFirst = 'int f(int s, const char *b, int n) { return 0; } //\nint g(int s, const char *b, int n) { send(s, b, n, 0); return 0; }\n';
    assert.deepEqual(got(diags), expected(afterFirst));
    assert.equal(got(diags).length, 1);
    // Line 50 of a 3-line document means its end: the text is appended.
    const tail = 'void h(int s, const char *b, int n) { send(s, b, n, 0); }\n';
    diags = await rawChange(u, 3, [{ range: { start: { line: 50, character: 3 }, end: { line: 60, character: 0 } }, text: tail }]);
    assert.deepEqual(got(diags), expected(afterFirst + tail));
    // Negative and fractional numbers: clamped and truncated, never NaN offsets.
    diags = await rawChange(u, 4, [{ range: { start: { line: -4, character: -1 }, end: { line: 0, character: 0.5 } }, text: '/* head */ ' }]);
    assert.deepEqual(got(diags), expected(`/* head */ ${afterFirst}${tail}`));
    // The code actions (computed from the server's text) point where the findings (computed by the engine) are.
    const d = diags.find((x) => x.code === 'partial-send-ignored')!;
    const actions = (await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: u }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
    const disable = actions.find((a) => a.title.includes('for this line'))!;
    const edit = (disable.edit!.documentChanges![0] as { edits: { range: { start: { line: number } }; newText: string }[] }).edits[0];
    assert.equal(edit.range.start.line, d.range.start.line);
    await client.close(u);
  });

  it('malformed changes are dropped and logged; the document stays as it was', async () => {
    const u = uri('junk.c');
    await client.open(u, TWO_LINES, 'c');
    await client.waitDiagnostics(u);
    for (const [version, changes] of [
      [2, 'not an array'],
      [3, [null, 5, { text: 42 }]],
      [4, [{ range: { start: { line: 'x', character: 0 }, end: { line: 0, character: 0 } }, text: 'boom' }]],
      [5, [{ range: { start: { line: 0 } }, text: 'boom' }]],
    ] as const) {
      const diags = await rawChange(u, version, changes);
      assert.deepEqual(got(diags), expected(TWO_LINES), `version ${version}`);
    }
    assert.ok(client.logs.some((l) => l.includes('contentChanges is not an array')));
    assert.ok(client.logs.some((l) => l.includes('has a malformed range; dropped')));
    await client.close(u);
  });

  it('requests with null or junk params get an empty answer, never an internal error', async () => {
    const u = uri('params.cpp');
    await client.open(u, SNDBUF_ZERO);
    const diags = await client.waitDiagnostics(u);
    assert.equal(await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u } } as never), null);
    assert.equal(await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: 7 }, position: { line: 0, character: 0 } } as never), null);
    assert.deepEqual(await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: u } } as never), []);
    const d = diags.find((x) => x.code === SNDBUF_ZERO_RULE)!;
    // Junk diagnostics beside a real one: the junk is skipped, the real one still gets its actions.
    const mixed = (await client.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: u }, range: d.range, context: { diagnostics: [null, 5, { range: 'x' }, d] },
    } as never)) as CodeAction[];
    assert.ok(mixed.some((a) => a.title === `Disable ${SNDBUF_ZERO_RULE} for this line`), JSON.stringify(mixed.map((a) => a.title)));
    assert.equal(await client.conn.sendRequest('socklint/ruleDocs', null), null);
    assert.equal(await client.conn.sendRequest('socklint/ruleDocs', { ruleId: { $gt: '' } }), null);
    assert.deepEqual(await client.conn.sendRequest('socklint/lintFiles', null), { linted: 0, findings: 0, skipped: 0 });
    assert.deepEqual(await client.conn.sendRequest('socklint/lintFiles', { uris: [42, null] }), { linted: 0, findings: 0, skipped: 2 });
    // Still serving: a real hover on the finding.
    const hover = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri: u }, position: d.range.start });
    assert.ok(hover && JSON.stringify(hover.contents).includes(SNDBUF_ZERO_RULE));
    await client.close(u);
  });
});

/**
 * JSON-RPC written byte for byte, for what no client library will send: `"params": null`.
 * Returns each response by id.
 */
class RawSession {
  readonly proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  private buffer = Buffer.alloc(0);
  private readonly responses = new Map<number, { result?: unknown; error?: { code: number; message: string } }>();
  readonly notifications: { method: string; params: unknown }[] = [];

  constructor() {
    this.proc.stdout.on('data', (b: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, b]);
      for (;;) {
        const head = this.buffer.indexOf('\r\n\r\n');
        if (head < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, head).toString())![1]);
        if (this.buffer.length < head + 4 + length) return;
        const msg = JSON.parse(this.buffer.subarray(head + 4, head + 4 + length).toString());
        this.buffer = this.buffer.subarray(head + 4 + length);
        if (typeof msg.id === 'number' && !msg.method) this.responses.set(msg.id, msg);
        else if (msg.method && msg.id === undefined) this.notifications.push(msg);
      }
    });
  }

  send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  async request(id: number, method: string, params: unknown) {
    this.send({ id, method, params });
    return waitFor(`response ${id}`, () => this.responses.get(id));
  }
}

describe('language server given raw JSON-RPC with null params', () => {
  it('hover, codeAction and the custom requests answer null params with an empty result', async () => {
    const raw = new RawSession();
    try {
      const init = await raw.request(1, 'initialize', { processId: null, rootUri: null, capabilities: {} });
      assert.ok(init.result, JSON.stringify(init));
      raw.send({ method: 'initialized', params: {} });
      raw.send({ method: 'textDocument/didOpen', params: null });
      raw.send({ method: 'textDocument/didChange', params: null });
      raw.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///v/a.c', languageId: 'c', version: 1, text: TWO_LINES } } });
      assert.deepEqual(await raw.request(2, 'textDocument/hover', null), { jsonrpc: '2.0', id: 2, result: null });
      assert.deepEqual(await raw.request(3, 'textDocument/codeAction', null), { jsonrpc: '2.0', id: 3, result: [] });
      assert.deepEqual(await raw.request(4, 'socklint/ruleDocs', null), { jsonrpc: '2.0', id: 4, result: null });
      assert.deepEqual(await raw.request(5, 'socklint/lintFiles', null), { jsonrpc: '2.0', id: 5, result: { linted: 0, findings: 0, skipped: 0 } });
      assert.deepEqual(await raw.request(6, 'textDocument/hover', { textDocument: null, position: 'top' }), { jsonrpc: '2.0', id: 6, result: null });
      // Parameters by position are refused by the protocol layer as invalid params, not as an internal error.
      const positional = await raw.request(7, 'textDocument/hover', [1, 2]);
      assert.notEqual(positional.error?.code, -32603, JSON.stringify(positional));
      // Still serving the document opened between the junk: its diagnostics, and a hover on the finding.
      const published = await waitFor('diagnostics for a.c', () => raw.notifications.find((n) => n.method === 'textDocument/publishDiagnostics'
        && (n.params as { uri: string }).uri === 'file:///v/a.c') as { params: { diagnostics: Diagnostic[] } } | undefined);
      assert.deepEqual(got(published.params.diagnostics), expected(TWO_LINES));
      const hover = await raw.request(8, 'textDocument/hover', { textDocument: { uri: 'file:///v/a.c' }, position: published.params.diagnostics[0].range.start });
      assert.ok(JSON.stringify(hover.result).includes('partial-send-ignored'), JSON.stringify(hover));
      const shutdown = await raw.request(9, 'shutdown', null);
      assert.equal(shutdown.error, undefined);
      raw.send({ method: 'exit' });
    } finally {
      raw.proc.kill();
    }
  });
});

describe('language server in a hostile workspace', () => {
  let dir: string;
  let client: LspClient;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'socklint-hostile-'));
    client = new LspClient();
    await client.initialize(pathToFileURL(dir).toString());
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0, client.stderr.join(''));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a .socklintrc.json cannot raise the limits past the user\'s ceiling, and says so on the file', async () => {
    const sub = path.join(dir, 'capped');
    spawnSync('mkdir', ['-p', sub]);
    const rc = path.join(sub, '.socklintrc.json');
    writeFileSync(rc, '{ "maxFileSizeKb": 1e9, "timeBudgetMs": 1e9 }');
    client.settings = { ceiling: { maxFileSizeKb: 2, timeBudgetMs: 5000 } };
    const file = path.join(sub, 'three-kb.c');
    const source = TWO_LINES.repeat(30);
    assert.ok(source.length > 2048 && source.length < 4096);
    const u = pathToFileURL(file).toString();
    await client.open(u, source, 'c');
    const diags = await client.waitDiagnostics(u);
    assert.equal(diags.length, 1, JSON.stringify(diags));
    assert.equal(diags[0].code, 'too-large');
    assert.equal(diags[0].severity, DiagnosticSeverity.Information);
    assert.match(text(diags[0]), /over the 2 KB limit/);
    const rcDiags = await client.waitDiagnostics(pathToFileURL(rc).toString(), (ds) => ds.length === 2);
    assert.deepEqual(rcDiags.map(text).sort(), [
      '"maxFileSizeKb": 1000000000 is over the ceiling of 2 (only the user setting socklint.ceiling.maxFileSizeKb can raise it); using 2',
      '"timeBudgetMs": 1000000000 is over the ceiling of 5000 (only the user setting socklint.ceiling.timeBudgetMs can raise it); using 5000',
    ]);
    await client.close(u);
  });

  it('in an untrusted workspace a .socklintrc.json may lower the limits but not raise them', async () => {
    const sub = path.join(dir, 'untrusted');
    spawnSync('mkdir', ['-p', sub]);
    const rc = path.join(sub, '.socklintrc.json');
    // The default is 1024 KB; the file asks for 2000.
    writeFileSync(rc, '{ "maxFileSizeKb": 2000 }');
    await client.changeSettings({ workspaceTrusted: false });
    const u = pathToFileURL(path.join(sub, 'big.c')).toString();
    const big = TWO_LINES.repeat(Math.ceil((1100 * 1024) / TWO_LINES.length));
    await client.open(u, big, 'c');
    const diags = await client.waitDiagnostics(u);
    assert.equal(diags[0]?.code, 'too-large', JSON.stringify(diags));
    assert.match(text(diags[0]), /over the 1024 KB limit/);
    const rcDiags = await client.waitDiagnostics(pathToFileURL(rc).toString(), (ds) => ds.length === 1);
    assert.match(text(rcDiags[0]), /"maxFileSizeKb": 2000 is over 1024, and this workspace is not trusted: its config may lower the limits, not raise them; using 1024/);
    await client.close(u);
    // Lowering is honoured.
    writeFileSync(rc, '{ "maxFileSizeKb": 1 }');
    await client.changeSettings({ workspaceTrusted: false });
    const small = pathToFileURL(path.join(sub, 'two-kb.c')).toString();
    await client.open(small, TWO_LINES.repeat(20), 'c');
    const smallDiags = await client.waitDiagnostics(small);
    assert.equal(smallDiags[0]?.code, 'too-large', JSON.stringify(smallDiags));
    await client.close(small);
    await client.changeSettings({});
  });

  it('a FIFO named .socklintrc.json or scanned as a source never blocks the server', async () => {
    const sub = path.join(dir, 'fifo');
    spawnSync('mkdir', ['-p', sub]);
    assert.equal(spawnSync('mkfifo', [path.join(sub, '.socklintrc.json')]).status, 0);
    assert.equal(spawnSync('mkfifo', [path.join(sub, 'pipe.c')]).status, 0);
    const u = pathToFileURL(path.join(sub, 'a.c')).toString();
    await client.open(u, TWO_LINES, 'c');
    assert.deepEqual(got(await client.waitDiagnostics(u)), expected(TWO_LINES));
    const rcDiags = await client.waitDiagnostics(pathToFileURL(path.join(sub, '.socklintrc.json')).toString());
    assert.match(text(rcDiags[0]), /not a regular file, not read; using the defaults/);
    const r = await client.conn.sendRequest<{ linted: number; findings: number; skipped: number }>('socklint/lintFiles', { uris: [pathToFileURL(path.join(sub, 'pipe.c')).toString()] });
    assert.deepEqual(r, { linted: 0, findings: 0, skipped: 1 });
    assert.ok(client.logs.some((l) => l.endsWith('pipe.c: not linted (not a regular file)')), client.logs.join('\n'));
    await client.close(u);
  });
});

describe('language server whose engine runs out of memory', () => {
  let client: LspClient;
  before(async () => {
    // The user's memory ceiling for the engine, far below what a 1.5 MB file needs.
    client = new LspClient({ env: { SOCKLINT_ENGINE_HEAP_MB: '24' } });
    client.settings = { maxFileSizeKb: 4000, timeBudgetMs: 60_000, ceiling: { maxFileSizeKb: 4000, timeBudgetMs: 60_000 } };
    await client.initialize();
  });
  after(async () => {
    assert.equal(await client.shutdown(), 0, client.stderr.join(''));
  });

  it('the file that exhausts the engine gets one message; other files and later edits are served', async () => {
    const small = uri('small.cpp');
    await client.open(small, SNDBUF_ZERO);
    assert.deepEqual(got(await client.waitDiagnostics(small)), expected(SNDBUF_ZERO, 'cpp'));
    const big = uri('big.c');
    await client.open(big, TWO_LINES.repeat(Math.ceil((1536 * 1024) / TWO_LINES.length)), 'c');
    const diags = await client.waitDiagnostics(big, (ds) => ds.length > 0, 0, 60_000);
    assert.equal(diags.length, 1, JSON.stringify(diags));
    assert.equal(diags[0].code, 'internal');
    assert.match(text(diags[0]), /^not analysed: the analysis needed more than 24 MB of memory$/);
    // The small file, edited, is linted by the new engine (which got its full text again).
    const v = await client.change(small, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// edited\n' }]);
    const after = await client.waitDiagnostics(small, (_d, p) => p.params.version === v);
    assert.deepEqual(got(after), expected(client.text(small), 'cpp'));
    assert.ok(got(after).length > 0);
    // Shrinking the big file to something the engine can hold brings its findings back.
    const v2 = await client.change(big, [{ range: { start: { line: 0, character: 0 }, end: client.document(big).positionAt(client.text(big).length) }, text: TWO_LINES }]);
    const big2 = await client.waitDiagnostics(big, (_d, p) => p.params.version === v2, 0, 30_000);
    assert.deepEqual(got(big2), expected(TWO_LINES));
    assert.ok(client.logs.some((l) => l.includes('the engine will be restarted')), client.logs.join('\n'));
  });
});
