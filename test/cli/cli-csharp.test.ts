// C# files through the CLI: walked by extension (.cs), linted in the engine worker (the C# grammar is
// loaded on first use), reported with .NET's names, fixed with `NoDelay = true` / a ReceiveBufferSize
// moved before Connect(), suppressed with // comments, and marked as csharp in SARIF.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, runJson, tempTree } from './helpers';

const CLIENT = `using System.Net;
using System.Net.Sockets;
using System.Text;

class RpcClient
{
    static string Call(IPEndPoint server, byte[] header, byte[] body)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Connect(server);
        s.ReceiveBufferSize = 1 << 20;
        s.Send(header, 0, 8, SocketFlags.None);
        s.Send(body, 0, 100, SocketFlags.None);
        byte[] reply = new byte[256];
        int n = s.Receive(reply);
        return Encoding.UTF8.GetString(reply, 0, n) == "OK" ? "ok" : "failed";
    }
}
`;

/** The same calls on a class of the program named Socket, in a file that does not import System.Net.Sockets. */
const LOOKALIKE = CLIENT.replace('using System.Net.Sockets;\n', '').replace('class RpcClient', 'class Socket { public Socket(object a, object b, object c) { } public void Connect(object e) { } public int ReceiveBufferSize; public void Send(byte[] b, int o, int n, int f) { } public int Receive(byte[] b) => 0; }\nclass RpcClient');

test('walks .cs files and reports C# findings with .NET names', () => {
  const dir = tempTree({ 'src/RpcClient.cs': CLIENT, 'src/Lookalike.cs': LOOKALIKE, 'src/notes.txt': CLIENT });
  const r = runJson(dir, ['src']);
  const got = r.findings.map((f) => `${path.basename(f.file)}:${f.line}:${f.ruleId}`).sort();
  assert.deepEqual(got, ['RpcClient.cs:11:sockopt-after-connect', 'RpcClient.cs:13:write-write-read', 'RpcClient.cs:15:recv-message-boundary']);
  const late = r.findings.find((f) => f.ruleId === 'sockopt-after-connect')!;
  assert.equal(late.message, 'ReceiveBufferSize = 1 MB set after Connect(): the SYN already fixed the window scale, so it may stay at 64 KB.');
  const recv = r.findings.find((f) => f.ruleId === 'recv-message-boundary')!;
  assert.match(recv.message, /^Receive\(\) returns 1–256 bytes/);
});

test('--fix sets NoDelay = true after the socket is created and moves ReceiveBufferSize before Connect()', () => {
  const dir = tempTree({ 'RpcClient.cs': CLIENT });
  runCli(dir, ['--fix', 'RpcClient.cs']);
  const fixed = readFileSync(path.join(dir, 'RpcClient.cs'), 'utf8').split('\n');
  const at = (s: string) => fixed.findIndex((l) => l.trim() === s);
  assert.ok(at('s.NoDelay = true;') === at('var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);') + 1, fixed.join('\n'));
  assert.ok(at('s.ReceiveBufferSize = 1 << 20;') < at('s.Connect(server);'), fixed.join('\n'));
  assert.deepEqual(runJson(dir, ['RpcClient.cs']).findings.map((f) => f.ruleId), ['recv-message-boundary']);
});

test('SARIF names the artifact language csharp', () => {
  const dir = tempTree({ 'RpcClient.cs': CLIENT });
  const r = runCli(dir, ['--format', 'sarif', 'RpcClient.cs']);
  const log = JSON.parse(r.stdout) as { runs: { artifacts: { sourceLanguage: string }[]; results: { ruleId: string }[] }[] };
  assert.deepEqual(log.runs[0].artifacts.map((a) => a.sourceLanguage), ['csharp']);
  assert.equal(log.runs[0].results.length, 3);
});

test('// suppression comments work in C#', () => {
  const text = CLIENT.replace('        s.ReceiveBufferSize = 1 << 20;\n', '        // socklint-disable-next-line sockopt-after-connect -- the peer is on the same LAN\n        s.ReceiveBufferSize = 1 << 20;\n');
  const dir = tempTree({ 'RpcClient.cs': text });
  assert.deepEqual(runJson(dir, ['RpcClient.cs']).findings.map((f) => f.ruleId).sort(), ['recv-message-boundary', 'write-write-read']);
});
