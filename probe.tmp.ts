import { readFileSync } from 'node:fs';
import { initEngine, lint } from './src/engine';
(async () => { await initEngine(); for (const f of process.argv.slice(2)) { const r = lint(readFileSync(f, 'utf8'), f.endsWith('.c') ? 'c' : 'cpp'); console.log(f, JSON.stringify(r.findings.map(x => ({id: x.ruleId, line: x.range.start.line, fixes: x.fixes.map(y=>y.edits)})))); } })();
