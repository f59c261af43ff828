// send()'s return value ignored or never compared with the requested length.
import type { SocketModel, SocketOp } from '../model';
import type { Rule } from './rule';
import { fitsNewConnectionBuffer, notTcp, probablyDatagram, receives, sameSocket, sendSize } from './support/facts';
import { sendAllFix } from './support/fixes';
import { count } from './support/format';
import { relatedFrom } from './support/related';
import { isNodeRuntime } from './support/runtime-names';

/** Constant-size blocking sends up to this size are not reported (see the docs). */
const TINY_BLOCKING_SEND = 64;

export const partialSendIgnored: Rule = {
  id: 'partial-send-ignored',
  title: 'Partial send not handled',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags send() (or write() on a socket, or a thin wrapper of the program that returns send()\'s count) on a TCP socket whose return value is ignored or only checked for an error, never compared with the requested length or used to advance through the buffer.',
    when: 'Fires as a warning where a short write is a practical outcome: the socket is non-blocking at the call (set anywhere, as for unhandled-wouldblock), has a send timeout (SO_SNDTIMEO), or the length exceeds the send buffer it was given (SO_SNDBUF). On a plain blocking socket it fires at information severity: there only a signal (POSIX) can cut a send short; so it does for a send of 64 bytes or less of known size on a non-blocking socket (it stops short only when the send buffer has less room than that; a full buffer fails the whole send instead). The result is followed through variables, fields and globals (a count stored and compared elsewhere is handled), functions of the program (a helper that compares or advances with it), test assertions and returns. Quiet when the count is compared with any length, added to or subtracted from an offset, returned to the caller (or written to a reference or pointer parameter), handed to a function we cannot see into, or discarded with (void); when the buffer argument already advances (`buf + sent`); for 1-byte sends; for constant sends of 64 bytes or less on a socket not known to be non-blocking (sizes from literals, sizeof (structs laid out naturally, a flexible array member adds nothing, an empty C++ struct is 1 byte, the sockaddr structs and their fields as the system headers define them), strlen of literals, strings built from literals (also a const string member of a class), what sprintf returns for a format of bounded width, and length fields assigned just before (copying the struct out with memcpy keeps them); strlen of a char array is at most its capacity less one, and a recv count at most the length asked), even with a send timeout; for the first send of known size (or from an array) up to 8 KB on a connection the same function just accepted or connected, or that every caller hands over just accepted or connected with nothing sent on it yet (its send buffer is still empty: Linux starts at 16 KB), when the send does not repeat on that connection (an accept loop sends each time to a new one); for UDP and Unix-domain sockets and descriptors from open(), pipe() and eventfd() (read()/write() on a location that may hold one); inside a send_all-style helper\'s callers (the helper is judged itself); and in functions with syntax errors.',
    wire: 'On a stream socket send() may accept fewer bytes than asked: always possible on a non-blocking socket when the send buffer fills (a slow reader, a zero window: a 100 KB send with 64 KB of buffer free returns 65,536), and on a blocking socket when a signal or a send timeout (SO_SNDTIMEO) interrupts the call while it waits for buffer space. The unsent tail is simply not in the stream; the peer then reads the next message\'s bytes where it expected the rest of this one, and the framing is lost for the rest of the connection.',
    bad: `if (send(s, buf, len, 0) == SOCKET_ERROR)
    return -1;          /* a short write goes unnoticed */`,
    good: `int sent = 0;
while (sent < len) {
    int n = send(s, buf + sent, len - sent, 0);
    if (n == SOCKET_ERROR) return -1;
    sent += n;
}`,
    fix: 'Loop until every byte is sent (a send_all helper), advancing the buffer by the returned count; the quick fix writes that loop for a blocking send, for you to review. On non-blocking sockets keep the tail in an application buffer and send it when the socket is writable.',
    related: ['Joern: unchecked-send query.', 'cppcheck / clang-tidy bugprone-unused-return-value: not for send() by default.', 'Rust clippy unused_io_amount (the same bug in Rust).'],
    csharp: "`Socket.Send` on a blocking socket sends every byte unless `SendTimeout` is set (Microsoft's docs: \"If you are using a connection-oriented protocol, Send will block until all of the bytes in the buffer are sent, unless a time-out was set by using Socket.SendTimeout\"), so plain blocking sends are quiet. Fires on `Send()` whose count is ignored or never compared with the length when the socket has `Blocking = false` (there `Send` returns what fitted in the send buffer) or a `SendTimeout`. `NetworkStream.Write`/`WriteAsync` and `Socket.SendAsync` never write short (they complete when every byte is queued) and are never flagged. No quick fix: loop on the returned count, or write through a `NetworkStream`.",
    go: "Never fires in Go: `Conn.Write` writes every byte or returns an error (the `io.Writer` contract: \"Write must return a non-nil error if it returns n < len(p)\"; src/internal/poll/fd_unix.go, `FD.Write`, loops until the buffer is written). The same holds for `fmt.Fprintf(conn, ...)` and `io.WriteString(conn, ...)`. An ignored error is a different bug, outside this catalogue.",
    java: 'A socket\'s `OutputStream.write` (and `DataOutputStream`/`PrintWriter` over it) blocks until every byte is written or throws, and so does `SocketChannel.write` in blocking mode (its javadoc: "Unless otherwise specified, a write operation will return only after writing all of the r requested bytes"), so those are never flagged. In non-blocking mode (`configureBlocking(false)`, and every channel a `Selector` reports: `register()` requires it) `SocketChannel.write` writes only what fits in the send buffer, possibly 0 bytes ("A socket channel in non-blocking mode, for example, cannot write any more bytes than are free in the socket\'s output buffer"). Fires on such a write whose count is ignored when the code never asks the `ByteBuffer` what is left. Quiet when it loops on `hasRemaining()`, uses `remaining()` or `compact()`, or compares or adds up the count. No quick fix: keep the buffer, register for `OP_WRITE`, and write the rest when the channel is writable. Java has no would-block exception: the zero-byte write is the case to handle.',
    node: "Node's `socket.write()` never writes short: what the kernel does not take is queued in the process, and `write()` returns false once the queue is over `writableHighWaterMark` (16 KiB by default; 64 KiB since Node.js 22), asking the caller to wait for `'drain'` (the Node.js docs on `writable.write()`: when `false` is ignored, \"Node.js will buffer all written chunks until maximum memory usage occurs, at which point it will abort unconditionally\"; `stream.getDefaultHighWaterMark()` gives the default). That is Node's partial send. Fires on `write()` whose result is ignored inside a loop (`for`, `while`, `for...of`, `forEach`) that neither waits for `'drain'` (`await once(socket, 'drain')`, `socket.once('drain', ...)`) nor sleeps, when the loop's writes can add up past 64 KiB (an unknown number of passes, or a known total above it). Quiet when the result is tested (`if (!socket.write(x))`), inside a `'data'` listener (the peer's pace drives it), for a single `write()`, and for small known totals. No quick fix: stop on false and resume on `'drain'`, or use `stream.pipeline()`.",
    python: "`sock.send(data)` returns how many bytes it sent; CPython documents that \"applications are responsible for checking that all data has been sent\", and `sendall()` is the call that loops until it has. Fires on `send()` whose count is ignored or never compared with `len(data)` on a socket object (from `socket.socket()`, `create_connection()`, `accept()`, a socketserver handler's `self.request`, a parameter annotated `socket.socket`); a warning with a timeout (`settimeout(t)`: CPython then polls for room and sends once, returning what fitted) or on a non-blocking socket, information on a plain blocking one. Quiet for `sendall()`, for a loop that advances with `data[sent:]` or a running total, and for `.send()` on anything that is not a socket (a generator, a multiprocessing pipe). asyncio's `StreamWriter.write()` and `transport.write()` buffer everything and never write short, so they are never flagged. Quick fix (safe where the count is discarded): `send` -> `sendall`.",
  },
  check({ model, text }) {
    const out: ReturnType<Rule['check']> = [];
    for (const op of model.ops) {
      if (!isSend(op) || op.inBrokenCode) continue;
      // Node's write() never writes short; its analogue is ignoring backpressure.
      if (isNodeRuntime(model)) {
        const finding = ignoredBackpressure(model, op);
        if (finding) out.push(finding);
        continue;
      }
      if (notTcp(op) || probablyDatagram(model, op)) continue;
      const r = op.result;
      if (r.explicitlyVoided || r.lengthChecked || r.comparedWithOther || r.returned || r.handedOut || r.asserted || r.passedOn || op.accumulates) continue;
      const { exact, max } = sendSize(op);
      // One byte (a wake-up byte, a probe) is sent whole or not at all.
      if (max !== undefined && max <= 1 && (exact !== undefined || op.length?.max !== undefined)) continue;
      const nb = op.state.nonBlocking;
      const timeout = op.state.sendTimeout;
      const sndbuf = op.state.sendBuffer?.value;
      const size = op.length?.max ?? exact;
      const overBuffer = sndbuf !== undefined && sndbuf > 0 && size !== undefined && size > sndbuf;
      const practical = !!nb || !!timeout || overBuffer;
      // .NET's Socket.Send on a blocking socket with no SendTimeout loops until every byte is sent (or throws).
      if (model.language === 'csharp' && !nb && !timeout) continue;
      // A SocketChannel in blocking mode writes every remaining byte (java.io streams always do, and are never counted here).
      if (model.language === 'java' && !nb) continue;
      // A few bytes of constant size on a blocking socket fit in any send buffer's free space or wait for it.
      const knownSize = op.length?.max !== undefined ? op.length.max : op.helper?.singleSendSize?.max;
      // A few bytes on a socket not known to be non-blocking fit in any send buffer's free space or
      // wait for it (a send timeout only fires while waiting for room).
      if (!nb && knownSize !== undefined && knownSize <= TINY_BLOCKING_SEND) continue;
      // The first send on a socket this function just accepted or connected, small enough for the
      // empty send buffer of a new connection, is taken whole (Linux starts at 16 KB, Windows higher).
      // (A send cannot take more than the array it sends from: its capacity bounds an unknown length.)
      if (fitsNewConnectionBuffer(model, op, knownSize ?? op.bufferCapacity)) continue;
      // A few bytes on a non-blocking socket stop short only when the send buffer has less room than
      // that; a full buffer fails the whole send (EWOULDBLOCK) instead: rare, reported as information.
      const tinyNonBlocking = !!nb && knownSize !== undefined && knownSize <= TINY_BLOCKING_SEND;
      const worthWarning = practical && !tinyNonBlocking;
      const rareWhy = tinyNonBlocking ? ' (rare for so few bytes)' : ' (rare when blocking)';
      const how = r.ignored ? 'its result is ignored' : r.errorChecked ? 'only errors are checked' : 'the count is never compared';
      const upTo = exact !== undefined ? `${count(exact)} bytes` : op.length?.text ? `\`${op.length.text}\` bytes` : 'the requested length';
      const why = tinyNonBlocking ? `this socket is non-blocking, so it stops short when the send buffer has less than ${count(knownSize!)} bytes of room (a slow reader, a zero window; a full buffer fails the send with EWOULDBLOCK instead)`
        : nb ? 'this socket is non-blocking, so it stops short as soon as the send buffer is full (a slow reader, a zero window)'
        : timeout ? 'this socket has a send timeout (SO_SNDTIMEO), so a send that waits too long for buffer space returns what it has sent'
          : overBuffer ? `the send is larger than the ${count(sndbuf!)}-byte send buffer this socket was given, so a non-blocking or interrupted send returns part of it`
            : 'on a blocking socket this happens when a signal interrupts the send while it waits for buffer space (POSIX; Winsock documents short sends too)';
      const fix = !practical || !nb || model.language === 'python' ? sendAllFix(model, text, op) : undefined;
      // One short sentence (the why, the numbers and the fix are in the detail).
      const verdict = r.ignored ? 'result ignored' : r.errorChecked ? 'checked for errors only' : 'count never compared';
      const rest = exact !== undefined ? `the ${count(exact)} bytes` : op.length?.text && op.length.text.length <= 24 ? `the \`${op.length.text}\` bytes` : 'the bytes asked';
      if (model.language === 'csharp') {
        const csWhy = nb ? 'this socket has Blocking = false, so Send() returns as soon as the send buffer is full'
          : 'this socket has a SendTimeout, so a Send() that waits too long for buffer space ends with part of the data sent';
        out.push({
          message: `${op.callee}() ${verdict} on a ${nb ? 'non-blocking' : 'SendTimeout'} socket: a short send loses the rest of ${rest}${tinyNonBlocking ? rareWhy : ''}.`,
          detail: `Socket.Send returns how many bytes it sent, anywhere from 1 to ${upTo}; ${csWhy}. Here ${how}, so a short send leaves the tail out of the stream and the peer reads the next message's bytes as the rest of this one. Loop until every byte is sent (advance the offset by the count), or write through a NetworkStream, whose Write() sends every byte.`,
          severity: tinyNonBlocking ? 'info' : 'warning',
          range: op.nameRange,
          related: [
            ...(nb ? [relatedFrom(nb, 'the socket is made non-blocking here (Blocking = false)')] : []),
            ...(timeout ? [relatedFrom(timeout, 'a SendTimeout is set here')] : []),
          ],
          fixes: [],
        });
        continue;
      }
      if (model.language === 'java') {
        out.push({
          message: `\`${op.callee}()\` ${verdict} on a non-blocking SocketChannel: it may write part of ${rest}, or none.`,
          detail: `SocketChannel.write returns how many bytes it wrote, anywhere from 0 to ${upTo}: in non-blocking mode (configureBlocking(false)) it writes only what fits in the socket's send buffer and leaves the rest in the ByteBuffer (the javadoc: "A socket channel in non-blocking mode, for example, cannot write any more bytes than are free in the socket's output buffer"). Here ${how} and the buffer's remaining bytes are never looked at again, so they are dropped from the stream and the peer reads the next message's bytes as the rest of this one. Keep the ByteBuffer while it hasRemaining(), register the channel for OP_WRITE and write the rest when the Selector reports it writable.`,
          severity: 'warning',
          range: op.nameRange,
          related: nb ? [relatedFrom(nb, 'the channel is made non-blocking here (configureBlocking(false))')] : [],
          fixes: [],
        });
        continue;
      }
      if (model.language === 'python') {
        const pyWhy = tinyNonBlocking ? `this socket is non-blocking, so send() stops short when the send buffer has less than ${count(knownSize!)} bytes of room (a full buffer raises BlockingIOError instead)`
          : nb ? 'this socket is non-blocking, so send() returns as soon as the send buffer is full'
          : timeout ? 'this socket has a timeout (settimeout), so CPython waits for buffer space and then sends once, returning what fitted'
            : 'on a blocking socket a signal can interrupt it while it waits for buffer space';
        out.push({
          message: `\`${op.callee}()\` may send only part of ${rest} and ${r.ignored ? 'its count is ignored' : 'the count is never compared with len()'}; \`sendall()\` sends every byte.${worthWarning ? '' : rareWhy}`,
          detail: `socket.send() returns how many bytes it sent, anywhere from 1 to ${upTo}; ${pyWhy}. Here ${how}, so a short send leaves the tail out of the stream and the peer reads the next message's bytes as the rest of this one. Use sendall(), which loops until every byte is sent or raises; on a non-blocking socket keep the unsent tail (data[sent:]) and send it when the socket is writable.`,
          severity: worthWarning ? 'warning' : 'info',
          range: op.nameRange,
          related: [
            ...(nb ? [relatedFrom(nb, `the socket is made non-blocking here (${nb.via})`)] : []),
            ...(timeout ? [relatedFrom(timeout, 'a timeout is set here')] : []),
          ],
          fixes: fix ? [fix] : [],
        });
        continue;
      }
      out.push({
        message: `${op.callee}() ${verdict}: a short send loses the rest of ${rest}${worthWarning ? '' : rareWhy}.`,
        detail: `${op.callee}() returns how many bytes it accepted, anywhere from 1 to ${upTo}; ${why}. Here ${how}, so a short write leaves the tail out of the stream and the peer reads the next message's bytes as the rest of this one. Loop until every byte is sent, advancing the buffer by the returned count.`,
        severity: worthWarning ? 'warning' : 'info',
        range: op.nameRange,
        related: [
          ...(nb ? [relatedFrom(nb, `the socket is made non-blocking here (${nb.via})`)] : []),
          ...(timeout ? [relatedFrom(timeout, 'a send timeout is set here')] : []),
          ...(overBuffer && op.state.sendBuffer ? [relatedFrom(op.state.sendBuffer.evidence, 'the send buffer is set here')] : []),
        ],
        fixes: fix ? [fix] : [],
      });
    }
    return out;
  },
};

/** A send (not vectored, not overlapped), or a call of a thin wrapper that returns send()'s count. */
function isSend(op: SocketOp): boolean {
  if (op.kind === 'send') return !op.vectored && !op.overlappedArg && !op.callee.startsWith('WSA');
  return op.kind === 'helper' && !!op.helper && op.helper.returnsCount && !op.helper.sendsAll && op.helper.kinds.length === 1 && op.helper.kinds[0] === 'send';
}

/** Node's writable high-water mark: write() returns false past it (16 KiB; 64 KiB since Node.js 22). */
const NODE_HIGH_WATER_MARK = 16 * 1024;
const NODE_HIGH_WATER_MARK_22 = 64 * 1024;

/**
 * Node.js: `socket.write()` in a loop that ignores its result and never waits for 'drain'. Quiet for
 * a loop that is an event listener (a 'data' loop: the peer's pace drives it), one that waits or
 * sleeps, and one whose writes add up to less than the high-water mark.
 */
function ignoredBackpressure(model: SocketModel, op: SocketOp): ReturnType<Rule['check']>[number] | undefined {
  if (op.kind !== 'send' || op.callee !== 'write' || !op.result.ignored || op.loops.length === 0 || !op.socket) return undefined;
  // Backpressure is the same on TCP and Unix-domain sockets.
  if (op.state.transport === 'udp' || op.state.transport === 'file') return undefined;
  const loop = op.loops[op.loops.length - 1];
  if (loop.waits || (loop.sleepMs ?? 0) > 0 || loop.pacedByInput) return undefined;
  const eventDriven = model.ops.some((o) => receives(o) && o.fnKey === op.fnKey && o.loops.some((l) => l.id === loop.id));
  if (eventDriven) return undefined;
  const { exact, max } = sendSize(op);
  const size = exact ?? max;
  const passes = op.loops.every((l) => l.constantBound !== undefined) ? op.loops.reduce((n, l) => n * l.constantBound!, 1) : undefined;
  if (passes !== undefined && size !== undefined && passes * size <= NODE_HIGH_WATER_MARK_22) return undefined;
  const total = passes !== undefined && size !== undefined ? ` (${count(passes)} writes of ${count(size)} bytes: ${count(passes * size)} bytes)` : '';
  return {
    message: `\`write()\` returns false when the socket's queue is full; this loop ignores it and never waits for \`'drain'\`: the data piles up in memory.`,
    detail: `socket.write() never writes short: what the kernel does not take is queued in the process, and write() returns false once that queue is over the socket's writableHighWaterMark (${count(NODE_HIGH_WATER_MARK)} bytes by default, ${count(NODE_HIGH_WATER_MARK_22)} since Node.js 22). This loop${total} ignores the result and never waits, so against a slow reader or a closed window everything it writes is held in memory until the kernel takes it. Stop when write() returns false and go on after the 'drain' event (\`if (!socket.write(chunk)) await once(socket, 'drain')\`), or stream the data with stream.pipeline().`,
    severity: 'warning',
    range: op.nameRange,
    related: [{ range: loop.range, message: 'the loop writes without waiting for the socket to drain' }],
    fixes: [],
  };
}
