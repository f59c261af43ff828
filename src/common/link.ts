// The network a finding is simulated on: named presets shared by the simulator panel and the
// CodeLens (setting `socklint.simulator.link`). A finding only knows the code, not the network, so
// its scenario takes the link from here; both runs of a comparison get the same one.
// Pure data and functions: imported by the webview, the language server and the tests.
import type { LinkSpec, Scenario } from './scenario';

export const LINK_PRESET_NAMES = ['loopback', 'lan', 'same-region', 'cross-continent'] as const;
export type LinkPresetName = (typeof LINK_PRESET_NAMES)[number];
export const DEFAULT_LINK_PRESET: LinkPresetName = 'lan';

export interface LinkPreset {
  name: LinkPresetName;
  /** Short name for menus: "LAN". */
  label: string;
  /** Names the link in a sentence after "on": "a LAN", "loopback". */
  phrase: string;
  rttMs: number;
  bandwidthMbps: number;
  /** Payload bytes per full segment; undefined = the OS profile's MSS for a 1500-byte Ethernet MTU
   *  (1460, or 1448 where TCP timestamps are on: Linux, macOS). */
  mss?: number;
  /** Where the numbers come from. */
  source: string;
}

export const LINK_PRESETS: Record<LinkPresetName, LinkPreset> = {
  loopback: {
    name: 'loopback', label: 'Loopback', phrase: 'loopback', rttMs: 0.02, bandwidthMbps: 40_000, mss: 32_741,
    source: 'Measured on Linux loopback by harness/ (linux-measured.md): request/response round trips of 0.015-0.02 ms, bulk at ~49 Gbit/s, MSS 32,741.',
  },
  lan: {
    name: 'lan', label: 'LAN', phrase: 'a LAN', rttMs: 0.5, bandwidthMbps: 1000,
    source: 'Switched Gigabit Ethernet: ping round trips of 0.1-0.5 ms through one or two switches; the upper end is taken.',
  },
  'same-region': {
    name: 'same-region', label: 'Same region', phrase: 'a same-region cloud link', rttMs: 1, bandwidthMbps: 5000,
    source: 'Two availability zones of one cloud region: about 1 ms round trip (AWS: "single-digit millisecond"); AWS caps one flow between instances at 5 Gbit/s.',
  },
  'cross-continent': {
    name: 'cross-continent', label: 'Cross-continent', phrase: 'a cross-continent link', rttMs: 90, bandwidthMbps: 100,
    source: 'Frankfurt to Virginia (eu-central-1 to us-east-1) is about 90 ms round trip; 100 Mbit/s is a typical per-flow bottleneck over the public internet.',
  },
};

export function isLinkPresetName(v: unknown): v is LinkPresetName {
  return typeof v === 'string' && (LINK_PRESET_NAMES as readonly string[]).includes(v);
}

/** The preset a setting names, or the default (LAN) for anything else. */
export function linkPresetFor(setting: unknown): LinkPreset {
  return LINK_PRESETS[isLinkPresetName(setting) ? setting : DEFAULT_LINK_PRESET];
}

/**
 * The scenario on the preset's link: RTT, bandwidth and MSS replaced (an MSS the preset leaves to
 * the profile is removed); loss rate and seed, which describe the run rather than the network, kept.
 */
export function withLinkPreset<S extends Scenario>(s: S, preset: LinkPreset): S {
  const link: LinkSpec = { ...(typeof s.link === 'object' && s.link !== null ? s.link : {}), rttMs: preset.rttMs, bandwidthMbps: preset.bandwidthMbps };
  if (preset.mss !== undefined) link.mss = preset.mss;
  else delete link.mss;
  return { ...s, link };
}

/** The MSS of a 1500-byte Ethernet MTU, without and with TCP timestamps. */
const ETHERNET_MSS = [1460, 1448];

/** Which preset a link is, if it is one. */
export function presetOfLink(link: LinkSpec | undefined): LinkPresetName | undefined {
  if (!link) return undefined;
  return LINK_PRESET_NAMES.find((n) => {
    const p = LINK_PRESETS[n];
    const mssFits = p.mss === undefined ? link.mss === undefined || ETHERNET_MSS.includes(link.mss) : link.mss === p.mss;
    return link.rttMs === p.rttMs && link.bandwidthMbps === p.bandwidthMbps && mssFits;
  });
}

/** "1 Gbit/s", "100 Mbit/s", "40 Gbit/s", "512 kbit/s". */
export function formatBandwidth(mbps: number): string {
  if (!Number.isFinite(mbps)) return '–';
  if (mbps >= 1000) return `${trim(mbps / 1000)} Gbit/s`;
  if (mbps >= 1) return `${trim(mbps)} Mbit/s`;
  return `${trim(mbps * 1000)} kbit/s`;
}

/** "0.5 ms", "90 ms", "0.02 ms". */
export function formatRtt(ms: number): string {
  return `${trim(ms)} ms`;
}

function trim(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** What follows "on": "a LAN (0.5 ms RTT, 1 Gbit/s)", or for a link that is no preset "a 80 ms RTT, 1 Gbit/s link". */
export function describeLink(link: { rttMs: number; bandwidthMbps: number; mss?: number }): string {
  const name = presetOfLink(link);
  const numbers = `${formatRtt(link.rttMs)} RTT, ${formatBandwidth(link.bandwidthMbps)}`;
  return name ? `${LINK_PRESETS[name].phrase} (${numbers})` : `${article(numbers)} ${numbers} link`;
}

/** "an 80 ms …", "an 8 ms …", "an 11 ms …", else "a …": the article as the number is spoken. */
function article(spoken: string): string {
  return /^(8|11\b|11\.|18\b|18\.)/.test(spoken) ? 'an' : 'a';
}
