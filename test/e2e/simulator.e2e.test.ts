// End to end, in a real VS Code (code-server): a finding's "Simulate the latency impact" code
// action opens the simulator panel, which simulates the finding's scenario and its fix and says
// what they cost in its headline. Screenshots go to test-results/e2e/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildVsix, examplePath, launchChromium, openWithQuickOpen, ROOT, startCodeServer, type RunningCodeServer } from './codeServer';

const FILE = 'sndbuf-zero-without-overlapped.cpp';
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

describe('the simulator panel in code-server', { timeout: 600_000 }, () => {
  let server: RunningCodeServer;
  let context: BrowserContext;
  let page: Page;
  let workspace: string;
  let profile: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildVsix();
    workspace = mkdtempSync(path.join(tmpdir(), 'socklint-e2e-sim-ws-'));
    cpSync(examplePath(FILE), path.join(workspace, FILE));
    server = await startCodeServer();
    ({ context, page, profile } = await launchChromium('socklint-e2e-sim-chromium-', { width: 1600, height: 1000 }));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('opens from a finding\'s code action and states the cost and the fix in its headline', async () => {
    await page.goto(server.folderUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await openWithQuickOpen(page, FILE);

    // Go to the finding through the Problems panel, then Ctrl+. on it.
    await page.keyboard.press('Control+Shift+M');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'SO_SNDBUF = 0' }).first();
    await problem.waitFor({ timeout: 60_000 });
    const status = page.locator('.statusbar-item', { hasText: /Socklint: \d+ finding/ }).first();
    await status.waitFor();
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    const webview = page.locator('iframe.webview.ready');
    // The menu can re-render under the pointer (diagnostics refresh while it is open): open it and
    // click again until the panel's webview exists.
    for (let attempt = 0; attempt < 4 && (await webview.count()) === 0; attempt++) {
      for (let tries = 0; tries < 5 && !(await menu.isVisible()); tries++) {
        await problem.dblclick();
        await page.waitForTimeout(1000);
        await page.keyboard.press('Control+.');
        await menu.waitFor({ timeout: 5000 }).catch(() => undefined);
      }
      if (attempt === 0) await page.screenshot({ path: path.join(SHOTS, 'simulator-code-action.png') });
      await menu.getByText('Simulate the latency impact').first().click({ timeout: 10_000 }).catch(() => undefined);
      await webview.first().waitFor({ timeout: 15_000 }).catch(() => undefined);
    }

    // The panel is a webview: an iframe in the workbench with the page in an inner iframe.
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const headline = panel.locator('#headline');
    await headline.filter({ hasText: /\/s/ }).waitFor({ timeout: 120_000 });
    // Both runs finished: the headline names the finding's run, its rate, and the fix's rate.
    await panel.locator('body[data-busy="false"]').waitFor({ timeout: 120_000 });
    const text = (await headline.textContent()) ?? '';
    await page.screenshot({ path: path.join(SHOTS, 'simulator-panel.png') });
    assert.match(text, /^.+: [\d.,]+ (records|requests|writes)\/s \(.+ in .+\).*\. .+: [\d.,]+ (records|requests|writes)\/s \([\d.,]+× (faster|slower)\)\.$/, text);
    assert.equal(await panel.locator('.summary[data-status="done"]').count(), 2);
    assert.equal(await panel.locator('body').getAttribute('data-sim-thread'), 'worker');
    assert.equal(await panel.locator('#notices').textContent(), '', 'no problem reported');
  });
});
