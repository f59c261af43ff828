// Log shipper: uploads rotated log files to the archive server.
//
// The author read that SO_SNDBUF = 0 gives "zero-copy" sends and set it on an
// ordinary blocking socket. Without a send buffer a blocking send() returns
// only when the data has been sent and acknowledged, so the stack never has
// the next chunk in hand while the previous one is in flight: one 4 KB chunk
// per round trip at best, and whenever a chunk ends in an odd, small segment
// the receiver's delayed ACK (200 ms) and Nagle stall the stream outright.
// Zero-copy only pays off with overlapped I/O, where several sends are posted
// at once and the stack always has the next buffer.
//
// Build: cl /EHsc /W4 sndbuf-zero-without-overlapped.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdio>

#pragma comment(lib, "ws2_32.lib")

class LogShipper {
public:
    bool Connect(const char* host, const char* port)
    {
        addrinfo hints = {}, *res = nullptr;
        hints.ai_family = AF_INET;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_protocol = IPPROTO_TCP;
        if (getaddrinfo(host, port, &hints, &res) != 0)
            return false;
        m_sock = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
        if (m_sock == INVALID_SOCKET) {
            freeaddrinfo(res);
            return false;
        }
        int zero = 0;
        setsockopt(m_sock, SOL_SOCKET, SO_SNDBUF, reinterpret_cast<const char*>(&zero), sizeof(zero));
        bool ok = connect(m_sock, res->ai_addr, static_cast<int>(res->ai_addrlen)) != SOCKET_ERROR;
        freeaddrinfo(res);
        return ok;
    }

    bool ShipFile(const char* path)
    {
        FILE* f = nullptr;
        if (fopen_s(&f, path, "rb") != 0 || f == nullptr)
            return false;

        char chunk[4096];
        size_t n;
        bool ok = true;
        while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
            size_t off = 0;
            while (off < n) {
                int sent = send(m_sock, chunk + off, static_cast<int>(n - off), 0);
                if (sent == SOCKET_ERROR) {
                    std::fprintf(stderr, "send failed: %d\n", WSAGetLastError());
                    ok = false;
                    break;
                }
                off += static_cast<size_t>(sent);
            }
        }
        fclose(f);
        return ok;
    }

    ~LogShipper()
    {
        if (m_sock != INVALID_SOCKET)
            closesocket(m_sock);
    }

private:
    SOCKET m_sock = INVALID_SOCKET;
};

int main(int argc, char** argv)
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    LogShipper shipper;
    if (!shipper.Connect("archive.internal", "6514"))
        return 1;
    for (int i = 1; i < argc; ++i) {
        if (!shipper.ShipFile(argv[i]))
            std::fprintf(stderr, "failed to ship %s\n", argv[i]);
    }
    WSACleanup();
    return 0;
}
