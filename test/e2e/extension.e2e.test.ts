// End to end, in a real VS Code: builds the .vsix, installs it into code-server, opens an example
// in headless Chromium (Playwright), waits for Socklint's diagnostics in the Problems panel, applies
// the quick fix and checks the edited text, opens the rule documentation, and saves screenshots to
// test-results/e2e/. The folder is untrusted, so all of this runs in Restricted Mode.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildVsix, examplePath, launchChromium, openWithQuickOpen, ROOT, savedText, socklintLog, startCodeServer, type RunningCodeServer } from './codeServer';

const RULE = 'sndbuf-zero-without-overlapped';
const FILE = 'sndbuf-zero-without-overlapped.cpp';
const SHOTS = path.join(ROOT, 'test-results', 'e2e');


describe('Socklint in code-server', { timeout: 600_000 }, () => {
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
    workspace = mkdtempSync(path.join(tmpdir(), 'socklint-e2e-ws-'));
    cpSync(examplePath(FILE), path.join(workspace, FILE));
    // For Scan Workspace: one file to find, one .gitignore'd, one under files.exclude.
    for (const dir of ['more', 'build', 'excluded']) mkdirSync(path.join(workspace, dir));
    cpSync(examplePath(FILE), path.join(workspace, 'more', 'scanned-copy.cpp'));
    cpSync(examplePath(FILE), path.join(workspace, 'build', 'gitignored-copy.cpp'));
    cpSync(examplePath(FILE), path.join(workspace, 'excluded', 'excluded-copy.cpp'));
    writeFileSync(path.join(workspace, '.gitignore'), 'build/\n');
    server = await startCodeServer({ settings: { 'files.exclude': { '**/excluded': true } } });
    ({ context, page, profile } = await launchChromium('socklint-e2e-chromium-', { width: 1400, height: 900 }));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('shows diagnostics in the Problems panel, applies the quick fix, shows rule docs, simulates, disables for a line', async () => {
    await page.goto(server.folderUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // Restricted Mode: the folder was never trusted.
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();

    // Open the example with Quick Open.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await openWithQuickOpen(page, FILE);

    // Diagnostics from the language server, listed in the Problems panel.
    await page.keyboard.press('Control+Shift+M');
    // The finding's row (the file's row above it also contains the rule id, in the file name).
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'SO_SNDBUF = 0' }).first();
    await problem.waitFor({ timeout: 60_000 });
    const status = page.locator('.statusbar-item', { hasText: /Socklint: \d+ finding/ }).first();
    await status.waitFor();
    await shot('1-problems-panel');
    const rowText = await problem.innerText();
    // source and code, as VS Code shows ESLint's and clangd's diagnostics; the code links to the docs.
    assert.match(rowText, new RegExp(`socklint\\s+${RULE}`), rowText);
    await problem.locator('a', { hasText: RULE }).waitFor();

    // Quick fix from the editor: go to the problem, Ctrl+. and pick the rule's fix.
    await problem.dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    await menu.waitFor();
    await shot('2-quick-fix-menu');
    const items = await menu.innerText();
    for (const title of ['Remove SO_SNDBUF = 0', `Disable ${RULE} for this line`, `Disable ${RULE} for this file`, 'Show documentation', 'Simulate the latency impact']) {
      assert.ok(items.includes(title), `"${title}" in the menu: ${items}`);
    }
    await menu.getByText('Remove SO_SNDBUF = 0').first().click();

    // Save and read the file from disk: the setsockopt line is gone, the rest is untouched.
    await page.keyboard.press('Control+S');
    const file = path.join(workspace, FILE);
    const before = readFileSync(examplePath(FILE), 'utf8');
    const edited = await savedText(file, before);
    const removed = before.split('\n').filter((l) => !edited.split('\n').includes(l));
    assert.equal(removed.length, 1, `one line removed: ${JSON.stringify(removed)}`);
    assert.match(removed[0], /setsockopt\(.*SO_SNDBUF/);
    assert.equal(edited.split('\n').length, before.split('\n').length - 1);
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'SO_SNDBUF = 0' }).first().waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('.statusbar-item', { hasText: 'Socklint: no findings' }).first().waitFor();
    await shot('3-after-fix');

    // Rule documentation from the command palette, rendered in a webview.
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').fill('>Socklint: Show Rule Documentation');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Rule Documentation' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'write-write-read' }).first().waitFor();
    await page.keyboard.type('write-write-read');
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'Socklint: write-write-read' }).waitFor();
    const docsFrame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await docsFrame.locator('h2', { hasText: 'What happens on the wire' }).waitFor();
    await shot('4-rule-docs');

    // Undo the fix: the finding comes back; "Simulate" opens the simulator panel on it.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    await problem.waitFor({ timeout: 20_000 });
    await problem.dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    await menu.waitFor();
    await menu.getByText('Simulate the latency impact').first().click();
    await page.locator('.tab', { hasText: 'Simulate' }).first().waitFor();
    await page.waitForTimeout(3000); // let the panel draw its charts for the screenshot
    await shot('5-simulator');

    // "Disable for this line": the reason is a snippet placeholder, so typing replaces it.
    await problem.dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    await menu.waitFor();
    await menu.getByText(`Disable ${RULE} for this line`).first().click();
    await page.keyboard.type('measured: sends are overlapped elsewhere');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'SO_SNDBUF = 0' }).first().waitFor({ state: 'detached', timeout: 20_000 });
    await page.keyboard.press('Home'); // scroll the long line back into view for the screenshot
    await shot('6-disabled-for-line');
    const disabled = (await savedText(file, edited)).split('\n');
    const at = disabled.findIndex((l) => l.includes('socklint-disable-next-line'));
    assert.equal(disabled[at], `        // socklint-disable-next-line ${RULE} -- measured: sends are overlapped elsewhere`);
    assert.match(disabled[at + 1], /setsockopt\(.*SO_SNDBUF/);

    // Scan Workspace: closed files are linted and listed; .gitignore and files.exclude are respected.
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').fill('>Socklint: Scan Workspace');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Scan Workspace' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.notifications-toasts', { hasText: /Socklint: scanned 2 of 2 C\/C\+\+ files, 1 finding/ }).waitFor({ timeout: 60_000 });
    const markers = page.locator('.markers-panel');
    await markers.locator('.monaco-list-row', { hasText: 'scanned-copy.cpp' }).first().waitFor();
    await shot('7-scan-workspace');
    const listed = await markers.innerText();
    assert.doesNotMatch(listed, /gitignored-copy|excluded-copy/, listed);

    // .socklintrc.json turns the rule off; a workspace setting turns it back on as an error (settings
    // win). Each change re-lints at once, the scanned (closed) file included.
    writeFileSync(path.join(workspace, '.socklintrc.json'), JSON.stringify({ rules: { [RULE]: 'off' } }));
    await markers.locator('.monaco-list-row', { hasText: 'scanned-copy.cpp' }).first().waitFor({ state: 'detached', timeout: 20_000 });
    mkdirSync(path.join(workspace, '.vscode'));
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'socklint.rules': { [RULE]: 'error' } }));
    await markers.locator('.monaco-list-row .codicon-error').first().waitFor({ timeout: 20_000 });
    await page.locator('.statusbar-item', { hasText: 'Socklint: 1 finding' }).first().waitFor();
    await shot('8-settings-override');

    const log = socklintLog(server.userDataDir);
    assert.ok(log && /activated: activate\(\) took/.test(log), `Socklint log: ${log}`);
    console.log(`# socklint log:\n${log.trim().split('\n').map((l) => `#   ${l}`).join('\n')}`);
  });
});
