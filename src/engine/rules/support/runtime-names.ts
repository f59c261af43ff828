// The names a finding uses for the calls and options it is about, in the language of the code: the
// C API's in C and C++ (and Python, whose socket module keeps them), .NET's in C#, package net's in Go,
// java.net's in Java, Node's in JavaScript and TypeScript. Messages and
// details say what the reader wrote and what they would write to fix it.
import type { SocketModel } from '../../model';

export interface RuntimeNames {
  /** The statement that turns Nagle off. */
  nodelay: string;
  rcvbuf: string;
  sndbuf: string;
  sndbufZero: string;
  connect: string;
  listen: string;
  setsockopt: string;
  wouldBlock: string;
}

const C_NAMES: RuntimeNames = {
  nodelay: 'TCP_NODELAY', rcvbuf: 'SO_RCVBUF', sndbuf: 'SO_SNDBUF', sndbufZero: 'SO_SNDBUF = 0', connect: 'connect()', listen: 'listen()',
  setsockopt: 'setsockopt', wouldBlock: 'WSAEWOULDBLOCK',
};

const DOTNET_NAMES: RuntimeNames = {
  nodelay: 'NoDelay = true', rcvbuf: 'ReceiveBufferSize', sndbuf: 'SendBufferSize', sndbufZero: 'SendBufferSize = 0', connect: 'Connect()',
  listen: 'Start()/Listen()', setsockopt: 'option', wouldBlock: 'SocketError.WouldBlock',
};

const GO_NAMES: RuntimeNames = {
  nodelay: 'SetNoDelay(true)', rcvbuf: 'SetReadBuffer', sndbuf: 'SetWriteBuffer', sndbufZero: 'SetWriteBuffer(0)', connect: 'Dial()',
  listen: 'net.Listen()', setsockopt: 'option', wouldBlock: 'EAGAIN',
};

const JAVA_NAMES: RuntimeNames = {
  nodelay: 'setTcpNoDelay(true)', rcvbuf: 'setReceiveBufferSize', sndbuf: 'setSendBufferSize', sndbufZero: 'setSendBufferSize(0)', connect: 'connect()',
  listen: 'bind()', setsockopt: 'option', wouldBlock: 'a count of 0',
};

const NODE_NAMES: RuntimeNames = {
  nodelay: 'socket.setNoDelay(true)', rcvbuf: 'SO_RCVBUF', sndbuf: 'SO_SNDBUF', sndbufZero: 'SO_SNDBUF = 0', connect: 'connect()', listen: 'listen()',
  setsockopt: 'option', wouldBlock: 'EAGAIN',
};

/** Node.js code (JavaScript or TypeScript on the `net` module). */
export function isNodeRuntime(model: SocketModel): boolean {
  return model.language === 'javascript' || model.language === 'typescript';
}

export function runtimeNames(model: SocketModel): RuntimeNames {
  if (model.language === 'go') return GO_NAMES;
  if (model.language === 'java') return JAVA_NAMES;
  if (isNodeRuntime(model)) return NODE_NAMES;
  return model.language === 'csharp' ? DOTNET_NAMES : C_NAMES;
}
