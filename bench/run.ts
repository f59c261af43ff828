// `npm run bench`: runs every bench/*.bench.ts and prints its figures. Benchmarks report ratios
// measured in the same run (lint time / parse time, ...) because absolute times on shared machines are noisy.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchModule { name: string; run(): Promise<Record<string, number | string>> }

async function main(): Promise<void> {
const only = process.argv.slice(2);
const dir = __dirname;
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
for (const f of files) {
  const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default: BenchModule };
  console.log(`\n## ${mod.default.name} (${f})`);
  const figures = await mod.default.run();
  for (const [k, v] of Object.entries(figures)) console.log(`  ${k.padEnd(48)} ${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`);
}
}
main().catch((e) => { console.error(e); process.exit(1); });
