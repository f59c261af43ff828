// Telemetry ingest server: thousands of devices keep a TCP connection open and
// upload readings.
//
// To "avoid dropped data" every accepted socket gets a 2 MB SO_RCVBUF. Receive
// buffers live in non-paged kernel memory: if readers fall behind (a slow disk,
// a burst of devices reconnecting), each connection may pin up to its full
// buffer -- 2 MB x 500 connections is 1 GB of non-paged pool, enough to make
// the whole machine fail allocations. Set after accept(), the larger buffer
// cannot even be advertised beyond the window scale agreed in the handshake.
//
// Build: cl /EHsc /W4 large-rcvbuf-per-connection.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <process.h>
#include <cstdio>

#pragma comment(lib, "ws2_32.lib")

static const int kDeviceRecvBuf = 2 * 1024 * 1024;

struct DeviceConnection {
    SOCKET sock;
    sockaddr_in peer;
};

static unsigned __stdcall DeviceThread(void* arg)
{
    DeviceConnection* conn = static_cast<DeviceConnection*>(arg);
    char chunk[16 * 1024];
    long long total = 0;
    int n;

    // readings are newline-separated text; the parser keeps partial lines itself
    while ((n = recv(conn->sock, chunk, sizeof(chunk), 0)) > 0)
        total += n;                                   // ... feed chunk to the line parser ...

    std::printf("device disconnected after %lld bytes\n", total);
    closesocket(conn->sock);
    delete conn;
    return 0;
}

class IngestServer {
public:
    bool Listen(u_short port)
    {
        m_listenSock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (m_listenSock == INVALID_SOCKET)
            return false;
        sockaddr_in addr = {};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_ANY);
        addr.sin_port = htons(port);
        return bind(m_listenSock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != SOCKET_ERROR &&
               listen(m_listenSock, SOMAXCONN) != SOCKET_ERROR;
    }

    void Run()
    {
        for (;;) {
            DeviceConnection* conn = new DeviceConnection;
            int len = sizeof(conn->peer);
            conn->sock = accept(m_listenSock, reinterpret_cast<sockaddr*>(&conn->peer), &len);
            if (conn->sock == INVALID_SOCKET) {
                delete conn;
                continue;
            }
            setsockopt(conn->sock, SOL_SOCKET, SO_RCVBUF, reinterpret_cast<const char*>(&kDeviceRecvBuf), sizeof(kDeviceRecvBuf));
            _beginthreadex(nullptr, 0, DeviceThread, conn, 0, nullptr);
        }
    }

private:
    SOCKET m_listenSock = INVALID_SOCKET;
};

int main()
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;
    IngestServer server;
    if (!server.Listen(5555)) {
        std::fprintf(stderr, "listen failed: %d\n", WSAGetLastError());
        return 1;
    }
    server.Run();
}
