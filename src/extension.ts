// The desktop entry of the extension (package.json "main", dist/extension.js): the language
// server runs in its own Node process (dist/server.js), so a slow file can never freeze the
// editor. Everything else is shared with the browser entry (src/extension/activate.ts).
import type * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { activateSocklint, deactivateSocklint } from './extension/activate';

export function activate(context: vscode.ExtensionContext): Promise<void> {
  return activateSocklint(context, `Node.js ${process.versions.node} (desktop extension host)`, async (clientOptions) => {
    const serverModule = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    return new LanguageClient('socklint', 'Socklint', serverOptions, clientOptions);
  });
}

export function deactivate(): Promise<void> {
  return deactivateSocklint();
}
