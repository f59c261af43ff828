// `socklint simulate` is wired to the simulator's front end: scenario paths are relative to the
// working directory and the JSON carries the fields DESIGN.md promises.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, tempTree } from './helpers';

const scenario = (nodelay: boolean) => JSON.stringify({
  profile: 'windows-legacy',
  link: { rttMs: 1 },
  client: { nodelay },
  workload: { pattern: 'write-write-read', count: 20, writes: [10, 100], responseBytes: 64 },
});

test('simulate: JSON result for a scenario file, relative to the working directory', () => {
  const dir = tempTree({ 'sc/nagle.json': scenario(false), 'sc/nodelay.json': scenario(true) });
  const run = (file: string) => {
    const r = runCli(dir, ['simulate', file, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Record<string, any>;
  };
  const nagle = run('sc/nagle.json');
  for (const key of ['messagesPerSecond', 'totalTimeMs', 'latencyMs', 'packets', 'causes']) assert.ok(key in nagle, key);
  for (const key of ['p50', 'p90', 'p99', 'max']) assert.equal(typeof nagle.latencyMs[key], 'number');
  for (const key of ['nagle', 'delayedAck', 'sendBuffer', 'window', 'wire']) assert.equal(typeof nagle.causes[key], 'number');
  // Write-write-read with Nagle waits for the peer's delayed ACK; TCP_NODELAY does not.
  assert.ok(nagle.causes.delayedAck > 0);
  assert.ok(run('sc/nodelay.json').messagesPerSecond > nagle.messagesPerSecond);
});

test('simulate: a missing scenario file is one line on stderr and exit 2', () => {
  const dir = tempTree({});
  const r = runCli(dir, ['simulate', 'nope.json']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^socklint simulate: cannot read nope\.json: .*ENOENT/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
