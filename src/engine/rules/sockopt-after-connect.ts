// SO_RCVBUF raised after connect()/accept(): the window scale was fixed by the SYN.
import type { Rule } from './rule';
import { symbols } from './support/facts';
import { moveStatementFix } from './support/fixes';
import { bytes } from './support/format';
import { bulkScenario } from './support/scenarios';

/** Without window scaling the advertised window cannot exceed 65,535 bytes. */
const UNSCALED_MAX = 65535;

export const sockoptAfterConnect: Rule = {
  id: 'sockopt-after-connect',
  title: 'SO_RCVBUF set after the connection is established',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags SO_RCVBUF set to more than 64 KB on a socket after connect(), or on a socket returned by accept().',
    wire: 'The window scale option is exchanged only in the SYN and SYN-ACK, from the receive buffer the socket has at that moment. A larger SO_RCVBUF set afterwards is accepted (getsockopt even reports it), but the window the peer sees stays bounded by 65,535 << the scale chosen at the handshake: without scaling, 64 KB per round trip, about 10 Mbit/s at 50 ms RTT however fast the link. Packet captures show the difference; getsockopt does not. SO_SNDBUF after connect is fine.',
    bad: `connect(s, (struct sockaddr *)&addr, sizeof addr);
int rcv = 4 * 1024 * 1024;
setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&rcv, sizeof rcv);   /* too late */`,
    good: `int rcv = 4 * 1024 * 1024;
setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&rcv, sizeof rcv);   /* before the SYN */
connect(s, (struct sockaddr *)&addr, sizeof addr);`,
    fix: 'Set SO_RCVBUF before connect(). For accepted sockets, set it on the listening socket before listen(): accepted sockets inherit it.',
    related: ['None in clang-tidy, cppcheck, CodeQL, Sonar or semgrep.'],
  },
  check({ model, text, profile }) {
    const out: ReturnType<Rule['check']> = [];
    for (const sym of model.sockets.values()) {
      for (const opt of sym.options) {
        if (!/SO_RCVBUF/.test(opt.name) || opt.value === undefined || opt.value <= UNSCALED_MAX) continue;
        const setOp = model.ops.find((o) => o.range === opt.range);
        if (!setOp) continue;
        const connect = model.ops.find((o) => o.kind === 'connect' && o.fn === setOp.fn && o.index < setOp.index && o.socket === setOp.socket);
        const accepted = symbols(model, sym.key).find((s) => s.origin === 'accept');
        if (!connect && !accepted) continue;
        const capMbps = (UNSCALED_MAX * 8) / 0.05 / 1e6;
        const when = connect ? 'after connect()' : 'on an accepted socket, after the handshake';
        const fix = connect && opt.statementRange && connect.statement && setOp.statement && connect.statement.block === setOp.statement.block
          && valueDefinedBefore(text, opt.valueText, connect.statement.range.start.line)
          ? moveStatementFix('Move this setsockopt before connect()', text, opt.statementRange, connect.statement.range) : undefined;
        out.push({
          message: `SO_RCVBUF = ${bytes(opt.value)} set ${when}: the window scale was fixed by the SYN, so the peer never sees a window above what was negotiated then (64 KB without scaling: about ${capMbps.toFixed(0)} Mbit/s at 50 ms RTT). ${connect ? 'Set it before connect().' : 'Set it on the listening socket before listen().'}`,
          range: opt.range,
          related: connect ? [{ range: connect.range, message: 'the connection is established here, before the buffer is enlarged' }]
            : accepted?.createdAt ? [{ range: accepted.createdAt, message: 'the connection was accepted here' }] : [],
          fixes: fix ? [fix] : [],
          scenario: bulkScenario(profile, 'As written: receive buffer set after the handshake', { rcvbuf: opt.value, rcvbufAfterAccept: true }),
          fixedScenario: bulkScenario(profile, 'Receive buffer set before the handshake', { rcvbuf: opt.value, rcvbufAfterAccept: false }),
        });
      }
    }
    return out;
  },
};

/** The value moved with the statement must exist before its new place (a literal, or declared earlier). */
function valueDefinedBefore(text: string, valueText: string, line: number): boolean {
  const name = /^[A-Za-z_]\w*$/.exec(valueText.trim())?.[0];
  if (!name) return /^[\d\s*+()<xXa-fA-F]+$/.test(valueText.trim());
  const before = text.split('\n').slice(0, line).join('\n');
  return new RegExp(`\\b${name}\\b\\s*(=|;|\\[)`).test(before);
}
