// Each rule's documented examples are checked against the rule: docs.bad must fire it and
// docs.good must not. Snippets that are not whole programs are wrapped in a minimal function, the
// way a reader would paste them into one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allRules, lint } from '../../src/engine';
import type { Rule } from '../../src/engine/rules/rule';
import { ready } from './fixture-harness';

const PRELUDE = '#include <winsock2.h>\n#include <string.h>\n';

/** A snippet with a function definition of its own is a program; anything else becomes a body. */
export function asProgram(snippet: string): { text: string; firstLine: number } {
  const hasFunction = /^(?!(if|while|for|switch|do|else)\b)[A-Za-z_][\w \t*]*\([^;{}]*\)\s*\{/m.test(snippet);
  if (hasFunction) return { text: PRELUDE + snippet + '\n', firstLine: 2 };
  return { text: `${PRELUDE}void socklint_docs_example(SOCKET s, char *buf, int len)\n{\n${snippet}\n}\n`, firstLine: 4 };
}

function findingsOf(rule: Rule, snippet: string) {
  const { text } = asProgram(snippet);
  const lang = /\b(class|std::|reinterpret_cast|nullptr)\b|::\w/.test(snippet) ? 'cpp' : 'c';
  const result = lint(text, lang, { profile: 'windows-legacy', reportUnusedSuppressions: false, timeBudgetMs: 30_000 });
  assert.deepEqual(result.notices.filter((n) => n.kind !== 'parse-errors'), [], 'the snippet is analysed');
  return result.findings.filter((f) => f.ruleId === rule.id);
}

test('asProgram wraps statements and keeps whole functions', () => {
  assert.match(asProgram('send(s, buf, len, 0);').text, /void socklint_docs_example\(SOCKET s, char \*buf, int len\)\n\{\nsend/);
  assert.doesNotMatch(asProgram('int f(SOCKET s)\n{\n    return 0;\n}').text, /socklint_docs_example/);
  assert.match(asProgram('while (sent < len) {\n    sent++;\n}').text, /socklint_docs_example/);
});

for (const rule of allRules()) {
  test(`${rule.id}: docs.bad fires the rule`, async () => {
    await ready;
    assert.ok(findingsOf(rule, rule.docs.bad).length > 0, `docs.bad does not fire ${rule.id}:\n${rule.docs.bad}`);
  });
  test(`${rule.id}: docs.good stays silent`, async () => {
    await ready;
    assert.deepEqual(findingsOf(rule, rule.docs.good).map((f) => `${f.range.start.line + 1}: ${f.message}`), []);
  });
}
