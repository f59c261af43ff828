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

test('--trace-out streams the whole trace as NDJSON; the printed result keeps its first 2,000 entries', async () => {
  const { mkdtempSync, readFileSync: read, existsSync, rmSync } = await import('node:fs');
  const os = await import('node:os');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'socklint-trace-'));
  try {
    const file = path.join(dir, 'trace.ndjson');
    const scenario = JSON.stringify({ profile: 'windows-modern', client: { nodelay: true }, workload: { pattern: 'request-response', count: 600 } });
    const t = io({ 'rr.json': scenario });
    assert.equal(await runSimulate(['rr.json', '--format', 'json', '--trace-out', file], t.io), 0);
    const r = JSON.parse(t.out.join(''));
    const lines = read(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(r.traceFile, file);
    assert.equal(r.traceEntries, lines.length);
    assert.ok(lines.length > r.packets.length, `${lines.length} streamed, ${r.packets.length} kept`);
    assert.deepEqual(lines.slice(0, r.packets.length), r.packets, 'the kept entries are the first streamed ones');
    for (let i = 1; i < lines.length; i++) assert.ok(lines[i].t >= lines[i - 1].t, 'in time order');
    assert.deepEqual(existsSync(`${file}.${process.pid}.tmp`), false);
    // Text output says where the trace went.
    const t2 = io();
    assert.equal(await runSimulate(['examples/scenarios/kb-case-2-two-channels.json', `--trace-out=${file}2`], t2.io), 0);
    assert.match(t2.out.join(''), /trace: \d+ entries written to .*trace\.ndjson2 \(one JSON object per line\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--trace-out refuses to overwrite the scenario and leaves no partial file when the run stops at a bound', async () => {
  let t = io({ 's.json': JSON.stringify({ workload: { pattern: 'records', count: 3 } }) });
  assert.equal(await runSimulate(['s.json', '--trace-out', 's.json'], t.io), 2);
  assert.match(t.err.join(''), /would overwrite the scenario file/);
  const written: string[] = [];
  const closed: boolean[] = [];
  const sink = { write: (l: string) => void written.push(l), close: (keep: boolean) => void closed.push(keep) };
  const hostile = JSON.stringify({ profile: 'linux', link: { mss: 88, lossRate: 0.1 }, workload: { pattern: 'bulk', totalBytes: 1e9, writeBytes: 1000 } });
  t = io({ 'h.json': hostile });
  assert.equal(await runSimulate(['h.json', '--trace-out', 'out.ndjson'], { ...t.io, openTrace: () => sink }), 3);
  assert.match(t.err.join(''), /refused before running/);
  assert.deepEqual(closed, [false], 'the sink is discarded');
  t = io();
  assert.equal(await runSimulate(['x.json', '--trace-out'], t.io), 2);
  assert.match(t.err.join(''), /--trace-out needs a file name/);
});

test('text: the buffer effects are named (send-buffer waits, zero and retracted windows, receiver drops)', async () => {
  const s = { profile: 'linux', link: { rttMs: 1, bandwidthMbps: 1000, mss: 65483 }, client: { sndbuf: 4096 }, server: { rcvbuf: 4096, rcvbufAfterAccept: true },
    workload: { pattern: 'bulk', totalBytes: 300000, writeBytes: 65536, recvBufferBytes: 65536, readDelayMs: 1 } };
  const t = io({ 'b.json': JSON.stringify(s) });
  assert.equal(await runSimulate(['b.json'], t.io), 0);
  const out = t.out.join('');
  assert.match(out, /buffers: \d+ send calls waited for room in the send buffer; the receiver advertised a zero window \d+ times \(\d+ retracting a window already offered\); \d+ segments arrived but did not fit the receive buffer and were dropped/);
  assert.match(out, /timers fired: delayed ACK \d+, RTO [1-9]\d*, persist [1-9]/);
});
