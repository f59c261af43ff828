// Runs every test/**/*.test.ts with node's test runner (TypeScript through tsx).
// Pass directories or files to narrow the run: node scripts/run-tests.mjs test/engine
//
// Whatever did not run is said at the end, with the reason and the command that runs it: the
// end-to-end suites (left out unless SOCKLINT_E2E=1 or named on the command line) and every
// test that skipped itself (t.skip('gcc is not installed')), collected by skip-reporter.mjs.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

function collect(p, acc) {
  if (statSync(p).isDirectory()) {
    for (const e of readdirSync(p).sort()) if (e !== 'fixtures' && e !== 'node_modules') collect(path.join(p, e), acc);
  } else if (p.endsWith('.test.ts')) acc.push(p);
  return acc;
}

const isE2e = (f) => f.split(path.sep).includes('e2e');
/** First use through `npm start` installs code-server as a new user would; the other e2e suites then reuse it. */
const firstUseFirst = (a, b) => Number(!a.endsWith('npm-start.e2e.test.ts')) - Number(!b.endsWith('npm-start.e2e.test.ts'));

const args = process.argv.slice(2);
const roots = args.length ? args : ['test'];
const files = roots.flatMap((r) => collect(r, []));
// e2e tests need a real VS Code; they run when SOCKLINT_E2E=1 (set by .ci/run) or when named explicitly.
const runE2e = args.length > 0 || process.env.SOCKLINT_E2E === '1';
const selected = files.filter((f) => runE2e || !isE2e(f));
const leftOut = files.filter((f) => !selected.includes(f));
selected.sort((a, b) => (isE2e(a) && isE2e(b) ? firstUseFirst(a, b) : 0));

// The usual reporter on the terminal (spec on a TTY, TAP otherwise, as node chooses), plus ours into a file.
const skipsDir = mkdtempSync(path.join(tmpdir(), 'socklint-tests-'));
const skipsFile = path.join(skipsDir, 'skipped.jsonl');
const reporter = process.stdout.isTTY ? 'spec' : 'tap';
const r = spawnSync(process.execPath, [
  '--import', 'tsx', '--test', '--test-concurrency=1',
  `--test-reporter=${reporter}`, '--test-reporter-destination=stdout',
  `--test-reporter=${path.join(import.meta.dirname, 'skip-reporter.mjs')}`, `--test-reporter-destination=${skipsFile}`,
  ...selected,
], { stdio: 'inherit' });

let skipped = [];
try {
  skipped = readFileSync(skipsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
} catch {
  // No file: the runner died before reporting anything; its own output says why.
}
rmSync(skipsDir, { recursive: true, force: true });

const lines = [];
if (leftOut.length > 0) {
  lines.push(`Not run: ${leftOut.length} end-to-end suite${leftOut.length === 1 ? '' : 's'} in a real VS Code (code-server + Chromium), because SOCKLINT_E2E is not 1:`);
  for (const f of leftOut) lines.push(`  ${f}`);
  lines.push('  Run them with: SOCKLINT_E2E=1 npm test   (or: node scripts/run-tests.mjs test/e2e)');
  lines.push('  They install code-server under .cache/ on first use (a few minutes; SOCKLINT_CACHE=DIR reuses another install).');
}
if (skipped.length > 0) {
  lines.push(`Skipped: ${skipped.length} test${skipped.length === 1 ? '' : 's'} that could not run here:`);
  for (const s of skipped) lines.push(`  ${s.file ? `${path.relative(process.cwd(), s.file)}: ` : ''}${s.name}: ${s.reason}`);
}
if (lines.length > 0) process.stdout.write(`\n${lines.join('\n')}\n`);
process.exit(r.status ?? 1);
