// The language server's platform on Node (dist/server.js): the engine and the CodeLens simulator
// in worker threads next to the bundle, `file:` URIs read straight from the disk (bounded: never a
// FIFO, a device or more than the limit), other schemes through the client.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRegularFile } from '../common/bounded-read';
import { nodeWorkerLink } from '../common/worker-link-node';
import { createEngine, engineOptionsFromEnv } from '../engine-host/host';
import type { ServerPlatform } from './platform';

export interface NodePlatformOptions {
  /** Where dist/tree-sitter.wasm and dist/grammars live; default: next to the bundle. */
  wasmDir?: string;
}

function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function nodePlatform(options: NodePlatformOptions = {}): ServerPlatform {
  return {
    description: `Node.js ${process.versions.node}`,
    createEngine(log) {
      const fromEnv = engineOptionsFromEnv(process.env);
      fromEnv.problems.forEach((m) => log(`socklint: ${m}`));
      return createEngine({ ...fromEnv.options, wasmDir: options.wasmDir, log });
    },
    startLensWorker() {
      const file = path.join(__dirname, 'lens-worker.js');
      if (!existsSync(file)) throw new Error(`${path.basename(file)} is missing`);
      return nodeWorkerLink(file);
    },
    async readFile(uri, maxBytes, throughClient) {
      const file = filePath(uri);
      if (!file) return throughClient(uri, maxBytes);
      const read = readRegularFile(file, maxBytes);
      return read.kind === 'ok' ? { kind: 'ok', text: read.bytes.toString('utf8') } : read;
    },
    afterQueuedMessages: () => new Promise((resolve) => setImmediate(resolve)),
    displayName: (uri) => filePath(uri) ?? uri,
  };
}
