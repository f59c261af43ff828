// Code being typed is often unbalanced or half-written. Findings stay in the parts that parsed, and
// none claims what the code visibly contradicts (a result "never compared" on the line that compares it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../src/engine';
import { ready } from './fixture-harness';

const OTHER = `
int other(int s)
{
    char big[4096] = {0};
    send(s, big, sizeof big, 0);
    return 0;
}
`;

function findings(text: string): string[] {
  return lint(text, 'c').findings.map((f) => `${f.ruleId}:${f.range.start.line + 1}`);
}

test('a stray } inside a function: the check after it is not reported as missing', async () => {
  await ready;
  const text = `#include <sys/socket.h>
int relay(int s, const char *buf, size_t len)
{
    ssize_t n = send(s, buf, len, 0);
    }
    if (n != (ssize_t)len)
        return -1;
    return 0;
}
${OTHER}`;
  // The send on line 4 is compared on line 6; the intact function below is still analysed.
  assert.deepEqual(findings(text), ['partial-send-ignored:14']);
});

test('an extra } after a function: no false claim, and the next function is still analysed', async () => {
  await ready;
  const text = `#include <sys/socket.h>
int relay(int s, const char *buf, size_t len)
{
    ssize_t n = send(s, buf, len, 0);
    if (n != (ssize_t)len)
        return -1;
    return 0;
}
}
${OTHER}`;
  assert.deepEqual(findings(text), ['partial-send-ignored:14']);
});

test('a half-typed call is not judged; the rest of the file is', async () => {
  await ready;
  const text = `#include <sys/socket.h>
int typing(int s, const char *buf, size_t len)
{
    ssize_t n = send(s, buf,
    if (n < 0)
        return -1;
    return 0;
}
${OTHER}`;
  assert.deepEqual(findings(text), ['partial-send-ignored:13']);
});

test('a half-typed recv loop on a non-blocking socket is not judged', async () => {
  await ready;
  const text = `#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
int drain(int s)
{
    char buf[512];
    fcntl(s, F_SETFL, O_NONBLOCK);
    for (;;) {
        ssize_t n = recv(s, buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN ||
        close(s);
        return -1;
    }
}
`;
  assert.deepEqual(findings(text), []);
});
