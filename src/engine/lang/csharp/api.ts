// .NET's socket API (System.Net.Sockets) as the analysis sees it. The lowering (lower.ts) decides
// which calls these are from the types the code declares or creates (`Socket`, `TcpClient`,
// `NetworkStream`, `TcpListener`, what `AcceptSocket()`/`AcceptTcpClient()`/`GetStream()` return)
// and writes each as a call with the C API's argument order (socket, buffer, length, flags), so the
// analysis and the rules read C# code as they read C. The keys are the `known` names the lowering
// gives such calls; property assignments (`NoDelay = true`, `ReceiveBufferSize = n`, `Blocking =
// false`) become the setsockopt / ioctlsocket calls they are.
import type { ApiCall, ApiKind } from '../c/api';

const A = (kind: ApiKind, o: Omit<ApiCall, 'kind'> = {}): ApiCall => ({ kind, ...o });
const TRANSFER = { socket: 0, buffer: 1, length: 2, flags: 3 };

export const CS_API: Record<string, ApiCall> = {
  // new Socket(...), new TcpClient(...), new TcpListener(...): a socket (Winsock underneath on Windows).
  'cs.socket': A('socket'),
  'cs.accept': A('accept', { socket: 0 }),
  'cs.connect': A('connect', { socket: 0 }),
  'cs.bind': A('bind', { socket: 0 }),
  'cs.listen': A('listen', { socket: 0 }),
  /** Socket.Send: on a blocking socket without SendTimeout it sends every byte (or throws); a
   *  non-blocking one may send part. The rules decide from the socket's state. */
  'cs.send': A('send', TRANSFER),
  /** NetworkStream.Write / WriteAsync: loops until every byte is written, or throws. */
  'cs.stream.write': A('send', { ...TRANSFER, all: true }),
  /** Socket.SendAsync / BeginSend: completes when every byte is queued; the runtime waits for room itself. */
  'cs.send.async': A('send', { ...TRANSFER, all: true, waits: true }),
  'cs.sendto': A('sendto', TRANSFER),
  /** Socket.Receive / NetworkStream.Read and their async forms: what has arrived, up to the count. */
  'cs.recv': A('recv', TRANSFER),
  'cs.recv.async': A('recv', { ...TRANSFER, waits: true }),
  /** Written after each async call on a socket: .NET runs async socket I/O overlapped (an I/O
   *  completion port on Windows), which is what makes SendBufferSize = 0 harmless. */
  'cs.async': A('iocp', { socket: 0 }),
  /** NetworkStream.ReadExactly, StreamReader.ReadLine / BinaryReader reads: whole units or an exception. */
  'cs.recv.all': A('recv', { ...TRANSFER, all: true }),
  'cs.recvfrom': A('recvfrom', TRANSFER),
  /** Send/Receive with an `out SocketError` argument: they report failure there instead of throwing
   *  (the analysis does not follow that code, so no error path is judged). */
  'cs.send.code': A('send', TRANSFER),
  'cs.recv.code': A('recv', TRANSFER),
  /** SetSocketOption and the option properties (NoDelay, ReceiveBufferSize, SendBufferSize, SendTimeout). */
  'cs.setsockopt': A('setsockopt', { socket: 0 }),
  /** `Blocking = false`, written as `ioctlsocket(s, FIONBIO, <non-blocking>)`. */
  'cs.ioctl': A('ioctl', { socket: 0, winsock: true }),
  'cs.close': A('close', { socket: 0 }),
  'cs.shutdown': A('shutdown', { socket: 0 }),
  /** Socket.Select / Socket.Poll: the code waits for readiness. */
  'cs.wait': A('wait'),
  'cs.sleep': A('sleep'),
  'cs.input': A('input'),
  'cs.exit': A('exit'),
};

/** The System.Net.Sockets types the lowering follows, and what each is to the analysis. */
export type NetKind = 'socket' | 'client' | 'stream' | 'listener' | 'reader';

export const NET_TYPES: Record<string, NetKind> = {
  Socket: 'socket', TcpClient: 'client', NetworkStream: 'stream', TcpListener: 'listener',
};

/** Socket methods, by name, and the API they are. */
export const SOCKET_METHODS: Record<string, string> = {
  Accept: 'cs.accept', AcceptAsync: 'cs.accept', EndAccept: 'cs.accept',
  Connect: 'cs.connect', ConnectAsync: 'cs.connect', BeginConnect: 'cs.connect',
  Bind: 'cs.bind', Listen: 'cs.listen',
  Send: 'cs.send', SendAsync: 'cs.send.async', BeginSend: 'cs.send.async', SendTo: 'cs.sendto', SendToAsync: 'cs.sendto',
  Receive: 'cs.recv', ReceiveAsync: 'cs.recv.async', BeginReceive: 'cs.recv.async', ReceiveFrom: 'cs.recvfrom', ReceiveFromAsync: 'cs.recvfrom',
  SetSocketOption: 'cs.setsockopt', IOControl: 'cs.ioctl',
  Close: 'cs.close', Dispose: 'cs.close', Disconnect: 'cs.close', Shutdown: 'cs.shutdown',
  Poll: 'cs.wait',
};

/** TcpClient methods. */
export const CLIENT_METHODS: Record<string, string> = {
  Connect: 'cs.connect', ConnectAsync: 'cs.connect', BeginConnect: 'cs.connect', Close: 'cs.close', Dispose: 'cs.close',
};

/** NetworkStream methods. */
export const STREAM_METHODS: Record<string, string> = {
  Write: 'cs.stream.write', WriteAsync: 'cs.send.async', BeginWrite: 'cs.send.async', WriteByte: 'cs.stream.write',
  Read: 'cs.recv', ReadAsync: 'cs.recv.async', BeginRead: 'cs.recv.async', ReadByte: 'cs.recv.all',
  ReadExactly: 'cs.recv.all', ReadExactlyAsync: 'cs.recv.all', ReadAtLeast: 'cs.recv.all', ReadAtLeastAsync: 'cs.recv.all',
  Close: 'cs.close', Dispose: 'cs.close',
};

/** TcpListener methods. */
export const LISTENER_METHODS: Record<string, string> = {
  Start: 'cs.listen', AcceptSocket: 'cs.accept', AcceptSocketAsync: 'cs.accept', AcceptTcpClient: 'cs.accept', AcceptTcpClientAsync: 'cs.accept',
  EndAcceptSocket: 'cs.accept', EndAcceptTcpClient: 'cs.accept', Stop: 'cs.close',
};

/** StreamReader (over a NetworkStream) methods: a line is a whole unit. */
export const READER_METHODS: Record<string, string> = {
  ReadLine: 'cs.recv.all', ReadLineAsync: 'cs.recv.all', ReadToEnd: 'cs.recv.all', ReadToEndAsync: 'cs.recv.all',
  Read: 'cs.recv', ReadAsync: 'cs.recv',
};

/** Methods whose result is another handle on the same connection, and the kind it is. */
export const SAME_CONNECTION: Record<string, Partial<Record<NetKind, NetKind>>> = {
  GetStream: { client: 'stream' },
  Client: { client: 'socket' },
  Socket: { stream: 'socket' },
  Server: { listener: 'socket' },
};

/** What an accept on a listener or socket returns, by method name. */
export const ACCEPT_RESULT: Record<string, NetKind> = {
  AcceptSocket: 'socket', AcceptSocketAsync: 'socket', EndAcceptSocket: 'socket', Accept: 'socket', AcceptAsync: 'socket', EndAccept: 'socket',
  AcceptTcpClient: 'client', AcceptTcpClientAsync: 'client', EndAcceptTcpClient: 'client',
};

/** SocketOptionName members and the C option each stands for. */
export const OPTION_NAMES: Record<string, string> = {
  NoDelay: 'TCP_NODELAY', ReceiveBuffer: 'SO_RCVBUF', SendBuffer: 'SO_SNDBUF', SendTimeout: 'SO_SNDTIMEO', ReceiveTimeout: 'SO_RCVTIMEO',
  ReuseAddress: 'SO_REUSEADDR', KeepAlive: 'SO_KEEPALIVE',
};

/** Socket / TcpClient properties that are socket options, as (level, option). */
export const OPTION_PROPERTIES: Record<string, [string, string]> = {
  NoDelay: ['IPPROTO_TCP', 'TCP_NODELAY'],
  ReceiveBufferSize: ['SOL_SOCKET', 'SO_RCVBUF'],
  SendBufferSize: ['SOL_SOCKET', 'SO_SNDBUF'],
  SendTimeout: ['SOL_SOCKET', 'SO_SNDTIMEO'],
  ReceiveTimeout: ['SOL_SOCKET', 'SO_RCVTIMEO'],
};

/** The C names of the .NET enum members the analysis reads (SocketError.WouldBlock is WSAEWOULDBLOCK, 10035). */
export const ENUM_MEMBERS: Record<string, string> = {
  'SocketError.WouldBlock': 'WSAEWOULDBLOCK', 'SocketError.IOPending': 'WSA_IO_PENDING', 'SocketError.InProgress': 'WSAEINPROGRESS',
  'SocketType.Stream': 'SOCK_STREAM', 'SocketType.Dgram': 'SOCK_DGRAM', 'SocketType.Raw': 'SOCK_RAW',
  'ProtocolType.Tcp': 'IPPROTO_TCP', 'ProtocolType.Udp': 'IPPROTO_UDP',
  'AddressFamily.InterNetwork': 'AF_INET', 'AddressFamily.InterNetworkV6': 'AF_INET6', 'AddressFamily.Unix': 'AF_UNIX',
  'SocketOptionLevel.Tcp': 'IPPROTO_TCP', 'SocketOptionLevel.Socket': 'SOL_SOCKET',
  'SocketFlags.None': '0', 'SocketFlags.Peek': 'MSG_PEEK', 'SocketFlags.OutOfBand': 'MSG_OOB',
};

/** Exceptions a failed socket call throws (SocketException; IOException from NetworkStream wraps it) and their bases. */
export const CS_CATCHES_WOULDBLOCK = new Set([
  'SocketException', 'Win32Exception', 'ExternalException', 'SystemException', 'Exception', 'IOException',
]);

/** Library calls that parse text or bytes as one complete message (a short read makes them fail or misread). */
export const CS_PARSE_CALLS = new Set([
  'int.Parse', 'long.Parse', 'double.Parse', 'Int32.Parse', 'Int64.Parse', 'Convert.ToInt32', 'Convert.ToInt64',
  'JsonSerializer.Deserialize', 'JsonConvert.DeserializeObject', 'JObject.Parse', 'JsonDocument.Parse', 'XDocument.Parse',
  'BitConverter.ToInt32', 'BitConverter.ToInt16', 'BitConverter.ToInt64', 'BitConverter.ToUInt32', 'BitConverter.ToUInt16',
]);

/** Static methods that open, make or remove a file by name (the name first; File.Move both). */
export const CS_PATH_CALLS: Record<string, number[]> = {
  'File.Open': [0], 'File.OpenRead': [0], 'File.OpenWrite': [0], 'File.Create': [0], 'File.ReadAllText': [0], 'File.ReadAllBytes': [0],
  'File.ReadAllLines': [0], 'File.WriteAllText': [0], 'File.WriteAllBytes': [0], 'File.AppendAllText': [0], 'File.Exists': [0],
  'File.Delete': [0], 'File.Move': [0, 1], 'Directory.CreateDirectory': [0], 'Directory.Delete': [0], 'Directory.Exists': [0],
  'Directory.GetFiles': [0], 'Directory.GetDirectories': [0],
};

/** String methods that make text of the same bytes (`msg.Trim()`), and ones that cut it into a command. */
export const CS_TEXT_OF_SAME = new Set(['Trim', 'TrimEnd', 'TrimStart', 'ToLower', 'ToUpper', 'ToLowerInvariant', 'ToUpperInvariant']);
export const CS_SPLITTING = new Set(['Split', 'Substring']);

/** SocketException members holding the error as a number (`e.ErrorCode == 10035`), and WouldBlock's number. */
export const ERROR_CODE_MEMBERS = new Set(['ErrorCode', 'NativeErrorCode', 'SocketErrorCode']);
export const WOULDBLOCK_CODE = '10035';
