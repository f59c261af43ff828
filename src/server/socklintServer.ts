// The Socklint language server: open documents -> engine -> diagnostics, code actions, hovers.
//
// Why it is shaped like this:
// - Each open document keeps an engine LintDocument that is edited with the LSP change events, so
//   a keystroke re-parses incrementally instead of from scratch.
// - Linting is synchronous (WASM tree-sitter), so "cancelling a stale request" means: a new edit
//   resets the document's debounce timer, and a result is published only if the document is still
//   at the version that was linted once the queued messages have been read.
// - Nothing throws to the client: every handler catches, logs and answers with an empty result.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  allRules,
  initEngine,
  languageIdForEditor,
  languageIdForPath,
  lint,
  LintDocument,
  ruleById,
  type Finding,
  type LanguageId,
  type LintResult,
} from '../engine';
import { docsUrl } from '../engine/rules/rule';
import { CONFIG_FILE_NAME } from '../engine/config';
import { actionsForFinding } from './codeActions';
import { registerCodeLenses } from './codeLens';
import { configProblemDiagnostic, SOURCE, toDiagnostics } from './diagnostics';
import { hoverFor } from './hover';
import {
  Methods,
  type DiagnosticData,
  type InitializationOptions,
  type LintFilesParams,
  type LintFilesResult,
  type RuleDocsResult,
  type RuleSummary,
  type SocklintSettings,
  type StatusParams,
} from './protocol';
import { ConfigFiles, effectiveSettings, type EffectiveSettings } from './settings';

const DEFAULT_DEBOUNCE_MS = 150;

interface OpenDocument {
  text: TextDocument;
  languageId: LanguageId;
  /** Created lazily, and only while the file is within the size limit. */
  engineDoc?: LintDocument;
  timer?: NodeJS.Timeout;
  analysing: boolean;
  last?: { version: number; findings: Finding[] };
}

export interface ServerOptions {
  /** Where dist/tree-sitter.wasm and dist/grammars live; default: next to the bundle. */
  wasmDir?: string;
}

export function startServer(connection: Connection, serverOptions: ServerOptions = {}): void {
  const docs = new Map<string, OpenDocument>();
  /** Files linted from disk by Scan Workspace (not open): re-linted when the config changes. */
  const scanned = new Map<string, Finding[]>();
  const configFiles = new ConfigFiles(() => allRules().map((r) => r.id));
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
  });

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const caps = params.capabilities;
    pullConfiguration = caps.workspace?.configuration === true;
    snippets = (caps.workspace?.workspaceEdit as { snippetEditSupport?: boolean } | undefined)?.snippetEditSupport === true;
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) debounceMs = init.debounceMs;
    workspaceRoots = (params.workspaceFolders ?? [])
      .map((f) => uriToPath(f.uri))
      .filter((p): p is string => p !== undefined);
    if (workspaceRoots.length === 0 && params.rootUri) {
      const p = uriToPath(params.rootUri);
      if (p) workspaceRoots.push(p);
    }
    engineReady = initEngine(serverOptions.wasmDir);
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
      const removed = new Set(e.removed.map((f) => uriToPath(f.uri)));
      workspaceRoots = workspaceRoots.filter((r) => !removed.has(r));
      for (const f of e.added) {
        const p = uriToPath(f.uri);
        if (p) workspaceRoots.push(p);
      }
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
        const file = uriToPath(uri);
        const loaded = file ? configFiles.forFile(file, workspaceRoots) : undefined;
        if (loaded?.file) publishConfigProblems(loaded.file, loaded.errors);
        const eff = effectiveSettings(raw ?? undefined, loaded?.config);
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

  function publishConfigProblems(file: string, errors: string[]): void {
    const uri = pathToFileURL(file).toString();
    if (errors.length === 0 && !publishedConfigProblems.has(uri)) return;
    if (errors.length > 0) publishedConfigProblems.add(uri);
    else publishedConfigProblems.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: errors.map((e) => configProblemDiagnostic(e, file)) });
  }

  /** Settings or a config file changed: forget what was read and re-lint everything shown, at once. */
  function configChanged(): void {
    settingsCache.clear();
    lenses.refresh();
    configFiles.clear();
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
    const lang = languageIdForEditor(languageId) ?? languageIdForPath(uriToPath(uri) ?? uri);
    if (!lang) return;
    docs.set(uri, { text: TextDocument.create(uri, languageId, version, text), languageId: lang, analysing: false });
    schedule(uri, 0);
  }));

  connection.onDidChangeTextDocument(guarded('didChange', undefined, async (params) => {
    const doc = docs.get(params.textDocument.uri);
    if (!doc) return;
    const changes = params.contentChanges as TextDocumentContentChangeEvent[];
    doc.text = TextDocument.update(doc.text, changes, params.textDocument.version);
    if (doc.engineDoc) {
      try {
        doc.engineDoc.applyChanges(changes);
      } catch (e) {
        // The incremental tree is out of step: start over from the full text on the next run.
        logError('applying an edit', e);
        doc.engineDoc.dispose();
        doc.engineDoc = undefined;
      }
    }
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
    doc.engineDoc?.dispose();
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
      const result = runEngine(doc, s);
      // Let queued didChange messages in first: if one arrived, this result is stale.
      await new Promise((resolve) => setImmediate(resolve));
      if (docs.get(uri) !== doc || doc.text.version !== version) return;
      doc.last = { version, findings: result.findings };
      await connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(uri, result, version) });
      lenses.refresh();
      setStatus(uri, doc, 'idle', result.notices.find((n) => n.kind === 'too-large' || n.kind === 'time-budget')?.message);
    } catch (e) {
      logError(`linting ${uri}`, e);
    }
  }

  function runEngine(doc: OpenDocument, s: EffectiveSettings): LintResult {
    const text = doc.text.getText();
    const limit = s.options.maxFileSizeBytes ?? Infinity;
    // Over the limit: no tree at all (the engine answers with its "too large" notice without parsing).
    if (text.length > limit || Buffer.byteLength(text, 'utf8') > limit) {
      doc.engineDoc?.dispose();
      doc.engineDoc = undefined;
      return lint(text, doc.languageId, s.options);
    }
    doc.engineDoc ??= new LintDocument(text, doc.languageId);
    return doc.engineDoc.lint(s.options);
  }

  // ---- Scan Workspace ------------------------------------------------------------------------

  async function lintFromDisk(uri: string): Promise<number | undefined> {
    const file = uriToPath(uri);
    const lang = file ? languageIdForPath(file) : undefined;
    if (!file || !lang) return undefined;
    const s = await settingsFor(uri);
    if (!s.enable) return undefined;
    const size = (await stat(file)).size;
    let result: LintResult;
    if (s.options.maxFileSizeBytes !== undefined && size > s.options.maxFileSizeBytes) {
      // Not even read: the size alone decides, as the engine would for an open file.
      const message = `Socklint skipped this file: ${Math.round(size / 1024)} KB is over socklint.maxFileSizeKb (${Math.round(s.options.maxFileSizeBytes / 1024)} KB).`;
      result = { findings: [], suppressed: [], notices: [{ kind: 'too-large', message }], errorNodes: 0, timing: { parseMs: 0, analyseMs: 0 } };
    } else {
      const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
      result = lint(text, lang, s.options);
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
      for (const uri of params.uris) {
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

  connection.onCodeAction(guarded('codeAction', [] as CodeAction[], (params: CodeActionParams, token: CancellationToken) => {
    const doc = docs.get(params.textDocument.uri);
    if (!doc || !doc.last || token.isCancellationRequested) return [];
    if (params.context.only && !params.context.only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
    // Fix edits carry the version they were computed for, so the editor refuses them if the text moved on.
    const ctx = { doc: doc.text, snippets, version: doc.last.version };
    const actions: CodeAction[] = [];
    for (const d of params.context.diagnostics) {
      const f = findingFor(doc, d);
      if (f) actions.push(...actionsForFinding(ctx, f, d));
    }
    return actions;
  }));

  connection.onHover(guarded('hover', null, (params) => {
    const doc = docs.get(params.textDocument.uri);
    if (!doc?.last) return null;
    return hoverFor(doc.last.findings, params.position);
  }));

  connection.onRequest(Methods.rules, guarded('rules', [] as RuleSummary[], async () => {
    await engineReady;
    return allRules().map((r) => ({ id: r.id, title: r.title, defaultSeverity: r.defaultSeverity }));
  }));

  connection.onRequest(Methods.ruleDocs, guarded('ruleDocs', null as RuleDocsResult | null, async (p: { ruleId: string }) => {
    await engineReady;
    const r = ruleById(p.ruleId);
    if (!r) return null;
    return { id: r.id, title: r.title, defaultSeverity: r.defaultSeverity, url: docsUrl(r.id), docs: r.docs };
  }));

  connection.onShutdown(() => {
    lenses.dispose();
    for (const d of docs.values()) {
      clearTimeout(d.timer);
      d.engineDoc?.dispose();
    }
    docs.clear();
  });

  connection.listen();
}

function sameRange(a: { start: { line: number; character: number }; end: { line: number; character: number } }, b: typeof a): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
