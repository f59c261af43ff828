// Bundles every entry point of Socklint and copies the tree-sitter wasm files next to them.
// Usage: node esbuild.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');
const out = 'dist';

// Runtime and grammars are pinned together in package.json (web-tree-sitter 0.25.10,
// tree-sitter-c 0.24.1, tree-sitter-cpp 0.23.4, tree-sitter-python 0.25.0, tree-sitter-c-sharp 0.23.5, tree-sitter-go 0.25.0, tree-sitter-java 0.23.5,
// tree-sitter-javascript 0.25.0, tree-sitter-typescript 0.23.2); test/engine/grammars.test.ts loads each one.
function copyWasm() {
  mkdirSync(path.join(out, 'grammars'), { recursive: true });
  const files = [
    [require.resolve('web-tree-sitter/tree-sitter.wasm'), 'tree-sitter.wasm'],
    [require.resolve('tree-sitter-c/tree-sitter-c.wasm'), 'grammars/tree-sitter-c.wasm'],
    [require.resolve('tree-sitter-cpp/tree-sitter-cpp.wasm'), 'grammars/tree-sitter-cpp.wasm'],
    [require.resolve('tree-sitter-python/tree-sitter-python.wasm'), 'grammars/tree-sitter-python.wasm'],
    [require.resolve('tree-sitter-c-sharp/tree-sitter-c_sharp.wasm'), 'grammars/tree-sitter-c_sharp.wasm'],
    [require.resolve('tree-sitter-go/tree-sitter-go.wasm'), 'grammars/tree-sitter-go.wasm'],
    [require.resolve('tree-sitter-java/tree-sitter-java.wasm'), 'grammars/tree-sitter-java.wasm'],
    [require.resolve('tree-sitter-javascript/tree-sitter-javascript.wasm'), 'grammars/tree-sitter-javascript.wasm'],
    [require.resolve('tree-sitter-typescript/tree-sitter-typescript.wasm'), 'grammars/tree-sitter-typescript.wasm'],
  ];
  for (const [from, to] of files) copyFileSync(from, path.join(out, to));
}

// ESM dependencies (web-tree-sitter, tinyglobby's fdir) read import.meta.url, which a CJS bundle
// lacks: give them the bundle's own file URL.
const importMetaUrl = { define: { 'import.meta.url': '__bundleUrl' }, banner: { js: 'var __bundleUrl = require("url").pathToFileURL(__filename).href;' } };
const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, minify, logLevel: 'warning', ...importMetaUrl };
const web = { bundle: true, platform: 'browser', target: 'es2022', sourcemap: true, minify, logLevel: 'warning' };
const entries = [
  { ...node, entryPoints: { cli: 'src/cli/main.ts' } },
  { ...node, entryPoints: { server: 'src/server/server.ts', 'lens-worker': 'src/server/lensWorker.ts' } },
  // The CLI and the server run the engine in this worker (src/engine-host): a memory ceiling and a
  // fresh WebAssembly runtime after any failure.
  { ...node, entryPoints: { 'engine-worker': 'src/engine-host/worker.ts' } },
  { ...node, entryPoints: { extension: 'src/extension.ts' }, external: ['vscode'] },
  { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', sourcemap: true, minify, logLevel: 'warning',
    entryPoints: { webview: 'webview/main.ts', 'sim-worker': 'webview/sim-worker.ts' } },
  // The extension on the web (package.json "browser"): the extension in the browser's extension
  // host (CommonJS, as VS Code loads it), the language server and its engine and CodeLens workers
  // as single-file Web Worker scripts (each is started from a blob: URL of its code, so it can
  // load nothing else). They must not touch Node: web-tree-sitter's Node-only branches import
  // modules that are left out here and never reached in a browser.
  { ...web, format: 'cjs', entryPoints: { 'web/extension': 'src/extension.web.ts' }, external: ['vscode'] },
  { ...web, format: 'iife', entryPoints: { 'web/server': 'src/server/server.web.ts', 'web/engine-worker': 'src/engine-host/worker.web.ts', 'web/lens-worker': 'src/server/lensWorker.web.ts' },
    external: ['fs', 'fs/promises', 'module', 'path'] },
].filter((e) => Object.values(e.entryPoints).every((f) => existsSync(f)))
 .map((e) => ({ ...e, outdir: out }));

copyWasm();
if (watch) {
  for (const e of entries) await (await esbuild.context(e)).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build(e)));
}
