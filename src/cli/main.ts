// Entry point of the `socklint` command (bundled to dist/cli.js, run by bin/socklint.js).
import { runCli } from './run';

// `socklint ... | head`: the reader went away; stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env })
  .then((code) => {
    // exitCode rather than exit(): lets a large report piped to another process finish flushing.
    process.exitCode = code;
  })
  .catch((e: unknown) => {
    process.stderr.write(`socklint: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  });
