// End to end, Socklint on the web: the built .vsix in the browser's web worker extension host of
// code-server (the user setting remote.extensionKind sends it there), so the extension, its
// language server and the engine all run as Web Workers in Chromium, without Node.js. Checks that
// this is really so (no `process` in any of those workers, no server process on the machine),
// then what a user does: diagnostics with the severity from .socklintrc.json (read through
// workspace.fs), the hover, the CodeLens, the quick fix, the simulator panel from a finding, the
// rule docs, a suppression, Scan Workspace and a setting. Screenshots go to test-results/e2e/web-*.png.
// Offline like every other test: code-server serves everything from 127.0.0.1.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, FrameLocator, Page, Worker } from 'playwright-core';
import { findingRuns } from '../../src/common/comparison';
import { lensTitle } from '../../src/common/figures';
import { LINK_PRESETS } from '../../src/common/link';
import { initEngine, lint } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';
import { simulate } from '../../src/sim';
import { buildVsix, examplePath, launchChromium, openWithQuickOpen, ROOT, savedText, startCodeServer, type RunningCodeServer } from './codeServer';

const RULE = 'sndbuf-zero-without-overlapped';
const FILE = 'sndbuf-zero-without-overlapped.cpp';
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const PUBLISHER_NAME = (() => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${pkg.publisher}.${pkg.name}`;
})();

describe('Socklint on the web (code-server, web worker extension host)', { timeout: 600_000 }, () => {
  let server: RunningCodeServer;
  let context: BrowserContext;
  let page: Page;
  let workspace: string;
  let profile: string;

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `web-${name}.png`) });
  const panel = (): FrameLocator => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildVsix();
    workspace = mkdtempSync(path.join(tmpdir(), 'socklint-e2e-web-ws-'));
    cpSync(examplePath(FILE), path.join(workspace, FILE));
    for (const dir of ['more', 'build']) mkdirSync(path.join(workspace, dir));
    cpSync(examplePath(FILE), path.join(workspace, 'more', 'scanned-copy.cpp'));
    cpSync(examplePath(FILE), path.join(workspace, 'build', 'gitignored-copy.cpp'));
    writeFileSync(path.join(workspace, '.gitignore'), 'build/\n');
    // Read by the language server through the client (workspace.fs): the rule becomes an error.
    writeFileSync(path.join(workspace, '.socklintrc.json'), JSON.stringify({ rules: { [RULE]: 'error' } }));
    server = await startCodeServer({ settings: { 'remote.extensionKind': { [PUBLISHER_NAME]: ['web'] } } });
    ({ context, page, profile } = await launchChromium('socklint-e2e-web-chromium-', { width: 1400, height: 900 }));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  /** The page's dedicated workers whose name ends with `name` (VS Code prefixes the names of workers its extension host starts). */
  async function workersNamed(name: string, timeoutMs = 60_000): Promise<Worker[]> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found: Worker[] = [];
      for (const w of page.workers()) {
        const n = await w.evaluate(() => (self as unknown as { name: string }).name).catch(() => '');
        if (n === name || n.endsWith(`-> ${name}`)) found.push(w);
      }
      if (found.length > 0 || Date.now() > until) return found;
      await page.waitForTimeout(500);
    }
  }

  it('runs without Node.js: diagnostics, hover, CodeLens, fix, simulator, docs, suppression, scan, settings', async () => {
    await page.goto(server.folderUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await openWithQuickOpen(page, FILE);

    // Where it runs: the extension host, the language server and the engine are Web Workers, and
    // none of them has Node's `process`; no language server process runs on the machine.
    const [extensionHost] = await workersNamed('ExtensionHostWorker');
    assert.ok(extensionHost, 'the web worker extension host runs');
    const [serverWorker] = await workersNamed('socklint-server');
    assert.ok(serverWorker, 'the language server runs in a Web Worker named socklint-server');
    const [engineWorker] = await workersNamed('socklint-engine');
    assert.ok(engineWorker, 'the engine runs in a Web Worker named socklint-engine');
    for (const [what, w] of [['extension host', extensionHost], ['language server', serverWorker], ['engine', engineWorker]] as const) {
      assert.equal(await w.evaluate(() => typeof process), 'undefined', `no process object in the ${what} worker`);
    }
    const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(server.home) && /dist\/server\.js/.test(l));
    assert.deepEqual(processes, [], 'no Node language server process');

    // Diagnostics, at the severity .socklintrc.json gives (read through the client's workspace.fs).
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'SO_SNDBUF = 0' }).first();
    await problem.waitFor({ timeout: 90_000 });
    assert.match(await problem.innerText(), new RegExp(`socklint\\s+${RULE}`));
    assert.equal(await problem.locator('.codicon-error').count(), 1, 'an error, as .socklintrc.json says');
    await shot('1-problems');

    // The editor at the finding (Monaco renders only the lines in view).
    await problem.dblclick();
    await page.waitForTimeout(500);

    // The CodeLens: the finding's two runs simulated in the browser say what the simulator says here.
    await initEngine(grammarFiles());
    const text = readFileSync(examplePath(FILE), 'utf8');
    const finding = lint(text, 'cpp', {}).findings.find((f) => f.ruleId === RULE && f.scenario)!;
    const runs = findingRuns(finding.scenario!, finding.fixedScenario, 'lan').map((s) => simulate(s, { traceLimit: 0, perMessageLimit: 0 }));
    const figures = runs.map((r) => ({ pattern: r.scenario.workload.pattern, messagesPerSecond: r.messagesPerSecond, goodputMbps: r.goodputMbps, latencyP50Ms: r.latencyMs.p50 }));
    const lens = page.locator('.codelens-decoration a', { hasText: 'Simulate on a LAN' }).first();
    await lens.waitFor({ timeout: 90_000 });
    await lens.scrollIntoViewIfNeeded();
    assert.equal((await lens.textContent())?.trim(), lensTitle(figures[0]!, figures[1]!, LINK_PRESETS.lan.phrase));
    await shot('2-codelens');

    // The hover: the message once, then the wire explanation.
    const message = (await problem.locator('.marker-message-details, .monaco-highlighted-label').first().innerText()).replace(/…$/, '').trim();
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:visible', { hasText: 'More in the rule documentation' }).first();
    await hover.waitFor();
    const hoverText = await hover.innerText();
    assert.equal(hoverText.split(message.slice(0, 30)).length - 1, 1, `the message appears once in the hover:\n${hoverText}`);
    assert.match(hoverText, /With no send buffer, a blocking send completes only when the peer has ACKed/);
    await shot('3-hover');
    await page.keyboard.press('Escape');
    await problem.dblclick();
    await page.waitForTimeout(500);

    // The quick fix, applied and saved: the setsockopt line and its variable are gone from the file.
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    await menu.waitFor();
    assert.match(await menu.locator('.monaco-list-row.focused').first().innerText(), /Remove SO_SNDBUF = 0/, 'the fix is the selected item');
    await shot('4-quick-fix-menu');
    await menu.getByText('Remove SO_SNDBUF = 0').first().click();
    await page.keyboard.press('Control+S');
    const file = path.join(workspace, FILE);
    const edited = await savedText(file, text);
    const removed = text.split('\n').filter((l) => !edited.split('\n').includes(l));
    assert.equal(removed.length, 2, `two lines removed: ${JSON.stringify(removed)}`);
    assert.match(removed[1]!, /setsockopt\(.*SO_SNDBUF/);
    await problem.waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('.statusbar-item', { hasText: 'Socklint: no findings (open files)' }).first().waitFor();
    await shot('5-after-fix');

    // Undo: the finding comes back; "Simulate the latency impact" opens the panel on it, and the
    // panel's own simulation (its worker, in the webview) states the same figures as the lens.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    await problem.waitFor({ timeout: 20_000 });
    await problem.dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    await menu.waitFor();
    await menu.getByText('Simulate the latency impact').first().click();
    await page.locator('.tab', { hasText: 'Simulate' }).first().waitFor();
    await panel().locator('body[data-busy="false"]').waitFor({ timeout: 120_000 });
    const headline = panel().locator('#headline');
    await headline.filter({ hasText: /records\/s/ }).waitFor({ timeout: 120_000 });
    assert.match((await headline.textContent()) ?? '', /^On a LAN \(0\.5 ms RTT, 1 Gbit\/s\) with Windows 10\/11/);
    assert.equal(await panel().locator('.summary[data-status="done"]').count(), 2);
    assert.equal(await panel().locator('body').getAttribute('data-sim-thread'), 'worker');
    await page.waitForTimeout(1500); // the charts' animation, for the screenshot
    await shot('6-simulator');

    // Rule documentation from the command palette.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').fill('>Socklint: Show Rule Documentation');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Rule Documentation' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'write-write-read' }).first().waitFor();
    await page.keyboard.type('write-write-read');
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'Socklint: write-write-read' }).waitFor();
    await page.locator('.tab', { hasText: FILE }).first().click();

    // "Disable for this line": the suppression comment, then no finding.
    await problem.dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    await menu.waitFor();
    await menu.getByText(`Disable ${RULE} for this line`).first().click();
    await page.keyboard.type('measured: sends are overlapped elsewhere');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    await problem.waitFor({ state: 'detached', timeout: 20_000 });
    const disabled = (await savedText(file, edited)).split('\n');
    assert.ok(disabled.includes(`        // socklint-disable-next-line ${RULE} -- measured: sends are overlapped elsewhere`), disabled.join('\n'));

    // Scan Workspace: the closed file is read through workspace.fs and linted; .gitignore holds.
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').fill('>Socklint: Scan Workspace');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Scan Workspace' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: /Socklint: scanned 2 of 2 C\/C\+\+ files, 1 finding/ }).waitFor({ timeout: 60_000 });
    const markers = page.locator('.markers-panel');
    const scanned = markers.locator('.monaco-list-row', { hasText: 'scanned-copy.cpp' }).first();
    await scanned.waitFor();
    assert.doesNotMatch(await markers.innerText(), /gitignored-copy/);
    await shot('7-scan-workspace');

    // A workspace setting wins over .socklintrc.json, and re-lints the scanned (closed) file too.
    mkdirSync(path.join(workspace, '.vscode'));
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'socklint.rules': { [RULE]: 'off' } }));
    await scanned.waitFor({ state: 'detached', timeout: 30_000 });
    await shot('8-setting-off');
  });
});
