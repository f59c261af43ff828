// How the simulator compares two runs of a pattern, shared by the panel and the CodeLens so both
// show the same numbers: the fix to compare with when a finding or preset gives none, and the
// conditions (OS profile, link, application cost per call) that both runs must share to be a fair
// comparison. Pure functions over scenarios.
import { linkPresetFor, withLinkPreset } from './link';
import type { Scenario } from './scenario';

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

/** The parts of a scenario that describe where it runs rather than what the code does. */
const SIDES = ['client', 'server'] as const;

/** Whether two scenarios run on the same OS profile, link and per-call cost (as written, before defaults). */
export function sameConditions(a: Scenario, b: Scenario): boolean {
  const link = (s: Scenario) => Object.entries(s.link ?? {}).filter(([, v]) => v !== undefined).sort(([x], [y]) => x.localeCompare(y));
  const pick = (s: Scenario) => JSON.stringify([s.profile ?? null, link(s), ...SIDES.map((k) => s[k]?.callCostUs ?? null)]);
  return pick(a) === pick(b);
}

/** `to` on `from`'s OS profile, link and per-call costs; everything else of `to` kept. */
export function withConditionsOf(from: Scenario, to: Scenario): Scenario {
  const out = structuredClone(to);
  if (from.profile !== undefined) out.profile = from.profile;
  else delete out.profile;
  if (from.link !== undefined) out.link = structuredClone(from.link);
  else delete out.link;
  for (const k of SIDES) {
    const cost = from[k]?.callCostUs;
    const side = { ...(out[k] ?? {}) } as Record<string, unknown>;
    if (cost !== undefined) side.callCostUs = cost;
    else delete side.callCostUs;
    if (Object.keys(side).length) (out as unknown as Record<string, unknown>)[k] = side;
    else delete out[k];
  }
  return out;
}

/**
 * The two runs a finding is shown as: its scenario on the link the `socklint.simulator.link`
 * setting names, and its fixed scenario (or the usual fix) on the same OS, link and call costs.
 */
export function findingRuns(scenario: Scenario, fixedScenario: Scenario | undefined, linkSetting: unknown): [Scenario, Scenario] {
  const a = withLinkPreset(scenario, linkPresetFor(linkSetting));
  return [a, withConditionsOf(a, fixedScenario ?? comparisonFor(a))];
}
