// Whole programs, linted as one project (the way the CLI and the editor's workspace do): facts cross
// functions and files. Each case is test/engine/fixtures/programs/<rule-id>/<case>/{fire,silent}/:
// the fire version must produce exactly the findings its `// expect: <rule-id>` markers name (in any
// of its files); the silent version, the corrected program, must produce none of that rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { allRules, languageIdForPath } from '../../src/engine';
import { lintProject } from '../../src/engine/project';
import { expectations, ready } from './fixture-harness';
import type { ProfileName } from '../../src/common/scenario';

const root = path.join(__dirname, 'fixtures', 'programs');
const ruleIds = new Set(allRules().map((r) => r.id));

/** The program's source files, as paths relative to `dir` (a repository may hold several programs in subdirectories). */
function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix)).sort().flatMap((f) => {
    const rel = prefix ? `${prefix}/${f}` : f;
    if (statSync(path.join(dir, rel)).isDirectory()) return filesOf(dir, rel);
    return languageIdForPath(f) ? [rel] : [];
  });
}

/** `file:line` of each finding of `ruleId` in the program at `dir`, sorted. */
export function programFindings(dir: string, ruleId: string): { got: string[]; want: string[]; notices: string[] } {
  const files = filesOf(dir);
  const sources = files.map((f) => ({ path: f, text: readFileSync(path.join(dir, f), 'utf8'), languageId: languageIdForPath(f)! }));
  // Winsock programs take the Windows profile, POSIX ones Linux (auto), unless the case names one in a
  // `profile` file beside fire/ and silent/ (the OS whose TCP the case is about); a generous budget for loaded machines.
  const profileFile = path.join(dir, '..', 'profile');
  const profile = existsSync(profileFile) ? (readFileSync(profileFile, 'utf8').trim() as ProfileName) : undefined;
  const results = lintProject(sources, { timeBudgetMs: 30_000, ...(profile ? { profile } : {}) });
  const got: string[] = [], want: string[] = [], notices: string[] = [];
  for (const s of sources) {
    const r = results.get(s.path)!;
    for (const n of r.notices) notices.push(`${s.path}: ${n.message}`);
    for (const f of r.findings) if (f.ruleId === ruleId) got.push(`${s.path}:${f.range.start.line + 1}`);
    for (const e of expectations(s.text)) if (e.ruleId === ruleId) want.push(`${s.path}:${e.line + 1}`);
  }
  return { got: got.sort(), want: want.sort(), notices };
}

const cases: { rule: string; name: string }[] = [];
for (const rule of readdirSync(root).sort()) {
  for (const name of readdirSync(path.join(root, rule)).sort()) cases.push({ rule, name });
}

test('every program directory is named after a rule and has a fire and a silent version', () => {
  for (const c of cases) {
    assert.ok(ruleIds.has(c.rule), `${c.rule} is not a rule id`);
    const kinds = readdirSync(path.join(root, c.rule, c.name)).filter((k) => k !== 'profile').sort();
    assert.deepEqual(kinds, ['fire', 'silent'], `${c.rule}/${c.name}`);
  }
});

for (const c of cases) {
  for (const kind of ['fire', 'silent'] as const) {
    test(`${c.rule}: ${c.name} (${kind})`, async () => {
      await ready;
      const dir = path.join(root, c.rule, c.name, kind);
      const { got, want, notices } = programFindings(dir, c.rule);
      assert.deepEqual(notices, [], 'every file was analysed');
      if (kind === 'fire') assert.ok(want.length > 0, 'a fire program marks what must fire');
      else assert.equal(want.length, 0, 'a silent program has no markers');
      assert.deepEqual(got, want);
    });
  }
}
