// A large SO_RCVBUF on every accepted connection.
import type { Rule } from './rule';
import type { ProfileName } from '../../common/scenario';
import { notTcp } from './support/facts';
import { fixList, removeSetsockoptFix } from './support/fixes';
import { bytes } from './support/format';
import { relatedFrom } from './support/related';

/** At and above this a per-connection buffer adds up to gigabytes on a busy server. */
const LARGE_BYTES = 1024 * 1024;
const CLIENTS = 500;

export const largeRcvbufPerConnection: Rule = {
  id: 'large-rcvbuf-per-connection',
  title: 'Large receive buffer on every connection',
  defaultSeverity: 'info',
  docs: {
    summary: 'Flags SO_RCVBUF of 1 MB or more set on each accepted connection.',
    when: 'Fires on setsockopt(SO_RCVBUF) with a value that evaluates to 1 MB or more on a socket every creation of which is an accept() (followed through variables, parameters, struct fields, arrays and containers, in any function or file). Quiet for client sockets, listening sockets, a field that holds both listening and accepted sockets, values it cannot evaluate, and UDP.',
    wire: 'Receive buffers hold data the application has not read yet, in kernel memory that cannot be paged out (the non-paged pool on Windows). A server that gives each of 500 clients a 2 MB buffer commits up to 1 GB the moment those clients send faster than the server reads, and the OS, not the process, runs out first. Modern stacks autotune the window per connection up to several MB only where the bandwidth-delay product needs it.',
    bad: `SOCKET c = accept(listener, NULL, NULL);
int rcv = 2 * 1024 * 1024;
setsockopt(c, SOL_SOCKET, SO_RCVBUF, (const char *)&rcv, sizeof rcv);`,
    good: `SOCKET c = accept(listener, NULL, NULL);
/* keep the default: receive-window autotuning sizes it per connection */`,
    fix: 'Drop the per-connection SO_RCVBUF and rely on autotuning, or size it for the bandwidth-delay product of the links you serve and cap the number of connections. The quick fix removes the per-connection setsockopt (and its value\'s variable when nothing else uses it), and --fix applies it: setting the buffer on the listening socket instead would give every accepted connection the same buffer.',
    related: ['None in clang-tidy, cppcheck, CodeQL, Sonar or semgrep.'],
    node: "Cannot happen in Node.js: `net.Socket` has no receive-buffer option for TCP.",
    csharp: "Applies to C# servers the same way: `ReceiveBufferSize` set large on every socket from `AcceptSocket()`/`AcceptTcpClient()`.",
    go: "Applies to Go servers the same way: `SetReadBuffer` with a large value on every connection from `ln.Accept()`/`AcceptTCP()`. The quick fix removes the call (Go leaves the kernel's autotuning on otherwise).",
    java: 'Applies to Java servers the same way: `setReceiveBufferSize(n)` with a large n on every `Socket` from `ServerSocket.accept()` (or `setOption(StandardSocketOptions.SO_RCVBUF, n)` on every accepted `SocketChannel`). The quick fix removes the call.',
    python: "Applies to Python servers the same way: a large `SO_RCVBUF` set on every `accept()`ed socket (or in a socketserver handler's `setup()` on `self.request`).",
  },
  check({ model, profile }) {
    const out: ReturnType<Rule['check']> = [];
    for (const op of model.ops) {
      if (op.kind !== 'setsockopt' || op.option?.name !== 'SO_RCVBUF' || op.option.value === undefined || op.option.value < LARGE_BYTES) continue;
      const accepted = op.state.accepted;
      if (!accepted || notTcp(op)) continue;
      out.push({
        message: `Each accepted connection gets a ${bytes(op.option.value)} receive buffer: ${CLIENTS} clients can pin ${total(op.option.value * CLIENTS)} of kernel memory.`,
        detail: `${CLIENTS} clients sending faster than the server reads can pin ${total(op.option.value * CLIENTS)} of ${memoryText(profile, op.option.value)} Keep the default (receive-window autotuning sizes it per connection), or size it for the bandwidth-delay product of the links you serve, and cap the number of connections.`,
        range: op.range,
        related: [relatedFrom(accepted, 'set on every socket accepted here')],
        fixes: fixList(removeSetsockoptFix(op, `Remove the per-connection ${model.language === 'java' ? 'setReceiveBufferSize' : 'SO_RCVBUF'} (receive autotuning sizes each connection)`)),
      });
    }
    return out;
  },
};

/** Where unread bytes live, per profile (seed notes: 2 MB x 500 = 1 GB of non-paged pool; research §2.1, §2.2). */
function memoryText(profile: ProfileName, value: number): string {
  if (profile === 'linux') {
    return `unswappable kernel memory (Linux also doubles the value for bookkeeping, so up to ${total(value * 2 * CLIENTS)}, unless net.core.rmem_max caps it, and the fixed size turns off receive autotuning).`;
  }
  if (profile === 'macos') return 'kernel mbuf memory (bounded by kern.ipc.maxsockbuf), shared by every socket on the machine.';
  return 'non-paged pool: kernel memory that cannot be paged out, shared by every driver, and the OS, not the process, fails first.';
}

/** Totals read better rounded: 2 MB x 500 is "1 GB" (the seed's figure), not "1000 MB". */
function total(n: number): string {
  return n >= 1000 * 1024 * 1024 ? `${+(n / 1024 ** 3).toFixed(1)} GB` : bytes(n);
}
