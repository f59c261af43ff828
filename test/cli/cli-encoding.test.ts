// Legacy encodings (CP949, GBK, Shift-JIS, Latin-1), BOMs and CRLF: files are decoded, never
// skipped, and reported columns count characters of the decoded text, as editors do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as iconv from 'iconv-lite';
import stringWidth from 'string-width';
import { runCli, runJson, tempTree, type JsonFinding } from './helpers';

/** A partial send (non-blocking socket) with a comment in the given language before it on the same line. */
const source = (comment: string) => `#include <winsock2.h>

void push(const char *buf, int n) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0); u_long on = 1; ioctlsocket(s, FIONBIO, &on);
    /* ${comment} */ send(s, buf, n, 0);
}
`;
const SEND_LINE = 5;
const sendColumn = (text: string) => text.split('\n')[SEND_LINE - 1].indexOf('send(') + 1;
const partialSend = (findings: JsonFinding[]) => {
  const found = findings.filter((f) => f.ruleId === 'partial-send-ignored');
  assert.equal(found.length, 1, JSON.stringify(findings));
  return found[0];
};

const COMMENTS = {
  cp949: '소켓 송신 결과를 무시함',
  gbk: '忽略发送的返回值',
  shift_jis: '送信の戻り値を無視する',
  latin1: 'Größe überprüfen',
};

for (const [encoding, comment] of Object.entries(COMMENTS)) {
  test(`${encoding}: detected, decoded, and columns count decoded characters`, () => {
    const text = source(comment);
    const dir = tempTree({ 'legacy.c': iconv.encode(text, encoding), 'utf8.c': text });
    const r = runJson(dir, []);
    assert.equal(r.code, 0, r.stderr);
    const legacy = partialSend(r.findings.filter((f) => f.file === 'legacy.c'));
    const utf8 = partialSend(r.findings.filter((f) => f.file === 'utf8.c'));
    assert.equal(legacy.line, SEND_LINE);
    assert.equal(legacy.column, sendColumn(text));
    assert.deepEqual({ ...legacy, file: '' }, { ...utf8, file: '' });
    // The byte offset differs from the character offset, so this really checks the decoding.
    assert.notEqual(Buffer.from(text.split('\n')[SEND_LINE - 1].slice(0, legacy.column - 1), 'utf8').length, legacy.column - 1);
  });
}

test('CP949: the text report shows the Korean line and puts the caret under send', () => {
  const text = source(COMMENTS.cp949);
  const dir = tempTree({ 'kr.c': iconv.encode(text, 'cp949') });
  const r = runCli(dir, ['--verbose']);
  assert.match(r.stderr, /^kr\.c: decoded as cp949 \(euc-kr\)|^kr\.c: decoded as cp949/m);
  const lines = r.stdout.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`kr.c:${SEND_LINE}:${sendColumn(text)}  warning  partial-send-ignored`));
  assert.ok(i >= 0, r.stdout);
  const shown = lines[i + 1];
  assert.ok(shown.includes(COMMENTS.cp949), shown);
  // Hangul takes two terminal columns: the caret must line up with `send` on screen.
  const caretAt = lines[i + 2].indexOf('^');
  assert.equal(stringWidth(shown.slice(0, shown.indexOf('send('))), caretAt);
});

test('a low-confidence guess is reported on stderr even without --verbose', () => {
  const dir = tempTree({ 'l.c': iconv.encode(source(COMMENTS.latin1), 'latin1') });
  const r = runJson(dir, []);
  assert.match(r.stderr, /^l\.c: not UTF-8; guessed .* with low confidence \(\d+%\): set --encoding/m);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('--encoding and the config "encoding" name the encoding; a wrong one is reported, not fatal', () => {
  const text = source(COMMENTS.gbk);
  const dir = tempTree({ 'cn.c': iconv.encode(text, 'gbk') });
  const named = runJson(dir, ['--encoding', 'gbk']);
  assert.equal(partialSend(named.findings).column, sendColumn(text));
  assert.equal(named.stderr, '');
  const cfgDir = tempTree({ '.socklintrc.json': '{"encoding": "gbk"}', 'cn.c': iconv.encode(text, 'gbk') });
  assert.equal(partialSend(runJson(cfgDir, []).findings).column, sendColumn(text));
  const wrong = runJson(dir, ['--encoding', 'utf8']);
  assert.match(wrong.stderr, /^cn\.c: \d+ byte sequence\(s\) are not valid utf8; they read as U\+FFFD$/m);
  assert.equal(partialSend(wrong.findings).line, SEND_LINE);
});

test('a UTF-8 BOM does not shift columns; CRLF does not shift lines', () => {
  const text = source('plain');
  const dir = tempTree({
    'lf.c': text,
    'bom.c': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    'crlf.c': text.replace(/\n/g, '\r\n'),
    'bomcrlf.c': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\n/g, '\r\n'))]),
    'utf16.c': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le')]),
  });
  const r = runJson(dir, []);
  assert.equal(r.stderr, '');
  const where = (file: string) => {
    const f = partialSend(r.findings.filter((x) => x.file === file));
    return [f.line, f.column, f.endLine, f.endColumn];
  };
  const expected = where('lf.c');
  assert.deepEqual(expected.slice(0, 2), [SEND_LINE, sendColumn(text)]);
  for (const file of ['bom.c', 'crlf.c', 'bomcrlf.c', 'utf16.c']) assert.deepEqual(where(file), expected, file);
  // The text report quotes CRLF lines without a stray \r.
  const t = runCli(dir, ['crlf.c']);
  assert.ok(!t.stdout.includes('\r'));
});
