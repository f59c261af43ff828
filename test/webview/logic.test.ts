// The panel's pure parts, in Node: the headline's words and numbers, link presets, the CodeLens
// text, log axes, series colours over the real themes, message validation, state, field parsing,
// the ladder's labels and spans, the CSV. The page itself is tested in panel.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, panelHtml } from '../../src/panel/html';
import { parseNumberField, parseSize, parseSizeList } from '../../webview/controls';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findingRuns } from '../../src/common/comparison';
import { formatApprox, lensTitle } from '../../src/common/figures';
import { DEFAULT_LINK_PRESET, describeLink, formatBandwidth, LINK_PRESET_NAMES, LINK_PRESETS, linkPresetFor, presetOfLink, withLinkPreset } from '../../src/common/link';
import type { Scenario } from '../../src/common/scenario';
import { PRESETS, simulate } from '../../src/sim';
import { CAUSE_KEYS, causesPerMessage, conditionDifferences, describeRun, dominantCause, formatDuration, formatRate, headline, type RunSummary } from '../../webview/format';
import { entryLabels } from '../../webview/ladder';
import { contrast, MIN_CONTRAST, parseColour, pickDistinct, sharedColours } from '../../webview/palette';
import { CAUSE_PATTERNS } from '../../webview/patterns';
import { CAUSE_CANDIDATES, RUN_CANDIDATES } from '../../webview/theme';
import { compactNumber, logBounds, logTicks } from '../../webview/ticks';
import { parseHostMessage, parsePanelMessage } from '../../webview/protocol';
import { cdfPoints, readResult, resultsCsv } from '../../webview/results';
import { nodelayVariant, parseState, sameConditions } from '../../webview/state';
import { deriveSpans } from '../../webview/trace';
import type { TraceEntry } from '../../webview/results';

const zero = { nagle: 0, delayedAck: 0, sendBuffer: 0, window: 0, congestion: 0, loss: 0, receiver: 0, wire: 0 };

const lat = (p50: number, p99 = p50, mean = p50) => ({ p50, p99, mean });
const lan = { profile: 'windows-modern' as const, link: { rttMs: 0.5, bandwidthMbps: 1000, mss: 1460, lossRate: 0 }, callCostUs: { client: 0.9, server: 0.9 } };

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
    const a: RunSummary = { title: 'As written', pattern: 'records', count: 10000, messagesPerSecond: 4.98, totalTimeMs: 2_008_000, causes: { ...zero, delayedAck: 995, wire: 5 }, latencyMs: lat(200) };
    assert.equal(describeRun(a), 'As written: 5.0 records/s (10,000 records in 33 min), 99% of the time waiting for delayed ACKs.');
    const wireOnly = { ...a, causes: { ...zero, wire: 10 } };
    assert.equal(describeRun(wireOnly), 'As written: 5.0 records/s (10,000 records in 33 min).');
    // With its conditions, a lone run still says where it ran.
    assert.match(describeRun({ ...a, conditions: lan }), /^On a LAN \(0\.5 ms RTT, 1 Gbit\/s\) with Windows 10\/11, 0\.9 µs per send\/recv call, as written: 5\.0 records\/s/);
  });
});

describe('the headline', () => {
  // 10,000 records: as written each waits ~200 ms for a delayed ACK; the fix removes the wait.
  const a: RunSummary = {
    title: 'As written', pattern: 'records', count: 10000, messagesPerSecond: 5, totalTimeMs: 2_000_000,
    causes: { ...zero, delayedAck: 10000 * 199.5, wire: 10000 * 0.5 }, latencyMs: lat(200), conditions: lan,
  };
  const b: RunSummary = {
    ...a, title: 'With TCP_NODELAY', messagesPerSecond: 78_000, totalTimeMs: 128,
    causes: { ...zero, wire: 10000 * 0.013 }, latencyMs: lat(0.013),
  };

  it('states the conditions in the same sentence and phrases a huge gain as what goes away, not as a multiplier', () => {
    const text = headline(a, b);
    assert.equal(text, 'On a LAN (0.5 ms RTT, 1 Gbit/s) with Windows 10/11, 0.9 µs per send/recv call, 10,000 records: 5.0 records/s as written, 78,000 records/s with TCP_NODELAY, because each record no longer waits 200 ms for a delayed ACK.');
    assert.doesNotMatch(text, /×/);
  });

  it('states a ratio the model can back, and when the fix makes another figure worse', () => {
    const bulk: RunSummary = {
      title: 'As written', pattern: 'bulk', count: 1526, messagesPerSecond: 600, totalTimeMs: 2500, causes: { ...zero, wire: 1 },
      latencyMs: lat(41, 124), goodputMbps: 320, bytes: 1e8, conditions: { ...lan, profile: 'linux', link: { ...lan.link, rttMs: 80 } },
    };
    const bigger = { ...bulk, title: 'With 19 MiB socket buffers set before connect', goodputMbps: 520, messagesPerSecond: 990, latencyMs: lat(209, 958) };
    assert.equal(headline(bulk, bigger),
      'On an 80 ms RTT, 1 Gbit/s link with Linux, 0.9 µs per send/recv call, 100 MB: 320 Mbit/s as written, 520 Mbit/s with 19 MiB socket buffers set before connect (1.6× faster). '
      + 'But the median latency per write rises from 41 ms to 209 ms.');
  });

  it('names latency per request for request/response patterns', () => {
    const req: RunSummary = {
      title: 'As written', pattern: 'write-write-read', count: 100, messagesPerSecond: 23, totalTimeMs: 4400,
      causes: { ...zero, delayedAck: 100 * 43.9, wire: 100 * 0.1 }, latencyMs: lat(44), conditions: lan,
    };
    const fixed = { ...req, title: 'With TCP_NODELAY', messagesPerSecond: 9000, totalTimeMs: 11, causes: { ...zero, wire: 100 * 0.11 }, latencyMs: lat(0.11) };
    assert.equal(headline(req, fixed), 'On a LAN (0.5 ms RTT, 1 Gbit/s) with Windows 10/11, 0.9 µs per send/recv call, 100 requests: the median request takes 44 ms as written and 0.11 ms with TCP_NODELAY, because it no longer waits 44 ms for a delayed ACK.');
    const modest = { ...fixed, latencyMs: lat(11), messagesPerSecond: 90 };
    assert.match(headline(req, modest), /the median request takes 44 ms as written and 11 ms with TCP_NODELAY \(4\.0× less\)\.$/);
  });

  it('says when the two runs are not on the same OS and link', () => {
    const other = { ...b, conditions: { ...lan, profile: 'windows-legacy' as const, link: { ...lan.link, rttMs: 80 } } };
    const text = headline(a, other);
    assert.doesNotMatch(text, /^On /, 'no shared conditions to state');
    assert.match(text, /Not like for like: the runs differ in OS profile \(Windows 10\/11 \/ Windows \(legacy, 200 ms delayed ACK\)\) and link \(a LAN \(0\.5 ms RTT, 1 Gbit\/s\) \/ an 80 ms RTT, 1 Gbit\/s link\)\.$/);
    assert.deepEqual(conditionDifferences(lan, lan), []);
  });

  it('counts time per message, so a cause never adds up to more than the run', () => {
    // The bulk preset's writes overlap: summed over all of them, the causes exceed the run's
    // length many times over; per message they add up to the mean latency.
    const r = simulate(PRESETS.find((p) => p.id === 'bulk-long-fat-link')!.scenario, { traceLimit: 0, perMessageLimit: 0 });
    const summed = CAUSE_KEYS.reduce((s, k) => s + r.causes[k], 0);
    assert.ok(summed > 10 * r.totalTimeMs, 'the sum over messages is the wrong thing to show');
    const per = causesPerMessage({ causes: r.causes, count: r.messages });
    const perTotal = CAUSE_KEYS.reduce((s, k) => s + per[k], 0);
    assert.ok(perTotal <= r.totalTimeMs);
    assert.ok(Math.abs(perTotal - r.latencyMs.mean) < 1e-6 * r.latencyMs.mean, `${perTotal} vs mean ${r.latencyMs.mean}`);
  });
});

describe('link presets and the CodeLens text', () => {
  it('puts a finding on the preset link, keeping its loss rate and seed', () => {
    const s = { workload: { pattern: 'records' as const }, link: { rttMs: 50, bandwidthMbps: 10, mss: 536, lossRate: 0.01, seed: 7 } };
    assert.deepEqual(withLinkPreset(s, LINK_PRESETS.lan).link, { rttMs: 0.5, bandwidthMbps: 1000, lossRate: 0.01, seed: 7 });
    assert.deepEqual(withLinkPreset(s, LINK_PRESETS.loopback).link, { rttMs: 0.02, bandwidthMbps: 40000, mss: 32741, lossRate: 0.01, seed: 7 });
    assert.equal(presetOfLink(withLinkPreset(s, LINK_PRESETS['cross-continent']).link), 'cross-continent');
    assert.equal(linkPresetFor('nonsense').name, DEFAULT_LINK_PRESET);
    assert.equal(describeLink({ rttMs: 0.5, bandwidthMbps: 1000, mss: 1448 }), 'a LAN (0.5 ms RTT, 1 Gbit/s)');
    assert.equal(describeLink({ rttMs: 1, bandwidthMbps: 100 }), 'a 1 ms RTT, 100 Mbit/s link');
  });

  it('package.json offers exactly the presets, defaults to LAN and quotes their numbers', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
    const setting = pkg.contributes.configuration.properties['socklint.simulator.link'];
    assert.deepEqual(setting.enum, [...LINK_PRESET_NAMES]);
    assert.equal(setting.default, DEFAULT_LINK_PRESET);
    LINK_PRESET_NAMES.forEach((n, i) => {
      const d: string = setting.enumDescriptions[i];
      assert.ok(d.includes(`${LINK_PRESETS[n].rttMs} ms RTT`) && d.includes(formatBandwidth(LINK_PRESETS[n].bandwidthMbps)), `${n}: ${d}`);
      assert.ok(LINK_PRESETS[n].source.length > 20, `${n} says where its numbers come from`);
    });
    assert.equal(pkg.contributes.configuration.properties['socklint.codeLens.enable'].default, true);
  });

  it('runs a finding the way the panel does: the fixed run shares the link, OS and call cost', () => {
    const a: Scenario = { profile: 'windows-legacy', client: { sndbuf: 0, callCostUs: 2 }, workload: { pattern: 'records', count: 10 } };
    const b: Scenario = { profile: 'linux', client: { nodelay: true }, link: { rttMs: 9 }, workload: { pattern: 'records', count: 10 } };
    const [ra, rb] = findingRuns(a, b, 'same-region');
    assert.ok(sameConditions(ra, rb));
    assert.equal(rb.profile, 'windows-legacy');
    assert.deepEqual(rb.client, { nodelay: true, callCostUs: 2 });
    assert.deepEqual(ra.link, { rttMs: 1, bandwidthMbps: 5000 });
    // Without a fixed scenario, the usual fix for the pattern.
    assert.equal(findingRuns(a, undefined, 'lan')[1].client?.nodelay, true);
  });

  it('says the figure that matters in a few characters', () => {
    const rec = { pattern: 'records' as const, messagesPerSecond: 4.98, latencyP50Ms: 200 };
    assert.equal(lensTitle(rec, { ...rec, messagesPerSecond: 78_123 }, 'a LAN'), 'Simulate on a LAN: ~5 records/s → ~78,000/s');
    assert.equal(lensTitle(rec, { ...rec, messagesPerSecond: 1_234_567 }, 'loopback'), 'Simulate on loopback: ~5 records/s → ~1.2 M/s');
    const req = { pattern: 'write-write-read' as const, messagesPerSecond: 23, latencyP50Ms: 44 };
    assert.equal(lensTitle(req, { ...req, latencyP50Ms: 0.113 }, 'a LAN'), 'Simulate on a LAN: ~44 ms → ~0.11 ms per request');
    const bulk = { pattern: 'bulk' as const, messagesPerSecond: 600, goodputMbps: 123, latencyP50Ms: 41 };
    assert.equal(lensTitle(bulk, { ...bulk, goodputMbps: 941 }, 'a LAN'), 'Simulate on a LAN: ~120 → ~940 Mbit/s');
    // A fix that buys nothing on this link says so.
    assert.equal(lensTitle({ ...bulk, goodputMbps: 962 }, { ...bulk, goodputMbps: 958 }, 'a LAN'), 'Simulate on a LAN: ~960 Mbit/s either way');
    assert.equal(formatApprox(0.44), '~0.4');
  });
});

describe('log axes', () => {
  it('leaves room around both runs so neither sits on the edge', () => {
    assert.deepEqual(logBounds([0.05, 44]), { min: 0.02, max: 100 });
    assert.deepEqual(logBounds([5, 78000]), { min: 2, max: 200000 });
    assert.equal(logBounds([0, -1]), undefined);
  });
  it('keeps only the tick labels that fit side by side', () => {
    const width = (v: number) => compactNumber(v).length * 7;
    for (const length of [120, 300, 900]) {
      const ticks = logTicks(2, 200000, length, width, 6);
      assert.ok(ticks.length >= 2, `${length}px: ${ticks}`);
      const px = (v: number) => (Math.log10(v / 2) / Math.log10(200000 / 2)) * length;
      for (let i = 1; i < ticks.length; i++) {
        assert.ok(px(ticks[i]!) - px(ticks[i - 1]!) >= (width(ticks[i]!) + width(ticks[i - 1]!)) / 2 + 6, `${length}px: ${ticks[i - 1]} and ${ticks[i]} touch`);
      }
    }
    assert.ok(logTicks(2, 200000, 900, width).length > logTicks(2, 200000, 120, width).length, 'a longer axis gets more ticks');
  });
});

describe('series colours', () => {
  const fixture = (theme: string) => {
    const css = readFileSync(path.join(__dirname, 'fixtures', `theme-${theme}.css`), 'utf8');
    return (name: string) => new RegExp(`${name}: ([^;]+);`).exec(css)?.[1] ?? '';
  };
  for (const theme of ['light', 'dark', 'hc', 'hc-light']) {
    it(`gives every series its own colour in the ${theme} theme`, () => {
      const v = fixture(theme);
      const bg = v('--vscode-editor-background');
      const pick = <K extends string>(c: Record<K, string[]>) => pickDistinct(Object.fromEntries(Object.entries<string[]>(c).map(([k, n]) => [k, n.map(v)])) as Record<K, string[]>, bg, v('--vscode-foreground'));
      const causes = pick(CAUSE_CANDIDATES);
      const runs = pick({ a: RUN_CANDIDATES[0], b: RUN_CANDIDATES[1] });
      assert.deepEqual(sharedColours(Object.entries(causes).map(([label, colour]) => ({ label, colour }))), []);
      assert.deepEqual(sharedColours([{ label: 'as written', colour: runs.a }, { label: 'with the fix', colour: runs.b }]), []);
      for (const [k, c] of Object.entries({ ...causes, ...runs })) {
        assert.ok(contrast(parseColour(c)!, parseColour(bg)!) >= MIN_CONTRAST, `${k} ${c} stands out from ${bg}`);
      }
      // And a pattern each, so colour is never the only cue.
      assert.equal(new Set(Object.values(CAUSE_PATTERNS)).size, CAUSE_KEYS.length);
    });
  }
  it('the check fails when two series share a colour, and the picker avoids it', () => {
    assert.equal(sharedColours([{ label: 'Send buffer', colour: '#ffffff' }, { label: 'Loss', colour: '#FFF' }]).length, 1);
    // Both high-contrast themes lack --vscode-charts-orange: the old palette fell back to the
    // foreground for it, the colour "Loss" already had.
    const picked = pickDistinct({ loss: ['#ffffff'], sendBuffer: ['', '#ffffff', '#ee9d28'] }, '#000000', '#ffffff');
    assert.equal(picked.sendBuffer, '#ee9d28');
  });
});

describe('ladder labels', () => {
  const e = (x: Partial<TraceEntry> & Pick<TraceEntry, 'time' | 'from' | 'kind'>): TraceEntry => ({ channel: 0, ...x });
  it('say each fact once: "ACK 87", a piggy-backed ACK only when it is new', () => {
    const trace = [
      e({ time: 0, from: 'client', kind: 'data', seq: 0, len: 87, ack: 0 }),
      e({ time: 200, from: 'server', kind: 'ack', ack: 87, win: 65535, note: 'ACK held 200.0 ms' }),
      e({ time: 201, from: 'client', kind: 'data', seq: 87, len: 92, ack: 0 }),
      e({ time: 202, from: 'server', kind: 'data', seq: 0, len: 30, ack: 179 }),
      e({ time: 203, from: 'client', kind: 'app-send-done', len: 92, note: 'after 41.001 ms' }),
    ];
    const labels = [...entryLabels(trace).values()];
    assert.deepEqual(labels, ['87 B seq 0', 'ACK 87 (held 200 ms)', '92 B seq 87', '30 B seq 0 + ACK 179', 'send() returns']);
    for (const l of labels) assert.ok((l.match(/ACK/g) ?? []).length <= 1 && !/ack ack/i.test(l), l);
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
    assert.deepEqual(by('delayed-ACK timer').map((s) => [s.from, s.startTime, s.time]), [['server', 5, 205]]);
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
