// Python files through the CLI: walked by extension, linted in the engine worker (the Python grammar
// is loaded on first use), reported with Python's names, fixed with sendall(), and marked as Python in SARIF.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, runJson, tempTree } from './helpers';

const CLIENT = `import json
import socket


def call(host, payload):
    s = socket.create_connection((host, 7000))
    s.settimeout(10)
    s.send(payload)
    return json.loads(s.recv(4096))
`;

const ASYNCIO = `import asyncio


async def call(host):
    reader, writer = await asyncio.open_connection(host, 7000)
    writer.write(b"HEAD")
    writer.write(b"BODY")
    return await reader.readexactly(4)
`;

test('walks .py files and reports Python findings with Python names', () => {
  const dir = tempTree({ 'app/client.py': CLIENT, 'app/streams.py': ASYNCIO, 'app/notes.txt': CLIENT });
  const r = runJson(dir, ['app']);
  const got = r.findings.map((f) => `${path.basename(f.file)}:${f.line}:${f.ruleId}`).sort();
  assert.deepEqual(got, ['client.py:8:partial-send-ignored', 'client.py:9:recv-message-boundary']);
  const partial = r.findings.find((f) => f.ruleId === 'partial-send-ignored')!;
  assert.match(partial.message, /`sendall\(\)` sends every byte/);
  assert.equal(partial.severity, 'warning', 'a socket with a timeout sends short in practice');
});

test('--fix turns send() into sendall() and the finding goes away', () => {
  const dir = tempTree({ 'client.py': CLIENT });
  runCli(dir, ['--fix', 'client.py']);
  const fixed = readFileSync(path.join(dir, 'client.py'), 'utf8');
  assert.match(fixed, /^ {4}s\.sendall\(payload\)$/m);
  assert.deepEqual(runJson(dir, ['client.py']).findings.map((f) => f.ruleId), ['recv-message-boundary']);
});

test('SARIF names the artifact language python', () => {
  const dir = tempTree({ 'client.py': CLIENT });
  const r = runCli(dir, ['--format', 'sarif', 'client.py']);
  const log = JSON.parse(r.stdout) as { runs: { artifacts: { sourceLanguage: string }[]; results: { ruleId: string }[] }[] };
  assert.deepEqual(log.runs[0].artifacts.map((a) => a.sourceLanguage), ['python']);
  assert.equal(log.runs[0].results.length, 2);
});

test('# suppression comments work in Python', () => {
  const text = CLIENT.replace('    s.send(payload)\n', '    # socklint-disable-next-line partial-send-ignored -- the peer acks each frame\n    s.send(payload)\n');
  const dir = tempTree({ 'client.py': text });
  assert.deepEqual(runJson(dir, ['client.py']).findings.map((f) => f.ruleId), ['recv-message-boundary']);
});
