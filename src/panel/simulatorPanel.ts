// Hosts the simulator panel (webview/main.ts, bundled to dist/webview.js) in VS Code.
// One panel at a time: showing a new finding reuses it. The panel keeps its own state with
// setState; after a window reload the serializer below rebuilds the page and the panel restores
// itself from that state (no retainContextWhenHidden: the state is small, recomputing is cheap).
import * as vscode from 'vscode';
import type { Scenario } from '../common/scenario';
import { parsePanelMessage, type HostMessage, type PanelInput, type PanelMessage } from '../../webview/protocol';
import { makeNonce, panelHtml } from './html';

export const SIMULATOR_VIEW_TYPE = 'socklint.simulator';

export interface SimulatorPanelInput {
  scenario?: Scenario;
  fixedScenario?: Scenario;
  title?: string;
  /** The `socklint.simulator.link` setting: the link preset a finding is simulated on. */
  link?: string;
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')],
  };
}

export class SimulatorPanel {
  private static current: SimulatorPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** Opens (or reveals) the panel. With a finding's scenarios it compares them; without, it starts with the presets. */
  static show(context: vscode.ExtensionContext, input?: SimulatorPanelInput): void {
    const toPanel: PanelInput | undefined = input && (input.scenario || input.fixedScenario)
      ? { scenario: input.scenario, fixedScenario: input.fixedScenario, title: input.title, link: input.link }
      : undefined;
    const open = SimulatorPanel.current;
    if (open) {
      open.panel.reveal(undefined, false);
      if (input?.title) open.panel.title = `Simulate: ${input.title}`;
      if (toPanel) open.deliver(toPanel);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      SIMULATOR_VIEW_TYPE,
      input?.title ? `Simulate: ${input.title}` : 'Socklint simulator',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      webviewOptions(context.extensionUri),
    );
    SimulatorPanel.current = new SimulatorPanel(panel, context, toPanel);
  }

  /** The link setting changed: the open panel re-runs a finding on the new link. */
  static setLink(link: string): void {
    void SimulatorPanel.current?.post({ type: 'link', link });
  }

  /** Rebuilds a panel VS Code restores after a reload; the page restores its own state. */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext): void {
    SimulatorPanel.current?.panel.dispose();
    SimulatorPanel.current = new SimulatorPanel(panel, context, undefined);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    context: vscode.ExtensionContext,
    private pending: PanelInput | undefined,
  ) {
    const webview = panel.webview;
    // Reset on revive too, so the roots follow the extension's current location.
    webview.options = webviewOptions(context.extensionUri);
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'simulator.svg');
    const file = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(context.extensionUri, ...p)).toString();
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      script: file('dist', 'webview.js'),
      worker: file('dist', 'sim-worker.js'),
      style: file('media', 'simulator.css'),
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(message: HostMessage): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  /**
   * A hidden panel's page is unloaded and a message to it is dropped, so the input also waits
   * as `pending` for the page's `ready`; whichever comes first delivers it, once.
   */
  private deliver(input: PanelInput): void {
    this.pending = input;
    this.post({ type: 'load', input }).then((delivered) => {
      if (delivered && this.pending === input) this.pending = undefined;
    }, () => undefined);
  }

  private receive(raw: unknown): void {
    const parsed = parsePanelMessage(raw);
    if (!parsed.ok) {
      console.warn(`socklint simulator: ignored a malformed message from the panel: ${parsed.error}`);
      return;
    }
    const m: PanelMessage = parsed.value;
    switch (m.type) {
      case 'ready':
        // The page (re)loaded: hand it the finding it was opened for, once.
        void this.post({ type: 'init', input: this.pending });
        this.pending = undefined;
        break;
      case 'problem':
        console.warn(`socklint simulator: ${m.message}`);
        break;
      case 'title':
        // The tab names what the panel shows (the panel picks presets itself).
        this.panel.title = m.title;
        break;
      case 'export':
        void this.saveExport(m);
        break;
    }
  }

  private async saveExport(m: Extract<PanelMessage, { type: 'export' }>): Promise<void> {
    try {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, m.fileName) : undefined,
        filters: { [m.format.toUpperCase()]: [m.format] },
        saveLabel: 'Export',
      });
      if (!target) {
        void this.post({ type: 'exported', ok: false, message: 'Export cancelled.' });
        return;
      }
      // No Buffer: this also runs in a browser's extension host.
      const bytes = m.format === 'png' ? Uint8Array.from(atob(m.data), (c) => c.charCodeAt(0)) : new TextEncoder().encode(m.data);
      await vscode.workspace.fs.writeFile(target, bytes);
      void this.post({ type: 'exported', ok: true, message: `Saved ${vscode.workspace.asRelativePath(target)}.` });
    } catch (e) {
      void this.post({ type: 'exported', ok: false, message: `Export failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private dispose(): void {
    if (SimulatorPanel.current === this) SimulatorPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Call during activation (and declare `onWebviewPanel:socklint.simulator`) so panels survive a reload. */
export function registerSimulatorPanelSerializer(context: vscode.ExtensionContext): vscode.Disposable {
  const d = vscode.window.registerWebviewPanelSerializer(SIMULATOR_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
      SimulatorPanel.revive(panel, context);
    },
  });
  context.subscriptions.push(d);
  return d;
}
