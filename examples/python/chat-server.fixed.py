"""The chat server with its fixes: lines are reassembled from the byte stream,
and BlockingIOError means "wait for the selector", not "drop the client"."""
import selectors
import socket

sel = selectors.DefaultSelector()
pending = {}


def on_readable(conn, mask):
    try:
        chunk = conn.recv(1024)
    except BlockingIOError:
        return
    except OSError:
        sel.unregister(conn)
        conn.close()
        return
    if not chunk:
        sel.unregister(conn)
        conn.close()
        return
    buf = pending.get(conn, b"") + chunk
    *lines, rest = buf.split(b"\n")
    pending[conn] = rest
    for line in lines:
        if line.strip() == b"/quit":
            sel.unregister(conn)
            conn.close()
            return
        for other in list(pending):
            other.sendall(line + b"\n")


def on_connect(listener, mask):
    conn, addr = listener.accept()
    conn.setblocking(False)
    pending[conn] = b""
    sel.register(conn, selectors.EVENT_READ, on_readable)


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 9009))
listener.listen()
listener.setblocking(False)
sel.register(listener, selectors.EVENT_READ, on_connect)
while True:
    for key, mask in sel.select():
        key.data(key.fileobj, mask)
