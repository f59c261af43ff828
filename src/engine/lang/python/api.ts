// Python's socket API as the analysis sees it. The lowering (lower.ts) decides which calls these
// are from what the code resolves to (an object made by `socket.socket()`, an `accept()` result, a
// socketserver handler's `self.request`, an asyncio stream) and writes each as a call with the
// arguments in the C API's order (socket, buffer, length, flags), so the analysis and the rules
// read Python code as they read C. The keys are the `known` names the lowering gives such calls.
import type { ApiCall, ApiKind } from '../c/api';

const A = (kind: ApiKind, o: Omit<ApiCall, 'kind'> = {}): ApiCall => ({ kind, ...o });
const TRANSFER = { socket: 0, buffer: 1, length: 2, flags: 3 };

export const PY_API: Record<string, ApiCall> = {
  // socket.socket / socket.create_connection / socket.fromfd, and ssl's wrap_socket (a socket too).
  'py.socket': A('socket'),
  'py.accept': A('accept', { socket: 0 }),
  'py.connect': A('connect', { socket: 0 }),
  'py.bind': A('bind', { socket: 0 }),
  'py.listen': A('listen', { socket: 0 }),
  'py.send': A('send', TRANSFER),
  /** `sendall` sends every byte or raises; so does `sendfile`. */
  'py.sendall': A('send', { ...TRANSFER, all: true }),
  'py.sendto': A('sendto', TRANSFER),
  'py.recv': A('recv', TRANSFER),
  'py.recv_into': A('recv', TRANSFER),
  'py.recvfrom': A('recvfrom', TRANSFER),
  'py.setsockopt': A('setsockopt', { socket: 0 }),
  /** `setblocking(flag)` / `settimeout(0)`, written as `ioctlsocket(s, FIONBIO, <non-blocking>)`. */
  'py.setblocking': A('ioctl', { socket: 0 }),
  'py.close': A('close', { socket: 0 }),
  'py.shutdown': A('shutdown', { socket: 0 }),
  // asyncio streams: StreamWriter.write() buffers everything (never short); StreamReader.read(n)
  // returns what has arrived, up to n; readexactly/readline/readuntil return whole units.
  'py.stream.write': A('send', { ...TRANSFER, all: true }),
  'py.stream.read': A('recv', TRANSFER),
  'py.stream.readexactly': A('recv', { ...TRANSFER, all: true }),
  // loop.sock_recv / loop.sock_sendall on a socket: the event loop waits for readiness itself.
  'py.loop.sock_recv': A('recv', { ...TRANSFER, waits: true }),
  'py.loop.sock_sendall': A('send', { ...TRANSFER, all: true, waits: true }),
  // select.select, selectors' select(), poll: the code waits for readiness.
  'py.wait': A('wait'),
  'py.sleep': A('sleep'),
  'py.input': A('input'),
  'py.exit': A('exit'),
};

/** Socket methods, by the name written after the dot, and the API they are. */
export const SOCKET_METHODS: Record<string, string> = {
  accept: 'py.accept', connect: 'py.connect', connect_ex: 'py.connect', bind: 'py.bind', listen: 'py.listen',
  send: 'py.send', sendall: 'py.sendall', sendfile: 'py.sendall', sendto: 'py.sendto',
  recv: 'py.recv', recv_into: 'py.recv_into', recvfrom: 'py.recvfrom',
  setsockopt: 'py.setsockopt', setblocking: 'py.setblocking', settimeout: 'py.setblocking',
  close: 'py.close', shutdown: 'py.shutdown',
};

/** StreamWriter / StreamReader methods. */
export const STREAM_METHODS: Record<string, string> = {
  write: 'py.stream.write', writelines: 'py.stream.write',
  read: 'py.stream.read', readexactly: 'py.stream.readexactly', readline: 'py.stream.readexactly', readuntil: 'py.stream.readexactly',
  close: 'py.close',
};

/** The exception a non-blocking socket raises when it would block (and ssl's equivalents). */
export const WOULDBLOCK_EXCEPTIONS = new Set(['BlockingIOError', 'ssl.SSLWantReadError', 'ssl.SSLWantWriteError']);

/** Exception types that catch BlockingIOError as well (its bases; `socket.error` is OSError). */
export const CATCHES_WOULDBLOCK = new Set(['OSError', 'IOError', 'EnvironmentError', 'Exception', 'BaseException', 'socket.error']);

/** Library functions that parse bytes as one complete message (a short read makes them fail or misread). */
export const PY_PARSE_CALLS = new Set([
  'json.loads', 'pickle.loads', 'marshal.loads', 'struct.unpack', 'msgpack.unpackb', 'ast.literal_eval', 'int', 'float',
  'yaml.safe_load', 'yaml.load', 'xml.etree.ElementTree.fromstring', 'ElementTree.fromstring',
]);

/** Functions that open, make or remove a file by name (the name first; os.rename both). */
export const PY_PATH_CALLS: Record<string, number[]> = {
  open: [0], 'os.remove': [0], 'os.unlink': [0], 'os.mkdir': [0], 'os.makedirs': [0], 'os.listdir': [0], 'os.rmdir': [0], 'os.stat': [0],
  'os.chdir': [0], 'os.rename': [0, 1], 'os.scandir': [0], 'os.path.exists': [0], 'os.path.isfile': [0], 'os.path.isdir': [0],
  'os.path.getsize': [0], 'shutil.rmtree': [0],
};

/** Methods that make text of the same bytes (`data.decode()`, `.strip()`): the bytes seen as a string. */
export const TEXT_OF_SAME_BYTES = new Set(['decode', 'strip', 'rstrip', 'lstrip', 'lower', 'upper', 'casefold']);

/** Methods that cut received text into whole commands or records. */
export const SPLITTING_METHODS = new Set(['split', 'splitlines', 'partition']);

/** The modules whose names the lowering resolves. */
export const KNOWN_MODULES = new Set([
  'socket', 'socketserver', 'asyncio', 'selectors', 'select', 'ssl', 'errno', 'json', 'pickle', 'marshal', 'struct',
  'threading', '_thread', 'time', 'sys', 'os', 'msgpack', 'ast', 'yaml', 'concurrent.futures',
]);
