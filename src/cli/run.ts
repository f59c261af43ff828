// `socklint [paths|globs] [options]`: finds the files, reads and decodes them, lints them with
// the engine under the config that governs each, and prints one report. Problems with single
// inputs (a missing path, a binary or unreadable file, a broken config) are one line on stderr
// each and the run goes on with the rest. The files are analysed together, so facts cross
// functions and files. The engine runs in a worker (src/engine-host): when the set cannot be
// analysed together (a crash, memory), each file is linted on its own, and a file that crashes the
// engine is reported as failed while the others are analysed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { version } from '../../package.json';
import { readRegularFile } from '../common/bounded-read';
import { allRules, ruleById, languageIdForPath, UNUSED_SUPPRESSION_RULE, type LanguageId, type LintOptions, type LintResult, type SeveritySetting } from '../engine';
import {
  capLimits, DEFAULT_CEILINGS, DEFAULT_LIMITS, LIMIT_KEYS, mergeConfigs, parseSeverity, ruleKeyMatches, SEVERITY_CHOICES, toLintOptions,
  type LimitKey, type Limits, type SocklintConfig,
} from '../engine/config';
import { createEngine, engineOptionsFromEnv } from '../engine-host/host';
import { parseCliArgs, UsageError, USAGE, type CliArgs } from './args';
import { ConfigResolver } from './config-loader';
import { decodeSource, encodingExists } from './decode';
import { formatExplain } from './explain';
import { quoteName, showControls } from './escape';
import { discoverFiles } from './files';
import { FixRun } from './fix';
import { overwrittenInput, writeFileAtomically } from './output-file';
import { runSimulate } from './simulate';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { countSeverities, type FileReport, type RunNotice, type RunReport, type RunStats } from './report';

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  cwd: string;
  env: Record<string, string | undefined>;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** At least one file could not be analysed (internal error, out of memory); the report covers the rest. */
export const EXIT_FILE_FAILED = 3;

const LIMIT_FLAGS: Record<LimitKey, string> = { maxFileSizeKb: '--max-file-size-kb', timeBudgetMs: '--time-budget-ms' };

/** Engine notices that mean the file was not analysed by design (a bound, binary content). */
const SKIP_NOTICES = new Set(['too-large', 'time-budget', 'binary']);

function outcomeOf(result: LintResult): keyof RunStats {
  if (result.notices.some((n) => n.kind === 'internal')) return 'failed';
  return result.notices.some((n) => SKIP_NOTICES.has(n.kind)) ? 'skipped' : 'analysed';
}

const toPosix = (p: string) => p.split(path.sep).join('/');

function useColor(args: CliArgs, io: CliIo): boolean {
  if (args.output) return false;
  if (args.color !== undefined) return args.color;
  if (io.env.NO_COLOR) return false; // https://no-color.org: any non-empty value
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return !!io.stdout.isTTY;
}

/** `--rule id=severity` flags as a config layer; a bad flag is reported and dropped. */
function ruleFlags(flags: string[], ruleIds: string[], warn: (m: string) => void): Record<string, SeveritySetting> {
  const rules: Record<string, SeveritySetting> = {};
  for (const flag of flags) {
    const eq = flag.lastIndexOf('=');
    const id = flag.slice(0, Math.max(eq, 0)).trim();
    const severity = eq > 0 ? parseSeverity(flag.slice(eq + 1).trim()) : undefined;
    if (!id || !severity) {
      warn(`--rule '${flag}': expected ID=${SEVERITY_CHOICES}; flag ignored`);
    } else if (!ruleIds.some((r) => ruleKeyMatches(id, r))) {
      warn(`--rule '${flag}': ${/[*?]/.test(id) ? 'the glob matches no rule' : `unknown rule id '${id}'`}; flag ignored (rules: ${ruleIds.join(', ')})`);
    } else {
      rules[id] = severity;
    }
  }
  return rules;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Nothing from a file (names, messages quoting source) reaches the terminal raw.
  const say = (m: string) => io.stderr.write(`${showControls(m)}\n`);
  if (argv[0] === 'simulate') {
    return runSimulate(argv.slice(1), {
      stdout: io.stdout,
      stderr: { write: (s: string) => io.stderr.write(s.split('\n').map(showControls).join('\n')) },
      readFile: (p: string) => readFileSync(path.resolve(io.cwd, p), 'utf8'),
    });
  }

  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
    if (args.encoding && !encodingExists(args.encoding)) throw new UsageError(`--encoding: unknown encoding '${args.encoding}'`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(`socklint: ${e.message}`);
    say(`Run 'socklint --help' for usage.`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT_OK;
  }
  if (args.version) {
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }

  const ruleIds = [...allRules().map((r) => r.id), UNUSED_SUPPRESSION_RULE];

  if (args.explain !== undefined) {
    const rule = ruleById(args.explain);
    if (!rule) {
      say(`socklint: unknown rule '${args.explain}'. Rules: ${allRules().map((r) => r.id).join(', ')}`);
      return EXIT_USAGE;
    }
    io.stdout.write(formatExplain(rule));
    return EXIT_OK;
  }

  const notices: RunNotice[] = [];
  let usageProblem = false;
  let internalError = false;
  const display = (abs: string) => toPosix(path.relative(io.cwd, abs)) || '.';
  const notice = (level: RunNotice['level'], message: string, abs?: string) => {
    notices.push({ level, message, file: abs ? { abs, display: display(abs) } : undefined });
    say(abs ? `${quoteName(display(abs))}: ${message}` : message);
  };

  const cliLayer: SocklintConfig = { rules: ruleFlags(args.rules, ruleIds, (m) => notice('warning', m)) };
  if (args.profile) cliLayer.profile = args.profile;
  if (args.encoding) cliLayer.encoding = args.encoding;
  // The user's limits (flags) apply as given; a config file, which comes with the repository, may
  // ask for at most the ceilings (the defaults' ceilings, or the user's own limits if higher).
  Object.assign(cliLayer, args.limits);
  const ceilings: Limits = { ...DEFAULT_CEILINGS };
  for (const key of LIMIT_KEYS) ceilings[key] = Math.max(ceilings[key], args.limits[key] ?? 0);
  const resolver = new ConfigResolver(io.cwd, { ruleIds, encodingExists }, (m) => notice('warning', m), args.config);
  if (resolver.explicitMissing) usageProblem = true;
  /** The config governing a file, its limits capped at the ceilings (each lowered value is said once). */
  const cappedConfigs = new Map<string, SocklintConfig>();
  const repositoryConfig = (abs: string): SocklintConfig => {
    const loaded = resolver.forPath(abs);
    if (!loaded.file) return loaded.config;
    let capped = cappedConfigs.get(loaded.file);
    if (!capped) {
      const shown = toPosix(path.relative(io.cwd, loaded.file)) || loaded.file;
      const r = capLimits(loaded.config, ceilings, shown, (key, c) => `the ceiling of ${c} (only ${LIMIT_FLAGS[key]} can raise it)`);
      r.notes.forEach((m) => notice('warning', m));
      capped = r.config;
      cappedConfigs.set(loaded.file, capped);
    }
    return capped;
  };

  const files = await discoverFiles(args.paths, {
    cwd: io.cwd,
    configIgnores: (p, isDir) => resolver.ignores(p, isDir),
    report: (m, kind, file) => {
      if (kind !== 'skipped') usageProblem = true;
      notice(kind === 'skipped' ? 'warning' : 'error', m, file);
    },
  });

  // Refuse before any work: the report must never replace a file this run reads.
  const outputPath = args.output ? path.resolve(io.cwd, args.output) : undefined;
  const overwrites = (target: string) => overwrittenInput(target, [...files, ...resolver.loadedFiles()]);
  if (outputPath && overwrites(outputPath)) {
    say(`socklint: refusing to write the report to ${quoteName(args.output!)}: it is one of the files being linted (or their config)`);
    return EXIT_USAGE;
  }

  const fromEnv = engineOptionsFromEnv(io.env);
  fromEnv.problems.forEach((m) => notice('warning', m));
  const engine = createEngine(fromEnv.options);
  const stats: RunStats = { analysed: 0, skipped: 0, failed: 0 };
  const reports: FileReport[] = [];
  const fixer = args.fix ? new FixRun(args.fix === 'dry-run', (level, m, abs) => notice(level, m, abs)) : undefined;
  // Read and decode every file first: they are analysed together.
  const inputs: { abs: string; languageId: LanguageId; bytes: Buffer; decoded: { text: string; encoding: string }; options: LintOptions }[] = [];
  try {
    for (const abs of files) {
      const languageId = languageIdForPath(abs)!;
      const config = mergeConfigs(repositoryConfig(abs), cliLayer);
      const maxBytes = Math.round((config.maxFileSizeKb ?? DEFAULT_LIMITS.maxFileSizeKb) * 1024);
      const read = readRegularFile(abs, maxBytes);
      if (read.kind !== 'ok') {
        stats.skipped++;
        if (read.kind === 'too-large') notice('warning', `skipped: ${Math.ceil(read.size / 1024)} KB is over the ${Math.round(maxBytes / 1024)} KB limit (maxFileSizeKb)`, abs);
        else notice('error', `skipped: cannot read file (${read.kind === 'error' ? read.code : 'no longer a regular file'})`, abs);
        continue;
      }
      const decoded = decodeSource(read.bytes, config.encoding);
      if (decoded.kind === 'binary') {
        stats.skipped++;
        notice('warning', `skipped: ${decoded.reason}`, abs);
        continue;
      }
      if (decoded.warning) notice('warning', decoded.warning, abs);
      else if (args.verbose && decoded.encoding !== 'utf-8') {
        say(`${quoteName(display(abs))}: decoded as ${decoded.encoding}${decoded.confidence !== undefined ? ` (detected, confidence ${decoded.confidence}%)` : ''}`);
      }
      inputs.push({ abs, languageId, bytes: read.bytes, decoded, options: { ...toLintOptions(config), maxFileSizeBytes: maxBytes } });
    }
    const project = (texts: Map<string, string> = new Map()) => inputs.map((i) => ({ path: i.abs, text: texts.get(i.abs) ?? i.decoded.text, languageId: i.languageId, options: i.options }));
    const together = inputs.length > 0 ? await engine.lintProject(project()) : new Map<string, LintResult>();
    if (!together && inputs.length > 0) notice('warning', 'the files could not be analysed together; each is analysed on its own, without facts from the others');
    for (const input of inputs) {
      const { abs, languageId, decoded } = input;
      let result = together?.get(abs) ?? await engine.lint(decoded.text, languageId, input.options);
      let text = decoded.text;
      if (fixer) {
        // Re-lint a fixed file together with the others, so the facts that crossed files still hold.
        const relint = async (t: string) => (together && (await engine.lintProject(project(new Map([[abs, t]]))))?.get(abs)) ?? engine.lint(t, languageId, input.options);
        ({ text, result } = await fixer.file(abs, display(abs), input.bytes, decoded, result, relint));
      }
      for (const n of result.notices) notice(n.kind === 'internal' ? 'error' : 'warning', n.message, abs);
      stats[outcomeOf(result)]++;
      if (args.verbose) say(`${quoteName(display(abs))}: parsed in ${result.timing.parseMs.toFixed(1)} ms, analysed in ${result.timing.analyseMs.toFixed(1)} ms`);
      reports.push({
        abs, display: display(abs), languageId, encoding: decoded.encoding,
        text: args.format === 'text' && result.findings.length ? text : undefined,
        findings: result.findings, suppressed: result.suppressed,
      });
    }
  } finally {
    await engine.dispose();
  }
  if (files.length === 0 && !usageProblem) say('socklint: no C, C++, Python, C#, Go, Java, JavaScript or TypeScript files found');

  const counts = countSeverities(reports);
  let exitCode = EXIT_OK;
  if (counts.error > 0) exitCode = EXIT_FINDINGS;
  if (args.maxWarnings !== undefined && counts.warning > args.maxWarnings) {
    say(`socklint: ${counts.warning} warnings, more than --max-warnings ${args.maxWarnings}`);
    exitCode = EXIT_FINDINGS;
  }
  if (stats.failed > 0) exitCode = EXIT_FILE_FAILED;
  if (usageProblem) exitCode = EXIT_USAGE;

  const report: RunReport = { cwd: io.cwd, files: reports, notices, exitCode, stats };
  if (fixer) say(fixer.summary(counts.error + counts.warning + counts.info + counts.hint));
  // Nothing was linted: the lines on stderr say why, and a "No problems" summary would contradict them.
  const nothingLinted = args.format === 'text' && files.length === 0;
  const out = fixer?.dryRun ? fixer.diff()
    : args.format === 'json' ? formatJson(report)
      : args.format === 'sarif' ? formatSarif(report, version)
        : nothingLinted ? ''
          : formatText(report, useColor(args, io), args.verbose);
  if (outputPath) {
    try {
      // Checked again: a config file found during the run counts too.
      if (overwrites(outputPath)) throw Object.assign(new Error('it is one of the files being linted'), { code: 'an input file' });
      writeFileAtomically(outputPath, out);
    } catch (e) {
      say(`socklint: cannot write ${quoteName(args.output!)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return EXIT_USAGE;
    }
  } else {
    io.stdout.write(out);
  }
  return exitCode;
}
