import { initEngine, lint } from '../src/engine';
import { readFileSync } from 'node:fs';
(async () => {
  await initEngine();
  const f = process.argv[2];
  const r = lint(readFileSync(f, 'utf8'), f.endsWith('.c') ? 'c' : 'cpp', { profile: (process.argv[3] as any) ?? 'windows-legacy' });
  for (const x of r.findings) console.log(`${x.range.start.line + 1}:${x.range.start.character + 1} ${x.ruleId} ${x.severity}: ${x.message}` + (x.fixes.length ? `\n   fix: ${JSON.stringify(x.fixes[0])}` : ''));
  console.log(JSON.stringify({ notices: r.notices, suppressed: r.suppressed.length, err: r.errorNodes, timing: r.timing }));
})();
