// Runs the real bundled CLI (dist/cli.js, built by `npm run build`; SOCKLINT_CLI names another
// build, e.g. a packaged one) on files in temp directories.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

export const CLI = path.resolve(process.env.SOCKLINT_CLI ?? path.join(__dirname, '../../dist/cli.js'));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(cwd: string, args: string[], opts: { env?: Record<string, string>; spawn?: SpawnSyncOptions } = {}): CliRun {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, ...opts.env };
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000, ...opts.spawn });
  if (r.error) throw r.error;
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** A fresh temp directory with the given files (string = UTF-8 text, Buffer = raw bytes), removed after the test file. */
export function tempTree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'socklint-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

export interface JsonFinding {
  file: string; line: number; column: number; endLine: number; endColumn: number;
  ruleId: string; severity: string; message: string; detail?: string;
}

export function runJson(cwd: string, args: string[], env?: Record<string, string>): CliRun & { findings: JsonFinding[] } {
  const r = runCli(cwd, ['--format', 'json', ...args], { env });
  let findings: JsonFinding[];
  try {
    findings = JSON.parse(r.stdout) as JsonFinding[];
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { ...r, findings };
}

/** A send whose result is ignored on a non-blocking TCP socket: partial-send-ignored (a warning). */
export const PARTIAL_SEND = `#include <winsock2.h>

void push(const char *buf, int n) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0); u_long on = 1; ioctlsocket(s, FIONBIO, &on);
    send(s, buf, n, 0);
}
`;

/** The same code with the result checked in a loop: must stay silent. */
export const FULL_SEND = `#include <winsock2.h>

int push(const char *buf, int n) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int off = 0;
    while (off < n) {
        int r = send(s, buf + off, n - off, 0);
        if (r == SOCKET_ERROR) return -1;
        off += r;
    }
    return 0;
}
`;

/** `bytes` of plausible socket code (one partial-send finding per function). */
export function generatedSource(bytes: number): string {
  const parts: string[] = ['#include <sys/socket.h>\n#include <string.h>\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const fn = `int handler_${i}(int s, const char *msg) {\n    send(s, msg, strlen(msg), 0);\n    return 0;\n}\n`;
    parts.push(fn);
    size += fn.length;
  }
  return parts.join('');
}
