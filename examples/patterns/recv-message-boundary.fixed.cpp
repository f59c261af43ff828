// Chat client network layer, corrected: bytes from recv() are appended to a
// per-connection buffer, and packets are cut out of that buffer by the size
// field of their header. A packet split across two reads waits for the rest;
// several packets in one read are all dispatched.
//
// Build: cl /EHsc /W4 recv-message-boundary.fixed.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#pragma comment(lib, "ws2_32.lib")

#pragma pack(push, 1)
struct PacketHeader {
    uint16_t size;   // whole packet, header included
    uint16_t type;
};
#pragma pack(pop)

enum PacketType : uint16_t { PKT_CHAT = 1, PKT_JOIN = 2, PKT_LEAVE = 3 };

class ChatConnection {
public:
    explicit ChatConnection(SOCKET sock) : m_sock(sock) {}
    ~ChatConnection() { if (m_sock != INVALID_SOCKET) closesocket(m_sock); }

    // Called from the WSAAsyncSelect window procedure on FD_READ.
    bool OnReadable()
    {
        char buf[2048];
        int n = recv(m_sock, buf, sizeof(buf), 0);
        if (n <= 0)
            return false;
        m_pending.append(buf, static_cast<size_t>(n));

        // Dispatch every complete packet; keep a trailing partial one for the next read.
        while (m_pending.size() >= sizeof(PacketHeader)) {
            PacketHeader hdr;
            std::memcpy(&hdr, m_pending.data(), sizeof(hdr));
            if (hdr.size < sizeof(PacketHeader))
                return false;                       // corrupt stream: drop the connection
            if (m_pending.size() < hdr.size)
                break;                              // rest of this packet not here yet
            Dispatch(hdr.type, m_pending.data() + sizeof(PacketHeader), hdr.size - sizeof(PacketHeader));
            m_pending.erase(0, hdr.size);
        }
        return true;
    }

private:
    void Dispatch(uint16_t type, const char* body, size_t len)
    {
        switch (type) {
        case PKT_CHAT:  std::printf("chat: %.*s\n", static_cast<int>(len), body); break;
        case PKT_JOIN:  std::printf("joined: %.*s\n", static_cast<int>(len), body); break;
        case PKT_LEAVE: std::printf("left: %.*s\n", static_cast<int>(len), body); break;
        default:        std::printf("unknown packet %u\n", type); break;
        }
    }

    SOCKET      m_sock;
    std::string m_pending;
};

int main()
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    sockaddr_in addr = {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(9000);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == SOCKET_ERROR) {
        closesocket(s);
        WSACleanup();
        return 1;
    }

    ChatConnection conn(s);
    while (conn.OnReadable()) {
    }
    WSACleanup();
    return 0;
}
