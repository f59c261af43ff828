// The human report, in the style of ESLint and Ruff: one header line per finding
// (`file:line:col  severity  rule-id  message`), the source line with a caret under the range,
// related locations and fixes as notes, and a summary line. With --verbose, each finding's
// explanation (the wire story, the numbers, the fix) follows it, wrapped to fit a terminal.
import pc from 'picocolors';
import stringWidth from 'string-width';
import type { Finding, Severity } from '../../engine';
import { findingDetail } from '../../engine/detail';
import { quoteName, showControls } from '../escape';
import { countSeverities, sortFindings, type RunReport, type RunStats } from '../report';

type Colors = ReturnType<typeof pc.createColors>;

const TAB = 4;
/** Excerpts longer than this many columns are cut around the range. */
const MAX_EXCERPT = 120;
/** --verbose explanations are wrapped to this many columns. */
const WRAP = 100;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function expandTabs(s: string): string {
  let out = '';
  for (const ch of s) out += ch === '\t' ? ' '.repeat(TAB - (stringWidth(out) % TAB)) : ch;
  return out;
}

/**
 * The source line with a caret line under [start, end) (UTF-16 columns), cut to fit. Control
 * characters in it are shown as visible ones (one for one, so the caret stays aligned).
 */
export function excerpt(rawLine: string, start: number, end: number): [string, string] {
  const line = showControls(rawLine);
  let before = expandTabs(line.slice(0, start));
  let marked = expandTabs(line.slice(start, Math.max(end, start + 1)));
  let after = line.slice(Math.max(end, start + 1));
  // Long lines: keep some context before the range and cut the rest.
  if (stringWidth(before) > MAX_EXCERPT / 2) before = `…${before.slice(-(MAX_EXCERPT / 2))}`;
  if (stringWidth(marked) > MAX_EXCERPT) marked = `${marked.slice(0, MAX_EXCERPT)}…`;
  if (stringWidth(after) > MAX_EXCERPT / 2) after = `${after.slice(0, MAX_EXCERPT / 2)}…`;
  const shown = `${before}${marked}${expandTabs(after)}`.trimEnd();
  const caret = `${' '.repeat(stringWidth(before))}${'^'.repeat(Math.max(1, stringWidth(marked.trimEnd())))}`;
  return [shown, caret];
}

/** Word-wraps each paragraph of `text` to WRAP columns, every line indented by `indent`. */
export function wrap(text: string, indent: string): string[] {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    if (out.length) out.push('');
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && stringWidth(indent + line + ' ' + word) > WRAP) {
        out.push(indent + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) out.push(indent + line);
  }
  return out;
}

function paintFor(c: Colors, s: Severity): (text: string) => string {
  return { error: c.red, warning: c.yellow, info: c.blue, hint: c.dim }[s];
}

/** `display` is already quoted (quoteName); messages may quote source text, so they are shown safely too. */
function formatFinding(c: Colors, display: string, lines: string[], f: Finding, verbose: boolean): string {
  const { start, end } = f.range;
  const out = [
    `${c.bold(`${display}:${start.line + 1}:${start.character + 1}`)}  ${paintFor(c, f.severity)(f.severity)}  ${c.dim(f.ruleId)}  ${showControls(f.message)}`,
  ];
  const line = lines[start.line];
  if (line !== undefined) {
    const endCol = end.line === start.line ? end.character : line.length;
    const [shown, caret] = excerpt(line, start.character, endCol);
    const num = String(start.line + 1);
    const pad = ' '.repeat(num.length);
    out.push(`  ${c.dim(`${num} |`)} ${shown}`, `  ${c.dim(`${pad} |`)} ${paintFor(c, f.severity)(caret)}`);
  }
  for (const r of f.related) {
    // Evidence in another file names it (a mode set in net.c, a connect in main.c).
    const where = `${r.file ? `${quoteName(r.file)}:` : ''}${r.range.start.line + 1}:${r.range.start.character + 1}`;
    out.push(`  ${c.dim('=')} note: ${where}: ${showControls(r.message)}`);
  }
  for (const fix of f.fixes) out.push(`  ${c.dim('=')} fix available: ${showControls(fix.title)}${fix.safe === true ? ' (applied by --fix)' : ''}`);
  const detail = verbose ? findingDetail(f) : undefined;
  if (detail) out.push('', ...wrap(showControls(detail), '    '));
  return out.join('\n');
}

export function formatText(report: RunReport, color: boolean, verbose = false): string {
  const c = pc.createColors(color);
  const blocks: string[] = [];
  let filesWithProblems = 0;
  let suppressed = 0;
  for (const file of report.files) {
    suppressed += file.suppressed.length;
    if (file.findings.length === 0) continue;
    filesWithProblems++;
    const lines = (file.text ?? '').split(/\r\n|\r|\n/);
    const display = quoteName(file.display);
    for (const f of sortFindings(file.findings)) blocks.push(formatFinding(c, display, lines, f, verbose));
  }
  const n = countSeverities(report.files);
  const total = n.error + n.warning + n.info + n.hint;
  const stats: RunStats = report.stats ?? { analysed: report.files.length, skipped: 0, failed: 0 };
  // Only files analysed in full are "checked"; skipped and failed ones are counted apart.
  const checked = [`${plural(stats.analysed, 'file')} checked`, stats.skipped ? `${stats.skipped} skipped` : '', stats.failed ? `${stats.failed} failed` : '']
    .filter(Boolean).join(', ');
  const extra = suppressed ? `, ${suppressed} suppressed` : '';
  let summary: string;
  if (total === 0 && stats.failed > 0) {
    summary = c.bold(c.red(`No problems found, but ${plural(stats.failed, 'file')} could not be analysed (${checked}${extra}).`));
  } else if (total === 0 && stats.analysed === 0) {
    summary = `No files checked${stats.skipped ? ` (${stats.skipped} skipped)` : ''}.`;
  } else if (total === 0) {
    const text = `No problems (${checked}${extra}).`;
    summary = stats.skipped ? text : c.green(text);
  } else {
    const parts = [plural(n.error, 'error'), plural(n.warning, 'warning'), plural(n.info, 'info')];
    if (n.hint) parts.push(plural(n.hint, 'hint'));
    const text = `${plural(total, 'problem')} (${parts.join(', ')}) in ${plural(filesWithProblems, 'file')} (${checked}${extra})`;
    summary = c.bold(n.error ? c.red(text) : n.warning ? c.yellow(text) : text);
  }
  blocks.push(summary);
  const fixable = report.files.reduce((n, file) => n + file.findings.filter((f) => f.fixes.some((x) => x.safe === true)).length, 0);
  if (fixable > 0) blocks[blocks.length - 1] += `\n${plural(fixable, 'problem')} can be fixed with --fix (--fix-dry-run shows the diff).`;
  return `${blocks.join('\n\n')}\n`;
}
