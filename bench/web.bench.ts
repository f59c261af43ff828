// Socklint on the web against the desktop, in one run on one machine: the same .vsix in the same
// code-server, once in the Node extension host (the language server a Node process, as on the
// desktop) and once in the browser's web worker extension host (extension, language server and
// engine as Web Workers in Chromium). Both are timed from the page, as a user sees them: from the
// key press to the Socklint status bar item showing the published result.
//   - first diagnostic: opening the first C/C++ file of a window (activation, language server and
//     engine start, lint) and opening the 5,000-line file once everything runs;
//   - keystroke to diagnostics on the 5,000-line file (with the server's 150 ms debounce, the
//     same in both).
// Reports medians and the web/desktop ratios.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { initEngine, lint } from '../src/engine';
import { grammarFiles } from '../src/engine/parse/grammar-files';
import { bigFile } from '../test/server/fixtures';
import { buildVsix, examplePath, launchChromium, startCodeServer } from '../test/e2e/codeServer';
import type { BenchModule } from './run';

const KEYSTROKES = 12;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * In the page: every key press and every change of the Socklint status bar item, with its time.
 * A string, so the page runs it as written (the TypeScript loader would add helpers it lacks).
 */
const WATCH_STATUS = `(() => {
  window.socklintMarks = [];
  document.addEventListener('keydown', (e) => window.socklintMarks.push({ at: e.timeStamp, kind: 'key', text: e.key }), true);
  let last = '';
  new MutationObserver(() => {
    const item = [...document.querySelectorAll('.statusbar-item')].find((e) => e.textContent.includes('Socklint'));
    const text = item ? item.textContent : '';
    if (text !== last) {
      last = text;
      window.socklintMarks.push({ at: performance.now(), kind: 'status', text });
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

/** Ms from the last key press to the first status that matches `done`, waiting up to a minute. */
async function sinceLastKey(page: Page, done: RegExp): Promise<number> {
  const handle = await page.waitForFunction(`(() => {
    const marks = window.socklintMarks;
    let key = -1;
    for (let i = marks.length - 1; i >= 0; i--) if (marks[i].kind === 'key') { key = i; break; }
    if (key < 0) return undefined;
    const re = new RegExp(${JSON.stringify(done.source)});
    const hit = marks.slice(key + 1).find((m) => m.kind === 'status' && re.test(m.text));
    return hit ? hit.at - marks[key].at : undefined;
  })()`, undefined, { timeout: 60_000, polling: 20 });
  return (await handle.jsonValue()) as number;
}

async function openFile(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function measure(host: 'desktop' | 'web', bigFindings: number): Promise<{ coldOpen: number; warmOpen: number; keystroke: number[] }> {
  const ws = mkdtempSync(path.join(tmpdir(), `socklint-bench-${host}-ws-`));
  writeFileSync(path.join(ws, 'big.cpp'), bigFile(5000));
  writeFileSync(path.join(ws, 'small.cpp'), readFileSync(examplePath('sndbuf-zero-without-overlapped.cpp'), 'utf8'));
  const settings = host === 'web' ? { 'remote.extensionKind': { 'socklint.socklint': ['web'] } } : {};
  const server = await startCodeServer({ settings });
  const { context, page, profile } = await launchChromium(`socklint-bench-${host}-chromium-`, { width: 1400, height: 900 });
  try {
    page.setDefaultTimeout(60_000);
    await page.goto(server.folderUrl(ws));
    await page.locator('.monaco-workbench').waitFor();
    await page.evaluate(WATCH_STATUS);
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await openFile(page, 'small.cpp');
    const coldOpen = await sinceLastKey(page, /Socklint: 1 finding\b/);
    await openFile(page, 'big.cpp');
    const warmOpen = await sinceLastKey(page, new RegExp(`Socklint: ${bigFindings + 1} findings`));
    // Type at the start of line 1 (before `#include`): the findings stay the same.
    await page.locator('.monaco-editor .view-lines').first().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+Home');
    const keystroke: number[] = [];
    for (let i = 0; i < KEYSTROKES; i++) {
      await page.waitForTimeout(400);
      await page.keyboard.press(i % 2 === 0 ? 'Space' : 'Backspace');
      keystroke.push(await sinceLastKey(page, new RegExp(`Socklint: ${bigFindings + 1} findings`)));
    }
    return { coldOpen, warmOpen, keystroke: keystroke.slice(2) }; // the first two warm up
  } finally {
    await context.close();
    await server.stop();
    rmSync(ws, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}

const bench: BenchModule = {
  name: 'the web extension against the desktop one (code-server, same machine, same run)',
  async run(): Promise<Record<string, number | string>> {
    if (process.env.SOCKLINT_BENCH_VSCODE === '0') return { 'web vs desktop': 'skipped (SOCKLINT_BENCH_VSCODE=0)' };
    await initEngine(grammarFiles());
    const bigFindings = lint(bigFile(5000), 'cpp', { timeBudgetMs: 600_000 }).findings.length;
    buildVsix();
    const load = loadavg().map((l) => l.toFixed(2)).join(' ');
    const desktop = await measure('desktop', bigFindings);
    const web = await measure('web', bigFindings);
    const [dk, wk] = [median(desktop.keystroke), median(web.keystroke)];
    return {
      'load average before': load,
      'findings in the 5,000-line file': bigFindings,
      'first C file of a window -> diagnostics, desktop ms': desktop.coldOpen,
      'first C file of a window -> diagnostics, web ms': web.coldOpen,
      'ratio web / desktop (first file)': web.coldOpen / desktop.coldOpen,
      'open the 5,000-line file -> diagnostics, desktop ms': desktop.warmOpen,
      'open the 5,000-line file -> diagnostics, web ms': web.warmOpen,
      'ratio web / desktop (open 5,000 lines)': web.warmOpen / desktop.warmOpen,
      'keystrokes timed per host': desktop.keystroke.length,
      'keystroke -> diagnostics (5,000 lines), desktop median ms': dk,
      'keystroke -> diagnostics (5,000 lines), web median ms': wk,
      'ratio web / desktop (keystroke)': wk / dk,
      'ratio web / desktop (keystroke, 150 ms debounce taken off both)': (wk - 150) / (dk - 150),
      'load average after': loadavg().map((l) => l.toFixed(2)).join(' '),
    };
  },
};
export default bench;
