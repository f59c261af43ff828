// Engine speed per language: lint time vs parse-only time on the examples and rule fixtures,
// replicated (1.2 MB of C/C++, 0.3 MB each of Python, C#, Go and Java), and throughput. The ratio is what
// matters: both run in this process, file by file, back to back.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureGrammars, initEngine, languageIdForPath, lint, type LanguageId } from '../src/engine';
import { grammarFiles } from '../src/engine/parse/grammar-files';
import { parseWithBudget } from '../src/engine/lint';

function sources(dir: string, acc: { text: string; lang: LanguageId }[] = []) {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) sources(p, acc);
    else {
      const lang = languageIdForPath(p);
      if (lang) acc.push({ text: readFileSync(p, 'latin1'), lang });
    }
  }
  return acc;
}

/** Files of ~50 KB each (replicated sources of one language family), `bytes` in all. */
function replicate(base: { text: string; lang: LanguageId }[], bytes: number): { text: string; lang: LanguageId }[] {
  const files: { text: string; lang: LanguageId }[] = [];
  let total = 0, i = 0;
  while (total < bytes) {
    let text = '';
    const lang = base[i % base.length].lang;
    while (text.length < 50_000) { const b = base[i++ % base.length]; if (b.lang === lang) text += b.text + '\n'; else i++; }
    files.push({ text, lang });
    total += text.length;
  }
  return files;
}

/** Parse and lint of each file back to back, best of `rounds` per file, so a load change hits both sides alike. */
function measure(files: { text: string; lang: LanguageId }[], rounds: number): { parseMs: number; lintMs: number; findings: number; mb: number } {
  const far = () => performance.now() + 60_000;
  for (const f of files.slice(0, 3)) { parseWithBudget(f.text, f.lang, far())?.delete(); lint(f.text, f.lang); }
  let parseMs = 0, lintMs = 0, findings = 0, bytes = 0;
  for (const f of files) {
    let bestParse = Infinity, bestLint = Infinity;
    for (let r = 0; r < rounds; r++) {
      let t = performance.now();
      parseWithBudget(f.text, f.lang, far())?.delete();
      bestParse = Math.min(bestParse, performance.now() - t);
      t = performance.now();
      const res = lint(f.text, f.lang, { timeBudgetMs: 60_000 });
      bestLint = Math.min(bestLint, performance.now() - t);
      if (r === 0) findings += res.findings.length;
    }
    parseMs += bestParse;
    lintMs += bestLint;
    bytes += f.text.length;
  }
  return { parseMs, lintMs, findings, mb: bytes / (1024 * 1024) };
}

const FAMILIES: { name: string; langs: LanguageId[]; bytes: number }[] = [
  { name: 'C/C++', langs: ['c', 'cpp'], bytes: 1.2 * 1024 * 1024 },
  { name: 'Python', langs: ['python'], bytes: 0.3 * 1024 * 1024 },
  { name: 'C#', langs: ['csharp'], bytes: 0.3 * 1024 * 1024 },
  { name: 'Go', langs: ['go'], bytes: 0.3 * 1024 * 1024 },
  { name: 'Java', langs: ['java'], bytes: 0.3 * 1024 * 1024 },
  { name: 'Node.js (JS/TS)', langs: ['javascript', 'typescript'], bytes: 0.3 * 1024 * 1024 },
];

export default {
  name: 'engine: lint vs parse',
  async run() {
    await initEngine(grammarFiles());
    await ensureGrammars(['python', 'csharp', 'go', 'java', 'javascript', 'typescript']);
    const root = path.join(__dirname, '..');
    const base = [...sources(path.join(root, 'examples')), ...sources(path.join(root, 'test', 'engine', 'fixtures'))];
    const out: Record<string, string | number> = {};
    for (const family of FAMILIES) {
      const mine = base.filter((b) => family.langs.includes(b.lang));
      if (mine.length === 0) throw new Error(`no ${family.name} sources found for the benchmark`);
      const m = measure(replicate(mine, family.bytes), 5);
      out[`${family.name}: input MB`] = m.mb.toFixed(2);
      out[`${family.name}: parse only, ms (sum of per-file best of 5)`] = m.parseMs;
      out[`${family.name}: full lint incl. parse, ms (same)`] = m.lintMs;
      out[`${family.name}: lint / parse ratio`] = m.lintMs / m.parseMs;
      out[`${family.name}: lint throughput, MB/s`] = m.mb / (m.lintMs / 1000);
      out[`${family.name}: findings`] = m.findings;
    }
    return out;
  },
};
