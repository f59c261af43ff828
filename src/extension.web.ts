// The browser entry of the extension (package.json "browser", dist/web/extension.js): the same
// extension in vscode.dev, github.dev and any VS Code for the Web, with the language server in a
// Web Worker (dist/web/server.js). Everything else is shared with the desktop entry
// (src/extension/activate.ts).
//
// The worker is started from a blob: URL made of the bundle's code, which the extension reads with
// workspace.fs: where the extension's files are not plain http URLs (code-server serves them as
// vscode-remote: resources), `new Worker(url)` on their address fails. The grammars' bytes and the
// code of the server's own workers go in as the worker's first message, for the same reason.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { activateSocklint, deactivateSocklint } from './extension/activate';
import type { WebServerBoot } from './server/platform-web';

async function read(context: vscode.ExtensionContext, file: string): Promise<Uint8Array> {
  return vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, file));
}

async function startServerWorker(context: vscode.ExtensionContext): Promise<Worker> {
  const text = async (file: string) => new TextDecoder().decode(await read(context, file));
  const [server, engineWorker, lensWorker, runtime, c, cpp, python, csharp, go, java, javascript, typescript] = await Promise.all([
    text('dist/web/server.js'), text('dist/web/engine-worker.js'), text('dist/web/lens-worker.js'),
    read(context, 'dist/tree-sitter.wasm'), read(context, 'dist/grammars/tree-sitter-c.wasm'), read(context, 'dist/grammars/tree-sitter-cpp.wasm'),
    read(context, 'dist/grammars/tree-sitter-python.wasm'), read(context, 'dist/grammars/tree-sitter-c_sharp.wasm'),
    read(context, 'dist/grammars/tree-sitter-go.wasm'), read(context, 'dist/grammars/tree-sitter-java.wasm'),
    read(context, 'dist/grammars/tree-sitter-javascript.wasm'), read(context, 'dist/grammars/tree-sitter-typescript.wasm'),
  ]);
  const url = URL.createObjectURL(new Blob([server], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: 'socklint-server' });
  const boot: WebServerBoot = { kind: 'socklint-boot', grammars: { runtime, c, cpp, python, csharp, go, java, javascript, typescript }, engineWorker, lensWorker };
  worker.postMessage(boot);
  return worker;
}

export function activate(context: vscode.ExtensionContext): Promise<void> {
  // Said in the log as seen from here: a browser's extension host has no Node.js `process`.
  const host = `a Web Worker (browser extension host; typeof process is "${typeof process}")`;
  return activateSocklint(context, host, async (clientOptions) => {
    const worker = await startServerWorker(context);
    return new LanguageClient('socklint', 'Socklint', worker, clientOptions);
  });
}

export function deactivate(): Promise<void> {
  return deactivateSocklint();
}
