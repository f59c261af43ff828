// End to end, in a real VS Code (code-server): the CodeLens above a finding shows what the
// simulator says about it on the LAN preset; clicking it opens the simulator panel on that finding,
// whose headline states the same conditions and numbers and whose tab follows the scenario shown;
// `socklint.codeLens.enable: false` removes the lens. Then the panel in each of VS Code's four
// default themes: the chart colours the page reads are the ones the Chromium tests' theme fixtures
// hold, and every series keeps its own colour. Screenshots go to test-results/e2e/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, FrameLocator, Page } from 'playwright-core';
import { findingRuns } from '../../src/common/comparison';
import { formatRate, lensTitle } from '../../src/common/figures';
import { LINK_PRESETS } from '../../src/common/link';
import { initEngine, lint, ruleById } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';
import { simulate } from '../../src/sim';
import { sharedColours } from '../../webview/palette';
import { CAUSE_CANDIDATES, RUN_CANDIDATES } from '../../webview/theme';
import { buildVsix, examplePath, launchChromium, openWithQuickOpen, ROOT, startCodeServer, type RunningCodeServer } from './codeServer';

const FILE = 'sndbuf-zero-without-overlapped.cpp';
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const FIXTURES = path.join(ROOT, 'test', 'webview', 'fixtures');
/** VS Code's four default themes (as the theme picker names them) and the Chromium tests' fixture for each. */
const THEMES = [
  { name: 'Dark Modern', fixture: 'dark', kind: '.vscode-dark' },
  { name: 'Light Modern', fixture: 'light', kind: '.vscode-light' },
  { name: 'Dark High Contrast', fixture: 'hc', kind: '.vscode-high-contrast:not(.vscode-high-contrast-light)' },
  { name: 'Light High Contrast', fixture: 'hc-light', kind: '.vscode-high-contrast-light' },
];

describe('the CodeLens and the simulator panel in code-server', { timeout: 900_000 }, () => {
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

  const panel = (): FrameLocator => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  it('shows the simulated cost above the finding, opens the panel on it, and can be switched off', async () => {
    // What the lens must say: the finding's two runs on the LAN preset, simulated here.
    await initEngine(grammarFiles());
    const text = readFileSync(examplePath(FILE), 'utf8');
    const finding = lint(text, 'cpp', {}).findings.find((f) => f.scenario)!;
    const runs = findingRuns(finding.scenario!, finding.fixedScenario, 'lan').map((s) => simulate(s, { traceLimit: 0, perMessageLimit: 0 }));
    const figures = runs.map((r) => ({ pattern: r.scenario.workload.pattern, messagesPerSecond: r.messagesPerSecond, goodputMbps: r.goodputMbps, latencyP50Ms: r.latencyMs.p50 }));
    const expected = lensTitle(figures[0]!, figures[1]!, LINK_PRESETS.lan.phrase);
    const findingLine = text.split('\n')[finding.range.start.line]!.trim();

    await page.goto(server.folderUrl(workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await openWithQuickOpen(page, FILE);

    // The lens, above the finding's line.
    const lens = page.locator('.codelens-decoration a', { hasText: 'Simulate on a LAN' }).first();
    await lens.waitFor({ timeout: 90_000 });
    await lens.scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    assert.equal((await lens.textContent())?.trim(), expected);
    const line = page.locator('.view-line', { hasText: findingLine.slice(0, 40) }).first();
    const [lensBox, lineBox] = [await lens.boundingBox(), await line.boundingBox()];
    assert.ok(lensBox && lineBox && lensBox.y + lensBox.height <= lineBox.y + 2 && lensBox.y + lensBox.height >= lineBox.y - 30,
      `the lens (${JSON.stringify(lensBox)}) sits right above "${findingLine}" (${JSON.stringify(lineBox)})`);
    await page.screenshot({ path: path.join(SHOTS, 'codelens.png') });

    // Clicking it opens the panel on this finding. The lenses are redrawn after each analysis, and a
    // click that lands while the lens is being replaced is lost: click again until the panel is there.
    for (let attempt = 1; ; attempt++) {
      await lens.click();
      const opened = await page.locator('iframe.webview.ready').first().waitFor({ timeout: 20_000 }).then(() => true, () => false);
      if (opened || attempt === 3) break;
    }
    const headline = panel().locator('#headline');
    await panel().locator('body[data-busy="false"]').waitFor({ timeout: 120_000 });
    await headline.filter({ hasText: /\/s/ }).waitFor({ timeout: 120_000 });
    const said = (await headline.textContent()) ?? '';
    assert.match(said, /^On a LAN \(0\.5 ms RTT, 1 Gbit\/s\) with Windows 10\/11, [\d.]+ µs per send\/recv call, [\d,]+ records: /, said);
    assert.ok(said.includes(`${formatRate(runs[0]!.messagesPerSecond)} records/s as written, ${formatRate(runs[1]!.messagesPerSecond)} records/s`), `${said} has the lens's runs`);
    assert.doesNotMatch(said, /×/, 'no unsupported multiplier');
    assert.equal(await panel().locator('.summary[data-status="done"]').count(), 2);
    assert.equal(await panel().locator('body').getAttribute('data-sim-thread'), 'worker');
    assert.equal(await panel().locator('#notices').textContent(), '', 'no problem reported');
    const ruleTitle = ruleById(finding.ruleId)!.title;
    await page.locator('.tab', { hasText: `Simulate: ${ruleTitle}` }).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'simulator-from-codelens.png') });

    // The tab follows what the panel shows.
    await panel().locator('#source').evaluate((sel) => {
      (sel as HTMLElement & { value: string }).value = 'preset:bulk-long-fat-link';
      sel.dispatchEvent(new Event('change'));
    });
    await page.locator('.tab', { hasText: 'Simulate: Bulk transfer over a long fat link' }).first().waitFor({ timeout: 30_000 });

    // socklint.codeLens.enable: false takes the lens away.
    mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
    writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'socklint.codeLens.enable': false }));
    await page.locator('.tab', { hasText: FILE }).first().click();
    await page.locator('.codelens-decoration a', { hasText: 'Simulate on' }).first().waitFor({ state: 'detached', timeout: 30_000 });
    await page.screenshot({ path: path.join(SHOTS, 'codelens-off.png') });
  });

  it('in each default theme, the panel reads the colours the Chromium tests use, and no two series share one', async () => {
    const names = [...new Set([...RUN_CANDIDATES.flat(), ...Object.values(CAUSE_CANDIDATES).flat(), '--vscode-editor-background', '--vscode-foreground', '--vscode-editor-foreground'])];
    const problems: string[] = [];
    for (const theme of THEMES) {
      // As a user switches theme: Preferences: Color Theme, then the theme's name (from the
      // editor: key presses inside the webview stay there). The panel stays open beside it.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+Shift+P');
      await page.locator('.quick-input-widget input').fill('>Preferences: Color Theme');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click();
      await page.locator('.quick-input-widget input').fill(theme.name);
      const exact = page.locator('.quick-input-list .label-name', { hasText: new RegExp(`^${theme.name}$`) }).first();
      await exact.waitFor();
      await exact.click();
      // VS Code marks the webview's body with the theme's kind once it has applied the theme.
      await panel().locator(`body${theme.kind}`).waitFor({ timeout: 30_000 });
      await panel().locator('body[data-busy="false"]').waitFor({ timeout: 120_000 });
      await page.waitForTimeout(1000);
      const seen = await panel().locator('html').evaluate((html, names) => {
        const s = getComputedStyle(html);
        return Object.fromEntries(names.map((n) => [n, s.getPropertyValue(n).trim()]));
      }, names);
      const css = readFileSync(path.join(FIXTURES, `theme-${theme.fixture}.css`), 'utf8');
      for (const n of names) {
        const inFixture = new RegExp(`${n}: ([^;]+);`).exec(css)?.[1] ?? '';
        if (inFixture !== seen[n]) problems.push(`${theme.name}: ${n} is "${seen[n]}" in VS Code, "${inFixture}" in theme-${theme.fixture}.css`);
      }
      const palette = await panel().locator('body').evaluate(() => (window as unknown as { socklintPanel: { palette(): { causes: Record<string, string>; runs: string[] } } }).socklintPanel.palette());
      problems.push(...sharedColours(Object.entries(palette.causes).map(([label, colour]) => ({ label, colour }))).map((p) => `${theme.name}: ${p}`));
      problems.push(...sharedColours(palette.runs.map((colour, i) => ({ label: `run ${i}`, colour }))).map((p) => `${theme.name}: ${p}`));
      await page.screenshot({ path: path.join(SHOTS, `simulator-${theme.fixture}.png`) });
    }
    assert.deepEqual(problems, []);
  });
});
