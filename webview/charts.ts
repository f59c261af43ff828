// The four charts (chart.js) and the data tables that stand in for them for screen readers.
// Colours come from the theme palette and are re-applied by `recolor` when the theme changes;
// every series also has its own pattern (bars) or dash and marker (lines), so no chart depends on
// colour alone. Log axes span both runs with room around them, and carry only the tick labels
// that fit side by side.
import {
  BarController, BarElement, CategoryScale, Chart, Decimation, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, Tooltip, type ChartConfiguration, type Scale,
} from 'chart.js';
import { CAUSE_KEYS, CAUSE_LABELS, causesPerMessage, formatCount, formatDuration, formatRate, unitName, type CauseKey } from './format';
import { CAUSE_PATTERNS, fillFor, RUN_STYLES, type PatternName } from './patterns';
import { cdfPoints, type RunView } from './results';
import type { Palette } from './theme';
import { compactNumber, logBounds, logTicks } from './ticks';
import type { Pattern } from '../src/common/scenario';

Chart.register(BarController, BarElement, CategoryScale, Decimation, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip);

/** `index` picks the run's colour and style: 0 = as written, 1 = with the fix. */
export interface ChartRun { title: string; pattern: Pattern; view: RunView; index: 0 | 1 }

export const CHART_IDS = ['latency', 'cdf', 'rate', 'causes'] as const;
export type ChartId = (typeof CHART_IDS)[number];

const CAPTIONS: Record<ChartId, string> = {
  latency: 'Latency per message',
  cdf: 'Latency distribution (CDF)',
  rate: 'Throughput compared',
  causes: 'Where the time went, per message',
};

/** How many rows of per-message latencies the table shows; the CSV export has them all. */
const TABLE_ROWS = 50;
const TICK_FONT_SIZE = 12;
/** Markers on a line chart: about this many per run, so the shape tells the runs apart. */
const MARKERS_PER_LINE = 12;

/** Latencies are drawn on a log axis; a zero would vanish from it. */
const floorMs = (v: number) => Math.max(v, 1e-4);

/** What the tests read back: each chart's series, where they were drawn, and its tick labels. */
export interface ChartInspection {
  series: { label: string; colour: string; pattern: string }[];
  area: { left: number; right: number; top: number; bottom: number };
  /** Per dataset, the extent of its drawn elements in canvas pixels. */
  drawn: { label: string; minX: number; maxX: number; minY: number; maxY: number; count: number }[];
  /** Per axis, the tick labels and their extent along the axis, in canvas pixels. */
  ticks: { axis: string; horizontal: boolean; labels: { text: string; from: number; to: number }[] }[];
}

/** The rate a run is compared on: Mbit/s for bulk transfers, messages per second otherwise. */
function rateOf(r: ChartRun): number {
  return r.pattern === 'bulk' && r.view.goodputMbps !== undefined ? r.view.goodputMbps : r.view.messagesPerSecond;
}

function rateUnit(r: ChartRun | undefined): string {
  if (!r) return 'messages/s';
  return r.pattern === 'bulk' && r.view.goodputMbps !== undefined ? 'Mbit/s' : `${unitName(r.pattern)}/s`;
}

/** "0.1", "2", "50", "1,000" for millisecond ticks. */
function msTick(v: number): string {
  return v >= 1000 ? v.toLocaleString('en-US') : String(Number(v.toPrecision(3)));
}

export class Charts {
  readonly element: HTMLElement;
  private readonly charts = new Map<ChartId, Chart>();
  private readonly tables = new Map<ChartId, HTMLElement>();
  private readonly canvases = new Map<ChartId, HTMLCanvasElement>();
  private readonly measureCtx: CanvasRenderingContext2D | null = document.createElement('canvas').getContext('2d');
  private runs: ChartRun[] = [];
  /** The fill pattern and colour each series was given, by label (for inspect()). */
  private styles = new Map<ChartId, { label: string; colour: string; pattern: string }[]>();

  constructor(private palette: Palette) {
    this.element = document.createElement('div');
    this.element.className = 'charts';
    for (const id of CHART_IDS) {
      const fig = document.createElement('figure');
      fig.className = `chart chart-${id}`;
      fig.dataset.chart = id;
      const cap = document.createElement('figcaption');
      cap.textContent = CAPTIONS[id];
      cap.id = `chart-${id}-caption`;
      const box = document.createElement('div');
      box.className = 'chart-box';
      const canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-labelledby', cap.id);
      box.append(canvas);
      const details = document.createElement('details');
      const summary = document.createElement('summary');
      summary.textContent = 'Data table';
      const table = document.createElement('div');
      table.className = 'data-table';
      details.append(summary, table);
      fig.append(cap, box, details);
      this.element.append(fig);
      this.canvases.set(id, canvas);
      this.tables.set(id, table);
    }
  }

  update(runs: ChartRun[]): void {
    this.runs = runs;
    for (const id of CHART_IDS) {
      const cfg = this.config(id);
      const existing = this.charts.get(id);
      if (existing) {
        existing.data = cfg.data;
        existing.options = cfg.options!;
        existing.update('none');
      } else {
        this.charts.set(id, new Chart(this.canvases.get(id)!, cfg));
      }
      this.renderTable(id);
      this.canvases.get(id)!.setAttribute('aria-label', this.describe(id));
    }
  }

  recolor(p: Palette): void {
    this.palette = p;
    if (this.runs.length) this.update(this.runs);
  }

  /** What each chart drew, in canvas pixels: series and their styles, element extents, tick labels. */
  inspect(): Partial<Record<ChartId, ChartInspection>> {
    const out: Partial<Record<ChartId, ChartInspection>> = {};
    for (const [id, chart] of this.charts) {
      const area = chart.chartArea;
      const drawn = chart.data.datasets.map((d, i) => {
        const els = chart.getDatasetMeta(i).data;
        const xs: number[] = [];
        const ys: number[] = [];
        for (const el of els) {
          const p = el.getProps(['x', 'y', 'base'], true) as { x: number; y: number; base?: number };
          if (p.x === undefined || p.y === undefined || Number.isNaN(p.x) || Number.isNaN(p.y)) continue;
          xs.push(p.x);
          ys.push(p.y);
          if (p.base !== undefined && Number.isFinite(p.base)) (chart.options.indexAxis === 'y' ? xs : ys).push(p.base);
        }
        return { label: String(d.label ?? ''), minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys), count: els.length };
      });
      const ticks = Object.values(chart.scales).filter((s) => s.options.display !== false && (s.options as { ticks?: { display?: boolean } }).ticks?.display !== false).map((s) => this.tickExtents(s));
      out[id] = { series: this.styles.get(id) ?? [], area: { left: area.left, right: area.right, top: area.top, bottom: area.bottom }, drawn, ticks };
    }
    return out;
  }

  private tickExtents(scale: Scale): ChartInspection['ticks'][number] {
    const horizontal = scale.isHorizontal();
    const ctx = this.measureCtx;
    if (ctx) ctx.font = `${TICK_FONT_SIZE}px ${this.palette.font}`;
    const labels: { text: string; from: number; to: number }[] = [];
    scale.ticks.forEach((t, i) => {
      const lines = (Array.isArray(t.label) ? t.label : [t.label ?? '']).map(String).filter((s) => s !== '');
      if (lines.length === 0) return;
      const at = scale.getPixelForTick(i);
      const extent = horizontal ? Math.max(...lines.map((l) => ctx?.measureText(l).width ?? l.length * 7)) : lines.length * TICK_FONT_SIZE * 1.2;
      labels.push({ text: lines.join(' '), from: at - extent / 2, to: at + extent / 2 });
    });
    return { axis: scale.id, horizontal, labels };
  }

  /** All four charts on one image, on the theme's background (a PNG keeps transparency otherwise). */
  toPngBase64(): string {
    const list = CHART_IDS.map((id) => this.canvases.get(id)!);
    const w = Math.max(...list.map((c) => c.width));
    const h = list.reduce((s, c) => s + c.height, 0);
    const out = document.createElement('canvas');
    out.width = w;
    out.height = h;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, out.width, out.height);
    let y = 0;
    for (const c of list) {
      ctx.drawImage(c, 0, y);
      y += c.height;
    }
    return out.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  }

  dispose(): void {
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
  }

  private textWidth(text: string): number {
    const ctx = this.measureCtx;
    if (!ctx) return text.length * 7;
    ctx.font = `${TICK_FONT_SIZE}px ${this.palette.font}`;
    return ctx.measureText(text).width;
  }

  private base(): ChartConfiguration['options'] {
    const p = this.palette;
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: p.foreground,
      font: { family: p.font, size: TICK_FONT_SIZE },
      plugins: {
        legend: { labels: { color: p.foreground, boxWidth: 22, boxHeight: 12 } },
        tooltip: { enabled: true },
      },
    };
  }

  private axis(title: string, type: 'linear' | 'logarithmic' | 'category', extra: Record<string, unknown> = {}) {
    const p = this.palette;
    return {
      type,
      title: { display: title !== '', text: title, color: p.muted },
      ticks: { color: p.foreground, maxRotation: 0, autoSkip: true, autoSkipPadding: 8, font: { size: TICK_FONT_SIZE } },
      grid: { color: p.grid },
      border: { color: p.grid },
      ...extra,
    };
  }

  /**
   * A log axis over `values` with room on both sides, tick labels that fit, and `format` for the
   * label text. The ticks are chosen once the axis knows its length (afterBuildTicks).
   */
  private logAxis(title: string, values: number[], format: (v: number) => string, horizontal: boolean) {
    const b = logBounds(values);
    const base = this.axis(title, 'logarithmic');
    return {
      ...base,
      min: b?.min,
      max: b?.max,
      ticks: { ...base.ticks, callback: (v: number | string) => format(Number(v)) },
      afterBuildTicks: (scale: Scale) => {
        if (!b) return;
        const length = Math.max(40, (horizontal ? scale.width : scale.height) || (scale as unknown as { _maxLength?: number })._maxLength || 200);
        const extent = horizontal ? (v: number) => this.textWidth(format(v)) : () => TICK_FONT_SIZE * 1.2;
        scale.ticks = logTicks(b.min, b.max, length, extent, 10).map((value) => ({ value }));
      },
    };
  }

  private lineStyle(r: ChartRun, n: number) {
    const p = this.palette;
    const style = RUN_STYLES[r.index];
    const every = Math.max(1, Math.ceil(n / MARKERS_PER_LINE));
    // The two runs' markers sit at different points, so neither hides the other.
    const offset = r.index === 0 ? 0 : Math.floor(every / 2);
    return {
      borderColor: p.runs[r.index],
      backgroundColor: p.runs[r.index],
      borderWidth: p.highContrast ? 2.5 : 2,
      borderDash: style.dash,
      pointStyle: style.point,
      pointRadius: (c: { dataIndex: number }) => (c.dataIndex % every === offset ? 4 : 0),
      pointHoverRadius: 5,
    };
  }

  private remember(id: ChartId, series: { label: string; colour: string; pattern: string }[]): void {
    this.styles.set(id, series);
  }

  private config(id: ChartId): ChartConfiguration {
    const p = this.palette;
    const runs = this.runs;
    const unit = runs[0] ? unitName(runs[0].pattern) : 'messages';
    const legend = { labels: { color: p.foreground, usePointStyle: true, boxHeight: 8 } };
    switch (id) {
      case 'latency': {
        const all = runs.flatMap((r) => r.view.latencies.map(floorMs));
        this.remember(id, runs.map((r) => ({ label: r.title, colour: p.runs[r.index], pattern: RUN_STYLES[r.index].name })));
        return {
          type: 'line',
          data: {
            datasets: runs.map((r) => ({
              label: r.title,
              data: r.view.latencies.map((y, x) => ({ x: x + 1, y: floorMs(y) })),
              ...this.lineStyle(r, r.view.latencies.length),
              // Decimation needs the raw {x, y} points it was given.
              parsing: false,
              indexAxis: 'x' as const,
            })),
          },
          options: {
            ...this.base(),
            scales: {
              x: this.axis(`${unitName(runs[0]?.pattern ?? 'records', false)} #`, 'linear', { min: 1 }),
              y: this.logAxis('latency (ms, log)', all, msTick, false),
            },
            plugins: { ...this.base()!.plugins, legend, decimation: { enabled: true, algorithm: 'min-max' } },
          },
        } as ChartConfiguration;
      }
      case 'cdf': {
        const all = runs.flatMap((r) => r.view.latencies.map(floorMs));
        this.remember(id, runs.map((r) => ({ label: r.title, colour: p.runs[r.index], pattern: RUN_STYLES[r.index].name })));
        return {
          type: 'line',
          data: {
            datasets: runs.map((r) => {
              const pts = cdfPoints(r.view.latencies).map((pt) => ({ x: floorMs(pt.x), y: pt.y }));
              return { label: r.title, data: pts, ...this.lineStyle(r, pts.length), stepped: true };
            }),
          },
          options: {
            ...this.base(),
            plugins: { ...this.base()!.plugins, legend },
            scales: {
              x: this.logAxis('latency (ms, log)', all, msTick, true),
              y: this.axis(`% of ${unit} at or below`, 'linear', { min: 0, max: 100, ticks: { ...this.axis('', 'linear').ticks, stepSize: 20 } }),
            },
          },
        } as ChartConfiguration;
      }
      case 'rate': {
        const rates = runs.map(rateOf);
        const u = rateUnit(runs[0]);
        this.remember(id, runs.map((r) => ({ label: r.title, colour: p.runs[r.index], pattern: RUN_STYLES[r.index].pattern })));
        return {
          type: 'bar',
          data: {
            // The value goes with the run's name, so nobody has to read it off a log axis.
            labels: runs.map((r, i) => [r.title, `${formatRate(rates[i]!)} ${u}`]),
            datasets: [{
              label: u,
              data: rates,
              backgroundColor: runs.map((r) => fillFor(RUN_STYLES[r.index].pattern, p.runs[r.index], p.background)),
              borderColor: runs.map((r) => p.runs[r.index]),
              borderWidth: 1.5,
              maxBarThickness: 46,
            }],
          },
          options: {
            ...this.base(),
            indexAxis: 'y',
            plugins: {
              ...this.base()!.plugins,
              legend: { display: false },
            },
            scales: {
              x: this.logAxis(`${u} (log)`, rates, compactNumber, true),
              y: this.axis('', 'category', { ticks: { ...this.axis('', 'category').ticks, autoSkip: false } }),
            },
          },
        } as ChartConfiguration;
      }
      case 'causes': {
        // Mean milliseconds per message by cause, shown as each cause's share of that mean: the
        // bars are comparable whatever the two runs' latencies, and nothing adds up to more than
        // one message's latency.
        const per = runs.map((r) => causesPerMessage({ causes: r.view.causes, count: r.view.messages }));
        const totals = per.map((c) => CAUSE_KEYS.reduce((s, k) => s + c[k], 0));
        const present = CAUSE_KEYS.filter((k) => per.some((c) => c[k] > 0));
        this.remember(id, present.map((k) => ({ label: CAUSE_LABELS[k], colour: p.causes[k], pattern: CAUSE_PATTERNS[k] })));
        const u1 = runs[0] ? unitName(runs[0].pattern, false) : 'message';
        return {
          type: 'bar',
          data: {
            labels: runs.map((r, i) => [r.title, `${formatDuration(totals[i]!)} per ${u1}`]),
            datasets: present.map((k: CauseKey) => ({
              label: CAUSE_LABELS[k],
              data: per.map((c, i) => (totals[i]! > 0 ? (c[k] / totals[i]!) * 100 : 0)),
              backgroundColor: fillFor(CAUSE_PATTERNS[k] as PatternName, p.causes[k], p.background),
              borderColor: p.causes[k],
              borderWidth: 1,
              maxBarThickness: 46,
            })),
          },
          options: {
            ...this.base(),
            indexAxis: 'y',
            plugins: {
              ...this.base()!.plugins,
              legend: { position: 'right', labels: { color: p.foreground, boxWidth: 22, boxHeight: 12 } },
              tooltip: { callbacks: { label: (c: { dataset: { label?: string }; dataIndex: number; raw: unknown }) => `${c.dataset.label}: ${Math.round(Number(c.raw))}% (${formatDuration((Number(c.raw) / 100) * totals[c.dataIndex]!)} per ${u1})` } },
            },
            scales: {
              x: this.axis(`share of a ${u1}'s latency (%)`, 'linear', { stacked: true, min: 0, max: 100, ticks: { ...this.axis('', 'linear').ticks, stepSize: 20 } }),
              y: this.axis('', 'category', { stacked: true, ticks: { ...this.axis('', 'category').ticks, autoSkip: false } }),
            },
          },
        } as ChartConfiguration;
      }
    }
  }

  private describe(id: ChartId): string {
    const r = this.runs;
    const parts = r.map((x) => {
      switch (id) {
        case 'latency':
        case 'cdf':
          return `${x.title}: median ${formatDuration(x.view.latencyMs.p50)}, 99th percentile ${formatDuration(x.view.latencyMs.p99)}`;
        case 'rate':
          return `${x.title}: ${formatRate(rateOf(x))} ${rateUnit(x)}`;
        case 'causes': {
          const c = causesPerMessage({ causes: x.view.causes, count: x.view.messages });
          const top = CAUSE_KEYS.filter((k) => c[k] > 0).sort((a, b) => c[b] - c[a]);
          return `${x.title}: ${top.map((k) => `${CAUSE_LABELS[k]} ${formatDuration(c[k])}`).join(', ') || 'no waiting'} per ${unitName(x.pattern, false)}`;
        }
      }
    });
    return `${CAPTIONS[id]}. ${parts.join('; ')}. The data table below has the numbers.`;
  }

  private renderTable(id: ChartId): void {
    const host = this.tables.get(id)!;
    const runs = this.runs;
    let head: string[] = [];
    let rows: (string | number)[][] = [];
    let note = '';
    switch (id) {
      case 'latency': {
        head = ['#', ...runs.map((r) => `${r.title} (ms)`)];
        const n = Math.max(0, ...runs.map((r) => r.view.latencies.length));
        for (let i = 0; i < Math.min(n, TABLE_ROWS); i++) rows.push([i + 1, ...runs.map((r) => fixed(r.view.latencies[i]))]);
        if (n > TABLE_ROWS) note = `The first ${TABLE_ROWS} of ${formatCount(n)}; export the CSV for all of them.`;
        break;
      }
      case 'cdf': {
        head = ['Percentile', ...runs.map((r) => `${r.title} (ms)`)];
        for (const k of ['p50', 'p90', 'p99', 'max', 'mean'] as const) rows.push([k === 'max' ? 'max' : k === 'mean' ? 'mean' : k.slice(1) + 'th', ...runs.map((r) => fixed(r.view.latencyMs[k]))]);
        break;
      }
      case 'rate':
        head = ['Run', rateUnit(runs[0]), 'Total time'];
        rows = runs.map((r) => [r.title, formatRate(rateOf(r)), formatDuration(r.view.totalTimeMs)]);
        break;
      case 'causes': {
        const u1 = runs[0] ? unitName(runs[0].pattern, false) : 'message';
        head = ['Cause', ...runs.flatMap((r) => [`${r.title} (ms per ${u1})`, `${r.title} (%)`])];
        const per = runs.map((r) => causesPerMessage({ causes: r.view.causes, count: r.view.messages }));
        const totals = per.map((c) => CAUSE_KEYS.reduce((s, k) => s + c[k], 0));
        rows = CAUSE_KEYS.map((k) => [CAUSE_LABELS[k], ...per.flatMap((c, i) => [fixed(c[k]), totals[i]! > 0 ? Math.round((c[k] / totals[i]!) * 100).toString() : '0'])]);
        rows.push(['All (mean latency)', ...per.flatMap((_, i) => [fixed(totals[i]), '100'])]);
        note = `Mean per ${u1} over all ${runs.map((r) => `${formatCount(r.view.messages)}`).join(' and ')} ${unitName(runs[0]?.pattern ?? 'records')}.`;
        break;
      }
    }
    const table = document.createElement('table');
    const cap = document.createElement('caption');
    cap.textContent = CAPTIONS[id];
    const thead = table.createTHead().insertRow();
    for (const h of head) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      thead.append(th);
    }
    const body = table.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      r.forEach((c, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) (cell as HTMLTableCellElement).scope = 'row';
        cell.textContent = String(c);
        tr.append(cell);
      });
    }
    table.prepend(cap);
    host.replaceChildren(table);
    if (note) {
      const p = document.createElement('p');
      p.textContent = note;
      host.append(p);
    }
  }
}

function fixed(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v >= 0.001 ? v.toFixed(3) : v === 0 ? '0' : v.toExponential(1);
}
