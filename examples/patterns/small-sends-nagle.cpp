// Price feed publisher: streams 24-byte price ticks to a downstream
// risk engine over one TCP connection. The stream is one-way: the risk engine
// never answers.
//
// Each tick is its own send(). With Nagle on, only the first small segment
// leaves at once; the following ticks pile up in the send buffer until that
// segment is ACKed. The risk engine has nothing to send back, so its ACK waits
// for the delayed-ACK timer (200 ms on Windows) unless two full segments arrive
// first. Ticks published at a steady low rate are therefore each delayed by up
// to 200 ms, and bursts go out as a trickle of under-filled segments.
//
// Build: cl /EHsc /W4 small-sends-nagle.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdint>
#include <cstdio>
#include <vector>

#pragma comment(lib, "ws2_32.lib")

#pragma pack(push, 1)
struct PriceTick {
    uint32_t instrumentId;
    uint32_t sequence;
    int64_t  priceNanos;
    int64_t  timestampUs;
};
#pragma pack(pop)
static_assert(sizeof(PriceTick) == 24, "wire format");

class TickPublisher {
public:
    ~TickPublisher() { Close(); }

    bool Connect(const char* host, const char* port)
    {
        addrinfo hints = {}, *res = nullptr;
        hints.ai_family = AF_INET;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_protocol = IPPROTO_TCP;
        if (getaddrinfo(host, port, &hints, &res) != 0)
            return false;
        m_sock = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
        bool ok = m_sock != INVALID_SOCKET &&
                  connect(m_sock, res->ai_addr, static_cast<int>(res->ai_addrlen)) != SOCKET_ERROR;
        freeaddrinfo(res);
        return ok;
    }

    // Called by the market-data thread with whatever ticks arrived since the last call.
    bool Publish(const std::vector<PriceTick>& ticks)
    {
        for (const PriceTick& t : ticks) {
            int n = send(m_sock, reinterpret_cast<const char*>(&t), sizeof(t), 0);
            if (n != static_cast<int>(sizeof(t))) {
                std::fprintf(stderr, "send failed: %d\n", WSAGetLastError());
                return false;
            }
            ++m_published;
        }
        return true;
    }

    void Close()
    {
        if (m_sock != INVALID_SOCKET) {
            closesocket(m_sock);
            m_sock = INVALID_SOCKET;
        }
    }

private:
    SOCKET   m_sock = INVALID_SOCKET;
    uint64_t m_published = 0;
};

int main()
{
    WSADATA wsa;
    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    TickPublisher pub;
    if (!pub.Connect("10.0.0.5", "9100"))
        return 1;

    std::vector<PriceTick> batch;
    for (uint32_t seq = 0; seq < 100000; ++seq) {
        batch.push_back(PriceTick{ seq % 50, seq, 100000000LL + seq, static_cast<int64_t>(GetTickCount64()) * 1000 });
        if (batch.size() == 16) {
            if (!pub.Publish(batch))
                break;
            batch.clear();
            Sleep(1);
        }
    }
    WSACleanup();
    return 0;
}
