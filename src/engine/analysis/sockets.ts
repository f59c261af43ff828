// Socket identity across the program. Locations (calls.ts) are joined by flows (assignments,
// arguments, returns, containers); creation sites (socket()/accept() calls) are the objects.
//
// Facts flow along "up, then down" paths only: from a location up to everything that flows into it
// (the objects it may hold), then down to everything those flow into (the helpers they are passed
// to, the fields they are stored in). A fact set inside a helper on its parameter applies to every
// socket passed in; a fact set by one caller on its socket never reaches another caller's socket
// through the helper they share.
import type { Budget } from '../budget';
import type { LocKey } from './calls';
import type { Creation, Effect, Flow } from './facts';

const MAX_CLOSURE = 4000;

export class SocketGraph {
  private down = new Map<LocKey, Set<LocKey>>();
  private up = new Map<LocKey, Set<LocKey>>();
  private effectsAt = new Map<LocKey, Effect[]>();
  readonly creations = new Map<LocKey, Creation>();
  private upCache = new Map<LocKey, Set<LocKey>>();
  private closureCache = new Map<LocKey, Set<LocKey>>();

  constructor(private budget: Budget) {}

  addFlow(f: Flow): void {
    if (f.from === f.to) return;
    add(this.down, f.from, f.to);
    add(this.up, f.to, f.from);
  }

  addEffect(e: Effect): void {
    const list = this.effectsAt.get(e.loc);
    if (list) list.push(e); else this.effectsAt.set(e.loc, [e]);
  }

  addCreation(c: Creation): void { this.creations.set(c.key, c); }

  /** The location and everything that flows into it, transitively. */
  upstream(loc: LocKey): Set<LocKey> {
    const hit = this.upCache.get(loc);
    if (hit) return hit;
    const out = walk(loc, this.up, this.budget);
    this.upCache.set(loc, out);
    return out;
  }

  /** Up, then down: every location whose facts apply to the socket at `loc`. */
  closure(loc: LocKey): Set<LocKey> {
    const hit = this.closureCache.get(loc);
    if (hit) return hit;
    const ups = this.upstream(loc);
    const out = new Set<LocKey>(ups);
    const stack = [...ups];
    while (stack.length && out.size < MAX_CLOSURE) {
      this.budget.tick();
      const k = stack.pop()!;
      for (const n of this.down.get(k) ?? []) {
        if (out.has(n)) continue;
        out.add(n);
        stack.push(n);
      }
    }
    this.closureCache.set(loc, out);
    return out;
  }

  /** The creation sites a location may hold. */
  objects(loc: LocKey): Creation[] {
    const out: Creation[] = [];
    for (const k of this.upstream(loc)) {
      const c = this.creations.get(k);
      if (c) out.push(c);
    }
    return out;
  }

  /** Effects on any location of the closure. */
  effects(loc: LocKey): Effect[] {
    const out: Effect[] = [];
    for (const k of this.closure(loc)) {
      const list = this.effectsAt.get(k);
      if (list) out.push(...list);
    }
    return out;
  }

  /** Effects recorded on exactly these locations. */
  effectsOn(locs: Iterable<LocKey>): Effect[] {
    const out: Effect[] = [];
    for (const k of locs) {
      const list = this.effectsAt.get(k);
      if (list) out.push(...list);
    }
    return out;
  }

  /** Locations that flow into `loc` directly. */
  sources(loc: LocKey): Set<LocKey> { return this.up.get(loc) ?? new Set(); }
  targets(loc: LocKey): Set<LocKey> { return this.down.get(loc) ?? new Set(); }
}

function add(m: Map<LocKey, Set<LocKey>>, k: LocKey, v: LocKey): void {
  const s = m.get(k);
  if (s) s.add(v); else m.set(k, new Set([v]));
}

function walk(start: LocKey, edges: Map<LocKey, Set<LocKey>>, budget: Budget): Set<LocKey> {
  const out = new Set<LocKey>([start]);
  const stack = [start];
  while (stack.length && out.size < MAX_CLOSURE) {
    budget.tick();
    const k = stack.pop()!;
    for (const n of edges.get(k) ?? []) {
      if (out.has(n)) continue;
      out.add(n);
      stack.push(n);
    }
  }
  return out;
}
