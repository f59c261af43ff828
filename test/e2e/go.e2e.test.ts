// End to end, a Go file in a real VS Code (code-server, Restricted Mode): the extension activates on
// the `go` language, Socklint's findings appear in the Problems panel worded in package net's terms,
// and the quick fix turns `SetNoDelay(false)` back into `SetNoDelay(true)`, which clears the finding.
// Screenshots go to test-results/e2e/go-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildVsix, launchChromium, openWithQuickOpen, ROOT, savedText, startCodeServer, type RunningCodeServer } from './codeServer';

const FILE = 'quote_client.go';
const SOURCE = path.join(ROOT, 'examples', 'go', FILE);
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

describe('Socklint on a Go file in code-server', { timeout: 600_000 }, () => {
  let server: RunningCodeServer;
  let context: BrowserContext;
  let page: Page;
  let workspace: string;
  let profile: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildVsix();
    workspace = mkdtempSync(path.join(tmpdir(), 'socklint-e2e-go-'));
    cpSync(SOURCE, path.join(workspace, FILE));
    server = await startCodeServer();
    ({ context, page, profile } = await launchChromium('socklint-e2e-go-chromium-', { width: 1400, height: 900 }));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('lists the Go findings and applies the SetNoDelay(true) fix', async () => {
    await page.goto(server.folderUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await openWithQuickOpen(page, FILE);
    await page.keyboard.press('Control+Shift+M');

    // The two findings of the example, with Go's names: Read(), json.Unmarshal().
    const wwr = page.locator('.markers-panel .monaco-list-row', { hasText: 'waits in Nagle for the ACK of the previous one' }).first();
    const recv = page.locator('.markers-panel .monaco-list-row', { hasText: 'Read() returns 1–65,536 bytes' }).first();
    await wwr.waitFor({ timeout: 90_000 });
    await recv.waitFor();
    assert.match(await recv.innerText(), /json\.Unmarshal\(\)/);
    assert.match(await wwr.innerText(), /socklint\s+write-write-read/);
    await page.locator('.statusbar-item', { hasText: 'Socklint: 2 findings (open files)' }).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'go-1-problems-panel.png') });

    // The quick fix on the write-write-read finding is the preferred, first item.
    await wwr.dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    await menu.waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'go-2-quick-fix-menu.png') });
    assert.match(await menu.locator('.monaco-list-row.focused').first().innerText(), /Keep Go's TCP_NODELAY: SetNoDelay\(true\)/);
    await menu.getByText("Keep Go's TCP_NODELAY: SetNoDelay(true)").first().click();
    await page.keyboard.press('Control+S');

    const before = readFileSync(SOURCE, 'utf8');
    const edited = await savedText(path.join(workspace, FILE), before);
    assert.equal(edited, before.replace('tcp.SetNoDelay(false)', 'tcp.SetNoDelay(true)'));
    await wwr.waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('.statusbar-item', { hasText: 'Socklint: 1 finding (open files)' }).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'go-3-after-fix.png') });
  });
});
