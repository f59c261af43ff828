// Command-line parsing for `socklint [paths|globs] [options]` (node's util.parseArgs).
import { parseArgs } from 'node:util';
import { PROFILE_SETTINGS, type ProfileSetting } from '../common/scenario';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface CliArgs {
  paths: string[];
  format: Format;
  /** Raw `id=severity` strings; checked against the rule list later so a typo only costs that flag. */
  rules: string[];
  explain?: string;
  maxWarnings?: number;
  encoding?: string;
  profile?: ProfileSetting;
  config?: string;
  output?: string;
  /** --max-file-size-kb / --time-budget-ms: the user's own limits, which no config file can raise past. */
  limits: Partial<Record<'maxFileSizeKb' | 'timeBudgetMs', number>>;
  /** true: --color, false: --no-color, undefined: colours on a terminal unless NO_COLOR is set. */
  color?: boolean;
  verbose: boolean;
  /** Apply the safe fixes and write the files (`--fix`), or print them as a diff (`--fix-dry-run`). */
  fix?: 'write' | 'dry-run';
  version: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: socklint [paths|globs...] [options]
       socklint simulate <scenario.json> [--format text|json]

Lints C, C++, Python, C#, Go, Java, JavaScript and TypeScript socket code for TCP anti-patterns. With no paths,
lints the current directory. Directories are walked for .c .cc .cpp .cxx .h .hh .hpp ..., .py .pyw, .cs, .go,
.java, .js .mjs .cjs .jsx and .ts .mts .cts files (not .d.ts), skipping node_modules, .git,
build output (build/, out/, dist/, bin/, obj/) and whatever .gitignore files exclude.

Options:
  --format text|json|sarif   output format (default: text)
  --rule ID=SEVERITY         set a rule (or glob: 'wouldblock-*') to off|hint|info|warning|error; repeatable
  --explain ID               print the documentation of a rule
  --max-warnings N           exit 1 when there are more than N warnings
  --encoding NAME            source encoding (auto, utf8, cp949, euc-kr, gbk, shift_jis, latin1, ...)
  --profile NAME             ${PROFILE_SETTINGS.join('|')}: the OS the numbers in messages assume
                             (default auto: windows-modern for Winsock code, linux otherwise)
  --config FILE              use this config file instead of looking for .socklintrc.json
  --output FILE, -o FILE     write the report to FILE instead of stdout (never over an input file)
  --max-file-size-kb N       skip files larger than N KB (default 1024); a config file can ask for
                             at most 4096 unless this flag is given
  --time-budget-ms N         stop a file's analysis after N ms (default 2000); a config file can ask
                             for at most 10000 unless this flag is given
  --no-color, --color        never / always colour the text report (default: on a terminal, unless NO_COLOR is set)
  --fix                      apply the safe fixes (those that need no judgement) and write the files;
                             then report what remains
  --fix-dry-run              print the safe fixes as a unified diff; write nothing
  --verbose                  print each finding's explanation; say which encoding each file was
                             decoded with, and timings
  --version, -v              print the version
  --help, -h                 print this help

Exit codes: 0 no errors (and warnings within --max-warnings), 1 errors found (or more warnings than --max-warnings),
            2 usage error, missing or unreadable path, 3 a file could not be analysed (internal error, out of
            memory); the report covers the other files.`;

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        rule: { type: 'string', multiple: true },
        explain: { type: 'string' },
        'max-warnings': { type: 'string' },
        encoding: { type: 'string' },
        profile: { type: 'string' },
        config: { type: 'string', short: 'c' },
        output: { type: 'string', short: 'o' },
        'max-file-size-kb': { type: 'string' },
        'time-budget-ms': { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        verbose: { type: 'boolean' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    // parseArgs messages are already one line, e.g. "Unknown option '--frmat'".
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const v = parsed.values;
  const format = (v.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join('|')}, got '${v.format}'`);
  let maxWarnings: number | undefined;
  if (v['max-warnings'] !== undefined) {
    maxWarnings = Number(v['max-warnings']);
    if (!/^\d+$/.test(v['max-warnings'])) throw new UsageError(`--max-warnings must be a non-negative integer, got '${v['max-warnings']}'`);
  }
  if (v.profile !== undefined && !(PROFILE_SETTINGS as readonly string[]).includes(v.profile)) {
    throw new UsageError(`--profile must be one of ${PROFILE_SETTINGS.join('|')}, got '${v.profile}'`);
  }
  if (v.fix && v['fix-dry-run']) throw new UsageError('--fix and --fix-dry-run cannot be used together');
  if (v['fix-dry-run'] && format !== 'text') throw new UsageError(`--fix-dry-run prints a diff; it cannot be combined with --format ${format}`);
  const limits: CliArgs['limits'] = {};
  for (const [flag, key] of [['max-file-size-kb', 'maxFileSizeKb'], ['time-budget-ms', 'timeBudgetMs']] as const) {
    const raw = v[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || !(n > 0)) throw new UsageError(`--${flag} must be a positive number, got '${raw}'`);
    limits[key] = n;
  }
  return {
    paths: parsed.positionals,
    format,
    rules: v.rule ?? [],
    explain: v.explain,
    maxWarnings,
    encoding: v.encoding,
    profile: v.profile as ProfileSetting | undefined,
    config: v.config,
    output: v.output,
    limits,
    color: v['no-color'] ? false : v.color ? true : undefined,
    verbose: !!v.verbose,
    fix: v.fix ? 'write' : v['fix-dry-run'] ? 'dry-run' : undefined,
    version: !!v.version,
    help: !!v.help,
  };
}
