// Bulk sender on an I/O completion port with SO_SNDBUF = 0.
//
// Looks like sndbuf-zero-without-overlapped, but this is the one setting in
// which the KB recommends SO_SNDBUF = 0: the socket is created with
// WSA_FLAG_OVERLAPPED, associated with a completion port, and several WSASend
// calls with OVERLAPPED structures are kept outstanding, so the stack always
// holds the next user buffer while the previous one is on the wire, and the
// data is sent straight from those buffers without a copy. Nothing to report.
//
// Build: cl /EHsc /W4 iocp-sndbuf-zero.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdio>
#include <vector>

#pragma comment(lib, "ws2_32.lib")

static const int    kOutstanding = 4;            // double buffering and then some
static const size_t kBufferSize  = 256 * 1024;

struct SendContext {
    WSAOVERLAPPED ov;
    WSABUF        wsabuf;
    std::vector<char> data;
};

int main()
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    SOCKET sock = WSASocket(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_OVERLAPPED);
    if (sock == INVALID_SOCKET)
        return 1;

    int zero = 0;   // zero-copy: send directly from our buffers
    setsockopt(sock, SOL_SOCKET, SO_SNDBUF, reinterpret_cast<const char*>(&zero), sizeof(zero));

    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(9500);
    inet_pton(AF_INET, "10.0.0.7", &addr.sin_addr);
    if (WSAConnect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr), nullptr, nullptr, nullptr, nullptr) == SOCKET_ERROR) {
        closesocket(sock);
        return 1;
    }

    HANDLE port = CreateIoCompletionPort(reinterpret_cast<HANDLE>(sock), nullptr, 0, 1);
    if (port == nullptr)
        return 1;

    SendContext ctx[kOutstanding];
    size_t remaining = 1024ull * 1024 * 1024;       // 1 GB test payload
    int inFlight = 0;

    auto post = [&](SendContext& c) -> bool {
        size_t len = remaining < kBufferSize ? remaining : kBufferSize;
        if (len == 0)
            return false;
        c.data.assign(len, 'B');
        ZeroMemory(&c.ov, sizeof(c.ov));
        c.wsabuf.buf = c.data.data();
        c.wsabuf.len = static_cast<ULONG>(len);
        remaining -= len;
        DWORD sent = 0;
        if (WSASend(sock, &c.wsabuf, 1, &sent, 0, &c.ov, nullptr) == SOCKET_ERROR &&
            WSAGetLastError() != WSA_IO_PENDING) {
            std::fprintf(stderr, "WSASend failed: %d\n", WSAGetLastError());
            return false;
        }
        ++inFlight;
        return true;
    };

    for (SendContext& c : ctx)
        post(c);

    while (inFlight > 0) {
        DWORD bytes = 0;
        ULONG_PTR key = 0;
        OVERLAPPED* ov = nullptr;
        BOOL ok = GetQueuedCompletionStatus(port, &bytes, &key, &ov, INFINITE);
        if (ov == nullptr)
            break;
        --inFlight;
        if (!ok) {
            std::fprintf(stderr, "send completed with error %lu\n", GetLastError());
            break;
        }
        // Overlapped sends on a stream socket complete with all bytes (or an error).
        SendContext* c = CONTAINING_RECORD(ov, SendContext, ov);
        post(*c);                                     // keep the pipeline full
    }

    shutdown(sock, SD_SEND);
    closesocket(sock);
    CloseHandle(port);
    WSACleanup();
    return 0;
}
