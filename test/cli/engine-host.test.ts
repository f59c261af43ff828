// The engine host with its real worker (dist/engine-worker.js): a WebAssembly abort, a runaway
// job and a bloated heap each cost one file, never the next one. The failures are real: a small
// WebAssembly memory maximum the parser runs out of, a watchdog shorter than the job.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { initEngine, lint } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';
import { EngineHost } from '../../src/engine-host/host';
import { generatedSource, PARTIAL_SEND } from './helpers';

const DIST = path.resolve(__dirname, '../../dist');
const WORKER = path.join(DIST, 'engine-worker.js');
const hosts: EngineHost[] = [];
function host(options: ConstructorParameters<typeof EngineHost>[0] extends infer O ? Omit<O & object, 'workerScript'> : never): EngineHost {
  const h = new EngineHost({ workerScript: WORKER, wasmDir: DIST, ...options });
  hosts.push(h);
  return h;
}

before(async () => {
  assert.ok(existsSync(WORKER), `${WORKER} is missing: run npm run build`);
  await initEngine(grammarFiles());
});
after(async () => {
  await Promise.all(hosts.map((h) => h.dispose()));
});

const expectedFindings = (text: string) => lint(text, 'c').findings.map((f) => `${f.ruleId}@${f.range.start.line}`);
const got = (r: { findings: { ruleId: string; range: { start: { line: number } } }[] }) => r.findings.map((f) => `${f.ruleId}@${f.range.start.line}`);

test('a WebAssembly abort (the parser out of memory) fails that file; a fresh runtime lints the next', async () => {
  const log: string[] = [];
  // No clean stop below the maximum: the parse runs into V8's limit on the WebAssembly memory.
  const h = host({ parserMemoryMb: 64, parserHeapCapBytes: 2 ** 40, log: (m) => log.push(m) });
  const big = await h.lint(generatedSource(3 * 1024 * 1024), 'c', { maxFileSizeBytes: 8 * 1024 * 1024, timeBudgetMs: 60_000 });
  assert.deepEqual(big.notices, [{ kind: 'internal', message: "internal error: the parser's WebAssembly runtime failed (out of memory: the parser may use at most 64 MB)" }]);
  assert.equal(big.findings.length, 0);
  const small = await h.lint(PARTIAL_SEND, 'c', {});
  assert.deepEqual(small.notices, []);
  assert.deepEqual(got(small), expectedFindings(PARTIAL_SEND));
  assert.equal(h.starts, 2, 'the runtime was replaced');
  assert.ok(log.some((l) => l.includes("the parser's WebAssembly runtime failed")), log.join('\n'));
});

test('a job that outlives the watchdog is stopped; the next job gets a new worker', async () => {
  const h = host({ watchdogGraceMs: 0 });
  // A 1 ms budget and no grace (a 2 ms watchdog): the worker cannot even receive 2 MB and answer in time.
  const r = await h.lint(generatedSource(2 * 1024 * 1024), 'c', { maxFileSizeBytes: 4 * 1024 * 1024, timeBudgetMs: 1 });
  assert.equal(r.notices[0]?.kind, 'internal');
  assert.match(r.notices[0].message, /^not analysed: the analysis did not finish within 2 ms and was stopped$/);
  const next = await h.lint(PARTIAL_SEND, 'c', { timeBudgetMs: 5_000 });
  assert.deepEqual(got(next), expectedFindings(PARTIAL_SEND));
  assert.equal(h.starts, 2);
});

test('a worker whose parser heap grew past the recycle size is replaced, giving the memory back', async () => {
  const h = host({ recycleHeapBytes: 40 * 1024 * 1024 });
  const text = generatedSource(1024 * 1024);
  const first = await h.lint(text, 'c', { maxFileSizeBytes: 2 * 1024 * 1024, timeBudgetMs: 60_000 });
  assert.deepEqual(first.notices, []);
  assert.equal(h.starts, 1);
  const second = await h.lint(PARTIAL_SEND, 'c', {});
  assert.deepEqual(got(second), expectedFindings(PARTIAL_SEND));
  assert.equal(h.starts, 2, 'the big parse left a heap over 40 MB: a new worker took the next job');
});

test('jobs run in order; a document copy that disagrees is re-sent in full', async () => {
  const h = host({});
  const texts = [PARTIAL_SEND, generatedSource(4000), PARTIAL_SEND.replace('send(s, buf, n, 0);', '(void)0;')];
  const results = await Promise.all(texts.map((t) => h.lint(t, 'c', {})));
  assert.deepEqual(results.map(got), texts.map(expectedFindings));
  const log: string[] = [];
  const d = host({ log: (m) => log.push(m) });
  await d.lintDocument('doc', 'c', PARTIAL_SEND, undefined, {});
  // The caller claims no changes, but its text is different: the lengths disagree.
  const other = generatedSource(2000);
  const r = await d.lintDocument('doc', 'c', other, [], {});
  assert.deepEqual(got(r), expectedFindings(other));
  assert.ok(log.some((l) => l.includes("the engine's copy of doc disagreed")), log.join('\n'));
  // Incremental changes still work after the re-sync.
  const edited = `${other}int tail(int s) { send(s, "x", 1, 0); return 0; }\n`;
  const end = other.split('\n').length - 1;
  const r2 = await d.lintDocument('doc', 'c', edited, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, text: 'int tail(int s) { send(s, "x", 1, 0); return 0; }\n' }], {});
  assert.deepEqual(got(r2), expectedFindings(edited));
});
