// End to end, in a real VS Code: a workspace that tries to raise Socklint's limits, both in
// .vscode/settings.json and in .socklintrc.json, opened in Restricted Mode and then trusted.
// Restricted: neither can raise maxFileSizeKb, so a 1.1 MB file gets the "too large" message and
// the config file says why. Trusted: the workspace setting applies, capped at the user's ceiling,
// and the file is analysed. Screenshots go to test-results/e2e/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildVsix, launchChromium, openWithQuickOpen, ROOT, socklintLog, startCodeServer, type RunningCodeServer } from './codeServer';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const FILE = 'big-server.c';

/** About 1.1 MB: filler functions, then one send whose result is ignored. */
function bigSource(): string {
  const parts = ['#include <sys/socket.h>', '#include <string.h>', ''];
  let size = 0;
  for (let i = 0; size < 1100 * 1024; i++) {
    const line = `static int filler_${i}(int x) { return x * ${i} + 1; }`;
    parts.push(line);
    size += line.length + 1;
  }
  parts.push('', 'void reply(int s, const char *msg) {', '    send(s, msg, strlen(msg), 0);', '}', '');
  return parts.join('\n');
}

describe('Socklint in a workspace that tries to raise its limits', { timeout: 600_000 }, () => {
  let server: RunningCodeServer;
  let context: BrowserContext;
  let page: Page;
  let workspace: string;
  let profile: string;

  const shot = async (name: string) => {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildVsix();
    workspace = mkdtempSync(path.join(tmpdir(), 'socklint-e2e-restricted-'));
    writeFileSync(path.join(workspace, FILE), bigSource());
    writeFileSync(path.join(workspace, '.socklintrc.json'), '{ "maxFileSizeKb": 99999 }\n');
    mkdirSync(path.join(workspace, '.vscode'));
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'socklint.maxFileSizeKb': 99999, 'socklint.timeBudgetMs': 99999 }));
    server = await startCodeServer();
    ({ context, page, profile } = await launchChromium('socklint-e2e-restricted-chromium-', { width: 1400, height: 900 }));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('Restricted Mode: the workspace cannot raise maxFileSizeKb; trusted: it can, up to the ceiling', async () => {
    await page.goto(server.folderUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await openWithQuickOpen(page, FILE);
    await page.keyboard.press('Control+Shift+M');
    const markers = page.locator('.markers-panel');

    // The file: one informational message, the default 1024 KB limit (not the workspace's 99999).
    const tooLarge = markers.locator('.monaco-list-row', { hasText: 'is over the 1024 KB limit (maxFileSizeKb)' }).first();
    await tooLarge.waitFor({ timeout: 60_000 });
    // The config file: why its value was not used.
    const configRow = markers.locator('.monaco-list-row', { hasText: 'this workspace is not trusted' }).first();
    await configRow.waitFor({ timeout: 30_000 });
    assert.match(await configRow.innerText(), /"maxFileSizeKb": 99999 is over 1024, and this workspace is not trusted: its config may lower the limits, not raise them; using 1024/);
    assert.equal(await markers.locator('.monaco-list-row', { hasText: 'partial-send-ignored' }).count(), 0);
    await shot('restricted-1-limits-held');

    // Trust the folder: the workspace setting now applies, capped at socklint.ceiling.maxFileSizeKb (4096).
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').fill('>Workspaces: Manage Workspace Trust');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Manage Workspace Trust' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.workspace-trust-editor').waitFor();
    await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    // Close the trust editor (a modal in recent VS Code) to see the Problems panel again.
    await page.keyboard.press('Escape');
    await page.locator('.workspace-trust-editor').waitFor({ state: 'detached', timeout: 10_000 }).catch(async () => {
      await page.keyboard.press('Control+W');
    });

    const finding = markers.locator('.monaco-list-row', { hasText: 'partial-send-ignored' }).first();
    await finding.waitFor({ timeout: 120_000 });
    await tooLarge.waitFor({ state: 'detached', timeout: 30_000 });
    await markers.locator('.monaco-list-row', { hasText: 'is over the ceiling of 4096 (only the user setting socklint.ceiling.maxFileSizeKb can raise it)' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.statusbar-item', { hasText: 'Socklint: 1 finding' }).first().waitFor();
    await shot('restricted-2-trusted');

    const log = socklintLog(server.userDataDir) ?? '';
    assert.match(log, /socklint\.maxFileSizeKb: 99999 is over the ceiling of 4096/, log);
    assert.match(log, /socklint\.timeBudgetMs: 99999 is over the ceiling of 10000/, log);
  });
});
