// Calls that hand a function of the program to the runtime, to be called later with arguments given
// now: a thread's entry point and its parameter, an event callback and its socket. The analysis
// treats them as calls of that function, so facts about the socket flow into it.
import type { CallExpr, Expr } from '../ir/ir';
import { stripCasts } from '../ir/walk';

export interface Registration {
  /** Argument index of the function handed over. */
  fn: number;
  /** Pairs of (argument index of the registering call, parameter index of the callback). */
  args: [number, number][];
}

const REGISTRATIONS: Record<string, Registration> = {
  CreateThread: { fn: 2, args: [[3, 0]] },
  _beginthreadex: { fn: 2, args: [[3, 0]] },
  _beginthread: { fn: 0, args: [[2, 0]] },
  pthread_create: { fn: 2, args: [[3, 0]] },
  QueueUserWorkItem: { fn: 0, args: [[1, 0]] },
  // libevent: the callback gets (fd, what, arg).
  event_new: { fn: 3, args: [[1, 0], [4, 2]] },
  event_set: { fn: 3, args: [[1, 0], [4, 2]] },
  event_assign: { fn: 4, args: [[2, 0], [5, 2]] },
  event_once: { fn: 3, args: [[1, 0], [4, 2]] },
};

/** `std::thread t(fn, a, b)`, `std::thread(fn, a)`, `std::async(fn, a)`: the function, then its arguments in order. */
const FORWARDING = new Set(['thread', 'jthread', 'async']);

export interface CallbackCall { fn: Expr; args: { from: Expr; param: number }[] }

/** The callback a registering call hands over, and which of its arguments reach which parameter. */
export function registeredCallback(call: CallExpr, name: string): CallbackCall | undefined {
  const reg = REGISTRATIONS[name];
  if (reg) {
    const fn = call.args[reg.fn];
    if (!fn) return undefined;
    return { fn: functionRef(fn), args: reg.args.filter(([a]) => call.args[a]).map(([a, p]) => ({ from: call.args[a], param: p })) };
  }
  if (FORWARDING.has(name) && call.args.length > 0) {
    // std::async may take a launch policy first.
    const first = stripCasts(call.args[0]);
    const offset = first.k === 'name' && first.qualifier !== undefined && first.name !== 'async' && call.args.length > 1 && isLaunchPolicy(first) ? 1 : 0;
    return { fn: functionRef(call.args[offset]), args: call.args.slice(offset + 1).map((from, i) => ({ from, param: i })) };
  }
  return undefined;
}

/** The same for a C++ declaration that constructs a thread: `std::thread t(handle_client, fd);`. */
export function threadConstruction(typeName: string, init: Expr | undefined): CallbackCall | undefined {
  if (!FORWARDING.has(typeName) || !init || init.k !== 'init' || init.elems.length === 0) return undefined;
  return { fn: functionRef(init.elems[0]), args: init.elems.slice(1).map((from, i) => ({ from, param: i })) };
}

function isLaunchPolicy(e: Expr): boolean {
  return e.k === 'name' && (e.name === 'async' || e.name === 'deferred');
}

/** `fn`, `&fn`, `(LPTHREAD_START_ROUTINE)fn` -> the name. */
function functionRef(e: Expr): Expr {
  let x = stripCasts(e);
  if (x.k === 'unary' && x.op === '&') x = stripCasts(x.arg);
  return x;
}
