// Loads the tree-sitter runtime and the C/C++ grammars once per process; the Python and C# grammars
// are loaded the first time a file of theirs is linted (ensureGrammars), so C-only runs never pay for them.
// The wasm files sit next to the bundle (dist/tree-sitter.wasm, dist/grammars/*.wasm); when the
// engine runs from source (tests, tsx) they are taken from node_modules instead.
import { Parser, Language } from 'web-tree-sitter';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { LanguageId } from '../types';

export interface GrammarFiles { runtime: string; c: string; cpp: string; python: string; csharp: string }

function defaultFiles(wasmDir?: string): GrammarFiles {
  const dir = wasmDir ?? (typeof __dirname === 'string' ? __dirname : '');
  const bundled = {
    runtime: path.join(dir, 'tree-sitter.wasm'),
    c: path.join(dir, 'grammars', 'tree-sitter-c.wasm'),
    cpp: path.join(dir, 'grammars', 'tree-sitter-cpp.wasm'),
    python: path.join(dir, 'grammars', 'tree-sitter-python.wasm'),
    csharp: path.join(dir, 'grammars', 'tree-sitter-c_sharp.wasm'),
  };
  if (existsSync(bundled.runtime) && existsSync(bundled.c) && existsSync(bundled.cpp)) return bundled;
  const req = createRequire(path.join(process.cwd(), 'package.json'));
  return {
    runtime: req.resolve('web-tree-sitter/tree-sitter.wasm'),
    c: req.resolve('tree-sitter-c/tree-sitter-c.wasm'),
    cpp: req.resolve('tree-sitter-cpp/tree-sitter-cpp.wasm'),
    python: req.resolve('tree-sitter-python/tree-sitter-python.wasm'),
    csharp: req.resolve('tree-sitter-c-sharp/tree-sitter-c_sharp.wasm'),
  };
}

let loading: Promise<Partial<Record<LanguageId, Language>>> | undefined;
let loaded: Partial<Record<LanguageId, Language>> | undefined;
let grammarFiles: GrammarFiles | undefined;
/** Grammars loaded on first use (see ensureGrammars). */
const lazyLoading = new Map<LanguageId, Promise<void>>();

/**
 * The Emscripten module web-tree-sitter runs on. Parser.init() builds it on the options object it
 * is given, so keeping that object lets us read the WebAssembly heap's size (to bound a parse's
 * memory) and hear about aborts (Emscripten calls onAbort before it throws).
 */
interface RuntimeModule {
  locateFile(name: string): string;
  onAbort(what: unknown): void;
  printErr(message: string): void;
  wasmMemory?: WebAssembly.Memory;
  HEAPU8?: Uint8Array;
}

export interface RuntimeOptions {
  /**
   * The maximum of the runtime's WebAssembly memory, enforced by the JavaScript engine itself: a
   * parse or query that needs more makes the runtime abort (default: Emscripten's 2 GiB).
   */
  wasmMemoryMaxBytes?: number;
}
/** Emscripten's default initial heap for web-tree-sitter (32 MiB). */
const INITIAL_WASM_MEMORY = 32 * 1024 * 1024;
const WASM_PAGE = 65536;
let runtime: RuntimeModule | undefined;
let abortReason: string | undefined;
/** The maximum set through RuntimeOptions, if any. */
let maxBytes: number | undefined;

/** Bytes of WebAssembly memory the parser runtime holds. It only grows: freed memory is reused, never returned. */
export function wasmHeapBytes(): number {
  return runtime?.HEAPU8?.length ?? 0;
}

/** The most WebAssembly memory the runtime may grow to (Emscripten stops one page short of 2 GiB by default). */
export function wasmHeapMaxBytes(): number {
  return maxBytes ?? 2 ** 31;
}

/**
 * Set once the WebAssembly runtime aborted or trapped. Its heap may then hold memory nothing will
 * free, so later parses can fail too: whoever hosts the engine should start a fresh one.
 */
export function runtimeFailure(): string | undefined {
  return abortReason;
}

/** Records a WebAssembly abort or trap (a RuntimeError) seen by the caller; returns true if `e` was one. */
export function noteRuntimeError(e: unknown): boolean {
  if (!(e instanceof WebAssembly.RuntimeError)) return false;
  abortReason ??= e.message.replace(/\. Build with -sASSERTIONS for more info\.$/, '');
  // The parsers' state is undefined after a trap: make new ones on next use.
  for (const p of parsers.values()) {
    try { p.delete(); } catch { /* the runtime is already broken */ }
  }
  parsers.clear();
  return true;
}

/** Loads the runtime and both grammars; safe to call many times (the first call's options apply). */
export function loadGrammars(wasmDir?: string, options: RuntimeOptions = {}): Promise<Partial<Record<LanguageId, Language>>> {
  loading ??= (async () => {
    const files = defaultFiles(wasmDir);
    grammarFiles = files;
    runtime = {
      locateFile: () => files.runtime,
      onAbort: (what) => { abortReason ??= `Aborted(${what === undefined ? '' : String(what)})`; },
      // Emscripten prints "Aborted()" to stderr by default; the caller reports the failure instead.
      printErr: () => undefined,
    };
    if (options.wasmMemoryMaxBytes !== undefined) {
      const maximum = Math.max(INITIAL_WASM_MEMORY, Math.min(options.wasmMemoryMaxBytes, 2 ** 31)) / WASM_PAGE;
      runtime.wasmMemory = new WebAssembly.Memory({ initial: INITIAL_WASM_MEMORY / WASM_PAGE, maximum: Math.floor(maximum) });
      maxBytes = Math.floor(maximum) * WASM_PAGE;
    }
    await Parser.init(runtime);
    const [c, cpp] = await Promise.all([Language.load(files.c), Language.load(files.cpp)]);
    loaded = { c, cpp };
    return loaded;
  })();
  return loading;
}

/** Loads the grammars of these languages that are loaded on first use (Python, C#); C and C++ come with loadGrammars. */
export async function ensureGrammars(languageIds: Iterable<LanguageId>): Promise<void> {
  for (const id of new Set(languageIds)) {
    if (id !== 'python' && id !== 'csharp') continue;
    await loadGrammars();
    let pending = lazyLoading.get(id);
    if (!pending) {
      pending = Language.load(grammarFiles![id]).then((l) => { loaded![id] = l; });
      lazyLoading.set(id, pending);
      pending.catch(() => lazyLoading.delete(id));
    }
    await pending;
  }
}

export function grammar(languageId: LanguageId): Language {
  if (!loaded) throw new Error('socklint: grammars not loaded; call initEngine() first');
  const l = loaded[languageId];
  if (!l) throw new Error(`socklint: the ${languageId} grammar is not loaded; call ensureGrammars() first`);
  return l;
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
const PYTHON_EXTENSIONS = new Set(['.py', '.pyw']);
const CSHARP_EXTENSIONS = new Set(['.cs']);
const CPP_EXTENSIONS = new Set(['.cpp', '.cc', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h', '.inl', '.ipp']);

/** C for `.c`, C++ for the C++ extensions and `.h` (a C header parses as C++), Python for `.py`/`.pyw`, C# for `.cs`, in any letter case. */
export function languageIdForPath(file: string): LanguageId | undefined {
  const ext = path.extname(file).toLowerCase();
  // `.C` (upper case) is C++ by gcc's convention; `.c` is C.
  if (path.extname(file) === '.C') return 'cpp';
  if (C_EXTENSIONS.has(ext)) return 'c';
  if (CPP_EXTENSIONS.has(ext)) return 'cpp';
  if (PYTHON_EXTENSIONS.has(ext)) return 'python';
  if (CSHARP_EXTENSIONS.has(ext)) return 'csharp';
  return undefined;
}

/** Maps VS Code language ids (c, cpp, cuda-cpp, python, csharp) to a grammar. */
export function languageIdForEditor(vscodeLanguageId: string): LanguageId | undefined {
  if (vscodeLanguageId === 'c') return 'c';
  if (vscodeLanguageId === 'python') return 'python';
  if (vscodeLanguageId === 'csharp') return 'csharp';
  if (vscodeLanguageId === 'cpp' || vscodeLanguageId === 'cuda-cpp') return 'cpp';
  return undefined;
}
