// Documents of every scheme, and the files the editor has not opened read through the client: the
// real server over stdio, with a client that answers socklint/readFile from a repository that
// exists only on the client's side, as github.dev's workspace.fs serves a GitHub repository
// (vscode-vfs://github/<owner>/<repo>/...). The web extension host depends on exactly this path.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { childUri, parentUri, sameFolder, uriPath } from '../../src/common/uri';
import type { ReadFileParams, ReadFileResult } from '../../src/server/protocol';
import { LspClient } from './lspClient';
import { SILENT, SNDBUF_ZERO, SNDBUF_ZERO_RULE } from './fixtures';

const ROOT = 'vscode-vfs://github/acme/net';
const at = (p: string) => `${ROOT}/${p}`;

/** A client with a virtual repository: every socklint/readFile is answered from `files` and recorded. */
function clientWith(files: Map<string, string>, init: object = { debounceMs: 0, readFile: true }) {
  const client = new LspClient({ init });
  const asked: string[] = [];
  const read = (p: ReadFileParams): ReadFileResult => {
    asked.push(p.uri);
    const text = files.get(p.uri);
    if (text === undefined) return { kind: 'error', code: 'FileNotFound' };
    return text.length > p.maxBytes ? { kind: 'too-large', size: text.length } : { kind: 'ok', text };
  };
  client.conn.onRequest('socklint/readFile', (p: ReadFileParams) => read(p) as unknown);
  return { client, asked };
}

describe('URIs without Node', () => {
  it('parent, child, same folder and path of URIs of any scheme', () => {
    assert.equal(parentUri(at('src/a.cpp')), at('src'));
    assert.equal(parentUri(ROOT), 'vscode-vfs://github/acme');
    assert.equal(parentUri('vscode-vfs://github/acme'), 'vscode-vfs://github/');
    assert.equal(parentUri('vscode-vfs://github/'), undefined);
    assert.equal(parentUri('file:///a.c'), 'file:///');
    assert.equal(parentUri('file:///'), undefined);
    assert.equal(parentUri('vscode-remote://127.0.0.1:8080/home/u/x.c'), 'vscode-remote://127.0.0.1:8080/home/u');
    assert.equal(childUri('file:///w/my%20dir', '.socklintrc.json'), 'file:///w/my%20dir/.socklintrc.json');
    assert.ok(sameFolder(`${ROOT}/`, ROOT));
    assert.equal(uriPath('file:///w/my%20dir/a.C'), '/w/my dir/a.C');
  });
});

describe('the language server on documents of other schemes', { timeout: 60_000 }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'socklint-schemes-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lints a vscode-vfs document with the .socklintrc.json the client reads, looking no higher than the workspace folder', async () => {
    const files = new Map([[at('.socklintrc.json'), JSON.stringify({ rules: { [SNDBUF_ZERO_RULE]: 'error' } })]]);
    const { client, asked } = clientWith(files);
    try {
      await client.initialize(ROOT);
      await client.open(at('src/a.cpp'), SNDBUF_ZERO);
      const d = await client.waitDiagnostics(at('src/a.cpp'), (ds) => ds.length > 0);
      assert.deepEqual(d.map((x) => [x.code, x.severity]), [[SNDBUF_ZERO_RULE, DiagnosticSeverity.Error]]);
      assert.deepEqual(asked, [at('src/.socklintrc.json'), at('.socklintrc.json')], 'nearest first, then the workspace folder, nothing above it');
    } finally {
      await client.shutdown();
    }
  });

  it('a bad .socklintrc.json of another scheme is reported on that file, by its URI', async () => {
    const files = new Map([[at('.socklintrc.json'), '{ "rules": { "no-such-rule": "error" } }']]);
    const { client } = clientWith(files);
    try {
      await client.initialize(ROOT);
      await client.open(at('a.cpp'), SNDBUF_ZERO);
      const problems = await client.waitDiagnostics(at('.socklintrc.json'), (ds) => ds.length > 0);
      assert.match(String(problems[0]!.message), /no-such-rule/);
    } finally {
      await client.shutdown();
    }
  });

  it('Scan Workspace (socklint/lintFiles) lints closed files of another scheme through the client, and skips what it cannot read', async () => {
    const files = new Map([[at('src/b.cpp'), SNDBUF_ZERO], [at('src/c.cpp'), SILENT], [at('src/huge.cpp'), `${SNDBUF_ZERO}\n${'/'.repeat(2048 * 1024)}`]]);
    const { client } = clientWith(files);
    try {
      await client.initialize(ROOT);
      const r = await client.conn.sendRequest<{ linted: number; findings: number; skipped: number }>('socklint/lintFiles', {
        uris: [at('src/b.cpp'), at('src/c.cpp'), at('src/gone.cpp'), at('src/huge.cpp')],
      });
      assert.deepEqual(r, { linted: 3, findings: 1, skipped: 1 });
      const b = await client.waitDiagnostics(at('src/b.cpp'));
      assert.deepEqual(b.map((x) => x.code), [SNDBUF_ZERO_RULE]);
      const huge = await client.waitDiagnostics(at('src/huge.cpp'));
      assert.match(String(huge[0]!.message), /over socklint\.maxFileSizeKb/);
    } finally {
      await client.shutdown();
    }
  });

  it('file: URIs are still read from the disk, without asking the client', async () => {
    writeFileSync(path.join(dir, '.socklintrc.json'), JSON.stringify({ rules: { [SNDBUF_ZERO_RULE]: 'off' } }));
    writeFileSync(path.join(dir, 'closed.cpp'), SNDBUF_ZERO);
    const { client, asked } = clientWith(new Map());
    const root = pathToFileURL(dir).href;
    try {
      await client.initialize(root);
      await client.open(`${root}/open.cpp`, SNDBUF_ZERO);
      await client.waitDiagnostics(`${root}/open.cpp`, (ds) => ds.length === 0);
      const r = await client.conn.sendRequest<{ linted: number; findings: number }>('socklint/lintFiles', { uris: [`${root}/closed.cpp`] });
      assert.equal(r.linted, 1);
      assert.equal(r.findings, 0, 'the rule is off in the config file on disk');
      assert.deepEqual(asked, []);
    } finally {
      await client.shutdown();
    }
  });

  it('a client that cannot read files is never asked; its open documents are linted all the same', async () => {
    const { client, asked } = clientWith(new Map(), { debounceMs: 0 });
    try {
      await client.initialize(ROOT);
      await client.open(at('a.cpp'), SNDBUF_ZERO);
      const d = await client.waitDiagnostics(at('a.cpp'), (ds) => ds.length > 0);
      assert.deepEqual(d.map((x) => [x.code, x.severity]), [[SNDBUF_ZERO_RULE, DiagnosticSeverity.Warning]]);
      await client.open('untitled:Untitled-1', SNDBUF_ZERO);
      await client.waitDiagnostics('untitled:Untitled-1', (ds) => ds.length > 0);
      assert.deepEqual(asked, []);
    } finally {
      await client.shutdown();
    }
  });
});
