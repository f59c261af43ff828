// Which files get linted, and what happens to the ones that cannot be.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PARTIAL_SEND, runCli, runJson, tempTree } from './helpers';

const filesWithFindings = (findings: { file: string }[]) => [...new Set(findings.map((f) => f.file))].sort();

test('walks directories for C/C++ extensions in any case, skipping build output and dependencies', () => {
  const dir = tempTree({
    'src/a.c': PARTIAL_SEND,
    'src/B.CPP': PARTIAL_SEND,
    'src/c.cc': PARTIAL_SEND,
    'src/d.cxx': PARTIAL_SEND,
    'inc/e.H': PARTIAL_SEND,
    'inc/f.hpp': PARTIAL_SEND,
    'inc/g.hh': PARTIAL_SEND,
    'notes.txt': PARTIAL_SEND,
    'src/a.c.orig': PARTIAL_SEND,
    'node_modules/dep/x.c': PARTIAL_SEND,
    'build/x.c': PARTIAL_SEND,
    'out/x.c': PARTIAL_SEND,
    'dist/x.c': PARTIAL_SEND,
    'bin/x.c': PARTIAL_SEND,
    'obj/x.c': PARTIAL_SEND,
    'cmake-build-debug/x.c': PARTIAL_SEND,
    '.git/x.c': PARTIAL_SEND,
  });
  const r = runJson(dir, []);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(filesWithFindings(r.findings), ['inc/e.H', 'inc/f.hpp', 'inc/g.hh', 'src/B.CPP', 'src/a.c', 'src/c.cc', 'src/d.cxx']);
  assert.equal(r.stderr, '');
});

test('honours .gitignore files, nested ones too; an explicitly named ignored file is still linted', () => {
  const dir = tempTree({
    '.gitignore': 'generated/\n*.gen.c\n',
    'main.c': PARTIAL_SEND,
    'generated/x.c': PARTIAL_SEND,
    'lib/y.gen.c': PARTIAL_SEND,
    'lib/.gitignore': 'local.c\n!keep.gen.c\n',
    'lib/local.c': PARTIAL_SEND,
    'lib/keep.gen.c': PARTIAL_SEND,
    'lib/net.c': PARTIAL_SEND,
    'other/local.c': PARTIAL_SEND,
  });
  mkdirSync(path.join(dir, '.git'));
  assert.deepEqual(filesWithFindings(runJson(dir, []).findings), ['lib/keep.gen.c', 'lib/net.c', 'main.c', 'other/local.c']);
  // Linting a subdirectory still applies the repository root's .gitignore.
  assert.deepEqual(filesWithFindings(runJson(dir, ['lib']).findings), ['lib/keep.gen.c', 'lib/net.c']);
  assert.deepEqual(filesWithFindings(runJson(dir, ['generated/x.c']).findings), ['generated/x.c']);
});

test('globs expand from the working directory and respect .gitignore', () => {
  const dir = tempTree({
    '.gitignore': 'skip.c\n',
    'src/a.c': PARTIAL_SEND,
    'src/deep/b.c': PARTIAL_SEND,
    'src/skip.c': PARTIAL_SEND,
    'src/c.cpp': PARTIAL_SEND,
  });
  assert.deepEqual(filesWithFindings(runJson(dir, ['src/**/*.c']).findings), ['src/a.c', 'src/deep/b.c']);
  const none = runJson(dir, ['src/**/*.rs']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /src\/\*\*\/\*\.rs: no C, C\+\+, Python, C#, Go, Java, JavaScript or TypeScript files match this pattern/);
});

test('a missing path is one line on stderr; the others are still linted; exit 2', () => {
  const dir = tempTree({ 'a.c': PARTIAL_SEND });
  const r = runJson(dir, ['nope.c', 'a.c', 'missing-dir']);
  assert.equal(r.code, 2);
  assert.deepEqual(filesWithFindings(r.findings), ['a.c']);
  assert.deepEqual(r.stderr.trim().split('\n'), ['nope.c: no such file or directory', 'missing-dir: no such file or directory']);
});

test('a lone missing path is one clear error and nothing else: no "No problems" summary; exit 2', () => {
  const dir = tempTree({ 'a.c': PARTIAL_SEND });
  const r = runCli(dir, ['nonexist.c']);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'nonexist.c: no such file or directory\n');
  assert.equal(r.stdout, '');
});

test('binary and non-C files are skipped with a one-line message; the run goes on', () => {
  const dir = tempTree({
    'blob.c': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x41, 0x42]),
    'noise.cpp': Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41 + (i % 26)))),
    'readme.md': '# hi\n',
    'a.c': PARTIAL_SEND,
  });
  const r = runJson(dir, ['.', 'readme.md']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(filesWithFindings(r.findings), ['a.c']);
  const lines = r.stderr.trim().split('\n').sort();
  assert.deepEqual(lines, [
    'blob.c: skipped: binary file (contains NUL bytes)',
    'noise.cpp: skipped: binary file (mostly control characters)',
    'readme.md: skipped: not a C, C++, Python, C#, Go, Java, JavaScript or TypeScript file (by its extension)',
  ]);
});

test('files over the size limit are skipped (default 1024 KB, maxFileSizeKb in the config)', () => {
  const filler = `// ${'x'.repeat(76)}\n`.repeat(14); // ~1.1 KB of comments
  const dir = tempTree({ 'big.c': filler + PARTIAL_SEND, 'small.c': PARTIAL_SEND });
  const plain = runJson(dir, []);
  assert.deepEqual(filesWithFindings(plain.findings), ['big.c', 'small.c']);
  const limited = tempTree({ '.socklintrc.json': '{"maxFileSizeKb": 1}', 'big.c': filler + PARTIAL_SEND, 'small.c': PARTIAL_SEND });
  const r = runJson(limited, []);
  assert.equal(r.code, 0);
  assert.deepEqual(filesWithFindings(r.findings), ['small.c']);
  assert.match(r.stderr, /^big\.c: skipped: 2 KB is over the 1 KB limit \(maxFileSizeKb\)$/m);
  const huge = tempTree({ 'huge.c': Buffer.alloc(1024 * 1024 + 10, 0x20), 'small.c': PARTIAL_SEND });
  const h = runJson(huge, []);
  assert.match(h.stderr, /^huge\.c: skipped: 1025 KB is over the 1024 KB limit/m);
  assert.deepEqual(filesWithFindings(h.findings), ['small.c']);
});

test('an unreadable file is reported and the others are still linted', () => {
  const dir = tempTree({ 'locked.c': PARTIAL_SEND, 'open.c': PARTIAL_SEND });
  chmodSync(path.join(dir, 'locked.c'), 0o000);
  chmodSync(dir, 0o755);
  // root reads anything: run the CLI as an unprivileged user then.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = runCli(dir, ['--format', 'json'], { spawn: asUser });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.trim(), 'locked.c: skipped: cannot read file (EACCES)');
  assert.deepEqual(filesWithFindings(JSON.parse(r.stdout)), ['open.c']);
});

test('symlinked directories are not followed (no loops); a FIFO named on the command line does not hang', () => {
  const dir = tempTree({ 'src/a.c': PARTIAL_SEND });
  symlinkSync(path.join(dir, 'src'), path.join(dir, 'src', 'loop'));
  const r = runJson(dir, []);
  assert.deepEqual(filesWithFindings(r.findings), ['src/a.c']);
  const fifo = path.join(dir, 'pipe.c');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  const p = runJson(dir, ['pipe.c', 'src']);
  assert.match(p.stderr, /pipe\.c: cannot be linted: not a regular file/);
  assert.deepEqual(filesWithFindings(p.findings), ['src/a.c']);
  assert.equal(p.code, 2, 'a named path that cannot be linted is an input error');
});

test("the engine's notices (here: the time budget) are one line naming the file; the others are still linted", () => {
  const dir = tempTree({ 'slow/.socklintrc.json': '{"timeBudgetMs": 0.0001}', 'slow/a.c': PARTIAL_SEND, 'b.c': PARTIAL_SEND });
  const r = runJson(dir, []);
  assert.equal(r.code, 0);
  assert.match(r.stderr.trim(), /^slow\/a\.c: not analysed: .*time budget$/);
  assert.deepEqual(filesWithFindings(r.findings), ['b.c']);
});
