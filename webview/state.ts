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
  /**
   * Both runs share the OS profile, the link and the application's cost per call, so the
   * comparison is like with like; the user may unlink them on purpose (the panel then says so).
   */
  shared: boolean;
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
    state: {
      v: 1, source, runs: [raw.runs[0] as Scenario, raw.runs[1] as Scenario], tab: runIndex(raw.tab), ladderRun: runIndex(raw.ladderRun), ladderZoom: zoom,
      shared: raw.shared !== false,
    },
  };
}

export { comparisonFor, nodelayVariant, sameConditions, withConditionsOf } from '../src/common/comparison';

/** A file name for exports: "As written" -> "as-written". */
export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'scenario';
}
