"""The JSON-over-TCP client with its fixes: one write per request, every byte
sent, and the reply read up to its length."""
import json
import socket


def recv_exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed early")
        data += chunk
    return data


def call(host, method, params):
    s = socket.create_connection((host, 7000))
    s.settimeout(10)
    body = json.dumps({"method": method, "params": params}).encode()
    s.sendall(b"RPC/1 %d\r\n" % len(body) + body)
    size = int.from_bytes(recv_exactly(s, 4), "big")
    reply = json.loads(recv_exactly(s, size))
    s.close()
    return reply
