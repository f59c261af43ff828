import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { initEngine, languageIdForPath, lint } from '/work/main/src/engine';
(async () => {
  await initEngine();
  const acc: string[] = [];
  const walk = (d: string) => { for (const e of readdirSync(d)) { const p = path.join(d, e); if (statSync(p).isDirectory()) walk(p); else if (languageIdForPath(p) === 'cpp') acc.push(readFileSync(p, 'latin1')); } };
  walk('/work/main/examples'); walk('/work/main/test/engine/fixtures');
  let text = ''; while (text.length < 50000) text += acc.join('\n');
  const t = performance.now();
  for (let i = 0; i < 10; i++) lint(text, 'cpp', { timeBudgetMs: 60000 });
  console.log('ms per 50KB lint', (performance.now() - t) / 10, text.length);
})();
