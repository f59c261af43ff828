// WOULDBLOCK retried in a tight loop with no wait and no bound.
import type { SocketModel } from '../model';
import type { Rule } from './rule';
import { notTcp, probablyDatagram } from './support/facts';
import { fixList, waitBeforeRetryFix } from './support/fixes';
import { wouldBlockCode } from './support/format';
import { relatedFrom } from './support/related';

export const wouldblockBusyRetry: Rule = {
  id: 'wouldblock-busy-retry',
  title: 'WOULDBLOCK retried in a busy loop',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags a loop that retries a non-blocking send/recv after WOULDBLOCK without waiting (select, poll, WSAWaitForMultipleEvents, an event, a sleep) and without a retry bound.',
    when: 'Fires on send/recv in a loop, on a socket that is non-blocking there (however and wherever that was set, as for unhandled-wouldblock), whose failure branch tells WOULDBLOCK apart and then goes round the loop again (continue, or falling through to the loop\'s end) instead of leaving it. The loop must repeat the same transfer: it has no exit condition of its own, or its condition reads the call\'s result or a count the result advances. Quiet when the loop (or a function it calls) waits for readiness or sleeps, when a counter bounds the retries, when the WOULDBLOCK branch returns, breaks or exits, for UDP and Unix-domain sockets, and for overlapped calls.',
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
    fix: 'Wait for writability (readability for recv) with a timeout before retrying, or keep the bytes in an application buffer and return to the event loop; give up after a bound. The quick fix, offered for review, adds a wait_writable() (or wait_readable()) helper, poll() or on Winsock select(), and waits up to 5 s before each try, returning the function\'s failure value when the socket stays busy.',
    related: ['None in clang-tidy, cppcheck, CodeQL, Sonar or semgrep.'],
    node: "Cannot happen in Node.js: no would-block error reaches the code (libuv waits for readiness in the event loop), so there is nothing to spin on.",
    csharp: "In C# the retry is `catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock) { continue; }` in a loop with no `Socket.Poll`/`Socket.Select` wait; wait with `Poll(timeout, SelectMode.SelectWrite)` (or `SelectRead`), or use `SendAsync`/`ReceiveAsync`.",
    go: "Never fires in Go: the runtime's poller waits for readiness itself (src/internal/poll), so there is no EAGAIN for the code to spin on.",
    java: 'Java has no would-block error: a non-blocking `SocketChannel.write()` returns 0 when the send buffer is full. The spin is a loop that repeats the write until the `ByteBuffer` is drained (`while (buf.hasRemaining()) ch.write(buf);`) or the counts add up to the length, with no `Selector.select()` in the loop; it fires there. Quiet for channels in blocking mode (the default: `write()` waits for room itself) and when the loop waits on a Selector. No quick fix: register the channel for `OP_WRITE` and write the rest when the Selector reports it writable.',
    python: "In Python the retry is `except BlockingIOError: continue` in a loop with no `select`/`selectors` wait; wait for readiness with a selector instead.",
  },
  check({ model, profile, text }) {
    const out: ReturnType<Rule['check']> = [];
    // Java has no would-block error: a non-blocking channel's write returns 0 instead (see the docs' "In Java").
    if (model.language === 'java') return javaZeroWriteSpins(model);
    const code = model.language === 'csharp' ? '`SocketError.WouldBlock` (10035)' : wouldBlockCode(model.api === 'winsock', profile);
    const seen = new Set<number>();
    for (const op of model.ops) {
      if ((op.kind !== 'send' && op.kind !== 'recv') || op.overlappedArg || op.loops.length === 0) continue;
      // A WOULDBLOCK branch that returns to the caller (or leaves the loop) is not a retry.
      if (!op.errorPath.distinguishesWouldBlock || op.errorPath.wouldBlockLeaves !== false) continue;
      const nb = op.state.nonBlocking;
      if (!nb || notTcp(op) || probablyDatagram(model, op)) continue;
      if (op.loops.some((l) => l.waits)) continue;
      const loop = op.loops[op.loops.length - 1];
      if (loop.counterBounded || seen.has(loop.id)) continue;
      // The loop must repeat the same transfer: no exit of its own, or one tied to its progress.
      const tied = loop.conditionVars.some((v) => v === op.result.variable || op.result.advances.includes(v));
      if (!loop.infinite && !tied && !op.retryLoop) continue;
      seen.add(loop.id);
      out.push({
        message: `${code} is retried at once in this loop, with no wait or bound: it spins a core while the peer is slow.`,
        detail: op.kind === 'send'
          ? `While the peer's receive window stays at zero, the persist timer probes it at intervals backing off to 60–120 s, for as long as the peer keeps not reading; every retry in between fails at once with ${code}, so this loop runs a core at 100% and starves the other connections on this thread. Wait for the socket to become writable with a timeout (select/poll/WSAWaitForMultipleEvents), or keep the bytes in an application buffer and return to the event loop.`
          : `Until the peer sends something (seconds, or never) every retry fails at once with ${code}, so this loop runs a core at 100%. Wait for the socket to become readable with a timeout (select/poll/WSAWaitForMultipleEvents), or return to the event loop.`,
        range: op.nameRange,
        related: [{ range: loop.range, message: 'the loop that retries without waiting' }, relatedFrom(nb, `the socket is made non-blocking here (${nb.via})`)],
        fixes: fixList(waitBeforeRetryFix(model, text, op)),
      });
    }
    return out;
  },
};

/**
 * Java's form of the spin: a non-blocking SocketChannel.write() repeated in a loop that runs until
 * the ByteBuffer is drained (`while (buf.hasRemaining()) ch.write(buf);`) or its count adds up,
 * with no Selector.select() in the loop. While the peer's window is closed each pass writes 0 bytes.
 */
function javaZeroWriteSpins(model: SocketModel): ReturnType<Rule['check']> {
  const out: ReturnType<Rule['check']> = [];
  const seen = new Set<number>();
  for (const op of model.ops) {
    // Stream writes (which never return short) are marked as moving every byte: only channel writes are left.
    if (op.kind !== 'send' || op.loops.length === 0 || op.inBrokenCode || (op.accumulates && !op.result.lengthChecked)) continue;
    const nb = op.state.nonBlocking;
    if (!nb || notTcp(op) || op.loops.some((l) => l.waits)) continue;
    const loop = op.loops[op.loops.length - 1];
    if (loop.counterBounded || seen.has(loop.id)) continue;
    // The loop comes round until this write has drained the buffer: `hasRemaining()` checked, or its count added up.
    const drains = op.result.explicitlyVoided && !!op.buffer && (loop.conditionVars.includes(op.buffer.text) || loop.infinite);
    const counts = loop.conditionVars.some((v) => v === op.result.variable || op.result.advances.includes(v));
    if (!drains && !counts) continue;
    seen.add(loop.id);
    out.push({
      message: `\`${op.callee}()\` on a non-blocking SocketChannel is retried at once while it writes 0 bytes: the loop spins a core while the peer is slow.`,
      detail: 'A non-blocking SocketChannel.write() writes only what fits in the send buffer; while the peer\'s receive window stays closed (the persist timer probes it at intervals backing off to 60–120 s) every pass writes 0 bytes and comes straight back, so this loop runs a core at 100% and starves the other channels on this thread. Register the channel for OP_WRITE and write the rest when Selector.select() reports it writable, or keep the buffer and return to the event loop.',
      range: op.nameRange,
      related: [{ range: loop.range, message: 'the loop that retries without waiting' }, relatedFrom(nb, 'the channel is made non-blocking here (configureBlocking(false))')],
      fixes: [],
    });
  }
  return out;
}
