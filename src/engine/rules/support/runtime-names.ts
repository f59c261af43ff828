// The names a finding uses for the calls and options it is about, in the language of the code: the
// C API's in C and C++ (and Python, whose socket module keeps them), .NET's in C#, Node's in
// JavaScript and TypeScript. Messages and
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

const NODE_NAMES: RuntimeNames = {
  nodelay: 'socket.setNoDelay(true)', rcvbuf: 'SO_RCVBUF', sndbuf: 'SO_SNDBUF', sndbufZero: 'SO_SNDBUF = 0', connect: 'connect()', listen: 'listen()',
  setsockopt: 'option', wouldBlock: 'EAGAIN',
};

/** Node.js code (JavaScript or TypeScript on the `net` module). */
export function isNodeRuntime(model: SocketModel): boolean {
  return model.language === 'javascript' || model.language === 'typescript';
}

export function runtimeNames(model: SocketModel): RuntimeNames {
  if (isNodeRuntime(model)) return NODE_NAMES;
  return model.language === 'csharp' ? DOTNET_NAMES : C_NAMES;
}
