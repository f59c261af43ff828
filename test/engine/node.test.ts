// The Node.js front end: the `net` module is recognised however it is imported and only then; event
// listeners are read as the control flow they stand for; hostile or broken input never throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, type LanguageId } from '../../src/engine';
import { ready } from './fixture-harness';

const rules = (text: string, lang: LanguageId = 'javascript') =>
  lint(text, lang, { profile: 'windows-legacy', timeBudgetMs: 30_000 }).findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}`);

/** Two writes then a read of the reply, on a socket made by `make` (line 3 is the second write). */
const request = (imports: string, make: string) => `${imports}
const s = ${make};
s.on('connect', () => { s.write('HDR '); s.write('body'); });
s.once('data', (reply) => console.log(reply.length));
`;

test('net is recognised through every import form', async () => {
  await ready;
  const forms: [string, string, LanguageId][] = [
    ["const net = require('net');", 'net.connect(7000)', 'javascript'],
    ["const net = require('node:net');", 'net.createConnection({ port: 7000 })', 'javascript'],
    ["import net from 'net';", 'net.connect(7000)', 'javascript'],
    ["import * as net from 'node:net';", 'new net.Socket().connect(7000)', 'typescript'],
    ["import { connect as dial } from 'net';", 'dial(7000)', 'typescript'],
    ["const { createConnection } = require('net');", 'createConnection(7000)', 'javascript'],
    ["import net = require('net');", 'net.connect(7000)', 'typescript'],
    // A TLSSocket is a net.Socket carrying TLS records: Nagle is on there too.
    ["const tls = require('node:tls');", "tls.connect(7000, 'h', { servername: 'h' })", 'javascript'],
    ["import { connect } from 'tls';", 'connect({ port: 7000 })', 'typescript'],
  ];
  for (const [imports, make, lang] of forms) {
    assert.deepEqual(rules(request(imports, make), lang), ['3:write-write-read'], `${imports} ${make}`);
  }
});

test('the same calls on anything that is not net are not socket calls', async () => {
  await ready;
  // A module of the program's own named net, a function named connect, an object with write().
  assert.deepEqual(rules(request("const net = require('./net');", 'net.connect(7000)')), []);
  assert.deepEqual(rules(request('function connect() { return { on() {}, once() {}, write() {} }; }', 'connect(7000)')), []);
  assert.deepEqual(rules(request("const tls = require('./tls');", 'tls.connect(7000)')), []);
});

test('a Unix-domain path is no TCP connection: Nagle rules stay quiet', async () => {
  await ready;
  assert.deepEqual(rules(request("const net = require('net');", "net.connect('/tmp/app.sock')")), []);
  assert.deepEqual(rules(request("const net = require('net');", "net.connect({ path: '/tmp/app.sock' })")), []);
});

test('setNoDelay(false) leaves Nagle on; setNoDelay() turns it off', async () => {
  await ready;
  const base = request("const net = require('net');", 'net.connect(7000)');
  assert.deepEqual(rules(base.replace("s.on('connect'", "s.setNoDelay(false);\ns.on('connect'")), ['4:write-write-read']);
  assert.deepEqual(rules(base.replace("s.on('connect'", "s.setNoDelay();\ns.on('connect'")), []);
});

test('a return inside a listener ends that run, not the function that registered it', async () => {
  await ready;
  const text = `const net = require('net');
function start() {
  const s = net.connect(7000);
  s.on('data', (chunk) => {
    if (chunk.length === 0) return;
    if (JSON.parse(chunk).done) s.end();
  });
  s.write('hello');
}
start();
`;
  assert.deepEqual(rules(text), ['4:recv-message-boundary']);
});

test('syntax errors, deep nesting and huge expressions neither throw nor hang', async () => {
  await ready;
  const broken = "const net = require('net');\nconst s = net.connect(7000);\ns.on('data', (c) => { JSON.parse(c) \n function ( {\n";
  const r = lint(broken, 'javascript', { profile: 'windows-legacy' });
  assert.ok(r.errorNodes > 0);
  let nested = "const net = require('net');\nconst s = net.connect(1);\n";
  for (let i = 0; i < 300; i++) nested += `s.on('data', (c${i}) => {\n`;
  nested += '}));'.repeat(300);
  const deep = lint(nested, 'javascript', { timeBudgetMs: 30_000 });
  assert.deepEqual(deep.notices.filter((n) => n.kind === 'internal'), []);
  const sum = `const x = ${Array.from({ length: 20000 }, (_, i) => `a${i}`).join(' + ')};\n`;
  const big = lint(sum, 'typescript', { timeBudgetMs: 30_000 });
  assert.deepEqual(big.notices.filter((n) => n.kind === 'internal'), []);
});

test('every Node fixture, cut short or with characters dropped anywhere, lints without an internal error', async () => {
  await ready;
  const { readdirSync, readFileSync } = await import('node:fs');
  const path = await import('node:path');
  const root = path.join(__dirname, 'fixtures', 'rules');
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let runs = 0;
  for (const dir of readdirSync(root)) {
    for (const f of readdirSync(path.join(root, dir)).filter((x) => x.includes('-node-'))) {
      const text = readFileSync(path.join(root, dir, f), 'utf8');
      const lang: LanguageId = /\.[mc]?ts$/.test(f) ? 'typescript' : 'javascript';
      for (let i = 0; i < 12; i++) {
        const at = Math.floor(next() * text.length);
        const variant = i % 2 === 0 ? text.slice(0, at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 8));
        const r = lint(variant, lang, { timeBudgetMs: 30_000 });
        assert.deepEqual(r.notices.filter((n) => n.kind === 'internal'), [], `${f} variant ${i} (at ${at})`);
        runs++;
      }
    }
  }
  assert.ok(runs > 300, `${runs} variants`);
});
