// One recv()'s bytes used as a whole message.
import type { Rule } from './rule';
import type { SocketOp } from '../model';
import { probablyDatagram } from './support/facts';
import { fixList, readWholeMessageFix } from './support/fixes';
import { count } from './support/format';
import { isNodeRuntime } from './support/runtime-names';

function upTo(op: SocketOp): string {
  if (op.length?.value !== undefined) return `${count(op.length.value)} bytes`;
  return op.length?.text ? `\`${op.length.text}\` bytes` : 'the buffer size';
}

export const recvMessageBoundary: Rule = {
  id: 'recv-message-boundary',
  title: 'recv() treated as one message',
  defaultSeverity: 'warning',
  docs: {
    summary: 'Flags a recv() on a stream socket whose bytes are used as one whole message (read straight into a struct, cast to a message type, parsed, printed or written as one record, switched on by a type byte, handed to a function that does) without a loop or length framing.',
    when: 'Fires on recv() (or read() on a socket) when, before the buffer is received into again, the code: reads into a fixed-size object with `&obj` in one call; casts the buffer to a struct pointer; parses it with strcmp/strncmp/strstr/strtok/sscanf/atoi/strtol/memcmp; prints it inside a format with other text (`printf("Got: %s\\n", buf)`), with puts, with `cout << buf << endl` or a message box; writes it to a file as a record (`fprintf(f, "%s\\n", buf)`); uses it as a file name (fopen, open, mkdir, remove, CreateFile; os.Create and os.MkdirAll in Go, open() and os.remove in Python, File.ReadAllBytes in C#, new FileInputStream in Java, fs.readFile in Node.js); formats it into a record with other text (`sprintf(line, "%s: %s\\n", who, buf)`, `std::format("From server: {}", buf)`); switches on or compares its first byte as a type; copies a struct out of it; copies it into a string (`std::string cmd = buf;`, `std::string(buf, 0, n)`) that is then compared whole with a literal (`cmd == "1"`) or cut with substr/compare; or passes it to a function of the program that does one of these. Quiet when the count is compared with an expected length (the length asked, or an exact count: `n != 1`) or advances an offset (a read loop), when the buffer argument already advances (`buf + got`), with MSG_WAITALL, for MSG_OOB reads (the one urgent byte, not the stream), when the bytes are appended to a reassembly buffer first (memcpy at an offset, append, push, feed, a streaming parser), when a recv_all-style helper receives them, for 1-byte reads, for UDP and Unix-domain sockets, and in functions with syntax errors.',
    wire: 'TCP is a byte stream: recv() returns what has arrived so far, up to the buffer size. A 100-byte message sent in one send() can arrive as 60 + 40 bytes (segmentation, a retransmission, a full window), and two small messages sent back to back arrive together when Nagle or the receiver coalesces them. Code that treats each recv() as one message works on loopback and fails under load or on a real network.',
    bad: `struct header h;
recv(s, (char *)&h, sizeof h, 0);     /* may return 3 of 8 bytes */
handle(h.type, h.len);`,
    good: `struct header h;
if (recv_all(s, (char *)&h, sizeof h) != sizeof h) return -1;   /* loop until complete */
body = malloc(h.len);
if (recv_all(s, body, h.len) != h.len) return -1;`,
    fix: 'Frame messages (a fixed-size header with the length, or a delimiter) and loop on recv() until the whole header and body have arrived, or pass MSG_WAITALL on a blocking socket. The quick fix, offered for review, passes MSG_WAITALL where one fixed-size object is read on a blocking socket, and reads text up to the end of the line with a recv_line() helper; binary records whose size the code does not state need the protocol\'s framing, and get no fix.',
    related: ['None: no linter checks message framing over recv().'],
    csharp: "`int n = s.Receive(buf)` and `stream.Read(buf, 0, buf.Length)` (and `ReceiveAsync`/`ReadAsync`, and `EndReceive`/`EndRead` in the callback a `BeginReceive`/`BeginRead` of the same class names, when its buffer is a field; also through a `Stream` parameter that the file fills with a `NetworkStream`) return what has arrived, up to the buffer. Fires when those bytes are used as one message: `Encoding.UTF8.GetString(buf, 0, n)` compared whole with a literal, cut with `Split()` or `Substring()`, or parsed (`int.Parse`, `JsonSerializer.Deserialize`, `BitConverter.ToInt32`). Quiet when the code loops until a length or delimiter has arrived (appending at an offset), for `ReadExactly`, for `StreamReader.ReadLine()` (a whole line) and `ReadToEnd()`. No quick fix: the framing is the protocol's.",
    go: "`n, err := conn.Read(buf)` on a `net.Conn`/`*net.TCPConn` returns what has arrived (the `io.Reader` contract: \"Read reads up to len(p) bytes into p\"), and so does `bufio.Reader.Read`. Fires when `buf[:n]` is used as one message: `string(buf[:n])` compared with a literal or switched on (`switch string(buf[:n]) { case \"PING\": }`), or passed to `json.Unmarshal`, `strconv.Atoi`, `strings.Split`/`Fields`, `binary.BigEndian.Uint32` and the like. Quiet for `io.ReadFull`, `io.ReadAtLeast`, `io.ReadAll`, `bufio.Reader.ReadString`/`ReadBytes`/`ReadLine`, `bufio.Scanner`, `json.NewDecoder(conn).Decode` and `binary.Read` (they frame the stream), and for echoes, relays and reassembly buffers. No quick fix: the framing is the protocol's; read a length prefix and the body with `io.ReadFull`, or lines with `bufio`.",
    java: '`InputStream.read(buf)` and `read(buf, off, len)` on a socket\'s stream (also through `DataInputStream`/`BufferedInputStream`) returns whatever has arrived, from 1 byte up to the buffer. Fires when those bytes are used as one message: `new String(buf, 0, n)` compared whole with `equals("QUIT")`, cut with `split()`/`substring()`, or parsed (`Integer.parseInt`). Quiet for `BufferedReader.readLine()` (a whole line), `DataInputStream.readFully`/`readInt` (whole units or an `EOFException`), and for bytes copied through as a stream. No quick fix: the framing is the protocol\'s.',
    node: "A `'data'` listener on a `net.Socket` (a function expression, or a function or method of the file: `sock.on('data', this.onData.bind(this))`) receives each chunk Node read from the socket, cut wherever TCP cut the stream (so do `for await (const chunk of socket)` and `await once(socket, 'data')`). Fires when a chunk is used as one message: parsed whole (`JSON.parse(chunk)`, `parseInt`, `Number`, `chunk.readUInt32BE(0)` as a header), compared whole with a literal (`chunk.toString().trim() === 'QUIT'`), or cut into a command with `split()`, also inside a function or method of the file the chunk is handed to (`this.parseData(chunk)`). Quiet when the chunks are appended to a buffer (`buf += chunk`, `Buffer.concat`) and messages are taken out of it after a delimiter or length arrives, and for `readline` over the socket (whole lines). No quick fix: the framing is the protocol's.",
    python: "`data = sock.recv(1024)` returns up to 1024 bytes of the stream, not one message. Fires when those bytes are parsed whole (`json.loads`, `pickle.loads`, `struct.unpack`, `int()`), compared whole with a literal (`data == b'QUIT'`, `data.decode().strip() == 'quit'`), or cut into a command with `split()`, also inside a function of the file they are handed to (`handle(conn, data)`); also for `asyncio.Protocol.data_received(data)` (one chunk) and `await reader.read(n)`. Quiet when the bytes are appended to a buffer (`buf += sock.recv(n)`) and parsed after a delimiter or length arrives, for `reader.readline()`, `readexactly()` and `readuntil()`, and for `reader.read()` to the end of the stream. No quick fix: the framing is the protocol's.",
  },
  check({ model, text }) {
    const out: ReturnType<Rule['check']> = [];
    for (const op of model.ops) {
      if (op.kind !== 'recv' || !op.consumedAsMessage || op.inBrokenCode || probablyDatagram(model, op)) continue;
      // A 1-byte read (an EOF probe, a wake-up byte) cannot be split.
      if (op.length?.max !== undefined && op.length.max <= 1) continue;
      if (isNodeRuntime(model)) {
        out.push({
          message: `A \`'data'\` event delivers whatever bytes have arrived, not whole messages, yet the code ${shortHow(op.consumedAsMessage.how).replace('the buffer', 'the chunk')}.`,
          detail: `Node emits 'data' with each chunk it read from the socket, cut wherever TCP cut the stream, but this code ${op.consumedAsMessage.how}. A message can arrive split over two events (segmentation, a retransmission, a full window), and back-to-back messages arrive in one. Append the chunks to a buffer and take messages out of it only once a delimiter or the length from a header has arrived (for lines, readline.createInterface({ input: socket }) does that).`,
          range: op.nameRange,
          related: [{ range: op.consumedAsMessage.range, message: 'the chunk is used as one whole message here' }],
          fixes: [],
        });
        continue;
      }
      out.push({
        message: `${op.callee}() returns 1–${upTo(op)}, not whole messages, yet the code ${shortHow(op.consumedAsMessage.how)}.`,
        detail: `${op.callee}() returns anywhere from 1 to ${upTo(op)} of what has arrived, but this code ${op.consumedAsMessage.how}. A 100-byte message can arrive as 60 + 40 bytes (segmentation, a retransmission, a full window), and back-to-back messages arrive together. ${model.language === 'go' ? 'Read whole units: io.ReadFull for a known length (a length prefix, then the body), a bufio.Reader (ReadString) or bufio.Scanner for lines, json.NewDecoder(conn) for a stream of JSON values.' : 'Loop until the length you expect has arrived (length-prefixed framing, or a delimiter), or use MSG_WAITALL on a blocking socket.'}`,
        range: op.nameRange,
        related: [{ range: op.consumedAsMessage.range, message: 'the bytes are used as one whole message here' }],
        fixes: fixList(readWholeMessageFix(model, text, op)),
      });
    }
    return out;
  },
};

/** The first clause of `how`, kept short for the one-line message. */
function shortHow(how: string): string {
  // "hands the buffer to parse(), which parses ..." -> "hands the buffer to parse() as one message".
  const which = how.indexOf('(), which ');
  if (which > 0) return `${how.slice(0, which)}() as one message`;
  const cut = how.indexOf(' as if');
  const s = cut > 0 ? how.slice(0, cut) : how;
  if (s.length <= 64) return s;
  const space = s.lastIndexOf(' ', 63);
  return `${s.slice(0, space > 40 ? space : 63)}…`;
}
