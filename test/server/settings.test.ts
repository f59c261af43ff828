// How the server combines settings and .socklintrc.json into limits: capped at the user's
// ceilings, only lowered in an untrusted workspace; and the extension manifest agrees with the
// engine's defaults, ceilings and restricted settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CEILINGS, DEFAULT_LIMITS, LIMIT_KEYS } from '../../src/engine/config';
import { effectiveSettings } from '../../src/server/settings';

const HOSTILE = { maxFileSizeKb: 1e9, timeBudgetMs: 1e9 };

test('a trusted workspace\'s config is capped at the ceilings, and each cut is explained', () => {
  const s = effectiveSettings(undefined, HOSTILE, '/w/.socklintrc.json');
  assert.equal(s.options.maxFileSizeBytes, DEFAULT_CEILINGS.maxFileSizeKb * 1024);
  assert.equal(s.options.timeBudgetMs, DEFAULT_CEILINGS.timeBudgetMs);
  assert.deepEqual(s.fileNotes, [
    '/w/.socklintrc.json: "maxFileSizeKb": 1000000000 is over the ceiling of 4096 (only the user setting socklint.ceiling.maxFileSizeKb can raise it); using 4096',
    '/w/.socklintrc.json: "timeBudgetMs": 1000000000 is over the ceiling of 10000 (only the user setting socklint.ceiling.timeBudgetMs can raise it); using 10000',
  ]);
  const raised = effectiveSettings({ ceiling: { maxFileSizeKb: 50_000 } }, HOSTILE);
  assert.equal(raised.options.maxFileSizeBytes, 50_000 * 1024);
  assert.equal(raised.options.timeBudgetMs, DEFAULT_CEILINGS.timeBudgetMs);
});

test('settings are capped too (workspace values come with the repository); lower values pass', () => {
  const s = effectiveSettings({ maxFileSizeKb: 99_999, timeBudgetMs: 500 }, undefined);
  assert.equal(s.options.maxFileSizeBytes, DEFAULT_CEILINGS.maxFileSizeKb * 1024);
  assert.equal(s.options.timeBudgetMs, 500);
  assert.deepEqual(s.problems, ['socklint.maxFileSizeKb: 99999 is over the ceiling of 4096 (only the user setting socklint.ceiling.maxFileSizeKb can raise it); using 4096']);
  const bad = effectiveSettings({ ceiling: { maxFileSizeKb: -1, timeBudgetMs: 'x' as never } }, undefined);
  assert.equal(bad.problems.length, 2);
  assert.match(bad.problems[0], /socklint\.ceiling\.maxFileSizeKb: expected a positive number, got -1; ignored/);
});

test('untrusted: the config may lower the limits but never raise them past the user\'s or the defaults', () => {
  const raise = effectiveSettings({ workspaceTrusted: false }, { maxFileSizeKb: 2000 }, 'rc');
  assert.equal(raise.options.maxFileSizeBytes, DEFAULT_LIMITS.maxFileSizeKb * 1024);
  assert.deepEqual(raise.fileNotes, ['rc: "maxFileSizeKb": 2000 is over 1024, and this workspace is not trusted: its config may lower the limits, not raise them; using 1024']);
  const lower = effectiveSettings({ workspaceTrusted: false }, { maxFileSizeKb: 10, timeBudgetMs: 100 });
  assert.equal(lower.options.maxFileSizeBytes, 10 * 1024);
  assert.equal(lower.options.timeBudgetMs, 100);
  assert.deepEqual(lower.fileNotes, []);
  // The user's own (user-level) value is what the file could otherwise not exceed; settings win anyway.
  const user = effectiveSettings({ workspaceTrusted: false, maxFileSizeKb: 3000, ceiling: { maxFileSizeKb: 3000 } }, { maxFileSizeKb: 2000 });
  assert.equal(user.options.maxFileSizeBytes, 3000 * 1024);
});

test('the extension manifest: limit defaults, machine-scoped ceilings, restricted in untrusted workspaces', () => {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
  const props = pkg.contributes.configuration.properties;
  const trust = pkg.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  assert.deepEqual(trust.restrictedConfigurations, LIMIT_KEYS.map((k) => `socklint.${k}`));
  for (const key of LIMIT_KEYS) {
    assert.equal(props[`socklint.${key}`].default, DEFAULT_LIMITS[key], key);
    assert.equal(props[`socklint.ceiling.${key}`].default, DEFAULT_CEILINGS[key], key);
    assert.equal(props[`socklint.ceiling.${key}`].scope, 'machine', `${key}: only the user sets a ceiling`);
  }
});
