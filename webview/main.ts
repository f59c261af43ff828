// The simulator panel: two scenarios side by side (as written / with the fix), a form for each,
// simulations in a Web Worker, a headline, four charts, a ladder diagram, and exports.
// Runs inside a VS Code webview (acquireVsCodeApi) and in the Chromium tests with a stub of it.
//
// Fair comparisons: both runs share the OS profile, the link and the application's cost per call
// (the "conditions" bar above the forms sets them for both). The user can unlink them on purpose;
// the bar and the headline then say that the comparison is not like for like.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { describeLink, formatBandwidth, formatRtt, isLinkPresetName, LINK_PRESET_NAMES, LINK_PRESETS, linkPresetFor, presetOfLink, withLinkPreset } from '../src/common/link';
import { DEFAULT_PROFILE, PROFILE_HEADLINES, PROFILE_NAMES, type ProfileName, type Scenario } from '../src/common/scenario';
import { PRESETS, validateScenario, type NormalizedScenario } from '../src/sim';
import { Charts, type ChartRun } from './charts';
import { ScenarioForm, type FormProblem } from './controls';
import { conditionDifferences, formatCount, formatDuration, formatRate, headline, runTitle, unitName, type Conditions, type RunSummary } from './format';
import { Ladder } from './ladder';
import { RUN_STYLES } from './patterns';
import { parseHostMessage, type PanelInput, type PanelMessage } from './protocol';
import { readResult, resultsCsv, type RunView } from './results';
import { RunSlot } from './runner';
import { findingRuns } from '../src/common/comparison';
import { comparisonFor, isFormShaped, parseState, RUN_FALLBACK_TITLES, sameConditions, slug, withConditionsOf, type PanelState, type RunIndex } from './state';
import { readPalette, watchTheme, type Palette } from './theme';
import { deriveSpans } from './trace';

interface VsCodeApi {
  postMessage(m: PanelMessage): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Outside VS Code (a plain browser) the panel still works, it just cannot save or export. */
const vscode: VsCodeApi = typeof acquireVsCodeApi === 'function'
  ? acquireVsCodeApi()
  : { postMessage: () => {}, getState: () => undefined, setState: () => {} };

type RunStatus =
  | { kind: 'idle' }
  | { kind: 'invalid'; errors: FormProblem[] }
  | { kind: 'running'; fraction: number }
  | { kind: 'done'; view: RunView; elapsedMs: number; scenario: NormalizedScenario }
  | { kind: 'failed'; message: string };

const RERUN_DELAY_MS = 250;
const RUNS: RunIndex[] = [0, 1];
/** The markers the line charts use for each run, repeated on its card. */
const RUN_MARKS = ['●', '▲'];
const CUSTOM_LINK = 'custom';
const DIFFERS = 'differs';

function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function defaultState(): PanelState {
  const p = PRESETS[0]!;
  return { v: 1, source: { kind: 'preset', id: p.id }, runs: presetRuns(p.id)!, tab: 0, ladderRun: 0, ladderZoom: 1, shared: true };
}

function presetRuns(id: string): [Scenario, Scenario] | undefined {
  const p = PRESETS.find((x) => x.id === id) as { scenario: Scenario; fixedScenario?: Scenario } | undefined;
  if (!p) return undefined;
  return [structuredClone(p.scenario), structuredClone(p.fixedScenario ?? comparisonFor(p.scenario))];
}

/** "KB214397 case 1" from "KB214397 case 1: 10,000 small records, …": what an editor tab has room for. */
function shortTitle(title: string): string {
  return title.split(':')[0]!.trim();
}

function conditionsOf(n: NormalizedScenario): Conditions {
  return {
    profile: n.profile,
    link: { rttMs: n.link.rttMs, bandwidthMbps: n.link.bandwidthMbps, mss: n.link.mss, lossRate: n.link.lossRate },
    callCostUs: { client: n.client.callCostUs, server: n.server.callCostUs },
  };
}

class Panel {
  private state: PanelState;
  private readonly status: [RunStatus, RunStatus] = [{ kind: 'idle' }, { kind: 'idle' }];
  private readonly slots: [RunSlot, RunSlot];
  private readonly timers: [ReturnType<typeof setTimeout> | undefined, ReturnType<typeof setTimeout> | undefined] = [undefined, undefined];
  private readonly forms: [ScenarioForm, ScenarioForm];
  private readonly charts: Charts;
  private readonly ladder = new Ladder();
  private palette: Palette;
  /** Bumped whenever a run's scenario changes, so a late answer for an older one is dropped. */
  private readonly generation: [number, number] = [0, 0];
  /** Problems with what arrived (state, finding, messages), shown above everything else. */
  private notices: string[] = [];
  private lastTitle = '';

  private readonly el = {
    source: h('vscode-single-select', { id: 'source' }),
    link: h('vscode-single-select', { id: 'conditions-link' }),
    profile: h('vscode-single-select', { id: 'conditions-profile' }),
    callCost: h('vscode-textfield', { id: 'conditions-call-cost' }),
    shared: h('vscode-checkbox', { id: 'conditions-shared' }),
    conditionsNote: h('p', { id: 'conditions-note', className: 'conditions-note' }),
    headline: h('p', { id: 'headline', className: 'headline' }),
    notices: h('div', { id: 'notices', className: 'notices' }),
    progress: h('div', { id: 'progress', className: 'progress' }),
    summaries: h('div', { id: 'summaries', className: 'summaries' }),
    tabs: h('vscode-tabs', { id: 'scenario-tabs' }),
    runErrors: [h('ul', { className: 'run-errors' }), h('ul', { className: 'run-errors' })] as [HTMLUListElement, HTMLUListElement],
    ladderRun: h('vscode-single-select', { id: 'ladder-run' }),
    exportStatus: h('p', { id: 'export-status', className: 'export-status' }),
  };

  constructor(private readonly workerUrl: string) {
    this.slots = [new RunSlot(workerUrl), new RunSlot(workerUrl)];
    const saved = parseState(vscode.getState());
    if (saved && !saved.ok) this.notices.push(`Started afresh: ${saved.error}.`);
    this.state = saved?.ok ? saved.state : defaultState();
    this.forms = [
      new ScenarioForm('run0', this.state.runs[0], (s, p) => this.edited(0, s, p)),
      new ScenarioForm('run1', this.state.runs[1], (s, p) => this.edited(1, s, p)),
    ];
    this.palette = readPalette();
    this.charts = new Charts(this.palette);
    this.ladder.onZoom = (z) => { this.state.ladderZoom = z; this.save(); };
    this.layout();
    watchTheme(() => {
      this.palette = readPalette();
      this.charts.recolor(this.palette);
      this.el.summaries.replaceChildren(...RUNS.map((i) => this.summaryCard(i)));
    });
    window.addEventListener('message', (e: MessageEvent) => this.receive(e.data));
    // For the tests, which check what the charts drew; read-only.
    (window as unknown as { socklintPanel: unknown }).socklintPanel = {
      charts: () => this.charts.inspect(),
      palette: () => this.palette,
      ladderZoom: () => this.ladder.currentZoom,
    };
    this.rerunAll();
    vscode.postMessage({ type: 'ready' });
    document.title = this.sourceTitle();
  }

  private layout(): void {
    const app = document.getElementById('app')!;
    app.removeAttribute('aria-busy');
    this.el.headline.setAttribute('aria-live', 'polite');
    this.el.notices.setAttribute('role', 'alert');
    this.el.exportStatus.setAttribute('aria-live', 'polite');
    this.el.source.setAttribute('aria-label', 'Scenario source');
    this.el.source.addEventListener('change', () => this.pickSource(this.el.source.value));
    this.fillSourceOptions();

    this.el.link.setAttribute('aria-label', 'Link both runs are simulated on');
    this.el.link.addEventListener('change', () => this.pickLink(this.el.link.value));
    this.el.profile.setAttribute('aria-label', 'OS profile both runs are simulated on');
    this.el.profile.replaceChildren(...PROFILE_NAMES.map((p) => h('vscode-option', { value: p }, PROFILE_HEADLINES[p].label)));
    this.el.profile.addEventListener('change', () => this.pickProfile(this.el.profile.value));
    this.el.callCost.setAttribute('aria-label', 'Application cost per send/recv call in microseconds, both sides of both runs');
    this.el.callCost.addEventListener('change', () => this.pickCallCost(this.el.callCost.value));
    this.el.shared.label = 'Same OS, link and call cost for both runs';
    this.el.shared.addEventListener('change', () => this.setShared(this.el.shared.checked));
    this.el.conditionsNote.setAttribute('role', 'status');

    const tabsEl = this.el.tabs;
    RUNS.forEach((i) => {
      const header = h('vscode-tab-header', { slot: 'header', id: `tab-run${i}` });
      const panel = h('vscode-tab-panel', {}, this.el.runErrors[i], this.forms[i].element);
      tabsEl.append(header, panel);
    });
    tabsEl.selectedIndex = this.state.tab;
    tabsEl.addEventListener('vsc-tabs-select', (e: Event) => {
      const idx = (e as CustomEvent<{ selectedIndex: number }>).detail?.selectedIndex;
      this.state.tab = idx === 1 ? 1 : 0;
      this.save();
    });

    this.el.ladderRun.setAttribute('aria-label', 'Run shown in the ladder diagram');
    this.el.ladderRun.addEventListener('change', () => {
      this.state.ladderRun = this.el.ladderRun.value === '1' ? 1 : 0;
      this.save();
      this.renderLadder();
    });

    const exportBar = h('div', { className: 'export-bar', role: 'toolbar' } as Partial<HTMLDivElement>);
    exportBar.setAttribute('aria-label', 'Export');
    const btn = (id: string, label: string, f: () => void) => {
      const b = h('vscode-button', { id }, label);
      b.setAttribute('secondary', '');
      b.addEventListener('click', f);
      exportBar.append(b);
    };
    btn('export-json', 'Scenario (JSON)', () => this.exportJson());
    btn('export-csv', 'Results (CSV)', () => this.exportCsv());
    btn('export-png', 'Charts (PNG)', () => this.exportPng());

    const field = (id: string, label: string, control: HTMLElement) => h('div', { className: 'condition' }, h('vscode-label', { htmlFor: id }, label), control);
    app.replaceChildren(
      h('header', { className: 'top' },
        h('h1', {}, 'Socklint simulator'),
        h('div', { className: 'source-pick' }, h('vscode-label', { htmlFor: 'source' }, 'Scenario'), this.el.source),
      ),
      this.el.notices,
      h('section', { className: 'conditions', ariaLabel: 'Conditions of both runs' } as Partial<HTMLElement>,
        field('conditions-link', 'Link', this.el.link),
        field('conditions-profile', 'OS profile', this.el.profile),
        field('conditions-call-cost', 'µs per send/recv call', this.el.callCost),
        h('div', { className: 'condition condition-shared' }, this.el.shared),
        this.el.conditionsNote,
      ),
      this.el.headline,
      this.el.progress,
      h('div', { className: 'columns' },
        h('section', { className: 'controls', ariaLabel: 'Scenario' } as Partial<HTMLElement>, this.el.tabs),
        h('section', { className: 'results', ariaLabel: 'Results' } as Partial<HTMLElement>,
          this.el.summaries,
          this.charts.element,
          h('div', { className: 'ladder-head' },
            h('h2', {}, 'Ladder diagram: the first packets'),
            h('vscode-label', { htmlFor: 'ladder-run' }, 'Run'), this.el.ladderRun),
          this.ladder.element,
          h('h2', {}, 'Export'),
          exportBar,
          this.el.exportStatus,
        ),
      ),
    );
    this.renderTitles();
    this.renderConditions();
    this.renderNotices();
  }

  private fillSourceOptions(): void {
    const opts: { value: string; label: string }[] = [];
    if (this.state.source.kind === 'finding') opts.push({ value: 'finding', label: `Finding: ${this.state.source.title ?? 'from the code'}` });
    for (const p of PRESETS) opts.push({ value: `preset:${p.id}`, label: p.title });
    const sel = this.el.source;
    const value = this.state.source.kind === 'finding' ? 'finding' : `preset:${this.state.source.id}`;
    setOptions(sel, opts, value);
  }

  /** The title of what is shown, for the editor tab ("Simulate: KB214397 case 1"). */
  private sourceTitle(): string {
    const src = this.state.source;
    if (src.kind === 'finding') return `Simulate: ${src.title ?? 'finding'}`;
    const p = PRESETS.find((x) => x.id === src.id);
    return p ? `Simulate: ${shortTitle(p.title)}` : 'Socklint simulator';
  }

  private postTitle(): void {
    const title = this.sourceTitle();
    document.title = title;
    if (title === this.lastTitle) return;
    this.lastTitle = title;
    vscode.postMessage({ type: 'title', title });
  }

  private pickSource(value: string): void {
    if (!value.startsWith('preset:')) return;
    const runs = presetRuns(value.slice('preset:'.length));
    if (!runs) return;
    this.state.source = { kind: 'preset', id: value.slice('preset:'.length) };
    this.state.shared = true;
    this.setRuns(runs);
  }

  private setRuns(runs: [Scenario, Scenario]): void {
    this.state.runs = runs;
    RUNS.forEach((i) => this.forms[i].setScenario(runs[i]));
    this.fillSourceOptions();
    this.renderTitles();
    this.renderConditions();
    this.postTitle();
    this.save();
    this.rerunAll();
  }

  // ---- conditions shared by both runs ---------------------------------------------------------

  private pickLink(value: string): void {
    if (!isLinkPresetName(value)) return;
    const preset = LINK_PRESETS[value];
    this.setRunsKeepingSource([withLinkPreset(this.state.runs[0], preset), withLinkPreset(this.state.runs[1], preset)]);
  }

  private pickProfile(value: string): void {
    if (!(PROFILE_NAMES as readonly string[]).includes(value)) return;
    const profile = value as ProfileName;
    this.setRunsKeepingSource([{ ...this.state.runs[0], profile }, { ...this.state.runs[1], profile }]);
  }

  /** Empty = the profile's measured default; else the same cost on both sides of both runs. */
  private pickCallCost(text: string): void {
    const t = text.trim();
    const us = t === '' ? undefined : Number(t);
    if (us !== undefined && !(Number.isFinite(us) && us >= 0 && us <= 1000)) {
      this.el.callCost.invalid = true;
      return;
    }
    this.el.callCost.invalid = false;
    const apply = (s: Scenario): Scenario => {
      const out = structuredClone(s);
      for (const k of ['client', 'server'] as const) {
        const side = { ...(out[k] ?? {}) };
        if (us === undefined) delete side.callCostUs;
        else side.callCostUs = us;
        out[k] = side;
      }
      return out;
    };
    this.setRunsKeepingSource([apply(this.state.runs[0]), apply(this.state.runs[1])]);
  }

  private setShared(shared: boolean): void {
    if (shared === this.state.shared) return;
    this.state.shared = shared;
    if (shared && !sameConditions(this.state.runs[0], this.state.runs[1])) {
      // Linking again: the fixed run takes the as-written run's conditions.
      this.setRunsKeepingSource([this.state.runs[0], withConditionsOf(this.state.runs[0], this.state.runs[1])]);
      return;
    }
    this.save();
    this.renderConditions();
    this.render();
  }

  private setRunsKeepingSource(runs: [Scenario, Scenario]): void {
    this.state.runs = runs;
    RUNS.forEach((i) => this.forms[i].setScenario(runs[i]));
    this.renderTitles();
    this.renderConditions();
    this.save();
    RUNS.forEach((i) => {
      clearTimeout(this.timers[i]);
      void this.run(i);
    });
  }

  /** The bar above the forms: the link and OS both runs use, whether they are linked, and what differs. */
  private renderConditions(): void {
    const [a, b] = this.state.runs;
    const linkValue = (s: Scenario) => presetOfLink(s.link) ?? CUSTOM_LINK;
    const la = linkValue(a);
    const same = sameConditions(a, b);
    const linkShown = !same && (linkValue(b) !== la || JSON.stringify(a.link ?? {}) !== JSON.stringify(b.link ?? {})) ? DIFFERS : la;
    const n = validateScenario(a);
    const custom = n.ok ? `Custom: ${formatRtt(n.scenario.link.rttMs)} RTT, ${formatBandwidth(n.scenario.link.bandwidthMbps)}` : 'Custom (see the form)';
    const opts: { value: string; label: string }[] = LINK_PRESET_NAMES.map((name) => ({ value: name, label: `${LINK_PRESETS[name].label}: ${formatRtt(LINK_PRESETS[name].rttMs)} RTT, ${formatBandwidth(LINK_PRESETS[name].bandwidthMbps)}` }));
    if (linkShown === CUSTOM_LINK) opts.push({ value: CUSTOM_LINK, label: custom });
    if (linkShown === DIFFERS) opts.push({ value: DIFFERS, label: 'Differs between the runs' });
    setOptions(this.el.link, opts, linkShown);

    const pa = a.profile ?? DEFAULT_PROFILE;
    const pb = b.profile ?? DEFAULT_PROFILE;
    const profileOpts: { value: string; label: string }[] = PROFILE_NAMES.map((p) => ({ value: p, label: PROFILE_HEADLINES[p].label }));
    if (pa !== pb) profileOpts.push({ value: DIFFERS, label: 'Differs between the runs' });
    setOptions(this.el.profile, profileOpts, pa === pb ? pa : DIFFERS);

    const costs = [a.client?.callCostUs, a.server?.callCostUs, b.client?.callCostUs, b.server?.callCostUs];
    const allSame = costs.every((c) => c === costs[0]);
    if (document.activeElement !== this.el.callCost) this.el.callCost.value = allSame && costs[0] !== undefined ? String(costs[0]) : '';
    const defaults = n.ok ? `default ${n.scenario.client.callCostUs}` : 'default';
    this.el.callCost.placeholder = allSame ? defaults : 'differs per side or run';

    this.el.shared.checked = this.state.shared;
    const note = this.el.conditionsNote;
    if (this.state.shared) {
      note.textContent = 'Both runs use these; a change to the OS, link or call cost of one run applies to both.';
      note.classList.remove('warning');
    } else if (same) {
      note.textContent = 'Unlinked: each run keeps its own OS, link and call cost (now the same).';
      note.classList.remove('warning');
    } else {
      const na = validateScenario(a);
      const nb = validateScenario(b);
      const differ = na.ok && nb.ok ? conditionDifferences(conditionsOf(na.scenario), conditionsOf(nb.scenario)) : [];
      note.textContent = `Unlinked: the runs differ${differ.length ? ` in ${differ.join(' and ')}` : ''}, so this is not a like-for-like comparison.`;
      note.classList.add('warning');
    }
    document.body.dataset.shared = String(this.state.shared);
  }

  // ---- messages from the extension ------------------------------------------------------------

  /** A message from the extension. Anything malformed is shown, never thrown. */
  private receive(data: unknown): void {
    const m = parseHostMessage(data);
    if (!m.ok) {
      this.notice(`Ignored a message from the extension: ${m.error}.`);
      return;
    }
    const msg = m.value;
    if (msg.type === 'exported') {
      this.el.exportStatus.textContent = msg.message;
      this.el.exportStatus.classList.toggle('error', !msg.ok);
    } else if (msg.type === 'link') {
      // The setting changed: a finding follows it (a preset keeps the link its case study had).
      if (this.state.source.kind !== 'finding') return;
      if (!isLinkPresetName(msg.link)) {
        this.notice(`Ignored the link setting "${msg.link}": it is none of ${LINK_PRESET_NAMES.join(', ')}.`);
        return;
      }
      this.pickLink(msg.link);
    } else if (msg.input) {
      this.load(msg.input);
    } else {
      this.postTitle();
    }
  }

  /** A finding's scenarios. An unusable one is reported and replaced so the other still runs. */
  private load(input: PanelInput): void {
    this.notices = [];
    const given: [unknown, unknown] = [input.scenario, input.fixedScenario];
    const runs: Scenario[] = [];
    RUNS.forEach((i) => {
      const s = given[i];
      const what = i === 0 ? "The finding's scenario" : "The finding's fixed scenario";
      if (s === undefined) return;
      if (!isFormShaped(s)) {
        this.notices.push(`${what} is not a scenario (it needs a "workload" object); ${i === 0 ? 'showing a preset instead' : 'comparing with the usual fix instead'}.`);
        return;
      }
      const v = validateScenario(s);
      if (!v.ok) this.notices.push(`${what} has errors: ${v.errors.slice(0, 4).map((e) => `${e.path || 'scenario'} ${e.message}`).join('; ')}.`);
      runs[i] = s;
    });
    if (input.link !== undefined && !isLinkPresetName(input.link)) {
      this.notices.push(`The link setting ${JSON.stringify(input.link).slice(0, 60)} is none of ${LINK_PRESET_NAMES.join(', ')}; using ${LINK_PRESETS.lan.label}.`);
    }
    let a = runs[0] ?? presetRuns(PRESETS[0]!.id)![0];
    let b = runs[1] ?? comparisonFor(a);
    this.state.shared = true;
    if (runs[0]) {
      // A finding knows the code, not the network: both runs go on the link the setting names,
      // and the fixed run on the as-written run's OS and call costs (as the CodeLens runs them).
      [a, b] = findingRuns(runs[0], runs[1], input.link);
      if (!validateScenario(a).ok) {
        // Sharing a broken OS or link would break the fixed run too: keep its own until fixed.
        b = withLinkPreset(runs[1] ?? comparisonFor(runs[0]), linkPresetFor(input.link));
        this.state.shared = false;
      }
      this.state.source = { kind: 'finding', title: input.title };
    }
    this.renderNotices();
    this.setRuns([structuredClone(a), structuredClone(b)]);
  }

  private notice(text: string): void {
    this.notices.push(text);
    this.renderNotices();
    vscode.postMessage({ type: 'problem', message: text });
  }

  private renderNotices(): void {
    this.el.notices.replaceChildren(...this.notices.map((n) => h('p', {}, n)));
    this.el.notices.hidden = this.notices.length === 0;
  }

  // ---- runs -------------------------------------------------------------------------------------

  private edited(i: RunIndex, s: Scenario, problems: FormProblem[]): void {
    this.state.runs[i] = s;
    const o: RunIndex = i === 0 ? 1 : 0;
    // Linked runs: an edit of the OS, link or call cost goes to both.
    if (this.state.shared && problems.length === 0 && !sameConditions(s, this.state.runs[o])) {
      this.state.runs[o] = withConditionsOf(s, this.state.runs[o]);
      this.forms[o].setScenario(this.state.runs[o]);
      clearTimeout(this.timers[o]);
      this.timers[o] = setTimeout(() => void this.run(o), RERUN_DELAY_MS);
    }
    this.save();
    this.renderTitles();
    this.renderConditions();
    if (problems.length) {
      clearTimeout(this.timers[i]);
      this.generation[i]++;
      this.setStatus(i, { kind: 'invalid', errors: problems });
      return;
    }
    clearTimeout(this.timers[i]);
    this.timers[i] = setTimeout(() => void this.run(i), RERUN_DELAY_MS);
  }

  private rerunAll(): void {
    for (const i of RUNS) void this.run(i);
  }

  private async run(i: RunIndex): Promise<void> {
    const gen = ++this.generation[i];
    const scenario = this.state.runs[i];
    const v = validateScenario(scenario);
    if (!v.ok) {
      this.forms[i].markErrors(v.errors);
      this.setStatus(i, { kind: 'invalid', errors: v.errors });
      return;
    }
    this.forms[i].markErrors([]);
    this.forms[i].showDefaults(v.scenario);
    this.setStatus(i, { kind: 'running', fraction: 0 });
    const out = await this.slots[i].run(scenario, (fraction) => {
      if (gen === this.generation[i]) this.setStatus(i, { kind: 'running', fraction });
    });
    if (gen !== this.generation[i]) return;
    if (!out.ok) {
      if (out.superseded) return;
      this.setStatus(i, { kind: 'failed', message: out.bound ? `The simulation stopped at a limit: ${out.message}` : `The simulation failed: ${out.message}` });
      return;
    }
    const r = readResult(out.result);
    this.setStatus(i, r.ok ? { kind: 'done', view: r.view, elapsedMs: out.elapsedMs, scenario: v.scenario } : { kind: 'failed', message: r.error });
  }

  private setStatus(i: RunIndex, s: RunStatus): void {
    const wasRunning = this.status[i].kind === 'running';
    this.status[i] = s;
    if (s.kind === 'running' && wasRunning) {
      this.renderProgress();
      return;
    }
    this.render();
  }

  private title(i: RunIndex): string {
    return runTitle(this.state.runs[i], RUN_FALLBACK_TITLES[i]);
  }

  private renderTitles(): void {
    RUNS.forEach((i) => {
      // Tabs and chart axes use the short names; the cards and the headline the full titles.
      const header = this.el.tabs.querySelector(`#tab-run${i}`);
      if (header) header.textContent = RUN_FALLBACK_TITLES[i];
    });
    this.el.ladderRun.replaceChildren(...RUNS.map((i) => h('vscode-option', { value: String(i) }, this.title(i))));
    this.el.ladderRun.value = String(this.state.ladderRun);
  }

  private summary(i: RunIndex): RunSummary | undefined {
    const st = this.status[i];
    if (st.kind !== 'done') return undefined;
    const v = st.view;
    return {
      title: this.title(i), pattern: st.scenario.workload.pattern, count: v.messages, messagesPerSecond: v.messagesPerSecond,
      totalTimeMs: v.totalTimeMs, causes: v.causes, latencyMs: v.latencyMs, goodputMbps: v.goodputMbps, bytes: v.bytes,
      conditions: conditionsOf(st.scenario),
    };
  }

  private render(): void {
    document.body.dataset.simThread = this.slots.some((s) => s.inWorker) ? 'worker' : this.slots.some((s) => s.inWorker === false) ? 'page' : 'unknown';
    const busy = this.status.some((s) => s.kind === 'running');
    document.body.dataset.busy = String(busy);
    this.renderProgress();
    RUNS.forEach((i) => this.renderRunErrors(i));

    const done = RUNS.filter((i) => this.status[i]!.kind === 'done');
    // The headline only when nothing is still running, so it never mixes old and new numbers.
    if (!busy) {
      const text = headline(this.summary(0), this.summary(1));
      this.el.headline.textContent = text || (this.status.some((s) => s.kind === 'invalid' || s.kind === 'failed') ? 'Fix the scenario to see results.' : '');
    }
    this.el.summaries.replaceChildren(...RUNS.map((i) => this.summaryCard(i)));
    const chartRuns: ChartRun[] = done.map((i) => {
      const st = this.status[i] as Extract<RunStatus, { kind: 'done' }>;
      return { title: RUN_FALLBACK_TITLES[i], pattern: st.scenario.workload.pattern, view: st.view, index: i };
    });
    if (!busy && chartRuns.length) this.charts.update(chartRuns);
    if (!busy) this.renderLadder();
  }

  private renderProgress(): void {
    const running = RUNS.filter((i) => this.status[i].kind === 'running');
    if (running.length === 0) {
      this.el.progress.replaceChildren();
      return;
    }
    const fraction = running.reduce<number>((s, i) => s + (this.status[i] as { fraction: number }).fraction, 0) / running.length;
    let bar = this.el.progress.querySelector('vscode-progress-bar');
    if (!bar) {
      bar = h('vscode-progress-bar', { max: 1 });
      bar.ariaLabel = 'Simulating';
      this.el.progress.replaceChildren(bar, h('span', { className: 'progress-text' }));
    }
    bar.value = fraction;
    this.el.progress.querySelector('.progress-text')!.textContent = `Simulating ${running.map((i) => this.title(i)).join(' and ')}… ${Math.round(fraction * 100)}%`;
  }

  private renderRunErrors(i: RunIndex): void {
    const st = this.status[i];
    const list = this.el.runErrors[i];
    const items = st.kind === 'invalid' ? st.errors.map((e) => `${e.path || 'scenario'}: ${e.message}`) : st.kind === 'failed' ? [st.message] : [];
    list.replaceChildren(...items.map((t) => h('li', {}, t)));
    list.hidden = items.length === 0;
    list.setAttribute('role', items.length ? 'alert' : 'presentation');
  }

  private summaryCard(i: RunIndex): HTMLElement {
    const st = this.status[i];
    const card = h('article', { className: `summary run${i}` });
    card.dataset.run = String(i);
    card.dataset.status = st.kind;
    card.style.borderTopColor = this.palette.runs[i];
    const pattern = this.state.runs[i].workload?.pattern ?? 'records';
    const mark = h('span', { className: 'run-mark', title: RUN_STYLES[i].name }, RUN_MARKS[i]!);
    mark.style.color = this.palette.runs[i];
    card.append(h('div', { className: 'run-label' }, mark, ` ${RUN_FALLBACK_TITLES[i]}`), h('h2', {}, this.title(i)));
    if (st.kind === 'done') {
      const v = st.view;
      card.dataset.mps = String(v.messagesPerSecond);
      card.dataset.elapsedMs = String(Math.round(st.elapsedMs));
      const dl = h('dl');
      const row = (k: string, val: string, cls = '') => dl.append(h('dt', {}, k), h('dd', { className: cls }, val));
      row(`${unitName(pattern)}/s`, formatRate(v.messagesPerSecond), 'mps');
      if (pattern === 'bulk' && v.goodputMbps !== undefined) row('Goodput', `${formatRate(v.goodputMbps)} Mbit/s`, 'goodput');
      row('Total time', `${formatDuration(v.totalTimeMs)} for ${formatCount(v.messages)} ${unitName(pattern, v.messages !== 1)}`, 'total');
      row('Latency p50 / p99 / max', `${formatDuration(v.latencyMs.p50)} / ${formatDuration(v.latencyMs.p99)} / ${formatDuration(v.latencyMs.max)}`, 'latency');
      const c = conditionsOf(st.scenario);
      row('Simulated on', `${describeLink(c.link)}, ${PROFILE_HEADLINES[c.profile].label}`, 'run-conditions');
      for (const x of v.counters.slice(0, 6)) row(x.label, formatCount(x.value));
      card.append(dl);
      if (v.notes.length) {
        const notes = h('details', {}, h('summary', {}, 'Assumptions'), h('ul', {}, ...v.notes.map((n) => h('li', {}, n))));
        card.append(notes);
      }
    } else if (st.kind === 'running') {
      card.append(h('p', {}, 'Simulating…'));
    } else if (st.kind === 'invalid') {
      card.append(h('p', { className: 'error' }, 'The scenario has errors (see the form).'));
    } else if (st.kind === 'failed') {
      card.append(h('p', { className: 'error' }, st.message));
    }
    return card;
  }

  private renderLadder(): void {
    const i = this.state.ladderRun;
    const st = this.status[i];
    if (st.kind !== 'done') {
      this.ladder.show([], [], 0, this.state.ladderZoom);
      return;
    }
    const n = st.scenario;
    const ctx = { nodelay: { client: n.client.nodelay, server: n.server.nodelay }, mss: n.link.mss };
    this.ladder.show(st.view.packets, deriveSpans(st.view.packets, ctx), n.link.rttMs / 2, this.state.ladderZoom);
  }

  private save(): void {
    vscode.setState(this.state);
  }

  private exportJson(): void {
    const i = this.state.tab;
    const s = this.state.runs[i];
    vscode.postMessage({ type: 'export', format: 'json', fileName: `${slug(this.title(i))}.json`, data: `${JSON.stringify(s, null, 2)}\n` });
    this.el.exportStatus.textContent = 'Exporting the scenario…';
  }

  private exportCsv(): void {
    const runs = RUNS.flatMap((i) => {
      const st = this.status[i];
      return st.kind === 'done' ? [{ title: this.title(i), view: st.view }] : [];
    });
    if (runs.length === 0) {
      this.el.exportStatus.textContent = 'Nothing to export yet: no run has finished.';
      return;
    }
    vscode.postMessage({ type: 'export', format: 'csv', fileName: 'socklint-simulation.csv', data: resultsCsv(runs) });
    this.el.exportStatus.textContent = 'Exporting the results…';
  }

  private exportPng(): void {
    if (!RUNS.some((i) => this.status[i].kind === 'done')) {
      this.el.exportStatus.textContent = 'Nothing to export yet: no run has finished.';
      return;
    }
    vscode.postMessage({ type: 'export', format: 'png', fileName: 'socklint-charts.png', data: this.charts.toPngBase64() });
    this.el.exportStatus.textContent = 'Exporting the charts…';
  }
}

/** Replaces a select's options when they changed, then selects `value`. */
function setOptions(sel: HTMLElement & { value: string; dataset: DOMStringMap }, opts: { value: string; label: string }[], value: string): void {
  const key = opts.map((o) => `${o.value}=${o.label}`).join('\n');
  if (sel.dataset.options !== key) {
    sel.dataset.options = key;
    sel.replaceChildren(...opts.map((o) => h('vscode-option', { value: o.value }, o.label)));
    // The select learns its new options on its next update; choose once it has them.
    requestAnimationFrame(() => { sel.value = value; });
  }
  sel.value = value;
}

function start(): void {
  const workerUrl = document.querySelector<HTMLMetaElement>('meta[name="socklint-sim-worker"]')?.content ?? '';
  try {
    new Panel(workerUrl);
  } catch (e) {
    // Last resort: say what broke instead of leaving a blank panel.
    const app = document.getElementById('app');
    if (app) app.textContent = `The simulator panel could not start: ${e instanceof Error ? e.message : String(e)}`;
    vscode.postMessage({ type: 'problem', message: `panel start-up failed: ${String(e)}` });
  }
}

start();
