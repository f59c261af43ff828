// The scenario form: one @vscode-elements control per scenario field. An empty number field
// means "the profile's default" (the field is left out of the scenario). The form never throws on
// bad input: it marks the field invalid and reports the problem through `onChange`.
import { DEFAULT_PROFILE, PATTERNS, PROFILE_HEADLINES, PROFILE_NAMES, type Pattern, type Scenario } from '../src/common/scenario';

type Path = readonly string[];

interface Base { path: Path; label: string; help?: string; patterns?: readonly Pattern[] }
interface NumberField extends Base { kind: 'number'; min?: number; max?: number; step?: number; integer?: boolean }
interface BoolField extends Base { kind: 'bool' }
interface SelectField extends Base { kind: 'select'; options: readonly { value: string; label: string }[] }
/** A size: one number, or "min-max" drawn uniformly. */
interface SizeField extends Base { kind: 'size' }
/** A list of sizes: "10, 100" or "20-40, 100". */
interface SizeListField extends Base { kind: 'size-list' }
interface TextField extends Base { kind: 'text' }
type Field = NumberField | BoolField | SelectField | SizeField | SizeListField | TextField;

const MESSAGES: readonly Pattern[] = ['records', 'request-response', 'write-write-read', 'two-channel'];
const REPLIES: readonly Pattern[] = ['request-response', 'write-write-read', 'two-channel'];

export interface Section { title: string; fields: readonly Field[] }

export const SECTIONS: readonly Section[] = [
  {
    title: 'Link',
    fields: [
      { kind: 'text', path: ['title'], label: 'Title (used in the headline)' },
      { kind: 'select', path: ['profile'], label: 'OS profile', options: PROFILE_NAMES.map((p) => ({ value: p, label: PROFILE_HEADLINES[p].label })) },
      { kind: 'number', path: ['link', 'rttMs'], label: 'RTT (ms)', min: 0, step: 0.1 },
      { kind: 'number', path: ['link', 'bandwidthMbps'], label: 'Bandwidth (Mbit/s)', min: 0.001 },
      { kind: 'number', path: ['link', 'mss'], label: 'MSS (bytes)', min: 88, max: 65495, integer: true },
      { kind: 'number', path: ['link', 'lossRate'], label: 'Loss rate (0–1)', min: 0, max: 1, step: 0.001 },
      { kind: 'number', path: ['link', 'seed'], label: 'Random seed', integer: true },
    ],
  },
  {
    title: 'Client (sender)',
    fields: [
      { kind: 'bool', path: ['client', 'nodelay'], label: 'TCP_NODELAY (Nagle off)' },
      { kind: 'number', path: ['client', 'sndbuf'], label: 'SO_SNDBUF (bytes)', min: 0, integer: true, help: '0 = a send completes when ACKed (Windows)' },
      { kind: 'number', path: ['client', 'rcvbuf'], label: 'SO_RCVBUF (bytes)', min: 0, integer: true },
      { kind: 'number', path: ['client', 'callCostUs'], label: 'Cost per send/recv call (µs)', min: 0, max: 1000, step: 0.1, help: 'the application\'s own time in each call' },
    ],
  },
  {
    title: 'Server (receiver)',
    fields: [
      { kind: 'bool', path: ['server', 'nodelay'], label: 'TCP_NODELAY (Nagle off)' },
      { kind: 'number', path: ['server', 'sndbuf'], label: 'SO_SNDBUF (bytes)', min: 0, integer: true },
      { kind: 'number', path: ['server', 'rcvbuf'], label: 'SO_RCVBUF (bytes)', min: 0, integer: true },
      { kind: 'bool', path: ['server', 'rcvbufAfterAccept'], label: 'SO_RCVBUF set after accept()' },
      { kind: 'bool', path: ['server', 'quickack'], label: 'TCP_QUICKACK after every read' },
      { kind: 'number', path: ['server', 'callCostUs'], label: 'Cost per send/recv call (µs)', min: 0, max: 1000, step: 0.1 },
    ],
  },
  {
    title: 'Workload',
    fields: [
      { kind: 'select', path: ['workload', 'pattern'], label: 'Pattern', options: PATTERNS.map((p) => ({ value: p, label: p })) },
      { kind: 'number', path: ['workload', 'count'], label: 'Count (records / requests)', min: 1, max: 1_000_000, integer: true, patterns: MESSAGES },
      { kind: 'size', path: ['workload', 'sizeBytes'], label: 'Size (bytes, or min-max)', patterns: ['records', 'request-response', 'two-channel'] },
      { kind: 'number', path: ['workload', 'batch'], label: 'Records per send', min: 1, integer: true, patterns: ['records'] },
      { kind: 'size-list', path: ['workload', 'writes'], label: 'Sends per request (bytes each)', patterns: ['write-write-read'] },
      { kind: 'number', path: ['workload', 'responseBytes'], label: 'Response (bytes)', min: 0, integer: true, patterns: REPLIES },
      { kind: 'number', path: ['workload', 'recvBufferBytes'], label: 'recv() buffer (bytes)', min: 1, integer: true },
      { kind: 'number', path: ['workload', 'totalBytes'], label: 'Total (bytes)', min: 1, integer: true, patterns: ['bulk'] },
      { kind: 'number', path: ['workload', 'writeBytes'], label: 'Bytes per send', min: 1, integer: true, patterns: ['bulk'] },
      { kind: 'number', path: ['workload', 'thinkTimeMs'], label: 'Think time (ms)', min: 0, patterns: MESSAGES },
      { kind: 'number', path: ['workload', 'overlappedSends'], label: 'Overlapped sends outstanding', min: 1, max: 64, integer: true, patterns: ['records', 'bulk'] },
      { kind: 'number', path: ['workload', 'readDelayMs'], label: 'Receiver pause before recv() (ms)', min: 0 },
      { kind: 'bool', path: ['workload', 'nonBlocking'], label: 'Non-blocking sends' },
    ],
  },
];

function getAt(obj: unknown, path: Path): unknown {
  let cur = obj;
  for (const k of path) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Sets (or with `undefined`, removes) a value, creating the parent objects it needs. */
function setAt(obj: Record<string, unknown>, path: Path, value: unknown): void {
  let cur = obj;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

function sizeToText(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.length === 2) return `${v[0]}-${v[1]}`;
  return '';
}

/** "100" -> 100, "20-100" -> [20, 100]; otherwise an error message. */
export function parseSize(text: string): { ok: true; value: number | [number, number] } | { ok: false; error: string } {
  const t = text.trim();
  const one = /^\d+$/.exec(t);
  if (one) return { ok: true, value: Number(t) };
  const range = /^(\d+)\s*[-–]\s*(\d+)$/.exec(t);
  if (range) {
    const a = Number(range[1]);
    const b = Number(range[2]);
    if (a > b) return { ok: false, error: `min ${a} is above max ${b}` };
    return { ok: true, value: a === b ? a : [a, b] };
  }
  return { ok: false, error: 'a size is a whole number of bytes, or min-max' };
}

export function parseSizeList(text: string): { ok: true; value: (number | [number, number])[] } | { ok: false; error: string } {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return { ok: false, error: 'at least one send size' };
  const out: (number | [number, number])[] = [];
  for (const p of parts) {
    const r = parseSize(p);
    if (!r.ok) return r;
    out.push(r.value);
  }
  return { ok: true, value: out };
}

export function parseNumberField(f: NumberField, text: string): { ok: true; value: number | undefined } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: true, value: undefined };
  const n = Number(t);
  if (!Number.isFinite(n)) return { ok: false, error: 'not a number' };
  if (f.integer && !Number.isInteger(n)) return { ok: false, error: 'must be a whole number' };
  if (f.min !== undefined && n < f.min) return { ok: false, error: `at least ${f.min}` };
  if (f.max !== undefined && n > f.max) return { ok: false, error: `at most ${f.max}` };
  return { ok: true, value: n };
}

export interface FormProblem { path: string; message: string }

/** One form, bound to one scenario. `onChange` gets the edited scenario, or the fields that do not parse. */
export class ScenarioForm {
  readonly element: HTMLElement;
  private scenario: Scenario;
  private readonly rows = new Map<string, { field: Field; row: HTMLElement; control: HTMLElement & { value?: string; checked?: boolean; invalid?: boolean } }>();
  private readonly problems = new Map<string, string>();

  constructor(idPrefix: string, scenario: Scenario, private readonly onChange: (s: Scenario, problems: FormProblem[]) => void) {
    this.scenario = structuredClone(scenario);
    this.element = document.createElement('div');
    this.element.className = 'scenario-form';
    for (const section of SECTIONS) {
      const fs = document.createElement('fieldset');
      const legend = document.createElement('legend');
      legend.textContent = section.title;
      fs.append(legend);
      for (const field of section.fields) fs.append(this.buildRow(idPrefix, field));
      this.element.append(fs);
    }
    this.refresh();
  }

  private buildRow(idPrefix: string, field: Field): HTMLElement {
    const key = field.path.join('.');
    const id = `${idPrefix}-${field.path.join('-')}`;
    const row = document.createElement('div');
    row.className = `field field-${field.kind}`;
    row.dataset.path = key;
    let control: HTMLElement & { value?: string; checked?: boolean; invalid?: boolean };
    if (field.kind === 'bool') {
      const cb = document.createElement('vscode-checkbox');
      cb.id = id;
      cb.label = field.label;
      cb.addEventListener('change', () => this.commit(field, cb.checked ? 'true' : ''));
      control = cb;
      row.append(cb);
    } else {
      const label = document.createElement('vscode-label');
      label.htmlFor = id;
      label.textContent = field.label;
      row.append(label);
      if (field.kind === 'select') {
        const sel = document.createElement('vscode-single-select');
        sel.id = id;
        sel.setAttribute('aria-label', field.label);
        for (const o of field.options) {
          const opt = document.createElement('vscode-option');
          opt.value = o.value;
          opt.textContent = o.label;
          sel.append(opt);
        }
        sel.addEventListener('change', () => this.commit(field, sel.value));
        control = sel;
      } else {
        const tf = document.createElement('vscode-textfield');
        tf.id = id;
        tf.label = field.label;
        tf.placeholder = field.kind === 'number' ? 'default' : field.kind === 'size' ? 'e.g. 20-100' : field.kind === 'text' ? '' : 'e.g. 10, 100';
        tf.addEventListener('input', () => this.commit(field, tf.value));
        control = tf;
      }
      row.append(control);
    }
    if (field.help) {
      const help = document.createElement('div');
      help.className = 'help';
      help.textContent = field.help;
      row.append(help);
    }
    const err = document.createElement('div');
    err.className = 'field-error';
    err.setAttribute('role', 'alert');
    row.append(err);
    this.rows.set(key, { field, row, control });
    return row;
  }

  private commit(field: Field, text: string): void {
    const key = field.path.join('.');
    const target = this.scenario as unknown as Record<string, unknown>;
    let error: string | undefined;
    switch (field.kind) {
      case 'bool':
        setAt(target, field.path, text === 'true');
        break;
      case 'select':
        setAt(target, field.path, text === '' ? undefined : text);
        break;
      case 'text':
        setAt(target, field.path, text.trim() === '' ? undefined : text.slice(0, 200));
        break;
      case 'number': {
        const r = parseNumberField(field, text);
        if (r.ok) setAt(target, field.path, r.value);
        else error = r.error;
        break;
      }
      case 'size': {
        if (text.trim() === '') { setAt(target, field.path, undefined); break; }
        const r = parseSize(text);
        if (r.ok) setAt(target, field.path, r.value);
        else error = r.error;
        break;
      }
      case 'size-list': {
        if (text.trim() === '') { setAt(target, field.path, undefined); break; }
        const r = parseSizeList(text);
        if (r.ok) setAt(target, field.path, r.value);
        else error = r.error;
        break;
      }
    }
    if (error) this.problems.set(key, error);
    else this.problems.delete(key);
    this.showProblem(key, error);
    if (field.path.join('.') === 'workload.pattern') this.updateVisibility();
    this.onChange(structuredClone(this.scenario), [...this.problems].map(([path, message]) => ({ path, message })));
  }

  private showProblem(key: string, message: string | undefined): void {
    const r = this.rows.get(key);
    if (!r) return;
    r.control.invalid = !!message;
    r.row.querySelector('.field-error')!.textContent = message ?? '';
  }

  /** Marks fields the simulator's validation rejected (paths like "link.rttMs" or "/link/rttMs"). */
  markErrors(errors: readonly FormProblem[]): void {
    for (const [key] of this.rows) if (!this.problems.has(key)) this.showProblem(key, undefined);
    for (const e of errors) {
      const key = e.path.replace(/^\//, '').replace(/\//g, '.').replace(/\[\d+\]$/, '').replace(/\.\d+$/, '');
      if (this.rows.has(key)) this.showProblem(key, e.message);
    }
  }

  /**
   * Shows what an empty field stands for, from the simulator's normalized scenario (the profile's
   * defaults filled in): "default 8192".
   */
  showDefaults(normalized: unknown): void {
    for (const { field, control } of this.rows.values()) {
      if (field.kind === 'bool' || field.kind === 'select' || field.kind === 'text') continue;
      const v = getAt(normalized, field.path);
      const text = v === null ? 'OS default' : field.kind === 'number' && typeof v === 'number' ? `default ${v}` : Array.isArray(v) && field.kind === 'size' ? `default ${sizeToText(v[0] === v[1] ? v[0] : v)}` : undefined;
      if (text) (control as unknown as { placeholder: string }).placeholder = text;
    }
  }

  /** Shows another scenario (a preset, a restored state) without firing `onChange`. */
  setScenario(s: Scenario): void {
    this.scenario = structuredClone(s);
    this.problems.clear();
    this.refresh();
  }

  private refresh(): void {
    for (const [key, { field, control }] of this.rows) {
      const v = getAt(this.scenario, field.path);
      this.showProblem(key, undefined);
      if (field.kind === 'bool') control.checked = v === true;
      else if (field.kind === 'select') control.value = typeof v === 'string' ? v : (field.path[0] === 'profile' ? DEFAULT_PROFILE : field.options[0]!.value);
      else if (field.kind === 'number') control.value = typeof v === 'number' ? String(v) : '';
      else if (field.kind === 'size') control.value = sizeToText(v);
      else if (field.kind === 'text') control.value = typeof v === 'string' ? v : '';
      else control.value = Array.isArray(v) ? v.map(sizeToText).join(', ') : '';
    }
    this.updateVisibility();
  }

  private updateVisibility(): void {
    const pattern = this.scenario.workload?.pattern;
    for (const { field, row } of this.rows.values()) {
      row.hidden = !!field.patterns && !!pattern && !field.patterns.includes(pattern);
    }
  }
}
