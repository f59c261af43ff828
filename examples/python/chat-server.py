"""A line-based chat server written the way many tutorials write it.

Two problems: each recv() is taken as one whole command, and a non-blocking
socket's "no data yet" (BlockingIOError, an OSError) drops the client.
"""
import selectors
import socket

sel = selectors.DefaultSelector()
clients = {}


def on_readable(conn, mask):
    try:
        data = conn.recv(1024)
    except OSError:
        sel.unregister(conn)
        conn.close()
        return
    if not data:
        sel.unregister(conn)
        conn.close()
        return
    command = data.decode().strip()
    if command == "/quit":
        sel.unregister(conn)
        conn.close()
        return
    for other in list(clients):
        other.sendall(data)


def on_connect(listener, mask):
    conn, addr = listener.accept()
    conn.setblocking(False)
    clients[conn] = addr
    sel.register(conn, selectors.EVENT_READ, on_readable)


listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 9009))
listener.listen()
listener.setblocking(False)
sel.register(listener, selectors.EVENT_READ, on_connect)
while True:
    for key, mask in sel.select():
        key.data(key.fileobj, mask)
