// Suppression comments and per-rule severities, as the CLI and the editor both apply them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../src/engine';
import { ready } from './fixture-harness';

const code = (line: string) => `int f(void) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
${line}
    return 0;
}
`;

test('disable-line, disable-next-line (with a reason) and block comments suppress; others do not', async () => {
  await ready;
  const plain = lint(code('    send(s, msg, strlen(msg), 0);'), 'c');
  assert.deepEqual(plain.findings.map((f) => f.ruleId), ['partial-send-ignored']);

  const sameLine = lint(code('    send(s, msg, strlen(msg), 0); // socklint-disable-line partial-send-ignored'), 'c');
  assert.equal(sameLine.findings.length, 0);
  assert.equal(sameLine.suppressed[0].suppression?.kind, 'line');

  const nextLine = lint(code('    // socklint-disable-next-line partial-send-ignored -- the caller checks the connection afterwards\n    send(s, msg, strlen(msg), 0);'), 'c');
  assert.equal(nextLine.findings.length, 0);
  assert.equal(nextLine.suppressed[0].suppression?.justification, 'the caller checks the connection afterwards');

  const block = lint(code('    /* socklint-disable partial-send-ignored */\n    send(s, msg, strlen(msg), 0);\n    /* socklint-enable partial-send-ignored */\n    send(s, msg, strlen(msg), 0);'), 'c');
  assert.equal(block.findings.length, 1, 'only the send after the enable is reported');
  assert.equal(block.findings[0].range.start.line, 5);

  const otherRule = lint(code('    send(s, msg, strlen(msg), 0); // socklint-disable-line write-write-read'), 'c');
  assert.deepEqual(otherRule.findings.map((f) => f.ruleId).sort(), ['partial-send-ignored', 'unused-suppression']);

  // (After a first send: the first one on a new connection fits its empty send buffer and is not reported.)
  const inString = lint(code('    send(s, "!", 1, 0); send(s, "socklint-disable-line: not a comment, only a string long enough to be sent in parts", 85, 0);'), 'c');
  assert.deepEqual(inString.findings.map((f) => f.ruleId), ['partial-send-ignored'], 'a directive inside a string is not a comment');
});

test('unused and unknown suppressions are reported', async () => {
  await ready;
  const r = lint(code('    // socklint-disable-next-line no-such-rule\n    int x = 1;'), 'c');
  assert.deepEqual(r.findings.map((f) => f.ruleId), ['unused-suppression']);
  assert.match(r.findings[0].message, /Unknown rule id "no-such-rule"/);
  const off = lint(code('    // socklint-disable-next-line partial-send-ignored\n    int x = 1;'), 'c', { reportUnusedSuppressions: false });
  assert.equal(off.findings.length, 0);
});

test('rule severities: exact ids, globs, later keys win, off removes', async () => {
  await ready;
  const text = code('    send(s, msg, strlen(msg), 0);');
  assert.equal(lint(text, 'c', { rules: { 'partial-send-ignored': 'error' } }).findings[0].severity, 'error');
  assert.equal(lint(text, 'c', { rules: { '*': 'hint' } }).findings[0].severity, 'hint');
  assert.equal(lint(text, 'c', { rules: { '*': 'off', 'partial-*': 'info' } }).findings[0].severity, 'info');
  assert.equal(lint(text, 'c', { rules: { 'partial-send-ignored': 'off' } }).findings.length, 0);
});
