// Editor speed: keystroke (didChange) to published diagnostics over real stdio on a 5,000-line
// C++ file, as a ratio to a full lint of the same file in-process; and the extension's
// activation in a real VS Code (code-server), read from the extension's own log.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CodeActionRequest, HoverRequest } from 'vscode-languageserver-protocol';
import { initEngine, lint, LintDocument } from '../src/engine';
import { grammarFiles } from '../src/engine/parse/grammar-files';
import { LspClient } from '../test/server/lspClient';
import { bigFile } from '../test/server/fixtures';
import { CHROMIUM_ARGS, ROOT, buildVsix, socklintLog, startCodeServer } from '../test/e2e/codeServer';
import type { BenchModule } from './run';

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Sends `edits` one at a time and times each from didChange to the matching publishDiagnostics. */
async function keystrokes(client: LspClient, uri: string, edits: number, full: boolean): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < edits; i++) {
    const doc = client.document(uri);
    // Type a space at the end of a line inside a function body, spread over the file.
    const line = 10 + ((i * 997) % (doc.lineCount - 20));
    const character = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '').length;
    const seq = client.lastSeq(uri);
    const t0 = performance.now();
    let version: number;
    if (full) {
      const next = doc.getText().split('\n');
      next[line] += ' ';
      version = await client.change(uri, [{ text: next.join('\n') }]);
    } else {
      version = await client.change(uri, [{ range: { start: { line, character }, end: { line, character } }, text: ' ' }]);
    }
    await client.waitDiagnostics(uri, (_d, p) => p.params.version === version, seq, 30_000);
    times.push(client.published.get(uri)!.at - t0);
  }
  return times;
}

/**
 * Hovers and code actions asked right after a keystroke, while the engine analyses the new text:
 * each is timed from request to answer, and counted only if the keystroke's diagnostics were not
 * published yet when it answered (so the analysis was still running).
 */
async function requestsDuringAnalysis(client: LspClient, uri: string, rounds: number): Promise<{ hover: number[]; codeAction: number[]; overlapped: number }> {
  const hover: number[] = [], codeAction: number[] = [];
  let overlapped = 0;
  for (let i = 0; i < rounds; i++) {
    const findings = client.published.get(uri)!.params.diagnostics;
    const d = findings[(i * 37) % findings.length];
    const line = 10 + ((i * 613) % (client.document(uri).lineCount - 20));
    const seq = client.lastSeq(uri);
    const version = await client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: ' ' }]);
    // A finding on the edited line moved one character right with the inserted space.
    const at = d.range.start.line === line ? { ...d.range.start, character: d.range.start.character + 1 } : d.range.start;
    let t = performance.now();
    const h = await client.conn.sendRequest(HoverRequest.type, { textDocument: { uri }, position: at });
    const hoverMs = performance.now() - t;
    t = performance.now();
    const a = await client.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] } });
    const actionMs = performance.now() - t;
    const stillRunning = client.lastSeq(uri) === seq;
    if (!h) throw new Error(`no hover at ${JSON.stringify(at)} (a finding's position)`);
    if (!Array.isArray(a)) throw new Error('the code action request gave no list');
    if (stillRunning) { overlapped++; hover.push(hoverMs); codeAction.push(actionMs); }
    await client.waitDiagnostics(uri, (_d, p) => p.params.version === version, seq, 30_000);
  }
  return { hover, codeAction, overlapped };
}

async function activationInVsCode(): Promise<Record<string, number | string>> {
  if (process.env.SOCKLINT_BENCH_VSCODE === '0') return { 'activation (VS Code)': 'skipped (SOCKLINT_BENCH_VSCODE=0)' };
  if (!existsSync(path.join(ROOT, '.cache')) && process.env.CI !== 'true') {
    return { 'activation (VS Code)': 'skipped: run scripts/setup-code-server.sh first' };
  }
  buildVsix();
  const ws = mkdtempSync(path.join(tmpdir(), 'socklint-bench-ws-'));
  writeFileSync(path.join(ws, 'main.cpp'), bigFile(200));
  const server = await startCodeServer();
  const profile = mkdtempSync(path.join(tmpdir(), 'socklint-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(60_000);
    await page.goto(server.folderUrl(ws));
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.monaco-workbench').click({ position: { x: 600, y: 300 } });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('main.cpp');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'main.cpp' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.statusbar-item', { hasText: /Socklint: \d+ finding/ }).first().waitFor();
    const log = socklintLog(server.userDataDir) ?? '';
    const activate = /activate\(\) took ([\d.]+) ms/.exec(log);
    const ready = /language server ready ([\d.]+) ms/.exec(log);
    return {
      'activate() in VS Code, ms': activate ? Number(activate[1]) : 'not found in log',
      'language server ready after activate(), ms': ready ? Number(ready[1]) : 'not found in log',
    };
  } finally {
    await context.close();
    await server.stop();
    rmSync(ws, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

const bench: BenchModule = {
  name: 'language server: keystroke to diagnostics, activation',
  async run() {
    await initEngine(grammarFiles());
    const text = bigFile(5000);
    const lines = text.split('\n').length;
    // A budget no run reaches, so every figure is the whole analysis (not the budget's cut-off).
    const options = { timeBudgetMs: 600_000 };
    for (let i = 0; i < 2; i++) lint(text, 'cpp', options);
    const fullLint: number[] = [];
    const fullParse: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.now();
      fullParse.push(lint(text, 'cpp', options).timing.parseMs);
      fullLint.push(performance.now() - t0);
    }
    // The engine's own split for one keystroke on an incremental document.
    const doc = new LintDocument(text, 'cpp');
    doc.lint(options);
    const editParse: number[] = [];
    const editAnalyse: number[] = [];
    for (let i = 0; i < 8; i++) {
      doc.applyChanges([{ range: { start: { line: 100 + i, character: 0 }, end: { line: 100 + i, character: 0 } }, text: ' ' }]);
      const t = doc.lint(options).timing;
      editParse.push(t.parseMs);
      editAnalyse.push(t.analyseMs);
    }
    doc.dispose();

    const uri = 'file:///bench/big.cpp';
    const client = new LspClient({ init: { debounceMs: 0 } });
    client.settings = { timeBudgetMs: options.timeBudgetMs };
    await client.initialize();
    await client.open(uri, text);
    const opened = await client.waitDiagnostics(uri, () => true, 0, 60_000);
    await keystrokes(client, uri, 3, false); // warm-up
    const incremental = await keystrokes(client, uri, 40, false);
    const fullSync = await keystrokes(client, uri, 10, true);
    const during = await requestsDuringAnalysis(client, uri, 20);
    await client.shutdown();

    // The same with the default debounce: what a typist sees.
    const typist = new LspClient({ init: {} });
    typist.settings = { timeBudgetMs: options.timeBudgetMs };
    await typist.initialize();
    await typist.open(uri, text);
    await typist.waitDiagnostics(uri, () => true, 0, 60_000);
    await keystrokes(typist, uri, 3, false); // warm-up, as for the first server
    const debounced = await keystrokes(typist, uri, 10, false);
    await typist.shutdown();

    const fl = median(fullLint);
    return {
      'file lines': lines,
      'findings in the file': opened.length,
      'full lint in-process, median ms': fl,
      'engine parse from scratch, median ms': median(fullParse),
      'engine re-parse after a keystroke (incremental), median ms': median(editParse),
      'engine analysis after a keystroke, median ms': median(editAnalyse),
      'keystrokes timed': incremental.length,
      'keystroke -> diagnostics (debounce 0), median ms': median(incremental),
      'keystroke -> diagnostics (debounce 0), p95 ms': quantile(incremental, 0.95),
      'ratio median / full lint': median(incremental) / fl,
      'ratio p95 / full lint': quantile(incremental, 0.95) / fl,
      'full-text didChange -> diagnostics, median ms': median(fullSync),
      'ratio incremental / full-text edit': median(incremental) / median(fullSync),
      'keystroke -> diagnostics (default 150 ms debounce), median ms': median(debounced),
      'hovers answered while an analysis ran (of 20)': during.overlapped,
      'hover during analysis, p95 ms': during.hover.length ? quantile(during.hover, 0.95) : 'none overlapped',
      'code action during analysis, p95 ms': during.codeAction.length ? quantile(during.codeAction, 0.95) : 'none overlapped',
      ...(await activationInVsCode()),
    };
  },
};
export default bench;
