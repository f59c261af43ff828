// What the names of a Python file resolve to: its imports (`import socket as s`, `from socket import
// socket as S, create_connection`, `from socket import *`), turned into dotted library names
// (`socket.socket`, `asyncio.open_connection`). Read from the syntax tree once per file.
import { child, childrenOf, namedChildren, type SyntaxNode } from '../../parse/snapshot';
import { KNOWN_MODULES } from './api';

/** Names `from socket import *` brings in that matter here. */
const STAR_NAMES: Record<string, string[]> = {
  socket: ['socket', 'create_connection', 'create_server', 'fromfd', 'error', 'timeout', 'AF_INET', 'AF_INET6', 'AF_UNIX',
    'SOCK_STREAM', 'SOCK_DGRAM', 'SOCK_RAW', 'SOL_SOCKET', 'IPPROTO_TCP', 'IPPROTO_UDP', 'TCP_NODELAY', 'SO_SNDBUF', 'SO_RCVBUF',
    'SO_REUSEADDR', 'SO_KEEPALIVE', 'TCP_QUICKACK', 'TCP_CORK', 'MSG_WAITALL', 'MSG_DONTWAIT', 'MSG_PEEK', 'SHUT_RDWR', 'SHUT_WR'],
  socketserver: ['BaseRequestHandler', 'StreamRequestHandler', 'TCPServer', 'ThreadingTCPServer', 'ThreadingMixIn', 'ForkingMixIn'],
  asyncio: ['open_connection', 'start_server', 'Protocol', 'StreamReader', 'StreamWriter', 'get_event_loop', 'sleep'],
  select: ['select', 'poll', 'epoll'],
  selectors: ['DefaultSelector', 'EVENT_READ', 'EVENT_WRITE'],
  errno: ['EAGAIN', 'EWOULDBLOCK', 'EINPROGRESS', 'EINTR'],
};

export class PythonNames {
  /** Local name -> dotted name (`np` -> `numpy`, `S` -> `socket.socket`). */
  private readonly bound = new Map<string, string>();

  constructor(root: SyntaxNode, text: string) {
    const visit = (n: SyntaxNode, depth: number) => {
      if (depth > 60) return;
      if (n.type === 'import_statement') {
        for (const c of childrenOf(n, 'name')) {
          if (c.type === 'dotted_name') {
            const full = text.slice(c.start, c.end);
            const first = full.split('.')[0];
            this.bound.set(first, first);
          } else if (c.type === 'aliased_import') {
            const name = child(c, 'name'), alias = child(c, 'alias');
            if (name && alias) this.bound.set(text.slice(alias.start, alias.end), text.slice(name.start, name.end));
          }
        }
        return;
      }
      if (n.type === 'import_from_statement') {
        const mod = child(n, 'module_name');
        if (!mod) return;
        const module = text.slice(mod.start, mod.end);
        if (n.children.some((c) => c.type === 'wildcard_import')) {
          for (const name of STAR_NAMES[module] ?? []) this.bound.set(name, `${module}.${name}`);
          return;
        }
        for (const c of childrenOf(n, 'name')) {
          if (c.type === 'dotted_name') {
            const name = text.slice(c.start, c.end);
            this.bound.set(name, `${module}.${name}`);
          } else if (c.type === 'aliased_import') {
            const name = child(c, 'name'), alias = child(c, 'alias');
            if (name && alias) this.bound.set(text.slice(alias.start, alias.end), `${module}.${text.slice(name.start, name.end)}`);
          }
        }
        return;
      }
      for (const c of n.children) if (c.named) visit(c, depth + 1);
    };
    visit(root, 0);
  }

  /** The dotted library name an identifier or attribute chain stands for, if it comes from an import. */
  resolve(n: SyntaxNode, text: string): string | undefined {
    if (n.type === 'identifier') return this.bound.get(text.slice(n.start, n.end));
    if (n.type === 'attribute') {
      const obj = child(n, 'object'), attr = child(n, 'attribute');
      if (!obj || !attr) return undefined;
      const base = this.resolve(obj, text);
      if (!base) return undefined;
      const root = base.split('.')[0];
      if (!KNOWN_MODULES.has(root) && !KNOWN_MODULES.has(base)) return undefined;
      return `${base}.${text.slice(attr.start, attr.end)}`;
    }
    return undefined;
  }

  /** The module a name is bound to, when it names a module (`import socket as sk` -> sk is `socket`). */
  isModule(name: string, module: string): boolean {
    return this.bound.get(name) === module;
  }
}

/** Named children without comments (re-exported for the lowering). */
export { namedChildren };
