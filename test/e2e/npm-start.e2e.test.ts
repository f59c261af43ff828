// First use, exactly as the README's quick start tells it: a fresh clone of this repository,
// `npm ci`, `npm start` (the npm script itself, not the scripts beneath it, so the environment
// the outer npm hands down is the real one). Waits for the address npm start prints, checks that
// it serves the VS Code workbench, opens it in headless Chromium and looks for the examples and
// their findings in the Problems panel, then stops it.
//
// code-server is installed into a fresh, temporary cache, with an empty npm cache as on a new
// machine, unless SOCKLINT_CACHE names a code-server cache to reuse (.ci/run points it at the
// checkout's empty .cache/, so CI installs code-server there through npm start, and the other
// end-to-end suites reuse that install). The clone is of the committed HEAD.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, ROOT } from './codeServer';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const MINUTE = 60_000;

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

/** The environment of a user's shell: none of the variables the npm running this test set. */
function shellEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) || ['NODE', 'INIT_CWD', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS', 'SOCKLINT_CACHE'].includes(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? '').split(path.delimiter).filter((p) => !p.includes(`node_modules${path.sep}.bin`)).join(path.delimiter);
  return { ...env, ...extra };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

describe('npm ci && npm start on a fresh clone', { timeout: 40 * MINUTE }, () => {
  const reuse = process.env.SOCKLINT_CACHE;
  let clone: string;
  let cache: string;
  let npmCache: string | undefined;
  let proc: ChildProcess | undefined;
  let exited: Promise<void> | undefined;
  const output: string[] = [];
  let context: BrowserContext | undefined;
  let page: Page;
  let profile: string | undefined;

  before(() => {
    mkdirSync(SHOTS, { recursive: true });
    clone = mkdtempSync(path.join(tmpdir(), 'socklint-first-use-'));
    execFileSync('git', ['clone', '--quiet', ROOT, clone], { stdio: ['ignore', 'ignore', 'inherit'] });
    cache = reuse ?? mkdtempSync(path.join(tmpdir(), 'socklint-first-use-cache-'));
    npmCache = reuse ? undefined : mkdtempSync(path.join(tmpdir(), 'socklint-first-use-npm-'));
  });

  after(async () => {
    await context?.close().catch(() => undefined);
    if (proc?.pid && proc.exitCode === null) {
      // npm, the script and code-server with its children: the whole process group.
      try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* already gone */ }
      const timer = setTimeout(() => { try { process.kill(-proc!.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(clone, { recursive: true, force: true });
    if (!reuse) rmSync(cache, { recursive: true, force: true });
    if (npmCache) rmSync(npmCache, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('ends with VS Code in the browser, showing the examples and their findings', async () => {
    const port = await freePort();
    const env = shellEnv({ PORT: String(port), SOCKLINT_CACHE: cache, ...(npmCache ? { npm_config_cache: npmCache } : {}) });
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: clone, encoding: 'utf8' }).trim();
    console.log(`first use: clone of ${head}, code-server cache ${reuse ? `reused from ${cache}` : 'fresh, npm cache empty'}, load ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);

    const t0 = Date.now();
    const ci = spawnSync('npm', ['ci'], { cwd: clone, env, encoding: 'utf8', timeout: 15 * MINUTE });
    assert.equal(ci.status, 0, `npm ci failed:\n${ci.stdout}\n${ci.stderr}`);
    const tCi = Date.now();

    proc = spawn('npm', ['start'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    exited = new Promise((resolve) => proc!.once('exit', () => resolve()));
    proc.stdout!.on('data', (b: Buffer) => output.push(b.toString()));
    proc.stderr!.on('data', (b: Buffer) => output.push(b.toString()));

    // The address npm start prints, then the page behind it.
    let url: string | undefined;
    const until = Date.now() + 30 * MINUTE;
    for (;;) {
      url ??= /Socklint in VS Code: (http:\/\/\S+)/.exec(output.join(''))?.[1];
      if (url) {
        try {
          const r = await fetch(url);
          if (r.ok) {
            const html = await r.text();
            assert.match(html, /workbench/i, 'the page is the VS Code workbench');
            break;
          }
        } catch {
          // printed, not listening yet
        }
      }
      if (proc.exitCode !== null || Date.now() > until) {
        assert.fail(`npm start ${proc.exitCode !== null ? `exited with ${proc.exitCode}` : 'timed out'} before serving ${url ?? 'an address'}:\n${output.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const tUrl = Date.now();
    console.log(`first use: npm ci ${seconds(tCi - t0)}, npm start to the URL ${seconds(tUrl - tCi)}, npm ci to the URL ${seconds(tUrl - t0)}`);
    assert.ok(url.startsWith(`http://127.0.0.1:${port}/?folder=`), url);
    assert.ok(decodeURIComponent(url).endsWith(path.join(clone, 'examples')), url);

    // What a person sees: the examples in the Explorer, then findings once an example is open.
    ({ context, page, profile } = await launchChromium('socklint-first-use-chromium-', { width: 1400, height: 900 }));
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 2 * MINUTE });
    const explorer = page.locator('.explorer-folders-view');
    for (const folder of ['kb-case1', 'kb-case2', 'patterns', 'lookalikes']) {
      await explorer.locator('.monaco-list-row', { hasText: folder }).first().waitFor({ timeout: MINUTE });
    }
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('kb-case1/client.c');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'client.c' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'client.c' }).first().waitFor();
    await page.keyboard.press('Control+Shift+M');
    const markers = page.locator('.markers-panel');
    // The README's first example: SO_SNDBUF = 0 and one small send per record (examples/expected-findings.json).
    for (const rule of ['sndbuf-zero-without-overlapped', 'small-sends-nagle']) {
      await markers.locator('.monaco-list-row', { hasText: rule }).first().waitFor({ timeout: 2 * MINUTE });
    }
    await page.locator('.statusbar-item', { hasText: 'Socklint: 2 findings (open files)' }).first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'first-use.png') });
  });
});
