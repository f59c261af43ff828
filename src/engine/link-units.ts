// Which files of a set form one program. A repository often holds several programs (a client and a
// server, one folder per exercise, tutorials side by side) that reuse names: three `Send()`s, two
// classes `TCPServer`, a global `sock` in each. Analysed as one program, facts would cross from one
// to another (a socket "made non-blocking" by a different program). So the set is split the way a
// build links it: each file defining `main` (or `WinMain`, ...) starts a program, which takes in the
// headers it includes, the source files implementing those headers, and the files defining functions
// it calls, transitively. Files no program reaches (a library without a `main`) form one more unit.
// With fewer than two programs, the whole set is one unit, as before.
import type { FileIR } from './ir/ir';
import type { IncludeGraph } from './includes';

const ENTRY_POINTS = new Set(['main', 'wmain', '_tmain', 'WinMain', 'wWinMain', '_tWinMain']);

export interface LinkUnit {
  /** Indexes of the files analysed together. */
  files: number[];
  /** Of those, the files this unit reports findings for (each file is reported by the units that reach it). */
  reports: number[];
}

export function linkUnits(files: readonly FileIR[], includes: IncludeGraph): LinkUnit[] {
  const all = files.map((_, i) => i);
  const roots = all.filter((i) => files[i].functions.some((f) => !f.className && ENTRY_POINTS.has(f.name)));
  if (roots.length < 2) return [{ files: all, reports: all }];

  const indexByPath = new Map(files.map((f, i) => [f.path, i]));
  const rootSet = new Set(roots);
  // Non-static free functions by name, with the files defining them.
  const definers = new Map<string, number[]>();
  files.forEach((f, i) => {
    for (const fn of f.functions) {
      if (fn.className || fn.isStatic || ENTRY_POINTS.has(fn.name)) continue;
      const list = definers.get(fn.name);
      if (!list) definers.set(fn.name, [i]); else if (!list.includes(i)) list.push(i);
    }
  });
  const dirOf = (i: number) => files[i].path.slice(0, files[i].path.lastIndexOf('/') + 1);

  // A file under another program's main directory belongs to that program: a call is not linked
  // to it by name alone (TCPFighterDummy's `RecvProc` is not TCPFighterServer's).
  const homes = roots.map((r) => dirOf(r));
  const belongsElsewhere = (candidate: number, start: number[]) => {
    const own = start.map(dirOf);
    return homes.some((h) => !own.includes(h) && dirOf(candidate).startsWith(h) && !own.some((o) => o.startsWith(h)));
  };

  const reach = (start: number[]): number[] => {
    const unit = new Set<number>(start);
    const queue = [...start];
    const add = (i: number | undefined) => {
      // Another program's main file is never linked in: two mains cannot be one program.
      if (i === undefined || unit.has(i) || (rootSet.has(i) && !start.includes(i))) return;
      unit.add(i);
      queue.push(i);
    };
    for (let q = 0; q < queue.length; q++) {
      const i = queue[q];
      const f = files[i];
      for (const h of includes.closure(f.path)) {
        add(indexByPath.get(h));
        for (const impl of includes.implementationsOf(h)) add(indexByPath.get(impl));
      }
      for (const fn of f.functions) {
        for (const name of fn.calls) {
          const defs = definers.get(name);
          if (!defs || defs.includes(i)) continue;
          add(chooseDefinition(defs.filter((d) => !belongsElsewhere(d, start)), i, unit, dirOf, rootSet));
        }
      }
    }
    return [...unit].sort((a, b) => a - b);
  };

  const units: LinkUnit[] = roots.map((r) => {
    const unit = reach([r]);
    return { files: unit, reports: unit };
  });
  const reached = new Set(units.flatMap((u) => u.files));
  const orphans = all.filter((i) => !reached.has(i));
  if (orphans.length > 0) units.push({ files: reach(orphans), reports: orphans });
  return units;
}

/**
 * The file whose definition a call from `from` links to: the only one, else the one already in the
 * program, else the one beside the caller. Several equally likely: none (the call stays unresolved
 * for linking, which only means the other file is not pulled in).
 */
function chooseDefinition(defs: number[], from: number, unit: Set<number>, dirOf: (i: number) => string, roots: Set<number>): number | undefined {
  const candidates = defs.filter((d) => !roots.has(d) || unit.has(d));
  if (candidates.length === 1) return candidates[0];
  const inUnit = candidates.filter((d) => unit.has(d));
  if (inUnit.length > 0) return undefined; // already linked: nothing to add
  const besides = candidates.filter((d) => dirOf(d) === dirOf(from));
  return besides.length === 1 ? besides[0] : undefined;
}
