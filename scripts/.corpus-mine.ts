import { initEngine, lint } from '../src/engine';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
const MINE = new Set(['sndbuf-zero-without-overlapped', 'unhandled-wouldblock', 'wouldblock-busy-retry', 'partial-send-ignored', 'recv-message-boundary']);
function walk(p: string, out: string[]) {
  for (const e of readdirSync(p)) {
    const f = path.join(p, e);
    const st = statSync(f);
    if (st.isDirectory()) walk(f, out);
    else if (/\.(c|cc|cpp|h|hpp)$/.test(e) && st.size < 1_000_000) out.push(f);
  }
}
(async () => {
  await initEngine();
  const files: string[] = [];
  for (const r of process.argv.slice(2)) walk(r, files);
  for (const f of files) {
    const text = readFileSync(f, 'latin1');
    if (!/\b(send|recv|setsockopt|write)\s*\(/.test(text)) continue;
    const r = lint(text, /\.(c|h)$/.test(f) ? 'c' : 'cpp', { profile: 'windows-legacy', timeBudgetMs: 60000 });
    for (const x of r.findings) if (MINE.has(x.ruleId)) console.log(`${f}:${x.range.start.line + 1} ${x.ruleId} | ${text.split('\n')[x.range.start.line].trim().slice(0, 110)}`);
  }
})();
