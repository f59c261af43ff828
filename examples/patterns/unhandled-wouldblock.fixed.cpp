// Lobby server, corrected: WSAEWOULDBLOCK on send means "wait", not "dead".
//
// Bytes the socket cannot take right now are kept in a per-session outgoing
// buffer (the application-level buffer the lecture notes recommend). select()
// reports when the socket is writable again and the tick flushes what is
// pending. Only a client whose backlog exceeds kMaxPending (it has stopped
// reading for a long time: zero window) is disconnected.
//
// Build: cl /EHsc /W4 unhandled-wouldblock.fixed.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdio>
#include <vector>
#include <string>

#pragma comment(lib, "ws2_32.lib")

static const size_t kMaxPending = 256 * 1024;

struct Session {
    SOCKET      sock;
    int         playerId;
    char        recvBuf[4096];
    int         recvLen;
    std::string pending;        // bytes accepted from the game, not yet taken by the socket
};

class LobbyServer {
public:
    bool Start(u_short port);
    void Tick();
    void Broadcast(const char* data, int len);

private:
    void AcceptNewPlayers();
    void ReceiveFrom(Session& s);
    void Flush(Session& s);
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
        ioctlsocket(s.sock, FIONBIO, &nonBlocking);
        s.playerId = m_nextId++;
        m_sessions.push_back(s);
    }
}

void LobbyServer::ReceiveFrom(Session& s)
{
    int n = recv(s.sock, s.recvBuf + s.recvLen, sizeof(s.recvBuf) - s.recvLen, 0);
    if (n == SOCKET_ERROR && WSAGetLastError() == WSAEWOULDBLOCK)
        return;                                       // nothing arrived yet
    if (n == SOCKET_ERROR || n == 0) {
        Disconnect(s);
        return;
    }
    s.recvLen += n;
    // ... parse complete packets out of recvBuf ...
}

void LobbyServer::Flush(Session& s)
{
    while (!s.pending.empty()) {
        int sent = send(s.sock, s.pending.data(), static_cast<int>(s.pending.size()), 0);
        if (sent == SOCKET_ERROR) {
            if (WSAGetLastError() == WSAEWOULDBLOCK)
                return;                               // send buffer full: select() tells us when to resume
            printf("send to player %d failed (%d)\n", s.playerId, WSAGetLastError());
            Disconnect(s);
            return;
        }
        s.pending.erase(0, static_cast<size_t>(sent)); // a partial send leaves the rest queued
    }
}

void LobbyServer::Disconnect(Session& s)
{
    if (s.sock != INVALID_SOCKET) {
        closesocket(s.sock);
        s.sock = INVALID_SOCKET;
    }
    s.pending.clear();
}

void LobbyServer::Broadcast(const char* data, int len)
{
    for (Session& s : m_sessions) {
        if (s.sock == INVALID_SOCKET)
            continue;
        if (s.pending.size() + len > kMaxPending) {   // peer stopped reading: zero window for too long
            printf("player %d is not reading, disconnecting\n", s.playerId);
            Disconnect(s);
            continue;
        }
        s.pending.append(data, len);                  // Tick() flushes when the socket is writable
    }
}

void LobbyServer::Tick()
{
    fd_set readable, writable;
    FD_ZERO(&readable);
    FD_ZERO(&writable);
    FD_SET(m_listenSock, &readable);
    for (Session& s : m_sessions) {
        if (s.sock == INVALID_SOCKET)
            continue;
        FD_SET(s.sock, &readable);
        if (!s.pending.empty())
            FD_SET(s.sock, &writable);
    }

    timeval timeout = { 0, 50 * 1000 };
    if (select(0, &readable, &writable, nullptr, &timeout) == SOCKET_ERROR)
        return;

    if (FD_ISSET(m_listenSock, &readable))
        AcceptNewPlayers();
    for (Session& s : m_sessions) {
        if (s.sock != INVALID_SOCKET && FD_ISSET(s.sock, &readable))
            ReceiveFrom(s);
        if (s.sock != INVALID_SOCKET && FD_ISSET(s.sock, &writable))
            Flush(s);
    }
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
        server.Broadcast("TICK\n", 5);
        server.Tick();
    }
}
