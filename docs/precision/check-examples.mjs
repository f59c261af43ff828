#!/usr/bin/env node
// Compares `socklint examples --format json` with the findings listed in
// examples/expected-findings.json. Prints missing and unexpected findings; exits 1 if any.
//   node docs/precision/check-examples.mjs [examplesDir]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'examples');
const cli = resolve('bin/socklint.js');

const expected = new Map(); // "file:line" -> [ruleId]
const listed = JSON.parse(readFileSync(join(root, 'expected-findings.json'), 'utf8'));
for (const [file, items] of Object.entries(listed)) {
  for (const { line, rule } of items) {
    const key = `${join(root, file)}:${line}`;
    expected.set(key, [...(expected.get(key) ?? []), rule]);
  }
}

let out;
try {
  out = execFileSync('node', [cli, root, '--format', 'json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
} catch (e) {
  out = e.stdout; // exit code 1 when error-severity findings exist
}
const findings = JSON.parse(out);
const actual = new Map();
for (const f of findings) {
  const key = `${resolve(f.file)}:${f.line}`;
  if (!actual.has(key)) actual.set(key, []);
  actual.get(key).push(f.ruleId);
}

let bad = 0;
for (const [key, ids] of expected) {
  const got = actual.get(key) ?? [];
  for (const id of ids) if (!got.includes(id)) { console.log(`MISSING     ${key}  ${id}`); bad++; }
}
for (const [key, ids] of actual) {
  const want = expected.get(key) ?? [];
  for (const id of ids) if (!want.includes(id)) { console.log(`UNEXPECTED  ${key}  ${id}`); bad++; }
}
console.log(`${expected.size} marked lines, ${findings.length} findings, ${bad} mismatches`);
process.exit(bad ? 1 : 0);
