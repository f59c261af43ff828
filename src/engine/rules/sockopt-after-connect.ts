// SO_RCVBUF raised after connect()/accept(): the window scale was fixed by the SYN.
import type { Rule } from './rule';
import type { ProfileHeadline, ProfileName } from '../../common/scenario';
import type { SocketModel, SocketOp } from '../model';
import { acceptedAt, exclusive, isDatagram } from './support/facts';
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
    wire: 'The window scale option is exchanged only in the SYN and SYN-ACK, from the receive buffer the socket has at that moment. A larger SO_RCVBUF set afterwards is accepted (getsockopt even reports it), but the window the peer sees stays bounded by 65,535 << the scale chosen at the handshake: without scaling, 64 KB per round trip, about 10 Mbit/s at 50 ms RTT however fast the link. Packet captures show the difference; getsockopt does not. Stacks that negotiate a scale by default (Windows 10/11 autotuning, Linux from tcp_rmem, macOS) often still reach the larger window, but only up to 65,535 << the scale the SYN chose, and on Linux a fixed SO_RCVBUF also turns off autotuning; legacy Windows (8 KB default, no scaling) stays at 64 KB. SO_SNDBUF after connect is fine.',
    bad: `connect(s, (struct sockaddr *)&addr, sizeof addr);
int rcv = 4 * 1024 * 1024;
setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&rcv, sizeof rcv);   /* too late */`,
    good: `int rcv = 4 * 1024 * 1024;
setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&rcv, sizeof rcv);   /* before the SYN */
connect(s, (struct sockaddr *)&addr, sizeof addr);`,
    fix: 'Set SO_RCVBUF before connect(). For accepted sockets, set it on the listening socket before listen(): accepted sockets inherit it.',
    related: ['None in clang-tidy, cppcheck, CodeQL, Sonar or semgrep.'],
  },
  check({ model, text, profile, headline }) {
    const out: ReturnType<Rule['check']> = [];
    for (const sym of model.sockets.values()) {
      for (const opt of sym.options) {
        if (!/SO_RCVBUF/.test(opt.name) || opt.value === undefined || opt.value <= UNSCALED_MAX) continue;
        const setOp = model.ops.find((o) => o.range === opt.range);
        if (!setOp || isDatagram(model, setOp.socket)) continue;
        const connect = connectBefore(model, setOp);
        // A socket returned by a helper of this file that connects it before returning.
        const factoryConnect = connect ? undefined
          : sym.equals.map((k) => model.sockets.get(k)).find((s) => s && s.connects.length > 0 && !s.key.includes(`:${setOp.fn}:`))?.connects[0];
        const accepted = connect || factoryConnect ? undefined : acceptedAt(model, setOp);
        if (!connect && !factoryConnect && !accepted) continue;
        const when = connect ? 'after connect()' : factoryConnect ? 'on a socket its helper already connected' : 'on an accepted socket, after the handshake';
        const fix = connect && opt.statementRange && connect.statement && setOp.statement && connect.statement.block === setOp.statement.block
          && valueDefinedBefore(text, opt.valueText, connect.statement.range.start.line)
          ? moveStatementFix('Move this setsockopt before connect()', text, opt.statementRange, connect.statement.range) : undefined;
        const connectRange = connect?.range ?? factoryConnect;
        out.push({
          message: `SO_RCVBUF = ${bytes(opt.value)} set ${when}: the window scale is fixed by the SYN, so the peer is never shown a window above 65,535 << the scale chosen then. ${windowText(profile, headline)} ${accepted ? 'Set it on the listening socket before listen() (accepted sockets inherit it).' : 'Set it before connect().'}`,
          range: opt.range,
          related: connectRange ? [{ range: connectRange, message: 'the connection is established here, before the buffer is enlarged' }]
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

/** The connect() of this socket object earlier in the same function (no new socket() in between). */
function connectBefore(model: SocketModel, setOp: SocketOp): SocketOp | undefined {
  const same = model.ops.filter((o) => o.fn === setOp.fn && o.index < setOp.index && o.socket === setOp.socket);
  for (let i = same.length - 1; i >= 0; i--) {
    if (same[i].kind === 'socket' || same[i].kind === 'accept') return undefined;
    if (same[i].kind === 'connect' && !exclusive(same[i], setOp)) return same[i];
  }
  return undefined;
}

/** What the late buffer costs under the profile (research §0 item 10, §6 "Window scale"). */
function windowText(profile: ProfileName, h: ProfileHeadline): string {
  const capMbps = ((UNSCALED_MAX * 8) / 0.05 / 1e6).toFixed(0);
  if (profile === 'windows-legacy') {
    return `Legacy Windows starts from an 8 KB receive buffer and negotiates no scaling for it, so the window stays at most 64 KB: about ${capMbps} Mbit/s at 50 ms RTT however fast the link (50 MB takes ~40 s instead of ~1 s). getsockopt reports the new size; only a packet capture shows the difference.`;
  }
  const who = h.nagle === 'minshall' ? 'Linux picks the scale at the SYN from tcp_rmem/rmem_max, and setting SO_RCVBUF at all turns off receive autotuning for this socket'
    : h.nagle === 'bsd' ? 'macOS negotiates a scale at the SYN by default'
      : 'Windows 10/11 negotiates a scale at the SYN for receive-window autotuning';
  return `${who}, so here the larger buffer is usually still reachable; but against a stack that negotiated no scaling the window stays at 64 KB (about ${capMbps} Mbit/s at 50 ms RTT), and getsockopt will not tell you which happened.`;
}

/** The value moved with the statement must exist before its new place (a literal, or declared earlier). */
function valueDefinedBefore(text: string, valueText: string, line: number): boolean {
  const name = /^[A-Za-z_]\w*$/.exec(valueText.trim())?.[0];
  if (!name) return /^[\d\s*+()<xXa-fA-F]+$/.test(valueText.trim());
  const before = text.split('\n').slice(0, line).join('\n');
  return new RegExp(`\\b${name}\\b\\s*(=|;|\\[)`).test(before);
}
