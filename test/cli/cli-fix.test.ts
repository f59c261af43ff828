// `--fix` and `--fix-dry-run` through the real CLI bundle: only safe fixes, written back in the
// file's own bytes (encoding, BOM, CRLF), the remaining problems reported from a re-lint, a diff
// that git applies to the same result, and the fixed C code still compiling.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import * as iconv from 'iconv-lite';
import { runCli, runJson, tempTree } from './helpers';

/** Winsock: SO_SNDBUF = 0 set as a statement of its own (removable), then a send per record. */
const SNDBUF_ZERO = `#include <winsock2.h>

void blast(const char *buf, int n) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    int z = 0;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char*)&z, sizeof z);
    for (int i = 0; i < 100; i++) {
        if (send(s, buf, n, 0) != n) return;
    }
}
`;

/** POSIX: header and key in two sends, then the reply read: write-write-read with Nagle on. */
const WRITE_WRITE_READ = `#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <unistd.h>

int put(const char *key, uint32_t klen, const struct sockaddr_in *addr)
{
    char status;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) < 0) {
        close(fd);
        return -1;
    }
    uint32_t header[2] = { klen, 0 };
    if (send(fd, header, sizeof header, 0) != (ssize_t)sizeof header)
        return -1;
    if (send(fd, key, klen, 0) != (ssize_t)klen)
        return -1;
    if (recv(fd, &status, 1, MSG_WAITALL) != 1)
        return -1;
    close(fd);
    return status;
}
`;

/** A send whose result is ignored: partial-send-ignored (information on a blocking socket) has no safe fix (the loop needs judgement). */
const PARTIAL_ONLY = `#include <winsock2.h>

void push(const char *buf, int n) {
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    send(s, buf, n, 0);
}
`;

const lines = (s: string) => s.split('\n');

test('--fix applies the safe fixes, writes the files, and reports only what remains', () => {
  const dir = tempTree({ 'z.c': SNDBUF_ZERO, 'w.c': WRITE_WRITE_READ, 'p.c': PARTIAL_ONLY });
  const before = runJson(dir, []);
  const rules = (fs: { ruleId: string; file: string }[]) => fs.map((f) => `${f.file}:${f.ruleId}`).sort();
  assert.deepEqual(rules(before.findings), ['p.c:partial-send-ignored', 'w.c:write-write-read', 'z.c:sndbuf-zero-without-overlapped']);

  const r = runCli(dir, ['--fix']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^socklint: applied 2 fixes in 2 files; 1 problem left$/m);
  // The report is the re-lint of the fixed files: only the finding without a safe fix is left.
  assert.match(r.stdout, /^p\.c:5:5 {2}info {2}partial-send-ignored {2}/m);
  assert.doesNotMatch(r.stdout, /sndbuf-zero|write-write-read/);
  assert.match(r.stdout, /1 problem \(0 errors, 0 warnings, 1 info\)/);

  // z.c lost the SO_SNDBUF line and the variable only it used; w.c gained TCP_NODELAY right after
  // socket() and its check, and the header.
  const z = readFileSync(path.join(dir, 'z.c'), 'utf8');
  assert.deepEqual(lines(SNDBUF_ZERO).filter((l) => !lines(z).includes(l)), ['    int z = 0;', '    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char*)&z, sizeof z);']);
  assert.equal(lines(z).length, lines(SNDBUF_ZERO).length - 2);
  const w = lines(readFileSync(path.join(dir, 'w.c'), 'utf8'));
  const created = w.findIndex((l) => l.includes('int fd = socket('));
  assert.deepEqual(w.slice(created + 1, created + 5), ['    if (fd < 0)', '        return -1;', '    int nodelay = 1;', '    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof nodelay);']);
  assert.ok(w.includes('#include <netinet/tcp.h>'));
  assert.equal(readFileSync(path.join(dir, 'p.c'), 'utf8'), PARTIAL_ONLY, 'a file without safe fixes is not touched');

  // Linting again finds nothing more to fix.
  const again = runCli(dir, ['--fix']);
  assert.match(again.stderr, /^socklint: no safe fixes to apply; 1 problem left$/m);
  assert.deepEqual(rules(runJson(dir, []).findings), ['p.c:partial-send-ignored']);
});

test('the fixed POSIX code still compiles', (t) => {
  if (spawnSync('gcc', ['--version']).status !== 0) { t.skip('gcc is not installed'); return; }
  const dir = tempTree({ 'w.c': WRITE_WRITE_READ });
  assert.equal(runCli(dir, ['--fix']).code, 0);
  const cc = spawnSync('gcc', ['-Wall', '-Werror', '-fsyntax-only', 'w.c'], { cwd: dir, encoding: 'utf8' });
  assert.equal(cc.status, 0, cc.stderr);
});

test('--fix-dry-run prints a unified diff that git applies to the same result as --fix, and writes nothing', () => {
  const files = { 'src/z.c': SNDBUF_ZERO, 'src/w.c': WRITE_WRITE_READ };
  const dry = tempTree(files);
  const r = runCli(dry, ['--fix-dry-run', 'src']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^socklint: would apply 2 fixes in 2 files; 0 problems would remain$/m);
  assert.match(r.stdout, /^--- a\/src\/w\.c\n\+\+\+ b\/src\/w\.c\n@@ /m);
  assert.match(r.stdout, /^-    setsockopt\(s, SOL_SOCKET, SO_SNDBUF/m);
  for (const [rel, text] of Object.entries(files)) assert.equal(readFileSync(path.join(dry, rel), 'utf8'), text, `${rel} unchanged`);

  // The diff, applied by git, gives exactly what --fix writes.
  writeFileSync(path.join(dry, 'fix.diff'), r.stdout);
  const apply = spawnSync('git', ['apply', '--unsafe-paths', 'fix.diff'], { cwd: dry, encoding: 'utf8' });
  assert.equal(apply.status, 0, apply.stderr);
  const fixed = tempTree(files);
  assert.equal(runCli(fixed, ['--fix', 'src']).code, 0);
  for (const rel of Object.keys(files)) assert.equal(readFileSync(path.join(dry, rel), 'utf8'), readFileSync(path.join(fixed, rel), 'utf8'));

  // Nothing to fix: no diff at all.
  const clean = runCli(tempTree({ 'p.c': PARTIAL_ONLY }), ['--fix-dry-run']);
  assert.equal(clean.stdout, '');
  assert.match(clean.stderr, /no safe fixes to apply; 1 problem left/);
});

test('--fix keeps the file\'s encoding, BOM and CRLF line endings', () => {
  const crlf = SNDBUF_ZERO.replace('#include <winsock2.h>\n', '#include <winsock2.h>\n// 송신 버퍼를 0으로 설정한다\n').split('\n').join('\r\n');
  const dir = tempTree({
    'kr.c': iconv.encode(crlf, 'cp949'),
    'bom.c': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(WRITE_WRITE_READ.split('\n').join('\r\n'))]),
  });
  const r = runCli(dir, ['--fix', '--encoding', 'cp949', 'kr.c']);
  assert.equal(r.code, 0, r.stderr);
  const kr = readFileSync(path.join(dir, 'kr.c'));
  const text = iconv.decode(kr, 'cp949');
  assert.ok(text.includes('// 송신 버퍼를 0으로 설정한다\r\n'), 'the Korean comment reads back in CP949');
  assert.ok(!text.includes('SO_SNDBUF'));
  assert.equal(text, crlf.replace('    int z = 0;\r\n', '').replace('    setsockopt(s, SOL_SOCKET, SO_SNDBUF, (char*)&z, sizeof z);\r\n', ''));

  assert.equal(runCli(dir, ['--fix', 'bom.c']).code, 0);
  const bom = readFileSync(path.join(dir, 'bom.c'));
  assert.deepEqual([...bom.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM stays');
  const body = bom.subarray(3).toString('utf8');
  assert.ok(body.includes('TCP_NODELAY'));
  assert.equal(body.split('\r\n').length, body.split('\n').length, 'every line, the inserted ones too, ends in CRLF');
});

test('--fix leaves a file alone when it would not write back byte for byte', () => {
  // Not valid UTF-8, read as UTF-8 on request: the bad byte became U+FFFD, so writing would change it.
  const bytes = Buffer.concat([Buffer.from('// caf\xe9\n', 'latin1'), Buffer.from(SNDBUF_ZERO)]);
  const dir = tempTree({ 'z.c': bytes });
  const r = runCli(dir, ['--fix', '--encoding', 'utf8']);
  assert.match(r.stderr, /^z\.c: not fixed: the file does not read back byte for byte as utf8; set --encoding$/m);
  assert.deepEqual(readFileSync(path.join(dir, 'z.c')), bytes);
  assert.match(r.stdout, /sndbuf-zero-without-overlapped/, 'the finding is still reported');
});

test('--fix and --fix-dry-run: usage errors', () => {
  const dir = tempTree({ 'z.c': SNDBUF_ZERO });
  const both = runCli(dir, ['--fix', '--fix-dry-run']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--fix and --fix-dry-run cannot be used together/);
  const json = runCli(dir, ['--fix-dry-run', '--format', 'json']);
  assert.equal(json.code, 2);
  assert.match(json.stderr, /--fix-dry-run prints a diff; it cannot be combined with --format json/);
  assert.equal(readFileSync(path.join(dir, 'z.c'), 'utf8'), SNDBUF_ZERO);
});

test('the text report says how many problems --fix can fix', () => {
  const r = runCli(tempTree({ 'z.c': SNDBUF_ZERO, 'p.c': PARTIAL_ONLY }), []);
  assert.match(r.stdout, /^1 problem can be fixed with --fix \(--fix-dry-run shows the diff\)\.$/m);
  assert.match(r.stdout, /= fix available: Remove SO_SNDBUF = 0.*\(applied by --fix\)/);
});
