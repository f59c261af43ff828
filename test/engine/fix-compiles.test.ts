// A quick fix must leave code that still compiles: every fix offered on the BSD-socket examples and
// rule fixtures (which gcc can check here; Winsock ones cannot be compiled on Linux) is applied and
// compiled, and the fixed fixture re-lints without the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { languageIdForPath, lint } from '../../src/engine';
import { applyEdits, lintFile, ready } from './fixture-harness';

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

test('every fix on the rules\' BSD-socket fire fixtures compiles and re-lints without the finding', async (t) => {
  await ready;
  if (spawnSync('gcc', ['--version']).status !== 0) { t.skip('gcc is not installed'); return; }
  const rules = path.join(__dirname, 'fixtures', 'rules');
  const dir = mkdtempSync(path.join(tmpdir(), 'socklint-fix-'));
  const checkedByRule = new Map<string, number>();
  try {
    for (const rule of readdirSync(rules).sort()) {
      for (const name of readdirSync(path.join(rules, rule)).filter((x) => x.startsWith('fire-')).sort()) {
        const file = path.join(rules, rule, name);
        const { text, result } = lintFile(file);
        // Fixtures that do not compile as they are (Winsock, declarations left out) cannot tell.
        if (/winsock2?\.h/i.test(text) || !compiles(file, text, dir).ok) continue;
        for (const f of result.findings.filter((x) => x.ruleId === rule)) {
          for (const fix of f.fixes) {
            const fixed = applyEdits(text, fix.edits);
            const r = compiles(file, fixed, dir);
            assert.ok(r.ok, `${rule}/${name}: "${fix.title}" does not compile:\n${r.out}`);
            const again = lint(fixed, languageIdForPath(file)!, { profile: 'windows-legacy', timeBudgetMs: 30_000 });
            assert.ok(!again.findings.some((x) => x.ruleId === rule && x.range.start.line === lineAfter(fix.edits, f.range.start.line)),
              `${rule}/${name}: "${fix.title}" leaves the finding`);
            checkedByRule.set(rule, (checkedByRule.get(rule) ?? 0) + 1);
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The fixes that need the most code (a helper, an errno test, a wait) are among those compiled.
  for (const rule of ['unhandled-wouldblock', 'wouldblock-busy-retry', 'recv-message-boundary', 'large-rcvbuf-per-connection']) {
    assert.ok((checkedByRule.get(rule) ?? 0) >= 1, `no fix of ${rule} was compiled: ${JSON.stringify([...checkedByRule])}`);
  }
});

/** Where a line of the original text is after the edits (lines inserted or removed above it). */
function lineAfter(edits: readonly { range: { start: { line: number }; end: { line: number } }; newText: string }[], line: number): number {
  let shift = 0;
  for (const e of edits) {
    if (e.range.end.line > line) continue;
    shift += e.newText.split('\n').length - 1 - (e.range.end.line - e.range.start.line);
  }
  return line + shift;
}
