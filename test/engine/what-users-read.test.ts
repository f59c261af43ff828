// What a user reads for a finding: its severity and its one-line message, where the same rule means
// different things (a practical short send is a warning, a rare one information) and where the
// error's name depends on the socket API the code uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../src/engine';
import { lintProject } from '../../src/engine/project';
import { ready } from './fixture-harness';

const nonBlockingSend = (payload: string, len: string) => `#include <sys/socket.h>
#include <fcntl.h>
void push(int s, const char *big)
{
    fcntl(s, F_SETFL, fcntl(s, F_GETFL, 0) | O_NONBLOCK);
    send(s, ${payload}, ${len}, 0);
}
`;

test('partial-send-ignored: a large send on a non-blocking socket is a warning; a few bytes, information', async () => {
  await ready;
  const big = lint(nonBlockingSend('big', '4096'), 'c').findings.filter((f) => f.ruleId === 'partial-send-ignored');
  assert.equal(big.length, 1);
  assert.equal(big[0].severity, 'warning');
  assert.equal(big[0].message, 'send() result ignored: a short send loses the rest of the 4,096 bytes.');
  const tiny = lint(nonBlockingSend('"OK\\r\\n"', '4'), 'c').findings.filter((f) => f.ruleId === 'partial-send-ignored');
  assert.equal(tiny.length, 1);
  assert.equal(tiny[0].severity, 'info');
  assert.equal(tiny[0].message, 'send() result ignored: a short send loses the rest of the 4 bytes (rare for so few bytes).');
  assert.match(tiny[0].detail ?? '', /less than 4 bytes of room/);
});

test('partial-send-ignored in Python: a 3-byte status on a non-blocking socket is information, and says why', async () => {
  await ready;
  const text = `import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(('', 9000))
srv.listen()
conn, _ = srv.accept()
conn.setblocking(False)
while True:
    try:
        data = conn.recv(4096)
    except BlockingIOError:
        continue
    if not data:
        break
    conn.send(data)
    conn.send(b'200')
`;
  const found = lint(text, 'python').findings.filter((f) => f.ruleId === 'partial-send-ignored');
  assert.deepEqual(found.map((f) => [f.range.start.line + 1, f.severity]), [[15, 'warning'], [16, 'info']]);
  assert.doesNotMatch(found[0].message, /rare/);
  assert.match(found[1].message, /\(rare for so few bytes\)$/);
});

test('Winsock code whose winsock2.h comes through a project header names WSAEWOULDBLOCK, not EAGAIN', async () => {
  await ready;
  const header = '#pragma once\n#include <winsock2.h>\nvoid make_async(SOCKET s, HANDLE ev);\n';
  const async = '#include "net.h"\nvoid make_async(SOCKET s, HANDLE ev) { WSAEventSelect(s, ev, FD_READ | FD_CLOSE); }\n';
  // pump.cpp names no Winsock header and no Winsock-only call: only net.h makes it Winsock code.
  const pump = `#include "net.h"
int pump(SOCKET s, HANDLE ev, char *buf, int cap)
{
    make_async(s, ev);
    int n = recv(s, buf, cap, 0);
    if (n < 0) { shutdown(s, 2); return -1; }
    return n;
}
`;
  const results = lintProject([
    { path: 'net.h', text: header, languageId: 'cpp' },
    { path: 'async.cpp', text: async, languageId: 'cpp' },
    { path: 'pump.cpp', text: pump, languageId: 'cpp' },
  ], { timeBudgetMs: 30_000 });
  const found = results.get('pump.cpp')!.findings.filter((f) => f.ruleId === 'unhandled-wouldblock');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /WSAEWOULDBLOCK \(10035\)/);
  assert.doesNotMatch(found[0].message, /EAGAIN/);
});
