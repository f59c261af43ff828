// SO_SNDBUF = 0 on a socket that is not used with overlapped I/O (KB case study 1).
import type { Rule } from './rule';
import { isDatagram, nagleOn, overlapped, sameSocket } from './support/facts';
import { removeStatementFix } from './support/fixes';
import { loopCount, recordsScenario, sizeOf } from './support/scenarios';
import { count, duration, perSecond } from './support/format';

export const sndbufZeroWithoutOverlapped: Rule = {
  id: 'sndbuf-zero-without-overlapped',
  title: 'SO_SNDBUF = 0 without overlapped I/O',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags `SO_SNDBUF` set to 0 on a socket whose sends are not overlapped (no WSA_FLAG_OVERLAPPED, no WSASend with an OVERLAPPED, no IOCP).',
    wire: 'With a zero send buffer Winsock cannot copy the data into the kernel, so a blocking send completes only when the peer has ACKed it. One send is outstanding at a time: each costs the round trip plus, when the segment is alone and the peer has nothing to send back, the peer\'s delayed-ACK timer (200 ms on legacy Windows, 40 ms on Windows 10/11). The KB case study sent 10,000 records of 20–100 bytes this way: 5 records/s, over 30 minutes in all. Linux clamps SO_SNDBUF to 4,608 bytes, so there the setting buys nothing and the stall is smaller, but the code still carries the Windows hazard. SO_SNDBUF = 0 is only worth it with overlapped sends kept in flight (double buffering), where it saves a copy.',
    bad: `int zero = 0;
setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&zero, sizeof zero);
for (i = 0; i < 10000; i++)
    send(s, records[i].data, records[i].len, 0);   /* each waits for the ACK */`,
    good: `/* keep the default send buffer: send() returns once the data is copied */
for (i = 0; i < 10000; i += 80)
    send_all(s, batch_of_80_records(i), batch_len);`,
    fix: 'Remove the `setsockopt(SO_SNDBUF, 0)` call. If you need zero-copy sends, use overlapped WSASend with two or more buffers in flight.',
    related: ['None: clang-tidy, cppcheck, CodeQL, Sonar and semgrep have no rule for this.', 'Microsoft KB214397 (Design issues: sending small data segments over TCP with Winsock).'],
  },
  check({ model, headline, profile }) {
    const out: ReturnType<Rule['check']> = [];
    for (const sym of model.sockets.values()) {
      for (const opt of sym.options) {
        if (!/SO_SNDBUF/.test(opt.name) || opt.value !== 0) continue;
        if (isDatagram(model, sym.key) || overlapped(model, sym.key)) continue;
        const setOp = model.ops.find((o) => o.range === opt.range);
        const firstSend = model.ops.find((o) => o.kind === 'send' && !o.overlappedArg && setOp && sameSocket(model, o, setOp));
        const d = headline.delayedAckMs;
        const bound = firstSend?.loops.map((l) => l.constantBound).find((b) => b !== undefined);
        const n = firstSend ? loopCount(firstSend) : 10_000;
        // Only a constant loop bound is the code's own count; otherwise the total is an illustration.
        const total = bound !== undefined ? `${count(n)} sends: ${duration(n * d)}` : `at that rate 1,000 sends take ${duration(1000 * d)}`;
        const wire = headline.sndbufZeroCompletesAtAck
          ? `each blocking send now completes only when the peer ACKs it; a lone segment waits for the peer's ${d} ms delayed ACK, so sends run at about ${perSecond(1000 / d)}/s (${total})`
          : `on Windows each blocking send would complete only when ACKed (about 5 sends/s against a 200 ms delayed ACK); ${headline.label} clamps the buffer to its minimum instead, so the setting buys nothing here`;
        out.push({
          message: `SO_SNDBUF = 0 on a socket without overlapped I/O: ${wire}. Keep the default send buffer, or use overlapped WSASend with buffers in flight.`,
          range: opt.range,
          related: firstSend ? [{ range: firstSend.range, message: 'this blocking send waits for the peer\'s ACK' }] : [],
          fixes: [removeStatementFix('Remove SO_SNDBUF = 0 (keep the default send buffer)', opt.statementRange)].filter((f) => !!f),
          scenario: recordsScenario(profile, 'As written: SO_SNDBUF = 0', { count: n, sizeBytes: sizeOf(firstSend, [20, 100]), sndbuf: 0, nodelay: !nagleOn(model, sym.key) }),
          fixedScenario: recordsScenario(profile, 'With the default send buffer', { count: n, sizeBytes: sizeOf(firstSend, [20, 100]), nodelay: !nagleOn(model, sym.key) }),
        });
      }
    }
    return out;
  },
};
