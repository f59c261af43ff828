// `npm run bench:peer`: which inputs it measures, what it says about the ones it was not given, and
// that a wrong path or count stops it with a clear message before anything is timed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { BenchUsageError, PEER_INPUTS, parsePeerArgs, skipNotice } from '../../bench/peer';

const root = path.join(__dirname, '..', '..');
const dirA = mkdtempSync(path.join(tmpdir(), 'socklint-peer-a-'));
const dirB = mkdtempSync(path.join(tmpdir(), 'socklint-peer-b-'));
after(() => { rmSync(dirA, { recursive: true, force: true }); rmSync(dirB, { recursive: true, force: true }); });

test('with nothing given it measures examples/ only, 5 rounds after 1 warm-up, and skips curl and redis', () => {
  const o = parsePeerArgs([], {}, root);
  assert.deepEqual(o.inputs, [{ name: 'examples/', dir: path.join(root, 'examples') }]);
  assert.deepEqual(o.skipped.map((p) => p.key), ['curl', 'redis']);
  assert.equal(o.rounds, 5);
  assert.equal(o.warmup, 1);
  assert.equal(o.sgconfig, path.resolve(root, '..', 'shared', 'baseline-astgrep', 'sgconfig.yml'));
  assert.equal(o.json, undefined);
});

test('the skip message says where to get the tree and how to pass it', () => {
  const [curl, redis] = PEER_INPUTS;
  assert.equal(skipNotice(curl),
    'skipped curl lib/: not given. Get it with: git clone https://github.com/curl/curl   (then pass curl/lib); pass it with --curl DIR or SOCKLINT_BENCH_CURL=DIR');
  assert.match(skipNotice(redis), /^skipped redis src\/: not given\. Get it with: git clone https:\/\/github\.com\/redis\/redis .*--redis DIR or SOCKLINT_BENCH_REDIS=DIR$/);
});

test('inputs come from the environment or the flags; a flag wins over the environment', () => {
  const fromEnv = parsePeerArgs(['--rounds', '3', '--warmup', '0'], { SOCKLINT_BENCH_CURL: dirA, SOCKLINT_BENCH_REDIS: '' }, root);
  assert.deepEqual(fromEnv.inputs.map((i) => [i.name, i.dir]), [['examples/', path.join(root, 'examples')], ['curl lib/', dirA]]);
  assert.deepEqual(fromEnv.skipped.map((p) => p.key), ['redis']);
  assert.equal(fromEnv.rounds, 3);
  assert.equal(fromEnv.warmup, 0);
  const flagWins = parsePeerArgs(['--curl', dirB, '--redis', dirA], { SOCKLINT_BENCH_CURL: dirA }, root);
  assert.deepEqual(flagWins.inputs.map((i) => i.dir), [path.join(root, 'examples'), dirB, dirA]);
  assert.deepEqual(flagWins.skipped, []);
});

test('a path that is not a directory, a bad count or an unknown option is an error, never a silent skip', () => {
  const missing = path.join(dirA, 'no-such-dir');
  assert.throws(() => parsePeerArgs(['--curl', missing], {}, root), (e) => e instanceof BenchUsageError && e.message === `--curl: ${missing} is not a directory`);
  assert.throws(() => parsePeerArgs([], { SOCKLINT_BENCH_REDIS: missing }, root), (e) => e instanceof BenchUsageError && e.message.startsWith('SOCKLINT_BENCH_REDIS:'));
  for (const bad of ['0', '-1', '2.5', 'five']) {
    assert.throws(() => parsePeerArgs([`--rounds=${bad}`], {}, root), (e) => e instanceof BenchUsageError && e.message === `--rounds needs a whole number >= 1, not '${bad}'`);
  }
  assert.throws(() => parsePeerArgs(['--round', '3'], {}, root), BenchUsageError);
  assert.throws(() => parsePeerArgs(['lib'], {}, root), BenchUsageError);
});

test('the script stops with exit 2 and the usage on a bad path, before timing anything', () => {
  const missing = path.join(dirA, 'no-such-dir');
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'peer.ts'), '--redis', missing], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`^bench:peer: --redis: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a directory\n\nUsage: npm run bench:peer`));
});
