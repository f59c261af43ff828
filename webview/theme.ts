// Colours for the canvas and SVG parts, read from the `--vscode-*` variables VS Code puts on the
// page. Canvas cannot use CSS variables, so the charts re-read these whenever the theme changes
// (VS Code swaps the body's `vscode-light | vscode-dark | vscode-high-contrast[-light]` class).
import type { CauseKey } from './format';
import { pickDistinct } from './palette';

export interface Palette {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  font: string;
  /** The two runs: as written, with the fix. */
  runs: [string, string];
  causes: Record<CauseKey, string>;
  highContrast: boolean;
}

/**
 * Theme variables to try for each series, best first (see palette.ts). The chart colours come
 * first; the terminal's ANSI colours and the symbol-icon orange exist in every theme, high
 * contrast included, and fill in where a chart colour is missing, translucent or too close.
 */
export const RUN_CANDIDATES: [string[], string[]] = [
  ['--vscode-charts-red', '--vscode-terminal-ansiRed', '--vscode-errorForeground'],
  ['--vscode-charts-blue', '--vscode-terminal-ansiBlue', '--vscode-textLink-foreground'],
];
export const CAUSE_CANDIDATES: Record<CauseKey, string[]> = {
  nagle: ['--vscode-charts-purple', '--vscode-terminal-ansiMagenta'],
  delayedAck: ['--vscode-charts-red', '--vscode-terminal-ansiRed', '--vscode-errorForeground'],
  sendBuffer: ['--vscode-charts-orange', '--vscode-symbolIcon-classForeground', '--vscode-terminal-ansiBrightYellow'],
  window: ['--vscode-charts-yellow', '--vscode-terminal-ansiBrightYellow', '--vscode-terminal-ansiYellow'],
  congestion: ['--vscode-charts-blue', '--vscode-terminal-ansiBlue', '--vscode-terminal-ansiBrightBlue'],
  loss: ['--vscode-terminal-ansiCyan', '--vscode-terminal-ansiBrightCyan'],
  receiver: ['--vscode-terminal-ansiBrightBlack', '--vscode-charts-foreground'],
  wire: ['--vscode-charts-green', '--vscode-terminal-ansiGreen'],
};

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

export function readPalette(): Palette {
  const s = getComputedStyle(document.body);
  const fg = cssVar(s, '--vscode-editor-foreground', cssVar(s, '--vscode-foreground', '#888888'));
  const background = cssVar(s, '--vscode-editor-background', '#ffffff');
  const resolve = <K extends string>(c: Record<K, string[]>) =>
    Object.fromEntries(Object.entries<string[]>(c).map(([k, names]) => [k, names.map((n) => cssVar(s, n, ''))])) as Record<K, string[]>;
  const runs = pickDistinct(resolve({ asWritten: RUN_CANDIDATES[0], withFix: RUN_CANDIDATES[1] }), background, fg);
  return {
    foreground: fg,
    muted: cssVar(s, '--vscode-descriptionForeground', fg),
    grid: cssVar(s, '--vscode-editorWidget-border', cssVar(s, '--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    background,
    font: cssVar(s, '--vscode-font-family', 'sans-serif'),
    runs: [runs.asWritten, runs.withFix],
    causes: pickDistinct(resolve(CAUSE_CANDIDATES), background, fg),
    highContrast: document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light'),
  };
}

/** Calls `onChange` after VS Code switches theme. */
export function watchTheme(onChange: () => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    onChange();
  }).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
}
