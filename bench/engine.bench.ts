// Engine speed: lint time vs parse-only time on >= 1 MB of C/C++ socket code (the examples and
// rule fixtures, replicated), and throughput. The ratio is what matters: both run in this process.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { initEngine, languageIdForPath, lint, type LanguageId } from '../src/engine';
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

export default {
  name: 'engine: lint vs parse',
  async run() {
    await initEngine(grammarFiles());
    const root = path.join(__dirname, '..');
    const base = [...sources(path.join(root, 'examples')), ...sources(path.join(root, 'test', 'engine', 'fixtures'))];
    if (base.length === 0) throw new Error('no C/C++ sources found for the benchmark');
    // Files of ~50 KB each (replicated sources), ~1.2 MB in all: realistic file sizes, enough volume.
    const files: { text: string; lang: LanguageId }[] = [];
    let total = 0, i = 0;
    while (total < 1.2 * 1024 * 1024) {
      let text = '';
      const lang = base[i % base.length].lang;
      while (text.length < 50_000) { const b = base[i++ % base.length]; if (b.lang === lang) text += b.text + '\n'; else i++; }
      files.push({ text, lang });
      total += text.length;
    }
    const far = () => performance.now() + 60_000;
    // Warm up both paths once.
    for (const f of files.slice(0, 3)) { parseWithBudget(f.text, f.lang, far())?.delete(); lint(f.text, f.lang); }
    // Parse and lint of each file run back to back, best of 5 per file, so a load change on the
    // machine hits both sides of the ratio alike.
    const rounds = 5;
    let parseMs = 0, lintMs = 0, findings = 0;
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
    }
    const mb = total / (1024 * 1024);
    return {
      'input MB (files)': `${mb.toFixed(2)} (${files.length})`,
      'parse only, ms (sum of per-file best of 5)': parseMs,
      'full lint incl. parse, ms (same)': lintMs,
      'lint / parse ratio': lintMs / parseMs,
      'analysis overhead on top of parse, %': ((lintMs - parseMs) / parseMs) * 100,
      'lint throughput, MB/s': mb / (lintMs / 1000),
      findings,
    };
  },
};
