// The language server's platform in a browser (dist/web/server.js, a Web Worker): the engine and
// the CodeLens simulator in nested Web Workers made from the bundles' code the extension posted
// in (blob: URLs), the grammars as bytes, and every file read through the client (workspace.fs).
import { webWorkerLink, workerScriptUrl } from '../common/worker-link-web';
import { uriPath } from '../common/uri';
import type { GrammarBytes } from '../engine/parse/grammars';
import { createWebEngine } from '../engine-host/web';
import type { ServerPlatform } from './platform';

/** What the web extension posts to the server worker before the first LSP message. */
export interface WebServerBoot {
  kind: 'socklint-boot';
  grammars: GrammarBytes;
  /** The code of dist/web/engine-worker.js and dist/web/lens-worker.js. */
  engineWorker: string;
  lensWorker: string;
}

export function isWebServerBoot(m: unknown): m is WebServerBoot {
  const b = m as Partial<WebServerBoot> | null;
  return typeof b === 'object' && b !== null && b.kind === 'socklint-boot' && typeof b.engineWorker === 'string'
    && typeof b.lensWorker === 'string' && b.grammars?.runtime instanceof Uint8Array
    && b.grammars.c instanceof Uint8Array && b.grammars.cpp instanceof Uint8Array;
}

export function webPlatform(boot: WebServerBoot): ServerPlatform {
  const lensUrl = workerScriptUrl(boot.lensWorker);
  // A message to ourselves through a MessageChannel runs after the messages already queued (the
  // LSP messages are tasks too), without the clamping a nested timer gets.
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    description: 'a Web Worker',
    createEngine: (log) => createWebEngine(boot.engineWorker, boot.grammars, { log }),
    startLensWorker: () => webWorkerLink(lensUrl, 'socklint-codelens'),
    readFile: (uri, maxBytes, throughClient) => throughClient(uri, maxBytes),
    afterQueuedMessages: () => new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(undefined);
    }),
    displayName: (uri) => (uri.startsWith('file:') ? uriPath(uri) : uri),
  };
}
