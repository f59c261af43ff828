// `npm run bench:peer`: the socklint CLI against ast-grep (the peer rule set in
// ../shared/baseline-astgrep, 40 YAML rules on the same tree-sitter grammars), side by side in one run.
// Each round runs ast-grep, then socklint, as child processes on the same directory; we report medians,
// the socklint/ast-grep ratio (the figure that survives a shared machine's noise), the peak RSS of
// each child and the load average before and after, so a reader can judge how quiet the machine was.
//
// Inputs: the repository's examples/ always; curl's lib/ and redis's src/ when given (there is no
// network access from the benchmark, so it never fetches them):
//   npm run bench:peer -- --curl ~/src/curl/lib --redis ~/src/redis/src [--rounds 5] [--json out.json]
// or SOCKLINT_BENCH_CURL / SOCKLINT_BENCH_REDIS. Never commit those trees.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { discoverFiles } from '../src/cli/files';

const ROOT = path.join(__dirname, '..');

/** A directory the benchmark can only take from the user: where to get it, and how to pass it. */
export interface PeerInput { key: 'curl' | 'redis'; label: string; env: string; flag: string; get: string }

export const PEER_INPUTS: readonly PeerInput[] = [
  { key: 'curl', label: 'curl lib/', env: 'SOCKLINT_BENCH_CURL', flag: '--curl', get: 'git clone https://github.com/curl/curl   (then pass curl/lib)' },
  { key: 'redis', label: 'redis src/', env: 'SOCKLINT_BENCH_REDIS', flag: '--redis', get: 'git clone https://github.com/redis/redis   (then pass redis/src)' },
];

export interface PeerOptions {
  rounds: number;
  /** Untimed rounds first, so that both tools read the files from a warm page cache. */
  warmup: number;
  /** Directories to measure, in order: examples/ first, then the peer inputs that were given. */
  inputs: { name: string; dir: string }[];
  /** The peer inputs that were not given (each printed with how to get it). */
  skipped: PeerInput[];
  sgconfig: string;
  astGrep: string | undefined;
  json: string | undefined;
  help: boolean;
}

export class BenchUsageError extends Error {}

export const PEER_USAGE = `Usage: npm run bench:peer -- [--curl DIR] [--redis DIR] [--rounds N] [--warmup N] [--json FILE]
                           [--sgconfig FILE] [--ast-grep BINARY]

Times the socklint CLI (node dist/cli.js DIR --format json) against ast-grep
(ast-grep scan -c SGCONFIG --json=stream DIR), alternating them for N rounds (default 5) on
examples/ and on curl's lib/ and redis's src/ when given.

  --curl DIR        curl's lib/ directory (or SOCKLINT_BENCH_CURL); get it with: git clone https://github.com/curl/curl
  --redis DIR       redis's src/ directory (or SOCKLINT_BENCH_REDIS); get it with: git clone https://github.com/redis/redis
  --rounds N        timed rounds per input (default 5)
  --warmup N        untimed rounds before them (default 1)
  --json FILE       also write every figure and every round as JSON to FILE
  --sgconfig FILE   the ast-grep rule set (default ../shared/baseline-astgrep/sgconfig.yml)
  --ast-grep PATH   the ast-grep binary (default: the one installed by @ast-grep/cli)`;

function count(value: string | undefined, flag: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new BenchUsageError(`${flag} needs a whole number >= ${min}, not '${value}'`);
  return n;
}

function directory(value: string, from: string): string {
  const dir = path.resolve(value);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new BenchUsageError(`${from}: ${dir} is not a directory`);
  return dir;
}

/** Reads the command line and the environment; a given path that is not a directory is an error, never a skip. */
export function parsePeerArgs(argv: string[], env: NodeJS.ProcessEnv = process.env, root = ROOT): PeerOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        curl: { type: 'string' }, redis: { type: 'string' }, rounds: { type: 'string' }, warmup: { type: 'string' },
        json: { type: 'string' }, sgconfig: { type: 'string' }, 'ast-grep': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new BenchUsageError((e as Error).message);
  }
  const inputs = [{ name: 'examples/', dir: path.join(root, 'examples') }];
  const skipped: PeerInput[] = [];
  for (const p of PEER_INPUTS) {
    const given = values[p.key] ?? (env[p.env] || undefined);
    if (given === undefined) skipped.push(p);
    else inputs.push({ name: p.label, dir: directory(given, values[p.key] !== undefined ? p.flag : p.env) });
  }
  return {
    rounds: count(values.rounds, '--rounds', 5, 1),
    warmup: count(values.warmup, '--warmup', 1, 0),
    inputs,
    skipped,
    sgconfig: path.resolve(values.sgconfig ?? path.join(root, '..', 'shared', 'baseline-astgrep', 'sgconfig.yml')),
    astGrep: values['ast-grep'],
    json: values.json,
    help: values.help ?? false,
  };
}

/** The line printed for an input that was not given: that it was skipped, and how to get it. */
export function skipNotice(p: PeerInput): string {
  return `skipped ${p.label}: not given. Get it with: ${p.get}; pass it with ${p.flag} DIR or ${p.env}=DIR`;
}

/** The native binary that @ast-grep/cli installs for this platform (its .bin shim only forwards to it). */
function findAstGrep(): string {
  const { platform, arch } = process;
  const suffix = platform === 'linux' ? '-gnu' : platform === 'win32' ? '-msvc' : '';
  const exe = platform === 'win32' ? 'ast-grep.exe' : 'ast-grep';
  try {
    const pkg = require.resolve(`@ast-grep/cli-${platform}-${arch}${suffix}/package.json`, { paths: [ROOT] });
    const bin = path.join(path.dirname(pkg), exe);
    if (existsSync(bin)) return bin;
  } catch {
    // not installed for this platform: fall through to the error below
  }
  throw new BenchUsageError(`no ast-grep binary for ${platform}-${arch} under node_modules/@ast-grep: run npm ci, or pass --ast-grep PATH`);
}

// ---- measuring one child process ----

/** How peak RSS is measured: GNU time's %M (the child's ru_maxrss), else VmHWM polled from /proc, else not at all. */
type RssMethod = 'gnu-time' | 'proc-vmhwm' | 'none';

function detectRssMethod(): RssMethod {
  try {
    if (execFileSync('/usr/bin/time', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).includes('GNU')) return 'gnu-time';
  } catch (e) {
    // GNU time prints its version on stderr in some builds
    const err = (e as { stderr?: string }).stderr ?? '';
    if (err.includes('GNU')) return 'gnu-time';
  }
  return existsSync('/proc/self/status') ? 'proc-vmhwm' : 'none';
}

interface Sample { wallMs: number; peakRssKb: number | undefined; code: number | null; stdout: string; stderr: string }

const readVmHwmKb = (pid: number): number | undefined => {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined; // the process has exited
  }
};

function measure(cmd: string, args: string[], rss: RssMethod, scratch: string): Promise<Sample> {
  const timeOut = path.join(scratch, 'time.out');
  const [file, argv] = rss === 'gnu-time' ? ['/usr/bin/time', ['-f', '%M', '-o', timeOut, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [], err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // The fallback: VmHWM is the kernel's high-water mark, so polling only misses growth in the last interval.
    let hwm: number | undefined;
    const poll = rss === 'proc-vmhwm' && child.pid !== undefined
      ? setInterval(() => { const v = readVmHwmKb(child.pid!); if (v !== undefined) hwm = Math.max(hwm ?? 0, v); }, 5)
      : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (poll) clearInterval(poll);
      let peakRssKb = hwm;
      if (rss === 'gnu-time') {
        const last = readFileSync(timeOut, 'utf8').trim().split('\n').pop() ?? '';
        peakRssKb = /^\d+$/.test(last) ? Number(last) : undefined;
      }
      resolve({ wallMs, peakRssKb, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

// ---- the two tools ----

interface Tool {
  name: 'ast-grep' | 'socklint';
  command(dir: string): [string, string[]];
  /** Findings in a run's output; throws when the run failed (so an error is never timed as a result). */
  findings(s: Sample): number;
}

const failed = (tool: string, s: Sample) => new Error(`${tool} failed (exit ${s.code}):\n${s.stderr.slice(0, 2000)}`);

function astGrepTool(bin: string, sgconfig: string): Tool {
  return {
    name: 'ast-grep',
    command: (dir) => [bin, ['scan', '-c', sgconfig, '--json=stream', '--inspect', 'summary', dir]],
    findings(s) {
      // Exit 1 means an error-severity rule matched; anything else non-zero is a failure.
      if (s.code !== 0 && s.code !== 1) throw failed('ast-grep', s);
      const lines = s.stdout.split('\n').filter((l) => l.trim() !== '');
      for (const l of lines) if (typeof (JSON.parse(l) as { ruleId?: unknown }).ruleId !== 'string') throw failed('ast-grep', s);
      return lines.length;
    },
  };
}

function socklintTool(): Tool {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  return {
    name: 'socklint',
    command: (dir) => [process.execPath, [cli, dir, '--format', 'json']],
    findings(s) {
      // Exit 1 means error-severity findings; 2 and 3 are usage and analysis failures.
      if (s.code !== 0 && s.code !== 1) throw failed('socklint', s);
      const report = JSON.parse(s.stdout) as unknown;
      if (!Array.isArray(report)) throw failed('socklint', s);
      return report.length;
    },
  };
}

/** ast-grep's own count of the files it scanned (from --inspect summary on stderr). */
const astGrepFileCount = (s: Sample): number | undefined => {
  const m = /scannedFileCount=(\d+)/.exec(s.stderr);
  return m ? Number(m[1]) : undefined;
};

/** The files socklint lints in `dir`: its own walker (same extensions, .gitignore and skipped directories). */
async function socklintFileCount(dir: string): Promise<number> {
  return (await discoverFiles([dir], { cwd: ROOT, configIgnores: () => false, report: () => {} })).length;
}

// ---- statistics and the run ----

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const maxOrUndefined = (xs: (number | undefined)[]) => (xs.every((x) => x !== undefined) ? Math.max(...(xs as number[])) : undefined);

function load(): { uptime: string; loadavg: number[] } {
  let uptime = '';
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = '(uptime not available)';
  }
  return { uptime, loadavg: os.loadavg().map((x) => Number(x.toFixed(2))) };
}

interface ToolFigures { medianWallMs: number; wallMs: number[]; peakRssKb: number | undefined; files: number | undefined; findings: number }
interface Comparison {
  name: string; dir: string; rounds: number;
  astGrep: ToolFigures; socklint: ToolFigures;
  /** socklint / ast-grep: the median of each round's ratio, and the ratio of the two medians. */
  ratioMedianOfRounds: number; ratioOfMedians: number;
  loadBefore: ReturnType<typeof load>; loadAfter: ReturnType<typeof load>;
}

async function compare(name: string, dir: string, tools: [Tool, Tool], opts: PeerOptions, rss: RssMethod, scratch: string, socklintFiles: number | undefined): Promise<Comparison> {
  const loadBefore = load();
  const samples: Record<string, Sample[]> = { 'ast-grep': [], socklint: [] };
  const findings: Record<string, Set<number>> = { 'ast-grep': new Set(), socklint: new Set() };
  for (let round = 0; round < opts.warmup + opts.rounds; round++) {
    for (const tool of tools) {
      const [cmd, args] = tool.command(dir);
      const s = await measure(cmd, args, rss, scratch);
      findings[tool.name].add(tool.findings(s));
      if (round >= opts.warmup) samples[tool.name].push(s);
    }
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const loadAfter = load();
  const figures = (tool: Tool['name'], files: number | undefined): ToolFigures => {
    if (findings[tool].size !== 1) throw new Error(`${tool} reported a different number of findings across rounds on ${dir}: ${[...findings[tool]].join(', ')}`);
    const wallMs = samples[tool].map((s) => Number(s.wallMs.toFixed(1)));
    return { medianWallMs: median(wallMs), wallMs, peakRssKb: maxOrUndefined(samples[tool].map((s) => s.peakRssKb)), files, findings: [...findings[tool]][0] };
  };
  const astGrep = figures('ast-grep', astGrepFileCount(samples['ast-grep'][0]));
  const socklint = figures('socklint', socklintFiles);
  return {
    name, dir, rounds: opts.rounds, astGrep, socklint,
    ratioMedianOfRounds: median(socklint.wallMs.map((w, i) => w / astGrep.wallMs[i])),
    ratioOfMedians: socklint.medianWallMs / astGrep.medianWallMs,
    loadBefore, loadAfter,
  };
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtMb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
const fmtRatio = (r: number) => `${r.toFixed(2)}x`;

function table(rows: Comparison[]): string {
  const head = ['input', 'files sg/sl', 'findings sg/sl', 'ast-grep', 'socklint', 'ratio (rounds)', 'ratio (medians)', 'peak RSS sg', 'peak RSS sl', 'load before → after'];
  const body = rows.map((r) => [
    r.name,
    `${r.astGrep.files ?? '?'} / ${r.socklint.files ?? '?'}`,
    `${r.astGrep.findings} / ${r.socklint.findings}`,
    fmtMs(r.astGrep.medianWallMs),
    fmtMs(r.socklint.medianWallMs),
    fmtRatio(r.ratioMedianOfRounds),
    fmtRatio(r.ratioOfMedians),
    fmtMb(r.astGrep.peakRssKb),
    fmtMb(r.socklint.peakRssKb),
    `${r.loadBefore.loadavg[0]} → ${r.loadAfter.loadavg[0]}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const git = (dir: string, ...args: string[]): string | undefined => {
  try {
    return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
};

/** The commit of the checkout `dir` belongs to; for an input, only when that checkout is its own (a clone of curl), not this repository. */
function gitCommit(dir: string, own = false): string | undefined {
  if (!own && git(dir, 'rev-parse', '--show-toplevel') === git(ROOT, 'rev-parse', '--show-toplevel')) return undefined;
  return git(dir, 'rev-parse', '--short=12', 'HEAD');
}

async function main(): Promise<void> {
  let opts: PeerOptions;
  try {
    opts = parsePeerArgs(process.argv.slice(2));
    if (opts.help) {
      console.log(PEER_USAGE);
      return;
    }
    if (!existsSync(opts.sgconfig)) throw new BenchUsageError(`the ast-grep rule set ${opts.sgconfig} does not exist (pass --sgconfig FILE)`);
    if (!existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new BenchUsageError('dist/cli.js is missing: run npm run build first (npm run bench:peer does)');
  } catch (e) {
    if (!(e instanceof BenchUsageError)) throw e;
    console.error(`bench:peer: ${e.message}\n\n${PEER_USAGE}`);
    process.exitCode = 2;
    return;
  }
  const astGrepBin = opts.astGrep ?? findAstGrep();
  const tools: [Tool, Tool] = [astGrepTool(astGrepBin, opts.sgconfig), socklintTool()];
  const rss = detectRssMethod();
  const astGrepVersion = execFileSync(astGrepBin, ['--version'], { encoding: 'utf8' }).trim();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'socklint-bench-peer-'));
  try {
    console.log(`# socklint vs ${astGrepVersion} (rules: ${opts.sgconfig})`);
    console.log(`${opts.rounds} round${opts.rounds === 1 ? '' : 's'} (+${opts.warmup} warm-up) per input, alternating ast-grep, socklint; peak RSS by ${rss}; ${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? '?'}`);
    for (const p of opts.skipped) console.log(skipNotice(p));
    const comparisons: Comparison[] = [];
    for (const input of opts.inputs) {
      process.stderr.write(`${input.name} (${input.dir}) `);
      comparisons.push(await compare(input.name, input.dir, tools, opts, rss, scratch, await socklintFileCount(input.dir)));
    }

    // Start-up: what a run costs before the first file, on an empty directory and on one tiny file.
    const empty = path.join(scratch, 'empty');
    const tiny = path.join(scratch, 'tiny');
    execFileSync('mkdir', ['-p', empty, tiny]);
    writeFileSync(path.join(tiny, 'tiny.c'), 'int main(void) { return 0; }\n');
    const startup: Comparison[] = [];
    for (const [name, dir] of [['start-up: empty dir', empty], ['start-up: one tiny .c', tiny]] as const) {
      process.stderr.write(`${name} `);
      startup.push(await compare(name, dir, tools, opts, rss, scratch, await socklintFileCount(dir)));
    }

    console.log('\n' + table([...comparisons, ...startup]));
    console.log('\nsg = ast-grep, sl = socklint; times are medians of wall time per run; ratio = socklint / ast-grep');
    console.log('(rounds) = median of the per-round ratios, (medians) = ratio of the medians; peak RSS = the largest over the rounds.');
    const first = comparisons[0]?.loadBefore ?? startup[0].loadBefore;
    const last = startup[startup.length - 1].loadAfter;
    console.log(`load before: ${first.uptime}\nload after:  ${last.uptime}`);

    if (opts.json) {
      const result = {
        date: new Date().toISOString(),
        machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, platform: `${os.platform()} ${os.release()}`, node: process.version },
        astGrep: { version: astGrepVersion, binary: astGrepBin, sgconfig: opts.sgconfig },
        socklint: { commit: gitCommit(ROOT, true), command: 'node dist/cli.js DIR --format json' },
        rounds: opts.rounds, warmup: opts.warmup, peakRssMethod: rss,
        skipped: opts.skipped.map((p) => ({ input: p.label, get: p.get })),
        inputs: comparisons.map((c) => ({ ...c, commit: gitCommit(c.dir) })),
        startup,
      };
      writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
      console.log(`\nJSON written to ${opts.json}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
