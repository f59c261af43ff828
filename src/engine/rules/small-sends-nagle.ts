// Many small sends in a loop on a one-way stream with Nagle on.
import type { ProfileHeadline } from '../../common/scenario';
import type { Rule } from './rule';
import { nagleOn, notTcp, probablyDatagram, receives, sameSocket, sendSize, sends } from './support/facts';
import { insertNodelayFix } from './support/fixes';
import { runtimeNames } from './support/runtime-names';
import { count, duration, perSecond } from './support/format';
import { knownLoopCount, loopCount, recordsScenario } from './support/scenarios';

/** Below one MSS a segment is "small" for Nagle. */
const SMALL_BYTES = 1448;
/** The longest delayed-ACK timer of the profiles (legacy Windows; macOS fires within 100–200 ms). */
const MAX_DELAYED_ACK_MS = 200;

export const smallSendsNagle: Rule = {
  id: 'small-sends-nagle',
  title: 'Small sends in a loop with Nagle on',
  defaultSeverity: 'info',
  docs: {
    summary: 'Flags a loop that sends small records (known to be under one MSS) one send() each on a TCP socket with Nagle on and nothing read back on that socket in the loop.',
    when: 'Fires on a send (or a call of a function of the program whose only transfer on the socket is one send of known size) inside a loop that can come round to it again (not one followed by a return or break), when its size, or the capacity of the fixed-size buffer it sends from, is under 1,448 bytes; the socket is TCP, the same socket each pass, and Nagle is on (no TCP_NODELAY set on it anywhere in the program, including on the listening socket it was accepted from, no TCP_CORK/TCP_NOPUSH, no call we cannot see into named for NODELAY). Quiet when the loop also reads (request/response: write-write-read and split-request-response-channels cover that), when a full-size send rides in the same pass, when the loop only retries one send, when a long sleep (200 ms or more) or input from a person paces it, when each pass reads a file (fread, fgets on a file, ReadFile, _lread, _read) and sends what it read (a file copied in chunks: Nagle packs them into full segments), when the send sits under an if inside the loop (a flush when a buffer fills, not one record per pass), on the linux profile (one-way small records do not stall between Linux hosts: Minshall\'s Nagle and prompt ACKs of pushed segments), on macOS when nothing paces the loop, with MSG_MORE, and for overlapped sends.',
    wire: 'Nagle\'s algorithm holds a small segment while earlier data is unacknowledged. On a one-way stream the receiver has no reply to piggy-back its ACK on, so it ACKs every second segment or when its delayed-ACK timer fires (200 ms on legacy Windows, 40 ms on Windows 10/11, 40 ms+ on Linux, 100–200 ms on macOS). In a tight loop the held records coalesce into full segments and throughput holds; records that trickle out one per event each wait for that ACK, up to the timer. A Linux receiver ACKs when the application reads a pushed segment, so against Linux the stall mostly disappears (10,000 records in 20 ms measured) and what remains is one system call and one small segment with 40+ bytes of headers per record. With Winsock SO_SNDBUF = 0 each send also waits for its own ACK: 5 records/s at 200 ms (KB214397 case 1).',
    bad: `struct rec { int id; char data[60]; };                  /* 64-byte records */

void feed(SOCKET s, const struct rec *recs, int count)
{
    int i;
    for (i = 0; i < count; i++)
        send(s, (const char *)&recs[i], sizeof(struct rec), 0);
}`,
    good: `struct rec { int id; char data[60]; };

void feed(SOCKET s, const struct rec *recs, int count)
{
    /* one send for the whole batch (send_all loops over partial sends) */
    send_all(s, (const char *)recs, count * (int)sizeof(struct rec));
}`,
    fix: 'Coalesce records into one buffer and send it once (or use writev / WSASend with several buffers). If each record must leave at once, set TCP_NODELAY (the quick fix sets it right after the socket is created).',
    related: ['None: no linter checks send sizes against Nagle.', 'Microsoft KB214397 recommendations 1 and 3.'],
    csharp: ".NET leaves Nagle on for `Socket` and `TcpClient` (`NoDelay` defaults to false), so a loop of small `Send()`s or `NetworkStream.Write()`s stalls the same way as in C. Fix: join the records into one buffer per write, or set `NoDelay = true` right after the socket is created (the quick fix adds it). ASP.NET Core Kestrel and `HttpClient` set NoDelay themselves; code on raw sockets does not.",
    go: "Go's `net` package sets TCP_NODELAY on every TCP connection it dials or accepts (src/net/tcpsock.go: `newTCPConn` calls `setNoDelay(fd, true)`; the `TCPConn.SetNoDelay` documentation: \"The default is true (no delay)\"), so a loop of small `conn.Write` calls is never flagged: each write leaves at once. Fires only on a connection the file turns Nagle back on for with `SetNoDelay(false)`; the quick fix makes that call `SetNoDelay(true)`. When the per-write system call and 40-byte headers matter, batch with a `bufio.Writer` and one `Flush`, or `net.Buffers`.",
    java: 'Java leaves Nagle on for `java.net.Socket` and `SocketChannel` (the `StandardSocketOptions.TCP_NODELAY` javadoc: "The default value of this socket option is FALSE"), so a loop of small writes on the socket\'s `OutputStream` (or a `DataOutputStream`/`PrintStream` over it: each `writeInt`, `writeLong`, `write(record)` is one send) or small `SocketChannel.write()`s stalls the same way as in C. Fix: call `setTcpNoDelay(true)` right after the socket is created (the quick fix adds it; on a channel it adds `setOption(java.net.StandardSocketOptions.TCP_NODELAY, true)`), or batch the records: a `BufferedOutputStream` (or a `PrintWriter`/`BufferedWriter` without autoflush) holds them until `flush()`, and writes through one are not flagged. The values are identified by their types and what made them (`new Socket`, `ServerSocket.accept()`, `getOutputStream()`), only in files that import java.net / java.nio.channels. Netty and grpc-java set TCP_NODELAY themselves; code on raw sockets does not.',
    node: "Node.js leaves Nagle on for `net.Socket` (the docs of `socket.setNoDelay()`: \"When a TCP connection is created, it will have Nagle's algorithm enabled\"; the `noDelay` option of `net.connect()`, `new net.Socket()` and `net.createServer()` defaults to false), and `socket.write()` on a connected socket hands each chunk to the kernel at once, so a loop of small `write()`s stalls the same way as in C; so does a `setInterval` callback that writes one small record per tick (ticks of 200 ms or more are paced, and quiet). Sizes are known from string literals, `Buffer.alloc(n)` and `Buffer.from('...')`. Quiet with `setNoDelay()` (or `noDelay: true`), with `cork()`/`uncork()`, when the loop also reads, and for a loop that runs in the same tick as `net.connect()` (the socket is still connecting: `net.Socket` holds the first write until `'connect'` and flushes the rest together with one `writev`). Fix: one `write()` per batch, or `socket.setNoDelay(true)` (the quick fix adds it after the socket is made, or as the first line of the connection listener). `http.Server` (since v18) and `http.Agent` set noDelay themselves; code on `net` does not.",
    python: "Python's `socket` module leaves Nagle on (the OS default), so a loop of small `send()`/`sendall()` calls stalls the same way as in C; set `sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)` or join the records into one `sendall()`. asyncio already turns Nagle off on its TCP transports (`base_events._set_nodelay`, called by the selector and proactor transports), so small `writer.write()` calls are fine and never flagged.",
  },
  check({ model, text, headline, profile }) {
    const out: ReturnType<Rule['check']> = [];
    // Linux (Minshall's Nagle; a receiver that ACKs a pushed small segment as soon as the application
    // reads it, outside ping-pong mode) does not stall one-way small records, tight or paced: measured
    // (research §0.3) and what the simulator predicts.
    if (headline.nagle === 'minshall') return out;
    const reported = new Set<string>();
    for (const op of model.ops) {
      if (!sends(op) || op.overlappedArg || op.loops.length === 0 || op.variesPerIteration || op.flags.more || op.retryLoop || op.inBrokenCode) continue;
      const { exact, max } = sendSize(op);
      const size = exact ?? max;
      if (size === undefined || size <= 0 || size >= SMALL_BYTES) continue;
      if (notTcp(op) || probablyDatagram(model, op) || !nagleOn(op)) continue;
      // A send followed by a return (or break) in the loop runs once, not once per pass.
      if (!model.mayPrecede(op, op)) continue;
      const loop = op.loops[op.loops.length - 1];
      const key = `${op.socket?.key}@${loop.id}`;
      if (reported.has(key)) continue;
      // A read in the loop makes it request/response: on the same socket write-write-read covers it,
      // on another one split-request-response-channels does (or it is a relay).
      const readsBack = model.ops.some((o) => receives(o) && o.fnKey === op.fnKey && o.loops.some((l) => l.id === loop.id) && !probablyDatagram(model, o));
      // Sends paced by a long sleep or by input (a person typing) find the previous segment long ACKed.
      const pacedOut = op.loops.some((l) => (l.sleepMs ?? 0) >= MAX_DELAYED_ACK_MS || l.pacedByInput);
      // A small prefix before a full-size payload in the same pass: the payload fills full segments behind it.
      const bulkAlongside = model.ops.some((o) => o !== op && sends(o) && sameSocket(o, op) && o.fnKey === op.fnKey
        && o.loops.some((l) => l.id === loop.id) && (sendSize(o).max ?? 0) >= SMALL_BYTES);
      // A file copied to the socket in chunks (`fread` then `send` each pass) is a byte stream: Nagle
      // packs the chunks into full segments and only the tail can wait once; TCP_NODELAY would not help.
      const copiesFile = loop.readsFile;
      // A send under an `if` inside the loop runs in some passes only: a flush when a buffer fills
      // (`if (len + n >= sizeof out) send(...)`), which is the batching this rule asks for.
      const someRounds = op.branches.some((b) => Number(b.split(':')[0]) > loop.id);
      if (readsBack || pacedOut || bulkAlongside || copiesFile || someRounds) continue;
      // BSD/macOS stalls only when something paces the loop; back to back, the records pile up behind
      // the first segment and leave together.
      if (headline.nagle === 'bsd' && !loop.waits && !(loop.sleepMs && loop.sleepMs > 0)) continue;
      reported.add(key);
      const n = loopCount(op);
      const sndbuf = op.state.sendBuffer?.value;
      const setsZero = sndbuf === 0;
      // Winsock semantics: each send completes at its ACK. Elsewhere 0 is clamped (Linux: 4608 bytes).
      const sndbufZero = setsZero && headline.sndbufZeroCompletesAtAck;
      const nodelay = sndbufZero ? undefined : insertNodelayFix(model, text, op);
      const rn = runtimeNames(model);
      out.push({
        message: sndbufZero
          ? `${exact === undefined ? 'Up to ' : ''}${size}-byte sends in a loop with ${rn.sndbufZero}: each waits for an ACK, ~${perSecond(1000 / headline.delayedAckMs)} records/s.`
          : `${exact === undefined ? 'Up to ' : ''}${size}-byte sends in a loop with Nagle on: each record can wait up to ${headline.delayedAckMs} ms for an ACK.`,
        detail: `${wireCost(headline, size, knownLoopCount(op), sndbufZero)} ${sndbufZero
          ? `Send records in batches (one send per buffer) or drop ${rn.sndbufZero}; ${rn.nodelay} alone does not help here, since each send still waits for its ACK.`
          : `Send records in batches (one send per buffer), or set ${rn.nodelay} if each must leave at once.`}`,
        range: op.nameRange,
        related: [{ range: loop.range, message: knownLoopCount(op) !== undefined ? `the loop sends ${count(n)} small records one by one` : 'the loop sends small records one by one' }],
        fixes: nodelay ? [nodelay] : [],
        scenario: recordsScenario(profile, 'As written: one small send per record', { count: n, sizeBytes: size, ...(setsZero ? { sndbuf: 0 } : {}) }),
        fixedScenario: sndbufZero
          ? recordsScenario(profile, 'Records batched, one send per segment', { count: n, sizeBytes: size, sndbuf: 0, batch: Math.max(1, Math.floor(SMALL_BYTES / size)) })
          : recordsScenario(profile, 'With TCP_NODELAY', { count: n, sizeBytes: size, nodelay: true, ...(setsZero ? { sndbuf: 0 } : {}) }),
      });
    }
    return out;
  },
};

/** What the small sends cost on the wire under the profile (research §0, §6; KB214397 case 1). */
function wireCost(h: ProfileHeadline, size: number, knownN: number | undefined, sndbufZero: boolean): string {
  const d = h.delayedAckMs;
  if (sndbufZero) {
    return `With SO_SNDBUF = 0 each send completes only when its segment is ACKed, and a receiver with nothing to send back ACKs a lone segment when its ${d} ms delayed-ACK timer fires: ~${perSecond(1000 / d)} records/s, ${knownN !== undefined ? `${count(knownN)} records in ~${duration(knownN * d)}` : `1,000 records take ~${duration(1000 * d)}`} (KB214397 case 1 measured 5 records/s at 200 ms).`;
  }
  const perRecord = `each ${size}-byte record is a system call and a segment with 40+ bytes of headers`;
  if (h.nagle === 'classic') {
    return `Nagle holds a small segment while any earlier data is unACKed, and a Windows receiver ACKs only every second segment or when its ${d} ms delayed-ACK timer fires. In a tight loop the records coalesce and throughput holds; when they trickle (one per event), each can wait up to ${d} ms for that ACK, and ${perRecord}.`;
  }
  if (h.nagle === 'minshall') {
    return `A Linux receiver ACKs as soon as the application reads each pushed segment, so against a Linux peer this barely stalls (measured: 10,000 records of 20–100 bytes in 20 ms); ${perRecord}. Against a Windows peer, which delays its ACK up to 200 ms, a trickle of records can wait that long each.`;
  }
  return `Nagle holds a small segment while an earlier small one is unACKed, and a macOS receiver with nothing to send back delays its ACK ${d}–${2 * d} ms, so records that trickle (one per event) can wait that long each; in a tight loop they coalesce, and ${perRecord}.`;
}
