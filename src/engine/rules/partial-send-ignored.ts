// send()'s return value ignored or never compared with the requested length.
import type { Rule } from './rule';
import { probablyDatagram, nonBlocking } from './support/facts';
import { count } from './support/format';

/** Constant-size blocking sends up to this size are not reported (see check()). */
const TINY_BLOCKING_SEND = 64;

export const partialSendIgnored: Rule = {
  id: 'partial-send-ignored',
  title: 'Partial send not handled',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags send() (or write() on a socket) on a stream socket whose return value is ignored or only checked for an error, never compared with the requested length or used to advance through the buffer. Constant sends of up to 64 bytes on a socket not known to be non-blocking are not reported: they fit or wait, in practice never stopping short.',
    wire: 'On a stream socket send() may accept fewer bytes than asked: always possible on a non-blocking socket when the send buffer fills (a slow reader, a zero window: a 100 KB send with 64 KB of buffer free returns 65,536), and on a blocking socket when a signal or a send timeout (SO_SNDTIMEO) interrupts the call while it waits for buffer space. The unsent tail is simply not in the stream; the peer then reads the next message\'s bytes where it expected the rest of this one, and the framing is lost for the rest of the connection.',
    bad: `if (send(s, buf, len, 0) == SOCKET_ERROR)
    return -1;          /* a short write goes unnoticed */`,
    good: `int sent = 0;
while (sent < len) {
    int n = send(s, buf + sent, len - sent, 0);
    if (n == SOCKET_ERROR) return -1;
    sent += n;
}`,
    fix: 'Loop until every byte is sent (a send_all helper), advancing the buffer by the returned count. On non-blocking sockets keep the tail in an application buffer and send it when the socket is writable.',
    related: ['Joern: unchecked-send query.', 'cppcheck / clang-tidy bugprone-unused-return-value: not for send() by default.', 'Rust clippy unused_io_amount (the same bug in Rust).'],
  },
  check({ model, text }) {
    const out: ReturnType<Rule['check']> = [];
    for (const op of model.ops) {
      if (op.kind !== 'send' || op.callee.startsWith('WSA') || op.callee === 'writev') continue;
      if (probablyDatagram(model, op.socket, text)) continue;
      const r = op.result;
      // A wrapper that returns the count leaves the check to its caller; a test assertion states
      // what the test expects of its socketpair.
      if (r.explicitlyVoided || r.lengthChecked || r.returned || r.asserted || op.accumulates) continue;
      const nb = nonBlocking(model, op.socket, op);
      const size = op.length?.value;
      // One byte (a wake-up byte, a probe) is sent whole or not at all.
      if (size !== undefined && size <= 1) continue;
      // A few bytes of constant size on a blocking socket ("Hello, world!", a 4-byte header) fit
      // in any send buffer's free space or wait for it: a short count is not a practical outcome.
      if (!nb && size !== undefined && size <= TINY_BLOCKING_SEND) continue;
      const upTo = op.length?.value !== undefined ? `${count(op.length.value)} bytes` : op.length?.text ? `\`${op.length.text}\` bytes` : 'the requested length';
      const how = r.ignored ? 'its return value is ignored' : r.errorChecked ? 'its return value is only checked for an error' : 'its return value is never compared with the length';
      const when = nb
        ? 'on this non-blocking socket it stops short as soon as the send buffer is full (a slow reader, a zero window)'
        : 'a blocking send stops short when a signal or a send timeout (SO_SNDTIMEO) interrupts it while it waits for buffer space';
      out.push({
        message: `${op.callee}() returns how many bytes it accepted, anywhere from 1 to ${upTo}: ${when}. Here ${how}, so a short write leaves the tail out of the stream and the peer reads the next message's bytes as the rest of this one. Loop until every byte is sent.`,
        range: op.nameRange,
      });
    }
    return out;
  },
};
