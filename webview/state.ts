// What the panel remembers across hide/show and window reloads (vscode.setState), and how a
// remembered or received value is checked before use. Pure: no DOM.
import type { Scenario } from '../src/common/scenario';

export type RunIndex = 0 | 1;

export interface PanelState {
  v: 1;
  /** Where the two scenarios came from: a finding (with its title) or a preset. */
  source: { kind: 'finding'; title?: string } | { kind: 'preset'; id: string };
  /** As written, and with the fix, exactly as the user last edited them. */
  runs: [Scenario, Scenario];
  /** The scenario tab being edited, and the run the ladder diagram shows. */
  tab: RunIndex;
  ladderRun: RunIndex;
  ladderZoom: number;
}

export const RUN_FALLBACK_TITLES: [string, string] = ['As written', 'With the fix'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Whether a value can at least be shown in the form: an object with a workload object. Whether
 * its fields make sense is the simulator's validateScenario's job, and its errors are shown.
 */
export function isFormShaped(v: unknown): v is Scenario {
  return isRecord(v) && isRecord(v.workload);
}

const runIndex = (v: unknown): RunIndex => (v === 1 ? 1 : 0);

/** The saved state, or why it cannot be used. */
export function parseState(raw: unknown): { ok: true; state: PanelState } | { ok: false; error: string } | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isRecord(raw) || raw.v !== 1) return { ok: false, error: 'the saved panel state is from another version' };
  const src = raw.source;
  let source: PanelState['source'];
  if (isRecord(src) && src.kind === 'preset' && typeof src.id === 'string') source = { kind: 'preset', id: src.id };
  else if (isRecord(src) && src.kind === 'finding') source = { kind: 'finding', title: typeof src.title === 'string' ? src.title : undefined };
  else return { ok: false, error: 'the saved panel state has no source' };
  if (!Array.isArray(raw.runs) || raw.runs.length !== 2 || !raw.runs.every(isFormShaped)) {
    return { ok: false, error: 'the saved panel state has no scenarios' };
  }
  const zoom = typeof raw.ladderZoom === 'number' && Number.isFinite(raw.ladderZoom) ? raw.ladderZoom : 1;
  return {
    ok: true,
    state: { v: 1, source, runs: [raw.runs[0] as Scenario, raw.runs[1] as Scenario], tab: runIndex(raw.tab), ladderRun: runIndex(raw.ladderRun), ladderZoom: zoom },
  };
}

/** Nagle off on both sides and SO_SNDBUF back to the OS default. */
export function nodelayVariant(s: Scenario): Scenario {
  const v = structuredClone(s);
  v.title = s.client?.sndbuf === 0 || s.server?.sndbuf === 0 ? 'With TCP_NODELAY and the default SO_SNDBUF' : 'With TCP_NODELAY';
  v.client = { ...v.client, nodelay: true };
  v.server = { ...v.server, nodelay: true };
  if (v.client.sndbuf === 0) delete v.client.sndbuf;
  if (v.server.sndbuf === 0) delete v.server.sndbuf;
  return v;
}

/**
 * The comparison run when only one scenario is known (a preset, or a finding without a fix): the
 * fix the Winsock article (KB214397) gives for the pattern. Small messages: Nagle off and no
 * SO_SNDBUF = 0. Two channels: one connection, so the ACK rides on the reply. Bulk: buffers of
 * twice the bandwidth-delay product, set before connect so the window can scale.
 */
export function comparisonFor(s: Scenario): Scenario {
  const w = s.workload;
  if (w.pattern === 'two-channel') {
    const v = structuredClone(s);
    v.title = 'On one connection (request and reply share it)';
    v.workload = { ...v.workload, pattern: 'request-response' };
    return v;
  }
  if (w.pattern === 'bulk') {
    const rtt = s.link?.rttMs ?? 20;
    const mbps = s.link?.bandwidthMbps ?? 1000;
    const buf = Math.min(1 << 30, Math.max(65536, Math.ceil((2 * rtt * mbps * 1000) / 8)));
    const v = structuredClone(s);
    v.title = `With ${buf >= 1 << 20 ? `${Math.round(buf / (1 << 20))} MiB` : `${Math.round(buf / 1024)} KiB`} socket buffers set before connect`;
    v.client = { ...v.client, sndbuf: buf };
    v.server = { ...v.server, rcvbuf: buf, rcvbufAfterAccept: false };
    return v;
  }
  return nodelayVariant(s);
}

/** A file name for exports: "As written" -> "as-written". */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'scenario';
}
