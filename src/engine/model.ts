// The language-neutral SocketModel: what a file establishes about its sockets and the operations
// on them. Language adapters (src/engine/lang) build it from a syntax tree; rules read only this.
import type { Range } from './types';

export type SocketType = 'stream' | 'dgram' | 'unknown';

/** How a socket symbol came to be. */
export type SocketOrigin = 'socket' | 'accept' | 'param' | 'return' | 'unknown';

export interface OptionSetting {
  /** SO_SNDBUF, SO_RCVBUF, TCP_NODELAY, TCP_CORK, ... */
  name: string;
  /** The option's value when it resolves to a constant (literal, variable, macro, sizeof). */
  value?: number;
  valueText: string;
  /** The setsockopt call. */
  range: Range;
  /** The whole statement holding the call, when the call is a statement of its own (for fixes). */
  statementRange?: Range;
  /** Index of the op in SocketModel.ops. */
  opIndex: number;
}

export interface Evidence { via: string; range: Range }

export interface SocketSymbol {
  /**
   * Canonical key. Locals: `local:<function>:<name>`; struct fields and class members, however
   * reached (`conn->fd`, `this->m_sock`, `m_sock`): `field:<name>`; globals: `global:<name>`;
   * parameters: `param:<function>:<index>`.
   */
  key: string;
  /** As written at its first use, e.g. `conn->fd`. */
  display: string;
  type: SocketType;
  origin: SocketOrigin;
  createdAt?: Range;
  /** The statement that creates it (`SOCKET s = socket(...);`), for inserting code after it. */
  createdStatement?: Range;
  /** The call that made the socket non-blocking (FIONBIO, O_NONBLOCK, WSAEventSelect, ...). */
  nonBlocking?: Evidence;
  /** Calls that put it back into blocking mode (FIONBIO 0, F_SETFL without O_NONBLOCK), in source order. */
  blockingAgain?: Evidence[];
  /** Evidence of overlapped I/O (WSA_FLAG_OVERLAPPED, WSASend with an OVERLAPPED, IOCP). */
  overlapped?: Evidence;
  options: OptionSetting[];
  /** connect() calls on this socket (accept-origin sockets are connected at createdAt). */
  connects: Range[];
  /** Keys that name the same socket object (`c = MakeSocket()` and the `s` MakeSocket returns). A
   *  factory's local lists none of its callers, so two sockets one factory made stay apart. */
  equals: string[];
  /** For parameters: the caller's sockets passed in (facts flow from them into the helper). */
  boundFrom: string[];
  /** The helper parameters this socket is passed to (options a helper sets apply to this socket). */
  passedTo: string[];
  /** Some op on this socket is sendto/recvfrom (a hint of a datagram socket when the type is unknown). */
  datagramCalls: boolean;
}

export type OpKind =
  | 'socket' | 'accept' | 'connect' | 'listen' | 'bind'
  | 'send' | 'recv' | 'sendto' | 'recvfrom'
  | 'setsockopt' | 'nonblock' | 'eventselect' | 'iocp' | 'close' | 'wait' | 'shutdown'
  /** A call to a function of this file that itself sends or receives on the passed socket. */
  | 'helper';

export interface LoopInfo {
  id: number;
  kind: 'for' | 'while' | 'do';
  range: Range;
  /** Iteration count when the loop is `for (i = 0; i < N; i++)` with a constant N. */
  constantBound?: number;
  /** The loop has no exit condition of its own (`for (;;)`, `while (1)`, `while (true)`). */
  infinite: boolean;
  /** A counter incremented in the loop is compared in its condition or in an if that leaves it. */
  counterBounded: boolean;
  /** The loop calls select/poll/WSAWaitFor.../Sleep (directly or through a helper of this file). */
  waits: boolean;
  /** The longest constant sleep in the loop body, in ms (`Sleep(30000)`, `sleep(1)`, `usleep(500000)`). */
  sleepMs?: number;
  /** The loop blocks on user or device input (fgets, scanf, ReadConsole, cin >>) between passes. */
  pacedByInput?: boolean;
  /** Text of the loop condition (for messages). */
  conditionText: string;
}

/** How the value a send/recv returned is used. */
export interface ResultUse {
  /** Return value discarded (`send(...);`). `(void)send(...)` counts as deliberately discarded. */
  ignored: boolean;
  explicitlyVoided: boolean;
  /** Compared with SOCKET_ERROR, -1, < 0, <= 0 (directly or through the variable holding it). */
  errorChecked: boolean;
  /** Compared with the requested length, or used to advance a buffer/offset/remaining count. */
  lengthChecked: boolean;
  /** The variable holding the result, if any. */
  variable?: string;
  /** The value (or the variable holding it) is returned to the caller, whose job checking it is. */
  returned?: boolean;
  /** The value goes straight into a test assertion macro (`tt_int_op(send(..), >, 0)`). */
  asserted?: boolean;
}

/** What the code does when the operation fails. */
export interface ErrorPath {
  /** There is an error branch (if/switch on the result or on the error code). */
  exists: boolean;
  /** The branch (or a helper/macro it calls) mentions WSAEWOULDBLOCK / EWOULDBLOCK / EAGAIN / WSA_IO_PENDING. */
  distinguishesWouldBlock: boolean;
  /** The branch closes the socket or tears the connection down. */
  closes: boolean;
  /** The branch leaves (return/break/goto) without distinguishing WOULDBLOCK. */
  leaves: boolean;
  /** When WOULDBLOCK is told apart: its branch leaves (return/goto/throw/break) rather than retrying. */
  wouldBlockLeaves?: boolean;
  /** The branch only returns the failure, and the callers in this file test it for WOULDBLOCK. */
  handledByCaller?: boolean;
  range?: Range;
  closeRange?: Range;
}

export interface ValueRef {
  text: string;
  value?: number;
}

export interface SocketOp {
  index: number;
  kind: OpKind;
  /** The function called: `send`, `WSASend`, `ioctlsocket`, or the helper's name. */
  callee: string;
  /** Key of the socket operated on (see SocketSymbol.key). */
  socket?: string;
  socketText?: string;
  /** The call expression. */
  range: Range;
  /** The callee's name only (where diagnostics point). */
  nameRange: Range;
  /** The statement holding the call, when the call is the whole statement. */
  statementRange?: Range;
  /** The statement (directly inside a block) that holds the call, and that block's id. */
  statement?: { range: Range; block: number };
  /** Indentation of the statement's line (for inserted code). */
  indent: string;
  /** Enclosing if/switch branches (`<if offset>:then|else`, `<switch offset>:<case offset>`): two ops
   *  that differ on a shared branch point never run in the same pass. */
  branches: string[];
  /** Name of the enclosing function ('' at file scope). */
  fn: string;
  /** Enclosing loops, outermost first. */
  loops: LoopInfo[];
  /** The socket expression picks a different socket per loop iteration (`clients[i]`, a loop variable). */
  variesPerIteration?: boolean;
  /** Requested length (send/recv) or the option value (setsockopt). */
  length?: ValueRef;
  /** The buffer argument as written (send/recv). */
  buffer?: string;
  /** Byte size of the buffer when it is a fixed-size array or object of this function: an upper
   *  bound on the length when the length itself is not a constant. */
  bufferCapacity?: number;
  /** recv with MSG_WAITALL / send flags as written. */
  flags?: string;
  /** WSASend/WSARecv/ConnectEx given a non-NULL OVERLAPPED. */
  overlappedArg?: boolean;
  result: ResultUse;
  errorPath: ErrorPath;
  /** setsockopt/getsockopt: option level and name. */
  option?: { level: string; name: string; value?: number; valueText: string };
  /** For 'helper' ops: the ops the helper performs on the passed socket, in order. */
  helperKinds?: OpKind[];
  /** recv: the received bytes are used as a whole message (cast to a struct, parsed as a string,
   *  read straight into a fixed-size object) rather than as a byte count. */
  consumedAsMessage?: { how: string; range: Range };
  /** recv/send: inside a loop that accumulates into the same buffer with an offset. */
  accumulates?: boolean;
  /** send/recv: runs only in the branch of an if on a select/poll result (`if (pollres > 0)`), where
   *  the socket was just reported ready, so WOULDBLOCK is not the expected failure there. */
  afterReadiness?: boolean;
}

export interface SocketModel {
  language: string;
  sockets: Map<string, SocketSymbol>;
  ops: SocketOp[];
  /** Number of ERROR/MISSING nodes: findings still come from the parts that parse. */
  errorNodes: number;
  /** The file sets TCP_NODELAY somewhere on a socket we could not name (e.g. through a macro). */
  unresolvedNodelay: boolean;
}

const MAX_ALIAS_KEYS = 64;

function closure(model: SocketModel, start: string, step: (s: SocketSymbol) => string[], out: Set<string>): void {
  const stack = [start];
  const seen = new Set<string>();
  while (stack.length && out.size < MAX_ALIAS_KEYS) {
    const k = stack.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    out.add(k);
    const sym = model.sockets.get(k);
    if (!sym) continue;
    for (const e of sym.equals) stack.push(e);
    for (const n of step(sym)) stack.push(n);
  }
}

/**
 * Every key whose facts apply to the socket `key`: itself, what it equals, the callers' sockets
 * bound to it (upwards) and the helper parameters it is passed to (downwards). Upward and downward
 * steps are not mixed, so two unrelated sockets passed to one helper never share facts.
 */
const factKeyCache = new WeakMap<SocketModel, Map<string, Set<string>>>();

export function factKeys(model: SocketModel, key: string | undefined): Set<string> {
  if (!key) return new Set();
  // Rules ask this for every pair of ops; the model does not change once built, so answers are kept.
  let cache = factKeyCache.get(model);
  if (!cache) { cache = new Map(); factKeyCache.set(model, cache); }
  const hit = cache.get(key);
  if (hit) return hit;
  const out = new Set<string>();
  cache.set(key, out);
  closure(model, key, (s) => s.boundFrom, out);
  const down = new Set<string>();
  closure(model, key, (s) => s.passedTo, down);
  for (const k of down) out.add(k);
  return out;
}
