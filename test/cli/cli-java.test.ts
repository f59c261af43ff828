// Java files through the CLI: walked by extension (.java), linted in the engine worker (the Java
// grammar is loaded on first use), reported with java.net's names, fixed with `setTcpNoDelay(true)`
// / a setReceiveBufferSize moved before connect(), suppressed with // comments, and marked as java in SARIF.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, runJson, tempTree } from './helpers';

const CLIENT = `import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

class RpcClient {
    static String call(InetSocketAddress server, byte[] header, byte[] body) throws IOException {
        Socket s = new Socket();
        s.connect(server);
        s.setReceiveBufferSize(1 << 20);
        OutputStream out = s.getOutputStream();
        out.write(header, 0, 8);
        out.write(body, 0, 100);
        byte[] reply = new byte[256];
        InputStream in = s.getInputStream();
        int n = in.read(reply);
        return new String(reply, 0, n).equals("OK") ? "ok" : "failed";
    }
}
`;

/** The same calls on a class of the program named Socket, in a file that does not import java.net. */
const LOOKALIKE = CLIENT.replace('import java.net.Socket;\n', '').replace('class RpcClient', 'class Socket { void connect(Object a) { } void setReceiveBufferSize(int n) { } OutputStream getOutputStream() { return null; } InputStream getInputStream() { return null; } }\nclass RpcClient');

test('walks .java files and reports Java findings with java.net names', () => {
  const dir = tempTree({ 'src/RpcClient.java': CLIENT, 'src/Lookalike.java': LOOKALIKE, 'src/notes.txt': CLIENT });
  const r = runJson(dir, ['src']);
  const got = r.findings.map((f) => `${path.basename(f.file)}:${f.line}:${f.ruleId}`).sort();
  assert.deepEqual(got, ['RpcClient.java:11:sockopt-after-connect', 'RpcClient.java:14:write-write-read', 'RpcClient.java:17:recv-message-boundary']);
  const late = r.findings.find((f) => f.ruleId === 'sockopt-after-connect')!;
  assert.equal(late.message, 'setReceiveBufferSize(1 MB) called after connect(): the SYN already fixed the window scale, so it may stay at 64 KB.');
  const www = r.findings.find((f) => f.ruleId === 'write-write-read')!;
  assert.match(www.detail ?? '', /setTcpNoDelay\(true\)/);
  const recv = r.findings.find((f) => f.ruleId === 'recv-message-boundary')!;
  assert.match(recv.message, /^read\(\) returns 1–256 bytes/);
});

test('--fix calls setTcpNoDelay(true) after the socket is created and moves setReceiveBufferSize before connect()', () => {
  const dir = tempTree({ 'RpcClient.java': CLIENT });
  runCli(dir, ['--fix', 'RpcClient.java']);
  const fixed = readFileSync(path.join(dir, 'RpcClient.java'), 'utf8').split('\n');
  const at = (s: string) => fixed.findIndex((l) => l.trim() === s);
  assert.ok(at('s.setTcpNoDelay(true);') === at('Socket s = new Socket();') + 1, fixed.join('\n'));
  assert.ok(at('s.setReceiveBufferSize(1 << 20);') < at('s.connect(server);'), fixed.join('\n'));
  assert.deepEqual(runJson(dir, ['RpcClient.java']).findings.map((f) => f.ruleId), ['recv-message-boundary']);
});

test('SARIF names the artifact language java', () => {
  const dir = tempTree({ 'RpcClient.java': CLIENT });
  const r = runCli(dir, ['--format', 'sarif', 'RpcClient.java']);
  const log = JSON.parse(r.stdout) as { runs: { artifacts: { sourceLanguage: string }[]; results: { ruleId: string }[] }[] };
  assert.deepEqual(log.runs[0].artifacts.map((a) => a.sourceLanguage), ['java']);
  assert.equal(log.runs[0].results.length, 3);
});

test('// and /* */ suppression comments work in Java', () => {
  const text = CLIENT
    .replace('        s.setReceiveBufferSize(1 << 20);\n', '        // socklint-disable-next-line sockopt-after-connect -- the peer is on the same LAN\n        s.setReceiveBufferSize(1 << 20);\n')
    .replace('        out.write(body, 0, 100);\n', '        out.write(body, 0, 100); /* socklint-disable-line write-write-read */\n');
  const dir = tempTree({ 'RpcClient.java': text });
  assert.deepEqual(runJson(dir, ['RpcClient.java']).findings.map((f) => f.ruleId).sort(), ['recv-message-boundary']);
});
