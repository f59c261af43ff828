// Lobby server: non-blocking sockets polled once per server tick.
//
// Every accepted socket is switched to non-blocking mode with
// ioctlsocket(FIONBIO). From then on send() and recv() fail with
// WSAEWOULDBLOCK whenever the operation would have to wait. The receive path
// knows this (an idle player is the normal case), but the send path treats
// every SOCKET_ERROR as a dead client: when a player's receive window closes
// for a moment (a stalled client, a lossy Wi-Fi link) and the socket's send
// buffer fills, send() says "would block" and the server kicks the player.
//
// Build: cl /EHsc /W4 unhandled-wouldblock.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdio>
#include <vector>
#include <string>

#pragma comment(lib, "ws2_32.lib")

struct Session {
    SOCKET sock;
    int    playerId;
    char   recvBuf[4096];
    int    recvLen;
};

class LobbyServer {
public:
    bool Start(u_short port);
    void Tick();
    void Broadcast(const char* data, int len);

private:
    void AcceptNewPlayers();
    void ReceiveFrom(Session& s);
    void SendTo(Session& s, const char* data, int len);
    void Disconnect(Session& s);

    SOCKET               m_listenSock = INVALID_SOCKET;
    std::vector<Session> m_sessions;
    int                  m_nextId = 1;
};

bool LobbyServer::Start(u_short port)
{
    m_listenSock = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (m_listenSock == INVALID_SOCKET)
        return false;

    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(port);
    if (bind(m_listenSock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == SOCKET_ERROR)
        return false;
    if (listen(m_listenSock, SOMAXCONN) == SOCKET_ERROR)
        return false;

    u_long nonBlocking = 1;
    ioctlsocket(m_listenSock, FIONBIO, &nonBlocking);
    return true;
}

void LobbyServer::AcceptNewPlayers()
{
    for (;;) {
        Session s = {};
        s.sock = accept(m_listenSock, nullptr, nullptr);
        if (s.sock == INVALID_SOCKET)
            return;                                   // nobody waiting (WSAEWOULDBLOCK)
        u_long nonBlocking = 1;
        ioctlsocket(s.sock, FIONBIO, &nonBlocking);   // every client socket is non-blocking
        s.playerId = m_nextId++;
        m_sessions.push_back(s);
    }
}

void LobbyServer::ReceiveFrom(Session& s)
{
    int n = recv(s.sock, s.recvBuf + s.recvLen, sizeof(s.recvBuf) - s.recvLen, 0);
    if (n == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK)
        return;                                       // nothing arrived this tick
    if (n == SOCKET_ERROR || n == 0) {
        printf("player %d disconnected (%d)\n", s.playerId, WSAGetLastError());
        Disconnect(s);
        return;
    }
    s.recvLen += n;
    // ... parse complete packets out of recvBuf ...
}

void LobbyServer::SendTo(Session& s, const char* data, int len)
{
    int sent = send(s.sock, data, len, 0);
    if (sent == SOCKET_ERROR || sent < len) {
        printf("send to player %d failed (%d)\n", s.playerId, WSAGetLastError());
        Disconnect(s);
    }
}

void LobbyServer::Disconnect(Session& s)
{
    if (s.sock != INVALID_SOCKET) {
        closesocket(s.sock);
        s.sock = INVALID_SOCKET;
    }
}

void LobbyServer::Broadcast(const char* data, int len)
{
    for (Session& s : m_sessions) {
        if (s.sock != INVALID_SOCKET)
            SendTo(s, data, len);
    }
}

void LobbyServer::Tick()
{
    AcceptNewPlayers();
    for (Session& s : m_sessions) {
        if (s.sock != INVALID_SOCKET)
            ReceiveFrom(s);
    }
    // erase closed sessions
    for (size_t i = 0; i < m_sessions.size();) {
        if (m_sessions[i].sock == INVALID_SOCKET)
            m_sessions.erase(m_sessions.begin() + i);
        else
            ++i;
    }
}

int main()
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    LobbyServer server;
    if (!server.Start(7777))
        return 1;
    for (;;) {
        server.Tick();
        server.Broadcast("TICK\n", 5);
        Sleep(50);
    }
}
