// The profiles agree with the headline numbers the lint messages quote; presets are valid and
// match examples/scenarios/*.json.
import { comparisonFor } from '../../src/common/comparison';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROFILES, PRESETS, validateScenario, simulate } from '../../src/sim/index';
import { PROFILE_HEADLINES, PROFILE_NAMES } from '../../src/common/scenario';

test('each profile agrees with PROFILE_HEADLINES', () => {
  for (const name of PROFILE_NAMES) {
    const p = PROFILES[name];
    const h = PROFILE_HEADLINES[name];
    assert.equal(p.name, name);
    assert.equal(p.delayedAckMs, h.delayedAckMs, `${name} delayed ACK`);
    assert.equal(p.nagle, h.nagle, `${name} Nagle`);
    assert.equal(p.sndbufZeroCompletesAtAck, h.sndbufZeroCompletesAtAck, `${name} SO_SNDBUF = 0`);
  }
});

test('SO_SNDBUF = 0: a send completes at the delayed ACK on Windows profiles, and is just buffered elsewhere', () => {
  for (const name of PROFILE_NAMES) {
    const r = simulate({ profile: name, link: { rttMs: 0 }, client: { sndbuf: 0 }, workload: { pattern: 'records', count: 30, sizeBytes: 10 } });
    if (PROFILE_HEADLINES[name].sndbufZeroCompletesAtAck) {
      assert.ok(Math.abs(r.latencyMs.p50 - PROFILE_HEADLINES[name].delayedAckMs) < 1, `${name}: ${r.latencyMs.p50}`);
      assert.equal(r.timers.delayedAck, 30);
    } else {
      assert.ok(r.causes.sendBuffer < 1, `${name}: the send calls never wait (${r.causes.sendBuffer} ms)`);
      assert.ok(r.timers.delayedAck < 30, `${name}: ${r.timers.delayedAck} delayed-ACK timeouts`);
    }
  }
});

test('every preset is valid and runs; examples/scenarios holds exactly the presets', () => {
  const dir = path.join(__dirname, '../../examples/scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(files, PRESETS.map((p) => `${p.id}.json`).sort());
  for (const p of PRESETS) {
    assert.ok(validateScenario(p.scenario).ok, p.id);
    assert.deepEqual(JSON.parse(readFileSync(path.join(dir, `${p.id}.json`), 'utf8')), p.scenario, `${p.id}.json differs from the preset`);
  }
  const ids = new Set(PRESETS.map((p) => p.id));
  assert.equal(ids.size, PRESETS.length);
});

test('bulk over a long fat link on legacy Windows is capped by its 8 KB window; the KB\'s buffers lift the cap', () => {
  const preset = PRESETS.find((p) => p.id === 'bulk-long-fat-link')!.scenario;
  const scenario = { ...preset, workload: { ...preset.workload, totalBytes: 10_000_000 } };
  const r = simulate(scenario);
  // One 8 KB window per 80 ms round trip is 0.82 Mbit/s at most.
  assert.ok(r.goodputMbps > 0.3 && r.goodputMbps <= 0.82, `${r.goodputMbps} Mbit/s`);
  const fixed = simulate(comparisonFor(scenario));
  assert.ok(fixed.goodputMbps > 100 * r.goodputMbps && fixed.goodputMbps < 1000, `${fixed.goodputMbps} Mbit/s with the KB's buffers`);
  // On Linux the same buffers set by hand are clamped to rmem_max/wmem_max and stop autotuning: slower.
  const linux = { ...scenario, profile: 'linux' as const };
  assert.ok(simulate(comparisonFor(linux)).goodputMbps < simulate(linux).goodputMbps, 'Linux autotunes better than fixed buffers');
});
