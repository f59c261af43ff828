import { initEngine, lint } from '../src/engine';
import { parseWithBudget } from '../src/engine/lint';
import { bigFile } from '../test/server/fixtures';
(async () => {
  await initEngine();
  const text = bigFile(5000);
  lint(text, 'cpp', { timeBudgetMs: 60000 });
  let p = Infinity, l = Infinity;
  for (let i = 0; i < 8; i++) {
    let t = performance.now(); parseWithBudget(text, 'cpp', Date.now() + 60000)?.delete(); p = Math.min(p, performance.now() - t);
    t = performance.now(); lint(text, 'cpp', { timeBudgetMs: 60000 }); l = Math.min(l, performance.now() - t);
  }
  console.log('5000 lines: parse', p.toFixed(0), 'lint', l.toFixed(0), 'ratio', (l / p).toFixed(2));
})();
