// The bundled examples are acceptance tests: every `// expect: <rule>` marker fires, nothing else
// does, and the corrected versions (*.fixed.*, *-fixed.*, lookalikes/) stay silent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { languageIdForPath, lint } from '../../src/engine';
import { expectations, ready } from './fixture-harness';

const root = path.join(__dirname, '..', '..', 'examples');

function files(dir: string, acc: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) files(p, acc);
    else if (languageIdForPath(p)) acc.push(p);
  }
  return acc;
}

/** The examples in legacy encodings are named by folder; the CLI detects them, here we name them. */
function decode(file: string): string {
  const buf = readFileSync(file);
  const name = path.basename(file);
  if (name.startsWith('cp949')) return iconv.decode(buf, 'cp949');
  if (name.startsWith('gbk')) return iconv.decode(buf, 'gbk');
  return buf.toString('utf8');
}

for (const file of files(root)) {
  const rel = path.relative(root, file);
  test(`example ${rel}`, async () => {
    await ready;
    const text = decode(file);
    const expected = expectations(text).map((e) => `${e.line + 1}:${e.ruleId}`).sort();
    const got = lint(text, languageIdForPath(file)!, { profile: 'windows-legacy' }).findings.map((f) => `${f.range.start.line + 1}:${f.ruleId}`).sort();
    if (/fixed|lookalikes/.test(rel)) assert.equal(expected.length, 0, 'a corrected example carries no markers');
    assert.deepEqual(got, expected);
  });
}
