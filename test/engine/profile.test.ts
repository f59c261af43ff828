// Without a configured profile (or with `auto`), numbers follow the OS the code is written for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../src/engine';
import { ready } from './fixture-harness';

const WINSOCK = '#include <winsock2.h>\nint f(SOCKET s) { int z = 0; setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char*)&z, sizeof z); return send(s, "a", 1, 0); }\n';
const BSD = '#include <sys/socket.h>\nint f(int s) { int z = 0; setsockopt(s, SOL_SOCKET, SO_SNDBUF, &z, sizeof z); return send(s, "a", 1, 0); }\n';

test('auto picks Windows 10/11 for Winsock code and Linux for BSD-socket code; a named profile wins', async () => {
  await ready;
  assert.equal(lint(BSD, 'c', { profile: 'macos' }).findings.find((f) => f.ruleId === 'sndbuf-zero-without-overlapped')?.scenario?.profile, 'macos');
  const win = lint(WINSOCK, 'c').findings.find((f) => f.ruleId === 'sndbuf-zero-without-overlapped');
  const bsd = lint(BSD, 'c').findings.find((f) => f.ruleId === 'sndbuf-zero-without-overlapped');
  assert.ok(win && bsd);
  assert.equal(win.scenario?.profile, 'windows-modern');
  assert.equal(bsd.scenario?.profile, 'linux');
  assert.notEqual(win.message, bsd.message);
  assert.equal(lint(BSD, 'c', { profile: 'windows-legacy' }).findings.find((f) => f.ruleId === 'sndbuf-zero-without-overlapped')?.scenario?.profile, 'windows-legacy');
});
