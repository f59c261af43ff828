// A request written on one connection, its response read on another (KB case study 2).
import type { ProfileHeadline } from '../../common/scenario';
import type { Rule } from './rule';
import { exclusive, nagleOn, notTcp, probablyDatagram, receives, sameSocket, sendSize, sends } from './support/facts';
import { combineFixes, insertNodelayFix } from './support/fixes';
import { isNodeRuntime } from './support/runtime-names';
import { count, duration, perSecond } from './support/format';
import { loopCount, sizeOf, twoChannelScenario } from './support/scenarios';

export const splitRequestResponseChannels: Rule = {
  id: 'split-request-response-channels',
  title: 'Request and response on two connections',
  defaultSeverity: 'info',
  docs: {
    summary: 'Flags a loop that writes a request on one TCP connection and reads its response on another, where neither connection carries traffic the other way.',
    when: 'Fires on a send on one TCP socket followed, in the same loop pass of the same function, by a recv on another TCP socket, when nothing is read on the first and nothing sent on the second in that loop, the two are not one relay (the same buffer received and forwarded), and Nagle is on for at least one of them. Quiet in event loops that serve each ready socket in its own branch, when either socket changes per pass, for overlapped sends, and for UDP.',
    wire: 'With one connection the server\'s reply carries the ACK of the request (piggy-back). With two one-way connections nothing ever rides back: the server\'s command connection delays its ACK of each request (200 ms on legacy Windows), so the client\'s next request waits in Nagle for it, and the client\'s data connection delays the ACK of each reply the same way. The KB case study measured 5 quotes/s. On a Linux receiver, which ACKs when the application reads pushed data, the stall mostly disappears, but a Windows peer brings it back.',
    bad: `for (;;) {
    send(cmd_sock, (const char *)&item, sizeof item, 0);    /* request here */
    recv(data_sock, (char *)&quote, sizeof quote, 0);       /* response there */
}`,
    good: `for (;;) {
    send_all(sock, (const char *)&item, sizeof item);    /* one connection: */
    recv_all(sock, (char *)&quote, sizeof quote);        /* the reply ACKs the request */
}`,
    fix: 'Use one connection for request and response. If two one-way channels are required, set TCP_NODELAY on both (client and server).',
    related: ['None in clang-tidy, cppcheck, CodeQL, Sonar or semgrep.', 'Microsoft KB214397, case study 2.'],
    csharp: "Applies to C# code that writes requests on one `Socket`/`TcpClient` and reads the responses from another; the quick fix sets `NoDelay = true` on both.",
    go: "Go's `net` package sets TCP_NODELAY on every TCP connection it dials or accepts (src/net/tcpsock.go: `newTCPConn` calls `setNoDelay(fd, true)`; the `TCPConn.SetNoDelay` documentation: \"The default is true (no delay)\"), so requests on one connection and responses on another do not wait in Nagle and are not flagged. Fires only when the file calls `SetNoDelay(false)`; the quick fix makes those calls `SetNoDelay(true)`.",
    java: 'Applies to Java code that writes requests on one `Socket`/`SocketChannel` and reads the responses from another, as in C; the fix is `setTcpNoDelay(true)` on both.',
    node: "Applies to Node.js code that writes requests on one `net.Socket` and reads the responses from another (its `'data'` listener, `await once(other, 'data')`); the quick fix calls `setNoDelay(true)` on both.",
    python: "Applies to Python code that writes requests on one socket and reads the responses from another, as in C.",
  },
  check({ model, text, headline, profile }) {
    const out: ReturnType<Rule['check']> = [];
    const reported = new Set<string>();
    for (const read of model.ops) {
      if (!receives(read) || read.loops.length === 0 || read.variesPerIteration || notTcp(read) || probablyDatagram(model, read) || !read.socket || read.inBrokenCode) continue;
      for (const req of model.ops) {
        if (!sends(req) || req.fnKey !== read.fnKey || req.index > read.index || !req.socket || req.variesPerIteration || req.overlappedArg) continue;
        // The deepest loop holding both: the response may be read in an inner recv-all loop.
        const loop = [...read.loops].reverse().find((l) => req.loops.some((r) => r.id === l.id));
        if (!loop) continue;
        const inLoop = model.ops.filter((o) => o.fnKey === read.fnKey && o.loops.some((l) => l.id === loop.id));
        if (sameSocket(req, read) || notTcp(req) || probablyDatagram(model, req) || exclusive(req, read) || !model.mayPrecede(req, read)) continue;
        // An event loop (select/poll/wait) serving each ready socket under its own `if`: a write on
        // one and a read on another are independent, not a request and its response.
        const dispatched = loop.waits && req.branches.join() !== read.branches.join();
        if (dispatched) continue;
        // One-way channels: nothing read on the request socket, nothing sent on the response socket.
        if (inLoop.some((o) => receives(o) && sameSocket(o, req))) continue;
        if (inLoop.some((o) => sends(o) && sameSocket(o, read))) continue;
        // A relay (recv from one, forward to the other) moves the same buffer: not this pattern.
        if (req.buffer?.key && req.buffer.key === read.buffer?.key) continue;
        if (!nagleOn(req) && !nagleOn(read)) continue;
        const key = `${req.socket.key}|${read.socket.key}|${loop.id}`;
        if (reported.has(key)) continue;
        reported.add(key);
        // Count requests by the loops around the request (an inner recv-all loop's bound is bytes).
        const n = loopCount(req);
        const bound = req.loops.map((l) => l.constantBound).find((b) => b !== undefined);
        // The second connection's flag gets its own name: both may be set in one function.
        const both = combineFixes(model.language === 'go' ? 'Keep Go\'s TCP_NODELAY on both connections: SetNoDelay(true)' : model.language === 'java' ? 'Call setTcpNoDelay(true) on both connections' : isNodeRuntime(model) ? 'Call setNoDelay(true) on both connections' : 'Set TCP_NODELAY on both connections', [insertNodelayFix(model, text, req), insertNodelayFix(model, text, read, undefined, ['nodelay'])]);
        const fixes = both ? [both] : [];
        out.push({
          message: `The request goes out on ${req.socket.text} but its reply comes back on ${read.socket.text}: no ACK can ride on a reply, ${shortCost(headline)}.`,
          detail: `The request is sent on ${req.socket.text} and its response read on ${read.socket.text}: no ACK can ride on a reply, so each request waits (Nagle) for an ACK the server delays, and each response is held the same way on the other connection. ${channelCost(headline, n, bound !== undefined)} Use one connection for request and response, or ${model.language === 'go' ? 'leave Go\'s TCP_NODELAY on (drop SetNoDelay(false)) on both ends' : `set ${isNodeRuntime(model) ? 'socket.setNoDelay(true)' : model.language === 'java' ? 'setTcpNoDelay(true)' : 'TCP_NODELAY'} on both ends`}.`,
          range: req.nameRange,
          related: [{ range: read.range, message: 'the response is read on a different connection' }],
          fixes,
          scenario: twoChannelScenario(profile, 'As written: two one-way connections', { count: Math.min(n, 2000), sizeBytes: sendSize(req).exact ?? sizeOf(req, 8), responseBytes: read.length?.value ?? 64 }),
          fixedScenario: twoChannelScenario(profile, 'One connection for request and response', { count: Math.min(n, 2000), sizeBytes: sizeOf(req, 8), responseBytes: read.length?.value ?? 64, singleConnection: true }),
        });
      }
    }
    return out;
  },
};

/** The cost in a few words for the one-line message. */
function shortCost(h: ProfileHeadline): string {
  if (h.nagle === 'minshall') return 'so a Windows or macOS peer delays every request';
  return `~${perSecond(1000 / (h.nagle === 'bsd' ? 2 * h.delayedAckMs : h.delayedAckMs))} requests/s`;
}

/** Requests per second under the profile (KB214397 case 2; research §0 item 3, §5.2). */
function channelCost(h: ProfileHeadline, n: number, known: boolean): string {
  const d = h.delayedAckMs;
  if (h.nagle === 'minshall') {
    return `A Linux server ACKs each request as soon as its application reads it, so between Linux hosts this barely stalls (measured ~85,000 requests/s); against a Windows peer (200 ms legacy, 40 ms on 10/11) or a macOS one (100–200 ms) each request waits that long.`;
  }
  const wait = h.nagle === 'bsd' ? `${d}–${2 * d} ms` : `~${d} ms`;
  const rate = 1000 / (h.nagle === 'bsd' ? 2 * d : d);
  const total = known && n > 1 ? ` (${count(n)} requests: ~${duration(n * 1000 / rate)})` : '';
  return `Each request pays RTT + ${wait}: about ${perSecond(rate)} requests/s${total}; KB214397 case 2 measured 5 quotes/s with a 200 ms timer.`;
}
