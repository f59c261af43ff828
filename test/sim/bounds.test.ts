// Every run ends: the bounds stop a scenario that would run away, with an error naming the bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, SimulationBoundError, type BoundName } from '../../src/sim/index';
import type { Scenario } from '../../src/common/scenario';

const stoppedBy = (bound: BoundName) => (e: unknown) => {
  assert.ok(e instanceof SimulationBoundError, String(e));
  assert.equal(e.bound, bound);
  assert.match(e.message, new RegExp(bound));
  return true;
};
const slow: Scenario = { profile: 'windows-legacy', client: { sndbuf: 0 }, workload: { pattern: 'records', count: 1000 } };

test('maxEvents stops a long run', () => {
  assert.throws(() => simulate(slow, { maxEvents: 500 }), stoppedBy('maxEvents'));
});

test('maxSimTimeMs stops a run that would take too long in simulated time', () => {
  assert.throws(() => simulate(slow, { maxSimTimeMs: 10_000 }), stoppedBy('maxSimTimeMs'));
});

test('a link that loses too much ends with the retransmission limit, as the OS would reset', () => {
  const lossy: Scenario = { profile: 'windows-legacy', link: { lossRate: 0.5, seed: 3 }, workload: { pattern: 'bulk', totalBytes: 2_000_000 } };
  assert.throws(() => simulate(lossy), stoppedBy('retransmissions'));
});

test('the trace and per-message lists are capped, the statistics are not', () => {
  const r = simulate({ profile: 'linux', workload: { pattern: 'records', count: 5000 } }, { traceLimit: 100, perMessageLimit: 10 });
  assert.equal(r.packets.length, 100);
  assert.equal(r.packetsTruncated, true);
  assert.equal(r.perMessage.length, 10);
  assert.equal(r.messages, 5000);
});

test('onProgress reports rising fractions ending at 1', () => {
  const seen: number[] = [];
  simulate({ profile: 'linux', workload: { pattern: 'bulk', totalBytes: 20_000_000 } }, { onProgress: (f) => seen.push(f) });
  assert.ok(seen.length >= 3);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1]);
  assert.equal(seen[seen.length - 1], 1);
});

test('a slow reader closes the window; the sender waits for window updates and nothing is lost', () => {
  const r = simulate({ profile: 'linux', server: { rcvbuf: 8192 }, workload: { pattern: 'bulk', totalBytes: 100_000, writeBytes: 4096, recvBufferBytes: 1024, readDelayMs: 5 } }, { recordDeliveries: true });
  assert.ok(r.segments.windowUpdates > 0);
  assert.ok(r.causeShare.window > 0.5, `window share ${r.causeShare.window}`);
  const d = r.deliveries![0];
  assert.equal(d.reads.reduce((a, [, n]) => a + n, 0), 100_000);
});

test('lost window updates are recovered by the persist timer', () => {
  let probes = 0;
  for (let seed = 1; seed <= 12 && probes === 0; seed++) {
    const r = simulate({ profile: 'windows-modern', link: { lossRate: 0.2, seed }, server: { rcvbuf: 4096 },
      workload: { pattern: 'bulk', totalBytes: 60_000, writeBytes: 4096, recvBufferBytes: 512, readDelayMs: 20 } });
    probes += r.timers.persist;
  }
  assert.ok(probes > 0, 'some seed loses a window update and probes');
});

test('fuzz: simulate() returns or throws SimulationBoundError, nothing else, on extreme valid scenarios', async () => {
  const fc = (await import('fast-check')).default;
  const { PROFILE_NAMES } = await import('../../src/common/scenario');
  const num = (min: number, max: number) => fc.oneof(fc.constant(min), fc.constant(max), fc.integer({ min, max }));
  const arb = fc.record({
    profile: fc.constantFrom(...PROFILE_NAMES),
    link: fc.record({ rttMs: fc.constantFrom(0, 0.001, 1, 60_000), bandwidthMbps: fc.constantFrom(0.001, 1, 1_000_000), mss: num(88, 65_495), lossRate: fc.constantFrom(0, 0.5), seed: fc.integer() }),
    client: fc.record({ nodelay: fc.boolean(), sndbuf: num(0, 1 << 30), rcvbuf: num(1, 1 << 30) }),
    server: fc.record({ nodelay: fc.boolean(), sndbuf: num(0, 1 << 30), rcvbuf: num(1, 1 << 30), rcvbufAfterAccept: fc.boolean(), quickack: fc.boolean() }),
    workload: fc.record({
      pattern: fc.constantFrom('records', 'request-response', 'write-write-read', 'two-channel', 'bulk'),
      count: num(1, 1000), sizeBytes: num(1, 100_000), batch: num(1, 100), writes: fc.array(num(1, 5000), { minLength: 1, maxLength: 3 }),
      responseBytes: num(1, 100_000), recvBufferBytes: num(1, 100_000), totalBytes: num(1, 1_000_000), writeBytes: num(1, 1_000_000),
      thinkTimeMs: fc.constantFrom(0, 3_600_000), nonBlocking: fc.boolean(), overlappedSends: num(1, 64), readDelayMs: fc.constantFrom(0, 1, 3_600_000),
    }),
  });
  fc.assert(fc.property(arb, (s) => {
    try {
      simulate(s as Scenario, { maxEvents: 20_000, maxSimTimeMs: 1e9 });
    } catch (e) {
      assert.ok(e instanceof SimulationBoundError, `threw ${String(e)}`);
      assert.notEqual(e.bound, 'stalled', e.message);
      assert.notEqual(e.bound, 'scenario', e.message);
    }
  }), { numRuns: 300, seed: 11 });
});
