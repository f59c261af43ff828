// The .socklintrc.json parser shared by the CLI and the language server (src/engine/config.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeConfigs, parseConfigText, parseSeverity, ruleKeyMatches, toLintOptions } from '../../src/engine/config';

test('parses every key, with comments and trailing commas', () => {
  const { config, errors } = parseConfigText(`{
    // latency advice is noise in this repo
    "rules": { "small-sends-nagle": "off", "partial-send-*": "error", },
    "profile": "linux",
    "maxFileSizeKb": 256,
    "encoding": "cp949",
    "timeBudgetMs": 500,
    "ignore": ["third_party/", "*.gen.c"],
    "run": "onSave",
  }`, 'cfg.json');
  assert.deepEqual(errors, []);
  assert.deepEqual(config, {
    rules: { 'small-sends-nagle': 'off', 'partial-send-*': 'error' },
    profile: 'linux', maxFileSizeKb: 256, encoding: 'cp949', timeBudgetMs: 500,
    ignore: ['third_party/', '*.gen.c'], run: 'onSave',
  });
});

test('severity aliases: information, warn, any letter case', () => {
  assert.equal(parseSeverity('information'), 'info');
  assert.equal(parseSeverity('WARN'), 'warning');
  assert.equal(parseSeverity('Error'), 'error');
  assert.equal(parseSeverity('off'), 'off');
  assert.equal(parseSeverity('fatal'), undefined);
  assert.equal(parseSeverity('constructor'), undefined);
});

test('a bad key or value is named and dropped; the rest still applies', () => {
  const { config, errors } = parseConfigText(JSON.stringify({
    rules: { 'partial-send-ignored': 'loud', 'unhandled-wouldblock': 'error' },
    profile: 'beos',
    maxFileSizeKb: '10',
    timeBudgetMs: -1,
    ignore: ['ok/', 3],
    colour: true,
  }), 'x/.socklintrc.json');
  assert.deepEqual(config, { rules: { 'unhandled-wouldblock': 'error' }, ignore: ['ok/'] });
  const joined = errors.join('\n');
  for (const key of ['rules.partial-send-ignored', '"profile"', '"maxFileSizeKb"', '"timeBudgetMs"', 'ignore[1]', '"colour"']) {
    assert.ok(joined.includes(key), `no error names ${key}: ${joined}`);
  }
  assert.equal(errors.length, 6);
  for (const e of errors) assert.ok(e.startsWith('x/.socklintrc.json: '), e);
  for (const e of errors) assert.ok(!e.includes('\n'), 'one line each');
});

test('a syntax error names the file, line and column and yields the defaults', () => {
  const { config, errors } = parseConfigText('{\n  "profile": "linux",\n  "rules": { "a" "off" }\n}', 'bad.json');
  assert.deepEqual(config, {});
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^bad\.json:3:\d+: invalid JSON/);
});

test('the top level must be an object; an empty file is an empty config', () => {
  assert.match(parseConfigText('[1, 2]', 'a.json').errors[0], /top level/);
  assert.deepEqual(parseConfigText('  \n', 'a.json'), { config: {}, errors: [] });
  assert.deepEqual(parseConfigText('\uFEFF{"profile": "macos"}', 'a.json'), { config: { profile: 'macos' }, errors: [] });
});

test('rule ids and encodings are checked when the caller knows them', () => {
  const { config, errors } = parseConfigText(
    '{"rules": {"partial-send-ignored": "off", "partial-sned": "off", "nagle-*": "off", "*-wouldblock": "info"}, "encoding": "klingon"}',
    's.json',
    { ruleIds: ['partial-send-ignored', 'unhandled-wouldblock'], encodingExists: (n) => n === 'cp949' },
  );
  assert.deepEqual(config.rules, { 'partial-send-ignored': 'off', '*-wouldblock': 'info' });
  assert.equal(config.encoding, undefined);
  assert.equal(errors.length, 3);
  assert.match(errors.join('\n'), /rules\.partial-sned.*unknown rule id/);
  assert.match(errors.join('\n'), /rules\.nagle-\*.*matches no rule/);
  assert.match(errors.join('\n'), /"encoding": unknown encoding "klingon"/);
});

test('rule keys: exact ids and globs', () => {
  assert.ok(ruleKeyMatches('*', 'partial-send-ignored'));
  assert.ok(ruleKeyMatches('partial-*', 'partial-send-ignored'));
  assert.ok(!ruleKeyMatches('partial-*', 'unhandled-wouldblock'));
  assert.ok(!ruleKeyMatches('partial-send', 'partial-send-ignored'));
  assert.ok(ruleKeyMatches('a.b', 'a.b') && !ruleKeyMatches('a.b', 'axb'));
});

test('mergeConfigs: later layers win, also a later glob over an earlier exact id', () => {
  const merged = mergeConfigs(
    { rules: { 'partial-send-ignored': 'off', '*': 'info' }, profile: 'linux', ignore: ['a/'] },
    undefined,
    { rules: { 'partial-send-ignored': 'error' }, maxFileSizeKb: 10, ignore: ['b/'] },
    { rules: { '*': 'warning' }, profile: 'macos' },
  );
  assert.deepEqual(merged, {
    rules: { 'partial-send-ignored': 'error', '*': 'warning' },
    profile: 'macos', maxFileSizeKb: 10, ignore: ['a/', 'b/'],
  });
  // Key order is what makes "later keys win" in the engine: '*' now comes last.
  assert.deepEqual(Object.keys(merged.rules!), ['partial-send-ignored', '*']);
});

test('toLintOptions converts sizes and leaves out what the engine does not read', () => {
  assert.deepEqual(
    toLintOptions({ rules: { x: 'off' }, profile: 'windows-legacy', maxFileSizeKb: 2, timeBudgetMs: 50, encoding: 'gbk', ignore: ['a'] }),
    { rules: { x: 'off' }, profile: 'windows-legacy', maxFileSizeBytes: 2048, timeBudgetMs: 50 },
  );
  assert.deepEqual(toLintOptions({}), {});
});
