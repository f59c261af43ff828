// The panel's pure parts, in Node: words and numbers, message validation, state, field parsing,
// the spans the ladder derives from a trace, the CSV. The page itself is tested in panel.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, panelHtml } from '../../src/panel/html';
import { parseNumberField, parseSize, parseSizeList } from '../../webview/controls';
import { describeRun, dominantCause, formatDuration, formatRate, headline, type RunSummary } from '../../webview/format';
import { parseHostMessage, parsePanelMessage } from '../../webview/protocol';
import { cdfPoints, readResult, resultsCsv } from '../../webview/results';
import { nodelayVariant, parseState } from '../../webview/state';
import { deriveSpans } from '../../webview/trace';
import type { TraceEntry } from '../../webview/results';

const zero = { nagle: 0, delayedAck: 0, sendBuffer: 0, window: 0, congestion: 0, loss: 0, receiver: 0, wire: 0 };

describe('numbers in words', () => {
  it('rounds rates to two significant digits and groups thousands', () => {
    assert.equal(formatRate(4.98), '5.0');
    assert.equal(formatRate(41234), '41,000');
    assert.equal(formatRate(0.374), '0.37');
    assert.equal(formatRate(156), '160');
  });
  it('picks the unit a person would for a duration', () => {
    assert.equal(formatDuration(0.42), '0.42 ms');
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(8300), '8.3 s');
    assert.equal(formatDuration(2_000_000), '33 min');
    assert.equal(formatDuration(7.6e6), '2.1 h');
  });
  it('names the dominant cause but not the wire', () => {
    assert.deepEqual(dominantCause({ ...zero, delayedAck: 99, wire: 1 }), { key: 'delayedAck', share: 0.99 });
    const a: RunSummary = { title: 'As written', pattern: 'records', count: 10000, messagesPerSecond: 4.98, totalTimeMs: 2_008_000, causes: { ...zero, delayedAck: 995, wire: 5 } };
    assert.equal(describeRun(a), 'As written: 5.0 records/s (10,000 records in 33 min), 99% of the time waiting for delayed ACKs.');
    const wireOnly = { ...a, causes: { ...zero, wire: 10 } };
    assert.equal(describeRun(wireOnly), 'As written: 5.0 records/s (10,000 records in 33 min).');
  });
  it('compares the two runs in the headline', () => {
    const a: RunSummary = { title: 'As written', pattern: 'records', count: 10000, messagesPerSecond: 5, totalTimeMs: 2_000_000, causes: { ...zero, delayedAck: 1 } };
    const b: RunSummary = { ...a, title: 'With TCP_NODELAY and one send per batch', messagesPerSecond: 41_000, totalTimeMs: 244, causes: { ...zero, wire: 1 } };
    assert.equal(headline(a, b), 'As written: 5.0 records/s (10,000 records in 33 min), 100% of the time waiting for delayed ACKs. With TCP_NODELAY and one send per batch: 41,000 records/s (8,200× faster).');
    assert.equal(headline(undefined, undefined), '');
    const bulk: RunSummary = { title: 'As written', pattern: 'bulk', count: 1526, messagesPerSecond: 600, totalTimeMs: 2500, causes: { ...zero, wire: 1 }, goodputMbps: 320, bytes: 1e8 };
    assert.equal(headline(bulk, { ...bulk, title: 'Bigger buffers', goodputMbps: 500, messagesPerSecond: 940 }),
      'As written: 320 Mbit/s (100 MB in 2.5 s). Bigger buffers: 500 Mbit/s (1.6× faster).');
    assert.match(headline(undefined, b), /^With TCP_NODELAY and one send per batch: 41,000 records\/s \(10,000 records in 244 ms\)\.$/);
  });
});

describe('messages between the panel and the extension', () => {
  it('accepts the host messages and rejects malformed ones with a reason', () => {
    assert.deepEqual(parseHostMessage({ type: 'init' }), { ok: true, value: { type: 'init' } });
    const load = parseHostMessage({ type: 'load', input: { scenario: { workload: { pattern: 'bulk' } }, title: 't' } });
    assert.ok(load.ok && load.value.type === 'load' && load.value.input.title === 't');
    for (const bad of [null, 'init', {}, { type: 'nope' }, { type: 'load' }, { type: 'load', input: [] }, { type: 'init', input: { title: 5 } }, { type: 'exported', ok: 'yes', message: '' }]) {
      const r = parseHostMessage(bad);
      assert.equal(r.ok, false, JSON.stringify(bad));
      assert.ok(!r.ok && r.error.length > 0);
    }
  });
  it('accepts exports only with a plain file name, the matching extension and base64 PNGs', () => {
    assert.ok(parsePanelMessage({ type: 'export', format: 'csv', fileName: 'socklint-simulation.csv', data: 'a,b\r\n' }).ok);
    assert.ok(parsePanelMessage({ type: 'export', format: 'png', fileName: 'c.png', data: 'iVBORw0KGgo=' }).ok);
    for (const bad of [
      { type: 'export', format: 'exe', fileName: 'x.exe', data: 'x' },
      { type: 'export', format: 'csv', fileName: '../x.csv', data: 'x' },
      { type: 'export', format: 'csv', fileName: 'x.json', data: 'x' },
      { type: 'export', format: 'csv', fileName: 'x.csv', data: '' },
      { type: 'export', format: 'png', fileName: 'x.png', data: 'not base64!' },
      { type: 'steal' },
    ]) assert.equal(parsePanelMessage(bad).ok, false, JSON.stringify(bad));
  });
});

describe('the page and its Content Security Policy', () => {
  it('allows only nonce scripts, own files and blob workers', () => {
    const csp = contentSecurityPolicy('https://x.test', 'abc');
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-abc'(;|$)/);
    assert.match(csp, /worker-src blob:/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https:(?!\/\/x\.test)|\*/);
    const html = panelHtml({ cspSource: 'https://x.test', nonce: 'abc', script: 's.js', worker: 'w"x.js', style: 'c.css' });
    assert.match(html, /<script nonce="abc" src="s.js">/);
    assert.match(html, /content="w&quot;x.js"/);
  });
});

describe('saved state', () => {
  it('restores a saved state and explains why it cannot use a broken one', () => {
    const runs = [{ workload: { pattern: 'records' } }, { workload: { pattern: 'records' }, client: { nodelay: true } }];
    const ok = parseState({ v: 1, source: { kind: 'preset', id: 'x' }, runs, tab: 1, ladderRun: 0, ladderZoom: 4 });
    assert.ok(ok?.ok && ok.state.tab === 1 && ok.state.ladderZoom === 4);
    assert.equal(parseState(undefined), undefined);
    for (const bad of [5, { v: 2 }, { v: 1, source: { kind: 'preset', id: 'x' }, runs: [runs[0]] }, { v: 1, source: {}, runs }]) {
      const r = parseState(bad);
      assert.ok(r && !r.ok, JSON.stringify(bad));
    }
  });
  it('derives the TCP_NODELAY comparison without touching the original', () => {
    const s = { workload: { pattern: 'records' as const }, client: { sndbuf: 0 } };
    const v = nodelayVariant(s);
    assert.deepEqual(v.client, { nodelay: true });
    assert.equal(v.server?.nodelay, true);
    assert.deepEqual(s.client, { sndbuf: 0 });
  });
});

describe('form fields', () => {
  it('parses sizes, size lists and bounded numbers', () => {
    assert.deepEqual(parseSize('100'), { ok: true, value: 100 });
    assert.deepEqual(parseSize('20-100'), { ok: true, value: [20, 100] });
    assert.equal(parseSize('100-20').ok, false);
    assert.equal(parseSize('ten').ok, false);
    assert.deepEqual(parseSizeList('10, 20-40'), { ok: true, value: [10, [20, 40]] });
    assert.equal(parseSizeList(' , ').ok, false);
    const f = { kind: 'number' as const, path: ['link', 'mss'], label: 'MSS', min: 88, integer: true };
    assert.deepEqual(parseNumberField(f, ''), { ok: true, value: undefined });
    assert.deepEqual(parseNumberField(f, '1460'), { ok: true, value: 1460 });
    assert.equal(parseNumberField(f, '12').ok, false);
    assert.equal(parseNumberField(f, '1460.5').ok, false);
    assert.equal(parseNumberField(f, '1e999').ok, false);
  });
});

describe('ladder spans from a trace', () => {
  const e = (x: Partial<TraceEntry> & Pick<TraceEntry, 'time' | 'from' | 'kind'>): TraceEntry => ({ channel: 0, ...x });
  it('finds the Nagle hold, the blocked send and the delayed-ACK timer of a write-write-read', () => {
    const trace: TraceEntry[] = [
      e({ time: 0, from: 'client', kind: 'app-send', len: 10 }),
      e({ time: 0, from: 'client', kind: 'data', seq: 0, len: 10, arriveTime: 5 }),
      e({ time: 0.01, from: 'client', kind: 'app-send-done' }),
      e({ time: 0.02, from: 'client', kind: 'app-send', len: 100 }),
      e({ time: 205, from: 'server', kind: 'timer', note: 'delayed-ack' }),
      e({ time: 205, from: 'server', kind: 'ack', ack: 10, arriveTime: 210 }),
      e({ time: 210, from: 'client', kind: 'data', seq: 10, len: 100, arriveTime: 215 }),
      e({ time: 210, from: 'client', kind: 'app-send-done' }),
    ];
    const spans = deriveSpans(trace, { nodelay: { client: false, server: false }, mss: 1448 });
    const by = (note: string) => spans.filter((s) => s.note === note);
    assert.deepEqual(by('Nagle hold').map((s) => [s.startTime, s.time]), [[0.02, 210]]);
    assert.deepEqual(by('delayed-ack timer').map((s) => [s.from, s.startTime, s.time]), [['server', 5, 205]]);
    assert.deepEqual(by('blocked in send()').map((s) => [s.startTime, s.time]), [[0.02, 210]]);
    // With TCP_NODELAY the same wait is not called a Nagle hold.
    const nd = deriveSpans(trace, { nodelay: { client: true, server: false }, mss: 1448 });
    assert.equal(nd.filter((s) => s.note === 'Nagle hold').length, 0);
    assert.equal(nd.filter((s) => s.note === 'waiting to send').length, 1);
  });
});

describe('results', () => {
  const result = {
    messagesPerSecond: 2, totalTimeMs: 1000, messages: 2,
    latencyMs: { min: 1, p50: 1, p90: 3, p99: 3, max: 3, mean: 2 },
    perMessage: [{ index: 0, startMs: 0, latencyMs: 1, causes: { ...zero, wire: 1 } }, { index: 1, startMs: 1, latencyMs: 3, causes: { ...zero, nagle: 2, wire: 1 } }],
    causes: { ...zero, nagle: 2, wire: 2 },
    packets: [{ t: 0, arriveT: 1, from: 'client', channel: 0, kind: 'data', seq: 0, len: 5 }, { t: 'x', kind: 'data' }],
    notes: ['n'], segments: { data: 2 }, timers: { delayedAck: 0 },
  };
  it('reads a simulator result and refuses one that lacks what the panel draws', () => {
    const r = readResult(result);
    assert.ok(r.ok);
    assert.deepEqual(r.view.latencies, [1, 3]);
    assert.equal(r.view.packets.length, 1, 'the malformed trace entry is skipped');
    assert.equal(r.view.packets[0]!.arriveTime, 1);
    assert.ok(r.view.counters.some((c) => c.label === 'Data segments' && c.value === 2));
    assert.equal(readResult({ ...result, causes: undefined }).ok, false);
    assert.equal(readResult({ ...result, latencyMs: { p50: 1 } }).ok, false);
    assert.equal(readResult(null).ok, false);
  });
  it('writes one CSV row per message per run, quoting titles that need it', () => {
    const r = readResult(result);
    assert.ok(r.ok);
    const csv = resultsCsv([{ title: 'As written', view: r.view }, { title: 'With "fix", really', view: r.view }]);
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines.length, 1 + 4);
    assert.equal(lines[0], 'run,message,latency_ms,nagle_ms,delayedAck_ms,sendBuffer_ms,window_ms,congestion_ms,loss_ms,receiver_ms,wire_ms');
    assert.equal(lines[2], 'As written,2,3,2,0,0,0,0,0,0,1');
    assert.ok(lines[3]!.startsWith('"With ""fix"", really",1,1,'));
  });
  it('builds a CDF that ends at 100%', () => {
    const pts = cdfPoints([5, 1, 3, 2, 4]);
    assert.deepEqual(pts.map((p) => p.x), [1, 2, 3, 4, 5]);
    assert.equal(pts[pts.length - 1]!.y, 100);
    assert.ok(cdfPoints(Array.from({ length: 10000 }, (_, i) => i)).length <= 202);
  });
});
