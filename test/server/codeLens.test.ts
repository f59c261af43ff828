// The CodeLens over real stdio with a real LSP client: a lens above each finding that has a
// scenario, whose text is what the simulator says about the finding's two runs on the link the
// setting names (computed here in Node the same way), whose command opens the panel on that
// finding; the settings that turn it off and change the link; and a slow preview that neither
// holds up the answer nor the diagnostics. The worker's time bound is checked directly.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CodeLensRequest, CodeLensResolveRequest, type CodeLens } from 'vscode-languageserver-protocol';
import { findingRuns } from '../../src/common/comparison';
import { lensTitle } from '../../src/common/figures';
import { LINK_PRESETS, type LinkPresetName } from '../../src/common/link';
import type { Scenario } from '../../src/common/scenario';
import { initEngine, lint, type Finding } from '../../src/engine';
import { grammarFiles } from '../../src/engine/parse/grammar-files';
import { RESOLVE_WAIT_MS, LensPreviews } from '../../src/server/codeLens';
import { nodeWorkerLink } from '../../src/common/worker-link-node';
import type { SimulateArgs } from '../../src/server/protocol';
import { PRESETS, simulate } from '../../src/sim';
import { LspClient, SERVER, waitFor } from './lspClient';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = ['sndbuf-zero-without-overlapped.cpp', 'write-write-read.c', 'small-sends-nagle.cpp'];
const uri = (name: string) => `file:///virtual/lens/${name}`;
const text = (name: string) => readFileSync(path.join(ROOT, 'examples', 'patterns', name), 'utf8');
const lang = (name: string) => (name.endsWith('.c') ? 'c' : 'cpp');

/** The lens text the simulator supports for a finding on a link preset, computed here. */
function expectedTitle(f: Finding, link: LinkPresetName): string {
  const runs = findingRuns(f.scenario!, f.fixedScenario, link);
  const [a, b] = runs.map((s) => {
    const r = simulate(s, { traceLimit: 0, perMessageLimit: 0 });
    return { pattern: r.scenario.workload.pattern, messagesPerSecond: r.messagesPerSecond, goodputMbps: r.goodputMbps, latencyP50Ms: r.latencyMs.p50 };
  });
  return lensTitle(a!, b!, LINK_PRESETS[link].phrase);
}

/** A million records: seconds of simulation, just within the simulator's event budget (3,000,000). */
const HEAVY: Scenario = { title: 'a million records', client: { nodelay: true }, workload: { pattern: 'records', count: 1_000_000, sizeBytes: 20 } };

function withScenario(name: string): Finding[] {
  return lint(text(name), lang(name), {}).findings.filter((f) => f.scenario);
}

describe('CodeLens over stdio', { timeout: 120_000 }, () => {
  let client: LspClient;
  const lenses = (u: string) => client.conn.sendRequest(CodeLensRequest.type, { textDocument: { uri: u } }) as Promise<CodeLens[]>;
  const resolve = (l: CodeLens) => client.conn.sendRequest(CodeLensResolveRequest.type, l) as Promise<CodeLens>;

  before(async () => {
    await initEngine(grammarFiles());
    client = new LspClient({ codeLens: true });
    const init = await client.initialize();
    assert.deepEqual(init.capabilities.codeLensProvider, { resolveProvider: true });
    for (const name of EXAMPLES) {
      await client.open(uri(name), text(name), lang(name));
      await client.waitDiagnostics(uri(name), (d) => d.length > 0);
    }
  });
  after(async () => {
    const code = await client.shutdown();
    assert.equal(code, 0, `server exit code; stderr: ${client.stderr.join('')}`);
  });

  it('puts a lens on each finding with a scenario, saying what the simulator says on a LAN, and opening the panel on it', async () => {
    for (const name of EXAMPLES) {
      const findings = withScenario(name);
      assert.ok(findings.length > 0, `${name} has a finding the simulator can replay`);
      const got = await lenses(uri(name));
      assert.deepEqual(got.map((l) => l.range.start.line), findings.map((f) => f.range.start.line), name);
      for (const [i, lens] of got.entries()) {
        const r = lens.command ? lens : await resolve(lens);
        const f = findings[i]!;
        assert.equal(r.command?.title, expectedTitle(f, 'lan'), name);
        assert.equal(r.command?.command, 'socklint.simulate');
        const args = r.command?.arguments?.[0] as SimulateArgs;
        assert.deepEqual([args.ruleId, args.scenario, args.fixedScenario], [f.ruleId, f.scenario, f.fixedScenario]);
      }
    }
    const sndbuf = (await Promise.all((await lenses(uri(EXAMPLES[0]!))).map((l) => (l.command ? l : resolve(l)))))[0]!;
    assert.match(sndbuf.command!.title, /^Simulate on a LAN: ~\d+ records\/s → ~[\d,]+\/s$/);
    assert.match(sndbuf.command!.tooltip ?? '', /^Simulated on a LAN \(0\.5 ms RTT, 1 Gbit\/s\) with Windows 10\/11/);
  });

  it('drops the lens of a finding that a comment suppresses, and asks the client to look again', async () => {
    const name = 'small-sends-nagle.cpp';
    const u = uri(name);
    const [f] = withScenario(name);
    const line = f!.range.start.line;
    const indent = /^\s*/.exec(client.text(u).split('\n')[line]!)![0];
    const refreshes = client.codeLensRefreshes;
    const version = await client.change(u, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `${indent}// socklint-disable-next-line ${f!.ruleId} -- batched elsewhere\n` }]);
    await client.waitDiagnostics(u, (_d, p) => p.params.version === version);
    await waitFor('a codeLens refresh request', () => client.codeLensRefreshes > refreshes);
    assert.deepEqual((await lenses(u)).map((l) => l.range.start.line).filter((l) => l === line + 1), []);
  });

  it('answers a second time from its cache, commands filled in', async () => {
    const started = performance.now();
    const again = await lenses(uri(EXAMPLES[0]!));
    assert.ok(again.length > 0 && again.every((l) => l.command?.title.startsWith('Simulate on a LAN: ~')), JSON.stringify(again));
    assert.ok(performance.now() - started < 1000);
  });

  it('follows socklint.simulator.link and turns off with socklint.codeLens.enable', async () => {
    const refreshes = client.codeLensRefreshes;
    await client.changeSettings({ simulator: { link: 'cross-continent' } });
    await waitFor('a codeLens refresh request', () => client.codeLensRefreshes > refreshes);
    const [lens] = await lenses(uri(EXAMPLES[1]!));
    const r = lens!.command ? lens! : await resolve(lens!);
    assert.equal(r.command?.title, expectedTitle(withScenario(EXAMPLES[1]!)[0]!, 'cross-continent'));
    assert.match(r.command!.title, /^Simulate on a cross-continent link: ~\d+ ms → ~\d+ ms per request$/);
    await client.changeSettings({ simulator: { link: 'cross-continent' }, codeLens: { enable: false } });
    assert.deepEqual(await lenses(uri(EXAMPLES[1]!)), []);
    await client.changeSettings({});
    assert.ok((await lenses(uri(EXAMPLES[1]!))).length > 0);
  });

  it('answers within its wait with a slow preview, keeps publishing diagnostics meanwhile, and asks for a refresh when the numbers arrive', async () => {
    // A lens the client hands back for resolving, with a scenario that takes the simulator seconds.
    const args: SimulateArgs = { ruleId: 'small-sends-nagle', title: 'heavy', scenario: HEAVY, fixedScenario: HEAVY };
    const refreshes = client.codeLensRefreshes;
    const started = performance.now();
    const pending = resolve({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, data: { uri: uri('heavy.c'), args, link: 'lan' } });
    // Meanwhile an edit is linted and published as usual (the simulation is on another thread).
    const u = uri(EXAMPLES[1]!);
    const editAt = performance.now();
    const version = await client.change(u, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '/* edited */\n' }]);
    await client.waitDiagnostics(u, (_d, p) => p.params.version === version);
    const diagnosticsMs = performance.now() - editAt;
    const r = await pending;
    const answeredMs = performance.now() - started;
    assert.ok(answeredMs < RESOLVE_WAIT_MS + 1500, `resolve answered after ${answeredMs.toFixed(0)} ms`);
    assert.equal(r.command?.command, 'socklint.simulate', 'the lens still opens the panel');
    assert.ok(diagnosticsMs < 1000, `diagnostics took ${diagnosticsMs.toFixed(0)} ms while the preview ran`);
    if (r.command?.title === 'Simulate the latency impact') {
      await waitFor('a refresh once the slow preview ends', () => client.codeLensRefreshes > refreshes, 15_000);
    }
    console.log(`# slow preview: resolve answered in ${answeredMs.toFixed(0)} ms ("${r.command?.title}"), diagnostics in ${diagnosticsMs.toFixed(0)} ms meanwhile`);
  });
});

describe('CodeLens previews', () => {
  it('stop a simulation that runs past the time bound, and the next preview still works', async () => {
    const previews = new LensPreviews(() => nodeWorkerLink(path.join(path.dirname(SERVER), 'lens-worker.js')), () => undefined, 1000);
    const started = performance.now();
    const slow = await previews.preview('heavy', [HEAVY, HEAVY]);
    assert.deepEqual(slow, { ok: false, reason: 'the preview took longer than 1 s' });
    assert.ok(performance.now() - started < 3000);
    const light = PRESETS.find((p) => p.id === 'write-write-read-linux')!.scenario;
    const ok = await previews.preview('light', [light, { ...light, client: { nodelay: true } }]);
    assert.ok(ok.ok && ok.runs[0].latencyP50Ms > 40 && ok.runs[1].latencyP50Ms < 1, JSON.stringify(ok));
    assert.equal(previews.settled('light'), ok, 'cached');
    previews.dispose();
  });
});
