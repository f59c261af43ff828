// Questions rules ask of the SocketModel, answered over every key a socket is known by.
import { factKeys, type Evidence, type OptionSetting, type SocketModel, type SocketOp, type SocketSymbol } from '../../model';

export function symbols(model: SocketModel, key: string | undefined): SocketSymbol[] {
  return [...factKeys(model, key)].map((k) => model.sockets.get(k)).filter((s): s is SocketSymbol => !!s);
}

/** 'dgram' only when the code says so (SOCK_DGRAM, or sendto/recvfrom with no connect/listen). */
export function socketType(model: SocketModel, key: string | undefined): 'stream' | 'dgram' | 'unknown' {
  const syms = symbols(model, key);
  const types = new Set(syms.map((s) => s.type));
  if (types.has('stream') && !types.has('dgram')) return 'stream';
  if (types.has('dgram') && !types.has('stream')) return 'dgram';
  if (types.size > 1) return 'unknown';
  if (syms.some((s) => s.datagramCalls) && !syms.some((s) => s.connects.length > 0 || s.origin === 'accept')) return 'dgram';
  return 'unknown';
}

export function isDatagram(model: SocketModel, key: string | undefined): boolean {
  return socketType(model, key) === 'dgram';
}

/**
 * Datagram by the code's word, or of unknown type in a file that joins multicast groups (only
 * datagram sockets can): for rules about stream semantics, quiet beats wrong.
 */
const multicastCache = new Map<string, boolean>();
/** The file joins a multicast group (cached: rules ask once per op, the text is the same). */
function joinsMulticast(text: string): boolean {
  let v = multicastCache.get(text);
  if (v === undefined) {
    v = /\b(WSAJoinLeaf|IP_ADD_MEMBERSHIP|IPV6_ADD_MEMBERSHIP|IPV6_JOIN_GROUP|MCAST_JOIN_GROUP)\b/.test(text);
    if (multicastCache.size > 8) multicastCache.clear();
    multicastCache.set(text, v);
  }
  return v;
}

export function probablyDatagram(model: SocketModel, key: string | undefined, text: string): boolean {
  const type = socketType(model, key);
  if (type === 'dgram') return true;
  return type === 'unknown' && joinsMulticast(text);
}

/**
 * The call that made the socket non-blocking. With `at`, only when no later call (in source order,
 * before `at`) put it back into blocking mode: `connect` with a timeout, then FIONBIO 0.
 */
export function nonBlocking(model: SocketModel, key: string | undefined, at?: SocketOp): Evidence | undefined {
  const syms = symbols(model, key);
  const nb = syms.find((s) => s.nonBlocking)?.nonBlocking;
  if (!nb || !at) return nb;
  const restored = syms.flatMap((s) => s.blockingAgain ?? [])
    .some((b) => before(nb.range.start, b.range.start) && before(b.range.start, at.range.start));
  return restored ? undefined : nb;
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export function overlapped(model: SocketModel, key: string | undefined): Evidence | undefined {
  return symbols(model, key).find((s) => s.overlapped)?.overlapped;
}

export function options(model: SocketModel, key: string | undefined, name: RegExp): OptionSetting[] {
  return symbols(model, key).flatMap((s) => s.options.filter((o) => name.test(o.name)));
}

/**
 * Nagle is on unless the code sets TCP_NODELAY (to a non-zero or unresolved value) or corks
 * (TCP_CORK / TCP_NOPUSH batch on purpose). When the file sets TCP_NODELAY on something we could
 * not name, we assume it covers this socket: quiet beats wrong.
 */
export function nagleOn(model: SocketModel, key: string | undefined): boolean {
  if (model.unresolvedNodelay) return false;
  const nodelay = options(model, key, /TCP_NODELAY/);
  if (nodelay.some((o) => o.value === undefined || o.value !== 0)) return false;
  if (options(model, key, /TCP_CORK|TCP_NOPUSH/).length > 0) return false;
  return true;
}

/** Two ops act on the same socket object. */
export function sameSocket(model: SocketModel, a: SocketOp, b: SocketOp): boolean {
  if (!a.socket || !b.socket) return false;
  if (a.socket === b.socket) return true;
  // Both ways: a factory's socket equals each caller's socket only in the caller's direction.
  return factKeys(model, a.socket).has(b.socket) || factKeys(model, b.socket).has(a.socket);
}

/** The op sends (directly or through a helper of this file). */
export function sends(op: SocketOp): boolean {
  return op.kind === 'send' || (op.kind === 'helper' && (op.helperKinds ?? []).every((k) => k === 'send'));
}

export function receives(op: SocketOp): boolean {
  return op.kind === 'recv' || (op.kind === 'helper' && (op.helperKinds ?? []).includes('recv'));
}

export function sameLoops(a: SocketOp, b: SocketOp): boolean {
  if (a.loops.length !== b.loops.length) return false;
  return a.loops.every((l, i) => l.id === b.loops[i].id);
}

export function innermostLoop(op: SocketOp) {
  return op.loops[op.loops.length - 1];
}

/** The two ops sit in different branches of one if/switch, so they never run in the same pass. */
export function exclusive(a: SocketOp, b: SocketOp): boolean {
  for (const x of a.branches) {
    const [point] = x.split(':');
    const other = b.branches.find((y) => y.split(':')[0] === point);
    if (other && other !== x) return true;
  }
  return false;
}

/** `b`'s loops start with all of `a`'s (b is in the same loop as a, or deeper inside it). */
export function withinLoopsOf(a: SocketOp, b: SocketOp): boolean {
  return a.loops.every((l, i) => b.loops[i]?.id === l.id);
}

export function isWinsock(text: string): boolean {
  return /\b(WSAStartup|closesocket|WSAGetLastError|ioctlsocket|SOCKET_ERROR|winsock2?\.h)\b/.test(text);
}

/**
 * The symbol showing that the socket `op` works on is an accepted connection at that point, if it is.
 * The latest socket()/accept() assigning that key earlier in the same function decides; otherwise
 * every creation the file shows for it (directly, through a factory or a helper's callers) must be
 * accept(). One field name made both ways (`srv->fd = socket()`, `cli->fd = accept()`) with no
 * local evidence is not assumed accepted: quiet beats wrong.
 */
export function acceptedAt(model: SocketModel, op: SocketOp): SocketSymbol | undefined {
  if (!op.socket) return undefined;
  const isCreation = (o: SocketOp) => (o.kind === 'socket' || o.kind === 'accept') && o.callee !== 'AcceptEx' && !!o.socket;
  const accepted = () => symbols(model, op.socket).find((s) => s.origin === 'accept');
  const local = model.ops.filter((o) => isCreation(o) && o.fn === op.fn && o.index < op.index && o.socket === op.socket).pop();
  if (local) return local.kind === 'accept' ? accepted() : undefined;
  const keys = factKeys(model, op.socket);
  const creations = model.ops.filter((o) => isCreation(o) && keys.has(o.socket!));
  if (creations.length > 0) return creations.every((o) => o.kind === 'accept') ? accepted() : undefined;
  return accepted();
}
