// validateScenario: every problem named by its field; never throws, whatever JSON it is given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validateScenario, simulate, SimulationBoundError } from '../../src/sim/index';

const errorsOf = (input: unknown) => {
  const v = validateScenario(input);
  assert.equal(v.ok, false, 'expected the scenario to be rejected');
  return v.ok ? [] : v.errors;
};
const pathsOf = (input: unknown) => errorsOf(input).map((e) => e.path);

test('a minimal scenario gets the profile defaults', () => {
  const v = validateScenario({ workload: { pattern: 'records' } });
  assert.ok(v.ok);
  if (!v.ok) return;
  assert.equal(v.scenario.profile, 'windows-modern');
  assert.equal(v.scenario.link.mss, 1460);
  assert.equal(v.scenario.client.sndbuf, null);
  assert.deepEqual(v.scenario.workload.sizeBytes, [20, 100]);
  const linux = validateScenario({ profile: 'linux', workload: { pattern: 'bulk' } });
  assert.ok(linux.ok && linux.scenario.link.mss === 1448);
});

test('wrong types, negative sizes, unknown profile and pattern each name their field', () => {
  assert.deepEqual(pathsOf({ profile: 'bsd', workload: { pattern: 'records' } }), ['profile']);
  assert.deepEqual(pathsOf({ workload: { pattern: 'gossip' } }), ['workload.pattern']);
  assert.deepEqual(pathsOf({ workload: { pattern: 'records', sizeBytes: -5 } }), ['workload.sizeBytes']);
  assert.deepEqual(pathsOf({ workload: { pattern: 'records', count: '10' } }), ['workload.count']);
  assert.deepEqual(pathsOf({ workload: { pattern: 'records', count: 2.5 } }), ['workload.count']);
  assert.deepEqual(pathsOf({ link: { rttMs: -1 }, workload: { pattern: 'records' } }), ['link.rttMs']);
  assert.deepEqual(pathsOf({ link: { lossRate: 0.9 }, workload: { pattern: 'records' } }), ['link.lossRate']);
  assert.deepEqual(pathsOf({ client: { sndbuf: -1 }, workload: { pattern: 'records' } }), ['client.sndbuf']);
  assert.deepEqual(pathsOf({ server: { nodelay: 'yes' }, workload: { pattern: 'records' } }), ['server.nodelay']);
  assert.deepEqual(pathsOf({ workload: { pattern: 'write-write-read', writes: [10, [5, 1]] } }), ['workload.writes[1]']);
  assert.deepEqual(pathsOf({ client: { nodleay: true }, workload: { pattern: 'records' } }), ['client.nodleay']);
  assert.deepEqual(pathsOf({}), ['workload']);
  assert.deepEqual(pathsOf({ workload: {} }), ['workload.pattern']);
});

test('messages say what was expected and what came', () => {
  const [e] = errorsOf({ workload: { pattern: 'records', count: 0 } });
  assert.equal(e.path, 'workload.count');
  assert.match(e.message, /between 1 and 1000000 \(got 0\)/);
  const [p] = errorsOf({ profile: 'bsd', workload: { pattern: 'records' } });
  assert.match(p.message, /windows-legacy, windows-modern, linux, macos \(got "bsd"\)/);
});

test('absurd counts are refused with the limit named', () => {
  assert.deepEqual(pathsOf({ workload: { pattern: 'records', count: 5_000_000 } }), ['workload.count']);
  const [e] = errorsOf({ workload: { pattern: 'records', count: 1_000_000, sizeBytes: 10_000 } });
  assert.equal(e.path, 'workload.count');
  assert.match(e.message, /more than the 1000000000/);
  assert.deepEqual(pathsOf({ workload: { pattern: 'bulk', totalBytes: 900_000_000, writeBytes: 1 } }), ['workload.writeBytes']);
});

test('all problems are reported at once', () => {
  assert.equal(errorsOf({ profile: 1, link: { mss: 10 }, workload: { pattern: 'bulk', writeBytes: 0 } }).length, 3);
});

test('non-objects are refused, never thrown on', () => {
  for (const bad of [null, undefined, 42, 'x', [], [1]]) assert.equal(errorsOf(bad)[0].path, '');
});

test('fuzz: validateScenario never throws on arbitrary JSON, and errors always name a path', () => {
  fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.record({ workload: fc.jsonValue(), link: fc.jsonValue(), client: fc.jsonValue() })), (j) => {
    const v = validateScenario(j);
    if (!v.ok) for (const e of v.errors) assert.equal(typeof e.path, 'string');
  }), { numRuns: 500 });
});

test('simulate() refuses an invalid scenario with the bound "scenario" and the field errors', () => {
  assert.throws(() => simulate({ workload: { pattern: 'records', count: -1 } }), (e: unknown) =>
    e instanceof SimulationBoundError && e.bound === 'scenario' && e.errors[0].path === 'workload.count');
});

test('a normalized scenario validates to itself', () => {
  const v = validateScenario({ profile: 'macos', client: { sndbuf: 0 }, workload: { pattern: 'write-write-read', writes: [1, [2, 3]] } });
  assert.ok(v.ok);
  if (!v.ok) return;
  const again = validateScenario(v.scenario);
  assert.ok(again.ok);
  if (again.ok) assert.deepEqual(again.scenario, v.scenario);
});
