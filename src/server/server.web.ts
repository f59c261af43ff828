// Entry point of dist/web/server.js: the same language server in a Web Worker (vscode.dev,
// github.dev, code-server's web worker extension host). The web extension starts it from a blob:
// URL and posts one message before any LSP traffic: the grammars' bytes and the code of the engine
// and CodeLens workers (a worker here has no files to read and no URL to fetch them from).
import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { isWebServerBoot, webPlatform } from './platform-web';
import { startServer } from './socklintServer';

// The worker's global scope; typed as a MessagePort, the part of it the reader and writer use.
const scope = self as unknown as MessagePort;

scope.onmessage = (e: MessageEvent) => {
  if (!isWebServerBoot(e.data)) {
    console.error('socklint: the language server worker expected its boot message first');
    return;
  }
  // From here on every message is LSP: the reader takes over onmessage.
  const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(scope), new BrowserMessageWriter(scope));
  startServer(connection, webPlatform(e.data));
};
