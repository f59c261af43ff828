#!/usr/bin/env node
// Compares `socklint examples --format json` with the `// expect: <rule-id>[, <rule-id>]`
// markers in examples/. Prints missing and unexpected findings; exits 1 if any.
//   node docs/precision/check-examples.mjs [examplesDir]
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'examples');
const cli = resolve('bin/socklint.js');

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(c|cc|cpp|cxx|h|hpp)$/.test(name)) yield p;
  }
}

const expected = new Map(); // "file:line" -> [ruleId]
for (const file of walk(root)) {
  // Markers are ASCII, so a latin1 read finds them in CP949/GBK files too.
  const lines = readFileSync(file, 'latin1').split(/\r?\n/);
  lines.forEach((text, i) => {
    const m = text.match(/expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*$/);
    if (m) expected.set(`${file}:${i + 1}`, m[1].split(/\s*,\s*/));
  });
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
