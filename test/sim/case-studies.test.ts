// The seed's KB214397 case studies under `windows-legacy`, and the improvement each fix the
// article recommends buys. Numbers quoted from the article: case 1 "5 records per second, over 30
// minutes for 10,000 records"; case 2 "5 quotes per second".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, PRESETS } from '../../src/sim/index';
import type { Scenario } from '../../src/common/scenario';

const preset = (id: string): Scenario => structuredClone(PRESETS.find((p) => p.id === id)!.scenario);
const case1 = preset('kb-case-1-records-sndbuf-zero');
const case2 = preset('kb-case-2-two-channels');

test('case 1 as written: about 5 records/s, over 30 minutes for 10,000 records, paced by the 200 ms delayed ACK', () => {
  const r = simulate(case1);
  assert.equal(r.messages, 10000);
  assert.ok(r.messagesPerSecond > 4.5 && r.messagesPerSecond < 5.5, `records/s ${r.messagesPerSecond}`);
  assert.ok(r.totalTimeMs > 30 * 60_000, `total ${r.totalTimeMs} ms`);
  assert.ok(r.latencyMs.p50 > 200 && r.latencyMs.p50 < 205, `p50 ${r.latencyMs.p50}`);
  assert.ok(r.causeShare.delayedAck > 0.9, `delayedAck share ${r.causeShare.delayedAck}`);
  assert.equal(r.timers.delayedAck, 10000); // every record's ACK came from the timer
});

test('case 1, fix 1 (leave SO_SNDBUF alone): Winsock buffering lets full segments go; over 1000x faster', () => {
  const s = structuredClone(case1);
  delete s.client!.sndbuf;
  const before = simulate(case1);
  const after = simulate(s);
  assert.ok(after.totalTimeMs * 1000 < before.totalTimeMs, `${after.totalTimeMs} ms vs ${before.totalTimeMs} ms`);
  assert.ok(after.segments.data < 2000, `records coalesced into ${after.segments.data} segments`);
});

test('case 1, fix 2 (pad to 100 B, 80 records per send): batching alone cuts the stalls 80-fold', () => {
  const s = structuredClone(case1);
  s.workload = { ...s.workload, sizeBytes: 100, batch: 80 };
  const r = simulate(s);
  const before = simulate(case1);
  // Each 8000-byte send still ends in a small tail that waits (Nagle + delayed ACK), but once per 80 records.
  assert.ok(r.messagesPerSecond > 20 * before.messagesPerSecond, `${r.messagesPerSecond} vs ${before.messagesPerSecond}`);
  delete s.client!.sndbuf;
  const both = simulate(s);
  assert.ok(both.totalTimeMs < 1000, `both fixes: ${both.totalTimeMs} ms`);
});

test('case 1: TCP_NODELAY alone does not help while SO_SNDBUF = 0 (each send still completes at the delayed ACK)', () => {
  const s = structuredClone(case1);
  s.client!.nodelay = true;
  const r = simulate(s);
  assert.ok(r.messagesPerSecond < 5.5, `${r.messagesPerSecond}`);
  assert.ok(r.causeShare.delayedAck > 0.9);
});

test('case 2 as written: about 5 quotes/s, each waiting a delayed ACK behind Nagle', () => {
  const r = simulate(case2);
  assert.ok(r.messagesPerSecond > 4.5 && r.messagesPerSecond < 5.5, `quotes/s ${r.messagesPerSecond}`);
  assert.ok(r.causeShare.delayedAck > 0.9);
  assert.ok(r.perMessage[0].latencyMs < 5, 'the first request goes at once (nothing unacknowledged yet)');
});

test('case 2 fixes: one connection (ACK piggybacks on the reply) or TCP_NODELAY on both channels', () => {
  const oneConnection = structuredClone(case2);
  oneConnection.workload.pattern = 'request-response';
  const nodelay = structuredClone(case2);
  nodelay.client!.nodelay = true;
  nodelay.server!.nodelay = true;
  for (const s of [oneConnection, nodelay]) {
    const r = simulate(s);
    assert.ok(r.messagesPerSecond > 500, `${s.workload.pattern} nodelay=${s.client!.nodelay}: ${r.messagesPerSecond}/s`);
    assert.ok(r.latencyMs.p99 < 2 * (s.link!.rttMs ?? 1) + 1, `p99 ${r.latencyMs.p99}`);
  }
});

test('the same two patterns do not stall on a Linux receiver (ACK when the application reads pushed data)', () => {
  for (const s of [structuredClone(case1), structuredClone(case2)]) {
    s.profile = 'linux';
    const r = simulate(s);
    assert.ok(r.latencyMs.p50 < 5, `${s.workload.pattern}: p50 ${r.latencyMs.p50}`);
  }
});

test('KB823764: a non-blocking 64 KB send into a 32 KB SO_SNDBUF waits ~200 ms per send; SO_SNDBUF > send size fixes it', () => {
  const base: Scenario = {
    profile: 'windows-legacy', link: { rttMs: 1, bandwidthMbps: 100 }, client: { sndbuf: 32768 }, server: { rcvbuf: 65536 },
    workload: { pattern: 'bulk', totalBytes: 65536 * 10, writeBytes: 65536, recvBufferBytes: 65536, nonBlocking: true },
  };
  const stalled = simulate(base);
  assert.ok(stalled.latencyMs.p50 > 200 && stalled.latencyMs.p50 < 230, `p50 ${stalled.latencyMs.p50}`);
  assert.ok(stalled.wouldBlock >= 9);
  const fixed = simulate({ ...base, client: { sndbuf: 65537 } });
  assert.ok(fixed.messagesPerSecond > 5 * stalled.messagesPerSecond, `${fixed.messagesPerSecond} vs ${stalled.messagesPerSecond}`);
});

test('write-write-read costs RTT + the delayed-ACK timer per request on each profile', () => {
  const expected = { 'windows-legacy': [200, 201], 'windows-modern': [40, 41], linux: [44, 45], macos: [100, 201] } as const;
  for (const [profile, [lo, hi]] of Object.entries(expected)) {
    const r = simulate({ profile: profile as Scenario['profile'], link: { rttMs: 0.1 }, workload: { pattern: 'write-write-read', count: 20, writes: [20, 20], responseBytes: 20 } });
    assert.ok(r.latencyMs.p50 >= lo && r.latencyMs.p50 <= hi, `${profile}: p50 ${r.latencyMs.p50}`);
  }
});
