// A non-blocking socket's send/recv error path treats WOULDBLOCK as a failure.
import type { Rule } from './rule';
import { fitsNewConnectionBuffer, notTcp, probablyDatagram } from './support/facts';
import { fixList, wouldBlockReturnsFix } from './support/fixes';
import { wouldBlockCode } from './support/format';
import { relatedFrom } from './support/related';

export const unhandledWouldblock: Rule = {
  id: 'unhandled-wouldblock',
  title: 'WOULDBLOCK treated as an error on a non-blocking socket',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags send/recv on a non-blocking socket whose error path does not tell WSAEWOULDBLOCK / EWOULDBLOCK / EAGAIN apart from a real error, and closes the connection or gives up.',
    when: 'Fires on send/recv (or WSASend/WSARecv without an OVERLAPPED) on a socket that is non-blocking at that call: made so earlier on a path through this function or its callers (ioctlsocket/ioctl FIONBIO, fcntl O_NONBLOCK (also through a flags variable: `flags |= O_NONBLOCK`), WSAEventSelect, WSAAsyncSelect, SOCK_NONBLOCK in socket() or accept4(), in any function or file; where a parameter chooses the mode, as each call\'s argument decides), or accepted from a non-blocking listening socket where the OS makes accepted sockets inherit it (Windows, BSD, macOS; not Linux). A local variable whose mode this function changes only after the call (a refusal sent before the kept clients are made non-blocking) is blocking there. The failure branch (found by following the result through variables) must close the connection, or leave (break, goto, exit) without checking the error code, directly or through a function that classifies errors or a macro. A check that only tells 0 apart (`n == 0`, `!n`: the peer closed) is not a failure branch. Quiet when the failure branch is a bare `return;` from a void function outside any loop (an event handler that waits for the next event) for a recv, or for a send whose bytes stay queued in a field or global the count advances; when the failure branch only returns the error to callers that all check for WOULDBLOCK, or to no caller in the analysed code; when the call runs right after select/poll reported the socket ready, or in a function that every caller (up to two levels) calls only after such a check (a select loop\'s RecvProc); for the first send of known size up to 8 KB on a connection the same function just accepted or connected, or that every caller hands over just accepted or connected with nothing sent on it yet (its empty send buffer takes it whole); for UDP and Unix-domain sockets and descriptors from open(), pipe() and eventfd() (read()/write() on a location that may hold one); and in functions with syntax errors.',
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
    fix: 'Check the error code: on WSAEWOULDBLOCK (EWOULDBLOCK/EAGAIN on POSIX) keep the unsent bytes in an application buffer and wait for writability (select/poll/FD_WRITE); close only on other errors, or when that buffer overflows. The quick fix, offered for review (--fix leaves it), adds that test at the top of the failure branch and returns what the function returns when all went well (in a loop that waits for readiness or walks the sockets, it goes on to the next pass); keeping the unsent bytes stays yours to write.',
    related: ['None of clang-tidy, cppcheck, CodeQL, Sonar or semgrep distinguishes WOULDBLOCK.'],
    node: "Cannot happen in Node.js: libuv retries EAGAIN itself. `socket.write()` queues what the kernel does not take and reports backpressure by returning false (see partial-send-ignored), and reads arrive as `'data'` events; no would-block error reaches the code.",
    csharp: "With `Blocking = false`, `Socket.Send`/`Receive` throw a `SocketException` whose `SocketErrorCode` is `SocketError.WouldBlock` (WSAEWOULDBLOCK, 10035) when they would block. Fires when the first `catch` that catches it (`SocketException`, `IOException`, `Exception`, or a bare `catch`) closes the connection or leaves without testing `SocketErrorCode` (or `ErrorCode`/`NativeErrorCode` against 10035) in the body or a `when` filter. Quiet for blocking sockets, for the async methods (`ReceiveAsync`, `SendAsync`, `NetworkStream.ReadAsync`), which wait for readiness themselves, for calls with no enclosing `try` (the exception goes to the caller), and for the overloads with an `out SocketError` argument (they do not throw).",
    go: "Never fires in Go: sockets are non-blocking underneath, but the runtime's poller (src/internal/poll, the netpoller) parks the goroutine on EAGAIN and retries, so `Read` and `Write` never return a would-block error to the code. A deadline (`SetReadDeadline`) ends a call with `os.ErrDeadlineExceeded`, which is a timeout, not a would-block.",
    java: 'Does not apply to Java: a blocking `Socket` never reports would-block, and a non-blocking `SocketChannel` reports it as a count of 0 from `read()`/`write()`, never as an exception, so an `IOException` handler that closes the connection is right there. The count of 0 on a write is partial-send-ignored\'s case (ignored) and wouldblock-busy-retry\'s (retried in a loop with no Selector wait); on a read, `read()` returns -1 at the end of the stream and 0 for no data yet.',
    python: "A non-blocking Python socket (`setblocking(False)`, `settimeout(0)`) raises `BlockingIOError` (errno EAGAIN) when it would block. It is a subclass of `OSError`, so `except OSError:` (or `socket.error`, `Exception`, a bare `except:`) that closes the connection or returns also drops a client that only had no data yet. Fires when the first handler that catches it does not name `BlockingIOError` and does not test `e.errno` against `errno.EAGAIN`/`EWOULDBLOCK`, and it closes or leaves. Quiet for `except BlockingIOError:` before the general handler, for blocking sockets and those with a positive timeout (they raise `TimeoutError` instead), and for asyncio's `loop.sock_recv()`/`sock_sendall()`, which wait for readiness themselves. A `b''` from `recv()` is the end of the stream, not an error path.",
  },
  check({ model, profile, text }) {
    const out: ReturnType<Rule['check']> = [];
    // Java never reports would-block as an error: a non-blocking SocketChannel returns a count of 0
    // (partial-send-ignored covers an ignored write count).
    if (model.language === 'java') return out;
    const python = model.language === 'python';
    const csharp = model.language === 'csharp';
    const code = python ? '`BlockingIOError` (EAGAIN)' : csharp ? '`SocketError.WouldBlock`' : wouldBlockCode(model.api === 'winsock', profile);
    for (const op of model.ops) {
      if ((op.kind !== 'send' && op.kind !== 'recv') || op.overlappedArg || op.afterReadiness || op.inBrokenCode) continue;
      const nb = op.state.nonBlocking;
      if (!nb || notTcp(op) || probablyDatagram(model, op)) continue;
      const e = op.errorPath;
      if (!e.exists || e.distinguishesWouldBlock) continue;
      // A wrapper that returns the count, and -1 on failure, hands the error (errno intact) back:
      // quiet unless a caller in the program mishandles it. Any other return gives up.
      const handsBack = e.returnsFailure && (op.result.returned || e.returnsErrorCode);
      const givesUp = e.closes || (handsBack ? e.handledByCaller === false : e.leaves);
      if (!givesUp) continue;
      // An event handler that just returns (`return;`, outside any loop) waits for the next event: for
      // a recv that is the right thing, and for a send whose bytes stay queued in a field (`out_start += n`).
      if (e.returnsNothing && op.loops.length === 0 && (op.kind === 'recv' || op.result.advancesStored)) continue;
      // The first few KB on a connection just opened go into its empty send buffer: no EWOULDBLOCK there.
      if (op.kind === 'send' && fitsNewConnectionBuffer(model, op, op.length?.max)) continue;
      const meaning = op.kind === 'send' ? 'a full send buffer' : 'no data yet';
      const consequence = e.closes ? 'closes the connection' : 'gives up';
      out.push({
        message: `${op.callee}() ${consequence} on ${code}, which on a non-blocking socket only means ${meaning}.`,
        detail: csharp
          ? `With Blocking = false, ${op.callee}() throws a SocketException whose SocketErrorCode is SocketError.WouldBlock whenever ${op.kind === 'send' ? 'the send buffer is full (the peer reads slower than you write)' : 'no data has arrived yet'}. That means "wait and retry", but this catch ${consequence} without telling it apart. Test \`e.SocketErrorCode == SocketError.WouldBlock\` (or add a \`when\` filter) and wait for the socket with Socket.Poll/Socket.Select, or use the async methods (ReceiveAsync/SendAsync), which wait for readiness themselves; close only on other errors${op.kind === 'recv' ? ' or when Receive() returns 0' : ''}.`
          : python
          ? `On a non-blocking socket ${op.callee}() raises BlockingIOError whenever ${op.kind === 'send' ? 'the send buffer is full (the peer reads slower than you write)' : 'no data has arrived yet'}. That means "wait and retry", but this except clause ${consequence} without telling it apart (BlockingIOError is a subclass of OSError). Add \`except BlockingIOError:\` before it and wait for the socket with selectors or select.select(); close only on other errors${op.kind === 'recv' ? " or when recv() returns b''" : ''}.`
          : op.kind === 'send'
          ? `A non-blocking send fails with ${code} whenever the send buffer is full: the peer reads slower than you write, or advertises a zero window (the connection stays up; the persist timer keeps probing). That means "wait and retry", not "the connection failed", but this error path ${consequence} without checking for it. Keep the unsent bytes in an application buffer and send them when the socket is writable (select/poll/FD_WRITE); close only on other errors.`
          : `A non-blocking recv fails with ${code} whenever no data has arrived yet. That means "wait and retry", but this error path ${consequence} without checking for it. Wait for readability (select/poll/FD_READ) and read again; close only on other errors or when recv returns 0.`,
        range: op.nameRange,
        related: [
          relatedFrom(nb, `the socket is made non-blocking here (${nb.via})`),
          ...(e.closeRange ? [{ range: e.closeRange, message: `the connection is closed here, also on ${code}` }] : []),
        ],
        fixes: fixList(wouldBlockReturnsFix(model, text, op)),
      });
    }
    return out;
  },
};
