// Runs every test/**/*.test.ts with node's test runner (TypeScript through tsx).
// Pass directories or files to narrow the run: node scripts/run-tests.mjs test/engine
import { readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

function collect(p, acc) {
  if (statSync(p).isDirectory()) {
    for (const e of readdirSync(p).sort()) if (e !== 'fixtures' && e !== 'node_modules') collect(path.join(p, e), acc);
  } else if (p.endsWith('.test.ts')) acc.push(p);
  return acc;
}
const args = process.argv.slice(2);
const roots = args.length ? args : ['test'];
const files = roots.flatMap((r) => collect(r, []));
// e2e tests need a real VS Code; they run when SOCKLINT_E2E=1 (set by .ci/run) or when named explicitly.
const selected = files.filter((f) => args.length || process.env.SOCKLINT_E2E === '1' || !f.includes(`${path.sep}e2e${path.sep}`));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...selected], { stdio: 'inherit' });
process.exit(r.status ?? 1);
