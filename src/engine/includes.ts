// The #include graph of a set of files, read from their directives (no parse needed), and the macros
// each file sees through it. Everything is computed once per file and memoised: a lookup costs a map
// read, however many headers a file pulls in (curl's lib/ asks millions of lookups in one run).
import { Budget } from './budget';
import type { MacroDef } from './ir/ir';
import type { MacroTable } from './lang/c/macros';
import { includeFromDirective, macroFromDirective, scanDirectives } from './lang/c/preprocessor';

/** At most this many headers are followed from one file (include cycles and huge trees stay cheap). */
const MAX_HEADERS_PER_FILE = 256;

const SOURCE_EXTENSIONS = ['.c', '.cc', '.cpp', '.cxx', '.c++', '.C'];

interface FileDirectives { macros: Map<string, MacroDef>; includes: string[] }

export class IncludeGraph {
  private readonly files = new Map<string, FileDirectives>();
  /** Files of the set by their last path segment, to resolve `<ngx_core.h>` or "net/conn.h" by suffix. */
  private readonly byBaseName = new Map<string, string[]>();
  /** The same by lower-cased name: `#include "Packet.h"` finds packet.h, as it does on Windows and macOS. */
  private readonly byFoldedBaseName = new Map<string, string[]>();
  private readonly resolved = new Map<string, string | null>();
  private readonly closures = new Map<string, string[]>();
  private readonly lookups = new Map<string, Map<string, MacroDef | null>>();

  /** `budgetMs` bounds the directive scan of each file; a file that overruns contributes nothing. */
  constructor(sources: readonly { path: string; text: string }[], budgetMs: (index: number) => number) {
    if (sources.length < 2) return;
    sources.forEach((s, i) => {
      const budget = Budget.fromNow(budgetMs(i));
      try {
        const macros = new Map<string, MacroDef>();
        const includes: string[] = [];
        for (const d of scanDirectives(s.text, budget)) {
          const m = macroFromDirective(d);
          if (m) macros.set(m.name, m);
          // <ngx_core.h> names a file of the project as often as "net.h" does: both are followed when the set has them.
          const inc = includeFromDirective(d);
          if (inc) includes.push(inc.path);
        }
        this.files.set(s.path, { macros, includes });
        const base = s.path.slice(s.path.lastIndexOf('/') + 1);
        const list = this.byBaseName.get(base);
        if (list) list.push(s.path); else this.byBaseName.set(base, [s.path]);
        const folded = this.byFoldedBaseName.get(base.toLowerCase());
        if (folded) folded.push(s.path); else this.byFoldedBaseName.set(base.toLowerCase(), [s.path]);
      } catch {
        // A file whose directives cannot be read in time contributes no macros.
      }
    });
  }

  /** Names of the macros of the set whose body satisfies `pred` (any file's definition). */
  macroNamesWhere(pred: (m: MacroDef) => boolean): Set<string> {
    const out = new Set<string>();
    for (const f of this.files.values()) for (const m of f.macros.values()) if (pred(m)) out.add(m.name);
    return out;
  }

  /** The macros a file sees through the headers it includes (its own come first, from the file itself). */
  macrosSeenBy(path: string): MacroTable {
    return { lookup: (name) => this.lookup(path, name) };
  }

  private lookup(path: string, name: string): MacroDef | undefined {
    if (this.files.size === 0) return undefined;
    let cache = this.lookups.get(path);
    if (!cache) { cache = new Map(); this.lookups.set(path, cache); }
    const hit = cache.get(name);
    if (hit !== undefined) return hit ?? undefined;
    let found: MacroDef | null = null;
    for (const p of this.closure(path)) {
      const m = this.files.get(p)?.macros.get(name);
      if (m) { found = m; break; }
    }
    cache.set(name, found);
    return found ?? undefined;
  }

  /** The headers a file includes, directly or through others, nearest first (breadth first). */
  closure(path: string): string[] {
    const known = this.closures.get(path);
    if (known) return known;
    const out: string[] = [];
    const seen = new Set<string>([path]);
    const queue = [path];
    for (let i = 0; i < queue.length && out.length < MAX_HEADERS_PER_FILE; i++) {
      const from = queue[i];
      for (const inc of this.files.get(from)?.includes ?? []) {
        const r = this.resolve(from, inc);
        if (!r || seen.has(r)) continue;
        seen.add(r);
        out.push(r);
        queue.push(r);
      }
    }
    this.closures.set(path, out);
    return out;
  }

  /** The file, or a header it includes (directly or through others), includes one of these (by base name, any case). */
  reachesHeader(path: string, baseNames: ReadonlySet<string>): boolean {
    for (const p of [path, ...this.closure(path)]) {
      for (const inc of this.files.get(p)?.includes ?? []) {
        if (baseNames.has(inc.slice(inc.lastIndexOf('/') + 1).toLowerCase())) return true;
      }
    }
    return false;
  }

  /** Source files that implement a header: `net/conn.h` -> `net/conn.c` (or .cc, .cpp, ...) beside it. */
  implementationsOf(header: string): string[] {
    const dot = header.lastIndexOf('.');
    if (dot < 0 || header.lastIndexOf('/') > dot) return [];
    const stem = header.slice(0, dot);
    return SOURCE_EXTENSIONS.map((e) => stem + e).filter((p) => this.files.has(p));
  }

  /** `#include "net/conn.h"` from `src/main.c`: `src/net/conn.h`, else the one file of the set ending in that path. */
  private resolve(from: string, inc: string): string | undefined {
    const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
    const key = dir + '\0' + inc;
    const known = this.resolved.get(key);
    if (known !== undefined) return known ?? undefined;
    let result: string | null = null;
    const direct = normalise(dir + inc);
    const base = inc.slice(inc.lastIndexOf('/') + 1);
    const suffix = '/' + inc;
    // A file system that ignores case (Windows, macOS) finds packet.h for `#include "Packet.h"`.
    const folded = (this.byFoldedBaseName.get(base.toLowerCase()) ?? []).filter((p) => p.toLowerCase() === inc.toLowerCase() || p.toLowerCase().endsWith(suffix.toLowerCase()));
    const beside = folded.filter((p) => p.toLowerCase() === direct.toLowerCase());
    if (this.files.has(direct)) {
      result = direct;
    } else if (beside.length === 1) {
      result = beside[0];
    } else {
      const candidates = (this.byBaseName.get(base) ?? []).filter((p) => p === inc || p.endsWith(suffix));
      if (candidates.length === 1) result = candidates[0];
      else if (candidates.length === 0 && folded.length === 1) result = folded[0];
    }
    this.resolved.set(key, result);
    return result ?? undefined;
  }
}

function normalise(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '..') out.pop(); else if (part !== '.' && part !== '') out.push(part);
  }
  return (p.startsWith('/') ? '/' : '') + out.join('/');
}
