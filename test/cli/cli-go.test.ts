// Go files through the CLI: walked by extension (.go), linted in the engine worker (the Go grammar is
// loaded on first use), reported with package net's names, fixed by turning `SetNoDelay(false)`
// back into `SetNoDelay(true)`, suppressed with // comments, and marked as go in SARIF. A Go
// program that writes small records on a connection with Go's default TCP_NODELAY is not reported.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli, runJson, tempTree } from './helpers';

const CLIENT = `package rpc

import (
	"net"
	"strconv"
)

func Call(addr string, header, body []byte) (int, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	tcp := conn.(*net.TCPConn)
	tcp.SetNoDelay(false)
	tcp.SetReadBuffer(1 << 20)
	conn.Write(header)
	conn.Write(body)
	reply := make([]byte, 256)
	n, err := conn.Read(reply)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(string(reply[:n]))
}
`;

/** The same client with Go's default left alone: Nagle stays off, so the two writes are fine. */
const DEFAULT_NODELAY = CLIENT.replace('\ttcp.SetNoDelay(false)\n', '');

/** The same calls on a type of the file named Conn, in a file that does not import net. */
const LOOKALIKE = `package rpc

type Conn struct{}

func (c *Conn) Write(b []byte) (int, error) { return len(b), nil }
func (c *Conn) Read(b []byte) (int, error)  { return 0, nil }

func Use(conn *Conn, body []byte) string {
	conn.Write(body)
	conn.Write(body)
	buf := make([]byte, 64)
	n, _ := conn.Read(buf)
	if string(buf[:n]) == "OK" {
		return "ok"
	}
	return ""
}
`;

test('walks .go files and reports Go findings with package net names', () => {
  const dir = tempTree({ 'src/client.go': CLIENT, 'src/default.go': DEFAULT_NODELAY, 'src/lookalike.go': LOOKALIKE, 'src/notes.txt': CLIENT });
  const r = runJson(dir, ['src']);
  const got = r.findings.map((f) => `${path.basename(f.file)}:${f.line}:${f.ruleId}`).sort();
  assert.deepEqual(got, [
    'client.go:16:sockopt-after-connect', 'client.go:18:write-write-read', 'client.go:20:recv-message-boundary',
    'default.go:15:sockopt-after-connect', 'default.go:19:recv-message-boundary',
  ]);
  const late = r.findings.find((f) => f.ruleId === 'sockopt-after-connect')!;
  assert.equal(late.message, 'SetReadBuffer(1 MB) after Dial(): the SYN already fixed the window scale, so it may stay at 64 KB.');
  const recv = r.findings.find((f) => f.ruleId === 'recv-message-boundary')!;
  assert.match(recv.message, /^Read\(\) returns 1–256 bytes, not whole messages, yet the code parses the bytes with strconv\.Atoi\(\)/);
});

test('--fix turns SetNoDelay(false) into SetNoDelay(true), and the writes are then quiet', () => {
  const dir = tempTree({ 'client.go': CLIENT });
  runCli(dir, ['--fix', 'client.go']);
  const fixed = readFileSync(path.join(dir, 'client.go'), 'utf8');
  assert.equal(fixed, CLIENT.replace('tcp.SetNoDelay(false)', 'tcp.SetNoDelay(true)'));
  assert.deepEqual(runJson(dir, ['client.go']).findings.map((f) => f.ruleId).sort(), ['recv-message-boundary', 'sockopt-after-connect']);
});

test('SARIF names the artifact language go', () => {
  const dir = tempTree({ 'client.go': CLIENT });
  const r = runCli(dir, ['--format', 'sarif', 'client.go']);
  const log = JSON.parse(r.stdout) as { runs: { artifacts: { sourceLanguage: string }[]; results: { ruleId: string }[] }[] };
  assert.deepEqual(log.runs[0].artifacts.map((a) => a.sourceLanguage), ['go']);
  assert.equal(log.runs[0].results.length, 3);
});

test('// suppression comments work in Go', () => {
  const text = CLIENT.replace('\ttcp.SetReadBuffer(1 << 20)\n', '\t// socklint-disable-next-line sockopt-after-connect -- the peer is on the same LAN\n\ttcp.SetReadBuffer(1 << 20)\n');
  const dir = tempTree({ 'client.go': text });
  assert.deepEqual(runJson(dir, ['client.go']).findings.map((f) => f.ruleId).sort(), ['recv-message-boundary', 'write-write-read']);
});
