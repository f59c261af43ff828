// The command itself: usage errors, text output, exit codes, colours, --explain, --output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { FULL_SEND, PARTIAL_SEND, runCli, runJson, tempTree } from './helpers';

const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
const ESC = '\x1b[';

test('--help and --version', () => {
  const dir = tempTree({});
  const help = runCli(dir, ['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: socklint/);
  assert.match(help.stdout, /--max-warnings/);
  const v = runCli(dir, ['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout.trim(), pkg.version);
});

test('usage errors exit 2 with a one-line message', () => {
  const dir = tempTree({ 'a.c': PARTIAL_SEND });
  for (const [args, pattern] of [
    [['--frmat', 'json'], /Unknown option '--frmat'/],
    [['--format', 'xml'], /--format must be one of text\|json\|sarif/],
    [['--profile', 'beos'], /--profile must be one of/],
    [['--max-warnings', 'many'], /--max-warnings must be a non-negative integer/],
    [['--encoding', 'klingon'], /unknown encoding 'klingon'/],
  ] as const) {
    const r = runCli(dir, [...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.split('\n')[0], pattern);
    assert.equal(r.stdout, '');
  }
});

test('text report: location, severity, rule, excerpt with caret, summary', () => {
  const dir = tempTree({ 'src/bad.c': PARTIAL_SEND, 'src/good.c': FULL_SEND });
  const r = runCli(dir, []);
  assert.equal(r.code, 0, r.stderr); // warnings only
  const lines = r.stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('src/bad.c:5:5  warning  partial-send-ignored  '));
  assert.ok(header >= 0, r.stdout);
  assert.equal(lines[header + 1], '  5 |     send(s, buf, n, 0);');
  // The caret starts under the `s` of send (column 5).
  const caretLine = lines[header + 2];
  assert.match(caretLine, /^ {4}\| {5}\^+$/);
  assert.ok(!r.stdout.includes('src/good.c'));
  assert.match(r.stdout, /1 problem \(0 errors, 1 warning, 0 infos\) in 1 file \(2 files checked\)/);
  assert.ok(!r.stdout.includes(ESC), 'no colours when stdout is not a terminal');
});

test('a clean tree says so and exits 0', () => {
  const dir = tempTree({ 'good.c': FULL_SEND });
  const r = runCli(dir, ['.']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /No problems \(1 file checked\)/);
});

test('exit 1 on error severity (--rule) and on more warnings than --max-warnings', () => {
  const dir = tempTree({ 'a.c': PARTIAL_SEND, 'b.c': PARTIAL_SEND });
  const asError = runJson(dir, ['--rule', 'partial-send-ignored=error']);
  assert.equal(asError.code, 1);
  assert.ok(asError.findings.length >= 2 && asError.findings.every((f) => f.severity === 'error'));
  assert.equal(runCli(dir, ['--max-warnings', '1']).code, 1);
  assert.match(runCli(dir, ['--max-warnings', '1']).stderr, /2 warnings, more than --max-warnings 1/);
  assert.equal(runCli(dir, ['--max-warnings', '2']).code, 0);
  const off = runJson(dir, ['--rule', 'partial-send-ignored=off', '--max-warnings', '0']);
  assert.equal(off.findings.filter((f) => f.ruleId === 'partial-send-ignored').length, 0);
  // Aliases and globs: warn, information, '*'.
  assert.ok(runJson(dir, ['--rule', 'partial-*=information']).findings.every((f) => f.severity === 'info'));
});

test('an unknown or malformed --rule is reported on one line and the run goes on', () => {
  const dir = tempTree({ 'a.c': PARTIAL_SEND });
  const r = runJson(dir, ['--rule', 'partial-sned=off', '--rule', 'partial-send-ignored', '--rule', 'partial-send-ignored=loud']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /--rule 'partial-sned=off': unknown rule id 'partial-sned'; flag ignored \(rules: .*partial-send-ignored/);
  assert.match(r.stderr, /--rule 'partial-send-ignored': expected ID=/);
  assert.match(r.stderr, /--rule 'partial-send-ignored=loud': expected ID=/);
  assert.equal(r.findings.filter((f) => f.ruleId === 'partial-send-ignored').length, 1);
});

test('colours: only on request or a terminal, never with --no-color or NO_COLOR', () => {
  const dir = tempTree({ 'a.c': PARTIAL_SEND });
  assert.ok(runCli(dir, [], { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
  assert.ok(runCli(dir, ['--color']).stdout.includes(ESC));
  assert.ok(!runCli(dir, ['--no-color'], { env: { FORCE_COLOR: '1' } }).stdout.includes(ESC));
  assert.ok(!runCli(dir, [], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout.includes(ESC));
});

test('--explain prints the rule docs; an unknown id exits 2 with the list of rules', () => {
  const dir = tempTree({});
  const r = runCli(dir, ['--explain', 'partial-send-ignored']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^# partial-send-ignored: /);
  for (const section of ['Default severity: warning', '## What happens on the wire', '## Code that triggers it', '## Corrected code', '## Fix', 'Documentation: https://']) {
    assert.ok(r.stdout.includes(section), `missing ${section}`);
  }
  const bad = runCli(dir, ['--explain', 'nagle']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown rule 'nagle'\. Rules: .*partial-send-ignored/);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
});

test('--output writes the report to a file', () => {
  const dir = tempTree({ 'a.c': PARTIAL_SEND });
  const r = runCli(dir, ['--format', 'json', '--output', 'report.json']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  const findings = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { ruleId: string }[];
  assert.ok(findings.some((f) => f.ruleId === 'partial-send-ignored'));
  const unwritable = runCli(dir, ['--output', 'no/such/dir/r.txt']);
  assert.equal(unwritable.code, 2);
  assert.match(unwritable.stderr, /cannot write no\/such\/dir\/r\.txt \(ENOENT\)/);
});

test('text report: related locations and available fixes follow the finding', () => {
  const dir = tempTree({
    'z.c': `#include <winsock2.h>

void blast(const char *buf, int n) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int z = 0;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char*)&z, sizeof z);
    for (int i = 0; i < 100; i++) {
        if (send(s, buf, n, 0) != n) return;
    }
}
`,
  });
  const r = runCli(dir, []);
  const lines = r.stdout.split('\n');
  const i = lines.findIndex((l) => l.startsWith('z.c:6:5  warning  sndbuf-zero-without-overlapped  '));
  assert.ok(i >= 0, r.stdout);
  assert.equal(lines[i + 1], '  6 |     setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char*)&z, sizeof z);');
  const notes = lines.slice(i + 3).filter((l) => l.startsWith('  = '));
  assert.ok(notes.some((l) => /^ {2}= note: 8:\d+: \S/.test(l)), notes.join('\n'));
  assert.ok(notes.some((l) => l.startsWith('  = fix available: ')), notes.join('\n'));
});

test('text report: one message line per finding; --verbose adds the explanation, wrapped, under it', () => {
  const dir = tempTree({ 'a.c': PARTIAL_SEND });
  const json = runJson(dir, []).findings.find((f) => f.ruleId === 'partial-send-ignored')!;
  const plain = runCli(dir, []).stdout;
  const verbose = runCli(dir, ['--verbose']).stdout;
  const header = `a.c:5:5  warning  partial-send-ignored  ${json.message}`;
  assert.ok(plain.includes(header) && verbose.includes(header), verbose);
  // Without --verbose the explanation's words appear nowhere; with it, all of them, in order, under the finding.
  const words = json.detail!.split(/\s+/).filter(Boolean);
  assert.ok(words.length > 10);
  assert.ok(!plain.includes(words.slice(0, 6).join(' ')), plain);
  const block = verbose.slice(verbose.indexOf(header) + header.length, verbose.indexOf('1 problem'));
  const shown = block.split('\n').filter((l) => l.startsWith('    ') && !/^ +\d* *\|/.test(l));
  assert.deepEqual(shown.join(' ').split(/\s+/).filter(Boolean), words);
  for (const l of shown) assert.ok(l.length <= 100, `wrapped to 100 columns: ${l}`);
});
