// SO_RCVBUF set after connect()/accept(): the window scale was fixed by the SYN.
import type { Rule } from './rule';
import type { ProfileHeadline, ProfileName } from '../../common/scenario';
import type { SocketModel, SocketOp } from '../model';
import { notTcp } from './support/facts';
import { moveStatementFix } from './support/fixes';
import { bytes } from './support/format';
import { relatedFrom } from './support/related';
import { runtimeNames } from './support/runtime-names';
import { bulkScenario } from './support/scenarios';

/** Without window scaling the advertised window cannot exceed 65,535 bytes. */
const UNSCALED_MAX = 65535;

export const sockoptAfterConnect: Rule = {
  id: 'sockopt-after-connect',
  title: 'SO_RCVBUF set after the connection is established',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags SO_RCVBUF set to more than 64 KB on a socket after connect(), or on a socket returned by accept().',
    when: 'Fires on setsockopt(SO_RCVBUF) with a value over 65,535 bytes (a literal, a constant, a macro, a variable) when a connect() on the same socket runs before it on some path: earlier in the same function (not undone by a new socket() in between), in a function that created, connected and returned the socket, or in a caller before the call that leads here (a setsockopt in init_conn() called after connect() in main()); or when every creation of the socket is an accept(). Quiet for values of 64 KB or less, values it cannot evaluate, SO_SNDBUF (tuning the send buffer after connecting is fine), listening sockets configured before listen(), and UDP.',
    wire: 'The window scale option is exchanged only in the SYN and SYN-ACK, from the receive buffer the socket has at that moment. A larger SO_RCVBUF set afterwards is accepted (getsockopt even reports it), but the window the peer sees stays bounded by 65,535 << the scale chosen at the handshake: without scaling, 64 KB per round trip, about 10 Mbit/s at 50 ms RTT however fast the link. Packet captures show the difference; getsockopt does not. Stacks that negotiate a scale by default (Windows 10/11 autotuning, Linux from tcp_rmem, macOS) often still reach the larger window, but only up to 65,535 << the scale the SYN chose, and on Linux a fixed SO_RCVBUF also turns off autotuning; legacy Windows (8 KB default, no scaling) stays at 64 KB. SO_SNDBUF after connect is fine.',
    bad: `connect(s, (struct sockaddr *)&addr, sizeof addr);
int rcv = 4 * 1024 * 1024;
setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&rcv, sizeof rcv);   /* too late */`,
    good: `int rcv = 4 * 1024 * 1024;
setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&rcv, sizeof rcv);   /* before the SYN */
connect(s, (struct sockaddr *)&addr, sizeof addr);`,
    fix: 'Set SO_RCVBUF before connect() (the quick fix moves the call when both are in one block). For accepted sockets, set it on the listening socket before listen(): accepted sockets inherit it.',
    related: ['None in clang-tidy, cppcheck, CodeQL, Sonar or semgrep.'],
    node: "Cannot happen in Node.js: `net.Socket` has no receive-buffer option (`SO_RCVBUF` is not exposed for TCP), so the window scale is always the kernel's choice.",
    csharp: "`ReceiveBufferSize = n` (or `SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, n)`) with n above 64 KB on a `Socket`/`TcpClient` after `Connect()`/`ConnectAsync()`, after `new TcpClient(host, port)` (whose constructor connects), or on a socket from `AcceptSocket()`/`AcceptTcpClient()`. Set it before `Connect()` (quick fix: moves the assignment before a `Connect()` in the same block), or on `listener.Server` before `Start()`.",
    go: "`SetReadBuffer(n)` with n above 64 KB on a connection from `net.Dial`/`DialTCP`/`DialTimeout` or a `net.Dialer`'s `Dial`/`DialContext` (connected when the call returns), or from `Accept`/`AcceptTCP`. Go's dial has no step between creating the socket and connecting it where the code could call `SetReadBuffer`; set SO_RCVBUF in the `net.Dialer`'s `Control` function (it runs before connect: `syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, n)` inside `c.Control`), or in a `net.ListenConfig`'s `Control` for a server (accepted connections inherit it). No quick fix.",
    java: 'The `java.net.Socket.setReceiveBufferSize` javadoc: "In order to be able to specify a receive window larger than 64K, the value must be set before the socket is connected: for client sockets, setReceiveBufferSize() must be called before connecting the socket to its remote peer. For sockets accepted by a ServerSocket, this must be done by calling ServerSocket.setReceiveBufferSize(int) before the ServerSocket is bound." Fires on `setReceiveBufferSize(n)` (or `setOption(StandardSocketOptions.SO_RCVBUF, n)` on a channel) with n over 64 KB after `connect()`, after `new Socket(host, port)` or `SocketChannel.open(address)` (which connect), or on a socket from `accept()`. Quick fix: move it before a `connect()` in the same block; for `new Socket(host, port)`, make the socket with `new Socket()` and connect after setting it.',
    python: "`sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, n)` after `connect()`, after `socket.create_connection()` (which returns a connected socket) or on an `accept()`ed socket, with n above 64 KB. Set it on the socket before `connect()`, or on the listening socket before `listen()`.",
  },
  check({ model, text, profile, headline }) {
    const out: ReturnType<Rule['check']> = [];
    for (const op of model.ops) {
      if (op.kind !== 'setsockopt' || op.option?.name !== 'SO_RCVBUF' || op.option.value === undefined || op.option.value <= UNSCALED_MAX) continue;
      if (notTcp(op)) continue;
      const connected = op.state.connectedBefore;
      const accepted = connected ? undefined : op.state.accepted;
      if (!connected && !accepted) continue;
      const connectOp = connected && !connected.file ? model.ops.find((o) => o.kind === 'connect' && sameRange(o.range, connected.range)) : undefined;
      const fix = connectOp ? moveFix(model, text, op, connectOp) : undefined;
      const rn = runtimeNames(model);
      const when = connected ? `after ${connectOp && model.language === 'csharp' && !connectOp.callee.startsWith('Connect') ? `new ${connectOp.callee}(host, port) connected`
        : connectOp && model.language === 'java' && connectOp.callee === 'open' ? 'SocketChannel.open(address) connected'
        : connectOp && model.language === 'java' && connectOp.callee !== 'connect' ? `new ${connectOp.callee}(host, port) connected` : rn.connect}` : 'on an accepted socket';
      const go = model.language === 'go';
      const before = go
        ? (accepted ? 'Set it on the listener before it listens (net.ListenConfig{Control: ...} calling syscall.SetsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, n)): accepted connections inherit it.' : 'Set it before the SYN in net.Dialer{Control: ...}, calling syscall.SetsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, n).')
        : model.language === 'java'
        ? (accepted ? 'Call setReceiveBufferSize on the ServerSocket before bind() (its javadoc: accepted sockets inherit it, and a size over 64 KB must be set before the ServerSocket is bound).' : 'Call it on an unconnected Socket (new Socket() with no address), then connect(); the Socket javadoc requires this for sizes over 64 KB.')
        : model.language === 'csharp'
        ? (accepted ? 'Set ReceiveBufferSize on the listening socket (listener.Server) before Start(): accepted sockets inherit it.' : 'Set it on a TcpClient/Socket made without an endpoint, then call Connect().')
        : (accepted ? 'Set it on the listening socket before listen() (accepted sockets inherit it).' : 'Set it before connect().');
      out.push({
        message: go
          ? `SetReadBuffer(${bytes(op.option.value)}) ${connected ? `after ${connectOp?.callee ?? 'Dial'}()` : 'on an accepted connection'}: the SYN already fixed the window scale, so it may stay at 64 KB.`
          : model.language === 'java'
          ? `${op.callee === 'setOption' ? `setOption(SO_RCVBUF, ${bytes(op.option.value)})` : `${rn.rcvbuf}(${bytes(op.option.value)})`} called ${when}: the SYN already fixed the window scale, so it may stay at 64 KB.`
          : `${rn.rcvbuf} = ${bytes(op.option.value)} set ${when}: the SYN already fixed the window scale, so it may stay at 64 KB.`,
        detail: `The window scale is exchanged only in the SYN, from the receive buffer the socket had then, so the peer is never shown a window above 65,535 << that scale. ${windowText(profile, headline)} ${before}`,
        range: op.range,
        related: connected ? [relatedFrom(connected, 'the connection is established here, before the buffer is enlarged')]
          : accepted ? [relatedFrom(accepted, 'the connection was accepted here')] : [],
        fixes: fix ? [fix] : [],
        scenario: bulkScenario(profile, 'As written: receive buffer set after the handshake', { rcvbuf: op.option.value, rcvbufAfterAccept: true }),
        fixedScenario: bulkScenario(profile, 'Receive buffer set before the handshake', { rcvbuf: op.option.value, rcvbufAfterAccept: false }),
      });
    }
    return out;
  },
};

function sameRange(a: SocketOp['range'], b: SocketOp['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}

/** Moves the setsockopt before the connect when both are statements of one block and its value exists there. */
function moveFix(model: SocketModel, text: string, op: SocketOp, connect: SocketOp) {
  // The statement that holds the call moves whole (`if (setsockopt(...) < 0) perror(...);` with its check).
  const stmt = op.statementRange ?? op.statement?.range;
  if (!stmt || !connect.statement || !op.statement) return undefined;
  const decl = op.option?.valueDecl;
  const literal = op.option && !decl && op.option.value !== undefined;
  const valueBefore = (line: number) => literal || (decl && decl.range.start.line < line);
  // Go dials and connects in one call: the option goes into a Dialer's Control function instead.
  if (model.language === 'go') return undefined;
  if (model.language === 'java') {
    // Only before a connect() call of its own: `new Socket(host, port)` connects in the constructor.
    if (connect.statement.block !== op.statement.block || connect.callee !== 'connect' || !valueBefore(connect.statement.range.start.line)) return undefined;
    return moveStatementFix(`Move this ${op.callee === 'setOption' ? 'setOption(SO_RCVBUF)' : 'setReceiveBufferSize'} before connect()`, text, stmt, connect.statement.range);
  }
  if (model.language === 'csharp') {
    // Only before a Connect() call of its own: `new TcpClient(host, port)` connects in the constructor.
    if (connect.statement.block !== op.statement.block || !connect.callee.startsWith('Connect') || !valueBefore(connect.statement.range.start.line)) return undefined;
    return moveStatementFix('Move this ReceiveBufferSize before Connect()', text, stmt, connect.statement.range);
  }
  if (connect.statement.block === op.statement.block) {
    if (!valueBefore(connect.statement.range.start.line)) return undefined;
    return moveStatementFix('Move this setsockopt before connect()', text, stmt, connect.statement.range);
  }
  // connect() sits in another block (a getaddrinfo loop): put the setsockopt right after the socket
  // is created and checked, in this function, on the same local, where the engineer would write it.
  const created = op.state.creation;
  const socketOp = model.ops.find((o) => o.kind === 'socket' && o.fnKey === op.fnKey && o.statement && created?.statement
    && o.statement.range.start.line === created.statement.start.line && o.index < connect.index);
  if (!socketOp || !created?.statement || created.file || !op.socket?.key.startsWith('l:') || socketOp.socket?.key !== op.socket.key) return undefined;
  const last = created.errorCheck ?? created.statement;
  const line = last.end.character === 0 ? last.end.line : last.end.line + 1;
  if (!valueBefore(created.statement.start.line) || line > connect.statement.range.start.line) return undefined;
  return moveStatementFix('Move this setsockopt before connect(), right after the socket is created', text, stmt, { start: { line, character: 0 }, end: { line, character: 0 } });
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
