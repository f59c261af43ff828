// lint(): size and content checks, parse (time-bounded), model, rules, severities, suppressions.
import type { Tree } from 'web-tree-sitter';
import { DEFAULT_PROFILE, PROFILE_HEADLINES, type ProfileName, type ProfileSetting } from '../common/scenario';
import { isWinsock } from './rules/support/facts';
import { AnalysisBudgetExceeded, buildCFamilyModel, prepareQueries } from './lang/c-family';
import { LineIndex } from './lang/syntax';
import { loadGrammars, noteRuntimeError, parserFor, runtimeFailure, wasmHeapBytes, wasmHeapMaxBytes, type RuntimeOptions } from './parse/grammars';
import { allRules } from './rules/registry';
import { findSuppression, parseDirectives, unusedDirectives } from './suppressions';
import {
  DEFAULT_MAX_FILE_SIZE_BYTES, DEFAULT_TIME_BUDGET_MS, UNUSED_SUPPRESSION_RULE,
  type Finding, type LanguageId, type LintOptions, type LintResult, type Notice, type Severity, type SeveritySetting,
} from './types';

export async function initEngine(wasmDir?: string, runtimeOptions?: RuntimeOptions): Promise<void> {
  await loadGrammars(wasmDir, runtimeOptions);
  for (const id of ['c', 'cpp'] as const) {
    const tree = parserFor(id).parse('int x;');
    if (tree) { prepareQueries(tree); tree.delete(); }
  }
}

function empty(notices: LintResult['notices'], parseMs = 0): LintResult {
  return { findings: [], suppressed: [], notices, errorNodes: 0, timing: { parseMs, analyseMs: 0 } };
}

/** Checks that need no parse: size and binary content. Returns a result when the file is skipped. */
export function precheck(text: string, options: LintOptions): LintResult | undefined {
  const max = options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES;
  // UTF-16 length x up to 3 bytes bounds the UTF-8 size; measure exactly only near the limit.
  const size = text.length * 3 <= max ? text.length : Buffer.byteLength(text, 'utf8');
  if (size > max) {
    return empty([{ kind: 'too-large', message: `not analysed: ${Math.round(size / 1024)} KB is over the ${Math.round(max / 1024)} KB limit (maxFileSizeKb)` }]);
  }
  if (text.includes('\u0000')) return empty([{ kind: 'binary', message: 'not analysed: binary content (NUL bytes)' }]);
  return undefined;
}

/**
 * A parse also stops when the parser's WebAssembly heap grows past this. The heap never shrinks,
 * and at 2 GiB Emscripten aborts and leaves the runtime unusable; stopping here keeps a huge or
 * pathological file from getting anywhere near that. Tree-sitter needs about 55 bytes of heap per
 * byte of source, so the default leaves room for files far over the size limits.
 */
export const DEFAULT_PARSER_HEAP_CAP_BYTES = 768 * 1024 * 1024;

export type ParseOutcome = { tree: Tree } | { tree: null; stopped: Notice };

/**
 * Parses with a deadline (a performance.now() time: sub-millisecond, so tiny budgets still bind)
 * and a cap on the parser's heap. Tree-sitter calls the progress callback every few hundred
 * operations, so both bounds bind within a fraction of a millisecond of being crossed.
 */
export function parseBounded(
  text: string, languageId: LanguageId, deadline: number, budgetMs: number,
  oldTree?: Tree | null, heapCapBytes = DEFAULT_PARSER_HEAP_CAP_BYTES,
): ParseOutcome {
  const parser = parserFor(languageId);
  // A heap already grown past the cap by an earlier file is reused, not grown: only growth stops a parse.
  const heapLimit = Math.max(heapCapBytes, wasmHeapBytes());
  let stop: 'time' | 'memory' | undefined;
  const tree = parser.parse(text, oldTree ?? null, {
    progressCallback: () => {
      if (performance.now() > deadline) stop = 'time';
      else if (wasmHeapBytes() > heapLimit) stop = 'memory';
      return stop !== undefined;
    },
  } as never);
  if (stop || !tree) {
    tree?.delete();
    // Frees what the stopped parse allocated (it would otherwise be kept for resuming).
    parser.reset();
    return { tree: null, stopped: stop === 'memory' ? parseMemoryNotice(heapCapBytes) : timeBudgetNotice('parsing', budgetMs) };
  }
  return { tree };
}

/** parseBounded() for callers that only need the tree: null when a bound stopped the parse. */
export function parseWithBudget(text: string, languageId: LanguageId, deadline: number, oldTree?: Tree | null): Tree | null {
  return parseBounded(text, languageId, deadline, 0, oldTree).tree;
}

export function timeBudgetNotice(what: 'parsing' | 'analysis', budgetMs: number): Notice {
  return what === 'parsing'
    ? { kind: 'time-budget', message: `not analysed: parsing took longer than the ${budgetMs} ms time budget` }
    : { kind: 'time-budget', message: `not analysed: analysis exceeded the ${budgetMs} ms time budget` };
}

function parseMemoryNotice(capBytes: number): Notice {
  return { kind: 'too-large', message: `not analysed: parsing needed more than ${Math.round(capBytes / 1048576)} MB of memory` };
}

/**
 * An exception from parse or analysis, as the notice that reports it. A WebAssembly abort or trap
 * is recorded (runtimeFailure()) so that the host can replace the runtime; other files go on.
 */
export function internalErrorNotice(e: unknown): Notice {
  if (noteRuntimeError(e)) {
    // An abort with the heap at its maximum is the runtime running out of memory (malloc failed).
    const full = wasmHeapBytes() > wasmHeapMaxBytes() - 64 * 1024 * 1024;
    const why = full ? `out of memory: the parser may use at most ${Math.round(wasmHeapMaxBytes() / 1048576)} MB` : runtimeFailure();
    return { kind: 'internal', message: `internal error: the parser's WebAssembly runtime failed (${why})` };
  }
  return { kind: 'internal', message: `internal error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
}

export function lint(text: string, languageId: LanguageId, options: LintOptions = {}): LintResult {
  const skipped = precheck(text, options);
  if (skipped) return skipped;
  const start = performance.now();
  const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  let tree: Tree | null = null;
  try {
    const parsed = parseBounded(text, languageId, start + budget, budget, null, options.parserHeapCapBytes);
    tree = parsed.tree;
    const parseMs = performance.now() - start;
    if (!parsed.tree) return empty([parsed.stopped], parseMs);
    return analyseTree(parsed.tree, text, languageId, options, parseMs, start + budget);
  } catch (e) {
    return empty([internalErrorNotice(e)]);
  } finally {
    try { tree?.delete(); } catch (e) { noteRuntimeError(e); }
  }
}

const KNOWN_IDS = new Set(allRules().map((r) => r.id));

/** Runs the model and the rules on an already parsed tree (used by lint() and LintDocument). */
export function analyseTree(tree: Tree, text: string, languageId: LanguageId, options: LintOptions, parseMs: number, deadline: number): LintResult {
  const t0 = performance.now();
  const profile = resolveProfile(options.profile, text);
  const headline = PROFILE_HEADLINES[profile] ?? PROFILE_HEADLINES[DEFAULT_PROFILE];
  let model;
  try {
    model = buildCFamilyModel(tree, text, languageId, deadline);
  } catch (e) {
    if (e instanceof AnalysisBudgetExceeded) {
      return empty([timeBudgetNotice('analysis', options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS)], parseMs);
    }
    throw e;
  }
  const index = new LineIndex(text);
  const root = tree.rootNode;
  const directives = parseDirectives(text, index, (offset) => root.descendantForIndex(offset)?.type === 'comment');
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  const ctx = { model, text, profile, headline };
  for (const rule of allRules()) {
    const severity = severityFor(rule.id, rule.defaultSeverity, options.rules);
    if (severity === 'off') continue;
    for (const f of rule.check(ctx)) {
      const finding: Finding = {
        ruleId: rule.id, severity, message: f.message, ...(f.detail ? { detail: f.detail } : {}), range: f.range, related: f.related ?? [], fixes: f.fixes ?? [],
        scenario: f.scenario, fixedScenario: f.fixedScenario,
      };
      const offset = index.lineStart(f.range.start.line) + f.range.start.character;
      const d = findSuppression(directives, rule.id, f.range, offset);
      if (d) {
        finding.suppression = { kind: d.kind === 'line' || d.kind === 'next-line' ? d.kind : 'block', justification: d.justification, range: d.range };
        suppressed.push(finding);
      } else {
        findings.push(finding);
      }
    }
  }
  const unusedSeverity = severityFor(UNUSED_SUPPRESSION_RULE, 'info', options.rules);
  if (options.reportUnusedSuppressions !== false && unusedSeverity !== 'off') {
    // Directives for rules switched off by configuration are not "unused".
    const enabled = new Set([...KNOWN_IDS].filter((id) => severityFor(id, 'info', options.rules) !== 'off'));
    for (const u of unusedDirectives(directives, KNOWN_IDS)) {
      const id = /"([^"]+)"|no (\S+) finding/.exec(u.message);
      const ruleId = id?.[1] ?? id?.[2];
      if (ruleId && KNOWN_IDS.has(ruleId) && !enabled.has(ruleId)) continue;
      findings.push({ ruleId: UNUSED_SUPPRESSION_RULE, severity: unusedSeverity, message: u.message, range: u.range, related: [], fixes: [] });
    }
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { findings, suppressed, notices: [], errorNodes: model.errorNodes, timing: { parseMs, analyseMs: performance.now() - t0 } };
}

/** `auto` (or unset): numbers for the OS the code is written for, judged by the socket API it uses. */
export function resolveProfile(setting: ProfileSetting | undefined, text: string): ProfileName {
  if (setting && setting !== 'auto') return setting;
  return isWinsock(text) ? DEFAULT_PROFILE : 'linux';
}

/** Severity for a rule from the `rules` map: exact ids and globs ("*", "wouldblock-*"); later keys win. */
export function severityFor(ruleId: string, fallback: Severity, rules?: Record<string, SeveritySetting>): SeveritySetting {
  let result: SeveritySetting = fallback;
  if (!rules) return result;
  for (const [pattern, sev] of Object.entries(rules)) {
    if (pattern === ruleId || globMatch(pattern, ruleId)) result = sev;
  }
  return result;
}

function globMatch(pattern: string, id: string): boolean {
  if (!pattern.includes('*')) return false;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(id);
}
