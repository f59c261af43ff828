// CodeLens on findings: "Simulate on a LAN: ~5 records/s → ~78,000/s" above each finding that has
// a scenario; clicking it opens the simulator panel on that finding (client command
// `socklint.simulate`, the same as the code action).
//
// The numbers come from simulating the finding's two runs exactly as the panel will (same link
// preset from `socklint.simulator.link`, same shared conditions: findingRuns). So that this never
// delays diagnostics, the simulations run on a worker thread, one at a time, each stopped after
// JOB_TIMEOUT_MS; results are cached per finding (its scenarios and the link). A lens is first sent
// without its command; `codeLens/resolve` waits for the numbers at most RESOLVE_WAIT_MS, then
// answers without them and asks the client to refresh once they arrive.
// `socklint.codeLens.enable: false` turns the lenses off.
import { CodeLensRefreshRequest, type ClientCapabilities, type CodeLens, type Command, type Connection } from 'vscode-languageserver';
import { findingRuns } from '../common/comparison';
import { lensTitle } from '../common/figures';
import { describeLink, linkPresetFor, type LinkPreset } from '../common/link';
import { PROFILE_HEADLINES, type Scenario } from '../common/scenario';
import type { WorkerLink } from '../common/worker-link';
import type { Finding } from '../engine/types';
import type { LensJob, LensJobResult, LensRunFigures } from './lensProtocol';
import { Commands, type SimulateArgs, type SocklintSettings } from './protocol';

/** One preview's simulations: beyond this the worker is stopped and the lens says so. */
export const JOB_TIMEOUT_MS = 5000;
/** How long a resolve request waits for the numbers before answering without them. */
export const RESOLVE_WAIT_MS = 2500;
const CACHE_SIZE = 256;
const FALLBACK_TITLE = 'Simulate the latency impact';

export interface LensSettings { enabled: boolean; link: LinkPreset }

/** `socklint.codeLens.enable` (default true) and `socklint.simulator.link` (default LAN). */
export function lensSettings(raw: SocklintSettings | undefined): LensSettings {
  return { enabled: raw?.codeLens?.enable !== false, link: linkPresetFor(raw?.simulator?.link) };
}

export type Preview =
  | { ok: true; runs: [LensRunFigures, LensRunFigures] }
  | { ok: false; reason: string };

interface Pending { resolve: (p: Preview) => void; timer: NodeJS.Timeout }

/**
 * Simulates finding runs on a worker thread, one job at a time, each bounded in time, with the
 * results cached by content (a finding keeps its key across edits that do not change its scenario).
 */
export class LensPreviews {
  private worker: WorkerLink | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: { job: LensJob; done: (p: Preview) => void }[] = [];
  private running = false;
  private readonly cache = new Map<string, { promise: Promise<Preview>; settled?: Preview }>();

  /** `startWorker` starts the worker of lensWorker.ts (Node) or lensWorker.web.ts (browser); it may throw. */
  constructor(private readonly startWorker: () => WorkerLink, private readonly log: (m: string) => void, private readonly timeoutMs = JOB_TIMEOUT_MS) {}

  /** The preview if it is already known (for lenses answered at once). */
  settled(key: string): Preview | undefined {
    return this.cache.get(key)?.settled;
  }

  preview(key: string, runs: [Scenario, Scenario]): Promise<Preview> {
    const hit = this.cache.get(key);
    if (hit) {
      // Most recently used last, so the oldest go first when the cache is full.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.promise;
    }
    const entry: { promise: Promise<Preview>; settled?: Preview } = {
      promise: new Promise<Preview>((resolve) => {
        this.queue.push({ job: { id: this.nextId++, runs }, done: resolve });
        this.pump();
      }),
    };
    void entry.promise.then((p) => { entry.settled = p; });
    this.cache.set(key, entry);
    while (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return entry.promise;
  }

  private pump(): void {
    if (this.running) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = true;
    const finish = (p: Preview) => {
      this.running = false;
      next.done(p);
      this.pump();
    };
    let worker: WorkerLink;
    try {
      worker = this.ensureWorker();
    } catch (e) {
      finish({ ok: false, reason: `the simulator could not start: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    const timer = setTimeout(() => {
      this.pending.delete(next.job.id);
      this.log(`socklint: a CodeLens simulation took over ${this.timeoutMs} ms and was stopped`);
      this.stopWorker();
      finish({ ok: false, reason: `the preview took longer than ${this.timeoutMs / 1000} s` });
    }, this.timeoutMs);
    this.pending.set(next.job.id, { resolve: finish, timer });
    worker.post(next.job);
  }

  private ensureWorker(): WorkerLink {
    if (this.worker) return this.worker;
    const w = this.startWorker();
    w.onMessage((m) => {
      const r = m as LensJobResult;
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      clearTimeout(p.timer);
      p.resolve(r.ok ? { ok: true, runs: r.runs } : { ok: false, reason: r.reason });
    });
    // A worker stopped on purpose (timeout) is already replaced: its end concerns no one.
    w.onEnd((end) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      if (end.kind === 'exit') {
        this.failAll('the simulator stopped');
        return;
      }
      const message = end.kind === 'error' ? end.message : 'out of memory';
      this.log(`socklint: the CodeLens worker failed: ${message}`);
      this.failAll(`the simulator failed: ${message}`);
    });
    this.worker = w;
    return w;
  }

  private failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve({ ok: false, reason });
    }
  }

  private stopWorker(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }

  dispose(): void {
    this.queue.length = 0;
    this.failAll('the server is shutting down');
    this.stopWorker();
  }
}

/** The cache key of a finding's preview: what is simulated, nothing else. */
export function previewKey(runs: [Scenario, Scenario]): string {
  return JSON.stringify(runs);
}

/** The lens's command: the numbers when known, and always the panel on this finding. */
export function lensCommand(preview: Preview | undefined, args: SimulateArgs, link: LinkPreset): Command {
  const command: Command = { title: FALLBACK_TITLE, command: Commands.simulate, arguments: [args] };
  if (!preview) return command;
  if (!preview.ok) {
    command.tooltip = `Open the simulator on this finding (no preview: ${preview.reason}).`;
    return command;
  }
  const [a, b] = preview.runs;
  command.title = lensTitle(
    { pattern: a.pattern, messagesPerSecond: a.messagesPerSecond, goodputMbps: a.goodputMbps, latencyP50Ms: a.latencyP50Ms },
    { pattern: b.pattern, messagesPerSecond: b.messagesPerSecond, goodputMbps: b.goodputMbps, latencyP50Ms: b.latencyP50Ms },
    link.phrase,
  );
  command.tooltip = `Simulated on ${describeLink(a.link)} with ${PROFILE_HEADLINES[a.profile]?.label ?? a.profile} (setting socklint.simulator.link): `
    + `"${a.title || 'as written'}" against "${b.title || 'with the fix'}". Click to open the simulator on this finding.`;
  return command;
}

interface LensData { uri: string; args: SimulateArgs; link: string }

export interface CodeLensHooks {
  /** The findings last published for an open document, or undefined. */
  findings(uri: string): Finding[] | undefined;
  /** The raw `socklint.*` settings for a document (as the client sends them). */
  settings(uri: string): Promise<SocklintSettings | undefined>;
  ruleTitle(ruleId: string): string;
  log(message: string): void;
}

export interface CodeLenses {
  /** Call from onInitialize: whether the client can be asked to refresh its lenses. */
  clientCapabilities(caps: ClientCapabilities): void;
  /** Findings or settings changed: ask the client to ask again (when it supports that). */
  refresh(): void;
  dispose(): void;
}

/** Registers textDocument/codeLens and codeLens/resolve; announce `codeLensProvider: { resolveProvider: true }`. */
export function registerCodeLenses(connection: Connection, hooks: CodeLensHooks, startWorker: () => WorkerLink): CodeLenses {
  const previews = new LensPreviews(startWorker, hooks.log);
  let canRefresh = false;
  let refreshTimer: NodeJS.Timeout | undefined;

  const refresh = () => {
    if (!canRefresh) return;
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined), 50);
  };

  connection.onCodeLens(async (params) => {
    try {
      const uri = params.textDocument.uri;
      const settings = lensSettings(await hooks.settings(uri));
      if (!settings.enabled) return [];
      const lenses: CodeLens[] = [];
      for (const f of hooks.findings(uri) ?? []) {
        if (!f.scenario) continue;
        const args: SimulateArgs = { ruleId: f.ruleId, title: hooks.ruleTitle(f.ruleId), scenario: f.scenario, fixedScenario: f.fixedScenario };
        const key = previewKey(findingRuns(f.scenario, f.fixedScenario, settings.link.name));
        const at = { line: f.range.start.line, character: f.range.start.character };
        const data: LensData = { uri, args, link: settings.link.name };
        const known = previews.settled(key);
        lenses.push(known ? { range: { start: at, end: at }, command: lensCommand(known, args, settings.link) } : { range: { start: at, end: at }, data });
      }
      return lenses;
    } catch (e) {
      hooks.log(`socklint: codeLens: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return [];
    }
  });

  connection.onCodeLensResolve(async (lens) => {
    const data = lens.data as Partial<LensData> | undefined;
    if (!data || !data.args || typeof data.args.ruleId !== 'string' || !data.args.scenario) {
      return { ...lens, command: { title: FALLBACK_TITLE, command: Commands.simulate, arguments: data?.args ? [data.args] : [] } };
    }
    const link = linkPresetFor(data.link);
    try {
      const runs = findingRuns(data.args.scenario, data.args.fixedScenario, link.name);
      const job = previews.preview(previewKey(runs), runs);
      const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), RESOLVE_WAIT_MS));
      const preview = await Promise.race([job, timeout]);
      // Too slow for this request: answer now, and have the client ask again once it is known.
      if (!preview) void job.then(refresh);
      return { range: lens.range, command: lensCommand(preview, data.args, link) };
    } catch (e) {
      hooks.log(`socklint: codeLens/resolve: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      return { range: lens.range, command: lensCommand(undefined, data.args, link) };
    }
  });

  return {
    clientCapabilities(caps) {
      canRefresh = caps.workspace?.codeLens?.refreshSupport === true;
    },
    refresh,
    dispose() {
      clearTimeout(refreshTimer);
      previews.dispose();
    },
  };
}
