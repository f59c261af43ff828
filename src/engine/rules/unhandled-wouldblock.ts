// A non-blocking socket's send/recv error path treats WOULDBLOCK as a failure.
import type { Rule } from './rule';
import { isDatagram, isWinsock, nonBlocking } from './support/facts';
import { wouldBlockCode } from './support/format';

export const unhandledWouldblock: Rule = {
  id: 'unhandled-wouldblock',
  title: 'WOULDBLOCK treated as an error on a non-blocking socket',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags send/recv on a non-blocking socket whose error path does not tell WSAEWOULDBLOCK / EWOULDBLOCK / EAGAIN apart from a real error, and closes the connection or gives up.',
    wire: 'A non-blocking send fails with WOULDBLOCK when the socket\'s send buffer is full, which happens whenever the peer reads slower than you write or advertises a zero window (the peer\'s TCP keeps answering the persist probes, so the connection stays up, for days if need be). A non-blocking recv fails with WOULDBLOCK whenever no data has arrived yet. Both mean "try again when the socket is ready", not "the connection failed". Code that closes the socket on any error drops healthy clients the first time they fall behind.',
    bad: `u_long on = 1;
ioctlsocket(s, FIONBIO, &on);
/* ... */
if (send(s, buf, len, 0) == SOCKET_ERROR) {
    closesocket(s);          /* also on WSAEWOULDBLOCK */
    return;
}`,
    good: `u_long on = 1;
ioctlsocket(s, FIONBIO, &on);
/* ... */
int n = send(s, buf, len, 0);
if (n == SOCKET_ERROR) {
    if (WSAGetLastError() == WSAEWOULDBLOCK) {
        queue_for_later(s, buf, len);   /* wait for FD_WRITE / select() */
        return;
    }
    closesocket(s);
    return;
}
if (n < len) queue_for_later(s, buf + n, len - n);   /* keep a short write's tail too */`,
    fix: 'Check the error code: on WSAEWOULDBLOCK (EWOULDBLOCK/EAGAIN on POSIX) keep the unsent bytes in an application buffer and wait for writability (select/poll/FD_WRITE); close only on other errors, or when that buffer overflows.',
    related: ['None of clang-tidy, cppcheck, CodeQL, Sonar or semgrep distinguishes WOULDBLOCK.'],
  },
  check({ model, text, profile }) {
    const out: ReturnType<Rule['check']> = [];
    const code = wouldBlockCode(isWinsock(text), profile);
    for (const op of model.ops) {
      // Right after select/poll reported the socket ready, a failure is not the WOULDBLOCK case.
      if ((op.kind !== 'send' && op.kind !== 'recv') || op.overlappedArg || op.afterReadiness) continue;
      const nb = nonBlocking(model, op.socket, op);
      if (!nb || isDatagram(model, op.socket)) continue;
      const e = op.errorPath;
      if (!e.exists || e.distinguishesWouldBlock || e.handledByCaller || !(e.closes || e.leaves)) continue;
      const meaning = op.kind === 'send'
        ? 'the send buffer is full (the peer reads slower than you write, or advertises a zero window)'
        : 'no data has arrived yet';
      const consequence = e.closes ? 'closes the connection' : 'gives up on the transfer';
      out.push({
        message: `${op.callee}() on a non-blocking socket fails with ${code} whenever ${meaning}; that means "wait and retry", but this error path ${consequence} without checking for it.`,
        range: op.nameRange,
        related: [
          { range: nb.range, message: `the socket is made non-blocking here (${nb.via})` },
          ...(e.closeRange ? [{ range: e.closeRange, message: `the connection is closed here, also on ${code}` }] : []),
        ],
      });
    }
    return out;
  },
};
