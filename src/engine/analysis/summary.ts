// What a function does, seen from its callers (compositional summaries, as in Infer): what it does to
// each socket parameter and in what order, what it does with its other parameters (compares them,
// advances with them, parses them as a message), and what it does overall (waits, closes, exits,
// tells WOULDBLOCK apart). Computed bottom-up over the call graph (analyze.ts).
import type { EffectKind, Fact } from './facts';
import type { Expr } from '../ir/ir';
import type { Evaluator, MaybeValue } from './values';

export interface ParamEffect {
  kind: EffectKind;
  origin: Fact;
  option?: { name: string; value: MaybeValue; valueText: string };
  mode?: { expr: Expr; ev: Evaluator; guard?: boolean };
}

export interface Summary {
  /** Per socket parameter: effects in the order they happen (through nested calls too). */
  paramEffects: Map<number, ParamEffect[]>;
  /** Per socket parameter: sends and receives in order. */
  transfers: Map<number, ('send' | 'recv')[]>;
  /** FIONBIO on a field (`this->m_handle`) with a mode its parameters decide (`SetBlocking(bool)`): settled at each call. */
  fieldModes: { loc: string; origin: Fact; mode: { expr: Expr; ev: Evaluator; guard?: boolean } }[];
  /** Modes the caller's arguments decide for the socket this function returns (`open_socket(ip, port, nonblocking)`). */
  returnModes: { origin: Fact; mode: { expr: Expr; ev: Evaluator; guard?: boolean } }[];
  /** Parameters whose socket is a field of what they point to (`conn_write(conn)` sends on conn->fd): that field's location. */
  transferFields: Map<number, string>;
  /** Socket parameters on which every byte asked for is sent (a loop that advances until done). */
  sendsAll: Set<number>;
  /** Socket parameters on which the function receives until a count is reached (framed reads). */
  receivesAll: Set<number>;
  /** A socket parameter's only send, when it is outside any loop: its size. */
  singleSendSize: Map<number, MaybeValue>;
  /** The same send's length expression, to evaluate with one call's arguments (`Send(s, &code, 1)`: 1 + 2 bytes). */
  singleSendLength: Map<number, { expr: Expr; ev: Evaluator }>;
  /** Returns the count a send/recv returned (the caller must check it). */
  returnsCount: boolean;
  /** Other parameters: compared (with a length), used to advance, returned, stored. */
  paramCompared: Set<number>;
  paramAdvanced: Set<number>;
  paramReturned: Set<number>;
  /** Buffer parameters parsed or shown as one whole message, and how. */
  paramMessage: Map<number, string>;
  /** Buffer parameters whose bytes are appended to a reassembly buffer. */
  paramAccumulated: Set<number>;
  waits: boolean;
  readsInput: boolean;
  sleepMs?: number;
  /** Closes a socket (or tears a connection down). */
  closes: boolean;
  /** Its result says whether an error is WOULDBLOCK (`is_eagain()`, `sock_would_block(err)`). */
  classifiesWouldBlock: boolean;
  /** Mentions WOULDBLOCK at all. */
  mentionsWouldBlock: boolean;
  /** Never returns (every path ends in exit/abort or a function that never returns). */
  noReturn: boolean;
  /** The body has syntax errors. */
  broken: boolean;
}

export function emptySummary(): Summary {
  return {
    paramEffects: new Map(), transfers: new Map(), sendsAll: new Set(), receivesAll: new Set(), singleSendSize: new Map(), singleSendLength: new Map(), transferFields: new Map(), fieldModes: [], returnModes: [],
    returnsCount: false, paramCompared: new Set(), paramAdvanced: new Set(), paramReturned: new Set(), paramMessage: new Map(),
    paramAccumulated: new Set(), waits: false, readsInput: false, closes: false, classifiesWouldBlock: false,
    mentionsWouldBlock: false, noReturn: false, broken: false,
  };
}

/** Summaries changed (for the fixpoint over recursive functions). */
export function sameSummary(a: Summary, b: Summary): boolean {
  const size = (s: Summary) => [
    [...s.paramEffects.values()].reduce((n, l) => n + l.length, 0), [...s.transfers.values()].reduce((n, l) => n + l.length, 0),
    s.sendsAll.size, s.receivesAll.size, s.singleSendSize.size, s.paramCompared.size, s.paramAdvanced.size, s.paramReturned.size,
    s.paramMessage.size, s.paramAccumulated.size, +s.returnsCount, +s.waits, +s.readsInput, +s.closes, +s.classifiesWouldBlock,
    +s.mentionsWouldBlock, +s.noReturn, s.sleepMs ?? -1,
  ].join(',');
  return size(a) === size(b);
}
