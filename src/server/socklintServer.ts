// The Socklint language server: open documents -> engine -> diagnostics, code actions, hovers.
//
// Why it is shaped like this:
// - The engine runs in a worker (src/engine-host), which keeps an incremental copy of each open
//   document, edited with the LSP change events, so a keystroke re-parses only what changed. A
//   file that crashes the worker or runs out of memory gets one message saying so; the worker is
//   replaced and every other file goes on as before. The server itself stays responsive.
// - Change events are checked and put in canonical form before either copy sees them
//   (textSync.ts), so the server's text and the engine's copy can never disagree.
// - "Cancelling a stale request" means: a new edit resets the document's debounce timer, and a
//   result is published only if the document is still at the version that was linted.
// - Nothing throws to the client: every handler checks its params, catches, logs and answers
//   with an empty result.
// - It runs on Node (desktop) and in a Web Worker (browser) alike: what differs is behind the
//   platform seam (platform.ts). Documents are keyed by URI, whatever their scheme; files the
//   editor has not opened are read from the disk where the server can, else through the client.
import {
  CodeActionKind,
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  HoverRequest,
  TextDocumentSyncKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { uriPath } from '../common/uri';
import {
  allRules,
  DEFAULT_MAX_FILE_SIZE_BYTES,
  languageIdForEditor,
  languageIdForPath,
  ruleById,
  type Finding,
  type LanguageId,
  type LintResult,
} from '../engine';
import type { ContentChange } from '../engine/document';
import { docsUrl } from '../engine/rules/rule';
import { CONFIG_FILE_NAME } from '../engine/config';
import { actionsForFinding } from './codeActions';
import { registerCodeLenses } from './codeLens';
import { configProblemDiagnostic, SOURCE, toDiagnostics } from './diagnostics';
import { hoverFor } from './hover';
import { isCodeActionParams, isDiagnosticLike, isTextDocumentPositionParams } from './requestParams';
import {
  Methods,
  type DiagnosticData,
  type InitializationOptions,
  type LintFilesParams,
  type LintFilesResult,
  type ReadFileParams,
  type ReadFileResult,
  type RuleDocsResult,
  type RuleSummary,
  type SocklintSettings,
  type StatusParams,
} from './protocol';
import { ConfigFiles, effectiveSettings, type EffectiveSettings } from './settings';
import { applyContentChanges } from './textSync';
import type { ServerPlatform } from './platform';

const DEFAULT_DEBOUNCE_MS = 150;

interface OpenDocument {
  text: TextDocument;
  languageId: LanguageId;
  /**
   * Changes the engine's copy has not seen yet, in order; undefined when the engine must be sent
   * the full text (first lint, a file over the size limit, a failed run).
   */
  unsynced?: ContentChange[];
  timer?: ReturnType<typeof setTimeout>;
  analysing: boolean;
  last?: { version: number; findings: Finding[] };
}

export function startServer(connection: Connection, platform: ServerPlatform): void {
  const docs = new Map<string, OpenDocument>();
  /** Files linted from disk by Scan Workspace (not open): re-linted when the config changes. */
  const scanned = new Map<string, Finding[]>();
  let clientReadsFiles = false;
  /** Asks the client for a file's text (workspace.fs): how files of other schemes than file: are read. */
  const readThroughClient = async (uri: string, maxBytes: number): Promise<ReadFileResult> => {
    if (!clientReadsFiles) return { kind: 'error', code: 'the client cannot read files for the server' };
    const r = await connection.sendRequest<ReadFileResult | null>(Methods.readFile, { uri, maxBytes } satisfies ReadFileParams);
    return r && typeof r === 'object' && typeof r.kind === 'string' ? r : { kind: 'error', code: 'no answer' };
  };
  const readFile = (uri: string, maxBytes: number) => platform.readFile(uri, maxBytes, readThroughClient);
  const configFiles = new ConfigFiles(() => allRules().map((r) => r.id), { read: readFile, displayName: platform.displayName });
  const settingsCache = new Map<string, Promise<EffectiveSettings>>();
  const publishedConfigProblems = new Set<string>();
  let workspaceRoots: string[] = [];
  let pullConfiguration = false;
  let snippets = false;
  let pushedSettings: SocklintSettings | undefined;
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  let engineReady: Promise<void> = Promise.resolve();
  /** The settings as the client sent them, per document (the CodeLens reads its own keys). */
  const rawSettings = new Map<string, SocklintSettings | undefined>();

  const log = (m: string) => connection.console.log(m);
  const engine = platform.createEngine(log);
  const logError = (where: string, e: unknown) =>
    connection.console.error(`socklint: ${where}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);

  /** Runs a handler and turns any exception into a log line and a fallback answer. */
  function guarded<A extends unknown[], R>(where: string, fallback: R, fn: (...args: A) => R | Promise<R>) {
    return async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (e) {
        logError(where, e);
        return fallback;
      }
    };
  }

  // CodeLens on findings (codeLens.ts): the simulator's preview, off the server's thread.
  const lenses = registerCodeLenses(connection, {
    findings: (uri) => docs.get(uri)?.last?.findings,
    settings: async (uri) => {
      await settingsFor(uri); // reads (once per change) and keeps the raw settings too
      return rawSettings.get(uri);
    },
    ruleTitle: (id) => ruleById(id)?.title ?? id,
    log,
  }, () => platform.startLensWorker());

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const caps = params.capabilities;
    pullConfiguration = caps.workspace?.configuration === true;
    snippets = (caps.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport === true;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    clientReadsFiles = init.readFile === true;
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => f.uri).filter((u) => typeof u === 'string');
    if (workspaceRoots.length === 0 && typeof params.rootUri === 'string') workspaceRoots.push(params.rootUri);
    log(`socklint: language server running in ${platform.description}`);
    // The engine worker starts now, so the first file does not wait for it.
    engineReady = engine.warmUp();
    lenses.clientCapabilities(caps);
    await engineReady;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'socklint' },
    };
  });

  connection.onInitialized(() => {
    // Ask to be told about setting changes and about .socklintrc.json edits on disk.
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'socklint' }).catch(() => undefined);
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: `**/${CONFIG_FILE_NAME}` }] })
      .catch(() => undefined);
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(e.removed.map((f) => f.uri));
      workspaceRoots = workspaceRoots.filter((r) => !removed.has(r));
      for (const f of e.added) workspaceRoots.push(f.uri);
      configChanged();
    });
  });

  // ---- settings ------------------------------------------------------------------------------

  function settingsFor(uri: string): Promise<EffectiveSettings> {
    let s = settingsCache.get(uri);
    if (!s) {
      s = (async () => {
        const raw = pullConfiguration
          ? ((await connection.workspace.getConfiguration({ scopeUri: uri, section: 'socklint' })) as SocklintSettings | null)
          : pushedSettings;
        rawSettings.set(uri, raw ?? undefined);
        // Untitled documents have no folder, hence no config file.
        const loaded = uri.startsWith('untitled:') ? undefined : await configFiles.forFile(uri, workspaceRoots);
        const eff = effectiveSettings(raw ?? undefined, loaded?.config, loaded?.file);
        if (loaded?.uri && loaded.file) publishConfigProblems(loaded.uri, loaded.file, [...loaded.errors, ...eff.fileNotes]);
        for (const p of eff.problems) log(`socklint: ${p}`);
        return eff;
      })().catch((e) => {
        logError('reading settings', e);
        return effectiveSettings(undefined, undefined);
      });
      settingsCache.set(uri, s);
    }
    return s;
  }

  /** Last problems published per config file: every document under it asks, the client hears once. */
  const configProblemText = new Map<string, string>();
  function publishConfigProblems(uri: string, file: string, errors: string[]): void {
    const unique = [...new Set(errors)];
    if (unique.length === 0 && !publishedConfigProblems.has(uri)) return;
    if (configProblemText.get(uri) === unique.join('\n')) return;
    configProblemText.set(uri, unique.join('\n'));
    if (unique.length > 0) publishedConfigProblems.add(uri);
    else publishedConfigProblems.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: unique.map((e) => configProblemDiagnostic(e, file)) });
  }

  /** Settings or a config file changed: forget what was read and re-lint everything shown, at once. */
  function configChanged(): void {
    settingsCache.clear();
    lenses.refresh();
    configFiles.clear();
    configProblemText.clear();
    for (const uri of docs.keys()) schedule(uri, 0);
    if (scanned.size > 0) void relintScanned();
  }

  connection.onDidChangeConfiguration(guarded('didChangeConfiguration', undefined, (params) => {
    const s = (params.settings as { socklint?: SocklintSettings } | undefined)?.socklint;
    if (s) pushedSettings = s;
    configChanged();
  }));

  connection.onDidChangeWatchedFiles(guarded('didChangeWatchedFiles', undefined, (params) => {
    if (params.changes.some((c) => c.uri.endsWith(CONFIG_FILE_NAME))) configChanged();
  }));

  // ---- documents -----------------------------------------------------------------------------

  connection.onDidOpenTextDocument(guarded('didOpen', undefined, (params) => {
    const { uri, languageId, version, text } = params.textDocument;
    if (typeof uri !== 'string' || typeof text !== 'string') return;
    const lang = languageIdForEditor(languageId) ?? languageIdForPath(uriPath(uri));
    if (!lang) return;
    docs.set(uri, { text: TextDocument.create(uri, languageId, version, text), languageId: lang, analysing: false });
    schedule(uri, 0);
  }));

  connection.onDidChangeTextDocument(guarded('didChange', undefined, async (params) => {
    const doc = docs.get(params.textDocument.uri);
    if (!doc) return;
    const version = typeof params.textDocument.version === 'number' ? params.textDocument.version : doc.text.version + 1;
    const synced = applyContentChanges(doc.text, params.contentChanges, version);
    for (const p of synced.problems) log(`socklint: didChange ${params.textDocument.uri}: ${p}`);
    doc.text = synced.doc;
    doc.unsynced?.push(...synced.changes);
    const s = await settingsFor(params.textDocument.uri);
    if (s.run === 'onType') schedule(params.textDocument.uri, debounceMs);
  }));

  connection.onDidSaveTextDocument(guarded('didSave', undefined, async (params) => {
    const doc = docs.get(params.textDocument.uri);
    if (!doc) return;
    const s = await settingsFor(params.textDocument.uri);
    if (s.run === 'onSave' || doc.last?.version !== doc.text.version) schedule(params.textDocument.uri, 0);
  }));

  connection.onDidCloseTextDocument(guarded('didClose', undefined, (params) => {
    const uri = params.textDocument.uri;
    const doc = docs.get(uri);
    if (!doc) return;
    clearTimeout(doc.timer);
    void engine.closeDocument(uri);
    docs.delete(uri);
    settingsCache.delete(uri);
    // A scanned file goes back to what is on disk; any other file's diagnostics go away with it.
    if (scanned.has(uri)) void lintFromDisk(uri);
    else void connection.sendDiagnostics({ uri, diagnostics: [] });
  }));

  function setStatus(uri: string, doc: OpenDocument, state: StatusParams['state'], notice?: string): void {
    const analysing = state === 'analysing';
    if (analysing && doc.analysing) return; // tell once per burst of keystrokes
    doc.analysing = analysing;
    const params: StatusParams = { uri, state, findings: doc.last?.findings.length ?? 0, notice };
    void connection.sendNotification(Methods.status, params);
  }

  function schedule(uri: string, delay: number): void {
    const doc = docs.get(uri);
    if (!doc) return;
    clearTimeout(doc.timer);
    setStatus(uri, doc, 'analysing');
    doc.timer = setTimeout(() => void lintOpen(uri), delay);
  }

  /** Lints an open document now and publishes, unless it changed in the meantime (then a newer run is scheduled). */
  async function lintOpen(uri: string): Promise<void> {
    try {
      await engineReady;
      const doc = docs.get(uri);
      if (!doc) return;
      const s = await settingsFor(uri);
      const current = docs.get(uri);
      if (current !== doc) return; // closed and maybe reopened while settings were read
      const version = doc.text.version;
      if (!s.enable) {
        doc.last = { version, findings: [] };
        await connection.sendDiagnostics({ uri, version, diagnostics: [] });
        setStatus(uri, doc, 'idle');
        return;
      }
      const result = await runEngine(uri, doc, s);
      // Let queued didChange messages in first: if one arrived, this result is stale.
      await platform.afterQueuedMessages();
      if (docs.get(uri) !== doc || doc.text.version !== version) return;
      doc.last = { version, findings: result.findings };
      await connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(uri, result, version) });
      lenses.refresh();
      setStatus(uri, doc, 'idle', result.notices.find((n) => n.kind === 'too-large' || n.kind === 'time-budget' || n.kind === 'internal')?.message);
    } catch (e) {
      logError(`linting ${uri}`, e);
    }
  }

  async function runEngine(uri: string, doc: OpenDocument, s: EffectiveSettings): Promise<LintResult> {
    const text = doc.text.getText();
    const limit = s.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES;
    // Over the limit: the engine keeps no copy (it answers with its "too large" notice without parsing).
    if (text.length > limit || utf8Length(text) > limit) {
      doc.unsynced = undefined;
      await engine.closeDocument(uri);
      return engine.lint(text, doc.languageId, s.options);
    }
    // Taken together with the text, before anything is awaited: later edits start a new list.
    const changes = doc.unsynced;
    doc.unsynced = [];
    const result = await engine.lintDocument(uri, doc.languageId, text, changes, s.options);
    if (result.notices.some((n) => n.kind === 'internal')) doc.unsynced = undefined;
    return result;
  }

  // ---- Scan Workspace ------------------------------------------------------------------------

  /** Lints a file the editor has not opened (Scan Workspace), read from the disk or through the client. */
  async function lintFromDisk(uri: string): Promise<number | undefined> {
    const lang = languageIdForPath(uriPath(uri));
    if (!lang) return undefined;
    const file = platform.displayName(uri);
    const s = await settingsFor(uri);
    if (!s.enable) return undefined;
    const limit = s.options.maxFileSizeBytes ?? DEFAULT_MAX_FILE_SIZE_BYTES;
    // Not read past the limit, and never a FIFO or device (reading one would never end).
    const read = await readFile(uri, limit);
    let result: LintResult;
    if (read.kind === 'too-large') {
      const message = `Socklint skipped this file: ${Math.round(read.size / 1024)} KB is over socklint.maxFileSizeKb (${Math.round(limit / 1024)} KB).`;
      result = { findings: [], suppressed: [], notices: [{ kind: 'too-large', message }], errorNodes: 0, timing: { parseMs: 0, analyseMs: 0 } };
    } else if (read.kind !== 'ok') {
      log(`socklint: ${file}: not linted (${read.kind === 'error' ? read.code : 'not a regular file'})`);
      return undefined;
    } else {
      result = await engine.lint(read.text.replace(/^\uFEFF/, ''), lang, s.options);
    }
    scanned.set(uri, result.findings);
    await connection.sendDiagnostics({ uri, diagnostics: toDiagnostics(uri, result, null) });
    return result.findings.length;
  }

  async function relintScanned(): Promise<void> {
    for (const uri of [...scanned.keys()]) {
      if (docs.has(uri)) continue;
      await lintFromDisk(uri).catch((e) => logError(`re-linting ${uri}`, e));
    }
  }

  connection.onRequest(Methods.lintFiles, guarded('lintFiles', { linted: 0, findings: 0, skipped: 0 },
    async (params: LintFilesParams, token: CancellationToken): Promise<LintFilesResult> => {
      await engineReady;
      const out: LintFilesResult = { linted: 0, findings: 0, skipped: 0 };
      const uris: unknown[] = Array.isArray(params?.uris) ? params.uris : [];
      for (const uri of uris) {
        if (typeof uri !== 'string') {
          out.skipped++;
          continue;
        }
        if (token.isCancellationRequested) break;
        try {
          const open = docs.get(uri);
          if (open) {
            await lintOpen(uri);
            out.linted++;
            out.findings += open.last?.findings.length ?? 0;
            scanned.set(uri, open.last?.findings ?? []);
            continue;
          }
          const n = await lintFromDisk(uri);
          if (n === undefined) out.skipped++;
          else {
            out.linted++;
            out.findings += n;
          }
        } catch (e) {
          logError(`scanning ${uri}`, e);
          out.skipped++;
        }
      }
      return out;
    }));

  // ---- code actions, hovers, rule docs -------------------------------------------------------

  function findingFor(doc: OpenDocument, d: Diagnostic): Finding | undefined {
    if (d.source !== SOURCE || !doc.last) return undefined;
    const data = d.data as DiagnosticData | undefined;
    const findings = doc.last.findings;
    if (data && data.version === doc.last.version && findings[data.index]?.ruleId === data.ruleId) return findings[data.index];
    // The client may send a diagnostic from an older run: match it by rule and position.
    return findings.find((f) => f.ruleId === (data?.ruleId ?? d.code) && sameRange(f.range, d.range));
  }

  // Registered as plain requests: the library's onCodeAction/onHover helpers read progress tokens
  // from the params before any handler runs, and answer malformed (e.g. null) params with an
  // internal error. Bad params here get an empty answer.
  connection.onRequest(CodeActionRequest.type, guarded('codeAction', [] as CodeAction[], (params: CodeActionParams, token: CancellationToken) => {
    if (!isCodeActionParams(params)) return [];
    const doc = docs.get(params.textDocument.uri);
    if (!doc || !doc.last || token.isCancellationRequested) return [];
    if (params.context.only && !params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
    // Fix edits carry the version they were computed for, so the editor refuses them if the text moved on.
    const ctx = { doc: doc.text, snippets, version: doc.last.version };
    const actions: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      if (!isDiagnosticLike(d)) continue;
      const f = findingFor(doc, d);
      if (f) actions.push(...actionsForFinding(ctx, f, d));
    }
    return actions;
  }));

  connection.onRequest(HoverRequest.type, guarded('hover', null, (params) => {
    if (!isTextDocumentPositionParams(params)) return null;
    const doc = docs.get(params.textDocument.uri);
    if (!doc?.last) return null;
    return hoverFor(doc.last.findings, params.position);
  }));

  connection.onRequest(Methods.rules, guarded('rules', [] as RuleSummary[], async () => {
    await engineReady;
    return allRules().map((r) => ({ id: r.id, title: r.title, defaultSeverity: r.defaultSeverity }));
  }));

  connection.onRequest(Methods.ruleDocs, guarded('ruleDocs', null as RuleDocsResult | null, async (p: { ruleId: string } | null) => {
    await engineReady;
    if (typeof p?.ruleId !== 'string') return null;
    const r = ruleById(p.ruleId);
    if (!r) return null;
    return { id: r.id, title: r.title, defaultSeverity: r.defaultSeverity, url: docsUrl(r.id), docs: r.docs };
  }));

  connection.onShutdown(async () => {
    lenses.dispose();
    for (const d of docs.values()) clearTimeout(d.timer);
    docs.clear();
    await engine.dispose();
  });

  connection.listen();
}

function sameRange(a: { start: { line: number; character: number }; end: { line: number; character: number } }, b: typeof a): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The length of a text in UTF-8 bytes, without encoding it. */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
