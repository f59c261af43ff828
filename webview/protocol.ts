// The messages between the simulator panel (webview) and the extension host, in both directions.
// Both sides treat what arrives as untrusted: every message goes through a parse function here,
// and a message that does not parse is reported, never thrown. No DOM and no `vscode` import, so
// the extension host, the webview and the unit tests all share this file.

/** What the extension hands to the panel: the finding's scenario, its fixed twin, a title. */
export interface PanelInput {
  /** Unvalidated on purpose: the panel validates scenarios and shows the errors. */
  scenario?: unknown;
  fixedScenario?: unknown;
  title?: string;
  /** The `socklint.simulator.link` setting: the link preset both runs are simulated on. Checked by the panel. */
  link?: unknown;
}

export type HostMessage =
  /** The reply to `ready`. `input` is absent when the panel was opened without a finding. */
  | { type: 'init'; input?: PanelInput }
  /** A new finding shown in an already open panel. */
  | { type: 'load'; input: PanelInput }
  /** What happened to an export the panel asked for. */
  | { type: 'exported'; ok: boolean; message: string }
  /** The `socklint.simulator.link` setting changed (checked by the panel). */
  | { type: 'link'; link: string };

export const EXPORT_FORMATS = ['json', 'csv', 'png'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type PanelMessage =
  | { type: 'ready' }
  /** `data` is text for json/csv and base64 (no data: prefix) for png. */
  | { type: 'export'; format: ExportFormat; fileName: string; data: string }
  /** A problem the panel showed to the user, mirrored to the extension's log. */
  | { type: 'problem'; message: string }
  /** What the panel shows now (a finding, a preset): the editor tab's title follows it. */
  | { type: 'title'; title: string };

/** Exports bigger than this are refused: 10,000 messages of CSV are well under 2 MB. */
export const MAX_EXPORT_CHARS = 32 * 1024 * 1024;
const MAX_TEXT = 2000;
/** An editor tab shows about this much; the rest would only be cut off. */
const MAX_TITLE = 120;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseInput(v: unknown): Parsed<PanelInput> {
  if (!isRecord(v)) return { ok: false, error: 'input must be an object' };
  if (v.title !== undefined && (typeof v.title !== 'string' || v.title.length > MAX_TEXT)) {
    return { ok: false, error: 'input.title must be a short string' };
  }
  const input: PanelInput = {};
  if (v.scenario !== undefined) input.scenario = v.scenario;
  if (v.fixedScenario !== undefined) input.fixedScenario = v.fixedScenario;
  if (typeof v.title === 'string') input.title = v.title;
  if (v.link !== undefined) input.link = v.link;
  return { ok: true, value: input };
}

/** Used by the panel on every `message` event. */
export function parseHostMessage(data: unknown): Parsed<HostMessage> {
  if (!isRecord(data) || typeof data.type !== 'string') return { ok: false, error: 'message without a type' };
  switch (data.type) {
    case 'init': {
      if (data.input === undefined) return { ok: true, value: { type: 'init' } };
      const input = parseInput(data.input);
      return input.ok ? { ok: true, value: { type: 'init', input: input.value } } : input;
    }
    case 'load': {
      const input = parseInput(data.input);
      return input.ok ? { ok: true, value: { type: 'load', input: input.value } } : input;
    }
    case 'exported':
      if (typeof data.ok !== 'boolean' || typeof data.message !== 'string') return { ok: false, error: 'malformed "exported" message' };
      return { ok: true, value: { type: 'exported', ok: data.ok, message: data.message.slice(0, MAX_TEXT) } };
    case 'link':
      if (typeof data.link !== 'string') return { ok: false, error: 'malformed "link" message' };
      return { ok: true, value: { type: 'link', link: data.link.slice(0, 100) } };
    default:
      return { ok: false, error: `unknown message type "${data.type.slice(0, 40)}"` };
  }
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Used by the extension host on every message from the panel. */
export function parsePanelMessage(data: unknown): Parsed<PanelMessage> {
  if (!isRecord(data) || typeof data.type !== 'string') return { ok: false, error: 'message without a type' };
  switch (data.type) {
    case 'ready':
      return { ok: true, value: { type: 'ready' } };
    case 'problem':
      if (typeof data.message !== 'string') return { ok: false, error: 'malformed "problem" message' };
      return { ok: true, value: { type: 'problem', message: data.message.slice(0, MAX_TEXT) } };
    case 'title':
      if (typeof data.title !== 'string' || data.title.trim() === '') return { ok: false, error: 'malformed "title" message' };
      return { ok: true, value: { type: 'title', title: data.title.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE) } };
    case 'export': {
      const { format, fileName, data: body } = data;
      if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format)) return { ok: false, error: 'unknown export format' };
      if (typeof fileName !== 'string' || !FILE_NAME.test(fileName) || !fileName.endsWith(`.${format}`)) {
        return { ok: false, error: 'export file name must be a plain name ending in the format' };
      }
      if (typeof body !== 'string' || body.length === 0 || body.length > MAX_EXPORT_CHARS) return { ok: false, error: 'export data missing or too large' };
      if (format === 'png' && !BASE64.test(body)) return { ok: false, error: 'png export must be base64' };
      return { ok: true, value: { type: 'export', format: format as ExportFormat, fileName, data: body } };
    }
    default:
      return { ok: false, error: `unknown message type "${data.type.slice(0, 40)}"` };
  }
}
