// `socklint simulate` front end: runSimulate(args, io) with an in-memory io.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runSimulate } from '../../src/cli/simulate';

function io(files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err,
    io: {
      stdout: (s: string) => void out.push(s),
      stderr: { write: (s: string) => err.push(s) },
      readFile: (p: string) => {
        if (p in files) return files[p];
        return readFileSync(path.join(__dirname, '../..', p), 'utf8');
      },
    },
  };
}

test('json: DESIGN.md fields', async () => {
  const t = io();
  assert.equal(await runSimulate(['examples/scenarios/kb-case-2-two-channels.json', '--format', 'json'], t.io), 0);
  const r = JSON.parse(t.out.join(''));
  for (const k of ['messagesPerSecond', 'totalTimeMs', 'latencyMs', 'packets', 'causes']) assert.ok(k in r, k);
  for (const k of ['p50', 'p90', 'p99', 'max']) assert.equal(typeof r.latencyMs[k], 'number');
  for (const k of ['nagle', 'delayedAck', 'sendBuffer', 'window', 'wire']) assert.equal(typeof r.causes[k], 'number');
  assert.ok(r.messagesPerSecond > 4 && r.messagesPerSecond < 6);
  assert.ok(r.packets.length > 0 && r.packets[0].kind === 'app-send');
});

test('text: a readable summary naming the dominant cause', async () => {
  const t = io();
  assert.equal(await runSimulate(['examples/scenarios/write-write-read-linux.json'], t.io), 0);
  const s = t.out.join('');
  assert.match(s, /100 exchanges in/);
  assert.match(s, /p50 44\.\d ms/);
  assert.match(s, /where the time went:\n\s+delayedAck/);
});

test('an invalid scenario: exit 2, each error with its field', async () => {
  const t = io({ 'bad.json': JSON.stringify({ profile: 'solaris', workload: { pattern: 'records', count: -2 } }) });
  assert.equal(await runSimulate(['bad.json'], t.io), 2);
  const e = t.err.join('');
  assert.match(e, /profile: must be one of/);
  assert.match(e, /workload\.count: must be between 1 and 1000000 \(got -2\)/);
  assert.equal(t.out.length, 0);
});

test('not JSON, missing file, bad options: exit 2 with a message', async () => {
  let t = io({ 'x.json': '{nope' });
  assert.equal(await runSimulate(['x.json'], t.io), 2);
  assert.match(t.err.join(''), /not valid JSON/);
  t = io();
  assert.equal(await runSimulate(['missing.json'], t.io), 2);
  assert.match(t.err.join(''), /cannot read missing\.json/);
  t = io();
  assert.equal(await runSimulate([], t.io), 2);
  t = io();
  assert.equal(await runSimulate(['a.json', '--format', 'xml'], t.io), 2);
  assert.match(t.err.join(''), /--format must be text or json/);
});
