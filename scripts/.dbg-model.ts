import { initEngine } from '../src/engine';
import { parserFor } from '../src/engine/parse/grammars';
import { buildCFamilyModel } from '../src/engine/lang/c-family';
import { readFileSync } from 'node:fs';
(async () => {
  await initEngine();
  const f = process.argv[2];
  const text = readFileSync(f, 'utf8');
  const lang = f.endsWith('.c') ? 'c' : 'cpp';
  const tree = parserFor(lang as any).parse(text)!;
  const m = buildCFamilyModel(tree, text, lang, Date.now() + 10000);
  const what = process.argv[3] ?? 'all';
  if (what === 'all' || what === 'sockets') for (const s of m.sockets.values()) console.log('SOCK', JSON.stringify({ ...s, createdAt: undefined, createdStatement: undefined, options: s.options.map(o => [o.name, o.value, o.valueText]) }));
  if (what === 'all' || what === 'ops') for (const o of m.ops) console.log('OP', o.range.start.line + 1, o.kind, o.callee, o.socket, JSON.stringify({ r: o.result, e: { ...o.errorPath, range: undefined, closeRange: undefined }, loops: o.loops.map(l => ({ inf: l.infinite, cb: l.counterBounded, w: l.waits, c: l.conditionText })), len: o.length, msg: o.consumedAsMessage?.how, acc: o.accumulates, ovl: o.overlappedArg }));
})();
