// Incremental re-parse from edit events gives the same tree and findings as a fresh parse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LintDocument, lint, type Range } from '../../src/engine';
import { ready } from './fixture-harness';

const BASE = `// 소켓 클라이언트 — 한국어 주석
#include <winsock2.h>
int send_records(SOCKET s) {
    int zero = 0;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&zero, sizeof zero);
    for (int i = 0; i < 100; i++) { send(s, "héllo", 5, 0); }
    return 0;
}
`;

function positionAt(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

test('random edits: the incrementally edited tree equals a fresh parse', async () => {
  await ready;
  const inserts = ['x', ' ', '\n', '(', ')', ';', 'send(s, b, 1, 0);', '한', '/*', '*/', '"', '}', '{', ''];
  await fc.assert(fc.property(
    fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.constantFrom(...inserts)), { minLength: 1, maxLength: 12 }),
    (edits) => {
      const doc = new LintDocument(BASE, 'cpp');
      doc.lint();
      let text = BASE;
      for (const [at, del, ins] of edits) {
        const start = at % (text.length + 1);
        const end = Math.min(text.length, start + del);
        const range: Range = { start: positionAt(text, start), end: positionAt(text, end) };
        doc.applyChanges([{ range, text: ins }]);
        text = text.slice(0, start) + ins + text.slice(end);
        doc.lint();
      }
      assert.equal(doc.getText(), text);
      const fresh = new LintDocument(text, 'cpp');
      fresh.lint();
      assert.equal(doc.treeString(), fresh.treeString());
      assert.deepEqual(doc.lint().findings.map((f) => [f.ruleId, f.range]), lint(text, 'cpp').findings.map((f) => [f.ruleId, f.range]));
      fresh.dispose();
      doc.dispose();
    },
  ), { numRuns: 60, seed: 7 });
});

test('a change without a range replaces the whole text', async () => {
  await ready;
  const doc = new LintDocument(BASE, 'cpp');
  assert.ok(doc.lint().findings.some((f) => f.ruleId === 'sndbuf-zero-without-overlapped'));
  doc.applyChanges([{ text: 'int main() { return 0; }\n' }]);
  assert.equal(doc.lint().findings.length, 0);
  doc.dispose();
});

test('columns count UTF-16 units of the text, as editors do', async () => {
  await ready;
  const text = '/* 한국어 */ int f(SOCKET s) { int z = 0; /* 주석 */ setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char*)&z, sizeof z); send(s, "a", 1, 0); return 0; }\n';
  const f = lint(text, 'cpp').findings.find((x) => x.ruleId === 'sndbuf-zero-without-overlapped');
  assert.ok(f);
  assert.equal(f.range.start.character, text.indexOf('setsockopt'));
});
