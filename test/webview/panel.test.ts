// The simulator panel's real bundle in real headless Chromium (see harness.ts): presets, controls,
// the numbers shown against the simulator run in Node, a fair headline (shared conditions, the
// figure that matters), charts that show both runs with ticks that do not touch, series told apart
// by colour and pattern in all four themes, a ladder whose labels never overlap at any width,
// exports, keyboard, saved state, malformed input from either side. Screenshots of every preset and
// of a finding in light, dark and both high-contrast themes at 900 and 1,600 px go to test-results/webview.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { Scenario } from '../../src/common/scenario';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { initEngine, lint } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';
import { PRESETS, simulate, validateScenario } from '../../src/sim';
import { findingRuns } from '../../src/common/comparison';
import type { ChartInspection } from '../../webview/charts';
import { formatDuration, formatRate, headline, MAX_STATED_RATIO, runTitle, type RunSummary } from '../../webview/format';
import { MIN_ZOOM } from '../../webview/ladder';
import { sharedColours } from '../../webview/palette';
import { CAUSE_PATTERNS } from '../../webview/patterns';
import { parsePanelMessage } from '../../webview/protocol';
import { PANEL_RUN_LIMITS } from '../../webview/worker-protocol';
import { comparisonFor, RUN_FALLBACK_TITLES } from '../../webview/state';
import {
  canvasHasColour, ensureBundles, inkedPixels, launch, openPanel, pageProblems, ROOT, screenshot, THEMES, waitIdle, type Launched, type PanelPage,
} from './harness';

/** What the simulator itself says about a scenario, run here in Node. */
function simulateHere(s: Scenario) {
  const v = validateScenario(s);
  assert.ok(v.ok, JSON.stringify(!v.ok && v.errors));
  return simulate(s, { ...PANEL_RUN_LIMITS, perMessageLimit: 20_000 });
}

function summaryOf(s: Scenario, title: string): RunSummary {
  const r = simulateHere(s);
  const n = r.scenario;
  return {
    title, pattern: s.workload.pattern, count: r.messages, messagesPerSecond: r.messagesPerSecond, totalTimeMs: r.totalTimeMs, causes: r.causes,
    latencyMs: r.latencyMs, goodputMbps: r.goodputMbps, bytes: s.workload.pattern === 'bulk' ? n.workload.totalBytes : undefined,
    conditions: {
      profile: n.profile, link: { rttMs: n.link.rttMs, bandwidthMbps: n.link.bandwidthMbps, mss: n.link.mss, lossRate: n.link.lossRate },
      callCostUs: { client: n.client.callCostUs, server: n.server.callCostUs },
    },
  };
}

/** The README's first example's finding, as the language server hands it to the panel. */
let exampleFinding: { scenario: Scenario; fixedScenario?: Scenario; title: string };

async function loadExampleFinding() {
  await initEngine(grammarFiles());
  const file = path.join(ROOT, 'examples', 'patterns', 'sndbuf-zero-without-overlapped.cpp');
  const f = lint(readFileSync(file, 'utf8'), 'cpp', {}).findings.find((x) => x.scenario);
  assert.ok(f?.scenario, 'the example has a finding with a scenario');
  exampleFinding = { scenario: f.scenario, fixedScenario: f.fixedScenario, title: 'SO_SNDBUF = 0 without overlapped I/O' };
}

/** Multipliers the headline states ("1.6×"). */
function multipliers(text: string): number[] {
  return [...text.matchAll(/([\d.,]+)×/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
}

/** Picks a preset in the scenario select, as a person would, and waits for both runs. */
async function pickPreset(page: Page, id: string) {
  await page.evaluate((v) => {
    const sel = document.getElementById('source') as HTMLElement & { value: string };
    sel.value = v;
    sel.dispatchEvent(new Event('change'));
  }, `preset:${id}`);
  await waitIdle(page);
}

async function inspectCharts(page: Page): Promise<Record<string, ChartInspection>> {
  return page.evaluate(() => (window as unknown as { socklintPanel: { charts(): Record<string, ChartInspection> } }).socklintPanel.charts());
}

/** Every text label in the ladder diagram, with its box on the page. */
async function ladderLabels(page: Page) {
  return page.evaluate(() => {
    const svg = document.querySelector('.ladder svg');
    if (!svg) return { svg: null, labels: [] };
    const b = svg.getBoundingClientRect();
    const labels = [...svg.querySelectorAll('text')].filter((t) => (t.textContent ?? '').trim() !== '').map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent ?? '', x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
    });
    return { svg: { x0: b.left, y0: b.top, x1: b.right, y1: b.bottom }, labels };
  });
}

/** What a reader sees wrong in the ladder: overlapping labels, labels outside the drawing, "ack ack". */
async function ladderFaults(page: Page): Promise<string[]> {
  const { svg, labels } = await ladderLabels(page);
  if (!svg) return ['no ladder drawn'];
  const faults: string[] = [];
  const eps = 0.5;
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i]!;
    if (a.x0 < svg.x0 - eps || a.x1 > svg.x1 + eps || a.y0 < svg.y0 - eps || a.y1 > svg.y1 + eps) faults.push(`"${a.text}" is cut off by the diagram's edge`);
    if (/ack ack/i.test(a.text) || (a.text.match(/ACK \d/g) ?? []).length > 1) faults.push(`"${a.text}" repeats its ACK`);
    for (let j = i + 1; j < labels.length; j++) {
      const b = labels[j]!;
      if (a.x0 < b.x1 - eps && b.x0 < a.x1 - eps && a.y0 < b.y1 - eps && b.y0 < a.y1 - eps) faults.push(`"${a.text}" overlaps "${b.text}"`);
    }
  }
  return faults;
}

/** What a reader sees wrong in the charts: a run missing or on the edge, ticks touching, series alike. */
function chartFaults(charts: Record<string, ChartInspection>): string[] {
  const faults: string[] = [];
  for (const [id, c] of Object.entries(charts)) {
    for (const axis of c.ticks) {
      const ls = [...axis.labels].sort((x, y) => x.from - y.from);
      for (let i = 1; i < ls.length; i++) if (ls[i]!.from < ls[i - 1]!.to - 0.5) faults.push(`${id}/${axis.axis}: tick labels "${ls[i - 1]!.text}" and "${ls[i]!.text}" overlap`);
    }
    for (const d of c.drawn) if (d.count === 0) faults.push(`${id}: "${d.label}" drew nothing`);
    // Both runs inside the plot and off its edges, along the axis that carries their values.
    if (id === 'latency') for (const d of c.drawn) if (d.minY < c.area.top + 1 || d.maxY > c.area.bottom - 1) faults.push(`latency: "${d.label}" touches the top or bottom edge`);
    if (id === 'cdf') for (const d of c.drawn) if (d.minX < c.area.left + 1 || d.maxX > c.area.right - 1) faults.push(`cdf: "${d.label}" touches the left or right edge`);
    if (id === 'rate') for (const d of c.drawn) if (d.maxX > c.area.right - 1 || d.maxX - d.minX < 3) faults.push(`rate: a bar is hidden or cut (${d.minX}-${d.maxX} in ${c.area.left}-${c.area.right})`);
    faults.push(...sharedColours(c.series).map((x) => `${id}: ${x}`));
    const patterns = c.series.map((x) => x.pattern);
    if (new Set(patterns).size !== patterns.length) faults.push(`${id}: two series share a pattern: ${patterns.join(', ')}`);
  }
  return faults;
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
    await loadExampleFinding();
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

  it('opens a finding on the link the setting names, with both runs on the same OS and link', async () => {
    const [a] = presetPair(PRESETS[0]!.id);
    const scenario: Scenario = { ...a, title: 'As written' };
    const fixedScenario: Scenario = { ...a, title: 'With TCP_NODELAY', profile: 'linux', client: { ...a.client, nodelay: true }, server: { ...a.server, nodelay: true } };
    const p = await openPanel(browser, { init: { type: 'init', input: { scenario, fixedScenario, title: 'write-write-read in client.c:42', link: 'cross-continent' } } });
    const { page } = p;
    const s = await shown(page);
    // What the panel must run: both on the cross-continent preset, the fix on the as-written OS.
    const [ra, rb] = findingRuns(scenario, fixedScenario, 'cross-continent');
    assert.equal(rb.profile, 'windows-legacy');
    assert.equal(s.headline, headline(summaryOf(ra, 'As written'), summaryOf(rb, 'With TCP_NODELAY')));
    assert.match(s.headline, /^On a cross-continent link \(90 ms RTT, 100 Mbit\/s\) with Windows \(legacy, 200 ms delayed ACK\), 1 µs per send\/recv call, 10,000 records: /);
    assert.ok(multipliers(s.headline).every((m) => m <= MAX_STATED_RATIO), s.headline);
    assert.equal(await page.evaluate(() => (document.getElementById('source') as HTMLElement & { value: string }).value), 'finding');
    assert.equal(await page.locator('#conditions-link').evaluate((e) => (e as HTMLElement & { value: string }).value), 'cross-continent');
    const cards = await page.$$eval('.summary dd.run-conditions', (d) => d.map((x) => x.textContent));
    assert.deepEqual(cards, Array(2).fill('a cross-continent link (90 ms RTT, 100 Mbit/s), Windows (legacy, 200 ms delayed ACK)'));
    // The setting changes while the panel is open: the finding follows it.
    await page.evaluate(() => window.postMessage({ type: 'link', link: 'loopback' }, '*'));
    await waitIdle(page);
    assert.match((await shown(page)).headline, /^On loopback \(0\.02 ms RTT, 40 Gbit\/s\) with /);
    // A value the panel does not know is reported, not trusted.
    await page.evaluate(() => window.postMessage({ type: 'link', link: 'moon' }, '*'));
    await page.waitForTimeout(100);
    assert.match((await shown(page)).notices, /Ignored the link setting "moon"/);
    await screenshot(page, 'finding-cross-continent-dark');
    await page.close();
  });

  it('keeps both runs on the same OS and link unless unlinked on purpose, and says so', async () => {
    const p = await openPanel(browser, { theme: 'light' });
    const { page } = p;
    await pickPreset(page, 'write-write-read-linux');
    const profileOf = (run: number) => page.locator(`#run${run}-profile`).evaluate((e) => (e as HTMLElement & { value: string }).value);
    // Linked: the OS of the fixed run follows an edit of the as-written run's form.
    await page.evaluate(() => {
      const sel = document.getElementById('run0-profile') as HTMLElement & { value: string };
      sel.value = 'windows-modern';
      sel.dispatchEvent(new Event('change'));
    });
    await waitIdle(page);
    assert.equal(await profileOf(1), 'windows-modern');
    assert.match((await shown(page)).headline, /^On a 0\.05 ms RTT, 10 Gbit\/s link with Windows 10\/11,/);
    // The bar's link picker moves both runs.
    await page.evaluate(() => {
      const sel = document.getElementById('conditions-link') as HTMLElement & { value: string };
      sel.value = 'lan';
      sel.dispatchEvent(new Event('change'));
    });
    await waitIdle(page);
    assert.deepEqual(await page.$$eval('.summary dd.run-conditions', (d) => d.map((x) => x.textContent)), Array(2).fill('a LAN (0.5 ms RTT, 1 Gbit/s), Windows 10/11'));
    // Unlinked on purpose: the runs may differ, and the panel says it is no longer like for like.
    await page.locator('#conditions-shared').click();
    await page.evaluate(() => {
      const tabs = document.getElementById('scenario-tabs') as HTMLElement & { selectedIndex: number };
      tabs.selectedIndex = 1;
      const sel = document.getElementById('run1-profile') as HTMLElement & { value: string };
      sel.value = 'windows-legacy';
      sel.dispatchEvent(new Event('change'));
    });
    await waitIdle(page);
    assert.equal(await profileOf(0), 'windows-modern', 'unlinked: the other run keeps its OS');
    const s = await shown(page);
    assert.match(s.headline, /Not like for like: the runs differ in OS profile \(Windows 10\/11 \/ Windows \(legacy, 200 ms delayed ACK\)\)\.$/);
    assert.doesNotMatch(s.headline, /^On /);
    assert.match(await page.locator('#conditions-note').textContent() ?? '', /^Unlinked: the runs differ in OS profile .*not a like-for-like comparison/);
    assert.ok(await page.locator('#conditions-note.warning').isVisible());
    await screenshot(page, 'unlinked-light');
    // Linking again puts the fixed run back on the as-written run's conditions.
    await page.locator('#conditions-shared').click();
    await waitIdle(page);
    assert.equal(await profileOf(1), 'windows-modern');
    assert.doesNotMatch((await shown(page)).headline, /Not like for like/);
    await assertClean(p);
    await page.close();
  });

  it('names the figure that matters for the pattern and says when the fix costs another one', async () => {
    const p = await openPanel(browser);
    const { page } = p;
    for (const preset of PRESETS) {
      await pickPreset(page, preset.id);
      const h = (await shown(page)).headline;
      const [a, b] = presetPair(preset.id).map((s) => simulateHere(s));
      const stream = a!.messageUnit !== 'exchange';
      if (stream) {
        // Throughput first: Mbit/s for bulk, records/s for records.
        const rate = (r: typeof a) => (r!.messageUnit === 'write' ? `${formatRate(r!.goodputMbps)} Mbit/s` : `${formatRate(r!.messagesPerSecond)} records/s`);
        assert.ok(h.includes(`: ${rate(a)} as written, ${rate(b)} `), `${preset.id}: ${h}`);
        const faster = (r: typeof a) => (r!.messageUnit === 'write' ? r!.goodputMbps : r!.messagesPerSecond);
        const costsLatency = faster(b) > 1.1 * faster(a) && b!.latencyMs.p50 > 1.25 * a!.latencyMs.p50 && b!.latencyMs.p50 - a!.latencyMs.p50 > 0.1;
        const said = h.includes(`But the median latency per ${a!.messageUnit} rises from ${formatDuration(a!.latencyMs.p50)} to ${formatDuration(b!.latencyMs.p50)}.`);
        assert.equal(said, costsLatency, `${preset.id}: the fix ${costsLatency ? 'costs' : 'does not cost'} latency per message: ${h}`);
      } else {
        // Latency per request first.
        assert.ok(h.includes(`: the median request takes ${formatDuration(a!.latencyMs.p50)} as written and ${formatDuration(b!.latencyMs.p50)} `), `${preset.id}: ${h}`);
      }
      assert.ok(multipliers(h).every((m) => m <= MAX_STATED_RATIO), `${preset.id}: ${h}`);
    }
    // On macOS bigger buffers buy throughput and cost latency per write: the headline says both.
    await pickPreset(page, 'bulk-long-fat-link');
    await page.evaluate(() => {
      const sel = document.getElementById('conditions-profile') as HTMLElement & { value: string };
      sel.value = 'macos';
      sel.dispatchEvent(new Event('change'));
    });
    await waitIdle(page);
    const [ma, mb] = presetPair('bulk-long-fat-link').map((s) => simulateHere({ ...s, profile: 'macos' }));
    assert.ok(mb!.goodputMbps > 1.1 * ma!.goodputMbps && mb!.latencyMs.p50 > 1.25 * ma!.latencyMs.p50, 'the simulator still has this trade-off on macOS');
    assert.ok((await shown(page)).headline.endsWith(`But the median latency per write rises from ${formatDuration(ma!.latencyMs.p50)} to ${formatDuration(mb!.latencyMs.p50)}.`), (await shown(page)).headline);
    // KB case 1 gains far more than a model can back as a ratio: said as what the fix removes.
    await pickPreset(page, 'kb-case-1-records-sndbuf-zero');
    const h = (await shown(page)).headline;
    assert.match(h, /, because each record (no longer waits|waits [\d.]+ ms instead of) 200 ms for a delayed ACK\.$/);
    assert.deepEqual(multipliers(h), [], 'no 46,000×');
    await assertClean(p);
    await page.close();
  });

  it('follows the scenario shown in the editor tab\'s title', async () => {
    const p = await openPanel(browser);
    const { page } = p;
    const titles = async () => (await page.evaluate(() => (window as unknown as { __sent: { type: string; title?: string }[] }).__sent)).filter((m) => m.type === 'title').map((m) => m.title);
    assert.deepEqual(await titles(), ['Simulate: KB214397 case 1']);
    await pickPreset(page, 'bulk-long-fat-link');
    await pickPreset(page, 'write-write-read-linux');
    assert.deepEqual(await titles(), ['Simulate: KB214397 case 1', 'Simulate: Bulk transfer over a long fat link', 'Simulate: Write-write-read']);
    assert.equal(await page.title(), 'Simulate: Write-write-read');
    await page.evaluate((f) => window.postMessage({ type: 'load', input: f }, '*'), exampleFinding);
    await waitIdle(page);
    assert.equal((await titles()).at(-1), `Simulate: ${exampleFinding.title}`);
    const sent = await page.evaluate(() => (window as unknown as { __sent: unknown[] }).__sent);
    assert.ok(sent.every((m) => parsePanelMessage(m).ok), 'the extension accepts every message the panel sent');
    await assertClean(p);
    await page.close();
  });

  it('reports a malformed finding and malformed messages in the panel instead of throwing', async () => {
    const [a] = presetPair(PRESETS[0]!.id);
    const p = await openPanel(browser, { init: { type: 'init', input: { scenario: { title: 42, client: 'fast', workload: { pattern: 'sometimes', writes: 'many' }, link: { lossRate: 2 } }, fixedScenario: a } } });
    const { page } = p;
    let s = await shown(page);
    assert.match(s.notices, /finding's scenario has errors: .*workload\.pattern/);
    assert.deepEqual(s.status, ['invalid', 'done'], 'the broken run is marked, the other one still runs');
    assert.match(await page.locator('.run-errors').first().textContent() ?? '', /link\.lossRate/);
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

  it('draws every preset and a finding fairly and readably in all four themes at 900 and 1,600 px (screenshots)', async () => {
    const sources: { name: string; pick: (page: Page) => Promise<void> }[] = [
      ...PRESETS.map((pr) => ({ name: `preset-${pr.id}`, pick: (page: Page) => pickPreset(page, pr.id) })),
      {
        name: 'finding-sndbuf-zero',
        pick: async (page: Page) => {
          await page.evaluate((f) => window.postMessage({ type: 'load', input: { ...f, link: 'lan' } }, '*'), exampleFinding);
          await waitIdle(page);
        },
      },
    ];
    const faults: string[] = [];
    for (const theme of THEMES) {
      const p = await openPanel(browser, { theme, width: 1600 });
      const { page } = p;
      // Colour: the palette the page reads from this theme gives the eight causes eight colours.
      const palette = await page.evaluate(() => (window as unknown as { socklintPanel: { palette(): { causes: Record<string, string>; runs: string[] } } }).socklintPanel.palette());
      faults.push(...sharedColours(Object.entries(palette.causes).map(([label, colour]) => ({ label, colour }))).map((f) => `${theme}: ${f}`));
      faults.push(...sharedColours(palette.runs.map((colour, i) => ({ label: `run ${i}`, colour }))).map((f) => `${theme}: ${f}`));
      for (const src of sources) {
        await src.pick(page);
        assert.deepEqual((await shown(page)).status, ['done', 'done'], `${src.name} ${theme}`);
        for (const width of [1600, 900]) {
          await page.setViewportSize({ width, height: 1000 });
          // Charts and the ladder follow the new width (ResizeObserver, then a frame).
          await page.waitForTimeout(300);
          const where = `${src.name} ${theme} ${width}px`;
          faults.push(...chartFaults(await inspectCharts(page)).map((f) => `${where}: ${f}`));
          faults.push(...(await ladderFaults(page)).map((f) => `${where}: ${f}`));
          const widths = await page.evaluate(() => ({ svg: Number(document.querySelector('.ladder svg')?.getAttribute('width')), box: document.querySelector('.ladder-scroll')!.clientWidth }));
          if (widths.svg > widths.box) faults.push(`${where}: the ladder (${widths.svg} px) is wider than its box (${widths.box} px)`);
          await screenshot(page, `${src.name}-${theme}-${width}`);
        }
        await page.setViewportSize({ width: 1600, height: 1000 });
      }
      await assertClean(p);
      await page.close();
    }
    assert.deepEqual(faults, []);
  });

  it('shows "Where the time went" per message: never more than the run, the whole width', async () => {
    const p = await openPanel(browser, { width: 1600 });
    const { page } = p;
    for (const preset of PRESETS) {
      await pickPreset(page, preset.id);
      const [a, b] = presetPair(preset.id);
      const rows = await page.$$eval('figure[data-chart="causes"] tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
      const all = rows.find((r) => r[0] === 'All (mean latency)')!;
      [a, b].forEach((s, i) => {
        const r = simulateHere(s);
        const shownMean = Number(all[1 + 2 * i]);
        // Rounded to the table's precision; the mean latency, never a sum over messages.
        assert.ok(Math.abs(shownMean - r.latencyMs.mean) <= Math.max(0.0006, r.latencyMs.mean * 0.05), `${preset.id} run ${i}: ${shownMean} vs mean ${r.latencyMs.mean}`);
        assert.ok(shownMean <= r.totalTimeMs, `${preset.id} run ${i}: ${shownMean} ms per message in a ${r.totalTimeMs} ms run`);
      });
      const widths = await page.evaluate(() => ({
        chart: document.querySelector('figure[data-chart="causes"]')!.getBoundingClientRect().width,
        all: document.querySelector('.charts')!.getBoundingClientRect().width,
      }));
      assert.ok(widths.chart > 0.97 * widths.all, `${preset.id}: the chart takes ${widths.chart} of ${widths.all} px`);
    }
    await assertClean(p);
    await page.close();
  });

  it('lays the ladder out again when the panel is resized, and "Fit" shows the zoom it chose', async () => {
    const p = await openPanel(browser, { width: 1600 });
    const { page } = p;
    await pickPreset(page, 'kb-case-1-records-sndbuf-zero');
    const geometry = () => page.evaluate(() => {
      const svg = document.querySelector('.ladder svg')!;
      const server = [...svg.querySelectorAll('text.endpoint')].find((t) => t.textContent === 'server')!;
      return { width: Number(svg.getAttribute('width')), height: Number(svg.getAttribute('height')), box: document.querySelector('.ladder-scroll')!.clientWidth, server: server.getBoundingClientRect().right, right: document.querySelector('.ladder-scroll')!.getBoundingClientRect().right };
    });
    const wide = await geometry();
    await page.setViewportSize({ width: 900, height: 1000 });
    await page.waitForTimeout(300);
    const narrow = await geometry();
    assert.ok(narrow.width < wide.width - 200, `re-laid out: ${wide.width} → ${narrow.width} px`);
    assert.ok(narrow.width <= narrow.box && narrow.server <= narrow.right, 'the server lane stays in view');
    assert.deepEqual(await ladderFaults(page), []);
    // Fit: the largest zoom at which the diagram fits its box, and the readout says which.
    await page.locator('.ladder-toolbar vscode-button', { hasText: 'Fit' }).click();
    const zoom = await page.evaluate(() => (window as unknown as { socklintPanel: { ladderZoom(): number } }).socklintPanel.ladderZoom());
    const label = await page.locator('.zoom-label').textContent();
    const pct = zoom * 100;
    assert.equal(label, `${pct >= 10 ? Math.round(pct) : Number(pct.toFixed(1))}% (fit)`);
    assert.notEqual(label, '100% (fit)');
    const fitted = await geometry();
    const boxHeight = await page.$eval('.ladder-scroll', (e) => parseFloat(getComputedStyle(e).maxHeight));
    assert.ok(fitted.height <= boxHeight || zoom <= MIN_ZOOM + 1e-9, `fits: ${fitted.height} px in ${boxHeight} px at ${label}`);
    assert.deepEqual(await ladderFaults(page), [], 'no overlap after Fit either');
    await assertClean(p);
    await page.close();
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
    // As a finding, it runs on the link setting's preset (LAN when none is given).
    assert.equal((await shown(page)).mps[0], formatRate(simulateHere(findingRuns(big, big, undefined)[0]).messagesPerSecond));
    await assertClean(p);
    await page.close();
  });
});
