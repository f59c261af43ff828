// One recv()'s bytes used as a whole message.
import type { Rule } from './rule';
import type { SocketOp } from '../model';
import { probablyDatagram } from './support/facts';
import { count } from './support/format';

function upTo(op: SocketOp): string {
  if (op.length?.value !== undefined) return `${count(op.length.value)} bytes`;
  return op.length?.text ? `\`${op.length.text}\` bytes` : 'the buffer size';
}

export const recvMessageBoundary: Rule = {
  id: 'recv-message-boundary',
  title: 'recv() treated as one message',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags a recv() on a stream socket whose bytes are used as one whole message (read straight into a struct, cast to a message type, parsed as a string) without a loop or length framing.',
    wire: 'TCP is a byte stream: recv() returns what has arrived so far, up to the buffer size. A 100-byte message sent in one send() can arrive as 60 + 40 bytes (segmentation, a retransmission, a full window), and two small messages sent back to back arrive together when Nagle or the receiver coalesces them. Code that treats each recv() as one message works on loopback and fails under load or on a real network.',
    bad: `struct header h;
recv(s, (char *)&h, sizeof h, 0);     /* may return 3 of 8 bytes */
handle(h.type, h.len);`,
    good: `struct header h;
if (recv_all(s, (char *)&h, sizeof h) != sizeof h) return -1;   /* loop until complete */
body = malloc(h.len);
if (recv_all(s, body, h.len) != h.len) return -1;`,
    fix: 'Frame messages (a fixed-size header with the length, or a delimiter) and loop on recv() until the whole header and body have arrived, or pass MSG_WAITALL on a blocking socket.',
    related: ['None: no linter checks message framing over recv().'],
  },
  check({ model, text }) {
    const out: ReturnType<Rule['check']> = [];
    for (const op of model.ops) {
      if (op.kind !== 'recv' || !op.consumedAsMessage || probablyDatagram(model, op.socket, text)) continue;
      // A 1-byte read (an EOF probe, a wake-up byte) cannot be split.
      if (op.length?.value !== undefined && op.length.value <= 1) continue;
      out.push({
        message: `${op.callee}() returns whatever has arrived, anywhere from 1 to ${upTo(op)}, not one message, but this code ${op.consumedAsMessage.how}. A 100-byte message can arrive as 60 + 40 bytes (segmentation, a retransmission, a full window), and back-to-back messages arrive together. Loop until the length you expect has arrived (length-prefixed framing), or use MSG_WAITALL on a blocking socket.`,
        range: op.nameRange,
      });
    }
    return out;
  },
};
