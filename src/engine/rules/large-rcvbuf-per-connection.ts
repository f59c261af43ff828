// A large SO_RCVBUF on every accepted connection.
import type { Rule } from './rule';
import type { ProfileName } from '../../common/scenario';
import { acceptedAt, isDatagram } from './support/facts';
import { bytes } from './support/format';

/** At and above this a per-connection buffer adds up to gigabytes on a busy server. */
const LARGE_BYTES = 1024 * 1024;
const CLIENTS = 500;

export const largeRcvbufPerConnection: Rule = {
  id: 'large-rcvbuf-per-connection',
  title: 'Large receive buffer on every connection',
  defaultSeverity: 'info',
  docs: {
    summary: 'Flags SO_RCVBUF of 1 MB or more set on each accepted connection.',
    wire: 'Receive buffers hold data the application has not read yet, in kernel memory that cannot be paged out (the non-paged pool on Windows). A server that gives each of 500 clients a 2 MB buffer commits up to 1 GB the moment those clients send faster than the server reads, and the OS, not the process, runs out first. Modern stacks autotune the window per connection up to several MB only where the bandwidth-delay product needs it.',
    bad: `SOCKET c = accept(listener, NULL, NULL);
int rcv = 2 * 1024 * 1024;
setsockopt(c, SOL_SOCKET, SO_RCVBUF, (const char *)&rcv, sizeof rcv);`,
    good: `SOCKET c = accept(listener, NULL, NULL);
/* keep the default: receive-window autotuning sizes it per connection */`,
    fix: 'Drop the per-connection SO_RCVBUF and rely on autotuning, or size it for the bandwidth-delay product of the links you serve and cap the number of connections.',
    related: ['None in clang-tidy, cppcheck, CodeQL, Sonar or semgrep.'],
  },
  check({ model, profile }) {
    const out: ReturnType<Rule['check']> = [];
    for (const sym of model.sockets.values()) {
      for (const opt of sym.options) {
        if (!/SO_RCVBUF/.test(opt.name) || opt.value === undefined || opt.value < LARGE_BYTES) continue;
        const setOp = model.ops.find((o) => o.range === opt.range);
        if (!setOp || isDatagram(model, setOp.socket)) continue;
        // Accepted at this point (a listener sharing the field name with its clients is not).
        const accepted = acceptedAt(model, setOp);
        if (!accepted) continue;
        out.push({
          message: `Each accepted connection gets a receive buffer of ${bytes(opt.value)}: ${CLIENTS} clients sending faster than the server reads can pin ${total(opt.value * CLIENTS)} of ${memoryText(profile, opt.value)} Keep the default (autotuning) or size it for the bandwidth-delay product, and cap the number of connections.`,
          range: opt.range,
          related: accepted.createdAt ? [{ range: accepted.createdAt, message: 'set on every socket accepted here' }] : [],
        });
      }
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
