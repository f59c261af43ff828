// Which files of a set are worth parsing. Most files of a large code base never touch a socket
// (curl's lib/: 14 of 387 files call the socket API), and parsing is most of the cost. The analysis
// itself only looks at functions that call the socket API and at their callers, up to a few levels
// (analysis/analyze.ts); this chooses the files that can hold them, from a linear lexer pass:
//   1. seeds: files that call the socket API (or a macro that does), mention WOULDBLOCK, or carry
//      a socklint directive (an unused suppression is still reported);
//   2. each round, the files that call a function found to reach the socket API (by name: a
//      superset), as long as that function is fewer than MAX_CALLER_LEVELS calls away from it;
//   3. the headers those files include (types, constants, inline functions).
// Files never chosen are clean by construction: nothing in them can produce a finding.
import { Budget } from './budget';
import type { IncludeGraph } from './includes';
import type { FileIR } from './ir/ir';
import { C_API, WOULDBLOCK_NAMES } from './lang/c/api';
import { macroCallsApi, SOCKET_API_NAMES } from './lang/c/frontend';
import { lexCalls } from './lang/c/lexer';
import { DEFAULT_TIME_BUDGET_MS, type LintOptions } from './types';

/**
 * The socket API proper: read/write/close/fcntl/ioctl work on any file descriptor, and most files of
 * a large program call them on files; a function calling only those does not make its callers
 * worth parsing.
 * A function that writes to a socket it was handed is reached from the socket's side instead.
 */
const SOCKET_ONLY_NAMES = new Set([...SOCKET_API_NAMES].filter((n) => !C_API[n]?.fdCall));
/** Calls that move bytes on a descriptor. */
const TRANSFER_NAMES = new Set([...SOCKET_API_NAMES].filter((n) => C_API[n]?.kind === 'send' || C_API[n]?.kind === 'recv'));
/** fcntl/ioctl on their own make a file worth parsing (`set_nonblocking(fd)` lives there), not its callers. */
const MODE_CALLS = new Set([...SOCKET_API_NAMES].filter((n) => C_API[n]?.fdCall && (C_API[n].kind === 'fcntl' || C_API[n].kind === 'ioctl')));

const ENTRY_POINTS = new Set(['main', 'wmain', '_tmain', 'WinMain', 'wWinMain', '_tWinMain']);

/** Levels of callers followed, as many as the analysis chooses (analysis/analyze.ts). */
const MAX_CALLER_LEVELS = 5;

interface Candidate<S> { source: S; calls: Set<string>; seed: boolean }

export class RelevantFiles<S extends { path: string; text: string; report?: boolean; options?: LintOptions }> {
  private readonly candidates: Candidate<S>[] = [];
  private readonly picked = new Set<S>();
  /** Function name -> calls away from the socket API (0: calls it directly). */
  private readonly distance = new Map<string, number>();
  private readonly expanded = new Set<string>();
  private readonly parsed: FileIR[] = [];

  constructor(private readonly sources: readonly S[], private readonly includes: IncludeGraph, options: LintOptions) {
    if (sources.length <= 1) {
      for (const source of sources) this.candidates.push({ source, calls: new Set(), seed: true });
      return;
    }
    const apiMacros = includes.macroNamesWhere((m) => macroCallsApi(m.body, SOCKET_ONLY_NAMES));
    for (const source of sources) {
      let calls = new Set<string>();
      let seed = true; // a file the lexer cannot read in time is parsed, and bounded there
      try {
        const budget = Budget.fromNow((source.options?.timeBudgetMs ?? options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS) / 4);
        const lexed = lexCalls(source.text, budget, WOULDBLOCK_NAMES);
        calls = new Set(lexed.calls.map((c) => c.name));
        seed = lexed.mentions.size > 0 || source.text.includes('socklint-')
          || [...calls].some((c) => SOCKET_ONLY_NAMES.has(c) || MODE_CALLS.has(c) || apiMacros.has(c));
      } catch {
        // seed stays true
      }
      this.candidates.push({ source, calls, seed });
    }
  }

  /** The first files to parse. */
  seeds(): S[] {
    return this.take((c) => c.seed);
  }

  /** Given the files just parsed, the next ones: files calling a function that reaches the socket API. */
  next(parsed: FileIR[]): S[] {
    this.parsed.push(...parsed);
    // How many calls away from the socket API each parsed function is (0: it calls it), to a fixpoint.
    for (let changed = true, pass = 0; changed && pass <= MAX_CALLER_LEVELS; pass++) {
      changed = false;
      for (const f of this.parsed) {
        for (const fn of f.functions) {
          // `main` is called by nobody (a test file's own main must not pull in every file that has one).
          if (ENTRY_POINTS.has(fn.name)) continue;
          let d = Infinity;
          for (const c of fn.calls) {
            if (SOCKET_ONLY_NAMES.has(c)) { d = 0; break; }
            const dc = this.distance.get(c);
            if (dc !== undefined && dc + 1 < d) d = dc + 1;
          }
          if (d <= MAX_CALLER_LEVELS && d < (this.distance.get(fn.name) ?? Infinity)) { this.distance.set(fn.name, d); changed = true; }
        }
      }
    }
    // Callers of a function at distance d are at d + 1: worth parsing while that is within reach.
    const wanted = new Set<string>();
    for (const [name, d] of this.distance) {
      if (d < MAX_CALLER_LEVELS && !this.expanded.has(name)) { wanted.add(name); this.expanded.add(name); }
    }
    // Downwards: the source files implementing headers the parsed files include, when they read or
    // write a descriptor (`bool Session::sendIo() { return write(fd_, ...); }` in Session.cpp).
    const implementations = new Set<string>();
    for (const f of parsed) for (const h of this.includes.closure(f.path)) for (const impl of this.includes.implementationsOf(h)) implementations.add(impl);
    return this.take((c) => [...c.calls].some((n) => wanted.has(n))
      || (implementations.has(c.source.path) && [...c.calls].some((n) => TRANSFER_NAMES.has(n))));
  }

  /** The headers the parsed files include that are not parsed yet. */
  headersOf(parsed: S[]): S[] {
    const wanted = new Set<string>();
    for (const s of parsed) for (const h of this.includes.closure(s.path)) wanted.add(h);
    return this.take((c) => wanted.has(c.source.path));
  }

  chosen(source: S): boolean {
    return this.picked.has(source);
  }

  private take(pred: (c: Candidate<S>) => boolean): S[] {
    const out: S[] = [];
    for (const c of this.candidates) {
      if (this.picked.has(c.source) || !pred(c)) continue;
      this.picked.add(c.source);
      out.push(c.source);
    }
    return out;
  }
}
