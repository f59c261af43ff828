// .socklintrc.json discovery, precedence and broken files, through the real CLI.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { PARTIAL_SEND, runJson, tempTree } from './helpers';

const severities = (findings: { file: string; ruleId: string; severity: string }[]) =>
  Object.fromEntries(findings.filter((f) => f.ruleId === 'partial-send-ignored').map((f) => [f.file, f.severity]));

test('the nearest config wins; the command line overrides it', () => {
  const dir = tempTree({
    '.socklintrc.json': '{ "rules": { "partial-send-ignored": "error" } }',
    'a.c': PARTIAL_SEND,
    'quiet/.socklintrc.json': '{ "rules": { "partial-*": "info" } }',
    'quiet/b.c': PARTIAL_SEND,
    'quiet/deeper/c.c': PARTIAL_SEND,
  });
  const r = runJson(dir, []);
  assert.equal(r.code, 1, r.stderr); // a.c has an error
  assert.deepEqual(severities(r.findings), { 'a.c': 'error', 'quiet/b.c': 'info', 'quiet/deeper/c.c': 'info' });
  const flags = runJson(dir, ['--rule', 'partial-send-ignored=hint']);
  assert.equal(flags.code, 0);
  assert.deepEqual(severities(flags.findings), { 'a.c': 'hint', 'quiet/b.c': 'hint', 'quiet/deeper/c.c': 'hint' });
});

test('a config in a parent of the working directory applies', () => {
  const dir = tempTree({ '.socklintrc.json': '{ "rules": { "partial-send-ignored": "off" } }', 'sub/a.c': PARTIAL_SEND });
  const r = runJson(path.join(dir, 'sub'), []);
  assert.deepEqual(severities(r.findings), {});
});

test('a broken config: one line naming the file and problem, defaults for its files, exit code from findings', () => {
  const dir = tempTree({
    'a.c': PARTIAL_SEND,
    'lib/.socklintrc.json': '{ "rules": { "partial-send-ignored": "error" ', // unterminated
    'lib/b.c': PARTIAL_SEND,
  });
  const r = runJson(dir, []);
  assert.equal(r.code, 0); // the defaults make it a warning, not an error
  assert.deepEqual(severities(r.findings), { 'a.c': 'warning', 'lib/b.c': 'warning' });
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^lib\/\.socklintrc\.json:1:\d+: invalid JSON \(\w+\); using the defaults$/);
});

test('a bad key is named and the rest of the file applies', () => {
  const dir = tempTree({
    '.socklintrc.json': '{ "profile": "amiga", "rulez": {}, "rules": { "partial-send-ignored": "error", "made-up-rule": "off" } }',
    'a.c': PARTIAL_SEND,
  });
  const r = runJson(dir, []);
  assert.equal(r.code, 1);
  assert.deepEqual(severities(r.findings), { 'a.c': 'error' });
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  assert.match(r.stderr, /^\.socklintrc\.json: "profile": expected one of auto\|windows-legacy\|windows-modern\|linux\|macos, got "amiga"; ignored$/m);
  assert.match(r.stderr, /^\.socklintrc\.json: unknown key "rulez"/m);
  assert.match(r.stderr, /^\.socklintrc\.json: "rules\.made-up-rule": unknown rule id; ignored$/m);
});

test('--config replaces discovery; a missing --config file is reported, the run goes on, exit 2', () => {
  const dir = tempTree({
    '.socklintrc.json': '{ "rules": { "partial-send-ignored": "off" } }',
    'ci/strict.json': '{ "rules": { "*": "error" } }',
    'a.c': PARTIAL_SEND,
  });
  const strict = runJson(dir, ['--config', 'ci/strict.json']);
  assert.equal(strict.code, 1);
  assert.deepEqual(severities(strict.findings), { 'a.c': 'error' });
  const missing = runJson(dir, ['--config', 'ci/nope.json']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^ci\/nope\.json: cannot read config file \(ENOENT\); using the defaults$/m);
  assert.deepEqual(severities(missing.findings), { 'a.c': 'warning' });
});

test('"ignore" globs are relative to the config file', () => {
  const dir = tempTree({
    '.socklintrc.json': '{ "ignore": ["third_party/", "*.gen.c", "/top.c"] }',
    'top.c': PARTIAL_SEND,
    'src/top.c': PARTIAL_SEND,
    'src/x.gen.c': PARTIAL_SEND,
    'third_party/zlib/y.c': PARTIAL_SEND,
    'src/third_party/z.c': PARTIAL_SEND,
  });
  const r = runJson(dir, []);
  assert.deepEqual(Object.keys(severities(r.findings)).sort(), ['src/top.c']);
  const named = runJson(dir, ['src/x.gen.c', 'src/top.c']);
  assert.deepEqual(Object.keys(severities(named.findings)), ['src/top.c']);
  assert.match(named.stderr, /^src\/x\.gen\.c: skipped: excluded by "ignore" in the config file$/m);
});

test('the profile (config or --profile) reaches the engine: the numbers in messages follow it', () => {
  const SNDBUF_ZERO = `#include <winsock2.h>

void blast(const char *buf, int n) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int z = 0;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char*)&z, sizeof z);
    for (int i = 0; i < 100; i++) {
        if (send(s, buf, n, 0) != n) return;
    }
}
`;
  const message = (dir: string, args: string[]) => {
    const found = runJson(dir, args).findings.filter((f) => f.ruleId === 'sndbuf-zero-without-overlapped');
    assert.equal(found.length, 1);
    return found[0].message;
  };
  const plain = tempTree({ 'z.c': SNDBUF_ZERO });
  const legacy = message(plain, ['--profile', 'windows-legacy']);
  assert.match(legacy, /200 ms delayed ACK/);
  assert.notEqual(message(plain, []), legacy);
  const configured = tempTree({ '.socklintrc.json': '{"profile": "windows-legacy"}', 'z.c': SNDBUF_ZERO });
  assert.equal(message(configured, []), legacy);
  const modern = message(plain, ['--profile', 'windows-modern']);
  assert.notEqual(modern, legacy);
  assert.equal(message(configured, ['--profile', 'windows-modern']), modern);
});
