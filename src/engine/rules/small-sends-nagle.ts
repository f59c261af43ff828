// Many small sends in a loop on a one-way stream with Nagle on.
import type { Rule } from './rule';
import { isDatagram, nagleOn, receives, sameSocket } from './support/facts';
import { insertNodelayFix } from './support/fixes';
import { count, duration, perSecond } from './support/format';
import { loopCount, recordsScenario } from './support/scenarios';

/** Below one MSS a segment is "small" for Nagle. */
const SMALL_BYTES = 1448;

export const smallSendsNagle: Rule = {
  id: 'small-sends-nagle',
  title: 'Small sends in a loop with Nagle on',
  defaultSeverity: 'info',
  docs: {
    summary: 'Flags a loop that sends small records (known to be under one MSS) one send() each on a TCP socket with Nagle on and nothing read back on that socket in the loop.',
    wire: 'Nagle\'s algorithm holds a small segment while earlier data is unacknowledged. On a one-way stream the receiver has no reply to piggy-back its ACK on, so it ACKs every second segment or when its delayed-ACK timer fires (200 ms on legacy Windows, 40 ms on Windows 10/11, 40 ms+ on Linux, 100–200 ms on macOS). A Windows receiver counting segments paces a trickle of records at its timer; a Linux receiver ACKs when the application reads, so the stall is smaller, but each record still costs one system call and one small segment with 40+ bytes of headers.',
    bad: `for (i = 0; i < count; i++)
    send(s, (const char *)&rec[i], sizeof rec[i], 0);   /* 64-byte records */`,
    good: `/* one send per batch of records */
memcpy(batch, rec, count * sizeof rec[0]);
send_all(s, batch, count * sizeof rec[0]);`,
    fix: 'Coalesce records into one buffer and send it once (or use writev / WSASend with several buffers). If each record must leave at once, set TCP_NODELAY.',
    related: ['None: no linter checks send sizes against Nagle.', 'Microsoft KB214397 recommendations 1 and 3.'],
  },
  check({ model, text, headline, profile }) {
    const out: ReturnType<Rule['check']> = [];
    const reported = new Set<string>();
    for (const op of model.ops) {
      if (op.kind !== 'send' || op.overlappedArg || op.loops.length === 0 || op.accumulates || op.variesPerIteration) continue;
      const size = op.length?.value;
      if (size === undefined || size <= 0 || size >= SMALL_BYTES) continue;
      if (isDatagram(model, op.socket) || !nagleOn(model, op.socket)) continue;
      const loop = op.loops[op.loops.length - 1];
      const key = `${op.socket}@${loop.id}`;
      if (reported.has(key)) continue;
      // A read on the same socket in the loop makes it request/response (write-write-read covers that).
      const readsBack = model.ops.some((o) => receives(o) && sameSocket(model, o, op) && o.loops.some((l) => l.id === loop.id));
      if (readsBack) continue;
      reported.add(key);
      const n = loopCount(op);
      const d = headline.delayedAckMs;
      const windowsLike = headline.nagle === 'classic';
      const cost = windowsLike
        ? `a receiver with nothing to send back ACKs only every second segment or when its ${d} ms delayed-ACK timer fires, so a trickle of records can drop to ~${perSecond(1000 / d)} sends/s (${count(n)} records: up to ${duration(n * d)})`
        : `the receiver ACKs late when it has nothing to send back (a Windows peer every second segment or after its 200 ms timer), and each ${size}-byte record is a system call and a segment of its own`;
      out.push({
        message: `${op.callee}() of ${size} bytes in a loop with Nagle on and nothing read back: each small segment waits until the previous one is ACKed, and ${cost}. Send records in batches (one send per buffer), or set TCP_NODELAY if each must leave at once.`,
        range: op.nameRange,
        related: [{ range: loop.range, message: `the loop sends ${count(n)} small records one by one` }],
        fixes: [insertNodelayFix(model, text, op)].filter((f) => !!f),
        scenario: recordsScenario(profile, 'As written: one small send per record', { count: n, sizeBytes: size }),
        fixedScenario: recordsScenario(profile, 'With TCP_NODELAY', { count: n, sizeBytes: size, nodelay: true }),
      });
    }
    return out;
  },
};
