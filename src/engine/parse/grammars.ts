// Loads the tree-sitter runtime and the C/C++ grammars once per process (or Web Worker); the Python,
// C#, JavaScript and TypeScript grammars are loaded the first time a file of theirs is linted (ensureGrammars), so C-only
// runs never pay for them. The engine takes them as bytes: where they come from is the host's business (files next to the
// bundle on Node: grammar-files.ts; bytes posted into a Web Worker by the web extension).
import { Parser, Language } from 'web-tree-sitter';
import type { LanguageId } from '../types';

/** The WebAssembly binaries the engine runs on: web-tree-sitter's runtime and one grammar per language. */
export interface GrammarBytes {
  runtime: Uint8Array; c: Uint8Array; cpp: Uint8Array;
  /** Loaded on first use: the bytes, or how to get them (Node reads the file only then). */
  python?: Uint8Array | (() => Promise<Uint8Array>);
  csharp?: Uint8Array | (() => Promise<Uint8Array>);
  go?: Uint8Array | (() => Promise<Uint8Array>);
  java?: Uint8Array | (() => Promise<Uint8Array>);
  javascript?: Uint8Array | (() => Promise<Uint8Array>);
  typescript?: Uint8Array | (() => Promise<Uint8Array>);
}

let loading: Promise<Partial<Record<LanguageId, Language>>> | undefined;
let loaded: Partial<Record<LanguageId, Language>> | undefined;
let lazyGrammars: Pick<GrammarBytes, LazyLanguage> = {};
/** The languages whose grammars are loaded on first use. */
type LazyLanguage = 'python' | 'csharp' | 'go' | 'java' | 'javascript' | 'typescript';
const LAZY_LANGUAGES = new Set<LanguageId>(['python', 'csharp', 'go', 'java', 'javascript', 'typescript']);
/** Grammars loaded on first use (see ensureGrammars). */
const lazyLoading = new Map<LanguageId, Promise<void>>();

/**
 * The Emscripten module web-tree-sitter runs on. Parser.init() builds it on the options object it
 * is given, so keeping that object lets us read the WebAssembly heap's size (to bound a parse's
 * memory) and hear about aborts (Emscripten calls onAbort before it throws).
 */
interface RuntimeModule {
  /** The runtime's own binary, so Emscripten never fetches or reads a file for it. */
  wasmBinary: Uint8Array;
  /** Emscripten still names the binary it was given; without this it resolves the name against the script's URL, which a blob: worker lacks. */
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

/** Loads the runtime and both grammars; safe to call many times (the first call's bytes and options apply). */
export function loadGrammars(grammars: GrammarBytes | Promise<GrammarBytes>, options: RuntimeOptions = {}): Promise<Partial<Record<LanguageId, Language>>> {
  loading ??= (async () => {
    const bytes = await grammars;
    lazyGrammars = {
      python: bytes.python, csharp: bytes.csharp, go: bytes.go, java: bytes.java, javascript: bytes.javascript, typescript: bytes.typescript,
    };
    runtime = {
      wasmBinary: bytes.runtime,
      locateFile: (name) => name,
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
    const [c, cpp] = await Promise.all([Language.load(bytes.c), Language.load(bytes.cpp)]);
    loaded = { c, cpp };
    return loaded;
  })();
  return loading;
}

/** Loads the grammars of these languages that are loaded on first use (all but C and C++, which come with loadGrammars). */
export async function ensureGrammars(languageIds: Iterable<LanguageId>): Promise<void> {
  for (const id of new Set(languageIds)) {
    if (!LAZY_LANGUAGES.has(id)) continue;
    if (!loading) throw new Error('socklint: grammars not loaded; call initEngine() first');
    await loading;
    let pending = lazyLoading.get(id);
    if (!pending) {
      const source = lazyGrammars[id as LazyLanguage];
      if (!source) throw new Error(`socklint: the ${id} grammar was not given to the engine`);
      pending = (async () => { loaded![id] = await Language.load(typeof source === 'function' ? await source() : source); })();
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
const GO_EXTENSIONS = new Set(['.go']);
const JAVA_EXTENSIONS = new Set(['.java']);
const JAVASCRIPT_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx']);
const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);
const CPP_EXTENSIONS = new Set(['.cpp', '.cc', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h', '.inl', '.ipp']);

/** C for `.c`, C++ for the C++ extensions and `.h` (a C header parses as C++), Python for `.py`/`.pyw`, C# for `.cs`, Go for `.go`, Java for `.java`, JavaScript for `.js`/`.mjs`/`.cjs`/`.jsx`, TypeScript for `.ts`/`.mts`/`.cts` (not `.d.ts`), in any letter case. */
export function languageIdForPath(file: string): LanguageId | undefined {
  const extension = extensionOf(file);
  const ext = extension.toLowerCase();
  // `.C` (upper case) is C++ by gcc's convention; `.c` is C.
  if (extension === '.C') return 'cpp';
  if (C_EXTENSIONS.has(ext)) return 'c';
  if (CPP_EXTENSIONS.has(ext)) return 'cpp';
  if (PYTHON_EXTENSIONS.has(ext)) return 'python';
  if (CSHARP_EXTENSIONS.has(ext)) return 'csharp';
  if (GO_EXTENSIONS.has(ext)) return 'go';
  if (JAVA_EXTENSIONS.has(ext)) return 'java';
  if (JAVASCRIPT_EXTENSIONS.has(ext)) return 'javascript';
  // `.d.ts` declares types only: no code to lint.
  if (TYPESCRIPT_EXTENSIONS.has(ext) && !/\.d\.[mc]?ts$/i.test(file)) return 'typescript';
  return undefined;
}

/**
 * The extension of a path or URI's last segment, as Node's path.extname gives it ("" for a
 * dotfile), without Node: the engine also runs in a browser.
 */
function extensionOf(file: string): string {
  const base = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot) : '';
}

/** Maps VS Code language ids (c, cpp, cuda-cpp, python, csharp, go, java, javascript, javascriptreact, typescript) to a grammar. */
export function languageIdForEditor(vscodeLanguageId: string): LanguageId | undefined {
  if (vscodeLanguageId === 'c') return 'c';
  if (vscodeLanguageId === 'python') return 'python';
  if (vscodeLanguageId === 'csharp') return 'csharp';
  if (vscodeLanguageId === 'go') return 'go';
  if (vscodeLanguageId === 'java') return 'java';
  if (vscodeLanguageId === 'javascript' || vscodeLanguageId === 'javascriptreact') return 'javascript';
  if (vscodeLanguageId === 'typescript') return 'typescript';
  if (vscodeLanguageId === 'cpp' || vscodeLanguageId === 'cuda-cpp') return 'cpp';
  return undefined;
}
