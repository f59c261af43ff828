// docs/rules/*.md and the README rule table are generated from the rules: they must be current.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

test('rule docs and README table are up to date (npx tsx scripts/gen-rule-docs.ts)', () => {
  const root = path.join(__dirname, '..', '..');
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/gen-rule-docs.ts', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
