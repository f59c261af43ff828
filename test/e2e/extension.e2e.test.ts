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
    // Before any workspace scan the count is of the open files, and says so.
    const status = page.locator('.statusbar-item', { hasText: /Socklint: \d+ findings? \(open files\)/ }).first();
    await status.waitFor();
    await shot('1-problems-panel');
    const rowText = await problem.innerText();
    // source and code, as VS Code shows ESLint's and clangd's diagnostics; the code links to the docs.
    assert.match(rowText, new RegExp(`socklint\\s+${RULE}`), rowText);
    await problem.locator('a', { hasText: RULE }).waitFor();

    // The hover at the finding: VS Code's diagnostic block with the message, then Socklint's
    // explanation (not the message again) and the docs link, all visible without scrolling.
    await problem.dblclick();
    await page.waitForTimeout(500);
    const message = (await problem.locator('.marker-message-details, .monaco-highlighted-label').first().innerText()).replace(/…$/, '').trim();
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:visible', { hasText: 'More in the rule documentation' }).first();
    await hover.waitFor();
    await shot('2a-hover');
    const hoverText = await hover.innerText();
    const start = message.slice(0, 30);
    assert.equal(hoverText.split(start).length - 1, 1, `the message ("${start}…") appears once in the hover:\n${hoverText}`);
    assert.match(hoverText, /With no send buffer, a blocking send completes only when the peer has ACKed/, 'the wire explanation');
    // Monaco scrolls the hover's content element itself; it overflows when its text is taller than the box.
    const overflow = await hover.evaluate((el) => [el, ...el.querySelectorAll('.monaco-hover-content, .monaco-scrollable-element')]
      .map((e) => e.scrollHeight - e.clientHeight).filter((d) => d > 1));
    assert.deepEqual(overflow, [], 'the hover needs no scrolling');
    await page.keyboard.press('Escape');
    await problem.dblclick(); // the focus back in the editor, at the finding
    await page.waitForTimeout(500);

    // Quick fix from the editor: Ctrl+. opens the menu on the rule's fix (preferred, listed first);
    // the suppressions come last.
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    await menu.waitFor();
    await shot('2-quick-fix-menu');
    const items = await menu.innerText();
    for (const title of ['Remove SO_SNDBUF = 0', `Disable ${RULE} for this line`, `Disable ${RULE} for this file`, 'Show documentation', 'Simulate the latency impact']) {
      assert.ok(items.includes(title), `"${title}" in the menu: ${items}`);
    }
    const order = ['Remove SO_SNDBUF = 0', 'Simulate the latency impact', 'Show documentation', `Disable ${RULE} for this line`, `Disable ${RULE} for this file`].map((t) => items.indexOf(t));
    assert.deepEqual([...order].sort((a, b) => a - b), order, `menu order: ${items}`);
    assert.match(await menu.locator('.monaco-list-row.focused').first().innerText(), /Remove SO_SNDBUF = 0/, 'the fix is the selected item');
    await menu.getByText('Remove SO_SNDBUF = 0').first().click();

    // Save and read the file from disk: the setsockopt line is gone, and with it the value variable
    // only it used (no dead `int zero = 0;` left behind); the rest is untouched.
    await page.keyboard.press('Control+S');
    const file = path.join(workspace, FILE);
    const before = readFileSync(examplePath(FILE), 'utf8');
    const edited = await savedText(file, before);
    const removed = before.split('\n').filter((l) => !edited.split('\n').includes(l));
    assert.equal(removed.length, 2, `two lines removed: ${JSON.stringify(removed)}`);
    assert.match(removed[0], /^\s*int (\w+) = 0;$/);
    assert.match(removed[1], /setsockopt\(.*SO_SNDBUF/);
    const variable = /int (\w+) = 0;/.exec(removed[0])![1];
    const code = edited.split('\n').filter((l) => !/^\s*(\/\/|\/?\*)/.test(l)).join('\n');
    assert.doesNotMatch(code, new RegExp(`\\b${variable}\\b`), 'the removed variable is not used any more (comments aside)');
    assert.equal(edited.split('\n').length, before.split('\n').length - 2);
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'SO_SNDBUF = 0' }).first().waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('.statusbar-item', { hasText: 'Socklint: no findings (open files)' }).first().waitFor();
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
    await page.locator('.statusbar-item', { hasText: 'Socklint: 1 finding (workspace scan)' }).first().waitFor();
    const listed = await markers.innerText();
    assert.doesNotMatch(listed, /gitignored-copy|excluded-copy/, listed);

    // .socklintrc.json turns the rule off; a workspace setting turns it back on as an error (settings
    // win). Each change re-lints at once, the scanned (closed) file included.
    writeFileSync(path.join(workspace, '.socklintrc.json'), JSON.stringify({ rules: { [RULE]: 'off' } }));
    await markers.locator('.monaco-list-row', { hasText: 'scanned-copy.cpp' }).first().waitFor({ state: 'detached', timeout: 20_000 });
    mkdirSync(path.join(workspace, '.vscode'));
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'socklint.rules': { [RULE]: 'error' } }));
    await markers.locator('.monaco-list-row .codicon-error').first().waitFor({ timeout: 20_000 });
    // After the scan the status bar counts the scanned files too, and says so.
    await page.locator('.statusbar-item', { hasText: 'Socklint: 1 finding (workspace scan)' }).first().waitFor();
    await shot('8-settings-override');

    const log = socklintLog(server.userDataDir);
    assert.ok(log && /activated: activate\(\) took/.test(log), `Socklint log: ${log}`);
    console.log(`# socklint log:\n${log.trim().split('\n').map((l) => `#   ${l}`).join('\n')}`);
  });

  it('a fix that lands off-screen is scrolled into view and selected after Enter applies it', async () => {
    // write-write-read: the fix sets TCP_NODELAY right after socket(), 80 lines above the finding.
    const file = 'far-fix.c';
    const filler = Array.from({ length: 80 }, (_, i) => ` * ${i + 1}. protocol note: the header carries the key and value lengths.`).join('\n');
    writeFileSync(path.join(workspace, file), `#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <unistd.h>

int put(const char *key, uint32_t klen, const struct sockaddr_in *addr)
{
    char status;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) < 0) {
        close(fd);
        return -1;
    }
    /*
${filler}
     */
    uint32_t header[2] = { klen, 0 };
    if (send(fd, header, sizeof header, 0) != (ssize_t)sizeof header)
        return -1;
    if (send(fd, key, klen, 0) != (ssize_t)klen)
        return -1;
    if (recv(fd, &status, 1, MSG_WAITALL) != 1)
        return -1;
    close(fd);
    return status;
}
`);
    // Opened from the Explorer, which shows a new file as soon as the watcher sees it (Quick Open's
    // file list can lag behind a file written during the session).
    const entry = page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first();
    await entry.waitFor({ timeout: 20_000 });
    await entry.click();
    await page.locator('.tab', { hasText: file }).first().waitFor();
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'write-write-read' }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.dblclick();
    await page.waitForTimeout(500);
    // The editor renders only the lines in view, with non-breaking spaces.
    const visible = async () => (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
    assert.doesNotMatch(await visible(), /int fd = socket\(/, 'the socket is off-screen before the fix');
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    await menu.waitFor();
    assert.match(await menu.locator('.monaco-list-row.focused').first().innerText(), /TCP_NODELAY/);
    await page.keyboard.press('Enter');
    // The editor scrolls to the inserted line, and it is selected.
    await page.locator('.monaco-editor .view-lines', { hasText: 'TCP_NODELAY' }).first().waitFor({ timeout: 20_000 });
    const shown = await visible();
    assert.match(shown, /int fd = socket\(/);
    assert.ok(await page.locator('.monaco-editor .selected-text').count() > 0, 'the inserted line is selected');
    await shot('9-fix-revealed');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'write-write-read' }).first().waitFor({ state: 'detached', timeout: 20_000 });
  });
});
