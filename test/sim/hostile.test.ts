// Hostile but valid scenarios: every run ends within its budget with a clear message, or is refused
// before it starts; the data structures stay fast at their limits; no false blame on loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { simulate, SimulationBoundError, validateScenario } from '../../src/sim/index';
import { OutOfOrderQueue } from '../../src/sim/ofoqueue';
import type { Scenario } from '../../src/common/scenario';

const bound = (name: string, re: RegExp) => (e: unknown) => {
  assert.ok(e instanceof SimulationBoundError, String(e));
  assert.equal(e.bound, name);
  assert.match(e.message, re);
  return true;
};

// Every value within the documented limits: 1 GB in 1,000-byte writes, the smallest MSS, 10 % loss.
const hostile: Scenario = { profile: 'linux', link: { mss: 88, lossRate: 0.1 }, workload: { pattern: 'bulk', totalBytes: 1_000_000_000, writeBytes: 1000 } };

test('1 GB in 1,000-byte writes at MSS 88 with 10 % loss is valid, and refused at once with the reason', () => {
  assert.ok(validateScenario(hostile).ok);
  const t0 = performance.now();
  assert.throws(() => simulate(hostile), bound('maxEvents', /refused before running: the scenario needs about [\d,]+ events \([\d,]+ data segments of at most 88 bytes.*more than the 20,000,000 allowed; use a larger link\.mss/));
  assert.ok(performance.now() - t0 < 1000, 'refused without simulating');
  // The panel's smaller budget refuses it too.
  assert.throws(() => simulate(hostile, { maxEvents: 3_000_000 }), bound('maxEvents', /refused before running/));
});

test('a scenario the estimate lets through still ends within the wall-clock budget, with a message', () => {
  const lossless: Scenario = { ...hostile, link: { mss: 88 } };
  const t0 = performance.now();
  assert.throws(() => simulate(lossless, { maxWallMs: 1500 }), bound('maxWallMs', /wall-clock time \(\d+ events/));
  assert.ok(performance.now() - t0 < 6000, `stopped after ${(performance.now() - t0).toFixed(0)} ms`);
});

test('the cost per event does not grow as a lossy MSS-88 run goes on (the out-of-order queue stays cheap)', () => {
  // Same scenario, twice the events: about twice the time, not four times (the old queue re-sorted on every segment).
  const time = (events: number) => {
    // Enough bytes that the run needs more events than allowed, few enough that it is not refused.
    const s: Scenario = { ...hostile, workload: { pattern: 'bulk', totalBytes: events * 40, writeBytes: 1000 } };
    const t0 = performance.now();
    assert.throws(() => simulate(s, { maxEvents: events, maxWallMs: 600_000 }), bound('maxEvents', /needed more than/));
    return performance.now() - t0;
  };
  time(100_000); // warm up the JIT
  const one = time(400_000);
  const two = time(800_000);
  assert.ok(two < 3.5 * one, `400k events ${one.toFixed(0)} ms, 800k events ${two.toFixed(0)} ms`);
});

test('0.001 Mbit/s and 60 s RTT without loss: Linux finishes (timestamps teach the RTO), and nobody blames loss', () => {
  const slow = (profile: Scenario['profile'], pattern: 'records' | 'bulk'): Scenario => ({
    profile, link: { bandwidthMbps: 0.001, rttMs: 60_000 }, workload: pattern === 'bulk' ? { pattern, totalBytes: 100_000 } : { pattern },
  });
  for (const pattern of ['records', 'bulk'] as const) {
    const r = simulate(slow('linux', pattern));
    assert.ok(r.totalTimeMs > 60_000, `${pattern}: ${r.totalTimeMs} ms`);
  }
  // Windows gives up after 5 retransmissions whose backoff adds up to less than one round trip here:
  // a real reset, reported as what it is.
  assert.throws(() => simulate(slow('windows-modern', 'bulk')), (e: unknown) => {
    assert.ok(e instanceof SimulationBoundError && e.bound === 'retransmissions', String(e));
    assert.doesNotMatch(e.message, /lossRate too high/);
    assert.match(e.message, /nothing was lost \(lossRate 0\), but the ACK takes longer than the OS waits/);
    return true;
  });
  // With loss, the message names it.
  assert.throws(() => simulate({ profile: 'windows-legacy', link: { lossRate: 0.5, seed: 3 }, workload: { pattern: 'bulk', totalBytes: 2_000_000 } }),
    (e: unknown) => e instanceof SimulationBoundError && /link\.lossRate 0\.5/.test(e.message));
});

test('the out-of-order queue merges ranges exactly like a byte map, and refuses past its cap', () => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 30 })), { maxLength: 80 }), fc.integer({ min: 0, max: 50 }), (segs, rcvNxt0) => {
    const q = new OutOfOrderQueue(1000);
    const have = new Set<number>();
    for (const [start, len] of segs) {
      if (start <= rcvNxt0) continue;
      assert.ok(q.insert(start, start + len, len));
      for (let b = start; b < start + len; b++) have.add(b);
    }
    let expected = rcvNxt0;
    while (have.has(expected)) expected++;
    let charged = 0;
    const next = q.drain(rcvNxt0, (_end, charge) => { charged += charge; });
    assert.equal(next, expected);
    assert.ok(charged >= 0);
    // What is left starts after a hole.
    assert.equal(q.drain(next), next);
  }), { numRuns: 300, seed: 5 });
  const small = new OutOfOrderQueue(2);
  assert.ok(small.insert(10, 20, 0) && small.insert(30, 40, 0));
  assert.equal(small.insert(50, 60, 0), false, 'a third hole is refused (the segment is dropped and resent)');
  assert.ok(small.insert(20, 30, 0), 'a segment that merges holes is always taken');
  assert.equal(small.length, 1);
});
