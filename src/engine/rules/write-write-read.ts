// Two or more sends, then a recv on the same connection, with Nagle on.
import type { SocketOp } from '../model';
import type { ProfileHeadline } from '../../common/scenario';
import type { Rule } from './rule';
import { exclusive, nagleOn, notTcp, probablyDatagram, receives, sameConnection, sendSize, sends, withinLoopsOf } from './support/facts';
import { insertNodelayFix } from './support/fixes';
import { isNodeRuntime, runtimeNames } from './support/runtime-names';
import { count, duration, perSecond } from './support/format';
import { loopCount, writeWriteReadScenario } from './support/scenarios';

const SMALL_BYTES = 1448;

export const writeWriteRead: Rule = {
  id: 'write-write-read',
  title: 'Write-write-read with Nagle on',
  defaultSeverity: 'info',
  docs: {
    summary: 'Flags a request written with two or more sends followed by a recv of the reply on the same TCP connection, with Nagle on.',
    when: 'Fires on the second of two or more sends on one TCP connection that run, in one pass, before a recv on it in the same function (also when the sends and the recv are in functions of the program called from it, when a function of the program ends with the sends and a caller reads the reply right after calling it (reported on the last send of the function), or the previous pass of a server loop sent twice), when the second send is under 1,448 bytes (or of unknown size) and Nagle is on (as for small-sends-nagle). Sends inside one send-all loop count as one. Quiet when the sends are in exclusive branches, with MSG_MORE or TCP_CORK, after shutdown(), for overlapped sends, when the socket changes per pass, and for UDP and Unix-domain sockets.',
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
    csharp: "Same as in C for `Socket` and `TcpClient`/`NetworkStream` (Nagle is on: `NoDelay` defaults to false): two `Send()`/`Write()` calls (async or not) then a `Receive()`/`Read()`/`ReadLine()` of the reply. Fix: write the request once (one buffer, or `Send` with a list of `ArraySegment<byte>`), or set `NoDelay = true` after the socket is created (the quick fix adds it).",
    go: "Go's `net` package sets TCP_NODELAY on every TCP connection it dials or accepts (src/net/tcpsock.go: `newTCPConn` calls `setNoDelay(fd, true)`; the `TCPConn.SetNoDelay` documentation: \"The default is true (no delay)\"), so a header `Write`, a body `Write` and a `Read` of the reply do not stall and are not flagged. Fires only after `SetNoDelay(false)` in the file; the quick fix makes that call `SetNoDelay(true)`. Writing the message once (one buffer, or `net.Buffers{hdr, body}.WriteTo(conn)`, a single writev) saves a segment either way.",
    java: 'Same as in C for `java.net.Socket` and `SocketChannel`, whose Nagle is on by default: two writes on the socket\'s stream (`out.write(header); out.write(body);`, `dos.writeInt(len); dos.write(payload);`, two `println`s on a `PrintWriter` made with autoflush) then a read of the reply (`read()`, `readInt()`, `BufferedReader.readLine()`). Writes through a `BufferedOutputStream` (or a `PrintWriter` without autoflush) leave at `flush()`: one flush per request is quiet. A stream field made from a socket field in another method (`out = new DataOutputStream(socket.getOutputStream())`) is that socket. Fix: build the request in one buffer (or wrap the stream in a `BufferedOutputStream` and flush once), or call `setTcpNoDelay(true)` after the socket is created (the quick fix adds it).',
    node: "Node.js leaves Nagle on for `net.Socket` (the docs of `socket.setNoDelay()`: \"When a TCP connection is created, it will have Nagle's algorithm enabled\"; the `noDelay` option of `net.connect()`/`net.createServer()` defaults to false), and each `socket.write()` on a connected socket is handed to the kernel at once. Fires on the second of two `write()`s on one socket followed by a read of the reply: a `'data'` listener registered in the same code (it runs after the writes), `await once(socket, 'data')`, or `for await (const chunk of socket)`; also when the writes are in the `net.connect()` callback and the listener follows it. Quiet with `setNoDelay()` or `noDelay: true`, and between `cork()` and `uncork()`. Fix: one `write()` per request (`Buffer.concat([header, body])`), or `socket.setNoDelay(true)` (the quick fix adds it after the socket is made).",
    python: "Same as in C for the `socket` module: two `send()`/`sendall()` calls then `recv()` on a socket without `TCP_NODELAY`. Fix: one `sendall(header + body)`, or `setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)`. asyncio streams and protocols set TCP_NODELAY themselves, so `writer.write(); writer.write(); await reader.read()` is quiet.",
  },
  check({ model, text, headline, profile }) {
    const out: ReturnType<Rule['check']> = [];
    const reported = new Set<number>();
    const byFn = new Map<string, SocketOp[]>();
    for (const op of model.ops) byFn.set(op.fnKey, [...(byFn.get(op.fnKey) ?? []), op]);
    for (const ops of byFn.values()) {
      for (let r = 0; r < ops.length; r++) {
        const read = ops[r];
        if (!receives(read) || notTcp(read) || probablyDatagram(model, read) || !nagleOn(read) || read.variesPerIteration || read.inBrokenCode) continue;
        const sendsInOrder = sendsBefore(ops, r).filter((o) => model.mayPrecede(o, read));
        if (sendsInOrder.length < 2) continue;
        // Point at the first send Nagle holds: the earliest one with an earlier send in the same pass.
        let first: SocketOp | undefined, second: SocketOp | undefined;
        // Both sends in one pass: a path from the first to the second that reads nothing on the socket.
        const reads = ops.filter((o) => receives(o) && sameConnection(o, read));
        for (let j = 1; j < sendsInOrder.length && !second; j++) {
          const before = sendsInOrder.slice(0, j).reverse().find((o) => !exclusive(o, sendsInOrder[j]) && model.mayPrecede(o, sendsInOrder[j], reads));
          if (before) { first = before; second = sendsInOrder[j]; }
        }
        if (!first || !second || reported.has(second.index)) continue;
        const secondSize = sendSize(second).exact;
        if (secondSize !== undefined && secondSize >= SMALL_BYTES) continue;
        reported.add(second.index);
        const what = secondSize !== undefined ? `This ${secondSize}-byte send` : 'This send';
        const writes = sendsInOrder.map((s) => sendSize(s).exact ?? 100);
        const n = Math.min(loopCount(read), 2000);
        out.push({
          message: `${what} waits in Nagle for the ACK of the previous one, which the peer delays: +${headline.delayedAckMs} ms per request.`,
          detail: `${what} follows an earlier send, before the reply is read on this connection, with Nagle on: it is held until the earlier segment is ACKed, and the peer, still waiting for the rest of the message, delays that ACK: ${stallText(headline, read.loops.map((l) => l.constantBound).find((b) => b !== undefined))} ${model.language === 'go' ? 'Build the message in one buffer and write it once (or net.Buffers{hdr, body}.WriteTo(conn), one writev), or drop SetNoDelay(false): Go sets TCP_NODELAY on every TCP connection.' : model.language === 'csharp' ? 'Build the message in one buffer and write it once (or Send with a list of ArraySegments), or set NoDelay = true.' : model.language === 'java' ? 'Build the message in one buffer and write it once (or wrap the stream in a BufferedOutputStream and flush() once per message), or call setTcpNoDelay(true).' : isNodeRuntime(model) ? 'Write the message once (Buffer.concat the parts, or cork() before the writes and uncork() after), or call socket.setNoDelay(true).' : 'Build the message in one buffer and send it once (or writev/WSASend with several buffers), or set TCP_NODELAY.'}`,
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
      // The request written by a function of the program and the reply read by its caller right after
      // the call (`SendReq(fd, &req); RecvRes(fd, &res);` with SendReq writing a header, then the body).
      for (const second of ops) {
        const read = second.readByCallerAfter;
        // A send that goes on with the rest of the buffer (`buf + sent`) finishes the one before it: one logical send.
        if (!read || reported.has(second.index) || !sends(second) || second.overlappedArg || second.flags.more || second.accumulates || second.retryLoop) continue;
        if (notTcp(second) || probablyDatagram(model, second) || !nagleOn(second) || second.inBrokenCode || second.variesPerIteration) continue;
        const onConnection = ops.filter((o) => o !== second && sameConnection(o, second));
        const reads = onConnection.filter((o) => receives(o) || o.kind === 'shutdown');
        // The last send of the function on this connection (nothing later in its body sends or reads on it).
        if (onConnection.some((o) => (sends(o) || receives(o)) && o.range.start.line >= second.range.start.line && model.mayPrecede(second, o))) continue;
        const first = onConnection.slice().reverse().find((o) => sends(o) && !o.overlappedArg && !o.flags.more && !exclusive(o, second)
          && model.mayPrecede(o, second, reads) && !sharesInnerLoop(o, second));
        if (!first) continue;
        const secondSize = sendSize(second).exact;
        if (secondSize !== undefined && secondSize >= SMALL_BYTES) continue;
        reported.add(second.index);
        const what = secondSize !== undefined ? `This ${secondSize}-byte send` : 'This send';
        const writes = [sendSize(first).exact ?? 100, secondSize ?? 100];
        out.push({
          message: `${what} waits in Nagle for the ACK of the previous one, which the peer delays: +${headline.delayedAckMs} ms per request.`,
          detail: `${what} follows an earlier send, and the caller reads the reply on this connection right after this function returns (${read.file ? `${read.file}, ` : ''}line ${read.range.start.line + 1}), with Nagle on: it is held until the earlier segment is ACKed, and the peer, still waiting for the rest of the message, delays that ACK: ${stallText(headline, undefined)} Build the message in one buffer and send it once (or writev/WSASend with several buffers), or set TCP_NODELAY.`,
          range: second.nameRange,
          related: [
            { range: first.range, message: 'the first send leaves a small segment unacknowledged' },
            ...(read.file ? [] : [{ range: read.range, message: 'the caller reads the reply here, one delayed ACK later' }]),
          ],
          fixes: [insertNodelayFix(model, text, second)].filter((f) => !!f),
          scenario: writeWriteReadScenario(profile, 'As written: write, write, read', { count: 1, writes, responseBytes: 64 }),
          fixedScenario: writeWriteReadScenario(profile, 'With TCP_NODELAY', { count: 1, writes, responseBytes: 64, nodelay: true }),
        });
      }
    }
    return out;
  },
};

/** Both sends sit in one loop the second is inside and the first is not before (a send-all loop's passes). */
function sharesInnerLoop(first: SocketOp, second: SocketOp): boolean {
  const inner = second.loops[second.loops.length - 1];
  return !!inner && first.loops.some((l) => l.id === inner.id) && second.retryLoop;
}

/**
 * The sends on the read's connection since the previous read, in the order they run. Within the
 * read's loop: the ones before it in the body; when the body has no read before it, also the ones
 * after it (the previous pass: a server that answers with two sends, then reads the next request);
 * when the body sends nothing before it, the ones before the loop (send, send, then a recv loop).
 * Sends inside one inner loop (a send-all loop) count as one logical send.
 */
function sendsBefore(ops: SocketOp[], r: number): SocketOp[] {
  const read = ops[r];
  const walk = (indices: number[], depth: number, inScope: (o: SocketOp) => boolean) => {
    const found = new Map<string, SocketOp>();
    for (const i of indices) {
      const op = ops[i];
      if (!inScope(op) || !sameConnection(op, read) || exclusive(op, read)) continue;
      // shutdown(SHUT_WR) sends the FIN and pushes out whatever Nagle held.
      if (receives(op) || op.kind === 'shutdown') return { sends: [...found.values()].reverse(), stopped: true };
      // MSG_MORE holds the part on purpose until the next send, which carries both.
      if (!sends(op) || op.overlappedArg || op.flags.more) continue;
      const key = op.loops.length > depth ? `loop${op.loops[depth].id}` : `op${op.index}`;
      if (!found.has(key)) found.set(key, op);
    }
    return { sends: [...found.values()].reverse(), stopped: false };
  };
  const down = (from: number) => Array.from({ length: Math.max(0, from + 1) }, (_, k) => from - k);
  const depth = read.loops.length;
  const body = walk(down(r - 1), depth, (o) => withinLoopsOf(read, o));
  const loop = read.loops[depth - 1];
  if (body.stopped || !loop) return body.sends;
  const inLoop = (o: SocketOp) => o.loops.some((l) => l.id === loop.id) && withinLoopsOf(read, o);
  const tail = walk(down(ops.length - 1).filter((i) => i > r), depth, inLoop);
  if (tail.sends.length > 0 && tail.sends.length + body.sends.length >= 2) return [...tail.sends, ...body.sends];
  if (body.sends.length > 0) return body.sends;
  const outer = read.loops.slice(0, -1);
  const before = walk(down(r - 1), depth - 1, (o) => !o.loops.some((l) => l.id === loop.id) && outer.every((l, i) => o.loops[i]?.id === l.id));
  return before.sends;
}

/** The per-request stall under the profile (research §0, §5: the Linux stall is this pattern). */
function stallText(h: ProfileHeadline, n: number | undefined): string {
  const d = h.delayedAckMs;
  const total = n !== undefined && n > 1 ? ` (${count(n)} requests: ~${duration(n * d)})` : '';
  if (h.nagle === 'minshall') {
    return `a Linux peer delays it ~40 ms (measured 44 ms per request on loopback, 0.02 ms with TCP_NODELAY; only the first requests of a connection are quick-ACKed), so each exchange pays RTT + ~${d} ms${total}.`;
  }
  if (h.nagle === 'bsd') {
    return `a macOS peer's delayed-ACK timer fires after ${d}–${2 * d} ms, so each exchange pays RTT + ${d}–${2 * d} ms${n !== undefined && n > 1 ? ` (${count(n)} requests: up to ${duration(n * 2 * d)})` : ''}.`;
  }
  return `a Windows peer ACKs a lone segment only when its ${d} ms delayed-ACK timer fires, so each exchange pays RTT + ~${d} ms, at most ~${perSecond(1000 / d)} requests/s${total}.`;
}
