// The four charts (chart.js) and the data tables that stand in for them for screen readers.
// Colours come from the theme palette and are re-applied by `recolor` when the theme changes.
import {
  BarController, BarElement, CategoryScale, Chart, Decimation, Legend, LinearScale, LineController, LineElement,
  LogarithmicScale, PointElement, Tooltip, type ChartConfiguration,
} from 'chart.js';
import { CAUSE_KEYS, CAUSE_LABELS, formatCount, formatDuration, formatRate, unitName } from './format';
import { causeShares, cdfPoints, type RunView } from './results';
import type { Palette } from './theme';
import type { Pattern } from '../src/common/scenario';

Chart.register(BarController, BarElement, CategoryScale, Decimation, Legend, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, Tooltip);

/** `index` picks the run's colour: 0 = as written, 1 = with the fix. */
export interface ChartRun { title: string; pattern: Pattern; view: RunView; index: 0 | 1 }

export const CHART_IDS = ['latency', 'cdf', 'rate', 'causes'] as const;
export type ChartId = (typeof CHART_IDS)[number];

const CAPTIONS: Record<ChartId, string> = {
  latency: 'Latency per message',
  cdf: 'Latency distribution (CDF)',
  rate: 'Throughput compared',
  causes: 'Where the time went',
};

/** How many rows of per-message latencies the table shows; the CSV export has them all. */
const TABLE_ROWS = 50;

/** Latencies are drawn on a log axis; a zero would vanish from it. */
const floorMs = (v: number) => Math.max(v, 1e-3);

/** A log axis' lower end a decade below the smallest value, so a flat line does not sit on the axis. */
function logMin(values: number[]): number | undefined {
  const m = Math.min(...values.filter((v) => v > 0));
  return Number.isFinite(m) ? 10 ** Math.floor(Math.log10(m * 0.999)) : undefined;
}

export class Charts {
  readonly element: HTMLElement;
  private readonly charts = new Map<ChartId, Chart>();
  private readonly tables = new Map<ChartId, HTMLElement>();
  private readonly canvases = new Map<ChartId, HTMLCanvasElement>();
  private runs: ChartRun[] = [];

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

  /** Number of data points each chart draws (the tests check that charts are not empty). */
  pointCounts(): Record<ChartId, number> {
    const out = {} as Record<ChartId, number>;
    for (const id of CHART_IDS) {
      out[id] = this.charts.get(id)?.data.datasets.reduce((s, d) => s + d.data.length, 0) ?? 0;
    }
    return out;
  }

  /** All four charts on one image, on the theme's background (a PNG keeps transparency otherwise). */
  toPngBase64(): string {
    const list = CHART_IDS.map((id) => this.canvases.get(id)!);
    const w = Math.max(...list.map((c) => c.width));
    const h = Math.max(...list.map((c) => c.height));
    const out = document.createElement('canvas');
    out.width = w * 2;
    out.height = h * 2;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = this.palette.background;
    ctx.fillRect(0, 0, out.width, out.height);
    list.forEach((c, i) => ctx.drawImage(c, (i % 2) * w, Math.floor(i / 2) * h));
    return out.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  }

  dispose(): void {
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
  }

  private base(): ChartConfiguration['options'] {
    const p = this.palette;
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: p.foreground,
      font: { family: p.font },
      plugins: {
        legend: { labels: { color: p.foreground, boxWidth: 12 } },
        tooltip: { enabled: true },
      },
    };
  }

  private axis(title: string, type: 'linear' | 'logarithmic' | 'category', extra: Record<string, unknown> = {}) {
    const p = this.palette;
    return {
      type,
      title: { display: true, text: title, color: p.muted },
      ticks: { color: p.foreground },
      grid: { color: p.grid },
      border: { color: p.grid },
      ...extra,
    };
  }

  private config(id: ChartId): ChartConfiguration {
    const p = this.palette;
    const runs = this.runs;
    const lineWidth = p.highContrast ? 2 : 1.5;
    const unit = runs[0] ? unitName(runs[0].pattern) : 'messages';
    switch (id) {
      case 'latency':
        return {
          type: 'line',
          data: {
            datasets: runs.map((r) => ({
              label: r.title,
              data: r.view.latencies.map((y, x) => ({ x: x + 1, y: floorMs(y) })),
              borderColor: p.runs[r.index],
              backgroundColor: p.runs[r.index],
              borderWidth: lineWidth,
              pointRadius: r.view.latencies.length > 60 ? 0 : 2,
              // Decimation needs the raw {x, y} points it was given.
              parsing: false,
              indexAxis: 'x' as const,
            })),
          },
          options: {
            ...this.base(),
            scales: {
              x: this.axis(unitName(runs[0]?.pattern ?? 'records', false) + ' #', 'linear', { min: 1 }),
              y: this.axis('latency (ms, log)', 'logarithmic', { min: logMin(runs.map((r) => floorMs(r.view.latencies.reduce((m, v) => Math.min(m, v), Infinity)))) }),
            },
            plugins: { ...this.base()!.plugins, decimation: { enabled: true, algorithm: 'min-max' } },
          },
        } as ChartConfiguration;
      case 'cdf':
        return {
          type: 'line',
          data: {
            datasets: runs.map((r) => ({
              label: r.title,
              data: cdfPoints(r.view.latencies).map((pt) => ({ x: floorMs(pt.x), y: pt.y })),
              borderColor: p.runs[r.index],
              backgroundColor: p.runs[r.index],
              borderWidth: lineWidth,
              pointRadius: 0,
              stepped: true,
            })),
          },
          options: {
            ...this.base(),
            scales: {
              x: this.axis('latency (ms, log)', 'logarithmic', { min: logMin(runs.map((r) => floorMs(r.view.latencies.reduce((m, v) => Math.min(m, v), Infinity)))) }),
              y: this.axis(`% of ${unit} at or below`, 'linear', { min: 0, max: 100 }),
            },
          },
        } as ChartConfiguration;
      case 'rate':
        return {
          type: 'bar',
          data: {
            labels: runs.map((r) => r.title),
            datasets: [{
              label: `${unit}/s`,
              data: runs.map((r) => r.view.messagesPerSecond),
              backgroundColor: runs.map((r) => p.runs[r.index]),
              borderColor: p.highContrast ? p.foreground : undefined,
              borderWidth: p.highContrast ? 1 : 0,
            }],
          },
          options: {
            ...this.base(),
            indexAxis: 'y',
            plugins: { ...this.base()!.plugins, legend: { display: false } },
            scales: {
              x: this.axis(`${unit} per second (log)`, 'logarithmic'),
              y: this.axis('', 'category', { title: { display: false } }),
            },
          },
        } as ChartConfiguration;
      case 'causes':
        return {
          type: 'bar',
          data: {
            labels: runs.map((r) => r.title),
            datasets: CAUSE_KEYS.map((k) => ({
              label: CAUSE_LABELS[k],
              data: runs.map((r) => causeShares(r.view.causes)[k]),
              backgroundColor: p.causes[k],
              borderColor: p.highContrast ? p.foreground : undefined,
              borderWidth: p.highContrast ? 1 : 0,
            })),
          },
          options: {
            ...this.base(),
            indexAxis: 'y',
            scales: {
              x: this.axis('% of the time messages spent in flight or waiting', 'linear', { stacked: true, min: 0, max: 100 }),
              y: this.axis('', 'category', { stacked: true, title: { display: false } }),
            },
          },
        } as ChartConfiguration;
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
          return `${x.title}: ${formatRate(x.view.messagesPerSecond)} ${unitName(x.pattern)}/s`;
        case 'causes': {
          const s = causeShares(x.view.causes);
          const top = CAUSE_KEYS.filter((k) => s[k] >= 1).sort((a, b) => s[b] - s[a]);
          return `${x.title}: ${top.map((k) => `${CAUSE_LABELS[k]} ${Math.round(s[k])}%`).join(', ') || 'no waiting'}`;
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
        head = ['Run', `${runs[0] ? unitName(runs[0].pattern) : 'messages'}/s`, 'Total time'];
        rows = runs.map((r) => [r.title, formatRate(r.view.messagesPerSecond), formatDuration(r.view.totalTimeMs)]);
        break;
      case 'causes':
        head = ['Cause', ...runs.flatMap((r) => [`${r.title} (ms)`, `${r.title} (%)`])];
        rows = CAUSE_KEYS.map((k) => [CAUSE_LABELS[k], ...runs.flatMap((r) => [fixed(r.view.causes[k]), Math.round(causeShares(r.view.causes)[k]).toString()])]);
        break;
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
  return v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(3);
}
