// A repository that attacks the tool: limits in .socklintrc.json far over the ceilings, a 20 MB
// source, file names and source lines full of terminal escapes, FIFOs where files should be, and
// `-o` aimed at the sources. Every case runs the real bundled CLI on files made at test time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generatedSource, PARTIAL_SEND, runCli, runJson, tempTree } from './helpers';

const HOSTILE_CONFIG = '{ "maxFileSizeKb": 1e9, "timeBudgetMs": 1e9 }';

test('a .socklintrc.json cannot raise the limits past the ceilings: a 20 MB file is skipped unread', () => {
  const dir = tempTree({ '.socklintrc.json': HOSTILE_CONFIG, 'huge.c': generatedSource(20 * 1024 * 1024), 'small.c': PARTIAL_SEND });
  const started = performance.now();
  const r = runCli(dir, ['--no-color']);
  const seconds = (performance.now() - started) / 1000;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /\.socklintrc\.json: "maxFileSizeKb": 1000000000 is over the ceiling of 4096 \(only --max-file-size-kb can raise it\); using 4096/);
  assert.match(r.stderr, /\.socklintrc\.json: "timeBudgetMs": 1000000000 is over the ceiling of 10000 \(only --time-budget-ms can raise it\); using 10000/);
  assert.match(r.stderr, /huge\.c: skipped: 2048\d KB is over the 4096 KB limit \(maxFileSizeKb\)/);
  assert.match(r.stdout, /small\.c:5:5 {2}warning {2}partial-send-ignored/);
  assert.match(r.stdout, /in 1 file \(1 file checked, 1 skipped\)/);
  // Skipping by size reads nothing: the run costs what the small file costs (generous bound).
  assert.ok(seconds < 20, `took ${seconds.toFixed(1)} s`);
});

test('a config may lower the limits; the user\'s flags override it and raise the ceilings', () => {
  const dir = tempTree({ '.socklintrc.json': '{ "maxFileSizeKb": 2 }', 'three.c': generatedSource(3 * 1024) });
  const lowered = runJson(dir, []);
  assert.equal(lowered.findings.length, 0);
  assert.match(lowered.stderr, /three\.c: skipped: [34] KB is over the 2 KB limit \(maxFileSizeKb\)/);
  const flag = runJson(dir, ['--max-file-size-kb', '64']);
  assert.ok(flag.findings.length > 10, flag.stderr);
  assert.equal(flag.stderr, '');
  const bad = runCli(dir, ['--time-budget-ms', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--time-budget-ms must be a positive number, got '0'/);
});

test('a huge file named with raised limits is stopped by the time budget; the other files are analysed', () => {
  const dir = tempTree({ 'huge.c': generatedSource(20 * 1024 * 1024), 'small.c': PARTIAL_SEND });
  const r = runCli(dir, ['--max-file-size-kb', '30000', '--time-budget-ms', '300', 'huge.c', 'small.c']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^huge\.c: not analysed: parsing took longer than the 300 ms time budget$/m);
  assert.match(r.stdout, /small\.c:5:5/);
  // Cut off by the budget is not "checked".
  assert.match(r.stdout, /\(1 file checked, 1 skipped\)/);
});

test('a file the engine cannot finish is reported as failed, exit 3, and the others are analysed', () => {
  // A real failure: the engine's JS heap limit (the user's SOCKLINT_ENGINE_HEAP_MB) is smaller
  // than the analysis of a 1.5 MB file needs. The worker dies; a new one lints the next file.
  const dir = tempTree({ 'a-big.c': generatedSource(1536 * 1024), 'b-small.c': PARTIAL_SEND });
  const r = runCli(dir, ['--max-file-size-kb', '4000', '--time-budget-ms', '60000'], { env: { SOCKLINT_ENGINE_HEAP_MB: '24' } });
  assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /^a-big\.c: not analysed: the analysis needed more than 24 MB of memory$/m);
  assert.match(r.stdout, /b-small\.c:5:5 {2}warning {2}partial-send-ignored/);
  assert.match(r.stdout, /\(1 file checked, 1 failed\)/);
  assert.ok(!r.stdout.includes('No problems'));
  const none = runCli(dir, ['a-big.c', '--max-file-size-kb', '4000', '--time-budget-ms', '60000'], { env: { SOCKLINT_ENGINE_HEAP_MB: '24' } });
  assert.equal(none.code, 3);
  assert.match(none.stdout, /^No problems found, but 1 file could not be analysed \(0 files checked, 1 failed\)\.$/m);
  const badEnv = runCli(dir, ['b-small.c'], { env: { SOCKLINT_ENGINE_HEAP_MB: 'lots' } });
  assert.match(badEnv.stderr, /SOCKLINT_ENGINE_HEAP_MB=lots: expected a whole number of MB, at least 16; ignored/);
});

test('file names and source lines never put control characters on the terminal', () => {
  const names = ['esc\x1b[31mred.c', 'fake\nfake.c:3:5  error  forged-rule  pwned.c', 'bell\x07\u202etxt.c'];
  const body = PARTIAL_SEND.replace('send(s, buf, n, 0);', 'send(s, buf, n, 0); /* \x1b]0;pwned\x07\x1b[2J\x1b[31m */');
  const files: Record<string, string> = {};
  for (const n of names) files[n] = body;
  const dir = tempTree(files);
  for (const colour of ['--no-color', '--color']) {
    const r = runCli(dir, [colour]);
    assert.equal(r.code, 0, r.stderr);
    // Only the colour codes Socklint makes (SGR: ESC [ digits m), only with --color; no other control.
    const stripped = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    assert.ok(!/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/.test(stripped), JSON.stringify(stripped));
    if (colour === '--no-color') assert.ok(!r.stdout.includes('\x1b'));
    assert.ok(stripped.includes('"esc\\033[31mred.c":5:5'), stripped);
    assert.ok(stripped.includes('"fake\\nfake.c:3:5  error  forged-rule  pwned.c":5:5'), stripped);
    assert.ok(stripped.includes('"bell\\a\\u202etxt.c":5:5'), stripped);
    // The forged line does not exist as a line of its own.
    assert.ok(!stripped.split('\n').some((l) => l.startsWith('fake.c:3:5')), stripped);
    // The excerpt shows the escapes as visible characters, one for one (the caret stays under `send`).
    const lines = stripped.split('\n');
    const at = lines.findIndex((l) => l.includes('send(s, buf, n, 0); /* ␛]0;pwned␇␛[2J␛[31m */'));
    assert.ok(at >= 0, stripped);
    assert.equal(lines[at + 1].indexOf('^'), lines[at].indexOf('send'), `${lines[at]}\n${lines[at + 1]}`);
    assert.equal(/[\x00-\x09\x0b-\x1f\x7f]/.test(r.stderr), false, JSON.stringify(r.stderr));
  }
  // JSON keeps the names exactly (its encoder escapes them).
  const j = runJson(dir, []);
  assert.deepEqual([...new Set(j.findings.map((f) => f.file))].sort(), [...names].sort());
});

test('a binary or skipped file with an escape-laden name is named safely on stderr', () => {
  const dir = tempTree({ 'x\x1b[2J.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]) });
  const r = runCli(dir, []);
  assert.equal(r.stderr, '"x\\033[2J.c": skipped: binary file (contains NUL bytes)\n');
});

test('-o never overwrites an input: the source, a link to it, or the config; it writes atomically', () => {
  const dir = tempTree({ 'a.c': PARTIAL_SEND, '.socklintrc.json': '{}' });
  symlinkSync(path.join(dir, 'a.c'), path.join(dir, 'link.txt'));
  linkSync(path.join(dir, 'a.c'), path.join(dir, 'hard.txt'));
  for (const target of ['a.c', './a.c', 'link.txt', 'hard.txt', '.socklintrc.json']) {
    const r = runCli(dir, ['a.c', '-o', target]);
    assert.equal(r.code, 2, `${target}: ${r.stderr}`);
    assert.match(r.stderr, /refusing to write the report to .*: it is one of the files being linted \(or their config\)/);
    assert.equal(readFileSync(path.join(dir, 'a.c'), 'utf8'), PARTIAL_SEND, `${target} left a.c alone`);
  }
  assert.equal(readFileSync(path.join(dir, '.socklintrc.json'), 'utf8'), '{}');
  // Over an existing unrelated file: replaced whole, no temporary file left behind.
  writeFileSync(path.join(dir, 'report.txt'), 'old report\n'.repeat(1000));
  const ok = runCli(dir, ['a.c', '-o', 'report.txt']);
  assert.equal(ok.code, 0, ok.stderr);
  const report = readFileSync(path.join(dir, 'report.txt'), 'utf8');
  assert.match(report, /^a\.c:5:5 {2}warning {2}partial-send-ignored/);
  assert.ok(!report.includes('old report'));
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  mkdirSync(path.join(dir, 'adir'));
  const toDir = runCli(dir, ['a.c', '-o', 'adir']);
  assert.equal(toDir.code, 2);
  assert.match(toDir.stderr, /cannot write adir \(EISDIR\)/);
});

test('FIFOs and devices where config files belong never block the run', () => {
  const dir = tempTree({ 'src/a.c': PARTIAL_SEND });
  for (const f of ['.socklintrc.json', '.gitignore', 'src/.gitignore']) assert.equal(spawnSync('mkfifo', [path.join(dir, f)]).status, 0);
  const r = runJson(dir, []);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.findings.length, 1);
  const named = runCli(dir, ['--config', '.socklintrc.json']);
  assert.equal(named.code, 2);
  assert.match(named.stderr, /\.socklintrc\.json: not a regular file, not read; using the defaults/);
  const dev = runCli(dir, ['--config', '/dev/zero']);
  assert.equal(dev.code, 2);
  assert.match(dev.stderr, /not a regular file, not read/);
  const fifoOnly = runCli(dir, ['.gitignore']);
  assert.equal(fifoOnly.code, 2);
  assert.ok(!fifoOnly.stderr.includes('no C, C++, Python, C#, Go, Java, JavaScript or TypeScript files found'), fifoOnly.stderr);
  const oversized = tempTree({ '.socklintrc.json': `{"rules": {}, "x": "${'y'.repeat(300 * 1024)}"}`, 'a.c': PARTIAL_SEND });
  const big = runJson(oversized, []);
  assert.match(big.stderr, /\.socklintrc\.json: larger than 256 KB, not read; using the defaults/);
  assert.equal(big.findings.length, 1);
});
