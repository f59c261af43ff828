// JavaScript and TypeScript files through the CLI: walked by extension (.js .mjs .cjs .ts .mts .cts,
// not .d.ts), linted in the engine worker (the grammars are loaded on first use), reported with
// Node's names, fixed with `setNoDelay(true)`, suppressed with // comments, and marked as
// javascript / typescript in SARIF. A `write()` on an object that is not a net.Socket is no send.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, runJson, tempTree } from './helpers';

const CLIENT = `const net = require('node:net');

const client = net.connect(7001, 'localhost', () => {
  client.write('HDR 4\\n');
  client.write('ping');
});
client.on('data', (chunk) => {
  const reply = JSON.parse(chunk);
  console.log(reply.ok);
});
`;

const SERVER = `import * as net from 'node:net';

export function serve(port: number): net.Server {
  const server = net.createServer((conn) => {
    conn.on('data', (request) => {
      conn.write(\`200 \${request.length}\\n\`);
      conn.write('done\\n');
    });
  });
  server.listen(port);
  return server;
}
`;

/** The same calls on an object of the file's own making, with no net import. */
const LOOKALIKE = CLIENT.replace("const net = require('node:net');", 'const net = { connect() { return { write() {}, on() {} }; } };');

test('walks JavaScript and TypeScript files and reports findings with Node names', () => {
  const dir = tempTree({ 'src/client.js': CLIENT, 'src/server.ts': SERVER, 'src/lookalike.cjs': LOOKALIKE, 'src/types.d.ts': SERVER, 'src/notes.txt': CLIENT });
  const r = runJson(dir, ['src']);
  const got = r.findings.map((f) => `${path.basename(f.file)}:${f.line}:${f.ruleId}`).sort();
  assert.deepEqual(got, ['client.js:5:write-write-read', 'client.js:7:recv-message-boundary', 'server.ts:7:write-write-read']);
  const recv = r.findings.find((f) => f.ruleId === 'recv-message-boundary')!;
  assert.equal(recv.message, "A `'data'` event delivers whatever bytes have arrived, not whole messages, yet the code parses the bytes with JSON.parse().");
  // Node code is judged for Linux peers unless a profile is chosen (small one-way writes do not stall there).
  const reply = r.findings.find((f) => f.file.endsWith('server.ts'))!;
  assert.equal(reply.message, 'This 5-byte send waits in Nagle for the ACK of the previous one, which the peer delays: +40 ms per request.');
});

test('--fix calls setNoDelay(true) after the socket is made, and in the connection listener', () => {
  const dir = tempTree({ 'client.js': CLIENT, 'server.ts': SERVER });
  runCli(dir, ['--fix', 'client.js', 'server.ts']);
  const client = readFileSync(path.join(dir, 'client.js'), 'utf8').split('\n');
  assert.equal(client[6], 'client.setNoDelay(true);', client.join('\n'));
  const server = readFileSync(path.join(dir, 'server.ts'), 'utf8').split('\n');
  assert.equal(server[4], '    conn.setNoDelay(true);', server.join('\n'));
  assert.deepEqual(runJson(dir, ['client.js', 'server.ts']).findings.map((f) => f.ruleId), ['recv-message-boundary']);
});

test('SARIF names the artifact languages javascript and typescript', () => {
  const dir = tempTree({ 'client.js': CLIENT, 'server.ts': SERVER });
  const r = runCli(dir, ['--format', 'sarif', 'client.js', 'server.ts']);
  const log = JSON.parse(r.stdout) as { runs: { artifacts: { sourceLanguage: string }[]; results: { ruleId: string }[] }[] };
  assert.deepEqual(log.runs[0].artifacts.map((a) => a.sourceLanguage).sort(), ['javascript', 'typescript']);
  assert.equal(log.runs[0].results.length, 3);
});

test('// suppression comments work in JavaScript', () => {
  const text = CLIENT.replace("  client.write('ping');\n", "  client.write('ping'); // socklint-disable-line write-write-read -- the peer ACKs at once\n");
  const dir = tempTree({ 'client.js': text });
  assert.deepEqual(runJson(dir, ['client.js']).findings.map((f) => f.ruleId), ['recv-message-boundary']);
});
