// End to end for Node.js code, in a real VS Code: the extension activates on a JavaScript file,
// lists the Node findings in the Problems panel with Node's names, and the quick fix inserts
// `setNoDelay(true)` after the socket is made. Run twice: with the language server on Node.js (the
// desktop extension host) and in the browser's web worker extension host (the JavaScript grammar
// posted into the worker as bytes). Screenshots go to test-results/e2e/node-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildVsix, launchChromium, openWithQuickOpen, ROOT, savedText, startCodeServer, type RunningCodeServer } from './codeServer';

const FILE = 'quote-client.js';
const SOURCE = path.join(ROOT, 'examples', 'node', FILE);
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const PUBLISHER_NAME = (() => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string };
  return `${pkg.publisher}.${pkg.name}`;
})();

for (const host of ['desktop', 'web'] as const) describe(`Socklint on Node.js code in code-server (${host} extension host)`, { timeout: 600_000 }, () => {
  let server: RunningCodeServer;
  let context: BrowserContext;
  let page: Page;
  let workspace: string;
  let profile: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildVsix();
    workspace = mkdtempSync(path.join(tmpdir(), 'socklint-e2e-node-'));
    cpSync(SOURCE, path.join(workspace, FILE));
    server = await startCodeServer(host === 'web' ? { settings: { 'remote.extensionKind': { [PUBLISHER_NAME]: ['web'] } } } : {});
    ({ context, page, profile } = await launchChromium('socklint-e2e-node-chromium-', { width: 1400, height: 900 }));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('lists the Node findings in the Problems panel and applies the setNoDelay(true) fix', async () => {
    await page.goto(server.folderUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await openWithQuickOpen(page, FILE);
    await page.keyboard.press('Control+Shift+M');

    // Both findings, with the runtime's names: the 'data' event and the write held by Nagle.
    const chunk = page.locator('.markers-panel .monaco-list-row', { hasText: "A `'data'` event delivers whatever bytes have arrived" }).first();
    const nagle = page.locator('.markers-panel .monaco-list-row', { hasText: 'waits in Nagle for the ACK of the previous one' }).first();
    await chunk.waitFor({ timeout: 90_000 });
    await nagle.waitFor({ timeout: 30_000 });
    assert.match(await chunk.innerText(), /socklint\s+recv-message-boundary/);
    const nagleRow = await nagle.innerText();
    assert.match(nagleRow, /socklint\s+write-write-read/);
    // Linux peers when no profile is chosen: 40 ms.
    assert.match(nagleRow, /\+40 ms per request/);
    await page.screenshot({ path: path.join(SHOTS, `node-${host}-1-problems.png`) });
    // Where the language server runs: a Node.js process of this code-server, or none (a Web Worker).
    const servers = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(server.home) && /dist\/server\.js/.test(l));
    assert.equal(servers.length > 0, host === 'desktop', `language server processes: ${JSON.stringify(servers)}`);

    // Quick fix at the write: the rule's fix comes first.
    await nagle.dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    await menu.waitFor();
    await page.screenshot({ path: path.join(SHOTS, `node-${host}-2-quick-fix.png`) });
    assert.match(await menu.locator('.monaco-list-row.focused').first().innerText(), /Call setNoDelay\(true\) on this socket/);
    await menu.getByText('Call setNoDelay(true) on this socket').first().click();
    await page.keyboard.press('Control+S');
    const before = readFileSync(SOURCE, 'utf8');
    const edited = (await savedText(path.join(workspace, FILE), before)).split('\n');
    // After the statement that makes the socket (its connect callback ends on line 14).
    assert.equal(edited[14], '  sock.setNoDelay(true);', edited.join('\n'));
    assert.equal(edited.length, before.split('\n').length + 1);
    await nagle.waitFor({ state: 'detached', timeout: 30_000 });
    await chunk.waitFor();
    await page.screenshot({ path: path.join(SHOTS, `node-${host}-3-fixed.png`) });
  });
});
