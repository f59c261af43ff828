// Questions rules ask of the SocketModel. Everything here reads facts the analysis established;
// nothing looks at source text.
import type { LoopInfo, SocketModel, SocketOp } from '../../model';

/**
 * Two ops in one function act on the same connection. A field location names a struct type's field
 * (`conn->fd`), so `seller->c` and `args->c` share it though they are two connections: in one
 * function, two different access paths to a field are not taken to be one connection.
 */
export function sameConnection(a: SocketOp, b: SocketOp): boolean {
  if (!sameSocket(a, b)) return false;
  if (a.fnKey !== b.fnKey || !a.socket || !b.socket || !a.socket.key.startsWith('f:')) return true;
  const path = (t: string) => { const p = t.split(' ').join(''); return p.startsWith('this->') ? p.slice(6) : p; };
  return path(a.socket.text) === path(b.socket.text);
}

/** Two ops act on the same socket object. */
export function sameSocket(a: SocketOp, b: SocketOp): boolean {
  if (!a.socket || !b.socket) return false;
  if (a.socket.key === b.socket.key) return true;
  // Two variables of one function hold the same socket only if one was assigned from the other:
  // `req = ConnectTo(a); rsp = ConnectTo(b);` are two connections, though one factory made both.
  if (a.fnKey === b.fnKey && a.socket.alias && b.socket.alias) return a.socket.alias === b.socket.alias;
  let objs = objectSets.get(a);
  if (!objs) { objs = new Set(a.socket.objects); objectSets.set(a, objs); }
  return b.socket.objects.some((o) => objs.has(o));
}

/** The creation sites of each op's socket as a set (rules compare pairs of ops, often all pairs). */
const objectSets = new WeakMap<SocketOp, Set<string>>();

/** The socket is not a TCP stream: UDP, raw, a Unix-domain socket or a socketpair. */
export function notTcp(op: SocketOp): boolean {
  return op.state.transport === 'udp' || op.state.transport === 'unix' || op.state.transport === 'file';
}

/**
 * Not known to be TCP, and the code treats it like a datagram socket: sendto/recvfrom on it with
 * no connect, listen or accept; or the file joins multicast groups (only datagram sockets can).
 * For rules about stream semantics, quiet beats wrong.
 */
export function probablyDatagram(model: SocketModel, op: SocketOp): boolean {
  if (notTcp(op)) return true;
  if (op.state.transport === 'tcp') return false;
  const same = sameSocketOps(model, op).filter((o) => o !== op);
  const datagramCalls = same.some((o) => o.kind === 'sendto' || o.kind === 'recvfrom') || op.kind === 'sendto' || op.kind === 'recvfrom';
  const streamCalls = same.some((o) => o.kind === 'connect' || o.kind === 'listen' || o.kind === 'accept') || !!op.state.accepted || !!op.state.connectedBefore;
  if (datagramCalls && !streamCalls) return true;
  return model.joinsMulticast;
}

/**
 * The model's ops by socket key, creation site and (function, alias): every op sameSocket() can pair
 * with `op` is among candidates(op), so asking for each op of a large file stays linear, not quadratic.
 */
class SocketIndex {
  private readonly byKey = new Map<string, SocketOp[]>();
  private readonly byObject = new Map<string, SocketOp[]>();
  private readonly byAlias = new Map<string, SocketOp[]>();

  private readonly position = new Map<SocketOp, number>();

  constructor(ops: readonly SocketOp[]) {
    ops.forEach((o, i) => this.position.set(o, i));
    for (const o of ops) {
      if (!o.socket) continue;
      push(this.byKey, o.socket.key, o);
      for (const obj of new Set(o.socket.objects)) push(this.byObject, obj, o);
      if (o.socket.alias) push(this.byAlias, `${o.fnKey}\0${o.socket.alias}`, o);
    }
  }

  /** The ops of the model on the same socket as `op` (sameSocket(o, op)), in the model's order. */
  sameSocketOps(op: SocketOp): SocketOp[] {
    return [...this.candidates(op)].filter((o) => sameSocket(o, op)).sort((a, b) => this.position.get(a)! - this.position.get(b)!);
  }

  private candidates(op: SocketOp): Set<SocketOp> {
    const out = new Set<SocketOp>();
    if (!op.socket) return out;
    for (const o of this.byKey.get(op.socket.key) ?? []) out.add(o);
    for (const obj of op.socket.objects) for (const o of this.byObject.get(obj) ?? []) out.add(o);
    if (op.socket.alias) for (const o of this.byAlias.get(`${op.fnKey}\0${op.socket.alias}`) ?? []) out.add(o);
    return out;
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v); else m.set(k, [v]);
}

const socketIndexes = new WeakMap<SocketModel, SocketIndex>();

/** The model's ops on the same socket as `op` (`op` itself included), in the model's order. */
export function sameSocketOps(model: SocketModel, op: SocketOp): SocketOp[] {
  let index = socketIndexes.get(model);
  if (!index) { index = new SocketIndex(model.ops); socketIndexes.set(model, index); }
  return index.sameSocketOps(op);
}

/** Nagle is on: no TCP_NODELAY (non-zero or unresolved), no corking, nothing we could not resolve. */
export function nagleOn(op: SocketOp): boolean {
  return !op.state.nagleOff && !op.state.nagleUnknown;
}

/** The op sends (directly, or through a function of the program that only sends). */
export function sends(op: SocketOp): boolean {
  return op.kind === 'send' || (op.kind === 'helper' && !!op.helper && op.helper.kinds.length > 0 && op.helper.kinds.every((k) => k === 'send'));
}

export function receives(op: SocketOp): boolean {
  return op.kind === 'recv' || (op.kind === 'helper' && !!op.helper && op.helper.kinds.includes('recv'));
}

export function innermostLoop(op: SocketOp): LoopInfo | undefined {
  return op.loops[op.loops.length - 1];
}

/** The two ops sit in different branches of one if/switch/#if, so they never run in the same pass. */
export function exclusive(a: SocketOp, b: SocketOp): boolean {
  for (const x of a.branches) {
    const point = x.slice(0, x.indexOf(':'));
    const other = b.branches.find((y) => y.slice(0, y.indexOf(':')) === point);
    if (other && other !== x) return true;
  }
  return false;
}

/** `b`'s loops start with all of `a`'s (b is in the same loop as a, or deeper inside it). */
export function withinLoopsOf(a: SocketOp, b: SocketOp): boolean {
  return a.loops.every((l, i) => b.loops[i]?.id === l.id);
}

/** The constant size of what the op sends: its length, the helper's one send, or the buffer's capacity as a bound. */
export function sendSize(op: SocketOp): { exact?: number; max?: number } {
  const v = op.length ?? op.helper?.singleSendSize;
  if (v?.value !== undefined) return { exact: v.value, max: v.value };
  if (v?.max !== undefined) return { max: v.max };
  if (op.bufferCapacity !== undefined) return { max: op.bufferCapacity };
  return {};
}

/** A new connection's send buffer is empty and takes at least this much whole (Linux starts at tcp_wmem[1] = 16 KB, less skb overhead; Windows at 64 KB). */
const NEW_CONNECTION_BUFFER = 8192;

/**
 * A send of known size up to 4 KB that is the first on a connection this function just accepted or
 * connected: the empty send buffer takes it whole, so it neither stops short nor gives EWOULDBLOCK.
 */
export function fitsNewConnectionBuffer(model: SocketModel, op: SocketOp, knownSize: number | undefined): boolean {
  return knownSize !== undefined && knownSize <= NEW_CONNECTION_BUFFER && firstSendOnNewConnection(model, op);
}

/**
 * The op is the first send on its socket after the socket was accepted (or connected) in the same
 * function, on every path, and it does not repeat: the send buffer is still empty there.
 */
function firstSendOnNewConnection(model: SocketModel, op: SocketOp): boolean {
  const mine = model.ops.filter((o) => o.fnKey === op.fnKey && o !== op && sameSocket(o, op));
  const opens = mine.filter((o) => (o.kind === 'accept' || o.kind === 'connect' || o.kind === 'socket') && model.mayPrecede(o, op));
  // A send repeated by a loop that also opens the socket anew (an accept loop) goes to a new connection each time.
  const innermost = op.loops[op.loops.length - 1];
  // The accept must run on the send's own path through the pass (not in another branch: an event
  // loop accepts on FD_ACCEPT and sends on FD_READ, to connections accepted in earlier passes).
  const reopenedEachPass = innermost !== undefined && opens.some((o) => o.loops[o.loops.length - 1]?.id === innermost.id && o.branches.every((b) => op.branches.includes(b)));
  if (model.mayPrecede(op, op) && !reopenedEachPass) return false;
  // Or a parameter every caller hands over just opened (the caller's accept loop calls the handler).
  const opened = opens.length > 0 || (op.openedByCallers === true && op.socket?.key.startsWith('p:') === true);
  return opened && !mine.some((o) => (o.kind === 'send' || o.kind === 'sendto' || (o.kind === 'helper' && o.helper?.kinds.includes('send'))) && model.mayPrecede(o, op));
}

