// Invariants over random scenarios (fast-check): every byte delivered once and in order, time
// never goes backwards, each message's causes sum to its latency, same seed -> same result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { simulate, PROFILES, SimulationBoundError, type SimOptions, type SimResult } from '../../src/sim/index';
import { PROFILE_NAMES, type Scenario } from '../../src/common/scenario';

/** Runs a scenario; a connection the OS would reset after too many retransmissions is an accepted outcome. */
function run(s: Scenario, options?: SimOptions): SimResult | undefined {
  try {
    return simulate(s, options);
  } catch (e) {
    if (e instanceof SimulationBoundError && e.bound === 'retransmissions') return undefined;
    throw e;
  }
}

const size = fc.oneof(fc.integer({ min: 1, max: 4000 }), fc.tuple(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 200, max: 3000 })));
const endpoint = fc.record({
  nodelay: fc.boolean(),
  sndbuf: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 200_000 })), { nil: undefined }),
  rcvbuf: fc.option(fc.integer({ min: 512, max: 200_000 }), { nil: undefined }),
  // After the handshake: on Linux a small buffer then drops data and retracts its window.
  rcvbufAfterAccept: fc.boolean(),
  quickack: fc.boolean(),
  callCostUs: fc.option(fc.constantFrom(0, 1, 50), { nil: undefined }),
}, { requiredKeys: ['nodelay'] });
const workload = fc.oneof(
  fc.record({ pattern: fc.constant('records' as const), count: fc.integer({ min: 1, max: 60 }), sizeBytes: size, batch: fc.integer({ min: 1, max: 5 }),
    recvBufferBytes: fc.integer({ min: 1, max: 5000 }), overlappedSends: fc.integer({ min: 1, max: 3 }), nonBlocking: fc.boolean(), readDelayMs: fc.constantFrom(0, 0, 3) }),
  fc.record({ pattern: fc.constantFrom('request-response' as const, 'two-channel' as const), count: fc.integer({ min: 1, max: 20 }), sizeBytes: size,
    responseBytes: fc.integer({ min: 1, max: 5000 }), recvBufferBytes: fc.integer({ min: 1, max: 5000 }), thinkTimeMs: fc.constantFrom(0, 0, 5) }),
  fc.record({ pattern: fc.constant('write-write-read' as const), count: fc.integer({ min: 1, max: 15 }), writes: fc.array(size, { minLength: 1, maxLength: 4 }),
    responseBytes: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ pattern: fc.constant('bulk' as const), totalBytes: fc.integer({ min: 1, max: 300_000 }), writeBytes: fc.integer({ min: 500, max: 70_000 }),
    recvBufferBytes: fc.integer({ min: 100, max: 70_000 }), readDelayMs: fc.constantFrom(0, 0, 2) }),
);
const scenario: fc.Arbitrary<Scenario> = fc.record({
  profile: fc.constantFrom(...PROFILE_NAMES),
  link: fc.record({ rttMs: fc.double({ min: 0, max: 80, noNaN: true }), bandwidthMbps: fc.constantFrom(1, 10, 100, 1000), lossRate: fc.constantFrom(0, 0, 0.01, 0.05), seed: fc.integer({ min: 0, max: 1000 }),
    mss: fc.constantFrom(536, 1448, 1460, 65_483) }, { requiredKeys: ['rttMs', 'bandwidthMbps', 'lossRate', 'seed'] }),
  client: endpoint,
  server: endpoint,
  workload,
}) as fc.Arbitrary<Scenario>;

test('every byte is read exactly once and in order; every message is counted', () => {
  fc.assert(fc.property(scenario, (s) => {
    const r = run(s, { recordDeliveries: true });
    if (!r) return;
    for (const d of r.deliveries!) {
      let next = 0;
      for (const [offset, len] of d.reads) {
        assert.equal(offset, next, `channel ${d.channel} to ${d.to}: read at ${offset}, expected ${next}`);
        assert.ok(len > 0);
        next += len;
      }
      assert.equal(next, d.bytesWritten, `channel ${d.channel} to ${d.to}: read ${next} of ${d.bytesWritten} bytes`);
    }
    assert.equal(r.perMessage.length, Math.min(r.messages, 2000));
  }), { numRuns: 150, seed: 20261121 });
});

test('time never goes backwards: trace entries in order, every segment arrives after it was sent', () => {
  fc.assert(fc.property(scenario, (s) => {
    const r = run(s, { traceLimit: 5000 });
    if (!r) return;
    let last = 0;
    for (const e of r.packets) {
      assert.ok(e.t >= last, `${e.kind} at ${e.t} after ${last}`);
      last = e.t;
      if (e.arriveT !== undefined) assert.ok(e.arriveT >= e.t);
    }
    for (const m of r.perMessage) assert.ok(m.latencyMs >= 0 && m.startMs >= 0);
  }), { numRuns: 100, seed: 7 });
});

test('each message\'s cause breakdown sums to its latency, and the totals to the summed latency', () => {
  fc.assert(fc.property(scenario, (s) => {
    const r = run(s);
    if (!r) return;
    for (const m of r.perMessage) {
      const sum = Object.values(m.causes).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - m.latencyMs) <= 1e-6 * Math.max(1, m.latencyMs), `message ${m.index}: causes ${sum} vs latency ${m.latencyMs}`);
      for (const v of Object.values(m.causes)) assert.ok(v >= 0);
    }
    const total = Object.values(r.causes).reduce((a, b) => a + b, 0);
    const latencySum = r.latencyMs.mean * r.messages;
    assert.ok(Math.abs(total - latencySum) <= 1e-6 * Math.max(1, latencySum), `${total} vs ${latencySum}`);
  }), { numRuns: 150, seed: 42 });
});

test('deterministic: the same scenario and seed give the same result', () => {
  fc.assert(fc.property(scenario, (s) => {
    const a = run(s);
    const b = run(structuredClone(s));
    assert.deepEqual(a, b);
  }), { numRuns: 30, seed: 3 });
});

test('a different seed changes the drawn sizes and losses', () => {
  const s: Scenario = { profile: 'linux', link: { rttMs: 10, lossRate: 0.05, seed: 1 }, workload: { pattern: 'records', count: 300, sizeBytes: [20, 3000] } };
  const a = simulate(s);
  const b = simulate({ ...s, link: { ...s.link, seed: 2 } });
  assert.notDeepEqual(a.latencyMs, b.latencyMs);
  assert.ok(Object.keys(PROFILES).length === 4);
});
