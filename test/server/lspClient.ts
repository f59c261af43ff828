// A real LSP client for the tests: starts dist/server.js as a child process over stdio and talks
// JSON-RPC to it with vscode-languageserver-protocol (the library VS Code's client is built on).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  type Diagnostic,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { InitializationOptions, SocklintSettings, StatusParams } from '../../src/server/protocol';

export const SERVER = path.resolve(__dirname, '../../dist/server.js');

/** Test-only wait: polls `check` until it returns a value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface Published { params: PublishDiagnosticsParams; at: number; seq: number }

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: ProtocolConnection;
  /** What `workspace/configuration` answers for section "socklint"; tests change it. */
  settings: SocklintSettings = {};
  readonly published = new Map<string, Published>();
  readonly statuses: StatusParams[] = [];
  readonly registrations: string[] = [];
  readonly stderr: string[] = [];
  /** window/logMessage lines, in order. */
  readonly logs: string[] = [];
  private seq = 0;
  private docs = new Map<string, TextDocument>();

  /** How often the server asked to refresh code lenses (workspace/codeLens/refresh). */
  codeLensRefreshes = 0;

  constructor(private readonly options: { snippets?: boolean; init?: InitializationOptions; env?: Record<string, string>; codeLens?: boolean } = {}) {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first`);
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    this.proc.stderr!.on('data', (b: Buffer) => this.stderr.push(b.toString()));
    this.conn = createProtocolConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'socklint' ? this.settings : null)));
    this.conn.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations.map((r) => r.method));
    });
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.set(p.uri, { params: p, at: performance.now(), seq: ++this.seq });
    });
    this.conn.onNotification('socklint/status', (p: StatusParams) => {
      this.statuses.push(p);
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes++;
      return null;
    });
    this.conn.listen();
  }

  async initialize(rootUri: string | null = null): Promise<InitializeResult> {
    const r = await this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'root' }] : null,
      initializationOptions: this.options.init ?? { debounceMs: 20 },
      capabilities: {
        workspace: {
          configuration: true,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, ...(this.options.snippets ? { snippetEditSupport: true } : {}) } as object,
          ...(this.options.codeLens ? { codeLens: { refreshSupport: true } } : {}),
        },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          hover: { contentFormat: ['markdown'] },
          ...(this.options.codeLens ? { codeLens: { dynamicRegistration: false } } : {}),
        },
      },
    });
    await this.conn.sendNotification(InitializedNotification.type, {});
    return r;
  }

  text(uri: string): string {
    return this.docs.get(uri)!.getText();
  }

  document(uri: string): TextDocument {
    return this.docs.get(uri)!;
  }

  async open(uri: string, text: string, languageId = 'cpp'): Promise<void> {
    this.docs.set(uri, TextDocument.create(uri, languageId, 1, text));
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Sends incremental changes (applied to our copy too); returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const doc = this.docs.get(uri)!;
    const version = doc.version + 1;
    this.docs.set(uri, TextDocument.update(doc, changes, version));
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async save(uri: string): Promise<void> {
    await this.conn.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeSettings(settings: SocklintSettings): Promise<void> {
    this.settings = settings;
    await this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: { socklint: settings } });
  }

  /** The next diagnostics published for `uri` after `afterSeq` (default: any) that satisfy `pred`. */
  waitDiagnostics(uri: string, pred: (d: Diagnostic[], p: Published) => boolean = () => true, afterSeq = 0, timeoutMs = 10_000): Promise<Diagnostic[]> {
    return waitFor(`diagnostics for ${uri}`, () => {
      const p = this.published.get(uri);
      return p && p.seq > afterSeq && pred(p.params.diagnostics, p) ? p.params.diagnostics : undefined;
    }, timeoutMs);
  }

  lastSeq(uri: string): number {
    return this.published.get(uri)?.seq ?? 0;
  }

  /** shutdown + exit, then waits for the process to end; returns its exit code. */
  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.proc.once('exit', (code) => resolve(code)));
    await this.conn.sendRequest(ShutdownRequest.type);
    await this.conn.sendNotification(ExitNotification.type);
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    this.conn.dispose();
    return code;
  }
}
