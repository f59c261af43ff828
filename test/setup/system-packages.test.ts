// scripts/system-packages.sh, which npm start (through setup-code-server.sh) and .ci/run use for
// the Debian packages they need: installed packages pass silently; a user who cannot install is
// told the exact command and nothing goes on. Run as an unprivileged user (nobody), as a user
// without root would meet it; installing as root is what .ci/run does on every CI run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const SCRIPT = path.resolve(__dirname, '../../scripts/system-packages.sh');

function asNobody(args: string[]) {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return spawnSync('su', ['-s', '/bin/bash', 'nobody', '-c', `bash ${SCRIPT} ${quoted}`], { encoding: 'utf8' });
}

test('without root: installed packages pass; missing ones stop with the apt-get line to run', (t) => {
  if (process.getuid?.() !== 0 || spawnSync('dpkg-query', ['--version']).status !== 0) {
    t.skip('needs root (to run the script as another user) and dpkg');
    return;
  }
  const ok = asNobody(['building code-server', 'dpkg']);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stderr, '');

  const missing = asNobody(['building code-server', 'dpkg', 'socklint-no-such-package', 'socklint-nor-this-one']);
  assert.equal(missing.status, 1);
  assert.deepEqual(missing.stderr.trim().split('\n'), [
    'socklint: building code-server needs Debian packages that are not installed: socklint-no-such-package socklint-nor-this-one',
    'Run this, then try again:',
    '  sudo apt-get install -y socklint-no-such-package socklint-nor-this-one',
  ]);
});
