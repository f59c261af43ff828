// Node.js's socket API (the `net` module) as the analysis sees it. The lowering (lower.ts) decides
// which calls these are from what the code resolves to (`net.connect()`, `new net.Socket()`, the
// socket `net.createServer()` hands its connection listener, a parameter declared `net.Socket`) and
// writes each as a call with the C API's argument order (socket, buffer, length, flags), so the
// analysis and the rules read JavaScript and TypeScript as they read C. Event listeners become the
// code they stand for: a 'data' listener is a loop that receives a chunk per pass, the connection
// listener a loop that accepts a socket per pass (see lower.ts).
import type { ApiCall, ApiKind } from '../c/api';

const A = (kind: ApiKind, o: Omit<ApiCall, 'kind'> = {}): ApiCall => ({ kind, ...o });
const TRANSFER = { socket: 0, buffer: 1, length: 2, flags: 3 };

export const NODE_API: Record<string, ApiCall> = {
  /** net.connect / net.createConnection / new net.Socket / net.createServer: a socket (Nagle on). */
  'node.socket': A('socket'),
  /** The socket a server's connection listener is given. */
  'node.accept': A('accept', { socket: 0 }),
  'node.connect': A('connect', { socket: 0 }),
  'node.listen': A('listen', { socket: 0 }),
  /** socket.write(): never writes short (what the kernel does not take is queued in memory); it
   *  returns false when the queue is over the high-water mark (backpressure). */
  'node.write': A('send', { ...TRANSFER, all: true }),
  /** One 'data' event: whatever bytes have arrived, cut wherever TCP cut them. */
  'node.data': A('recv', { ...TRANSFER, waits: true }),
  /** setNoDelay(), setKeepAlive(), cork(). */
  'node.setsockopt': A('setsockopt', { socket: 0 }),
  'node.close': A('close', { socket: 0 }),
  /** socket.end(): sends the FIN after what is queued. */
  'node.shutdown': A('shutdown', { socket: 0 }),
  /** Waiting for 'drain' (or any event): the code waits before it writes more. */
  'node.wait': A('wait'),
  /** setTimeout / setInterval pacing, and `await sleep(ms)` from timers/promises. */
  'node.sleep': A('sleep'),
  'node.exit': A('exit'),
};

/** A server's events that hand its listener a connected socket. */
export const CONNECTION_EVENTS = new Set(['connection', 'secureConnection']);

/** What a value of the `net` module is to the lowering. */
export type NodeKind = 'socket' | 'server';

/** Functions of `net` that make a connected socket, and ones that make a server. */
export const SOCKET_FACTORIES = new Set(['connect', 'createConnection']);
export const SERVER_FACTORIES = new Set(['createServer']);

/** The modules whose names are resolved: `net` under both spellings (and `tls`, whose TLSSocket is a
 *  net.Socket carrying TLS records: Nagle and 'data' chunks are the same), and the helpers of waiting. */
export const NET_MODULES = new Set(['net', 'node:net', 'tls', 'node:tls']);
export const EVENTS_MODULES = new Set(['events', 'node:events']);
export const FS_MODULES = new Set(['fs', 'node:fs', 'fs/promises', 'node:fs/promises']);
export const TIMERS_PROMISES_MODULES = new Set(['timers/promises', 'node:timers/promises']);

/** Methods that register a listener on an EventEmitter. */
export const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** Library calls that parse text or bytes as one complete message (a partial chunk makes them throw or misread). */
export const NODE_PARSE_CALLS = new Set([
  'JSON.parse', 'parseInt', 'parseFloat', 'Number', 'BigInt',
]);

/** fs functions that open, make or remove a file by name (the name first; rename both). */
export const NODE_PATH_CALLS: Record<string, number[]> = Object.fromEntries([
  'readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createReadStream', 'createWriteStream',
  'unlink', 'unlinkSync', 'mkdir', 'mkdirSync', 'existsSync', 'stat', 'statSync', 'readdir', 'readdirSync', 'rm', 'rmSync', 'open', 'openSync',
].map((f) => [`fs.${f}`, [0]]).concat([['fs.rename', [0, 1]], ['fs.renameSync', [0, 1]]]));

/** Buffer / string methods that give the same bytes as text (`chunk.toString()`, `.trim()`). */
export const NODE_TEXT_OF_SAME = new Set(['toString', 'trim', 'trimEnd', 'trimStart', 'toLowerCase', 'toUpperCase']);

/** Methods that cut received text into commands or records. */
export const NODE_SPLITTING = new Set(['split']);

/** Buffer methods that read a number at a fixed offset (a binary header read from one chunk). */
export const NODE_BUFFER_READS = new Set([
  'readUInt32BE', 'readUInt32LE', 'readUInt16BE', 'readUInt16LE', 'readInt32BE', 'readInt32LE', 'readInt16BE', 'readInt16LE',
  'readUint32BE', 'readUint32LE', 'readUint16BE', 'readUint16LE', 'readBigUInt64BE', 'readBigUInt64LE', 'readDoubleBE', 'readDoubleLE',
]);
