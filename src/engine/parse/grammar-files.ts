// Where the grammars come from on Node (the CLI, the desktop language server, the engine worker,
// tests): the wasm files sit next to the bundle (dist/tree-sitter.wasm, dist/grammars/*.wasm);
// when the engine runs from source (tests, tsx) they are taken from node_modules instead.
// Node only: the web extension reads the same files with workspace.fs and posts the bytes in.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { GrammarBytes } from './grammars';

export interface GrammarFiles {
  runtime: string; c: string; cpp: string; python: string; csharp: string; go: string; java: string; javascript: string; typescript: string;
}

/** The wasm files in `wasmDir` (default: next to the running bundle), else those in node_modules. */
export function grammarFilePaths(wasmDir?: string): GrammarFiles {
  const dir = wasmDir ?? (typeof __dirname === 'string' ? __dirname : '');
  const bundled = {
    runtime: path.join(dir, 'tree-sitter.wasm'),
    c: path.join(dir, 'grammars', 'tree-sitter-c.wasm'),
    cpp: path.join(dir, 'grammars', 'tree-sitter-cpp.wasm'),
    python: path.join(dir, 'grammars', 'tree-sitter-python.wasm'),
    csharp: path.join(dir, 'grammars', 'tree-sitter-c_sharp.wasm'),
    go: path.join(dir, 'grammars', 'tree-sitter-go.wasm'),
    java: path.join(dir, 'grammars', 'tree-sitter-java.wasm'),
    javascript: path.join(dir, 'grammars', 'tree-sitter-javascript.wasm'),
    typescript: path.join(dir, 'grammars', 'tree-sitter-typescript.wasm'),
  };
  if (existsSync(bundled.runtime) && existsSync(bundled.c) && existsSync(bundled.cpp)) return bundled;
  const req = createRequire(path.join(process.cwd(), 'package.json'));
  return {
    runtime: req.resolve('web-tree-sitter/tree-sitter.wasm'),
    c: req.resolve('tree-sitter-c/tree-sitter-c.wasm'),
    cpp: req.resolve('tree-sitter-cpp/tree-sitter-cpp.wasm'),
    python: req.resolve('tree-sitter-python/tree-sitter-python.wasm'),
    csharp: req.resolve('tree-sitter-c-sharp/tree-sitter-c_sharp.wasm'),
    go: req.resolve('tree-sitter-go/tree-sitter-go.wasm'),
    java: req.resolve('tree-sitter-java/tree-sitter-java.wasm'),
    javascript: req.resolve('tree-sitter-javascript/tree-sitter-javascript.wasm'),
    typescript: req.resolve('tree-sitter-typescript/tree-sitter-typescript.wasm'),
  };
}

/** The runtime and grammars as bytes, for initEngine() / loadGrammars(). */
export async function grammarFiles(wasmDir?: string): Promise<GrammarBytes> {
  const files = grammarFilePaths(wasmDir);
  // The grammars of the other languages are read only when a file of theirs is linted (ensureGrammars).
  return {
    runtime: readFileSync(files.runtime), c: readFileSync(files.c), cpp: readFileSync(files.cpp),
    python: async () => readFileSync(files.python), csharp: async () => readFileSync(files.csharp),
    go: async () => readFileSync(files.go), java: async () => readFileSync(files.java),
    javascript: async () => readFileSync(files.javascript), typescript: async () => readFileSync(files.typescript),
  };
}
