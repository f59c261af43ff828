// Chat client network layer: reads packets from the chat server and hands
// them to the UI.
//
// Every packet starts with a 4-byte header { uint16 size; uint16 type }.
// OnReadable() assumes one recv() returns exactly one packet. On a LAN, with
// small packets sent far apart, it usually does, which is why this passes
// testing. Under load (or on a slow link) TCP delivers whatever has arrived:
// two chat messages glued together (the second is silently dropped), or half
// of a long message (the UI gets garbage, and the next recv() starts in the
// middle of a packet, so every packet after it is misparsed).
//
// Build: cl /EHsc /W4 recv-message-boundary.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdint>
#include <cstdio>
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
        if (n < static_cast<int>(sizeof(PacketHeader)))
            return true;
        const PacketHeader* hdr = reinterpret_cast<const PacketHeader*>(buf);
        Dispatch(hdr->type, buf + sizeof(PacketHeader), hdr->size - sizeof(PacketHeader));
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

    SOCKET m_sock;
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
    // A real client calls OnReadable() from its window procedure; a loop stands in for it here.
    while (conn.OnReadable()) {
    }
    WSACleanup();
    return 0;
}
