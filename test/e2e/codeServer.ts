// Starts a real VS Code (code-server from npm, installed by scripts/setup-code-server.sh) on
// 127.0.0.1 with a freshly installed socklint.vsix, and stops it again. Used by the end-to-end
// test and by the activation benchmark.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../..');
export const VSIX = path.join(ROOT, 'socklint.vsix');

/** Chromium flags this machine needs (no sandbox as root, no background traffic off loopback). */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

export function codeServerPath(): string {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts/setup-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop()!;
}

export function buildVsix(): void {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  folderUrl: (folder: string) => string;
  home: string;
  userDataDir: string;
  /** Every log line code-server printed (for failure messages). */
  output: string[];
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra user settings. Workspace trust stays on: the folder opens in Restricted Mode. */
  settings?: Record<string, unknown>;
  timeoutMs?: number;
}

export async function startCodeServer(opts: StartOptions = {}): Promise<RunningCodeServer> {
  const bin = codeServerPath();
  const home = mkdtempSync(path.join(tmpdir(), 'socklint-code-server-'));
  const userDataDir = path.join(home, 'user-data');
  const extensionsDir = path.join(home, 'extensions');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    // Untrusted folders open in Restricted Mode without the modal trust prompt.
    'security.workspace.trust.startupPrompt': 'never',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'window.commandCenter': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // Long example lines would scroll the narrow editor sideways in the screenshots.
    'editor.wordWrap': 'on',
    ...opts.settings,
  }, null, 2));
  // Isolated from the machine's own code-server config and data.
  const env = { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data') };
  execFileSync(bin, ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', VSIX, '--force'],
    { env, stdio: ['ignore', 'ignore', 'inherit'] });

  const port = await freePort();
  const output: string[] = [];
  const proc: ChildProcess = spawn(bin, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
  ], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  proc.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
  proc.stderr!.on('data', (b: Buffer) => output.push(b.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null || Date.now() > until) {
      try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* already gone */ }
      throw new Error(`code-server did not come up on ${url}:\n${output.join('')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    folderUrl: (folder) => `${url}/?folder=${encodeURIComponent(folder)}`,
    home,
    userDataDir,
    output,
    async stop() {
      // The whole process group: code-server, its extension hosts and our language server.
      try { process.kill(-proc.pid!, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exited;
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The Socklint output channel's log file (a LogOutputChannel writes one under the user data dir). */
export function socklintLog(userDataDir: string): string | undefined {
  const found: string[] = [];
  const walk = (dir: string) => {
    let entries: string[];
    try { entries = readdirSync(dir); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/Socklint\.log$/.test(e)) found.push(p);
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found.length ? found.map((f) => readFileSync(f, 'utf8')).join('\n') : undefined;
}

/** Headless Debian Chromium with a fresh profile directory, as both end-to-end suites use it. */
export async function launchChromium(profilePrefix: string, viewport: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page; profile: string }> {
  const profile = mkdtempSync(path.join(tmpdir(), profilePrefix));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30_000);
  return { context, page, profile };
}

/** Opens a workspace file with Quick Open and waits for its editor. */
export async function openWithQuickOpen(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/**
 * The file's text once the editor has saved something other than `before`: read until it differs
 * and two reads 200 ms apart agree (a read in the middle of the editor's write sees a partial file).
 */
export async function savedText(file: string, before: string, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = readFileSync(file, 'utf8');
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    const now = readFileSync(file, 'utf8');
    if (now === last && now !== before && now.length > 0) return now;
    if (Date.now() > until) return now;
    last = now;
  }
}

/** A file of examples/patterns: the end-to-end tests open the example a user would. */
export function examplePath(file: string): string {
  return path.join(ROOT, 'examples', 'patterns', file);
}
