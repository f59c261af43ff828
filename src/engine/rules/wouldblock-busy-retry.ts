// WOULDBLOCK retried in a tight loop with no wait and no bound.
import type { Rule } from './rule';
import { isDatagram, isWinsock, nonBlocking } from './support/facts';
import { wouldBlockCode } from './support/format';

export const wouldblockBusyRetry: Rule = {
  id: 'wouldblock-busy-retry',
  title: 'WOULDBLOCK retried in a busy loop',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags a loop that retries a non-blocking send/recv after WOULDBLOCK without waiting (select, poll, WSAWaitForMultipleEvents, an event) and without a retry bound.',
    wire: 'While the peer\'s receive window is zero, the persist timer probes it at growing intervals (RTO, then doubling up to 60–120 s) and the connection can stay in that state indefinitely. Every retry in between fails at once with WOULDBLOCK, so the loop spins a CPU core at 100% for as long as the peer is slow, and starves the other connections served by that thread.',
    bad: `u_long on = 1;
ioctlsocket(s, FIONBIO, &on);
int sent = 0;
while (sent < len) {
    int n = send(s, buf + sent, len - sent, 0);
    if (n == SOCKET_ERROR) {
        if (WSAGetLastError() == WSAEWOULDBLOCK) continue;   /* spins */
        return -1;
    }
    sent += n;
}`,
    good: `u_long on = 1;
ioctlsocket(s, FIONBIO, &on);
int sent = 0;
while (sent < len) {
    int n = send(s, buf + sent, len - sent, 0);
    if (n == SOCKET_ERROR) {
        if (WSAGetLastError() != WSAEWOULDBLOCK) return -1;
        fd_set w; FD_ZERO(&w); FD_SET(s, &w);
        struct timeval tv = { 5, 0 };
        if (select(0, NULL, &w, NULL, &tv) <= 0) return -1;   /* bounded wait */
        continue;
    }
    sent += n;
}`,
    fix: 'Wait for writability (readability for recv) with a timeout before retrying, or keep the bytes in an application buffer and return to the event loop; give up after a bound.',
    related: ['None in clang-tidy, cppcheck, CodeQL, Sonar or semgrep.'],
  },
  check({ model, text, profile }) {
    const out: ReturnType<Rule['check']> = [];
    const code = wouldBlockCode(isWinsock(text), profile);
    const seen = new Set<number>();
    for (const op of model.ops) {
      if ((op.kind !== 'send' && op.kind !== 'recv') || op.overlappedArg || op.loops.length === 0) continue;
      // A WOULDBLOCK branch that returns to the caller (or leaves the loop) is not a retry.
      if (!op.errorPath.distinguishesWouldBlock || op.errorPath.wouldBlockLeaves) continue;
      if (!nonBlocking(model, op.socket, op) || isDatagram(model, op.socket)) continue;
      if (op.loops.some((l) => l.waits)) continue;
      const loop = op.loops[op.loops.length - 1];
      if (loop.counterBounded || seen.has(loop.id)) continue;
      // The loop must repeat the same transfer: no exit of its own, or one tied to the progress of it.
      // (A `while (running)` loop that polls once per pass may be a game loop doing other work: quiet.)
      const tiedToTransfer = (op.result.variable !== undefined && new RegExp(`\\b${op.result.variable.replace(/\W/g, '')}\\b`).test(loop.conditionText))
        || /sent|left|remain|len|size|total|done|pending|want/i.test(loop.conditionText);
      const retries = loop.infinite || tiedToTransfer;
      if (!retries) continue;
      seen.add(loop.id);
      out.push({
        message: `${code} is retried at once in this loop, with no select/poll/event wait and no retry bound: ${op.kind === 'send'
          ? 'while the peer\'s receive window stays at zero (the persist timer probes it at intervals backing off to 60–120 s, for as long as the peer keeps not reading)'
          : 'until the peer sends something (seconds, or never)'} every retry fails at once and the loop spins a core at 100%. Wait for the socket to become ${op.kind === 'send' ? 'writable' : 'readable'} with a timeout, or buffer the data and return to the event loop.`,
        range: op.nameRange,
        related: [{ range: loop.range, message: 'the loop that retries without waiting' }],
      });
    }
    return out;
  },
};
