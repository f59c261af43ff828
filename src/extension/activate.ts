// The VS Code side of Socklint, kept thin, shared by the desktop entry (src/extension.ts: the
// language server in a Node process) and the browser entry (src/extension.web.ts: the language
// server in a Web Worker). It starts the language client, registers the commands, and shows the
// status bar item, the rule docs page and the simulator panel. No analysis runs here.
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  type BaseLanguageClient,
  type ConfigurationParams,
  type LanguageClientOptions,
} from 'vscode-languageclient';
import { Commands, Methods, type InitializationOptions, type ReadFileParams, type RuleDocsResult, type RuleSummary, type SimulateArgs, type SocklintSettings, type StatusParams } from '../server/protocol';
import { readWorkspaceFile } from './readFile';
import { registerRevealFix, withRevealCommands } from './revealFix';
import { showRuleDocs } from './ruleDocsView';
import { scanWorkspace } from './scan';
import { SocklintStatus } from './statusBar';
import { registerSimulatorPanelSerializer, SimulatorPanel } from '../panel/simulatorPanel';

/**
 * The schemes whose C/C++, Python, C#, Go and Java documents are linted: files on disk, unsaved editors, a remote
 * (code-server, Remote-SSH), GitHub repositories in github.dev / vscode.dev, and the test web host.
 */
const DOCUMENT_SCHEMES = ['file', 'untitled', 'vscode-remote', 'vscode-vfs', 'vscode-test-web'] as const;
const LANGUAGES = ['c', 'cpp', 'cuda-cpp', 'python', 'csharp', 'go', 'java', 'javascript', 'javascriptreact', 'typescript'] as const;

/** Makes the language client of one host (Node or browser) once the shared options are known. */
export type ClientFactory = (clientOptions: LanguageClientOptions) => Promise<BaseLanguageClient>;

let client: BaseLanguageClient | undefined;

const SETTING_KEYS = ['enable', 'run', 'rules', 'maxFileSizeKb', 'profile', 'timeBudgetMs', 'codeLens.enable', 'simulator.link'] as const;
/** The limits that bound one file's cost: package.json's restrictedConfigurations, and capped by `socklint.ceiling.*`. */
const LIMIT_KEYS = ['maxFileSizeKb', 'timeBudgetMs'] as const;

/**
 * The settings the user actually set (user, workspace, folder; later wins), without VS Code's
 * defaults: a key left unset lets `.socklintrc.json` decide, as DESIGN.md asks. In Restricted
 * Mode the workspace's values of the limits are left out, as VS Code does for restricted settings.
 * `ceiling` tells the server how far the workspace may raise the limits: the user's ceiling, or
 * the user's own limit if that is higher.
 */
function explicitSettings(scopeUri: string | undefined): SocklintSettings {
  const scope = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
  const cfg = vscode.workspace.getConfiguration('socklint', scope);
  const trusted = vscode.workspace.isTrusted;
  const out: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const i = cfg.inspect(key);
    if (!i) continue;
    const fromWorkspace = trusted || !(LIMIT_KEYS as readonly string[]).includes(key);
    const layers = [i.globalValue, ...(fromWorkspace ? [i.workspaceValue, i.workspaceFolderValue] : [])].filter((v) => v !== undefined);
    if (layers.length === 0) continue;
    const value = key === 'rules' ? Object.assign({}, ...layers) : layers[layers.length - 1];
    // "codeLens.enable" goes to the server as { codeLens: { enable } }, as VS Code nests it.
    const [head, tail] = key.split('.') as [string, string | undefined];
    if (tail) out[head] = { ...(out[head] as object | undefined), [tail]: value };
    else out[key] = value;
  }
  const ceiling: Record<string, number> = {};
  for (const key of LIMIT_KEYS) {
    const c = cfg.inspect<number>(`ceiling.${key}`);
    const own = cfg.inspect<number>(key)?.globalValue;
    const values = [c?.globalValue ?? c?.defaultValue, own].filter((v): v is number => typeof v === 'number');
    if (values.length > 0) ceiling[key] = Math.max(...values);
  }
  out.ceiling = ceiling;
  out.workspaceTrusted = trusted;
  return out as SocklintSettings;
}

/** `socklint.simulator.link` for the file in front (the panel checks the value). */
function simulatorLink(): string {
  return vscode.workspace.getConfiguration('socklint', vscode.window.activeTextEditor?.document.uri).get<string>('simulator.link', 'lan');
}

/**
 * Activation for both hosts. `host` names where the extension runs, for the log; `makeClient`
 * builds the language client (its server a Node process or a Web Worker).
 */
export async function activateSocklint(context: vscode.ExtensionContext, host: string, makeClient: ClientFactory): Promise<void> {
  const activateAt = performance.now();
  const output = vscode.window.createOutputChannel('Socklint', { log: true });
  const status = new SocklintStatus();
  context.subscriptions.push(output, status);
  output.info(`running in ${host}`);

  const initializationOptions: InitializationOptions = { readFile: true };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SCHEMES.flatMap((scheme) => LANGUAGES.map((language) => ({ scheme, language }))),
    synchronize: { configurationSection: 'socklint' },
    initializationOptions,
    outputChannel: output,
    middleware: {
      provideCodeActions: async (document, range, context, token, next) =>
        withRevealCommands(document, await next(document, range, context, token)),
      workspace: {
        configuration: async (params: ConfigurationParams, token, next) => {
          if (params.items.every((i) => i.section === 'socklint')) return params.items.map((i) => explicitSettings(i.scopeUri));
          return next(params, token);
        },
      },
    },
  };
  let lsp: BaseLanguageClient;
  try {
    lsp = await makeClient(clientOptions);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    status.failed(message);
    output.error(`language server could not be started: ${message}`);
    return;
  }
  client = lsp;
  // Files the server cannot read itself (other schemes than file:, or any file in a browser).
  context.subscriptions.push(lsp.onRequest(Methods.readFile, (p: ReadFileParams) => readWorkspaceFile(p)));

  async function ruleDocs(ruleId: string | undefined): Promise<void> {
    let id = ruleId;
    if (!id) {
      const rules = await lsp.sendRequest<RuleSummary[]>(Methods.rules);
      const pick = await vscode.window.showQuickPick(
        rules.map((r) => ({ label: r.title, description: r.id, id: r.id })),
        { placeHolder: 'Which rule?', matchOnDescription: true },
      );
      id = pick?.id;
    }
    if (!id) return;
    const docs = await lsp.sendRequest<RuleDocsResult | null>(Methods.ruleDocs, { ruleId: id });
    if (docs) showRuleDocs(docs);
    else void vscode.window.showWarningMessage(`Socklint has no rule named "${id}".`);
  }

  // Commands never throw into the editor: failures become a message.
  const command = (id: string, fn: (...args: never[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
        await fn(...args);
      } catch (e) {
        output.error(`${id}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        void vscode.window.showErrorMessage(`Socklint: ${e instanceof Error ? e.message : String(e)}`);
      }
    });

  context.subscriptions.push(
    command(Commands.scanWorkspace, async () => {
      const summary = await scanWorkspace(lsp);
      if (summary) status.scanned(summary);
    }),
    command(Commands.showRuleDocumentation, (ruleId?: string) => ruleDocs(typeof ruleId === 'string' ? ruleId : undefined)),
    command(Commands.openSimulator, () => SimulatorPanel.show(context)),
    command(Commands.simulate, (args?: SimulateArgs) =>
      SimulatorPanel.show(context, args ? { scenario: args.scenario, fixedScenario: args.fixedScenario, title: args.title, link: simulatorLink() } : undefined)),
    command(Commands.showProblems, () => vscode.commands.executeCommand('workbench.actions.view.problems')),
  );
  context.subscriptions.push(registerRevealFix());
  registerSimulatorPanelSerializer(context);
  // The link findings are simulated on: an open panel showing a finding follows the setting.
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('socklint.simulator.link')) SimulatorPanel.setLink(simulatorLink());
  }));

  // Started in the background: activate() returns at once, and the editor stays responsive.
  lsp.start().then(
    () => {
      context.subscriptions.push(lsp.onNotification(Methods.status, (p: StatusParams) => status.update(p)));
      // Trust granted: the workspace's limits now apply; the server asks for the settings again.
      context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => {
        void lsp.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      }));
      status.ready();
      output.info(`language server ready ${(performance.now() - activateAt).toFixed(1)} ms after activate()`);
    },
    (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      status.failed(message);
      output.error(`language server failed to start: ${message}`);
    },
  );
  const now = performance.now();
  output.info(`activated: activate() took ${(now - activateAt).toFixed(1)} ms`);
}

export async function deactivateSocklint(): Promise<void> {
  await client?.stop().catch(() => undefined);
  client = undefined;
}
