#!/usr/bin/env node
// Prints every finding of `socklint <path> --format json` with two lines of source
// context on each side, for manual review.   node docs/precision/show-findings.mjs <path>
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const target = process.argv[2];
let out;
try {
  out = execFileSync('node', [resolve('bin/socklint.js'), target, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 << 20 });
} catch (e) {
  out = e.stdout;
}
const findings = JSON.parse(out);
const cache = new Map();
const src = (f) => {
  if (!cache.has(f)) cache.set(f, readFileSync(f, 'latin1').split(/\r?\n/));
  return cache.get(f);
};
for (const f of findings) {
  console.log(`\n=== ${f.file}:${f.line}:${f.column} ${f.ruleId} (${f.severity})\n    ${f.message}`);
  const lines = src(f.file);
  for (let i = Math.max(1, f.line - 2); i <= Math.min(lines.length, f.line + 2); i++)
    console.log(`${i === f.line ? '>' : ' '}${String(i).padStart(6)}  ${lines[i - 1]}`);
}
console.log(`\n${findings.length} findings`);
