// Writes docs/rules/<id>.md from each rule's docs text, and the rule table in README.md.
// `--check` fails instead of writing when anything is out of date (the tests run it).
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '../src/engine';
import { docsMarkdown } from '../src/engine/rules/rule';

const root = path.join(__dirname, '..');
const check = process.argv.includes('--check');
const stale: string[] = [];

function put(file: string, content: string): void {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (current === content) return;
  if (check) { stale.push(path.relative(root, file)); return; }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

for (const rule of allRules()) put(path.join(root, 'docs', 'rules', `${rule.id}.md`), docsMarkdown(rule));

const table = [
  '| Rule | Default | Flags |',
  '|---|---|---|',
  ...allRules().map((r) => `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.defaultSeverity} | ${r.docs.summary.replace(/\|/g, '\\|')} |`),
].join('\n');
const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- rules:start -->', end = '<!-- rules:end -->';
if (readme.includes(start) && readme.includes(end)) {
  const next = readme.slice(0, readme.indexOf(start) + start.length) + '\n' + table + '\n' + readme.slice(readme.indexOf(end));
  put(readmePath, next);
} else {
  stale.push('README.md (missing rule table markers)');
}

if (stale.length) {
  console.error(`out of date (run: npx tsx scripts/gen-rule-docs.ts): ${stale.join(', ')}`);
  process.exit(1);
}
