// A set of files analysed together (a CLI run, the editor's workspace, or one file for lint()): each
// file is read (directives), parsed and outlined within its own time budget; the program's functions
// are analysed together, so facts cross functions and files; then each reported file gets its
// findings. If the analysis of the whole set runs out of time, each file is analysed on its own.
import type { Tree } from 'web-tree-sitter';
import { DEFAULT_PROFILE, PROFILE_HEADLINES, type ProfileName, type ProfileSetting } from '../common/scenario';
import { ProgramAnalysis } from './analysis/analyze';
import { ModelBuilder } from './analysis/model-builder';
import { Program } from './analysis/program';
import { SocketStates } from './analysis/state';
import { Budget, BudgetExceeded } from './budget';
import type { FileIR } from './ir/ir';
import { lowerCFile, type CFile } from './lang/c/frontend';
import { lowerPythonFile } from './lang/python/frontend';
import { lowerCsharpFile } from './lang/csharp/frontend';
import { lowerGoFile } from './lang/go/frontend';
import { lowerJavaFile } from './lang/java/frontend';
import { lowerNodeFile } from './lang/node/frontend';
import { IncludeGraph } from './includes';
import { linkUnits } from './link-units';
import { RelevantFiles } from './relevance';
import { LineIndex } from './line-index';
import type { SocketModel } from './model';
import { internalErrorNotice, timeBudgetNotice } from './parse/bounded';
import { resetParser } from './parse/grammars';
import { ParseStopped } from './lang/c/frontend';
import { allRules } from './rules/registry';
import { findSuppression, parseDirectives, unusedDirectives } from './suppressions';
import {
  DEFAULT_MAX_FILE_SIZE_BYTES, DEFAULT_TIME_BUDGET_MS, UNUSED_SUPPRESSION_RULE,
  type Finding, type LanguageId, type LintOptions, type LintResult, type Notice, type Severity, type SeveritySetting,
} from './types';

export interface SourceFile {
  path: string;
  text: string;
  languageId: LanguageId;
  /** Options for this file (profile, rules, limits); the project's options apply otherwise. */
  options?: LintOptions;
  /** Report findings for this file (context files only contribute facts). Default true. */
  report?: boolean;
  /** An already parsed tree of exactly this text (the editor's incremental tree); not deleted here. */
  tree?: Tree;
}

const KNOWN_IDS = new Set(allRules().map((r) => r.id));

/** Lints a set of files together; returns a result for each reported file, by path. */
export function lintProject(sources: SourceFile[], options: LintOptions = {}): Map<string, LintResult> {
  const results = new Map<string, LintResult>();
  const lowered: Lowered[] = [];
  // C and C++ files form programs through #include and calls; a file of any other language is analysed on its own.
  const cSources = sources.filter((s) => !analysedAlone(s.languageId));
  const includes = new IncludeGraph(cSources, (i) => (cSources[i].options?.timeBudgetMs ?? options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS) / 4);
  const lower = (source: SourceFile): void => {
    const opts = { ...options, ...source.options };
    const start = performance.now();
    const budget = Budget.fromNow(opts.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS);
    try {
      const file = source.languageId === 'python'
        ? lowerPythonFile(source.path, source.text, { budget, tree: source.tree, parserHeapCapBytes: opts.parserHeapCapBytes })
        : source.languageId === 'csharp'
        ? lowerCsharpFile(source.path, source.text, { budget, tree: source.tree, parserHeapCapBytes: opts.parserHeapCapBytes })
        : source.languageId === 'go'
        ? lowerGoFile(source.path, source.text, { budget, tree: source.tree, parserHeapCapBytes: opts.parserHeapCapBytes })
        : source.languageId === 'java'
        ? lowerJavaFile(source.path, source.text, { budget, tree: source.tree, parserHeapCapBytes: opts.parserHeapCapBytes })
        : source.languageId === 'javascript' || source.languageId === 'typescript'
        ? lowerNodeFile(source.path, source.text, source.languageId, { budget, tree: source.tree, parserHeapCapBytes: opts.parserHeapCapBytes })
        : lowerCFile(source.path, source.text, source.languageId, {
          budget, tree: source.tree, parserHeapCapBytes: opts.parserHeapCapBytes,
          externalMacros: includes.macrosSeenBy(source.path),
        });
      lowered.push({ source, file, parseMs: performance.now() - start, found: [], analyseMs: 0 });
    } catch (e) {
      if (source.report !== false) results.set(source.path, failed(e, opts, performance.now() - start));
      if (!(e instanceof BudgetExceeded) && !(e instanceof ParseStopped)) resetParser(source.languageId);
    }
  };
  const checked = sources.filter((source) => {
    const skipped = precheck(source.text, { ...options, ...source.options });
    if (skipped && source.report !== false) results.set(source.path, skipped);
    return !skipped;
  });
  // Only the files that can matter are parsed (see relevance.ts); the others are checked and clean.
  const order = new Map(checked.map((s, i) => [s, i]));
  const aloneFiles = checked.filter((s) => analysedAlone(s.languageId));
  for (const source of aloneFiles) lower(source);
  const relevant = new RelevantFiles(checked.filter((s) => !analysedAlone(s.languageId)), includes, options);
  let round = relevant.seeds();
  while (round.length > 0) {
    const before = lowered.length;
    for (const source of round) lower(source);
    round = relevant.next(lowered.slice(before).map((l) => l.file));
  }
  for (const source of relevant.headersOf(lowered.map((l) => l.source))) lower(source);
  lowered.sort((a, b) => order.get(a.source)! - order.get(b.source)!);
  for (const source of checked) {
    if (analysedAlone(source.languageId)) continue;
    if (source.report !== false && !results.has(source.path) && !relevant.chosen(source)) results.set(source.path, empty([]));
  }
  try {
    const cLowered = lowered.filter((l) => !analysedAlone(l.source.languageId));
    // Each program of the set on its own (see link-units.ts); a file two programs share is reported by both, once.
    // Winsock code whose winsock2.h comes through a header of the project (`#include "net.hpp"`).
    const winsockViaHeaders = (path: string) => includes.reachesHeader(path, WINSOCK_HEADER_NAMES);
    for (const unit of linkUnits(cLowered.map((l) => l.file), includes)) {
      analyseUnit(unit.files.map((i) => cLowered[i]), new Set(unit.reports.map((i) => cLowered[i])), options, winsockViaHeaders);
    }
    for (const l of lowered) if (analysedAlone(l.source.languageId)) analyseUnit([l], new Set([l]), options, () => false);
    for (const l of lowered) {
      if (l.source.report === false || results.has(l.source.path)) continue;
      const opts = { ...options, ...l.source.options };
      results.set(l.source.path, l.failure ? failed(l.failure, opts, l.parseMs) : finish(l, opts));
    }
  } finally {
    for (const l of lowered) l.file.release();
  }
  return results;
}

interface Lowered {
  source: SourceFile;
  file: CFile;
  parseMs: number;
  /** Findings of the rules, before suppressions, from every unit that reports this file. */
  found: Finding[];
  analyseMs: number;
  errorNodes?: number;
  index?: LineIndex;
  profile?: ProfileName;
  failure?: unknown;
}

/** Analyses one unit; if it runs out of time, each of its reported files alone, within its own budget. */
function analyseUnit(unit: Lowered[], reports: Set<Lowered>, options: LintOptions, winsockViaHeaders: (path: string) => boolean): void {
  try {
    analyseTogether(unit, reports, options, winsockViaHeaders);
  } catch (e) {
    if (!(e instanceof BudgetExceeded) || unit.length === 1) {
      for (const l of reports) l.failure ??= e;
      return;
    }
    for (const l of reports) {
      if (l.source.report === false) continue;
      try {
        analyseTogether([l], reports, options, winsockViaHeaders);
      } catch (e2) {
        l.failure ??= e2;
      }
    }
  }
}

function analyseTogether(unit: Lowered[], reports: Set<Lowered>, options: LintOptions, winsockViaHeaders: (path: string) => boolean): void {
  const reported = unit.filter((l) => reports.has(l) && l.source.report !== false && !l.failure);
  if (reported.length === 0) return;
  const t0 = performance.now();
  // The whole set gets the sum of its files' budgets (bounded): it does the work of all of them.
  const perFile = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
  const budget = Budget.fromNow(Math.min(perFile * unit.length, Math.max(perFile, 120_000)));
  const files: FileIR[] = unit.map((l) => l.file);
  for (const l of unit) l.file.setBudget(budget);
  const program = new Program(files, budget);
  const viaHeaders = unit.map((l) => winsockViaHeaders(l.source.path));
  const profiles = unit.map((l, i) => resolveProfileFor(l.file, { ...options, ...l.source.options }.profile, viaHeaders[i]));
  const analysis = new ProgramAnalysis(program, (i) => (profiles[i] === 'linux' || profiles[i] === 'macos' ? 'lp64' : 'llp64'));
  analysis.run();
  const states = new SocketStates(analysis, (i) => ({ nonBlocking: profiles[i] !== 'linux' }));
  const builder = new ModelBuilder(analysis, states, (i) => viaHeaders[i]);
  const analyseMs = (performance.now() - t0) / unit.length;
  // Models first, then findings: a unit that runs out of time adds nothing half-done.
  const models = reported.map((l) => { const m = builder.build(unit.indexOf(l)); budget.check(); return m; });
  reported.forEach((l, k) => {
    const i = unit.indexOf(l);
    const t1 = performance.now();
    const opts = { ...options, ...l.source.options };
    const seen = new Set(l.found.map(findingKey));
    for (const f of ruleFindings(models[k], l.file.text, profiles[i], opts)) {
      if (!seen.has(findingKey(f))) { seen.add(findingKey(f)); l.found.push(f); }
    }
    l.errorNodes = models[k].errorNodes;
    l.index ??= builder.lineIndex(i);
    l.analyseMs += analyseMs + (performance.now() - t1);
  });
}

function findingKey(f: Finding): string {
  return `${f.ruleId}:${f.range.start.line}:${f.range.start.character}:${f.message}`;
}

/** Runs the rules on a file's model, with the configured severities. */
function ruleFindings(model: SocketModel, text: string, profile: ProfileName, options: LintOptions): Finding[] {
  const headline = PROFILE_HEADLINES[profile] ?? PROFILE_HEADLINES[DEFAULT_PROFILE];
  const ctx = { model, text, profile, headline };
  const out: Finding[] = [];
  for (const rule of allRules()) {
    const configured = severityFor(rule.id, rule.defaultSeverity, options.rules);
    if (configured === 'off') continue;
    const userSet = options.rules !== undefined && Object.keys(options.rules).some((k) => k === rule.id || (k.includes('*') && globMatch(k, rule.id)));
    for (const f of rule.check(ctx)) {
      // A rule may lower a finding's severity (a rarer case); a severity the user set wins.
      const severity: Severity = userSet ? configured : (f.severity ?? configured);
      out.push({
        ruleId: rule.id, severity, message: f.message, ...(f.detail ? { detail: f.detail } : {}), range: f.range,
        related: f.related ?? [], fixes: f.fixes ?? [], scenario: f.scenario, fixedScenario: f.fixedScenario,
      });
    }
  }
  return out;
}

/** A file's result: its findings with suppressions applied, unused suppressions reported, in order. */
function finish(l: Lowered, options: LintOptions): LintResult {
  const t0 = performance.now();
  const file = l.file;
  const index = l.index ?? new LineIndex(file.text);
  const comments = file.commentSpans;
  const directives = parseDirectives(file.text, index, (offset) => comments.some((c) => c.start <= offset && offset < c.end));
  const findings: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const finding of l.found) {
    const d = findSuppression(directives, finding.ruleId, finding.range, index.offset(finding.range.start));
    if (d) {
      finding.suppression = { kind: d.kind === 'line' || d.kind === 'next-line' ? d.kind : 'block', justification: d.justification, range: d.range };
      suppressed.push(finding);
    } else {
      findings.push(finding);
    }
  }
  const unusedSeverity = severityFor(UNUSED_SUPPRESSION_RULE, 'info', options.rules);
  if (options.reportUnusedSuppressions !== false && unusedSeverity !== 'off') {
    // Directives for rules switched off by configuration are not "unused".
    const enabled = new Set([...KNOWN_IDS].filter((id) => severityFor(id, 'info', options.rules) !== 'off'));
    for (const u of unusedDirectives(directives, KNOWN_IDS, enabled)) {
      findings.push({ ruleId: UNUSED_SUPPRESSION_RULE, severity: unusedSeverity, message: u.message, range: u.range, related: [], fixes: [] });
    }
  }
  const byPosition = (a: Finding, b: Finding) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  findings.sort(byPosition);
  suppressed.sort(byPosition);
  const notices: Notice[] = [];
  return { findings, suppressed, notices, errorNodes: l.errorNodes ?? 0, timing: { parseMs: l.parseMs, analyseMs: l.analyseMs + (performance.now() - t0) } };
}

/** Checks that need no parse: size and binary content. Returns a result when the file is skipped. */
export function precheck(text: string, options: LintOptions): LintResult | undefined {
  const max = options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES;
  // UTF-16 length x up to 3 bytes bounds the UTF-8 size; measure exactly only near the limit.
  const size = text.length * 3 <= max ? text.length : utf8Bytes(text);
  if (size > max) {
    return empty([{ kind: 'too-large', message: `not analysed: ${Math.round(size / 1024)} KB is over the ${Math.round(max / 1024)} KB limit (maxFileSizeKb)` }]);
  }
  if (text.includes('\u0000')) return empty([{ kind: 'binary', message: 'not analysed: binary content (NUL bytes)' }]);
  return undefined;
}

function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}

function empty(notices: Notice[], parseMs = 0): LintResult {
  return { findings: [], suppressed: [], notices, errorNodes: 0, timing: { parseMs, analyseMs: 0 } };
}

function failed(e: unknown, options: LintOptions, parseMs: number): LintResult {
  if (e instanceof ParseStopped) return empty([e.notice], parseMs);
  if (e instanceof BudgetExceeded) {
    const budget = options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS;
    return empty([timeBudgetNotice(e.phase === 'parsing' ? 'parsing' : 'analysis', budget)], parseMs);
  }
  return empty([internalErrorNotice(e)], parseMs);
}

/** `auto` (or unset): numbers for the OS the code is written for, judged by the socket API it uses. */
export function resolveProfileFor(file: FileIR, setting: ProfileSetting | undefined, winsockViaHeaders = false): ProfileName {
  if (setting && setting !== 'auto') return setting;
  return winsockViaHeaders || usesWinsock(file) ? DEFAULT_PROFILE : 'linux';
}

/** The Winsock headers, by lower-cased base name. */
const WINSOCK_HEADER_NAMES = new Set(['winsock2.h', 'winsock.h', 'ws2tcpip.h', 'mswsock.h']);

const WINSOCK_CALLS = ['WSAStartup', 'closesocket', 'ioctlsocket', 'WSAGetLastError', 'WSASocket', 'WSASocketW', 'WSASend', 'WSARecv', 'WSAEventSelect', 'WSAAsyncSelect'];

export function usesWinsock(file: FileIR): boolean {
  if (file.includes.some((i) => { const base = i.path.split('/').pop()?.toLowerCase() ?? ''; return base === 'winsock2.h' || base === 'winsock.h' || base === 'ws2tcpip.h'; })) return true;
  return file.functions.some((fn) => WINSOCK_CALLS.some((c) => fn.calls.has(c)));
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
  // Segments between `*` must appear in order.
  const parts = pattern.split('*');
  if (!id.startsWith(parts[0]) || !id.endsWith(parts[parts.length - 1])) return false;
  let at = parts[0].length;
  for (const p of parts.slice(1, -1)) {
    const i = id.indexOf(p, at);
    if (i < 0) return false;
    at = i + p.length;
  }
  return at <= id.length - parts[parts.length - 1].length;
}

/** Languages whose files are analysed one by one (no #include graph): all but C and C++. */
function analysedAlone(languageId: string): boolean {
  return languageId !== 'c' && languageId !== 'cpp';
}
