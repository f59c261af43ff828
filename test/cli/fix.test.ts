// The rules of --fix on findings built by hand, so every case exists whatever the rules offer
// today: only `safe: true` fixes, never two that overlap or touch, a fix whose own edits overlap
// is skipped, CRLF kept, and re-linting repeats until nothing more applies (at most MAX_PASSES).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, Fix, LintResult, Range } from '../../src/engine';
import { applySafeFixes, fixUntilStable, MAX_PASSES } from '../../src/cli/fix';

const at = (line: number, from: number, to = from, toLine = line): Range => ({ start: { line, character: from }, end: { line: toLine, character: to } });

function finding(ruleId: string, line: number, fixes: Fix[]): Finding {
  return { ruleId, severity: 'warning', message: ruleId, range: at(line, 0, 1), related: [], fixes };
}
const result = (findings: Finding[]): LintResult => ({ findings, suppressed: [], notices: [], errorNodes: 0, timing: { parseMs: 0, analyseMs: 0 } });

const TEXT = 'alpha\nbeta\ngamma\ndelta\n';

test('only fixes marked safe are applied; a finding\'s first safe fix is the one taken', () => {
  const r = applySafeFixes(TEXT, [
    finding('a', 0, [{ title: 'unmarked', edits: [{ range: at(0, 0, 5), newText: 'ALPHA' }] }]),
    finding('b', 1, [{ title: 'judgement', safe: false, edits: [{ range: at(1, 0, 4), newText: 'BETA' }] }]),
    finding('c', 2, [
      { title: 'snippet', safe: false, edits: [{ range: at(2, 0, 5), newText: 'no' }] },
      { title: 'safe', safe: true, edits: [{ range: at(2, 0, 5), newText: 'GAMMA' }] },
      { title: 'also safe', safe: true, edits: [{ range: at(2, 0, 5), newText: 'gAmMa' }] },
    ]),
  ]);
  assert.equal(r.text, 'alpha\nbeta\nGAMMA\ndelta\n');
  assert.deepEqual(r.applied.map((a) => a.title), ['safe']);
});

test('fixes that overlap or touch are never both applied: the first in file order wins', () => {
  const safe = (title: string, range: Range, newText: string): Fix => ({ title, safe: true, edits: [{ range, newText }] });
  const r = applySafeFixes(TEXT, [
    finding('one', 0, [safe('delete beta', at(1, 0, 0, 2), '')]),
    // Overlaps the deletion of line 1.
    finding('two', 1, [safe('rename beta', at(1, 0, 4), 'BETA')]),
    // Touches it (an insertion where the deletion ends): which comes first would be a guess.
    finding('three', 2, [safe('insert before gamma', at(2, 0), 'new\n')]),
    // Apart from everything: applied.
    finding('four', 3, [safe('rename delta', at(3, 0, 5), 'DELTA')]),
  ]);
  assert.equal(r.text, 'alpha\ngamma\nDELTA\n');
  assert.deepEqual(r.applied.map((a) => a.title), ['delete beta', 'rename delta']);
});

test('a fix whose own edits overlap is skipped; a multi-edit fix is applied whole', () => {
  const r = applySafeFixes(TEXT, [
    finding('bad', 0, [{ title: 'self-overlap', safe: true, edits: [{ range: at(0, 0, 3), newText: 'x' }, { range: at(0, 2, 5), newText: 'y' }] }]),
    finding('move', 3, [{ title: 'move delta up', safe: true, edits: [{ range: at(1, 0), newText: 'delta\n' }, { range: at(3, 0, 0, 4), newText: '' }] }]),
  ]);
  assert.equal(r.text, 'alpha\ndelta\nbeta\ngamma\n');
  assert.deepEqual(r.applied.map((a) => a.title), ['move delta up']);
});

test('CRLF text: inserted lines get CRLF, columns past a line end stop before its CR', () => {
  const crlf = 'alpha\r\nbeta\r\n';
  const r = applySafeFixes(crlf, [
    finding('ins', 1, [{ title: 'insert', safe: true, edits: [{ range: at(1, 0), newText: 'one\ntwo\n' }] }]),
    finding('end', 0, [{ title: 'append', safe: true, edits: [{ range: at(0, 99), newText: ';' }] }]),
  ]);
  assert.equal(r.text, 'alpha;\r\none\r\ntwo\r\nbeta\r\n');
});

test('re-lints after each pass until nothing more applies, and stops after MAX_PASSES', async () => {
  // Each pass's fix uncovers the next finding (as removing SO_SNDBUF = 0 can uncover a Nagle finding).
  let lints = 0;
  const chain = (text: string): LintResult => {
    lints++;
    const n = (text.match(/x/g) ?? []).length;
    return result(n < 3 ? [finding(`step-${n}`, 0, [{ title: `add x ${n + 1}`, safe: true, edits: [{ range: at(0, 0), newText: 'x' }] }])] : []);
  };
  const done = await fixUntilStable('', chain(''), async (t) => chain(t));
  assert.equal(done.text, 'xxx');
  assert.deepEqual(done.applied.map((a) => a.title), ['add x 1', 'add x 2', 'add x 3']);
  assert.equal(done.result.findings.length, 0);
  assert.equal(lints, 4, 'the first lint and one after each pass');

  // A fix that always produces another fixable finding: bounded.
  const forever = (): LintResult => result([finding('loop', 0, [{ title: 'again', safe: true, edits: [{ range: at(0, 0), newText: 'y' }] }])]);
  const bounded = await fixUntilStable('', forever(), async () => forever());
  assert.equal(bounded.applied.length, MAX_PASSES);
  assert.equal(bounded.text, 'y'.repeat(MAX_PASSES));
});
