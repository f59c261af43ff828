// The ladder (sequence) diagram of a run's first packets: client and server as two vertical
// lines, time flowing down, each segment an arrow from its departure to its arrival, application
// calls as dots, and the timers that held data as bars. SVG, so it is styled by the theme's CSS
// variables directly (media/simulator.css) and needs no re-colouring.
//
// Layout, so that no two labels overlap (test/webview/panel.test.ts compares their boxes):
//   [time axis] [client labels] client | arrows and their labels | server [server labels]
// - Each row of the time axis is tall enough for the labels that start on it.
// - Labels of application calls, timers and holds go to their side's outer column, stacked in
//   time order; one pushed below its event gets a leader line back to it.
// - An arrow's label sits on the arrow, at the first of a few points along it where it touches no
//   other label; an arrow with no free point has none (its tooltip and the packet table have it).
// The width follows the panel (re-laid out on resize); the zoom stretches time, and "Fit" picks
// the zoom that fits the diagram in its box and shows that zoom.
import type { TraceEntry } from './results';
import { formatDuration } from './format';

const SVG = 'http://www.w3.org/2000/svg';
const PACKET_KINDS = new Set(['data', 'ack', 'window-update', 'probe', 'lost']);
/** The first this many trace entries are drawn; the packet table lists the same ones. */
export const LADDER_MAX_ENTRIES = 60;
const MIN_WIDTH = 560;
const TOP = 44;
/** Label font size (px); a stacked label takes LINE px, halo included. */
const FONT_PX = 11;
const LINE = 16;
/** Vertical pixels between two events at different times, at the least. */
const MIN_GAP = 18;
/** The time axis' labels end here; the client's label column starts a little after. */
const AXIS_RIGHT = 60;
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 256;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

type Side = 'client' | 'server';
function side(from: string): Side {
  return from === 'server' ? 'server' : 'client';
}
function other(s: Side): Side {
  return s === 'client' ? 'server' : 'client';
}

/** "ACK held 44.0 ms" → "held 44 ms" (the ACK itself is already named). */
function tidyNote(note: string | undefined): string | undefined {
  if (!note) return undefined;
  return note.split('; ').map((n) => n.replace(/^ACK held ([\d.]+) ms$/, (_m, v: string) => `held ${formatDuration(Number(v))}`)).join('; ');
}

/**
 * Every entry's label as the diagram shows it: short, each fact once ("ACK 87", "92 B seq 0 + ACK 20").
 * A data segment names its ACK only when it acknowledges something new (a piggy-backed ACK).
 */
export function entryLabels(entries: readonly TraceEntry[]): Map<TraceEntry, string> {
  const out = new Map<TraceEntry, string>();
  const lastAck = new Map<string, number>();
  for (const e of entries) {
    const k = `${e.from}/${e.channel}`;
    const note = tidyNote(e.note);
    let s: string;
    switch (e.kind) {
      case 'data': {
        const retrans = note?.includes('retransmission');
        s = `${retrans ? 'retransmit ' : ''}${e.len ?? '?'} B seq ${e.seq ?? '?'}`;
        if (e.ack !== undefined && e.ack > (lastAck.get(k) ?? 0)) s += ` + ACK ${e.ack}`;
        const rest = note?.split('; ').filter((n) => n !== 'retransmission').join('; ');
        if (rest) s += ` (${rest})`;
        break;
      }
      case 'ack':
        s = `ACK ${e.ack ?? '?'}`;
        if (e.win === 0) s += ', window 0';
        if (note) s += ` (${note})`;
        break;
      case 'window-update':
        s = `window update: ${e.win ?? '?'} B`;
        break;
      case 'probe':
        s = 'zero-window probe';
        break;
      case 'lost':
        s = e.len ? `lost: ${e.len} B seq ${e.seq ?? '?'}` : `lost: ACK ${e.ack ?? '?'}`;
        break;
      case 'app-send':
        s = `send(${e.len ?? '?'} B)`;
        break;
      case 'app-send-done':
        s = 'send() returns';
        break;
      case 'app-recv':
        s = `recv() → ${e.len ?? '?'} B`;
        break;
      case 'app-wouldblock':
        s = 'send() → WOULDBLOCK';
        break;
      case 'timer':
        s = `${e.note === 'delayed-ack' ? 'delayed-ACK' : e.note ?? ''} timer fires`.trim();
        break;
      case 'span':
        s = `${e.note ?? 'waiting'} ${formatDuration(e.time - (e.startTime ?? e.time))}`;
        break;
      default:
        s = e.note ? `${e.kind} (${e.note})` : e.kind;
    }
    if (e.ack !== undefined && (e.kind === 'data' || e.kind === 'ack' || e.kind === 'window-update')) lastAck.set(k, Math.max(lastAck.get(k) ?? 0, e.ack));
    out.set(e, e.channel ? `${s} [ch ${e.channel + 1}]` : s);
  }
  return out;
}

/** The full facts of one entry, for the packet table and tooltips. */
export function describeEntry(e: TraceEntry): string {
  const parts: string[] = [];
  if (e.seq !== undefined && e.kind !== 'app-send' && e.kind !== 'app-recv') parts.push(`seq ${e.seq}`);
  if (e.len !== undefined) parts.push(`${e.len} B`);
  if (e.ack !== undefined && PACKET_KINDS.has(e.kind)) parts.push(`ACK ${e.ack}`);
  if (e.win !== undefined) parts.push(`window ${e.win} B`);
  if (e.note) parts.push(e.note);
  return parts.join(', ');
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

interface Box { x0: number; y0: number; x1: number; y1: number }
const hits = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** A label of the outer columns: anchored at an event's row, on one side. */
interface OuterLabel { kind: 'span' | 'timer' | 'app'; side: Side; anchorT: number; endT?: number; text: string; title: string; cls: string }

export class Ladder {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly table: HTMLElement;
  private readonly zoomLabel: HTMLElement;
  private entries: TraceEntry[] = [];
  private oneWayMs = 0;
  private zoom = 1;
  private fitted = false;
  private renderedWidth = 0;
  private measureCtx: CanvasRenderingContext2D | null = null;
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
    mk('Fit', 'Fit the ladder diagram into its box', () => this.fit());
    mk('Reset', 'Reset the ladder diagram\'s zoom to 100%', () => this.setZoom(1));
    this.zoomLabel = document.createElement('span');
    this.zoomLabel.className = 'zoom-label';
    this.zoomLabel.setAttribute('aria-live', 'polite');
    bar.append(this.zoomLabel);
    this.scroller = document.createElement('div');
    this.scroller.className = 'ladder-scroll';
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('aria-label', 'Ladder diagram; + and - zoom, F fits, 0 resets, arrow keys scroll');
    this.scroller.addEventListener('keydown', (e) => {
      if (e.key === '+' || e.key === '=') { this.setZoom(this.zoom * 2); e.preventDefault(); }
      else if (e.key === '-' || e.key === '_') { this.setZoom(this.zoom / 2); e.preventDefault(); }
      else if (e.key === '0') { this.setZoom(1); e.preventDefault(); }
      else if (e.key === 'f' || e.key === 'F') { this.fit(); e.preventDefault(); }
    });
    this.scroller.addEventListener('wheel', (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      this.setZoom(this.zoom * (e.deltaY < 0 ? 1.25 : 0.8));
    }, { passive: false });
    // The width follows the panel: a resize lays the diagram out again (never wider than its box).
    if (typeof ResizeObserver === 'function') {
      let pending = false;
      new ResizeObserver(() => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => {
          pending = false;
          if (this.entries.length && Math.abs(this.availableWidth() - this.renderedWidth) >= 1) this.render();
        });
      }).observe(this.scroller);
    }
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
    this.fitted = false;
    this.render();
    this.renderTable();
  }

  setZoom(z: number): void {
    this.zoom = clampZoom(z);
    this.fitted = false;
    this.render();
    this.onZoom(this.zoom);
  }

  /** The largest zoom at which the whole diagram fits the box's height (or the smallest zoom if none does). */
  fit(): void {
    if (this.entries.length === 0) return;
    const box = this.viewportHeight();
    const model = this.rows();
    const heightAt = (z: number) => this.heightFor(model, z);
    let lo = MIN_ZOOM;
    let hi = MAX_ZOOM;
    if (heightAt(lo) > box) hi = lo;
    else {
      for (let i = 0; i < 40; i++) {
        const mid = Math.sqrt(lo * hi);
        if (heightAt(mid) <= box) lo = mid; else hi = mid;
      }
    }
    this.zoom = clampZoom(lo);
    this.fitted = true;
    this.render();
    this.onZoom(this.zoom);
  }

  get currentZoom(): number {
    return this.zoom;
  }

  /** "100%", "37%", "2.5%": the zoom the diagram is drawn at. */
  zoomText(): string {
    const p = this.zoom * 100;
    return `${p >= 10 ? Math.round(p) : Number(p.toFixed(1))}%`;
  }

  private viewportHeight(): number {
    const max = parseFloat(getComputedStyle(this.scroller).maxHeight);
    return Number.isFinite(max) && max > 0 ? max - 4 : Math.max(200, this.scroller.clientHeight - 4);
  }

  private availableWidth(): number {
    return Math.max(MIN_WIDTH, Math.floor(this.scroller.clientWidth) - 2 || 0);
  }

  /** A lost segment is drawn half-way and ends in a cross. */
  private arrival(e: TraceEntry): number {
    if (e.kind === 'lost') return e.time + this.oneWayMs / 2;
    return e.arriveTime ?? e.time + this.oneWayMs;
  }

  private textWidth(text: string, px = FONT_PX): number {
    if (!this.measureCtx) this.measureCtx = document.createElement('canvas').getContext('2d');
    const ctx = this.measureCtx;
    if (!ctx) return text.length * px * 0.6;
    const family = getComputedStyle(this.scroller).getPropertyValue('--vscode-font-family').trim() || 'sans-serif';
    ctx.font = `${px}px ${family}`;
    return ctx.measureText(text).width;
  }

  /** `text` cut with an ellipsis to fit `max` pixels. */
  private fitText(text: string, max: number): string {
    if (this.textWidth(text) <= max) return text;
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.textWidth(`${text.slice(0, mid)}…`) <= max) lo = mid; else hi = mid - 1;
    }
    return lo > 0 ? `${text.slice(0, lo)}…` : '';
  }

  /** The outer-column labels, and the rows (distinct times) with the room each needs below it. */
  private rows(): { times: number[]; need: number[]; outer: OuterLabel[] } {
    const es = this.entries;
    const labels = entryLabels(es);
    const outer: OuterLabel[] = [];
    const instants = new Map<string, OuterLabel>();
    // Spans of one kind that start together (a burst of segments all waiting for the window) are
    // one bar and one label: "waiting to send 80 ms (20 segments)".
    const spanGroups = new Map<string, { e: TraceEntry; end: number; n: number }>();
    for (const e of es) {
      if (e.kind !== 'span' || e.startTime === undefined) continue;
      const key = `${e.from}@${e.startTime}@${e.note}`;
      const g = spanGroups.get(key);
      if (g) {
        g.end = Math.max(g.end, e.time);
        g.n++;
      } else spanGroups.set(key, { e, end: e.time, n: 1 });
    }
    for (const { e, end, n } of spanGroups.values()) {
      const start = e.startTime!;
      const text = `${e.note ?? 'waiting'} ${n > 1 ? 'up to ' : ''}${formatDuration(end - start)}${n > 1 ? ` (${n} segments)` : ''}`;
      outer.push({ kind: 'span', side: side(e.from), anchorT: start, endT: end, text, title: `${e.from}: ${text}`, cls: `timer span ${timerClass(e)}` });
    }
    for (const e of es) {
      const s = side(e.from);
      const label = labels.get(e)!;
      if (PACKET_KINDS.has(e.kind) || e.kind === 'span') continue;
      // Instants on one side at one moment share a label ("send() returns; send(20 B)").
      const key = `${s}@${e.time}`;
      const cur = instants.get(key);
      if (cur) {
        cur.text += `; ${label}`;
        cur.title += `; ${label}`;
        if (e.kind === 'timer') {
          cur.kind = 'timer';
          cur.cls = `timer ${timerClass(e)}`;
        }
      } else {
        const timer = e.kind === 'timer';
        const o: OuterLabel = { kind: timer ? 'timer' : 'app', side: s, anchorT: e.time, text: label, title: `${e.from}: ${label}`, cls: timer ? `timer ${timerClass(e)}` : `app app-${e.kind}` };
        instants.set(key, o);
        outer.push(o);
      }
    }
    const keys: number[] = [];
    for (const e of es) {
      keys.push(e.time);
      if (e.startTime !== undefined) keys.push(e.startTime);
      if (PACKET_KINDS.has(e.kind)) keys.push(this.arrival(e));
    }
    const times = [...new Set(keys)].sort((a, b) => a - b);
    const index = new Map(times.map((t, i) => [t, i]));
    const count = { client: new Array<number>(times.length).fill(0), server: new Array<number>(times.length).fill(0) };
    for (const o of outer) count[o.side][index.get(o.anchorT)!]++;
    const need = times.map((_, i) => Math.max(MIN_GAP, Math.max(count.client[i]!, count.server[i]!) * LINE));
    return { times, need, outer };
  }

  /** Row positions: the longest gap gets 120 px × zoom, the others their share, each row at least the room it needs. */
  private rowY(model: { times: number[]; need: number[] }, zoom: number): number[] {
    const { times, need } = model;
    let maxGap = 0;
    for (let i = 1; i < times.length; i++) maxGap = Math.max(maxGap, times[i]! - times[i - 1]!);
    const pxPerMs = maxGap > 0 ? (120 * zoom) / maxGap : 0;
    const ys: number[] = [TOP];
    for (let i = 1; i < times.length; i++) ys.push(ys[i - 1]! + Math.max(need[i - 1]!, (times[i]! - times[i - 1]!) * pxPerMs));
    return ys;
  }

  private heightFor(model: { times: number[]; need: number[] }, zoom: number): number {
    const ys = this.rowY(model, zoom);
    return Math.ceil(ys[ys.length - 1]! + model.need[model.need.length - 1]! + 24);
  }

  private render(): void {
    const es = this.entries;
    this.zoomLabel.textContent = this.fitted ? `${this.zoomText()} (fit)` : this.zoomText();
    this.zoomLabel.dataset.zoom = String(this.zoom);
    if (es.length === 0) {
      const p = document.createElement('p');
      p.className = 'empty';
      p.textContent = 'No packets to draw.';
      this.scroller.replaceChildren(p);
      return;
    }
    const width = this.availableWidth();
    this.renderedWidth = width;
    const col = { client: Math.round(AXIS_RIGHT + (width - AXIS_RIGHT) * 0.3), server: Math.round(AXIS_RIGHT + (width - AXIS_RIGHT) * 0.7) };
    const model = this.rows();
    const ys = this.rowY(model, this.zoom);
    const rowOf = new Map(model.times.map((t, i) => [t, i]));
    const y = (t: number): number => {
      const i = rowOf.get(t);
      if (i !== undefined) return ys[i]!;
      // Between rows (never needed for drawn events), linear between the neighbours.
      const j = model.times.findIndex((x) => x > t);
      if (j <= 0) return ys[j < 0 ? ys.length - 1 : 0]!;
      const f = (t - model.times[j - 1]!) / (model.times[j]! - model.times[j - 1]!);
      return ys[j - 1]! + f * (ys[j]! - ys[j - 1]!);
    };
    const t0 = model.times[0]!;
    const t1 = model.times[model.times.length - 1]!;
    const height = this.heightFor(model, this.zoom);
    const svg = el('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
    svg.setAttribute('aria-label', `Ladder diagram of the first ${es.length} events over ${formatDuration(t1 - t0)}; the packet table below lists them`);
    const defs = el('defs', {});
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
    defs.append(marker);
    svg.append(defs);
    const layers = { grid: el('g', { class: 'grid-layer' }), shapes: el('g', {}), labels: el('g', { class: 'labels' }) };
    svg.append(layers.grid, layers.shapes, layers.labels);

    // Time axis: a label for each row that has room and reads differently from the one above.
    let lastTick = -Infinity;
    let lastText = '';
    model.times.forEach((t, i) => {
      const yy = ys[i]!;
      const text = axisTime(t - t0);
      if (yy - lastTick < LINE || text === lastText) return;
      lastTick = yy;
      lastText = text;
      layers.grid.append(el('line', { x1: AXIS_RIGHT + 4, x2: width - 2, y1: yy, y2: yy, class: 'grid' }));
      layers.labels.append(el('text', { x: AXIS_RIGHT - 2, y: yy + 4, class: 'tick', 'text-anchor': 'end' }, this.fitText(text, AXIS_RIGHT - 4)));
    });
    for (const s of ['client', 'server'] as const) {
      layers.grid.append(el('line', { x1: col[s], x2: col[s], y1: TOP - 10, y2: height - 10, class: 'lifeline' }));
      layers.labels.append(el('text', { x: col[s], y: 22, class: 'endpoint', 'text-anchor': 'middle' }, s));
    }

    // Outer columns: stacked in time order, never over each other.
    const bounds = { client: { from: AXIS_RIGHT + 8, to: col.client - 14 }, server: { from: col.server + 14, to: width - 4 } };
    for (const s of ['client', 'server'] as const) {
      let cursor = -Infinity;
      const mine = model.outer.filter((o) => o.side === s).sort((a, b) => a.anchorT - b.anchorT);
      for (const o of mine) {
        const anchor = y(o.anchorT);
        const at = Math.max(anchor, cursor);
        cursor = at + LINE;
        const g = el('g', { class: o.cls });
        const x = col[s];
        if (o.kind === 'span') {
          // The bar beside the lifeline, from the span's start to its end.
          g.append(el('rect', { x: x + (s === 'client' ? -11 : 5), y: anchor, width: 6, height: Math.max(2, y(o.endT ?? o.anchorT) - anchor) }));
        } else if (o.kind === 'timer') {
          g.append(el('rect', { x: x - 4, y: anchor - 4, width: 8, height: 8 }));
        } else {
          g.append(el('circle', { cx: x, cy: anchor, r: 3.5 }));
        }
        const room = bounds[s].to - bounds[s].from;
        const text = this.fitText(o.text, room);
        const tx = s === 'client' ? bounds[s].to : bounds[s].from;
        if (at - anchor > 1) g.append(el('line', { x1: s === 'client' ? tx + 2 : tx - 2, y1: at, x2: s === 'client' ? x - 6 : x + 6, y2: anchor, class: 'leader' }));
        g.append(el('title', {}, `${formatDuration(o.anchorT - t0)}: ${o.title}`));
        layers.shapes.append(g);
        if (text) layers.labels.append(el('text', { x: tx, y: at + 4, 'text-anchor': s === 'client' ? 'end' : 'start', class: `label label-${o.kind}` }, text));
      }
    }

    // Arrows, with their labels placed where they touch no other label.
    const placed: Box[] = [];
    const labels = entryLabels(es);
    const middle = { from: col.client + 6, to: col.server - 6 };
    for (const e of es) {
      if (!PACKET_KINDS.has(e.kind)) continue;
      const from = side(e.from);
      const x1 = col[from];
      const x2 = col[other(from)];
      const ya = y(e.time);
      const yb = y(this.arrival(e));
      const lost = e.kind === 'lost';
      const xEnd = lost ? (x1 + x2) / 2 : x2;
      const g = el('g', { class: `pkt pkt-${e.kind}` });
      g.append(
        el('line', { x1, y1: ya, x2: xEnd, y2: yb, 'marker-end': 'url(#arrow)' }),
        el('title', {}, `${formatDuration(e.time - t0)}: ${e.from} sends ${labels.get(e)}${describeEntry(e) ? ` (${describeEntry(e)})` : ''}`),
      );
      layers.shapes.append(g);
      if (lost) {
        const box = { x0: xEnd - 6, y0: yb - 6, x1: xEnd + 6, y1: yb + 8 };
        placed.push(box);
        layers.labels.append(el('text', { x: xEnd, y: yb + 5, 'text-anchor': 'middle', class: 'lost-mark' }, '✕'));
      }
      const text = this.fitText(labels.get(e)!, middle.to - middle.from - 4);
      if (!text) continue;
      const w = this.textWidth(text);
      for (const f of [0.5, 0.35, 0.65, 0.2, 0.8]) {
        const cx = x1 + f * (xEnd - x1);
        const cy = ya + f * (yb - ya);
        const left = Math.min(Math.max(cx - w / 2, middle.from), middle.to - w);
        const box = { x0: left - 2, y0: cy - 3 - FONT_PX - 2, x1: left + w + 2, y1: cy - 3 + 4 };
        if (placed.some((b) => hits(b, box))) continue;
        placed.push(box);
        layers.labels.append(el('text', { x: left, y: cy - 3, class: `label pkt-label pkt-${e.kind}` }, text));
        break;
      }
    }
    this.scroller.replaceChildren(svg);
  }

  private renderTable(): void {
    const labels = entryLabels(this.entries);
    const t0 = this.entries.length ? Math.min(...this.entries.map((e) => e.startTime ?? e.time)) : 0;
    const table = document.createElement('table');
    const cap = document.createElement('caption');
    cap.textContent = 'The first packets, application calls and timers';
    table.append(cap);
    const head = table.createTHead().insertRow();
    for (const h of ['Time', 'From', 'What', 'Details']) {
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
      for (const v of [when, e.from, labels.get(e) ?? e.kind, describeEntry(e)]) tr.insertCell().textContent = v;
    }
    this.table.replaceChildren(table);
  }
}

/** Axis times, short enough for the axis: "0.90 µs", "0.25 ms", "41 ms". */
function axisTime(ms: number): string {
  return ms > 0 && ms < 0.01 ? `${(ms * 1000).toPrecision(2)} µs` : formatDuration(ms);
}

function clampZoom(z: number): number {
  return Number.isFinite(z) ? Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z)) : 1;
}
