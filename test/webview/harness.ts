// Runs the simulator panel's real bundle (dist/webview.js + dist/sim-worker.js) in headless
// Chromium, inside the very HTML page and CSP the extension serves (src/panel/html.ts), with a
// stub of the VS Code webview API (acquireVsCodeApi) and VS Code's theme variables.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { panelHtml } from '../../src/panel/html';

export const ROOT = path.resolve(__dirname, '../..');
export const ORIGIN = 'https://socklint-webview.test';
export const ARTIFACTS = path.join(ROOT, 'test-results', 'webview');
const CHROMIUM = process.env.SOCKLINT_CHROMIUM ?? '/usr/bin/chromium';

export const THEMES = ['light', 'dark', 'hc', 'hc-light'] as const;
export type Theme = (typeof THEMES)[number];
/** The classes VS Code puts on a webview's body (High Contrast Light carries both high-contrast ones). */
const BODY_CLASS: Record<Theme, string> = {
  light: 'vscode-light', dark: 'vscode-dark', hc: 'vscode-high-contrast', 'hc-light': 'vscode-high-contrast-light vscode-high-contrast',
};
const THEME_KIND: Record<Theme, string> = { light: 'vscode-light', dark: 'vscode-dark', hc: 'vscode-high-contrast', 'hc-light': 'vscode-high-contrast-light' };

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the bundles when they are missing or older than their sources (`npm test` builds first anyway). */
export function ensureBundles(): void {
  const outs = ['dist/webview.js', 'dist/sim-worker.js'].map((f) => path.join(ROOT, f));
  const built = outs.every(existsSync) ? Math.min(...outs.map((f) => statSync(f).mtimeMs)) : 0;
  const sources = Math.max(...['webview', 'src/sim', 'src/common'].map((d) => newestMtime(path.join(ROOT, d))));
  if (built < sources) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
}

export interface Launched {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's chromium, headless, with a fresh profile that is deleted on close. */
export async function launch(): Promise<Launched> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'socklint-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface OpenOptions {
  theme?: Theme;
  /** What the stubbed extension answers to `ready` (`{type:'init', input}`); undefined = no finding. */
  init?: unknown;
  /** What getState() returns at start (a reloaded window). */
  state?: unknown;
  /** The page's width in CSS pixels (default 1400). */
  width?: number;
}

export interface PanelPage {
  page: Page;
  /** Uncaught errors, console errors and CSP violations seen so far. */
  problems: string[];
}

/** Opens the panel in a fresh page and waits until both runs have finished. */
export async function openPanel(ctx: Launched, o: OpenOptions = {}): Promise<PanelPage> {
  const page = await ctx.context.newPage();
  if (o.width) await page.setViewportSize({ width: o.width, height: 1000 });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  const theme = o.theme ?? 'dark';
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/panel.html') {
      const html = panelHtml({
        cspSource: ORIGIN,
        nonce: 'n0nce' + Math.random().toString(36).slice(2),
        script: `${ORIGIN}/dist/webview.js`,
        worker: `${ORIGIN}/dist/sim-worker.js`,
        style: `${ORIGIN}/media/simulator.css`,
      })
        // What VS Code adds around the page: the theme's variables and the body class.
        .replace('<link rel="stylesheet"', `<link id="theme" rel="stylesheet" href="${ORIGIN}/theme/${theme}.css">\n<link rel="stylesheet"`)
        .replace('<body>', `<body class="${BODY_CLASS[theme]}" data-vscode-theme-kind="${THEME_KIND[theme]}">`);
      return route.fulfill({ status: 200, contentType: 'text/html', body: html });
    }
    const m = /^\/(dist|media|theme)\/([\w.-]+)$/.exec(url.pathname);
    const file = m && (m[1] === 'theme' ? path.join(__dirname, 'fixtures', `theme-${m[2]}`) : path.join(ROOT, m[1]!, m[2]!));
    if (!file || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : file.endsWith('.svg') ? 'image/svg+xml' : 'application/octet-stream';
    return route.fulfill({ status: 200, contentType: type, body: readFileSync(file) });
  });
  // A string, not a function: the TypeScript loader would add helpers the page does not have.
  await page.addInitScript(`(() => {
    const init = ${JSON.stringify(o.init ?? null)};
    const hasInit = ${o.init !== undefined};
    window.__sent = [];
    window.__csp = [];
    window.__state = ${JSON.stringify(o.state ?? null)};
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
    let acquired = false;
    window.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return {
        postMessage(m) {
          window.__sent.push(JSON.parse(JSON.stringify(m)));
          // The extension answers 'ready' with the finding (or nothing), as src/panel does.
          if (m && m.type === 'ready') setTimeout(() => window.postMessage(hasInit ? init : { type: 'init' }, '*'), 0);
        },
        getState: () => window.__state,
        setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); },
      };
    };
  })();`);
  await page.goto(`${ORIGIN}/panel.html`);
  try {
    await waitIdle(page);
  } catch (e) {
    // Say why the panel never settled, not just that it timed out.
    const text = await page.evaluate(() => document.body.innerText.slice(0, 500)).catch(() => '');
    throw new Error(`the panel did not finish its runs: ${String(e)}\nproblems: ${problems.join('; ')}\npage: ${text}`);
  }
  return { page, problems };
}

/** Waits until no run is in flight (and the pending re-run debounce has passed). */
export async function waitIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForTimeout(350);
  await page.waitForFunction(() => document.body.dataset.busy === 'false', undefined, { timeout });
}

/** Problems the page reported that a test should fail on (CSP violations included). */
export async function pageProblems(p: PanelPage): Promise<string[]> {
  const csp = await p.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
  return [...p.problems, ...csp.map((c) => `csp: ${c}`)];
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Pixels of a canvas that are not transparent: a chart that drew nothing has none. */
export async function inkedPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
}

/** Whether any pixel of a canvas has this colour (within a small tolerance). */
export async function canvasHasColour(page: Page, selector: string, rgb: [number, number, number]): Promise<boolean> {
  return page.$eval(selector, (c, rgb) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]! > 250 && Math.abs(d[i]! - rgb[0]) < 4 && Math.abs(d[i + 1]! - rgb[1]) < 4 && Math.abs(d[i + 2]! - rgb[2]) < 4) return true;
    }
    return false;
  }, rgb);
}
