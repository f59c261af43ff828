// Axis ranges and tick values for the log-scale charts. Two runs can differ by five orders of
// magnitude (5 records/s against 78,000), so the axis spans both with room on either side (no line
// sits on the chart's edge) and gets only as many tick labels as fit without touching.
// Pure functions, unit-tested in test/webview/logic.test.ts.

/** The nearest 1, 2 or 5 × 10^k at or below `v`. */
export function niceFloor(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [5, 2, 1]) if (m * p <= v * (1 + 1e-9)) return m * p;
  return p;
}

/** The nearest 1, 2 or 5 × 10^k at or above `v`. */
export function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5, 10]) if (m * p >= v * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/**
 * A log axis range around the positive values with at least `pad` (a factor) of room below the
 * smallest and above the largest, so both runs are drawn inside the plot, off its edges.
 */
export function logBounds(values: readonly number[], pad = 2): { min: number; max: number } | undefined {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  if (pos.length === 0) return undefined;
  const lo = Math.min(...pos);
  const hi = Math.max(...pos);
  return { min: niceFloor(lo / pad), max: niceCeil(hi * pad) };
}

/** Ticks per decade, densest first; later ones skip decades. */
const STEPS: { mult: number[]; everyDecades: number }[] = [
  { mult: [1, 2, 5], everyDecades: 1 },
  { mult: [1, 3], everyDecades: 1 },
  { mult: [1], everyDecades: 1 },
  { mult: [1], everyDecades: 2 },
  { mult: [1], everyDecades: 3 },
  { mult: [1], everyDecades: 5 },
];

/**
 * Tick values for a log axis `lengthPx` long from min to max: the densest of 1-2-5, 1-3, 1 per
 * decade (then every 2nd, 3rd, 5th decade) whose labels, `extent(v)` pixels long along the axis,
 * stay `gapPx` apart.
 */
export function logTicks(min: number, max: number, lengthPx: number, extent: (v: number) => number, gapPx = 6): number[] {
  if (!(min > 0) || !(max > min) || !(lengthPx > 0)) return [];
  const pxPerDecade = lengthPx / Math.log10(max / min);
  const pos = (v: number) => Math.log10(v / min) * pxPerDecade;
  let sparse: number[] | undefined;
  for (const step of STEPS) {
    const values: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      if (e % step.everyDecades !== 0) continue;
      for (const m of step.mult) {
        const v = Number((m * 10 ** e).toPrecision(6));
        if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) values.push(v);
      }
    }
    const fits = values.every((v, i) => i === 0 || pos(v) - pos(values[i - 1]!) >= (extent(v) + extent(values[i - 1]!)) / 2 + gapPx);
    if (fits && values.length >= 2) return values;
    if (fits && values.length === 1) sparse ??= values;
  }
  return sparse ?? [min];
}

/** Tick text for counts and rates: 1, 20, 500, 1k, 20k, 1M. */
export function compactNumber(v: number): string {
  const trim = (x: number) => String(Number(x.toPrecision(3)));
  if (v >= 1e9) return `${trim(v / 1e9)}G`;
  if (v >= 1e6) return `${trim(v / 1e6)}M`;
  if (v >= 1e3) return `${trim(v / 1e3)}k`;
  return trim(v);
}
