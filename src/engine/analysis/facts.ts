// Facts the analysis draws, in its own terms (spans and file indexes; model.ts has the rules' view).
import type { CallExpr, Expr, Span } from '../ir/ir';
import type { ApiCall } from '../lang/c/api';
import type { LocKey } from './calls';
import type { FnRef } from './program';
import type { Evaluator, MaybeValue } from './values';

export interface Where { file: number; span: Span }
export interface Fact { via: string; at: Where }

export type EffectKind =
  | 'connect' | 'listen' | 'bind' | 'nonblock-on' | 'nonblock-off' | 'setsockopt' | 'close' | 'overlapped'
  | 'send' | 'recv' | 'accept-from' | 'eventselect'
  /** FIONBIO with a mode that depends on the function's parameters: decided at each call (`SetBlocking(false)`). */
  | 'nonblock-param';

/** Something done to the socket at a location: by an API call, or by a function it is passed to. */
export interface Effect {
  kind: EffectKind;
  /** The location acted on. */
  loc: LocKey;
  /** CFG node (in the function where the effect is recorded) and the call that did it there. */
  node: number;
  call: CallExpr;
  /** The API call that really did it (possibly inside a function called from here). */
  origin: Fact;
  option?: { name: string; value: MaybeValue; valueText: string };
  /** nonblock-param: the mode argument, evaluated with a call's arguments by its evaluator. */
  /** nonblock-param: the mode argument, evaluated with a call's arguments by its evaluator. `guard`: the
   * expression is the test of an `if` around a call that turns the mode on; false there means no change. */
  mode?: { expr: Expr; ev: Evaluator; guard?: boolean };
}

export interface Creation {
  key: LocKey; // `s:<file>:<call id>`
  kind: 'socket' | 'accept' | 'socketpair' | 'file';
  at: Where;
  /** What the creating call says about the socket. */
  transport: 'tcp' | 'udp' | 'unix' | 'stream' | 'file' | 'unknown';
  nonBlocking?: Fact;
  overlapped?: Fact;
  /** accept(): the listening socket's location. */
  listener?: LocKey;
  /** The statement that creates it and its indentation (for fixes), and the check of its result. */
  statement?: Span;
  errorCheck?: Span;
  display: string;
  fnKey: string;
}

/** A flow of a socket value from one location to another (assignment, argument, return). */
export interface Flow { from: LocKey; to: LocKey; kind: 'assign' | 'arg' | 'return' | 'element' }

export interface LoopFact {
  id: number;
  kind: 'for' | 'while' | 'do' | 'range';
  span: Span;
  constantBound?: number;
  infinite: boolean;
  counterBounded: boolean;
  waits: boolean;
  sleepMs?: number;
  pacedByInput: boolean;
  readsFile: boolean;
  conditionText: string;
  conditionVars: string[];
}

export interface ResultFact {
  ignored: boolean; explicitlyVoided: boolean; errorChecked: boolean; lengthChecked: boolean;
  /** Compared with some value that is neither an error value nor the requested length. */
  comparedWithOther: boolean;
  /** Tested against a count the code expects (`n != 1`, `n < 4`): a received message's length is checked. */
  expectsCount?: boolean;
  returned: boolean; asserted: boolean; passedOn: boolean; variable?: string;
  /** Written to a reference or pointer parameter: the caller gets the count (not the status the function returns). */
  handedOut?: boolean;
  /** Added to a field or global (`conn->out_start += n`): a send queue kept beyond the call. */
  advancesStored?: boolean;
  /** Stored in a field or global: checked wherever that location is compared. */
  storedTo?: LocKey;
  /** Locals the result is added to or subtracted from (`sent += n`, `left -= n`). */
  advances: string[];
}

export interface ErrorPathFact {
  exists: boolean; distinguishesWouldBlock: boolean; closes: boolean; leaves: boolean;
  wouldBlockLeaves?: boolean;
  /** The failure branch only hands the failure back to the caller (return of an error value). */
  returnsFailure: boolean;
  /** ... and what it returns is the error code itself (read from errno / WSAGetLastError()). */
  returnsErrorCode?: boolean;
  /** ... with a bare `return;` from a void function: the caller is not told anything failed. */
  returnsNothing?: boolean;
  handledByCaller?: boolean;
  span?: Span; closeSpan?: Span;
  /** The failure branch's statements are in braces (false: a single statement as the if's body). */
  braced?: boolean;
}

export interface OpFact {
  kind: import('../model').OpKind;
  callee: string;
  api?: ApiCall;
  helper?: FnRef;
  winsock: boolean;
  call: CallExpr;
  node: number;
  fn: FnRef;
  socketLoc?: LocKey;
  socketText?: string;
  /** The parameter the socket is reached from (`send(conn->fd, ...)` in `conn_write(struct conn *conn)`): 0-based. */
  socketRootParam?: number;
  /** Creation sites reaching the socket expression within the function (flow-sensitive for locals). */
  localObjects?: Set<LocKey>;
  /** The socket expression came in as a parameter (directly or through locals). */
  fromParam?: boolean;
  length?: { text: string; value: MaybeValue; expr?: import('../ir/ir').Expr };
  buffer?: { text: string; key?: string };
  bufferCapacity?: number;
  flags: { waitAll: boolean; more: boolean; dontWait: boolean; outOfBand: boolean };
  overlappedArg: boolean;
  vectored: boolean;
  result: ResultFact;
  errorPath: ErrorPathFact;
  option?: { level: string; name: string; value: MaybeValue; valueText: string; valueDecl?: { span: Span; onlyUse: boolean } };
  loops: LoopFact[];
  branches: string[];
  variesPerIteration: boolean;
  consumedAsMessage?: { how: string; span: Span; framing?: import('../model').MessageFraming };
  accumulates: boolean;
  afterReadiness: boolean;
  statement?: { span: Span; block: number; whole: boolean; ownIf: boolean };
  /** The innermost loop only retries this one call until it goes through. */
  retryLoop: boolean;
  /** For helper ops: what the helper does. */
  helperInfo?: { kinds: ('send' | 'recv')[]; sendsAll: boolean; receivesAll: boolean; returnsCount: boolean; singleSendSize?: MaybeValue };
}
