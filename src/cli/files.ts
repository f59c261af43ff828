// Which files to lint: the paths and globs on the command line, directories walked for C/C++
// sources, minus build output, node_modules, VCS folders and what .gitignore files (nested ones
// too) or the config's "ignore" exclude. A file named explicitly is linted even if .gitignore'd.
import { existsSync, readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { glob, isDynamicPattern } from 'tinyglobby';
import { readRegularFile } from '../common/bounded-read';
import { languageIdForPath } from '../engine';

/** Directory names never walked into: dependencies, VCS data and common build output. */
export const SKIPPED_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', 'build', 'out', 'dist', 'bin', 'obj', '.vs', 'CMakeFiles',
]);
const isSkippedDir = (name: string) => SKIPPED_DIRS.has(name) || name.startsWith('cmake-build-');

/** Bounds for the walk, so a huge or looping tree cannot hang the run. */
const MAX_DEPTH = 64;
const MAX_ENTRIES = 500_000;
/** A .gitignore larger than this is not read (the repository's own file must not cost unbounded work). */
const MAX_GITIGNORE_BYTES = 1024 * 1024;

export interface DiscoverOptions {
  cwd: string;
  /** The config's "ignore" globs for this path (true = excluded). */
  configIgnores(absPath: string, isDir: boolean): boolean;
  /**
   * One line for the user: a missing path, a named path that cannot be linted, a skipped file, a
   * bound hit. `file` (absolute) is the path it is about when that path came from the file system,
   * so that the caller can print its name safely.
   */
  report(message: string, kind: 'missing' | 'unusable' | 'skipped', file?: string): void;
}

/** Finds and caches .gitignore files from the repository root (or the walk's start) downwards. */
class GitIgnores {
  private perDir = new Map<string, Ignore | null>();
  private roots = new Map<string, string | null>();

  private load(dir: string): Ignore | null {
    let ig = this.perDir.get(dir);
    if (ig === undefined) {
      ig = null;
      // An unreadable, oversized or irregular .gitignore excludes nothing; the files it names are then linted.
      const read = readRegularFile(path.join(dir, '.gitignore'), MAX_GITIGNORE_BYTES);
      if (read.kind === 'ok') ig = ignore().add(read.bytes.toString('utf8'));
      this.perDir.set(dir, ig);
    }
    return ig;
  }

  /** The nearest ancestor holding `.git`, or null outside a repository. */
  repoRoot(dir: string): string | null {
    if (this.roots.has(dir)) return this.roots.get(dir)!;
    const parent = path.dirname(dir);
    const root = existsSync(path.join(dir, '.git')) ? dir : parent === dir ? null : this.repoRoot(parent);
    this.roots.set(dir, root);
    return root;
  }

  /**
   * True when the .gitignore files between `top` and the path's directory exclude it. As in git,
   * the deepest file with a matching pattern decides (a nested `!keep.c` overrides a parent's `*.c`).
   */
  ignored(absPath: string, isDir: boolean, top: string): boolean {
    for (let dir = path.dirname(absPath); ; dir = path.dirname(dir)) {
      const ig = this.load(dir);
      if (ig) {
        const rel = path.relative(dir, absPath).split(path.sep).join('/');
        const verdict = ig.test(isDir ? `${rel}/` : rel);
        if (verdict.ignored) return true;
        if (verdict.unignored) return false;
      }
      if (dir === top || path.dirname(dir) === dir) return false;
    }
  }
}

const isInside = (dir: string, p: string) => {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Resolves the command line's paths and globs to absolute file paths, in a stable order. */
export async function discoverFiles(args: string[], opts: DiscoverOptions): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  const gitignores = new GitIgnores();
  let entries = 0;
  let boundReported = false;
  const add = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      out.push(f);
    }
  };

  const walk = (dir: string, top: string, depth: number) => {
    if (depth > MAX_DEPTH) {
      opts.report(`skipped: nested deeper than ${MAX_DEPTH} directories`, 'skipped', dir);
      return;
    }
    let dirents: Dirent[];
    try {
      dirents = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      opts.report(`skipped: cannot read directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'skipped', dir);
      return;
    }
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of dirents) {
      if (++entries > MAX_ENTRIES) {
        if (!boundReported) opts.report(`stopped walking after ${MAX_ENTRIES} entries`, 'skipped', dir);
        boundReported = true;
        return;
      }
      const p = path.join(dir, d.name);
      // Symlinked directories are not followed (they can loop); symlinked files are linted.
      let isDir = d.isDirectory();
      let isFile = d.isFile();
      if (d.isSymbolicLink()) {
        try {
          isFile = statSync(p).isFile();
        } catch {
          isFile = false;
        }
        isDir = false;
      }
      if (isDir) {
        if (isSkippedDir(d.name) || gitignores.ignored(p, true, top) || opts.configIgnores(p, true)) continue;
        walk(p, top, depth + 1);
      } else if (isFile && languageIdForPath(d.name)) {
        if (gitignores.ignored(p, false, top) || opts.configIgnores(p, false)) continue;
        add(p);
      }
    }
  };

  for (const arg of args.length ? args : ['.']) {
    const abs = path.resolve(opts.cwd, arg);
    let stat;
    let statError: string | undefined;
    try {
      stat = statSync(abs);
    } catch (e) {
      statError = (e as NodeJS.ErrnoException).code;
    }
    if (stat?.isDirectory()) {
      const top = gitignores.repoRoot(abs) ?? abs;
      walk(abs, isInside(top, abs) ? top : abs, 0);
    } else if (stat) {
      // Only regular files: reading a FIFO or a device would block or never end. Naming one is an
      // input error (exit 2), not an empty run.
      if (!stat.isFile()) opts.report('cannot be linted: not a regular file (a FIFO, socket or device)', 'unusable', abs);
      else if (!languageIdForPath(abs)) opts.report('skipped: not a C, C++, Python, C#, Go, Java, JavaScript or TypeScript file (by its extension)', 'skipped', abs);
      else if (opts.configIgnores(abs, false)) opts.report('skipped: excluded by "ignore" in the config file', 'skipped', abs);
      else add(abs);
    } else if (isDynamicPattern(arg)) {
      const matches = await glob(arg, {
        cwd: opts.cwd, absolute: true, onlyFiles: true, followSymbolicLinks: false,
        ignore: [...SKIPPED_DIRS].map((d) => `**/${d}/**`),
      });
      const top = gitignores.repoRoot(opts.cwd) ?? opts.cwd;
      const files = matches
        .map((m) => path.normalize(m))
        .filter((m) => languageIdForPath(m) && !(isInside(top, m) && gitignores.ignored(m, false, top)) && !opts.configIgnores(m, false))
        .sort();
      if (files.length === 0) opts.report(`${arg}: no C, C++, Python, C#, Go, Java, JavaScript or TypeScript files match this pattern`, 'missing');
      files.forEach(add);
    } else {
      const why = !statError || statError === 'ENOENT' ? 'no such file or directory' : `cannot read (${statError})`;
      opts.report(`${arg}: ${why}`, 'missing');
    }
  }
  return out;
}
