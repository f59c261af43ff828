// Non-blocking echo server driven by select().
//
// Looks like unhandled-wouldblock and wouldblock-busy-retry (non-blocking
// sockets, send/recv errors that close the client, sends retried later), but
// WSAEWOULDBLOCK is told apart on every path: recv()'s "would block" just ends
// the read, send()'s keeps the unsent bytes in the client's queue and asks
// select() to report writability. Only real errors close the socket.
// Nothing to report.
//
// Build: cl /EHsc /W4 select-nonblocking-server.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdio>
#include <map>
#include <string>

#pragma comment(lib, "ws2_32.lib")

struct Client {
    std::string outq;
};

static bool IsWouldBlock() { return WSAGetLastError() == WSAEWOULDBLOCK; }

static bool SetNonBlocking(SOCKET s)
{
    u_long on = 1;
    return ioctlsocket(s, FIONBIO, &on) == 0;
}

// Returns false when the client must be closed.
static bool FlushClient(SOCKET s, Client& c)
{
    while (!c.outq.empty()) {
        int n = send(s, c.outq.data(), static_cast<int>(c.outq.size()), 0);
        if (n == SOCKET_ERROR)
            return IsWouldBlock();              // would block: wait for FD_WRITE from select()
        c.outq.erase(0, static_cast<size_t>(n));
    }
    return true;
}

// Returns false when the client must be closed.
static bool ReadClient(SOCKET s, Client& c)
{
    char buf[4096];
    for (;;) {
        int n = recv(s, buf, sizeof(buf), 0);
        if (n == 0)
            return false;                       // orderly close
        if (n == SOCKET_ERROR)
            return IsWouldBlock();              // drained for now, or a real error
        c.outq.append(buf, static_cast<size_t>(n));   // echo: bytes are bytes, no framing
    }
}

int main()
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    SOCKET listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(7007);
    if (listener == INVALID_SOCKET ||
        bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == SOCKET_ERROR ||
        listen(listener, SOMAXCONN) == SOCKET_ERROR || !SetNonBlocking(listener)) {
        std::fprintf(stderr, "listen failed: %d\n", WSAGetLastError());
        return 1;
    }

    std::map<SOCKET, Client> clients;
    for (;;) {
        fd_set rd, wr;
        FD_ZERO(&rd);
        FD_ZERO(&wr);
        FD_SET(listener, &rd);
        for (auto& kv : clients) {
            FD_SET(kv.first, &rd);
            if (!kv.second.outq.empty())
                FD_SET(kv.first, &wr);
        }
        if (select(0, &rd, &wr, nullptr, nullptr) == SOCKET_ERROR)
            break;

        if (FD_ISSET(listener, &rd)) {
            SOCKET s = accept(listener, nullptr, nullptr);
            if (s != INVALID_SOCKET && SetNonBlocking(s))
                clients[s] = Client();
        }
        for (auto it = clients.begin(); it != clients.end();) {
            SOCKET s = it->first;
            bool keep = true;
            if (FD_ISSET(s, &rd))
                keep = ReadClient(s, it->second);
            if (keep && (FD_ISSET(s, &wr) || !it->second.outq.empty()))
                keep = FlushClient(s, it->second);
            if (!keep) {
                closesocket(s);
                it = clients.erase(it);
            } else {
                ++it;
            }
        }
    }
    closesocket(listener);
    WSACleanup();
    return 0;
}
