// The hooks in .pre-commit-hooks.yaml, run by pre-commit itself on a scratch repository, as a
// project using Socklint would: pre-commit installs this repository (the committed HEAD) with npm
// and runs the hook on the staged C/C++ files. Needs the pre-commit command (Debian: pre-commit).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const ROOT = path.resolve(__dirname, '../..');

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

test('pre-commit runs the socklint and socklint-fix hooks on staged C files', { timeout: 600_000 }, (t) => {
  if (spawnSync('pre-commit', ['--version']).status !== 0) {
    t.skip('pre-commit is not installed (Debian: apt-get install pre-commit; .ci/run installs it)');
    return;
  }
  const home = mkdtempSync(path.join(tmpdir(), 'socklint-pre-commit-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const repo = path.join(home, 'project');
  const env = { ...process.env, PRE_COMMIT_HOME: path.join(home, 'cache'), GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });
  execFileSync('git', ['init', '-q', repo]);
  writeFileSync(path.join(repo, 'net.c'), SNDBUF_ZERO);
  writeFileSync(path.join(repo, 'notes.txt'), 'SO_SNDBUF = 0 is not C, so no hook reads this\n');
  const rev = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  writeFileSync(path.join(repo, '.pre-commit-config.yaml'), `repos:
  - repo: ${ROOT}
    rev: ${rev}
    hooks:
      - id: socklint
        args: [--max-warnings=0]
`);
  git('add', '-A');
  const run = (hook?: string) => spawnSync('pre-commit', ['run', ...(hook ? [hook] : []), '--all-files'], { cwd: repo, env, encoding: 'utf8', timeout: 540_000 });

  // The check: fails on the warning, names the rule, leaves the file alone.
  const check = run();
  assert.equal(check.status, 1, check.stdout + check.stderr);
  assert.match(check.stdout, /socklint\.+Failed/);
  assert.match(check.stdout, /^net\.c:6:5 {2}warning {2}sndbuf-zero-without-overlapped/m);
  assert.doesNotMatch(check.stdout, /notes\.txt/);
  assert.equal(readFileSync(path.join(repo, 'net.c'), 'utf8'), SNDBUF_ZERO);

  // The fixer: applies the safe fix; pre-commit fails the commit because files changed, and the
  // next run passes.
  writeFileSync(path.join(repo, '.pre-commit-config.yaml'), `repos:
  - repo: ${ROOT}
    rev: ${rev}
    hooks:
      - id: socklint-fix
`);
  git('add', '-A');
  const fix = run();
  assert.equal(fix.status, 1, fix.stdout + fix.stderr);
  assert.match(fix.stdout, /files were modified by this hook/);
  assert.ok(!readFileSync(path.join(repo, 'net.c'), 'utf8').includes('SO_SNDBUF'));
  git('add', '-A');
  const again = run();
  assert.equal(again.status, 0, again.stdout + again.stderr);
});
