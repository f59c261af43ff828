// Java's socket API (java.net and java.nio.channels) as the analysis sees it. The lowering
// (lower.ts) decides which calls these are from the types the code declares or creates (`Socket`,
// `ServerSocket`, `SocketChannel`, what `accept()`, `getOutputStream()`, `SocketChannel.open()`
// return, and the java.io streams wrapped around them) and writes each as a call with the C API's
// argument order (socket, buffer, length, flags), so the analysis and the rules read Java as they
// read C. The keys are the `known` names the lowering gives such calls; option setters
// (`setTcpNoDelay(true)`, `setReceiveBufferSize(n)`, `setOption(StandardSocketOptions.X, v)`) and
// `configureBlocking(false)` become the setsockopt / ioctl calls they are.
import type { ApiCall, ApiKind } from '../c/api';

const A = (kind: ApiKind, o: Omit<ApiCall, 'kind'> = {}): ApiCall => ({ kind, ...o });
const TRANSFER = { socket: 0, buffer: 1, length: 2, flags: 3 };

export const JAVA_API: Record<string, ApiCall> = {
  /** new Socket(), new ServerSocket(), SocketChannel.open(), ServerSocketChannel.open(). */
  'java.socket': A('socket'),
  'java.accept': A('accept', { socket: 0 }),
  'java.connect': A('connect', { socket: 0 }),
  'java.bind': A('bind', { socket: 0 }),
  'java.listen': A('listen', { socket: 0 }),
  /**
   * A socket's OutputStream (and DataOutputStream / PrintStream over it, and a flush of a buffered
   * stream): the JDK's socket output stream loops until every byte is written or throws, so it
   * never writes short.
   */
  'java.stream.write': A('send', { ...TRANSFER, all: true }),
  /**
   * SocketChannel.write(ByteBuffer): in blocking mode it writes every remaining byte; in
   * non-blocking mode it writes what fits in the send buffer, possibly 0 bytes. The rules decide
   * from the channel's state.
   */
  'java.channel.write': A('send', TRANSFER),
  /** InputStream.read(buf[, off, len]), SocketChannel.read(bb): whatever has arrived, up to the count. */
  'java.recv': A('recv', TRANSFER),
  /** DataInputStream.readFully / readInt, BufferedReader.readLine: whole units or an exception. */
  'java.recv.all': A('recv', { ...TRANSFER, all: true }),
  /** setTcpNoDelay, setReceiveBufferSize, setSendBufferSize, setOption(StandardSocketOptions.X, v). */
  'java.setsockopt': A('setsockopt', { socket: 0 }),
  /** `configureBlocking(false)`, written as `ioctl(ch, FIONBIO, <non-blocking>)`. */
  'java.ioctl': A('ioctl', { socket: 0 }),
  'java.close': A('close', { socket: 0 }),
  'java.shutdown': A('shutdown', { socket: 0 }),
  /** Selector.select(): the code waits for readiness. */
  'java.wait': A('wait'),
  'java.sleep': A('sleep'),
  'java.input': A('input'),
  'java.exit': A('exit'),
};

/**
 * What a value is to the analysis:
 *   socket / server:      java.net.Socket / ServerSocket
 *   channel / serverchannel: java.nio.channels.SocketChannel / ServerSocketChannel
 *   out:     bytes written go to the socket at once (its OutputStream, a DataOutputStream or PrintStream over it)
 *   buffered: bytes written are held until flush() or a full buffer (BufferedOutputStream, BufferedWriter,
 *            OutputStreamWriter, PrintWriter without autoflush)
 *   autoprint: a PrintWriter made with autoflush: println/printf/format write at once, print is buffered
 *   in:      reads return what has arrived (the socket's InputStream, DataInputStream, BufferedInputStream)
 *   reader:  a BufferedReader / InputStreamReader over the socket (readLine is a whole line)
 */
export type JavaKind = 'socket' | 'server' | 'channel' | 'serverchannel' | 'out' | 'buffered' | 'autoprint' | 'in' | 'reader';

/** The java.net / java.nio.channels types, by simple name, and the package that must be imported for them. */
export const NET_TYPES: Record<string, { kind: JavaKind; pkg: string }> = {
  Socket: { kind: 'socket', pkg: 'java.net' },
  ServerSocket: { kind: 'server', pkg: 'java.net' },
  SocketChannel: { kind: 'channel', pkg: 'java.nio.channels' },
  ServerSocketChannel: { kind: 'serverchannel', pkg: 'java.nio.channels' },
  // TLS sockets are Sockets (each write is a TLS record, with Nagle on as on the socket under it).
  SSLSocket: { kind: 'socket', pkg: 'javax.net.ssl' },
  SSLServerSocket: { kind: 'server', pkg: 'javax.net.ssl' },
};

/** java.io wrappers: what wrapping a stream of a socket makes (only when the wrapped value is one). */
export const WRAPPERS: Record<string, (inner: JavaKind) => JavaKind | undefined> = {
  DataOutputStream: (k) => (k === 'out' ? 'out' : k === 'buffered' ? 'buffered' : undefined),
  PrintStream: (k) => (k === 'out' ? 'out' : k === 'buffered' ? 'buffered' : undefined),
  BufferedOutputStream: (k) => (k === 'out' || k === 'buffered' ? 'buffered' : undefined),
  OutputStreamWriter: (k) => (k === 'out' || k === 'buffered' ? 'buffered' : undefined),
  BufferedWriter: (k) => (k === 'buffered' ? 'buffered' : undefined),
  DataInputStream: (k) => (k === 'in' ? 'in' : undefined),
  BufferedInputStream: (k) => (k === 'in' ? 'in' : undefined),
  InputStreamReader: (k) => (k === 'in' ? 'reader' : undefined),
  BufferedReader: (k) => (k === 'reader' ? 'reader' : undefined),
};

/** Socket methods and the API they are. */
export const SOCKET_METHODS: Record<string, string> = {
  connect: 'java.connect', bind: 'java.bind', close: 'java.close', shutdownOutput: 'java.shutdown', shutdownInput: 'java.shutdown',
};

/** ServerSocket methods. */
export const SERVER_METHODS: Record<string, string> = { accept: 'java.accept', bind: 'java.bind', close: 'java.close' };

/** SocketChannel methods. */
export const CHANNEL_METHODS: Record<string, string> = {
  connect: 'java.connect', bind: 'java.bind', close: 'java.close', write: 'java.channel.write', read: 'java.recv',
  shutdownOutput: 'java.shutdown', shutdownInput: 'java.shutdown', configureBlocking: 'java.ioctl', setOption: 'java.setsockopt',
};

/** ServerSocketChannel methods. */
export const SERVER_CHANNEL_METHODS: Record<string, string> = {
  accept: 'java.accept', bind: 'java.bind', close: 'java.close', configureBlocking: 'java.ioctl', setOption: 'java.setsockopt',
};

/** Bytes each DataOutputStream write puts on the stream. */
export const DATA_WRITE_SIZES: Record<string, number> = {
  writeByte: 1, writeBoolean: 1, writeShort: 2, writeChar: 2, writeInt: 4, writeFloat: 4, writeLong: 8, writeDouble: 8,
};

/** Reads that return whole units or throw (EOFException): DataInputStream's, BufferedReader.readLine. */
export const WHOLE_READS = new Set([
  'readFully', 'readNBytes', 'readAllBytes', 'readInt', 'readLong', 'readShort', 'readUnsignedShort', 'readByte', 'readUnsignedByte',
  'readChar', 'readFloat', 'readDouble', 'readBoolean', 'readUTF', 'readLine',
]);

/** Socket / ServerSocket option setters: (level, option). */
export const OPTION_SETTERS: Record<string, [string, string]> = {
  setTcpNoDelay: ['IPPROTO_TCP', 'TCP_NODELAY'],
  setReceiveBufferSize: ['SOL_SOCKET', 'SO_RCVBUF'],
  setSendBufferSize: ['SOL_SOCKET', 'SO_SNDBUF'],
  setSoTimeout: ['SOL_SOCKET', 'SO_RCVTIMEO'],
  setKeepAlive: ['SOL_SOCKET', 'SO_KEEPALIVE'],
  setReuseAddress: ['SOL_SOCKET', 'SO_REUSEADDR'],
};

/** StandardSocketOptions members and the C option each stands for. */
export const STANDARD_OPTIONS: Record<string, [string, string]> = {
  TCP_NODELAY: ['IPPROTO_TCP', 'TCP_NODELAY'], SO_RCVBUF: ['SOL_SOCKET', 'SO_RCVBUF'], SO_SNDBUF: ['SOL_SOCKET', 'SO_SNDBUF'],
  SO_KEEPALIVE: ['SOL_SOCKET', 'SO_KEEPALIVE'], SO_REUSEADDR: ['SOL_SOCKET', 'SO_REUSEADDR'], SO_LINGER: ['SOL_SOCKET', 'SO_LINGER'],
};

/** Library calls that parse text as one complete message (a short read makes them fail or misread). */
export const JAVA_PARSE_CALLS = new Set([
  'Integer.parseInt', 'Integer.valueOf', 'Long.parseLong', 'Long.valueOf', 'Double.parseDouble', 'Short.parseShort',
  'JSONObject', 'JsonParser.parseString', 'ObjectMapper.readValue', 'ByteBuffer.getInt',
]);

/** Constructors and static methods that open, make or remove a file by name (the name first). */
export const JAVA_PATH_CALLS: Record<string, number[]> = {
  File: [0], FileInputStream: [0], FileOutputStream: [0], FileReader: [0], FileWriter: [0], RandomAccessFile: [0],
  'Paths.get': [0], 'Path.of': [0],
};

/** String methods that make text of the same bytes (`msg.trim()`), and ones that cut it into a command. */
export const JAVA_TEXT_OF_SAME = new Set(['trim', 'strip', 'toLowerCase', 'toUpperCase', 'stripTrailing', 'stripLeading']);
export const JAVA_SPLITTING = new Set(['split', 'substring', 'startsWith']);
