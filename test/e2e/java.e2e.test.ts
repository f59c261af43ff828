// End to end, a Java file in a real VS Code (code-server, Restricted Mode): the extension activates on
// the `java` language, Socklint's findings appear in the Problems panel worded in java.net's terms, the
// hover explains one, and the preferred quick fix moves setReceiveBufferSize before connect(), which
// clears that finding. Screenshots go to test-results/e2e/java-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { buildVsix, launchChromium, openWithQuickOpen, ROOT, savedText, startCodeServer, type RunningCodeServer } from './codeServer';

const FILE = 'RpcClient.java';
const SOURCE = `import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

class RpcClient {
    static String call(InetSocketAddress server, byte[] header, byte[] body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(server);
            s.setReceiveBufferSize(1 << 20);
            OutputStream out = s.getOutputStream();
            out.write(header, 0, 8);
            out.write(body, 0, 100);
            byte[] reply = new byte[256];
            InputStream in = s.getInputStream();
            int n = in.read(reply);
            return new String(reply, 0, n).equals("OK") ? "ok" : "failed";
        }
    }
}
`;
const SHOTS = path.join(ROOT, 'test-results', 'e2e');

describe('Socklint on a Java file in code-server', { timeout: 600_000 }, () => {
  let server: RunningCodeServer;
  let context: BrowserContext;
  let page: Page;
  let workspace: string;
  let profile: string;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    buildVsix();
    workspace = mkdtempSync(path.join(tmpdir(), 'socklint-e2e-java-'));
    writeFileSync(path.join(workspace, FILE), SOURCE);
    server = await startCodeServer();
    ({ context, page, profile } = await launchChromium('socklint-e2e-java-chromium-', { width: 1400, height: 900 }));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  it('lists the Java findings, explains one on hover and moves setReceiveBufferSize before connect()', async () => {
    await page.goto(server.folderUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await openWithQuickOpen(page, FILE);
    await page.keyboard.press('Control+Shift+M');

    // Three findings, with java.net's names.
    const late = page.locator('.markers-panel .monaco-list-row', { hasText: 'setReceiveBufferSize(1 MB) called after connect()' }).first();
    const wwr = page.locator('.markers-panel .monaco-list-row', { hasText: 'waits in Nagle for the ACK of the previous one' }).first();
    const recv = page.locator('.markers-panel .monaco-list-row', { hasText: 'read() returns 1–256 bytes' }).first();
    await late.waitFor({ timeout: 90_000 });
    await wwr.waitFor();
    await recv.waitFor();
    assert.match(await late.innerText(), /socklint\s+sockopt-after-connect/);
    await page.locator('.statusbar-item', { hasText: 'Socklint: 3 findings (open files)' }).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'java-1-problems-panel.png') });

    // The hover on the write-write-read finding: the wire story for this send and where the reply is read.
    await wwr.dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:visible', { hasText: 'More in the rule documentation' }).first();
    await hover.waitFor({ timeout: 20_000 });
    const hoverText = await hover.innerText();
    assert.match(hoverText, /This 100-byte send follows an earlier send, before the reply is read on this connection, with Nagle on/);
    assert.match(hoverText, /the reply is read here, one delayed ACK later/);
    await page.screenshot({ path: path.join(SHOTS, 'java-2-hover.png') });
    await page.keyboard.press('Escape');

    // The preferred quick fix on the late setReceiveBufferSize moves it before connect().
    await late.dblclick();
    await page.waitForTimeout(500);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget:not(.action-list-submenu-panel)').first();
    await menu.waitFor();
    assert.match(await menu.locator('.monaco-list-row.focused').first().innerText(), /Move this setReceiveBufferSize before connect\(\)/);
    await page.screenshot({ path: path.join(SHOTS, 'java-3-quick-fix-menu.png') });
    await menu.getByText('Move this setReceiveBufferSize before connect()').first().click();
    await page.keyboard.press('Control+S');

    const edited = await savedText(path.join(workspace, FILE), SOURCE);
    const lines = edited.split('\n').map((l) => l.trim());
    assert.ok(lines.indexOf('s.setReceiveBufferSize(1 << 20);') < lines.indexOf('s.connect(server);'), edited);
    await late.waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('.statusbar-item', { hasText: 'Socklint: 2 findings (open files)' }).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'java-4-after-fix.png') });
  });
});
