// Every rule against its fixtures: test/engine/fixtures/<rule-id>/fire-*.{c,cpp} must produce
// exactly the findings their `// expect:` markers name; silent-*.{c,cpp} must produce none of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { allRules } from '../../src/engine';
import { expectedFor, lintFile, linesFor, ready } from './fixture-harness';

const root = path.join(__dirname, 'fixtures', 'rules');

test('every fixture directory is named after a rule (a typo would leave its fixtures unrun)', () => {
  const ids = new Set(allRules().map((r) => r.id));
  assert.deepEqual(readdirSync(root).filter((d) => !ids.has(d)), []);
});

for (const rule of allRules()) {
  const dir = path.join(root, rule.id);
  const files = (() => { try { return readdirSync(dir).sort(); } catch { return []; } })();
  test(`${rule.id}: has at least 3 must-fire and 3 must-stay-silent fixtures`, () => {
    assert.ok(files.filter((f) => f.startsWith('fire-')).length >= 3, `${dir}: fewer than 3 fire-* fixtures`);
    assert.ok(files.filter((f) => f.startsWith('silent-')).length >= 3, `${dir}: fewer than 3 silent-* fixtures`);
  });
  for (const f of files) {
    test(`${rule.id}: ${f}`, async () => {
      await ready;
      const { text, result } = lintFile(path.join(dir, f));
      // A file that was not analysed (time budget, internal error) would pass as "silent".
      assert.deepEqual(result.notices.filter((n) => n.kind !== 'parse-errors'), [], `${f} was not fully analysed`);
      const expected = expectedFor(text, rule.id);
      if (f.startsWith('fire-')) assert.ok(expected.length > 0, `${f} has no "// expect: ${rule.id}" marker`);
      else assert.equal(expected.length, 0, `${f} is a silent fixture but has markers`);
      assert.deepEqual(linesFor(result, rule.id), expected);
      for (const finding of result.findings.filter((x) => x.ruleId === rule.id)) {
        assert.match(finding.message, /\d|`/, 'messages carry numbers or the code they are about');
        assert.ok(finding.message.length < 160, `message over 160 characters: ${finding.message}`);
      }
    });
  }
}
