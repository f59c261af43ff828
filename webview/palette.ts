// Colours for the charts' series, chosen from the theme so that no two series of a chart look
// alike. VS Code's `--vscode-charts-*` set has six hues, one of them (orange) missing in both
// high-contrast themes and translucent elsewhere, while "Where the time went" needs eight; so
// every series has a list of theme variables to try, and a candidate is taken only when it is
// opaque, stands out from the background and is far enough from the colours already taken.
// Colour still is not the only cue: every series also has its own pattern or marker (charts.ts).
// Pure functions (no DOM): test/webview/palette.test.ts runs them over the real themes.

export interface Rgba { r: number; g: number; b: number; a: number }

/** Parses #rgb, #rgba, #rrggbb, #rrggbbaa, rgb() and rgba(); undefined for anything else. */
export function parseColour(text: string | undefined): Rgba | undefined {
  if (!text) return undefined;
  const t = text.trim().toLowerCase();
  let m = /^#([0-9a-f]{3,4})$/.exec(t);
  if (m) {
    const d = m[1]!.split('').map((c) => parseInt(c + c, 16));
    return { r: d[0]!, g: d[1]!, b: d[2]!, a: d.length === 4 ? d[3]! / 255 : 1 };
  }
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(t);
  if (m) {
    const n = parseInt(m[1]!, 16);
    return { r: n >> 16, g: (n >> 8) & 255, b: n & 255, a: m[2] ? parseInt(m[2], 16) / 255 : 1 };
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(t);
  if (m) {
    const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
    return { r: Number(m[1]), g: Number(m[2]), b: Number(m[3]), a: alpha };
  }
  return undefined;
}

export function toHex(c: Rgba): string {
  const h = (v: number) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, '0');
  return `#${h(c.r)}${h(c.g)}${h(c.b)}`;
}

/** WCAG relative luminance. */
export function luminance(c: Rgba): number {
  const ch = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
}

/** WCAG contrast ratio, 1 (none) to 21 (black on white). */
export function contrast(a: Rgba, b: Rgba): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

function lab(c: Rgba): [number, number, number] {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = [lin(c.r), lin(c.g), lin(c.b)];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 colour difference: about 2 is just noticeable, above 20 two colours are told apart at a glance. */
export function deltaE(a: Rgba, b: Rgba): number {
  const [p, q] = [lab(a), lab(b)];
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

/** Two series closer than this are "the same colour" (the tests use the same bound). */
export const MIN_DELTA_E = 20;
/** A series must stand out from the background at least this much (WCAG contrast ratio). */
export const MIN_CONTRAST = 2;

/**
 * Picks one colour per series, in order: the first candidate that is opaque, has MIN_CONTRAST
 * against the background and is MIN_DELTA_E from every colour already picked. When no candidate
 * qualifies, the one farthest from the picked colours (the pattern still tells it apart).
 * `candidates` maps a series to the colour strings of its theme variables ('' when unset).
 */
export function pickDistinct<K extends string>(candidates: Record<K, readonly string[]>, background: string, fallback: string): Record<K, string> {
  const bg = parseColour(background) ?? { r: 255, g: 255, b: 255, a: 1 };
  const picked: Rgba[] = [];
  const out = {} as Record<K, string>;
  for (const key of Object.keys(candidates) as K[]) {
    const usable = candidates[key].map(parseColour).filter((c): c is Rgba => !!c && c.a >= 0.95 && contrast(c, bg) >= MIN_CONTRAST);
    const distance = (c: Rgba) => Math.min(Infinity, ...picked.map((p) => deltaE(c, p)));
    let choice = usable.find((c) => distance(c) >= MIN_DELTA_E);
    if (!choice && usable.length) choice = usable.reduce((best, c) => (distance(c) > distance(best) ? c : best));
    const colour = choice ?? parseColour(fallback) ?? { r: 136, g: 136, b: 136, a: 1 };
    picked.push(colour);
    out[key] = toHex(colour);
  }
  return out;
}

/** Pairs of series whose colours are closer than MIN_DELTA_E: what the tests require to be empty. */
export function sharedColours(series: readonly { label: string; colour: string }[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < series.length; i++) {
    for (let j = i + 1; j < series.length; j++) {
      const a = parseColour(series[i]!.colour);
      const b = parseColour(series[j]!.colour);
      const d = a && b ? deltaE(a, b) : 0;
      if (d < MIN_DELTA_E) out.push(`${series[i]!.label} and ${series[j]!.label}: ${series[i]!.colour} / ${series[j]!.colour} (ΔE ${d.toFixed(1)})`);
    }
  }
  return out;
}
