// Many small sends in a loop on a one-way stream with Nagle on.
import type { LoopInfo, SocketOp } from '../model';
import type { Rule } from './rule';
import type { ProfileHeadline } from '../../common/scenario';
import { isDatagram, nagleOn, options, receives, sameSocket, sends } from './support/facts';
import { insertNodelayFix } from './support/fixes';
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
    fix: 'Coalesce records into one buffer and send it once (or use writev / WSASend with several buffers). If each record must leave at once, set TCP_NODELAY.',
    related: ['None: no linter checks send sizes against Nagle.', 'Microsoft KB214397 recommendations 1 and 3.'],
  },
  check({ model, text, headline, profile }) {
    const out: ReturnType<Rule['check']> = [];
    const reported = new Set<string>();
    for (const op of model.ops) {
      // A helper of this file that does one constant-size send counts as that send.
      const isSend = op.kind === 'send' || (op.kind === 'helper' && sends(op));
      // `accumulates` is no reason to skip: `&rec[i]` with `sizeof rec[i]` is one record per pass, and a
      // send-all loop's length (`len - sent`) is not a constant, so the size test below drops it.
      if (!isSend || op.overlappedArg || op.loops.length === 0 || op.variesPerIteration || /MSG_MORE/.test(op.flags ?? '')) continue;
      // A length that is not a constant is still bounded by a fixed-size buffer (`char rec[100]`).
      const exact = op.length?.value;
      const size = exact ?? op.bufferCapacity;
      if (size === undefined || size <= 0 || size >= SMALL_BYTES) continue;
      if (isDatagram(model, op.socket) || !nagleOn(model, op.socket)) continue;
      const loop = op.loops[op.loops.length - 1];
      const key = `${op.socket}@${loop.id}`;
      if (reported.has(key)) continue;
      // A read in the loop makes it request/response: on the same socket write-write-read covers it,
      // on another one split-request-response-channels does (or it is a relay).
      const readsBack = model.ops.some((o) => receives(o) && o.fn === op.fn && o.loops.some((l) => l.id === loop.id) && !isDatagram(model, o.socket));
      // A heartbeat (`Sleep(30000); send(ping)`): by the next send the last one was ACKed long ago,
      // even by a 200 ms delayed-ACK timer, so Nagle has nothing to wait for.
      // Sends paced by a long sleep or by input (a person typing) find the previous segment long ACKed.
      const pacedOut = op.loops.some((l) => (l.sleepMs ?? 0) >= MAX_DELAYED_ACK_MS || l.pacedByInput);
      // A small prefix before a full-size payload in the same pass (`send(&len, 4); send(chunk, 64 KB)`):
      // the payload fills full segments right behind it, so the stream keeps moving.
      const bulkAlongside = model.ops.some((o) => o !== op && sends(o) && sameSocket(model, o, op) && o.fn === op.fn
        && o.loops.some((l) => l.id === loop.id) && (o.length?.value ?? 0) >= SMALL_BYTES);
      if (readsBack || pacedOut || bulkAlongside || retriesOneSend(text, op, loop)) continue;
      reported.add(key);
      const n = loopCount(op);
      const setsZero = options(model, op.socket, /SO_SNDBUF/).some((o) => o.value === 0);
      // Winsock semantics: each send completes at its ACK. Elsewhere 0 is clamped (Linux: 4608 bytes).
      const sndbufZero = setsZero && headline.sndbufZeroCompletesAtAck;
      out.push({
        message: `${op.callee}() of ${exact === undefined ? 'up to ' : ''}${size} bytes per iteration with Nagle on and nothing read back: ${wireCost(headline, size, knownLoopCount(op), sndbufZero)} ${sndbufZero
          ? 'Send records in batches (one send per buffer) or drop SO_SNDBUF = 0; TCP_NODELAY alone does not help here, since each send still waits for its ACK.'
          : 'Send records in batches (one send per buffer), or set TCP_NODELAY if each must leave at once.'}`,
        range: op.nameRange,
        related: [{ range: loop.range, message: knownLoopCount(op) !== undefined ? `the loop sends ${count(n)} small records one by one` : 'the loop sends small records one by one' }],
        // With SO_SNDBUF = 0 the wait is for the ACK, not Nagle: TCP_NODELAY would not fix it.
        fixes: sndbufZero ? [] : [insertNodelayFix(model, text, op)].filter((f) => !!f),
        scenario: recordsScenario(profile, 'As written: one small send per record', { count: n, sizeBytes: size, ...(setsZero ? { sndbuf: 0 } : {}) }),
        fixedScenario: sndbufZero
          ? recordsScenario(profile, 'Records batched, one send per segment', { count: n, sizeBytes: size, sndbuf: 0, batch: Math.max(1, Math.floor(SMALL_BYTES / size)) })
          : recordsScenario(profile, 'With TCP_NODELAY', { count: n, sizeBytes: size, nodelay: true, ...(setsZero ? { sndbuf: 0 } : {}) }),
      });
    }
    return out;
  },
};

/**
 * The loop repeats one send until it goes through (`while (send(..) == SOCKET_ERROR)`,
 * `do n = send(..); while (n == SOCKET_ERROR && ..)`, `if (send(..) != SOCKET_ERROR) break;`):
 * that is one record, not a stream of them.
 */
function retriesOneSend(text: string, op: SocketOp, loop: LoopInfo): boolean {
  const cond = loop.conditionText;
  if (new RegExp(`\\b${op.callee}\\s*\\(`).test(cond)) return true;
  const v = op.result.variable;
  if (v && /^\w+$/.test(v) && new RegExp(`\\b${v}\\b`).test(cond)) return true;
  if (!op.statement) return false;
  const lines = text.split('\n').slice(op.statement.range.start.line, op.statement.range.end.line + 1).join('\n');
  const m = /^\s*if\s*\(([\s\S]*?)\)\s*\{?\s*break\s*;/.exec(lines);
  return !!m && m[1].includes(op.callee) && /!=\s*(SOCKET_ERROR|-\s*1)\b|>=?\s*0\b|==\s*\(?\s*(int\s*\)\s*)?(sizeof|\w*len)/.test(m[1]);
}

/** What the small sends cost on the wire under the profile (research §0, §6; KB214397 case 1). */
function wireCost(h: ProfileHeadline, size: number, knownN: number | undefined, sndbufZero: boolean): string {
  const d = h.delayedAckMs;
  if (sndbufZero) {
    // Winsock SO_SNDBUF = 0: each send completes only when its segment is ACKed, and a lone segment waits for the timer.
    return `with SO_SNDBUF = 0 each send completes only when its segment is ACKed, and a receiver with nothing to send back ACKs a lone segment when its ${d} ms delayed-ACK timer fires: ~${perSecond(1000 / d)} records/s, ${knownN !== undefined ? `${count(knownN)} records in ~${duration(knownN * d)}` : `1,000 records take ~${duration(1000 * d)}`} (KB214397 case 1 measured 5 records/s at 200 ms).`;
  }
  const perRecord = `each ${size}-byte record is a system call and a segment with 40+ bytes of headers`;
  if (h.nagle === 'classic') {
    return `a small segment is held while any earlier data is unACKed, and a Windows receiver ACKs only every second segment or when its ${d} ms delayed-ACK timer fires. In a tight loop the records coalesce and throughput holds; when they trickle (one per event), each can wait up to ${d} ms for that ACK, and ${perRecord}.`;
  }
  if (h.nagle === 'minshall') {
    return `a Linux receiver ACKs as soon as the application reads each pushed segment, so against a Linux peer this barely stalls (measured: 10,000 records of 20–100 bytes in 20 ms); ${perRecord}. Against a Windows peer, which delays its ACK up to 200 ms, a trickle of records can wait that long each.`;
  }
  return `a small segment is held while an earlier small one is unACKed, and a macOS receiver with nothing to send back delays its ACK ${d}–${2 * d} ms, so records that trickle (one per event) can wait that long each; in a tight loop they coalesce, and ${perRecord}.`;
}
