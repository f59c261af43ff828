// A quick fix must leave code that still compiles: every fix offered on the BSD-socket examples
// (which gcc can check here; Winsock ones cannot be compiled on Linux) is applied and compiled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { languageIdForPath, lint } from '../../src/engine';
import { applyEdits, ready } from './fixture-harness';

const root = path.join(__dirname, '..', '..', 'examples');
function files(dir: string, acc: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) files(p, acc);
    else if (languageIdForPath(p)) acc.push(p);
  }
  return acc;
}

function compiles(file: string, text: string, dir: string): { ok: boolean; out: string } {
  const out = path.join(dir, path.basename(file));
  writeFileSync(out, text);
  const cc = languageIdForPath(file) === 'c' ? 'gcc' : 'g++';
  const r = spawnSync(cc, ['-fsyntax-only', '-w', out], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stderr };
}

test('every fix on the BSD-socket examples still compiles', async (t) => {
  await ready;
  if (spawnSync('gcc', ['--version']).status !== 0) { t.skip('gcc is not installed'); return; }
  const dir = mkdtempSync(path.join(tmpdir(), 'socklint-fix-'));
  let checked = 0;
  try {
    for (const file of files(root)) {
      const text = readFileSync(file, 'utf8');
      if (/winsock2?\.h/i.test(text) || !compiles(file, text, dir).ok) continue;
      for (const f of lint(text, languageIdForPath(file)!, { profile: 'linux' }).findings) {
        for (const fix of f.fixes) {
          const r = compiles(file, applyEdits(text, fix.edits), dir);
          assert.ok(r.ok, `${path.relative(root, file)}: "${fix.title}" (${f.ruleId}) does not compile:\n${r.out}`);
          checked++;
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(checked >= 2, `only ${checked} fixes were checked`);
});
