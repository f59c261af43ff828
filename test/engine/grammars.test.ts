// The pinned runtime loads every grammar and parses real code with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGE_VERSION, MIN_COMPATIBLE_VERSION } from 'web-tree-sitter';
import { ensureGrammars, grammar, loadGrammars, parserFor, languageIdForPath } from '../../src/engine/parse/grammars';
import { grammarFiles } from '../../src/engine/parse/grammar-files';

test('every grammar loads with an ABI the runtime accepts, and parses without errors', async () => {
  await loadGrammars(grammarFiles());
  await ensureGrammars(['python', 'csharp', 'go', 'java', 'javascript', 'typescript']);
  const samples = {
    c: 'int main(void) { int s = socket(AF_INET, SOCK_STREAM, 0); send(s, "x", 1, 0); return 0; }',
    cpp: 'class C { SOCKET m_sock; void f() { ::send(m_sock, buf, 10, 0); } };',
    python: 'import socket\ns = socket.create_connection(("h", 1))\ns.sendall(b"x")\n',
    csharp: 'using System.Net.Sockets;\nclass C { void F() { var c = new TcpClient("h", 1) { NoDelay = true }; c.GetStream().Write(new byte[1], 0, 1); } }\n',
    go: 'package main\n\nimport "net"\n\nfunc main() {\n\tc, _ := net.Dial("tcp", "h:1")\n\tc.(*net.TCPConn).SetNoDelay(false)\n\tc.Write([]byte("x"))\n}\n',
    java: 'import java.net.Socket;\nclass C { void f() throws Exception { Socket s = new Socket("h", 1); s.setTcpNoDelay(true); s.getOutputStream().write(new byte[1]); } }\n',
    javascript: "const net = require('node:net');\nconst s = net.connect(7000, () => s.write(`x${1}`));\ns.on('data', (chunk) => console.log(chunk.length));\n",
    typescript: "import * as net from 'net';\nconst s: net.Socket = net.createConnection({ port: 1, noDelay: true });\nclass C { constructor(private sock: net.Socket) {} send(b: Buffer): boolean { return this.sock.write(b); } }\n",
  } as const;
  for (const id of ['c', 'cpp', 'python', 'csharp', 'go', 'java', 'javascript', 'typescript'] as const) {
    const lang = grammar(id);
    assert.ok(lang.abiVersion >= MIN_COMPATIBLE_VERSION && lang.abiVersion <= LANGUAGE_VERSION, `${id}: ABI ${lang.abiVersion}`);
    const tree = parserFor(id).parse(samples[id]);
    assert.ok(tree, `${id}: no tree`);
    assert.equal(tree.rootNode.hasError, false, `${id}: ${tree.rootNode.toString()}`);
    tree.delete();
  }
});

test('file extensions map to grammars in any letter case', () => {
  assert.equal(languageIdForPath('a/b/server.c'), 'c');
  for (const f of ['x.cpp', 'x.Cpp', 'x.CPP', 'x.cc', 'x.cxx', 'x.hpp', 'x.hh', 'x.h', 'x.H', 'x.C']) assert.equal(languageIdForPath(f), 'cpp', f);
  for (const f of ['x.py', 'x.PY', 'x.pyw']) assert.equal(languageIdForPath(f), 'python', f);
  for (const f of ['x.cs', 'x.CS']) assert.equal(languageIdForPath(f), 'csharp', f);
  for (const f of ['x.go', 'x.GO']) assert.equal(languageIdForPath(f), 'go', f);
  for (const f of ['x.txt', 'Makefile', 'x.c.orig', 'x.pyc', 'x.csproj', 'x.cshtml', 'go.mod', 'go.sum']) assert.equal(languageIdForPath(f), undefined, f);
  for (const f of ['X.java', 'X.JAVA']) assert.equal(languageIdForPath(f), 'java', f);
  for (const f of ['x.txt', 'Makefile', 'x.c.orig', 'x.pyc', 'x.csproj', 'x.cshtml', 'X.class', 'x.jar']) assert.equal(languageIdForPath(f), undefined, f);
  for (const f of ['x.js', 'x.mjs', 'x.cjs', 'x.jsx', 'x.JS']) assert.equal(languageIdForPath(f), 'javascript', f);
  for (const f of ['x.ts', 'x.mts', 'x.cts', 'x.TS']) assert.equal(languageIdForPath(f), 'typescript', f);
  // Declaration files hold types only; TSX needs its own grammar, not loaded.
  for (const f of ['x.d.ts', 'x.d.mts', 'x.tsx', 'x.json']) assert.equal(languageIdForPath(f), undefined, f);
  for (const f of ['x.txt', 'Makefile', 'x.c.orig', 'x.pyc', 'x.csproj', 'x.cshtml']) assert.equal(languageIdForPath(f), undefined, f);
});
