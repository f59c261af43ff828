// Bad input gets a clear notice and never throws or hangs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../src/engine';
import { runtimeFailure, wasmHeapBytes } from '../../src/engine/parse/grammars';
import { ready } from './fixture-harness';

const SOCKET_CODE = 'int f(int s) { send(s, msg, strlen(msg), 0); return 0; }\n';

test('a file over the size limit is not analysed and says why', async () => {
  await ready;
  const r = lint(SOCKET_CODE.repeat(100), 'c', { maxFileSizeBytes: 1000 });
  assert.equal(r.findings.length, 0);
  assert.equal(r.notices[0].kind, 'too-large');
  assert.match(r.notices[0].message, /KB is over the 1 KB limit/);
});

test('binary content is skipped with a notice', async () => {
  await ready;
  const r = lint('\u0000\u0001ELF' + SOCKET_CODE, 'c');
  assert.equal(r.notices[0].kind, 'binary');
});

test('the time budget bounds parse and analysis', async () => {
  await ready;
  const big = SOCKET_CODE.repeat(20000);
  const started = Date.now();
  const r = lint(big, 'c', { timeBudgetMs: 5, maxFileSizeBytes: 10 * 1024 * 1024 });
  assert.equal(r.notices[0]?.kind, 'time-budget', JSON.stringify(r.notices));
  assert.ok(Date.now() - started < 5000, 'returns promptly once the budget is spent');
});

test('unparsable regions still leave findings in the parts that parse', async () => {
  await ready;
  const text = `#define BEGIN_HANDLER(x) void x(int s) {
BEGIN_HANDLER(on_data) send(s, msg, strlen(msg), 0); }
@@@ this region is not C @@@ {{ ;
int g(int s) {
    send(s, msg, strlen(msg), 0);
    return 0;
}
`;
  const r = lint(text, 'c');
  assert.ok(r.errorNodes > 0);
  assert.ok(r.findings.some((f) => f.ruleId === 'partial-send-ignored' && f.range.start.line === 4));
});

test('garbage of every kind never throws', async () => {
  await ready;
  for (const t of ['', '\n\n', '{{{{{{', ')'.repeat(10000), 'send(', '/*', '"'.repeat(5000), '#define X(', 'ﾃｽﾄ'.repeat(1000)]) {
    assert.doesNotThrow(() => lint(t, 'cpp'));
    assert.doesNotThrow(() => lint(t, 'c'));
  }
});

test('a parse stops when the parser heap grows past its cap; the next file parses normally', async () => {
  await ready;
  // About 3 MB of source needs some 150 MB of parser heap; the cap here is 48 MB.
  const big = SOCKET_CODE.repeat(50_000);
  const r = lint(big, 'c', { maxFileSizeBytes: 10 * 1024 * 1024, timeBudgetMs: 60_000, parserHeapCapBytes: 48 * 1024 * 1024 });
  assert.equal(r.findings.length, 0);
  assert.deepEqual(r.notices, [{ kind: 'too-large', message: 'not analysed: parsing needed more than 48 MB of memory' }]);
  assert.ok(wasmHeapBytes() < 64 * 1024 * 1024, `heap ${wasmHeapBytes()} stayed near the cap`);
  const after = lint(SOCKET_CODE, 'c');
  assert.deepEqual(after.notices, []);
  assert.equal(after.findings.length, 1, 'the parser is usable after a stopped parse');
  assert.equal(runtimeFailure(), undefined, 'a stopped parse is not a runtime failure');
});

test('a 200 KB identifier inside a send call is analysed, not stuck on the line', async () => {
  await ready;
  // Every step over a line is linear in its length: a quadratic one would spend the whole budget here.
  const name = 'b'.repeat(200 * 1024);
  const text = `int f(int s) {\n    char ${name}[4096];\n    send(s, ${name}, sizeof ${name}, 0);\n    return 0;\n}\n`;
  const r = lint(text, 'c', { timeBudgetMs: 20_000 });
  assert.deepEqual(r.notices, [], 'no budget or size notice');
  assert.deepEqual(r.findings.map((f) => `${f.ruleId}:${f.range.start.line + 1}`), ['partial-send-ignored:3']);
});
