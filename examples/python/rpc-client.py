"""A JSON-over-TCP client: a header and a body in two writes, then a read
(write-write-read: Nagle holds the body until the header's delayed ACK), a
send() whose count is ignored on a socket with a timeout, and one recv() parsed
as the whole reply."""
import json
import socket


def call(host, method, params):
    s = socket.create_connection((host, 7000))
    s.settimeout(10)
    body = json.dumps({"method": method, "params": params}).encode()
    s.sendall(b"RPC/1 %d\r\n" % len(body))
    s.send(body)
    reply = json.loads(s.recv(65536))
    s.close()
    return reply
