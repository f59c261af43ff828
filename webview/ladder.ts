// The ladder (sequence) diagram of a run's first packets: client and server as two vertical
// lines, time flowing down, each segment an arrow from its departure to its arrival, application
// calls as dots, and the timers that held data as bars. SVG, so it is styled by the theme's CSS
// variables directly (media/simulator.css) and needs no re-colouring.
import type { TraceEntry } from './results';
import { formatDuration } from './format';

const SVG = 'http://www.w3.org/2000/svg';
const PACKET_KINDS = new Set(['data', 'ack', 'window-update', 'probe', 'lost']);
/** The first this many trace entries are drawn; the packet table lists the same ones. */
export const LADDER_MAX_ENTRIES = 60;
const MIN_WIDTH = 640;
const TOP = 40;
/** Vertical pixels between two events at different times, at the least. */
const MIN_GAP = 18;

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
    const note = document.createElement('p');
    note.className = 'ladder-note';
    note.textContent = 'Time runs down. Long waits are shortened and bursts spread out so every event gets its own line: read times from the left axis. Bars are holds and timers; hover for details.';
    this.element.append(bar, this.scroller, note, details);
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

  /**
   * Maps simulated time to pixels. A ladder mixes microsecond bursts with 200 ms waits, so a
   * linear axis shows either unreadable bursts or a few dots. Here the longest gap between
   * events gets 120 px (times the zoom), the others their share of that, but never less than
   * MIN_GAP so each event has a line of its own; the time axis labels every event row.
   */
  private timeScale(keys: number[]): (t: number) => number {
    const times = [...new Set(keys)].sort((a, b) => a - b);
    let maxGap = 0;
    for (let i = 1; i < times.length; i++) maxGap = Math.max(maxGap, times[i]! - times[i - 1]!);
    const pxPerMs = maxGap > 0 ? (120 * this.zoom) / maxGap : 0;
    const ys: number[] = [TOP];
    for (let i = 1; i < times.length; i++) {
      const dt = times[i]! - times[i - 1]!;
      ys.push(ys[i - 1]! + (dt <= 1e-9 ? 0 : Math.max(MIN_GAP, dt * pxPerMs)));
    }
    return (t: number) => {
      // Exact for key times; in between, linear between the neighbouring rows.
      let lo = 0;
      let hi = times.length - 1;
      if (t <= times[0]!) return ys[0]!;
      if (t >= times[hi]!) return ys[hi]!;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (times[mid]! <= t) lo = mid; else hi = mid;
      }
      const f = (t - times[lo]!) / (times[hi]! - times[lo]! || 1);
      return ys[lo]! + f * (ys[hi]! - ys[lo]!);
    };
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
    const width = Math.max(MIN_WIDTH, this.scroller.clientWidth - 4 || 0);
    const col = { client: Math.round(width * 0.36), server: Math.round(width * 0.74) };
    const keys: number[] = [];
    for (const e of es) {
      keys.push(e.time);
      if (e.startTime !== undefined) keys.push(e.startTime);
      if (PACKET_KINDS.has(e.kind)) keys.push(this.arrival(e));
    }
    const y = this.timeScale(keys);
    const t0 = Math.min(...keys);
    const t1 = Math.max(...keys);
    const height = Math.ceil(y(t1) + 30);
    const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
    svg.setAttribute('aria-label', `Ladder diagram of the first ${es.length} events over ${formatDuration(t1 - t0)}; the packet table below lists them`);
    const defs = el('defs', {});
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
    defs.append(marker);
    svg.append(defs);
    // Time axis: a label for each event row that has room.
    let lastLabel = -Infinity;
    for (const t of [...new Set(keys)].sort((a, b) => a - b)) {
      const yy = y(t);
      if (yy - lastLabel < 13) continue;
      lastLabel = yy;
      svg.append(el('line', { x1: 62, x2: width - 4, y1: yy, y2: yy, class: 'grid' }));
      svg.append(el('text', { x: 58, y: yy + 4, class: 'tick', 'text-anchor': 'end' }, formatDuration(t - t0)));
    }
    for (const s of ['client', 'server'] as const) {
      svg.append(el('line', { x1: col[s], x2: col[s], y1: TOP - 8, y2: height - 10, class: 'lifeline' }));
      svg.append(el('text', { x: col[s], y: 20, class: 'endpoint', 'text-anchor': 'middle' }, s));
    }
    // Instants on the same line at the same moment share one label ("app-send-done; app-send 87 B").
    const instants = new Map<string, { e: TraceEntry; labels: string[]; cls: string; isTimer: boolean }>();
    const lastArrowLabel = { client: -Infinity, server: -Infinity };
    const lastSpanLabel = { client: -Infinity, server: -Infinity };
    for (const e of es) {
      const from = side(e.from);
      const label = describeEntry(e) + (e.channel ? ` [ch ${e.channel + 1}]` : '');
      const title = el('title', {}, `${formatDuration(e.time - t0)}: ${e.from} ${label}`);
      if (PACKET_KINDS.has(e.kind)) {
        const x1 = col[from];
        const x2 = col[other(from)];
        const g = el('g', { class: `pkt pkt-${e.kind}` });
        const ya = y(e.time);
        const yb = y(this.arrival(e));
        const line = el('line', { x1, y1: ya, x2: e.kind === 'lost' ? (x1 + x2) / 2 : x2, y2: yb, 'marker-end': 'url(#arrow)' });
        const angle = (Math.atan2(yb - ya, (e.kind === 'lost' ? (x2 - x1) / 2 : x2 - x1)) * 180) / Math.PI;
        const mx = e.kind === 'lost' ? x1 + (x2 - x1) / 4 : (x1 + x2) / 2;
        const my = (ya + yb) / 2 - (e.kind === 'lost' ? (yb - ya) / 4 : 0);
        // The label follows its arrow; in a burst only every arrow with room for it gets one
        // (the tooltip and the packet table have them all).
        const text = Math.abs(my - lastArrowLabel[from]) < 12 ? undefined : el('text', { x: mx, y: my - 4, 'text-anchor': 'middle', transform: `rotate(${angle > 90 ? angle - 180 : angle < -90 ? angle + 180 : angle} ${mx} ${my})` }, label);
        g.append(line, title);
        if (text) {
          g.append(text);
          lastArrowLabel[from] = my;
        }
        if (e.kind === 'lost') g.append(el('text', { x: (x1 + x2) / 2, y: yb + 5, 'text-anchor': 'middle', class: 'lost-mark' }, '✕'));
        svg.append(g);
      } else if (e.kind === 'span' && e.startTime !== undefined) {
        // Bars sit beside the lifeline; their labels go to the outer margin.
        const x = col[from] + (from === 'client' ? -8 : 8);
        const g = el('g', { class: `timer span ${timerClass(e)}` });
        const ys = y(e.startTime);
        const ye = y(e.time);
        const outer = from === 'client' ? 66 : width - 4;
        const mid = (ys + ye) / 2;
        g.append(
          el('rect', { x: x - 3, y: ys, width: 6, height: Math.max(2, ye - ys) }),
          el('title', {}, `${e.from}: ${e.note} from ${formatDuration(e.startTime - t0)} to ${formatDuration(e.time - t0)}`),
        );
        if (Math.abs(mid - lastSpanLabel[from]) >= 12) {
          lastSpanLabel[from] = mid;
          g.append(
            el('line', { x1: x, x2: outer, y1: mid, y2: mid, class: 'span-leader' }),
            el('text', { x: outer + (from === 'client' ? 2 : -2), y: mid - 3, 'text-anchor': from === 'client' ? 'start' : 'end' },
              `${e.note ?? 'waiting'} ${formatDuration(e.time - e.startTime)}`),
          );
        }
        svg.append(g);
      } else {
        const k = `${from}@${y(e.time).toFixed(1)}`;
        const isTimer = e.kind === 'timer';
        const cur = instants.get(k);
        if (cur) {
          cur.labels.push(label);
          cur.isTimer ||= isTimer;
        } else {
          instants.set(k, { e, labels: [label], cls: isTimer ? `timer ${timerClass(e)}` : `app app-${e.kind}`, isTimer });
        }
      }
    }
    for (const { e, labels, cls, isTimer } of instants.values()) {
      const from = side(e.from);
      const x = col[from];
      const yy = y(e.time);
      const g = el('g', { class: cls });
      g.append(
        isTimer ? el('rect', { x: x - 4, y: yy - 4, width: 8, height: 8 }) : el('circle', { cx: x, cy: yy, r: 3.5 }),
        el('text', { x: x + (from === 'client' ? -14 : 14), y: yy + 4, 'text-anchor': from === 'client' ? 'end' : 'start' }, labels.join('; ')),
        el('title', {}, `${formatDuration(e.time - t0)}: ${e.from} ${labels.join('; ')}`),
      );
      svg.append(g);
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
