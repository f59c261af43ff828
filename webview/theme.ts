// Colours for the canvas and SVG parts, read from the `--vscode-*` variables VS Code puts on the
// page. Canvas cannot use CSS variables, so the charts re-read these whenever the theme changes
// (VS Code swaps the body's `vscode-light | vscode-dark | vscode-high-contrast` class).
import type { CauseKey } from './format';

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

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const v = style.getPropertyValue(name).trim();
  return v || fallback;
}

export function readPalette(): Palette {
  const s = getComputedStyle(document.body);
  const fg = cssVar(s, '--vscode-editor-foreground', cssVar(s, '--vscode-foreground', '#888888'));
  const v = (name: string) => cssVar(s, name, fg);
  return {
    foreground: fg,
    muted: cssVar(s, '--vscode-descriptionForeground', fg),
    grid: cssVar(s, '--vscode-editorWidget-border', cssVar(s, '--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    background: cssVar(s, '--vscode-editor-background', '#ffffff'),
    font: cssVar(s, '--vscode-font-family', 'sans-serif'),
    runs: [v('--vscode-charts-red'), v('--vscode-charts-blue')],
    causes: {
      nagle: v('--vscode-charts-purple'),
      delayedAck: v('--vscode-charts-red'),
      sendBuffer: v('--vscode-charts-orange'),
      window: v('--vscode-charts-yellow'),
      congestion: v('--vscode-charts-blue'),
      loss: cssVar(s, '--vscode-charts-foreground', fg),
      receiver: cssVar(s, '--vscode-charts-lines', fg),
      wire: v('--vscode-charts-green'),
    },
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
