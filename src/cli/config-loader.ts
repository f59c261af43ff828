// Finds the .socklintrc.json that applies to a file: the nearest one in the file's directory or
// its parents (then the current directory's), or the one named by --config. Each file is read and
// its problems reported once; a broken file falls back to the defaults for the files it governs.
import { statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { readRegularFile } from '../common/bounded-read';
import { CONFIG_FILE_NAME, MAX_CONFIG_FILE_BYTES, parseConfigText, type ParseConfigOptions, type SocklintConfig } from '../engine/config';

export interface LoadedConfig {
  config: SocklintConfig;
  /** Absolute path of the file, or undefined when no config file applies. */
  file?: string;
  ignores?: Ignore;
}

const NONE: LoadedConfig = { config: {} };

export class ConfigResolver {
  private byFile = new Map<string, LoadedConfig>();
  private byDir = new Map<string, LoadedConfig>();
  private readonly explicit?: LoadedConfig;

  constructor(
    private readonly cwd: string,
    private readonly parseOptions: ParseConfigOptions,
    /** One line per problem, naming the file. */
    private readonly report: (message: string) => void,
    explicitFile?: string,
  ) {
    if (explicitFile) this.explicit = this.load(path.resolve(cwd, explicitFile), true);
  }

  /** The config files read so far (absolute paths). */
  loadedFiles(): string[] {
    return [...this.byFile.entries()].filter(([, c]) => c.file !== undefined).map(([f]) => f);
  }

  /** True when --config named a file that could not be read. */
  get explicitMissing(): boolean {
    return this.explicit !== undefined && this.explicit.file === undefined;
  }

  private load(file: string, mustExist: boolean): LoadedConfig {
    const cached = this.byFile.get(file);
    if (cached) return cached;
    const shown = path.relative(this.cwd, file) || file;
    let loaded: LoadedConfig = NONE;
    let text: string | undefined;
    // Bounded and non-blocking: the repository decides what `.socklintrc.json` is (a FIFO, a huge file).
    const read = readRegularFile(file, MAX_CONFIG_FILE_BYTES);
    if (read.kind === 'ok') text = read.bytes.toString('utf8');
    else if (read.kind === 'too-large') this.report(`${shown}: larger than ${MAX_CONFIG_FILE_BYTES / 1024} KB, not read; using the defaults`);
    else if (read.kind === 'not-regular') this.report(`${shown}: not a regular file, not read; using the defaults`);
    else if (mustExist || read.code !== 'ENOENT') this.report(`${shown}: cannot read config file (${read.code}); using the defaults`);
    if (text !== undefined) {
      const { config, errors } = parseConfigText(text, shown, this.parseOptions);
      errors.forEach((m) => this.report(m));
      const ig = config.ignore?.length ? ignore().add(config.ignore) : undefined;
      loaded = { config, file, ignores: ig };
    }
    this.byFile.set(file, loaded);
    return loaded;
  }

  private nearest(dir: string): LoadedConfig {
    const chain: string[] = [];
    let found: LoadedConfig = NONE;
    // Walks up to the filesystem root; each directory is looked at once per run.
    for (let d = dir; ; d = path.dirname(d)) {
      const cached = this.byDir.get(d);
      if (cached) {
        found = cached;
        break;
      }
      chain.push(d);
      const candidate = path.join(d, CONFIG_FILE_NAME);
      if (isFile(candidate)) {
        found = this.load(candidate, true);
        break;
      }
      if (path.dirname(d) === d) break;
    }
    for (const d of chain) this.byDir.set(d, found);
    return found;
  }

  /** The config governing a file (absolute path): the nearest one from its directory upwards. */
  forPath(absPath: string): LoadedConfig {
    if (this.explicit) return this.explicit;
    const own = this.nearest(path.dirname(absPath));
    return own.file ? own : this.nearest(this.cwd);
  }

  /** True when the "ignore" globs of the config governing the path (from its parent) exclude it. */
  ignores(absPath: string, isDir: boolean): boolean {
    const c = this.forPath(absPath);
    if (!c.ignores || !c.file) return false;
    const rel = path.relative(path.dirname(c.file), absPath).split(path.sep).join('/');
    if (rel === '' || rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) return false;
    return c.ignores.ignores(isDir ? `${rel}/` : rel);
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
