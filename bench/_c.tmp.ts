import { readFileSync } from 'node:fs';
import { runSimulate } from '../src/cli/simulate';
const io = { stdout: (s: string) => process.stdout.write(s), stderr: (s: string) => process.stderr.write(s), readFile: (p: string) => readFileSync(p, 'utf8') };
(async () => { console.log('exit', await runSimulate(process.argv.slice(2), io)); })();
