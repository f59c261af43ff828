// The bundled examples are acceptance tests: exactly the findings listed in
// examples/expected-findings.json fire, and the corrected versions (*.fixed.*, *-fixed.*,
// *-nodelay.*, lookalikes/) stay silent. The list lives beside the examples, not in them, so the
// examples stay clean code a user can copy.
//
// After an engine change moves or changes findings on purpose, rewrite the list from what fires
// and review the diff: SOCKLINT_UPDATE_EXPECTED=1 node scripts/run-tests.mjs test/engine/examples.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { languageIdForPath, lint, type Finding } from '../../src/engine';
import { ready } from './fixture-harness';

const root = path.join(__dirname, '..', '..', 'examples');
const LIST = path.join(root, 'expected-findings.json');
const UPDATE = process.env.SOCKLINT_UPDATE_EXPECTED === '1';

/** One expected finding: the rule, the 1-based line its range starts on, and that line's code (the anchor). */
interface Expected { line: number; rule: string; code: string }
type ExpectedList = Record<string, Expected[]>;

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

/** Written one finding per line, so a diff of the list reads like a diff of findings. */
function format(list: ExpectedList): string {
  const entries = Object.keys(list).sort().map((file) => {
    const items = list[file].map((e) => `    { "line": ${e.line}, "rule": ${JSON.stringify(e.rule)}, "code": ${JSON.stringify(e.code)} }`);
    return `  ${JSON.stringify(file)}: ${items.length ? `[\n${items.join(',\n')}\n  ]` : '[]'}`;
  });
  return `{\n${entries.join(',\n')}\n}\n`;
}

const key = (e: { line: number; rule: string }) => `${e.line}:${e.rule}`;
const lineOf = (text: string, line: number) => (text.split('\n')[line - 1] ?? '').replace(/\r$/, '');

function lintExample(file: string): { text: string; findings: Finding[] } {
  const text = decode(file);
  return { text, findings: lint(text, languageIdForPath(file)!, { profile: 'windows-legacy', timeBudgetMs: 30_000 }).findings };
}

const listed: ExpectedList = JSON.parse(readFileSync(LIST, 'utf8')) as ExpectedList;
const exampleFiles = files(root).map((f) => path.relative(root, f).split(path.sep).join('/'));

if (UPDATE) {
  test('rewrite examples/expected-findings.json from what fires', async () => {
    await ready;
    const fresh: ExpectedList = {};
    for (const rel of exampleFiles) {
      const { text, findings } = lintExample(path.join(root, rel));
      fresh[rel] = findings
        .map((f) => ({ line: f.range.start.line + 1, rule: f.ruleId, code: lineOf(text, f.range.start.line + 1).trim() }))
        .sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
    }
    writeFileSync(LIST, format(fresh));
  });
} else {
  test('expected-findings.json lists every example, and only examples', () => {
    assert.deepEqual(Object.keys(listed).sort(), [...exampleFiles].sort(),
      'every C/C++ file under examples/ has an entry (an empty list when it must stay silent)');
    assert.equal(readFileSync(LIST, 'utf8'), format(listed), 'the list keeps its one-finding-per-line layout');
  });

  for (const rel of exampleFiles) {
    test(`example ${rel}`, async () => {
      await ready;
      const expected = listed[rel] ?? [];
      const { text, findings } = lintExample(path.join(root, rel));
      if (/fixed|nodelay|lookalikes/.test(rel)) assert.equal(expected.length, 0, 'a corrected example expects no finding');
      // The anchor: the listed line still holds the listed code (catches a list left behind by an edit).
      for (const e of expected) {
        assert.ok(lineOf(text, e.line).includes(e.code), `${rel}:${e.line} should read "${e.code}" but reads "${lineOf(text, e.line).trim()}"`);
      }
      // Exactly these findings: none missing, none extra.
      const got = findings.map((f) => key({ line: f.range.start.line + 1, rule: f.ruleId })).sort();
      assert.deepEqual(got, expected.map(key).sort());
      assert.ok(!/expect:/.test(text), 'examples carry no test markers');
    });
  }
}
