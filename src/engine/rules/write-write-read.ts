// Two or more sends, then a recv on the same connection, with Nagle on.
import type { SocketOp } from '../model';
import type { Rule } from './rule';
import { exclusive, isDatagram, nagleOn, receives, sameSocket, sends, withinLoopsOf } from './support/facts';
import { insertNodelayFix } from './support/fixes';
import { loopCount, writeWriteReadScenario } from './support/scenarios';

const SMALL_BYTES = 1448;

export const writeWriteRead: Rule = {
  id: 'write-write-read',
  title: 'Write-write-read with Nagle on',
  defaultSeverity: 'info',
  docs: {
    summary: 'Flags a request written with two or more sends followed by a recv of the reply on the same TCP connection, with Nagle on.',
    wire: 'The first send leaves at once. The second is small and data is unacknowledged, so Nagle holds it until the first is ACKed. The peer has only half a request, nothing to reply with, and delays its ACK: 200 ms on legacy Windows, 40 ms on Windows 10/11 and Linux (measured 44 ms per request on Linux loopback, 0.02 ms with TCP_NODELAY). Every request pays RTT plus the delayed-ACK timer. John Nagle: "If you do send, send, reply, there\'s a delay."',
    bad: `send(s, (const char *)&hdr, sizeof hdr, 0);   /* header */
send(s, body, body_len, 0);                     /* body: held by Nagle */
recv(s, reply, sizeof reply, 0);                /* waits RTT + delayed ACK */`,
    good: `memcpy(buf, &hdr, sizeof hdr);
memcpy(buf + sizeof hdr, body, body_len);
send_all(s, buf, sizeof hdr + body_len);        /* one send per request */
recv_all(s, reply, sizeof reply);`,
    fix: 'Build the request in one buffer and send it once (or writev / WSASend with two buffers). Otherwise set TCP_NODELAY on the socket.',
    related: ['None: no linter detects this; it is the classic Nagle / delayed-ACK interaction (RFC 896, RFC 1122 4.2.3.2).'],
  },
  check({ model, text, headline, profile }) {
    const out: ReturnType<Rule['check']> = [];
    const reported = new Set<number>();
    const byFn = new Map<string, SocketOp[]>();
    for (const op of model.ops) byFn.set(op.fn, [...(byFn.get(op.fn) ?? []), op]);
    for (const ops of byFn.values()) {
      for (let r = 0; r < ops.length; r++) {
        const read = ops[r];
        if (!receives(read) || isDatagram(model, read.socket) || !nagleOn(model, read.socket) || read.variesPerIteration) continue;
        // Walk back over this pass's sends on the same connection, until the previous read.
        const logical = new Map<string, SocketOp>();
        for (let i = r - 1; i >= 0; i--) {
          const op = ops[i];
          if (!sameSocket(model, op, read) || !withinLoopsOf(read, op) || exclusive(op, read)) continue;
          if (receives(op)) break;
          if (!sends(op) || op.overlappedArg) continue;
          // Sends inside one inner loop (a send-all loop) are one logical send.
          const inner = op.loops.length > read.loops.length ? `loop${op.loops[read.loops.length].id}` : `op${op.index}`;
          if (!logical.has(inner)) logical.set(inner, op);
        }
        const sendsInOrder = [...logical.values()].sort((a, b) => a.index - b.index);
        if (sendsInOrder.length < 2) continue;
        const [first, second] = [sendsInOrder[sendsInOrder.length - 2], sendsInOrder[sendsInOrder.length - 1]];
        if (exclusive(first, second) || reported.has(second.index)) continue;
        const secondSize = second.length?.value;
        if (secondSize !== undefined && secondSize >= SMALL_BYTES) continue;
        reported.add(second.index);
        const d = headline.delayedAckMs;
        const sizeText = secondSize !== undefined ? `${secondSize} bytes` : 'a small segment';
        const writes = sendsInOrder.map((s) => s.length?.value ?? 100);
        out.push({
          message: `Second send (${sizeText}) before reading the reply on this connection, with Nagle on: it is held until the first send is ACKed, and the peer, still waiting for the rest of the request, delays that ACK by up to ${d} ms. Each request pays RTT + ~${d} ms. Send the request in one buffer (or writev/WSASend with two buffers), or set TCP_NODELAY.`,
          range: second.nameRange,
          related: [
            { range: first.range, message: 'the first send leaves a small segment unacknowledged' },
            { range: read.range, message: 'the reply is read here, one delayed ACK later' },
          ],
          fixes: [insertNodelayFix(model, text, second)].filter((f) => !!f),
          scenario: writeWriteReadScenario(profile, 'As written: write, write, read', { count: Math.min(loopCount(read), 2000), writes, responseBytes: read.length?.value ?? 64 }),
          fixedScenario: writeWriteReadScenario(profile, 'With TCP_NODELAY', { count: Math.min(loopCount(read), 2000), writes, responseBytes: read.length?.value ?? 64, nodelay: true }),
        });
      }
    }
    return out;
  },
};
