// The SocketModel: what the analysis established about one file's socket operations, in the terms
// the rules use. Rules read only this (src/engine/rules); the analysis (src/engine/analysis) builds
// it from the IR of the whole program. Every fact that rests on code elsewhere carries its evidence
// (a location, possibly in another file), which becomes the diagnostic's related information.
import type { Range } from './types';

/** Where a fact comes from. `file` is set when it is another file than the finding's. */
export interface Evidence { via: string; range: Range; file?: string }

export type OpKind =
  | 'socket' | 'accept' | 'connect' | 'listen' | 'bind'
  | 'send' | 'recv' | 'sendto' | 'recvfrom'
  | 'setsockopt' | 'nonblock' | 'eventselect' | 'iocp' | 'close' | 'shutdown'
  /** A call to a function of the program that itself sends or receives on the socket it is given. */
  | 'helper';

export type Transport = 'tcp' | 'udp' | 'unix' | 'file' | 'unknown';

export interface LoopInfo {
  id: number;
  kind: 'for' | 'while' | 'do' | 'range';
  range: Range;
  /** Iterations of `for (i = 0; i < N; i++)` with a constant N. */
  constantBound?: number;
  /** No exit condition of its own (`for (;;)`, `while (1)`). */
  infinite: boolean;
  /** A counter changed in the loop is tested by its condition or by an `if` that leaves it. */
  counterBounded: boolean;
  /** Calls select/poll/WSAWaitFor.../GetQueuedCompletionStatus/Sleep (directly or through a function of the program). */
  waits: boolean;
  /** The longest constant sleep in the loop, in ms. */
  sleepMs?: number;
  /** Blocks on user or device input between passes (fgets, scanf, cin >>, ReadConsole). */
  pacedByInput: boolean;
  /** Reads a file in each pass (`fread(buf, 1, n, f)`): a file copied to the socket in chunks. */
  readsFile: boolean;
  /** The condition as written, for messages. */
  conditionText: string;
  /** Locals the condition reads. */
  conditionVars: string[];
}

/** How the value a send/recv returned is used. */
export interface ResultUse {
  /** Discarded (`send(...);`). */
  ignored: boolean;
  /** `(void)send(...)`: discarded on purpose. */
  explicitlyVoided: boolean;
  /** Compared with an error value (-1, SOCKET_ERROR, 0). */
  errorChecked: boolean;
  /** Compared with a length, or used to advance a buffer, an offset or a remaining count (also through a
   *  function of the program, a field, or a test assertion). */
  lengthChecked: boolean;
  /** Compared with some other value (neither an error value nor the requested length): `n < sizeof(hdr)`. */
  comparedWithOther: boolean;
  /** Returned to the caller (whose job checking it is). */
  returned: boolean;
  /** Written to a reference or pointer parameter (`int &sent`): the caller gets the count. */
  handedOut?: boolean;
  /** Added to a field or global (`conn->out_start += n`): the bytes live in a send queue kept beyond the call. */
  advancesStored?: boolean;
  /** Given to a test assertion. */
  asserted: boolean;
  /** Handed to a call we cannot see into. */
  passedOn: boolean;
  /** The local that holds it, if any. */
  variable?: string;
  /** Locals the result is added to or subtracted from (`sent += n`). */
  advances: string[];
}

/** What the code does when the operation fails. */
export interface ErrorPath {
  /** There is a branch taken on failure. */
  exists: boolean;
  /** The failure branch (or its condition, or a function it calls) tells WOULDBLOCK apart. */
  distinguishesWouldBlock: boolean;
  /** The failure branch closes the connection. */
  closes: boolean;
  /** The failure branch leaves (return, break, goto, throw, exit). */
  leaves: boolean;
  /** When WOULDBLOCK is told apart: its branch leaves the loop or the function instead of retrying. */
  wouldBlockLeaves?: boolean;
  /** The failure branch only hands the failure back to the caller (returns an error value). */
  returnsFailure: boolean;
  /** ... and it returns the error code itself (`return -errno;`): callers see WOULDBLOCK as such. */
  returnsErrorCode: boolean;
  /** The failure branch is a bare `return;` from a void function (the caller learns nothing). */
  returnsNothing?: boolean;
  /** When it does: every caller in the program tells WOULDBLOCK apart (undefined: no caller in the analysed code). */
  handledByCaller?: boolean;
  range?: Range;
  /** The failure branch's statements are in braces (false: a single statement as the if's body). */
  braced?: boolean;
  closeRange?: Range;
}

export interface ValueInfo {
  /** As written (for messages). */
  text: string;
  /** The exact value when known. */
  value?: number;
  /** Bounds when only a range is known (`strlen` of one of several literals). */
  min?: number;
  max?: number;
}

/** What kind of message a use of received bytes implies: one fixed-size object, binary records, or text. */
export type MessageFraming = 'object' | 'binary' | 'text';

export interface SocketRef {
  /** The location key (see analysis/calls.ts). */
  key: string;
  /** As written at this op. */
  text: string;
  /** Creation sites (socket()/accept() calls) whose socket this may be. */
  objects: string[];
  /** For locals and parameters: the function's name for this socket (locals assigned from each other share it). */
  alias?: string;
}

export interface SocketState {
  transport: Transport;
  /** The socket is non-blocking at this op (the call that made it so). */
  nonBlocking?: Evidence;
  /** The socket was connected (or accepted) before this op, on some path (the connect or accept). */
  connectedBefore?: Evidence;
  /** Every creation of this socket is an accept() (the accept). */
  accepted?: Evidence;
  /** Nagle is turned off (TCP_NODELAY set, or corking/batching on purpose), or that cannot be ruled out. */
  nagleOff?: Evidence;
  /** The runtime or a call we cannot resolve may set TCP_NODELAY: Nagle rules stay quiet. */
  nagleUnknown?: boolean;
  /** Overlapped I/O (WSA_FLAG_OVERLAPPED, WSASend with an OVERLAPPED, an I/O completion port). */
  overlapped?: Evidence;
  /** SO_SNDTIMEO is set. */
  sendTimeout?: Evidence;
  /** SO_SNDBUF as set (value when known). */
  sendBuffer?: { value?: number; evidence: Evidence };
  /** The socket was created here (socket()/accept() statement), for inserting code after it. */
  creation?: { range: Range; statement?: Range; display: string; errorCheck?: Range; file?: string };
}

export interface SocketOp {
  index: number;
  kind: OpKind;
  /** The function called, as written (`send`, `WSASend`, `ioctlsocket`, or a helper's name). */
  callee: string;
  /** A Winsock function (decides the error code's name). */
  winsock: boolean;
  socket?: SocketRef;
  range: Range;
  nameRange: Range;
  /** The statement holding the call, when the call is the whole statement (whole lines when alone on them). */
  statementRange?: Range;
  /** The statement directly inside a block that holds the call, and that block's id. */
  statement?: { range: Range; block: number };
  indent: string;
  /** Enclosing branch points (`<id>:then`, `<id>:<case>`): two ops that differ on one never run in the same pass. */
  branches: string[];
  /** The enclosing function's qualified name and key. */
  fn: string;
  fnKey: string;
  /** The enclosing function's return type (`int`, `ssize_t`, `bool`, `void`; pointers counts the `*`),
   *  and the constant its body ends by returning (`1`, `true`): what it returns when all went well. */
  fnReturns: { name: string; pointers: number; onTheWayOut?: string };
  /** Where a helper the fix needs can be defined: the first line of the enclosing function, above
   *  its leading comment (undefined for a function defined inside a class body). */
  helperSite?: Range;
  /** The call's arguments, in order. */
  args: Range[];
  /** Enclosing loops, outermost first. */
  loops: LoopInfo[];
  /** The socket expression picks a different socket per iteration (`clients[i]`, a loop variable). */
  variesPerIteration: boolean;
  /** Requested length (send/recv) or option value (setsockopt). */
  length?: ValueInfo;
  buffer?: { text: string; key?: string };
  /** Byte size of the buffer object when it is a fixed-size array or object: an upper bound for the length. */
  bufferCapacity?: number;
  /** MSG_WAITALL / MSG_MORE / MSG_DONTWAIT / MSG_OOB among the flags. */
  flags: { waitAll: boolean; more: boolean; dontWait: boolean; outOfBand: boolean };
  /** WSASend/WSARecv/ConnectEx given a non-NULL OVERLAPPED. */
  overlappedArg: boolean;
  /** writev/sendmsg/WSASend: several buffers, the length is not in bytes. */
  vectored: boolean;
  result: ResultUse;
  errorPath: ErrorPath;
  option?: { level: string; name: string; value?: number; valueText: string; valueDecl?: { range: Range; onlyUse: boolean } };
  /** The statement is `if (<this call> ...) {...}` with no else (removing the call removes the if). */
  ownIf: boolean;
  /** The innermost loop only retries this call until it goes through. */
  retryLoop: boolean;
  /** 'helper' ops: what the helper does on the socket (in order), and facts about its sends. */
  helper?: { kinds: ('send' | 'recv')[]; sendsAll: boolean; receivesAll: boolean; returnsCount: boolean; singleSendSize?: ValueInfo; definedAt: Evidence };
  /** recv: the bytes are used as one whole message (how, where). */
  consumedAsMessage?: { how: string; range: Range; framing?: MessageFraming };
  /** recv/send: advances through the buffer (`buf + sent`), or the loop accumulates into it. */
  accumulates: boolean;
  /** Runs in a branch taken after select/poll reported the socket ready, with no loop in between. */
  afterReadiness: boolean;
  /**
   * The socket is a parameter that every caller passes a connection it has just accepted or
   * connected, with nothing sent on it before the call, and the call does not repeat on it.
   */
  openedByCallers?: boolean;
  /**
   * Sends on a parameter socket: a caller reads the socket right after this function returns (no
   * send on it in between): the read that ends the exchange, in the caller.
   */
  readByCallerAfter?: Evidence;
  /** The function holding the op has syntax errors: facts that rest on the absence of code are not trusted. */
  inBrokenCode: boolean;
  state: SocketState;
}

export interface SocketModel {
  language: string;
  /** The socket API the file is written against. */
  api: 'winsock' | 'bsd' | 'none';
  ops: SocketOp[];
  /** The file joins multicast groups (WSAJoinLeaf, IP_ADD_MEMBERSHIP): only datagram sockets can. */
  joinsMulticast: boolean;
  /** Number of ERROR/MISSING nodes: findings still come from the parts that parse. */
  errorNodes: number;
  /** The file's #include lines (fixes add headers in order, only when missing). */
  includes: { path: string; system: boolean; line: number }[];
  /** Names declared in each function (by fnKey), so inserted code does not clash with them. */
  locals: Map<string, Set<string>>;
  /** Names of the functions and macros the file defines, so a fix does not define a helper twice. */
  definedNames: Set<string>;
  /**
   * `a` can run before `b` on some path of their function (a return or an exclusive branch in
   * between rules it out). Ops of different functions: true (the order is not known). With
   * `avoiding`: on a path that does not run any of those ops in between (a read between two sends).
   * `mayPrecede(a, a)`: `a` can run again (a loop goes round to it without leaving first).
   */
  mayPrecede(a: SocketOp, b: SocketOp, avoiding?: SocketOp[]): boolean;
}
