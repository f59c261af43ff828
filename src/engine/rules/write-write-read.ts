// Two or more sends, then a recv on the same connection, with Nagle on.
import type { SocketOp } from '../model';
import type { ProfileHeadline } from '../../common/scenario';
import type { Rule } from './rule';
import { exclusive, isDatagram, nagleOn, receives, sameSocket, sends, withinLoopsOf } from './support/facts';
import { insertNodelayFix } from './support/fixes';
import { count, duration, perSecond } from './support/format';
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
          // shutdown(SHUT_WR) sends the FIN and pushes out whatever Nagle held.
          if (receives(op) || op.kind === 'shutdown') break;
          // MSG_MORE holds the part on purpose until the next send, which carries both.
          if (!sends(op) || op.overlappedArg || /MSG_MORE/.test(op.flags ?? '')) continue;
          // Sends inside one inner loop (a send-all loop) are one logical send.
          const inner = op.loops.length > read.loops.length ? `loop${op.loops[read.loops.length].id}` : `op${op.index}`;
          if (!logical.has(inner)) logical.set(inner, op);
        }
        const sendsInOrder = [...logical.values()].sort((a, b) => a.index - b.index);
        if (sendsInOrder.length < 2) continue;
        // Point at the first send Nagle holds: the earliest one with an earlier send in the same pass.
        let first: SocketOp | undefined, second: SocketOp | undefined;
        for (let j = 1; j < sendsInOrder.length && !second; j++) {
          const before = sendsInOrder.slice(0, j).reverse().find((o) => !exclusive(o, sendsInOrder[j]));
          if (before) { first = before; second = sendsInOrder[j]; }
        }
        if (!first || !second || reported.has(second.index)) continue;
        const secondSize = second.length?.value;
        if (secondSize !== undefined && secondSize >= SMALL_BYTES) continue;
        reported.add(second.index);
        const what = secondSize !== undefined ? `This ${secondSize}-byte send` : 'This send';
        const writes = sendsInOrder.map((s) => s.length?.value ?? 100);
        const n = Math.min(loopCount(read), 2000);
        out.push({
          message: `${what} follows an earlier send, before the reply is read on this connection, with Nagle on: it is held until the earlier segment is ACKed, and the peer, still waiting for the rest of the request, delays that ACK: ${stallText(headline, read.loops.map((l) => l.constantBound).find((b) => b !== undefined))} Send the request in one buffer (or writev/WSASend with several buffers), or set TCP_NODELAY.`,
          range: second.nameRange,
          related: [
            { range: first.range, message: 'the first send leaves a small segment unacknowledged' },
            { range: read.range, message: 'the reply is read here, one delayed ACK later' },
          ],
          fixes: [insertNodelayFix(model, text, second)].filter((f) => !!f),
          scenario: writeWriteReadScenario(profile, 'As written: write, write, read', { count: n, writes, responseBytes: read.length?.value ?? 64 }),
          fixedScenario: writeWriteReadScenario(profile, 'With TCP_NODELAY', { count: n, writes, responseBytes: read.length?.value ?? 64, nodelay: true }),
        });
      }
    }
    return out;
  },
};

/** The per-request stall under the profile (research §0, §5: the Linux stall is this pattern). */
function stallText(h: ProfileHeadline, n: number | undefined): string {
  const d = h.delayedAckMs;
  const total = n !== undefined && n > 1 ? ` (${count(n)} requests: ~${duration(n * d)})` : '';
  if (h.nagle === 'minshall') {
    return `a Linux peer delays it ~40 ms (measured 44 ms per request on loopback, 0.02 ms with TCP_NODELAY; only the first requests of a connection are quick-ACKed), so each request pays RTT + ~${d} ms${total}.`;
  }
  if (h.nagle === 'bsd') {
    return `a macOS peer's delayed-ACK timer fires after ${d}–${2 * d} ms, so each request pays RTT + ${d}–${2 * d} ms${n !== undefined && n > 1 ? ` (${count(n)} requests: up to ${duration(n * 2 * d)})` : ''}.`;
  }
  return `a Windows peer ACKs a lone segment only when its ${d} ms delayed-ACK timer fires, so each request pays RTT + ~${d} ms, at most ~${perSecond(1000 / d)} requests/s${total}.`;
}
