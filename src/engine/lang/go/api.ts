// Go's socket API (package net, and the readers and writers of the standard library that wrap a
// connection) as the analysis sees it. The lowering (lower.ts) decides which calls these are from
// what the code resolves to: the imported package (`net.Dial`, `io.ReadFull`), the declared types
// of parameters, variables and struct fields (`net.Conn`, `*net.TCPConn`, `net.Listener`,
// `net.Dialer`), what a call returns (`ln.Accept()`, `d.Dial()`, a function of the file declared to
// return a `net.Conn`), and type assertions (`conn.(*net.TCPConn)` is the same connection). Each
// is written as a call with the C API's argument order (socket, buffer, length, flags), so the
// analysis and the rules read Go code as they read C.
//
// What the Go runtime does that the rules depend on (src/net, src/internal/poll):
// - Every TCP connection Go makes or accepts has TCP_NODELAY set (net/tcpsock.go, newTCPConn calls
//   setNoDelay(fd, true)); Nagle is on only after `SetNoDelay(false)`.
// - `Conn.Write` writes every byte or returns an error (internal/poll/fd_unix.go, FD.Write loops
//   until the buffer is written; io.Writer's contract: "Write must return a non-nil error if it
//   returns n < len(p)").
// - `Conn.Read` returns what has arrived, 1 to len(p) bytes (io.Reader: "Read reads up to len(p)
//   bytes"); io.ReadFull, bufio's ReadString/ReadBytes/Scanner and json.Decoder frame the stream.
// - Sockets are non-blocking underneath, but the runtime poller parks the goroutine and retries:
//   code never sees EAGAIN, so the WOULDBLOCK rules cannot apply.
import type { ApiCall, ApiKind } from '../c/api';

const A = (kind: ApiKind, o: Omit<ApiCall, 'kind'> = {}): ApiCall => ({ kind, ...o });
const TRANSFER = { socket: 0, buffer: 1, length: 2, flags: 3 };

export const GO_API: Record<string, ApiCall> = {
  /** net.Dial / net.Listen / tls.Dial / a Dialer's Dial: a socket, with the connect or listen written after it. */
  'go.socket': A('socket'),
  'go.accept': A('accept', { socket: 0 }),
  'go.connect': A('connect', { socket: 0 }),
  'go.bind': A('bind', { socket: 0 }),
  'go.listen': A('listen', { socket: 0 }),
  /** Conn.Write, fmt.Fprintf(conn, ...), io.WriteString(conn, ...), a bufio.Writer's Flush: every byte or an error; the poller waits for room. */
  'go.write': A('send', { ...TRANSFER, all: true, waits: true }),
  /** Conn.Read and bufio.Reader.Read: what has arrived, up to len(buf). */
  'go.read': A('recv', { ...TRANSFER, waits: true }),
  /** io.ReadFull, io.ReadAtLeast, io.ReadAll, bufio's ReadString/ReadBytes/ReadLine, Scanner.Scan, json.Decoder.Decode, binary.Read: whole units. */
  'go.read.all': A('recv', { ...TRANSFER, all: true, waits: true }),
  /** SetNoDelay, SetReadBuffer, SetWriteBuffer, SetKeepAlive, written as setsockopt(conn, level, option, value). */
  'go.setsockopt': A('setsockopt', { socket: 0 }),
  'go.close': A('close', { socket: 0 }),
  /** TCPConn.CloseWrite. */
  'go.shutdown': A('shutdown', { socket: 0 }),
  /** `select` over channels, sync.Cond.Wait: the goroutine waits. */
  'go.wait': A('wait'),
  'go.sleep': A('sleep'),
  'go.input': A('input'),
  'go.exit': A('exit'),
};

/** The kinds of value the lowering follows. A reader or writer is a bufio wrapper made over a connection. */
export type GoKind = 'conn' | 'listener' | 'dialer' | 'reader' | 'writer';

/** Types of package net (and crypto/tls) and the kind of value each is. */
export const NET_TYPES: Record<string, Record<string, GoKind>> = {
  net: { Conn: 'conn', TCPConn: 'conn', Listener: 'listener', TCPListener: 'listener', Dialer: 'dialer' },
  'crypto/tls': { Conn: 'conn', Dialer: 'dialer' },
};

/** Functions that make a connection (connected), a listener (bound and listening), or wrap one. */
export const DIAL_FUNCTIONS: Record<string, Set<string>> = {
  net: new Set(['Dial', 'DialTimeout', 'DialTCP']),
  'crypto/tls': new Set(['Dial', 'DialWithDialer']),
};
export const LISTEN_FUNCTIONS: Record<string, Set<string>> = {
  net: new Set(['Listen', 'ListenTCP']),
  'crypto/tls': new Set(['Listen']),
};
/** tls.Client(conn, cfg) / tls.Server(conn, cfg): TLS over the same connection. */
export const WRAP_FUNCTIONS: Record<string, Set<string>> = { 'crypto/tls': new Set(['Client', 'Server']) };

/** Methods of a connection and the API they are. */
export const CONN_METHODS: Record<string, string> = {
  Write: 'go.write', Read: 'go.read', SetNoDelay: 'go.setsockopt', SetReadBuffer: 'go.setsockopt', SetWriteBuffer: 'go.setsockopt',
  SetKeepAlive: 'go.setsockopt', Close: 'go.close', CloseWrite: 'go.shutdown', ReadFrom: 'go.write',
};

/** Methods of a listener. */
export const LISTENER_METHODS: Record<string, string> = { Accept: 'go.accept', AcceptTCP: 'go.accept', Close: 'go.close' };

/** Methods of a net.Dialer that return a connected connection. */
export const DIALER_METHODS = new Set(['Dial', 'DialContext']);

/** bufio.Reader / bufio.Scanner methods over a connection: `Read` is one read; the others frame the stream. */
export const READER_METHODS: Record<string, string> = {
  Read: 'go.read', ReadString: 'go.read.all', ReadBytes: 'go.read.all', ReadLine: 'go.read.all', ReadSlice: 'go.read.all',
  ReadByte: 'go.read.all', ReadRune: 'go.read.all', Scan: 'go.read.all', Decode: 'go.read.all',
};

/** bufio.Writer methods over a connection: writes are buffered; Flush sends what was buffered. */
export const WRITER_FLUSH = 'Flush';

/** Package functions, by import path and name, that make a reader or a writer over their first argument. */
export const READER_MAKERS: Record<string, Set<string>> = {
  bufio: new Set(['NewReader', 'NewReaderSize', 'NewScanner']),
  'encoding/json': new Set(['NewDecoder']),
  'encoding/gob': new Set(['NewDecoder']),
};
export const WRITER_MAKERS: Record<string, Set<string>> = { bufio: new Set(['NewWriter', 'NewWriterSize']) };

/** Package functions that read whole units from the reader given first (io.ReadFull(conn, buf)). */
export const READ_ALL_FUNCTIONS: Record<string, Set<string>> = {
  io: new Set(['ReadFull', 'ReadAtLeast', 'ReadAll']),
  'io/ioutil': new Set(['ReadAll']),
  'encoding/binary': new Set(['Read']),
};

/** Package functions that write everything to the writer given first (fmt.Fprintf(conn, ...)). */
export const WRITE_FUNCTIONS: Record<string, Set<string>> = {
  fmt: new Set(['Fprintf', 'Fprint', 'Fprintln']),
  io: new Set(['WriteString', 'Copy', 'CopyN']),
  'encoding/binary': new Set(['Write']),
};

/** Library calls that parse text or bytes as one complete message (a short read makes them fail or misread). */
export const GO_PARSE_CALLS = new Set([
  'json.Unmarshal', 'xml.Unmarshal', 'yaml.Unmarshal', 'proto.Unmarshal', 'gob.Decode', 'strconv.Atoi', 'strconv.ParseInt',
  'strconv.ParseUint', 'strconv.ParseFloat', 'strconv.ParseBool', 'strings.Split', 'strings.SplitN', 'strings.Fields',
  'strings.Cut', 'bytes.Split', 'bytes.Fields', 'fmt.Sscanf', 'fmt.Sscan', 'binary.BigEndian.Uint32', 'binary.BigEndian.Uint16',
  'binary.LittleEndian.Uint32', 'binary.LittleEndian.Uint16', 'binary.BigEndian.Uint64', 'binary.LittleEndian.Uint64',
]);

/** Package functions that open, make or remove a file by name (the name first; os.Rename both). */
export const GO_PATH_CALLS: Record<string, number[]> = {
  'os.Open': [0], 'os.Create': [0], 'os.OpenFile': [0], 'os.Mkdir': [0], 'os.MkdirAll': [0], 'os.Remove': [0], 'os.RemoveAll': [0],
  'os.ReadFile': [0], 'os.WriteFile': [0], 'os.Stat': [0], 'os.Lstat': [0], 'os.ReadDir': [0], 'os.Chdir': [0], 'os.Rename': [0, 1],
  'ioutil.ReadFile': [0], 'ioutil.WriteFile': [0], 'ioutil.ReadDir': [0],
};

/** Functions that return text of the same bytes (`strings.TrimSpace(msg)`). */
export const TEXT_OF_SAME: Record<string, Set<string>> = {
  strings: new Set(['TrimSpace', 'TrimRight', 'TrimLeft', 'TrimSuffix', 'TrimPrefix', 'Trim', 'ToLower', 'ToUpper']),
  bytes: new Set(['TrimSpace', 'TrimRight', 'TrimLeft', 'TrimSuffix', 'TrimPrefix', 'Trim', 'ToLower', 'ToUpper']),
};

/** The package name a parse call is reported under (`encoding/json` -> `json`). */
export function packageName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** time.Duration constants in milliseconds (time.Sleep(250 * time.Millisecond) paces a loop by 250 ms). */
export const DURATION_MS: Record<string, number> = {
  Nanosecond: 1e-6, Microsecond: 1e-3, Millisecond: 1, Second: 1000, Minute: 60_000, Hour: 3_600_000,
};
