// Loads the tree-sitter runtime and the C/C++ grammars once per process.
// The wasm files sit next to the bundle (dist/tree-sitter.wasm, dist/grammars/*.wasm); when the
// engine runs from source (tests, tsx) they are taken from node_modules instead.
import { Parser, Language } from 'web-tree-sitter';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LanguageId } from '../types';

export interface GrammarFiles { runtime: string; c: string; cpp: string }

function defaultFiles(wasmDir?: string): GrammarFiles {
  const dir = wasmDir ?? (typeof __dirname === 'string' ? __dirname : '');
  const bundled = {
    runtime: path.join(dir, 'tree-sitter.wasm'),
    c: path.join(dir, 'grammars', 'tree-sitter-c.wasm'),
    cpp: path.join(dir, 'grammars', 'tree-sitter-cpp.wasm'),
  };
  if (existsSync(bundled.runtime) && existsSync(bundled.c) && existsSync(bundled.cpp)) return bundled;
  const req = createRequire(path.join(process.cwd(), 'package.json'));
  return {
    runtime: req.resolve('web-tree-sitter/tree-sitter.wasm'),
    c: req.resolve('tree-sitter-c/tree-sitter-c.wasm'),
    cpp: req.resolve('tree-sitter-cpp/tree-sitter-cpp.wasm'),
  };
}

let loading: Promise<Record<LanguageId, Language>> | undefined;
let loaded: Record<LanguageId, Language> | undefined;

/** Loads the runtime and both grammars; safe to call many times. */
export function loadGrammars(wasmDir?: string): Promise<Record<LanguageId, Language>> {
  loading ??= (async () => {
    const files = defaultFiles(wasmDir);
    await Parser.init({ locateFile: () => files.runtime });
    const [c, cpp] = await Promise.all([Language.load(files.c), Language.load(files.cpp)]);
    loaded = { c, cpp };
    return loaded;
  })();
  return loading;
}

export function grammar(languageId: LanguageId): Language {
  if (!loaded) throw new Error('socklint: grammars not loaded; call initEngine() first');
  return loaded[languageId];
}

const parsers = new Map<LanguageId, Parser>();
/** One parser per language, reused: creating parsers is cheap but not free. */
export function parserFor(languageId: LanguageId): Parser {
  let p = parsers.get(languageId);
  if (!p) {
    p = new Parser();
    p.setLanguage(grammar(languageId));
    parsers.set(languageId, p);
  }
  return p;
}

/**
 * Drops a language's parser so the next parse gets a fresh one: after an internal error inside the
 * WebAssembly parser its state cannot be trusted.
 */
export function resetParser(languageId: LanguageId): void {
  const p = parsers.get(languageId);
  parsers.delete(languageId);
  try { p?.delete(); } catch { /* already broken */ }
}

const C_EXTENSIONS = new Set(['.c']);
const CPP_EXTENSIONS = new Set(['.cpp', '.cc', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h', '.inl', '.ipp']);

/** C for `.c`, C++ for the C++ extensions and `.h` (a C header parses as C++), in any letter case. */
export function languageIdForPath(file: string): LanguageId | undefined {
  const ext = path.extname(file).toLowerCase();
  // `.C` (upper case) is C++ by gcc's convention; `.c` is C.
  if (path.extname(file) === '.C') return 'cpp';
  if (C_EXTENSIONS.has(ext)) return 'c';
  if (CPP_EXTENSIONS.has(ext)) return 'cpp';
  return undefined;
}

/** Maps VS Code language ids (c, cpp, cuda-cpp, objective-cpp) to a grammar. */
export function languageIdForEditor(vscodeLanguageId: string): LanguageId | undefined {
  if (vscodeLanguageId === 'c') return 'c';
  if (vscodeLanguageId === 'cpp' || vscodeLanguageId === 'cuda-cpp') return 'cpp';
  return undefined;
}
