// SO_SNDBUF = 0 on a socket that is not used with overlapped I/O (KB case study 1).
import type { Rule } from './rule';
import { nagleOn, notTcp, probablyDatagram, sameSocketOps, sends } from './support/facts';
import { removeSetsockoptFix } from './support/fixes';
import { loopCount, recordsScenario, sizeOf } from './support/scenarios';
import { count, duration, perSecond } from './support/format';
import { runtimeNames } from './support/runtime-names';

/** Go's Write on Windows keeps one overlapped WSASend in flight per connection (internal/poll/fd_windows.go) and waits for it. */
const GO_ADVICE = 'Go writes on Windows with one overlapped WSASend at a time per connection and waits for it to complete, so Write waits like a blocking send: keep the default send buffer (remove SetWriteBuffer(0)).';

export const sndbufZeroWithoutOverlapped: Rule = {
  id: 'sndbuf-zero-without-overlapped',
  title: 'SO_SNDBUF = 0 without overlapped I/O',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags `SO_SNDBUF` set to 0 on a TCP socket whose sends are not overlapped (no WSA_FLAG_OVERLAPPED, no WSASend with an OVERLAPPED, no I/O completion port), wherever in the program the socket was configured.',
    when: 'Fires on a setsockopt(SO_SNDBUF) whose value evaluates to 0 (a literal, a constant, a variable holding 0, a macro), on a socket the analysis cannot show to be UDP, a Unix-domain socket or overlapped. The overlapped evidence is looked for on every location the socket flows through: the WSASocket that created it, a WSASend with an OVERLAPPED on it in any function, or CreateIoCompletionPort on it. Quiet for non-zero sizes, for sizes it cannot evaluate, and for overlapped sockets. Quiet too when no plain send on that socket is found but the file sends with overlapped WSASend (SO_SNDBUF = 0 on a listening socket whose accepted sockets are used with IOCP).',
    wire: 'With a zero send buffer Winsock cannot copy the data into the kernel, so a blocking send completes only when the peer has ACKed it. One send is outstanding at a time: each costs the round trip plus, when the segment is alone and the peer has nothing to send back, the peer\'s delayed-ACK timer (200 ms on legacy Windows, 40 ms on Windows 10/11). The KB case study sent 10,000 records of 20–100 bytes this way: 5 records/s, over 30 minutes in all. Linux clamps SO_SNDBUF to 4,608 bytes, so there the setting buys nothing and the stall is smaller, but the code still carries the Windows hazard. SO_SNDBUF = 0 is only worth it with overlapped sends kept in flight (double buffering), where it saves a copy.',
    bad: `int zero = 0;
setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&zero, sizeof zero);
for (i = 0; i < 10000; i++)
    send(s, records[i].data, records[i].len, 0);   /* each waits for the ACK */`,
    good: `/* keep the default send buffer: send() returns once the data is copied */
for (i = 0; i < 10000; i += 80)
    send_all(s, batch_of_80_records(i), batch_len);`,
    fix: 'Remove the `setsockopt(SO_SNDBUF, 0)` call (the quick fix removes it, and its value variable when nothing else uses it). If you need zero-copy sends, use overlapped WSASend with two or more buffers in flight.',
    related: ['None: clang-tidy, cppcheck, CodeQL, Sonar and semgrep have no rule for this.', 'Microsoft KB214397 (Design issues: sending small data segments over TCP with Winsock).'],
    node: "Cannot happen in Node.js: `net.Socket` exposes no `SO_SNDBUF`, and libuv's writes are non-blocking with Node's own queue in front.",
    csharp: "`SendBufferSize = 0` (or `SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.SendBuffer, 0)`) on a `Socket`/`TcpClient` whose sends are synchronous (`Send`, `NetworkStream.Write`): on Windows each then completes only when the peer has ACKed it. Quiet when the socket is also used with the async methods (`SendAsync`, `ReceiveAsync`, `BeginSend`, `NetworkStream.WriteAsync`/`ReadAsync`), which .NET runs as overlapped I/O on an I/O completion port. Quick fix: remove the assignment.",
    go: "`SetWriteBuffer(0)` on a TCP connection. On Windows, Go writes with overlapped `WSASend` but keeps one operation in flight per connection and waits for it (src/internal/poll/fd_windows.go, `FD.Write` through `execIO`), so with no send buffer each `Write` completes only at the peer's ACK, as a blocking send does (read from the runtime's source; not measured here). Linux clamps it to its minimum. The quick fix removes the call.",
    java: 'Cannot happen in Java: `Socket.setSendBufferSize(0)` throws `IllegalArgumentException` ("if the value is 0 or is negative"), and `setOption(StandardSocketOptions.SO_SNDBUF, 0)` is rejected the same way, so this rule stays silent on Java code.',
    python: "Applies to `sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 0)` in Python; the numbers depend on the profile (Windows: each send waits for its ACK).",
  },
  check({ model, headline, profile }) {
    const out: ReturnType<Rule['check']> = [];
    // Java rejects a send buffer of 0 (setSendBufferSize throws IllegalArgumentException): it cannot happen there.
    if (model.language === 'java') return out;
    for (const op of model.ops) {
      if (op.kind !== 'setsockopt' || op.option?.name !== 'SO_SNDBUF' || op.option.value !== 0) continue;
      if (notTcp(op) || probablyDatagram(model, op) || op.state.overlapped) continue;
      const plainSends = sameSocketOps(model, op).filter((o) => sends(o) && !o.overlappedArg);
      const firstSend = plainSends.find((o) => o.index > op.index) ?? plainSends[0];
      // Set on a listening socket (accepted sockets inherit it) of a program that sends with
      // overlapped WSASend: the IOCP zero-buffer idiom, not a blocking send waiting for ACKs.
      if (!firstSend && model.ops.some((o) => sends(o) && o.overlappedArg)) continue;
      const d = headline.delayedAckMs;
      const bound = firstSend?.loops.map((l) => l.constantBound).find((b) => b !== undefined);
      const n = firstSend ? loopCount(firstSend) : 10_000;
      const rate = perSecond(1000 / d);
      const total = bound !== undefined ? `${count(n)} sends take ${duration(n * d)}` : `1,000 sends take ${duration(1000 * d)}`;
      const rn = runtimeNames(model);
      const goWrites = model.language === 'go';
      const message = headline.sndbufZeroCompletesAtAck
        ? `${rn.sndbufZero} makes each send wait for the peer's ACK: ~${rate} sends/s against a ${d} ms delayed ACK.`
        : `${rn.sndbufZero} makes each Windows send wait for its ACK (~5 sends/s); ${headline.label} just clamps it.`;
      const detail = headline.sndbufZeroCompletesAtAck
        ? `With no send buffer, a blocking send completes only when the peer has ACKed its data. A lone segment is ACKed when the peer's ${d} ms delayed-ACK timer fires (it has nothing to send back to piggy-back on), so sends run at about ${rate}/s: ${total}. KB214397 case 1 measured 5 records/s with a 200 ms timer. ${goWrites ? GO_ADVICE : 'Keep the default send buffer, or use overlapped WSASend with two or more buffers in flight.'}`
        : `${headline.label} clamps SO_SNDBUF to its minimum, so the setting buys nothing here; on Windows the same code makes each blocking send wait for its ACK, about 5 sends/s against a 200 ms delayed ACK (KB214397 case 1). ${goWrites ? GO_ADVICE : 'Remove it, or use overlapped WSASend with buffers in flight.'}`;
      const fix = removeSetsockoptFix(op, `Remove ${rn.sndbufZero} (keep the default send buffer)`);
      out.push({
        message, detail,
        range: op.range,
        related: firstSend ? [{ range: firstSend.range, message: 'this blocking send waits for the peer\'s ACK' }] : [],
        fixes: fix ? [fix] : [],
        scenario: recordsScenario(profile, 'As written: SO_SNDBUF = 0', { count: n, sizeBytes: sizeOf(firstSend, [20, 100]), sndbuf: 0, nodelay: !nagleOn(op) }),
        fixedScenario: recordsScenario(profile, 'With the default send buffer', { count: n, sizeBytes: sizeOf(firstSend, [20, 100]), nodelay: !nagleOn(op) }),
      });
    }
    return out;
  },
};
