// The ladder (sequence) diagram of a run's first packets: client and server as two vertical
// lines, time flowing down, each segment an arrow from its departure to its arrival, application
// calls as dots, and the timers that held data as bars. SVG, so it is styled by the theme's CSS
// variables directly (media/simulator.css) and needs no re-colouring.
import type { TraceEntry } from './results';
import { formatDuration } from './format';

const SVG = 'http://www.w3.org/2000/svg';
const PACKET_KINDS = new Set(['data', 'ack', 'window-update', 'probe', 'lost']);
/** The first this many trace entries are drawn; the packet table lists the same ones. */
export const LADDER_MAX_ENTRIES = 80;
const WIDTH = 640;
const COL = { client: 170, server: 520 } as const;
const TOP = 40;
/** Pixels per millisecond at zoom 1 are chosen so the drawn span fills this height. */
const BASE_HEIGHT = 520;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function side(from: string): 'client' | 'server' {
  return from === 'server' ? 'server' : 'client';
}
function other(s: 'client' | 'server'): 'client' | 'server' {
  return s === 'client' ? 'server' : 'client';
}

/** The label of one trace entry, as in the diagram and the packet table. */
export function describeEntry(e: TraceEntry): string {
  if (e.note && !PACKET_KINDS.has(e.kind)) return e.note;
  const parts: string[] = [e.kind];
  if (e.kind === 'data' || e.kind === 'probe') {
    if (e.seq !== undefined) parts.push(`seq ${e.seq}`);
    if (e.len !== undefined) parts.push(`len ${e.len}`);
  } else if (e.kind === 'app-send' || e.kind === 'app-recv') {
    if (e.len !== undefined) parts.push(`${e.len} B`);
  }
  if (e.ack !== undefined && e.kind !== 'app-send' && e.kind !== 'app-recv') parts.push(`ack ${e.ack}`);
  if (e.win !== undefined && (e.kind === 'window-update' || e.kind === 'ack')) parts.push(`win ${e.win}`);
  if (e.note) parts.push(`(${e.note})`);
  return parts.join(' ');
}

/** A timer's or hold's kind, for its colour: delayed ACK, Nagle hold, persist, other. */
function timerClass(e: TraceEntry): string {
  const n = (e.note ?? '').toLowerCase();
  if (n.includes('nagle')) return 'timer-nagle';
  if (n.includes('blocked')) return 'timer-blocked';
  if (n.includes('delayed') || n.includes('delack') || n.includes('ack timer')) return 'timer-delack';
  if (n.includes('persist') || n.includes('probe') || n.includes('window')) return 'timer-persist';
  if (n.includes('retrans') || n.includes('rto')) return 'timer-rto';
  return 'timer-other';
}

export class Ladder {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly table: HTMLElement;
  private readonly zoomLabel: HTMLElement;
  private entries: TraceEntry[] = [];
  private oneWayMs = 0;
  private zoom = 1;
  /** Set when the user zooms, so the caller can keep it in the panel state. */
  onZoom: (zoom: number) => void = () => {};

  constructor() {
    this.element = document.createElement('section');
    this.element.className = 'ladder';
    const bar = document.createElement('div');
    bar.className = 'ladder-toolbar';
    const mk = (label: string, aria: string, f: () => void) => {
      const b = document.createElement('vscode-button');
      b.setAttribute('secondary', '');
      b.textContent = label;
      b.setAttribute('aria-label', aria);
      b.addEventListener('click', f);
      bar.append(b);
      return b;
    };
    mk('−', 'Zoom out of the ladder diagram', () => this.setZoom(this.zoom / 2));
    mk('+', 'Zoom into the ladder diagram', () => this.setZoom(this.zoom * 2));
    mk('Fit', 'Fit the ladder diagram', () => this.setZoom(1));
    this.zoomLabel = document.createElement('span');
    this.zoomLabel.className = 'zoom-label';
    this.zoomLabel.setAttribute('aria-live', 'polite');
    bar.append(this.zoomLabel);
    this.scroller = document.createElement('div');
    this.scroller.className = 'ladder-scroll';
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('aria-label', 'Ladder diagram; + and - zoom, arrow keys scroll');
    this.scroller.addEventListener('keydown', (e) => {
      if (e.key === '+' || e.key === '=') { this.setZoom(this.zoom * 2); e.preventDefault(); }
      else if (e.key === '-' || e.key === '_') { this.setZoom(this.zoom / 2); e.preventDefault(); }
      else if (e.key === '0') { this.setZoom(1); e.preventDefault(); }
    });
    this.scroller.addEventListener('wheel', (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      this.setZoom(this.zoom * (e.deltaY < 0 ? 1.25 : 0.8));
    }, { passive: false });
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.textContent = 'Packet table';
    this.table = document.createElement('div');
    this.table.className = 'data-table';
    details.append(summary, this.table);
    this.element.append(bar, this.scroller, details);
  }

  /**
   * `entries` are the trace's first events; `spans` the holds and timers derived from them
   * (webview/trace.ts). `oneWayMs` places arrivals the trace does not have (lost segments).
   */
  show(entries: readonly TraceEntry[], spans: readonly TraceEntry[], oneWayMs: number, zoom = this.zoom): void {
    const shown = entries.slice(0, LADDER_MAX_ENTRIES);
    const end = shown.length ? shown[shown.length - 1]!.time : 0;
    // Spans that end within the drawn events, behind the arrows they explain.
    this.entries = [...spans.filter((s) => s.time <= end), ...shown];
    this.oneWayMs = Math.max(0, oneWayMs);
    this.zoom = clampZoom(zoom);
    this.render();
    this.renderTable();
  }

  setZoom(z: number): void {
    this.zoom = clampZoom(z);
    this.render();
    this.onZoom(this.zoom);
  }

  get currentZoom(): number {
    return this.zoom;
  }

  /** Counts of what was drawn, for the tests and the summary. */
  drawn(): { packets: number; appCalls: number; timers: number } {
    const svg = this.scroller.querySelector('svg');
    return {
      packets: svg?.querySelectorAll('.pkt').length ?? 0,
      appCalls: svg?.querySelectorAll('.app').length ?? 0,
      timers: svg?.querySelectorAll('.timer').length ?? 0,
    };
  }

  /** A lost segment is drawn half-way and ends in a cross. */
  private arrival(e: TraceEntry): number {
    if (e.kind === 'lost') return e.time + this.oneWayMs / 2;
    return e.arriveTime ?? e.time + this.oneWayMs;
  }

  private render(): void {
    const es = this.entries;
    this.zoomLabel.textContent = `${Math.round(this.zoom * 100)}%`;
    if (es.length === 0) {
      const p = document.createElement('p');
      p.className = 'empty';
      p.textContent = 'No packets to draw.';
      this.scroller.replaceChildren(p);
      return;
    }
    const t0 = Math.min(...es.map((e) => e.startTime ?? e.time));
    const t1 = Math.max(...es.map((e) => (PACKET_KINDS.has(e.kind) ? this.arrival(e) : e.time)));
    const span = Math.max(t1 - t0, 1e-3);
    const pxPerMs = (BASE_HEIGHT / span) * this.zoom;
    const y = (t: number) => TOP + (t - t0) * pxPerMs;
    const height = Math.ceil(y(t1) + 30);
    const svg = el('svg', { width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, role: 'img' });
    svg.setAttribute('aria-label', `Ladder diagram of the first ${es.length} events over ${formatDuration(span)}`);
    const defs = el('defs', {});
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
    defs.append(marker);
    svg.append(defs);
    // Time grid: about eight ticks over the visible span.
    const step = niceStep(span / (8 * this.zoom));
    for (let t = Math.ceil(t0 / step) * step; t <= t1 + 1e-9; t += step) {
      svg.append(el('line', { x1: 60, x2: WIDTH - 10, y1: y(t), y2: y(t), class: 'grid' }));
      svg.append(el('text', { x: 56, y: y(t) + 4, class: 'tick', 'text-anchor': 'end' }, formatDuration(t - t0)));
    }
    for (const s of ['client', 'server'] as const) {
      svg.append(el('line', { x1: COL[s], x2: COL[s], y1: TOP - 8, y2: height - 10, class: 'lifeline' }));
      svg.append(el('text', { x: COL[s], y: 20, class: 'endpoint', 'text-anchor': 'middle' }, s));
    }
    for (const e of es) {
      const from = side(e.from);
      const label = describeEntry(e);
      const title = el('title', {}, `${formatDuration(e.time - t0)}: ${e.from} ${label}`);
      if (PACKET_KINDS.has(e.kind)) {
        const x1 = COL[from];
        const x2 = COL[other(from)];
        const g = el('g', { class: `pkt pkt-${e.kind}` });
        const line = el('line', { x1, y1: y(e.time), x2, y2: y(this.arrival(e)), 'marker-end': 'url(#arrow)' });
        const mx = (x1 + x2) / 2;
        const my = (y(e.time) + y(this.arrival(e))) / 2;
        g.append(line, el('text', { x: mx, y: my - 4, 'text-anchor': 'middle' }, label), title);
        if (e.kind === 'lost') g.append(el('text', { x: mx, y: y(this.arrival(e)) + 5, 'text-anchor': 'middle', class: 'lost-mark' }, '✕'));
        svg.append(g);
      } else if (e.kind === 'span' && e.startTime !== undefined) {
        const x = COL[from] + (from === 'client' ? -10 : 10);
        const g = el('g', { class: `timer ${timerClass(e)}` });
        g.append(
          el('rect', { x: x - 3, y: y(e.startTime), width: 6, height: Math.max(2, y(e.time) - y(e.startTime)) }),
          el('text', { x: from === 'client' ? x - 8 : x + 8, y: (y(e.startTime) + y(e.time)) / 2 + 4, 'text-anchor': from === 'client' ? 'end' : 'start' },
            `${label} ${formatDuration(e.time - e.startTime)}`),
          title,
        );
        svg.append(g);
      } else {
        // Application calls and instantaneous timer events sit on the endpoint's own line.
        const isTimer = e.kind === 'timer';
        const g = el('g', { class: isTimer ? `timer ${timerClass(e)}` : `app app-${e.kind}` });
        const x = COL[from];
        const out = from === 'client' ? -10 : 10;
        g.append(
          isTimer ? el('rect', { x: x - 4, y: y(e.time) - 4, width: 8, height: 8 }) : el('circle', { cx: x, cy: y(e.time), r: 3.5 }),
          el('text', { x: x + out, y: y(e.time) + 4, 'text-anchor': from === 'client' ? 'end' : 'start' }, label),
          title,
        );
        svg.append(g);
      }
    }
    this.scroller.replaceChildren(svg);
  }

  private renderTable(): void {
    const t0 = this.entries.length ? Math.min(...this.entries.map((e) => e.startTime ?? e.time)) : 0;
    const table = document.createElement('table');
    const cap = document.createElement('caption');
    cap.textContent = 'The first packets, application calls and timers';
    table.append(cap);
    const head = table.createTHead().insertRow();
    for (const h of ['Time', 'From', 'Kind', 'Details']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      head.append(th);
    }
    const body = table.createTBody();
    const at = (e: TraceEntry) => e.startTime ?? e.time;
    for (const e of [...this.entries].sort((a, b) => at(a) - at(b))) {
      const tr = body.insertRow();
      const when = e.startTime !== undefined ? `${formatDuration(e.startTime - t0)} – ${formatDuration(e.time - t0)}` : formatDuration(e.time - t0);
      for (const v of [when, e.from, e.kind, describeEntry(e)]) tr.insertCell().textContent = v;
    }
    this.table.replaceChildren(table);
  }
}

function clampZoom(z: number): number {
  return Number.isFinite(z) ? Math.min(256, Math.max(0.25, z)) : 1;
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-6)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
