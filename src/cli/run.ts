// `socklint [paths|globs] [options]`: finds the files, reads and decodes them, lints them with
// the engine under the config that governs each, and prints one report. Problems with single
// inputs (a missing path, a binary or unreadable file, a broken config) are one line on stderr
// each and the run goes on with the rest.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { version } from '../../package.json';
import {
  allRules, initEngine, lint, ruleById, languageIdForPath, UNUSED_SUPPRESSION_RULE,
  DEFAULT_MAX_FILE_SIZE_BYTES, type SeveritySetting,
} from '../engine';
import { mergeConfigs, parseSeverity, ruleKeyMatches, SEVERITY_CHOICES, toLintOptions, type SocklintConfig } from '../engine/config';
import { parseCliArgs, UsageError, USAGE, type CliArgs } from './args';
import { ConfigResolver } from './config-loader';
import { decodeSource, encodingExists } from './decode';
import { formatExplain } from './explain';
import { discoverFiles } from './files';
import { FixRun } from './fix';
import { runSimulate } from './simulate';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { countSeverities, type FileReport, type RunNotice, type RunReport } from './report';

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  cwd: string;
  env: Record<string, string | undefined>;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

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
  const say = (m: string) => io.stderr.write(`${m}\n`);
  if (argv[0] === 'simulate') {
    return runSimulate(argv.slice(1), {
      stdout: io.stdout,
      stderr: io.stderr,
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

  await initEngine();
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
    say(abs ? `${display(abs)}: ${message}` : message);
  };

  const cliLayer: SocklintConfig = { rules: ruleFlags(args.rules, ruleIds, (m) => notice('warning', m)) };
  if (args.profile) cliLayer.profile = args.profile;
  if (args.encoding) cliLayer.encoding = args.encoding;

  const resolver = new ConfigResolver(io.cwd, { ruleIds, encodingExists }, (m) => notice('warning', m), args.config);
  if (resolver.explicitMissing) usageProblem = true;

  const files = await discoverFiles(args.paths, {
    cwd: io.cwd,
    configIgnores: (p, isDir) => resolver.ignores(p, isDir),
    report: (m, kind) => {
      if (kind === 'missing') usageProblem = true;
      notice(kind === 'missing' ? 'error' : 'warning', m);
    },
  });

  const fixer = args.fix ? new FixRun(args.fix === 'dry-run', (level, m, abs) => notice(level, m, abs)) : undefined;
  const reports: FileReport[] = [];
  for (const abs of files) {
    const languageId = languageIdForPath(abs)!;
    const config = mergeConfigs(resolver.forPath(abs).config, cliLayer);
    const maxBytes = config.maxFileSizeKb !== undefined ? Math.round(config.maxFileSizeKb * 1024) : DEFAULT_MAX_FILE_SIZE_BYTES;
    let buf: Buffer;
    try {
      const size = statSync(abs).size;
      if (size > maxBytes) {
        notice('warning', `skipped: ${Math.ceil(size / 1024)} KB is over the ${Math.round(maxBytes / 1024)} KB limit (maxFileSizeKb)`, abs);
        continue;
      }
      buf = readFileSync(abs);
    } catch (e) {
      notice('error', `skipped: cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, abs);
      continue;
    }
    const decoded = decodeSource(buf, config.encoding);
    if (decoded.kind === 'binary') {
      notice('warning', `skipped: ${decoded.reason}`, abs);
      continue;
    }
    if (decoded.warning) notice('warning', decoded.warning, abs);
    else if (args.verbose && decoded.encoding !== 'utf-8') {
      say(`${display(abs)}: decoded as ${decoded.encoding}${decoded.confidence !== undefined ? ` (detected, confidence ${decoded.confidence}%)` : ''}`);
    }
    try {
      const options = { ...toLintOptions(config), maxFileSizeBytes: maxBytes };
      let result = lint(decoded.text, languageId, options);
      let text = decoded.text;
      if (fixer) ({ text, result } = fixer.file(abs, display(abs), buf, decoded, result, (t) => lint(t, languageId, options)));
      for (const n of result.notices) notice(n.kind === 'internal' ? 'error' : 'warning', n.message, abs);
      if (result.notices.some((n) => n.kind === 'internal')) internalError = true;
      if (args.verbose) say(`${display(abs)}: parsed in ${result.timing.parseMs.toFixed(1)} ms, analysed in ${result.timing.analyseMs.toFixed(1)} ms`);
      reports.push({
        abs, display: display(abs), languageId, encoding: decoded.encoding,
        text: args.format === 'text' && result.findings.length ? text : undefined,
        findings: result.findings, suppressed: result.suppressed,
      });
    } catch (e) {
      // lint() is not meant to throw; if it does, report it and keep going with the other files.
      internalError = true;
      notice('error', `internal error: ${(e as Error).message.split('\n')[0]}`, abs);
    }
  }
  if (files.length === 0 && !usageProblem) say('socklint: no C or C++ files found');

  const counts = countSeverities(reports);
  let exitCode = EXIT_OK;
  if (counts.error > 0) exitCode = EXIT_FINDINGS;
  if (args.maxWarnings !== undefined && counts.warning > args.maxWarnings) {
    say(`socklint: ${counts.warning} warnings, more than --max-warnings ${args.maxWarnings}`);
    exitCode = EXIT_FINDINGS;
  }
  if (usageProblem || internalError) exitCode = EXIT_USAGE;

  const report: RunReport = { cwd: io.cwd, files: reports, notices, exitCode };
  if (fixer) say(fixer.summary(counts.error + counts.warning + counts.info + counts.hint));
  // Nothing was linted: the lines on stderr say why, and a "No problems" summary would contradict them.
  const nothingLinted = args.format === 'text' && files.length === 0;
  const out = fixer?.dryRun ? fixer.diff()
    : args.format === 'json' ? formatJson(report)
      : args.format === 'sarif' ? formatSarif(report, version)
        : nothingLinted ? ''
          : formatText(report, useColor(args, io), args.verbose);
  if (args.output) {
    try {
      writeFileSync(path.resolve(io.cwd, args.output), out);
    } catch (e) {
      say(`socklint: cannot write ${args.output} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return EXIT_USAGE;
    }
  } else {
    io.stdout.write(out);
  }
  return exitCode;
}
