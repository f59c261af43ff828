// The simulator panel's real bundle in real headless Chromium (see harness.ts): presets, controls,
// the numbers shown against the simulator run in Node, charts and ladder drawn, exports, themes,
// keyboard, saved state, malformed input from either side. Screenshots go to test-results/webview.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Scenario } from '../../src/common/scenario';
import { PRESETS, simulate, validateScenario } from '../../src/sim';
import { formatRate, headline, runTitle, type RunSummary } from '../../webview/format';
import { parsePanelMessage } from '../../webview/protocol';
import { PANEL_RUN_LIMITS } from '../../webview/worker-protocol';
import { comparisonFor, RUN_FALLBACK_TITLES } from '../../webview/state';
import {
  canvasHasColour, ensureBundles, inkedPixels, launch, openPanel, pageProblems, screenshot, waitIdle, type Launched, type PanelPage,
} from './harness';

/** What the simulator itself says about a scenario, run here in Node. */
function simulateHere(s: Scenario) {
  const v = validateScenario(s);
  assert.ok(v.ok, JSON.stringify(!v.ok && v.errors));
  return simulate(s, { ...PANEL_RUN_LIMITS, perMessageLimit: 20_000 });
}

function summaryOf(s: Scenario, title: string): RunSummary {
  const r = simulateHere(s);
  return {
    title, pattern: s.workload.pattern, count: r.messages, messagesPerSecond: r.messagesPerSecond, totalTimeMs: r.totalTimeMs, causes: r.causes,
    goodputMbps: r.goodputMbps, bytes: s.workload.pattern === 'bulk' ? r.scenario.workload.totalBytes : undefined,
  };
}

function presetPair(id: string): [Scenario, Scenario] {
  const p = PRESETS.find((x) => x.id === id) as { scenario: Scenario; fixedScenario?: Scenario };
  return [p.scenario, p.fixedScenario ?? comparisonFor(p.scenario)];
}

async function shown(page: Page) {
  return page.evaluate(() => ({
    headline: document.getElementById('headline')!.textContent ?? '',
    mps: [...document.querySelectorAll<HTMLElement>('.summary')].map((c) => c.querySelector('dd.mps')?.textContent ?? null),
    status: [...document.querySelectorAll<HTMLElement>('.summary')].map((c) => c.dataset.status),
    notices: document.getElementById('notices')!.textContent ?? '',
    ladder: {
      packets: document.querySelectorAll('.ladder svg .pkt').length,
      apps: document.querySelectorAll('.ladder svg .app').length,
      timers: document.querySelectorAll('.ladder svg .timer').length,
    },
    thread: document.body.dataset.simThread,
  }));
}

async function assertChartsDrawn(page: Page) {
  for (const id of ['latency', 'cdf', 'rate', 'causes']) {
    const ink = await inkedPixels(page, `figure[data-chart="${id}"] canvas`);
    assert.ok(ink > 2000, `chart ${id} drew ${ink} pixels`);
    const rows = await page.$$eval(`figure[data-chart="${id}"] tbody tr`, (r) => r.length);
    assert.ok(rows > 0, `chart ${id} has a data table`);
  }
}

async function assertClean(p: PanelPage) {
  assert.deepEqual(await pageProblems(p), []);
}

/** Types into the text field of a form row (`run` 0 or 1, `path` like "link.rttMs"). */
async function typeInto(page: Page, run: number, path: string, text: string) {
  await page.evaluate((run) => {
    const tabs = document.getElementById('scenario-tabs') as HTMLElement & { selectedIndex: number };
    tabs.selectedIndex = run;
  }, run);
  const input = page.locator(`#run${run}-${path.replace('.', '-')} input`);
  await input.click();
  await input.fill(text);
}

let browser: Launched;

describe('simulator panel in Chromium', { timeout: 300_000 }, () => {
  before(async () => {
    ensureBundles();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  it('starts with the first preset, simulates both runs in a Web Worker and shows the simulator\'s numbers', async () => {
    const p = await openPanel(browser, { theme: 'dark' });
    const { page } = p;
    const [a, b] = presetPair(PRESETS[0]!.id);
    const s = await shown(page);
    assert.equal(s.thread, 'worker');
    assert.ok(page.workers().some((w) => w.url().startsWith('blob:')), 'a blob: worker runs');
    const ra = summaryOf(a, runTitle(a, RUN_FALLBACK_TITLES[0]));
    const rb = summaryOf(b, runTitle(b, RUN_FALLBACK_TITLES[1]));
    assert.deepEqual(s.mps, [formatRate(ra.messagesPerSecond), formatRate(rb.messagesPerSecond)]);
    assert.equal(s.headline, headline(ra, rb));
    await assertChartsDrawn(page);
    assert.ok(s.ladder.packets > 3 && s.ladder.apps > 0, JSON.stringify(s.ladder));
    await screenshot(page, 'preset-dark');
    await assertClean(p);
    await page.close();
  });

  it('loads every preset from the picker and draws its charts and ladder', async () => {
    const p = await openPanel(browser, { theme: 'light' });
    const { page } = p;
    for (const preset of PRESETS) {
      await page.evaluate((v) => {
        const sel = document.getElementById('source') as HTMLElement & { value: string };
        sel.value = v;
        sel.dispatchEvent(new Event('change'));
      }, `preset:${preset.id}`);
      await waitIdle(page);
      const [a, b] = presetPair(preset.id);
      const s = await shown(page);
      assert.deepEqual(s.status, ['done', 'done'], preset.id);
      assert.deepEqual(s.mps, [formatRate(simulateHere(a).messagesPerSecond), formatRate(simulateHere(b).messagesPerSecond)], preset.id);
      await assertChartsDrawn(page);
      assert.ok(s.ladder.packets > 0, `${preset.id}: ladder drew packets`);
      await screenshot(page, `preset-${preset.id}-light`);
    }
    await assertClean(p);
    await page.close();
  });

  it('re-runs when a control changes, with the numbers of the edited scenario', async () => {
    const p = await openPanel(browser);
    const { page } = p;
    const [a] = presetPair(PRESETS[0]!.id);
    const before = (await shown(page)).mps[0];
    // A checkbox, clicked like a person would.
    await page.locator('#run0-client-nodelay').click();
    await waitIdle(page);
    const toggled: Scenario = { ...a, client: { ...a.client, nodelay: !(a.client?.nodelay ?? false) } };
    assert.equal((await shown(page)).mps[0], formatRate(simulateHere(toggled).messagesPerSecond));
    // A number typed into a text field.
    await typeInto(page, 0, 'link.rttMs', '80');
    await waitIdle(page);
    const slower: Scenario = { ...toggled, link: { ...toggled.link, rttMs: 80 } };
    const after = (await shown(page)).mps[0];
    assert.equal(after, formatRate(simulateHere(slower).messagesPerSecond));
    assert.notEqual(after, before);
    await assertClean(p);
    await page.close();
  });

  it('reports an invalid value at its field and does not run it', async () => {
    const p = await openPanel(browser);
    const { page } = p;
    await typeInto(page, 0, 'link.mss', '12');
    await page.waitForTimeout(400);
    const err = await page.locator('[data-path="link.mss"] .field-error').first().textContent();
    assert.match(err ?? '', /at least 88/);
    assert.equal((await shown(page)).status[0], 'invalid');
    // A value the form accepts but the simulator rejects is reported too.
    await typeInto(page, 0, 'link.mss', '');
    await typeInto(page, 0, 'link.lossRate', '0.9');
    await page.waitForTimeout(400);
    await waitIdle(page);
    assert.equal((await shown(page)).status[0], 'invalid');
    assert.match(await page.locator('.run-errors').first().textContent() ?? '', /lossRate/);
    await assertClean(p);
    await page.close();
  });

  it('opens a finding with both runs and a headline in words', async () => {
    const [a] = presetPair(PRESETS[0]!.id);
    const scenario: Scenario = { ...a, title: 'As written' };
    const fixedScenario: Scenario = { ...a, title: 'With TCP_NODELAY', client: { ...a.client, nodelay: true }, server: { ...a.server, nodelay: true } };
    const p = await openPanel(browser, { init: { type: 'init', input: { scenario, fixedScenario, title: 'write-write-read in client.c:42' } } });
    const { page } = p;
    const s = await shown(page);
    assert.equal(s.headline, headline(summaryOf(scenario, 'As written'), summaryOf(fixedScenario, 'With TCP_NODELAY')));
    assert.match(s.headline, /^As written: .* With TCP_NODELAY: /);
    assert.equal(await page.evaluate(() => (document.getElementById('source') as HTMLElement & { value: string }).value), 'finding');
    await screenshot(page, 'finding-dark');
    await assertClean(p);
    await page.close();
  });

  it('reports a malformed finding and malformed messages in the panel instead of throwing', async () => {
    const [a] = presetPair(PRESETS[0]!.id);
    const p = await openPanel(browser, { init: { type: 'init', input: { scenario: { title: 42, client: 'fast', workload: { pattern: 'sometimes', writes: 'many' }, link: { rttMs: -1 } }, fixedScenario: a } } });
    const { page } = p;
    let s = await shown(page);
    assert.match(s.notices, /finding's scenario has errors: .*workload\.pattern/);
    assert.deepEqual(s.status, ['invalid', 'done'], 'the broken run is marked, the other one still runs');
    assert.match(await page.locator('.run-errors').first().textContent() ?? '', /link\.rttMs/);
    await screenshot(page, 'malformed-finding-dark');
    // A scenario that is not even an object is replaced, and said so.
    await page.evaluate(() => window.postMessage({ type: 'load', input: { scenario: 'not a scenario', fixedScenario: 7 } }, '*'));
    await waitIdle(page);
    s = await shown(page);
    assert.match(s.notices, /finding's scenario is not a scenario .*showing a preset instead/);
    assert.match(s.notices, /fixed scenario is not a scenario/);
    assert.deepEqual(s.status, ['done', 'done']);
    // Messages that are not messages.
    await page.evaluate(() => {
      window.postMessage({ type: 'load', input: 42 }, '*');
      window.postMessage('hello', '*');
    });
    await page.waitForTimeout(100);
    s = await shown(page);
    assert.match(s.notices, /Ignored a message from the extension: input must be an object/);
    assert.match(s.notices, /Ignored a message from the extension: message without a type/);
    const sent = await page.evaluate(() => (window as unknown as { __sent: { type: string }[] }).__sent);
    assert.ok(sent.filter((m) => m.type === 'problem').length >= 2, 'problems are mirrored to the extension');
    await assertClean(p);
    await page.close();
  });

  it('survives a reload from the saved state', async () => {
    const p = await openPanel(browser);
    await typeInto(p.page, 1, 'link.rttMs', '55');
    await waitIdle(p.page);
    const before = await shown(p.page);
    const state = await p.page.evaluate(() => (window as unknown as { __state: unknown }).__state);
    await p.page.close();
    const q = await openPanel(browser, { state });
    const after = await shown(q.page);
    assert.deepEqual(after.mps, before.mps);
    assert.equal(await q.page.locator('#run1-link-rttMs').evaluate((e) => (e as HTMLElement & { value: string }).value), '55');
    // A state from elsewhere is set aside with a word, not trusted.
    const r = await openPanel(browser, { state: { v: 1, source: { kind: 'preset', id: 'x' }, runs: 'nope' } });
    assert.match((await shown(r.page)).notices, /Started afresh: the saved panel state has no scenarios/);
    assert.deepEqual((await shown(r.page)).status, ['done', 'done']);
    await assertClean(q);
    await assertClean(r);
    await q.page.close();
    await r.page.close();
  });

  it('exports the scenario, the results and the charts as messages the extension accepts', async () => {
    const p = await openPanel(browser);
    const { page } = p;
    for (const id of ['#export-json', '#export-csv', '#export-png']) await page.locator(id).click();
    const sent = await page.evaluate(() => (window as unknown as { __sent: unknown[] }).__sent);
    const exports = sent.map((m) => parsePanelMessage(m)).filter((m) => m.ok && m.value.type === 'export').map((m) => (m as { value: { format: string; data: string } }).value);
    assert.deepEqual(exports.map((e) => e.format), ['json', 'csv', 'png']);
    const [a, b] = presetPair(PRESETS[0]!.id);
    assert.deepEqual(JSON.parse(exports[0]!.data), a);
    const lines = exports[1]!.data.trimEnd().split('\r\n');
    const expectedRows = simulateHere(a).perMessage.length + simulateHere(b).perMessage.length;
    assert.equal(lines.length, 1 + expectedRows);
    assert.match(lines[0]!, /^run,message,latency_ms,/);
    const png = Buffer.from(exports[2]!.data, 'base64');
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(png.length > 10_000);
    // The extension's answer shows up in the panel.
    await page.evaluate(() => window.postMessage({ type: 'exported', ok: true, message: 'Saved socklint-charts.png.' }, '*'));
    await page.waitForFunction(() => document.getElementById('export-status')!.textContent === 'Saved socklint-charts.png.');
    await assertClean(p);
    await page.close();
  });

  it('re-colours the charts when the theme changes', async () => {
    const p = await openPanel(browser, { theme: 'dark' });
    const { page } = p;
    const rate = 'figure[data-chart="rate"] canvas';
    const darkRed: [number, number, number] = [0xf1, 0x4c, 0x4c];
    const lightRed: [number, number, number] = [0xe5, 0x14, 0x00];
    assert.ok(await canvasHasColour(page, rate, darkRed));
    assert.ok(!(await canvasHasColour(page, rate, lightRed)));
    // What VS Code does on a theme switch: new variables, new body class.
    await page.evaluate(() => {
      const link = document.getElementById('theme') as HTMLLinkElement;
      link.href = link.href.replace('dark.css', 'light.css');
    });
    await page.waitForFunction(() => getComputedStyle(document.body).getPropertyValue('--vscode-charts-red').trim() === '#e51400');
    await page.evaluate(() => { document.body.className = 'vscode-light'; });
    await page.waitForTimeout(100);
    assert.ok(await canvasHasColour(page, rate, lightRed), 'the light theme red is used');
    assert.ok(!(await canvasHasColour(page, rate, darkRed)), 'the dark theme red is gone');
    await screenshot(page, 'theme-switched-light');
    await assertClean(p);
    await page.close();
  });

  it('looks right in high contrast', async () => {
    const p = await openPanel(browser, { theme: 'hc' });
    await assertChartsDrawn(p.page);
    await screenshot(p.page, 'preset-hc');
    await assertClean(p);
    await p.page.close();
  });

  it('is operable from the keyboard: zoom the ladder, open a data table', async () => {
    const p = await openPanel(browser);
    const { page } = p;
    const height = () => page.$eval('.ladder svg', (s) => Number(s.getAttribute('height')));
    const h1 = await height();
    await page.focus('.ladder-scroll');
    await page.keyboard.press('+');
    assert.equal(await page.locator('.zoom-label').textContent(), '200%');
    assert.ok((await height()) > h1 * 1.5);
    await page.keyboard.press('0');
    assert.equal(await page.locator('.zoom-label').textContent(), '100%');
    // Tab from the ladder reaches its packet table toggle; Enter opens it.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Packet table');
    await page.keyboard.press('Enter');
    assert.ok(await page.locator('.ladder details').evaluate((d) => (d as HTMLDetailsElement).open));
    assert.ok((await page.locator('.ladder details tbody tr').count()) > 0);
    // A form control: focus the checkbox and press Space, as a keyboard user would.
    const [a] = presetPair(PRESETS[0]!.id);
    await page.focus('#run0-client-nodelay');
    await page.keyboard.press('Space');
    await waitIdle(page);
    const toggled: Scenario = { ...a, client: { ...a.client, nodelay: !(a.client?.nodelay ?? false) } };
    assert.equal((await shown(page)).mps[0], formatRate(simulateHere(toggled).messagesPerSecond));
    await assertClean(p);
    await page.close();
  });

  it('keeps the page responsive and shows progress during a long run', async () => {
    const p = await openPanel(browser);
    const { page } = p;
    const fast = comparisonFor(PRESETS[0]!.scenario);
    // 300,000 records take the simulator a second or more even on an idle machine.
    const big: Scenario = { ...fast, workload: { ...fast.workload, count: 300_000 } };
    await page.evaluate((s) => window.postMessage({ type: 'load', input: { scenario: s, fixedScenario: s } }, '*'), big);
    await page.waitForFunction(() => document.body.dataset.busy === 'true');
    // While both runs compute, the page's own thread keeps answering timers on time, and the
    // progress bar moves.
    const { gaps, progress } = await page.evaluate(async () => {
      const out: number[] = [];
      let seen = 0;
      let last = performance.now();
      // (No named helper functions in here: the TypeScript loader would wrap them in a helper the page lacks.)
      while ([...document.querySelectorAll<HTMLElement>('.summary')].some((c) => c.dataset.status === 'running') && out.length < 1000) {
        await new Promise((r) => setTimeout(r, 10));
        const now = performance.now();
        out.push(now - last);
        last = now;
        seen = Math.max(seen, Number((document.querySelector('#progress vscode-progress-bar') as (HTMLElement & { value?: number }) | null)?.value ?? 0));
      }
      return { gaps: out, progress: seen };
    });
    assert.ok(gaps.length > 10, `sampled ${gaps.length} times while running`);
    assert.ok(progress > 0, 'the progress bar advanced');
    await screenshot(page, 'long-run-done');
    await waitIdle(page, 120_000);
    // Had the simulation run on the page's thread, one gap would last as long as the run itself.
    // (The bound is relative because a loaded machine delays timers of every thread.)
    const elapsed = await page.$$eval('.summary', (cs) => cs.map((c) => Number((c as HTMLElement).dataset.elapsedMs)));
    assert.ok(Math.max(...gaps) < 0.5 * Math.min(...elapsed), `the page froze for ${Math.max(...gaps)} ms of a ${Math.min(...elapsed)} ms run`);
    assert.deepEqual((await shown(page)).status, ['done', 'done']);
    assert.equal((await shown(page)).mps[0], formatRate(simulateHere(big).messagesPerSecond));
    await assertClean(p);
    await page.close();
  });
});
