// The Java front end decides which calls are socket calls from what the code resolves to (imports,
// declared and created types, the streams wrapped around a socket), never from method names alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallExpr, Expr } from '../../src/engine/ir/ir';
import { forEachExprInBody } from '../../src/engine/ir/walk';
import { lowerJavaFile } from '../../src/engine/lang/java/frontend';
import { ready } from './fixture-harness';

/** `method:known` for every call the lowering marked as the socket API, in the named function. */
function knownCalls(source: string, fn: string): string[] {
  const file = lowerJavaFile('X.java', source);
  const i = file.functions.findIndex((f) => f.name === fn);
  assert.ok(i >= 0, `no function ${fn}`);
  const out: string[] = [];
  forEachExprInBody(file.lowerFunction(i).body, (e: Expr) => {
    if (e.k === 'call' && e.known?.startsWith('java.')) {
      const c = e as CallExpr;
      out.push(`${c.callee.k === 'field' ? c.callee.field : c.callee.k === 'name' ? c.callee.name : '?'}:${c.known}`);
    }
    return undefined;
  });
  return out;
}

const BODY = `
    void run(String host, byte[] b) throws Exception {
        Socket s = new Socket(host, 80);
        s.setTcpNoDelay(true);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(4);
        out.write(b);
        BufferedOutputStream buf = new BufferedOutputStream(s.getOutputStream());
        buf.write(b);
        buf.flush();
        int n = s.getInputStream().read(b);
        s.close();
    }
`;

test('java.net types are sockets when imported (by package or by name) or named fully', async () => {
  await ready;
  const expected = [
    'Socket:java.socket', 'Socket:java.connect', 'setTcpNoDelay:java.setsockopt', 'writeInt:java.stream.write', 'write:java.stream.write',
    // The buffered stream's write is no send; its flush is the one send.
    'flush:java.stream.write', 'read:java.recv', 'close:java.close',
  ];
  for (const imports of ['import java.io.*;\nimport java.net.*;\n', 'import java.io.*;\nimport java.net.Socket;\n']) {
    assert.deepEqual(knownCalls(`${imports}class C {${BODY}}`, 'run'), expected, imports);
  }
  const qualified = `import java.io.*;\nclass C {${BODY.split('Socket s = new Socket(host, 80);').join('java.net.Socket s = new java.net.Socket(host, 80);')}}`;
  assert.deepEqual(knownCalls(qualified, 'run'), expected);
});

test('a class of the program named Socket, or a file without java.net, has no socket calls', async () => {
  await ready;
  assert.deepEqual(knownCalls(`import java.io.*;\nclass C {${BODY}}`, 'run'), []);
  const own = `import java.io.*;\nimport java.net.*;\nclass Socket { Socket(String h, int p) { } void setTcpNoDelay(boolean b) { } OutputStream getOutputStream() { return null; } InputStream getInputStream() { return null; } void close() { } }\nclass C {${BODY}}`;
  assert.deepEqual(knownCalls(own, 'run'), []);
});

test('NIO: SocketChannel.open(addr) connects, configureBlocking(false) is FIONBIO, a Selector-reported channel is non-blocking', async () => {
  await ready;
  const src = `import java.net.*;
import java.nio.ByteBuffer;
import java.nio.channels.*;
class C {
    void a(InetSocketAddress addr, ByteBuffer bb) throws Exception {
        SocketChannel ch = SocketChannel.open(addr);
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.write(bb);
        ch.read(bb);
    }
    void b(Selector sel, SelectionKey key) throws Exception {
        sel.select();
        SocketChannel c = (SocketChannel) key.channel();
    }
}
`;
  assert.deepEqual(knownCalls(src, 'a'), ['open:java.socket', 'open:java.connect', 'configureBlocking:java.ioctl', 'setOption:java.setsockopt', 'write:java.channel.write', 'read:java.recv']);
  assert.deepEqual(knownCalls(src, 'b'), ['select:java.wait', 'register:java.ioctl']);
});

test('a stream field made from a socket field in one method is that socket in another', async () => {
  await ready;
  const src = `import java.io.*;
import java.net.*;
class C {
    private Socket socket;
    private DataOutputStream out;
    void open(String h) throws IOException { socket = new Socket(h, 1); out = new DataOutputStream(socket.getOutputStream()); }
    void send(int v) throws IOException { out.writeInt(v); }
}
`;
  const file = lowerJavaFile('X.java', src);
  const send = file.lowerFunction(file.functions.findIndex((f) => f.name === 'send'));
  const calls: CallExpr[] = [];
  forEachExprInBody(send.body, (e) => { if (e.k === 'call') calls.push(e); return undefined; });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].known, 'java.stream.write');
  assert.deepEqual(calls[0].args[0].k === 'name' ? calls[0].args[0].name : undefined, 'socket');
});
