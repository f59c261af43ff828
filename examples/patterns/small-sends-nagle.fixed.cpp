// Price feed publisher, corrected: the ticks of one Publish() call are copied
// into one buffer and written with a single send(), so 16 ticks travel as one
// 384-byte segment instead of 16 under-filled ones. TCP_NODELAY is set because
// ticks are latency-sensitive: the batch that is written leaves at once
// instead of waiting for the ACK of the previous one.
//
// Build: cl /EHsc /W4 small-sends-nagle.fixed.cpp ws2_32.lib
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <cstdint>
#include <cstdio>
#include <cstring>
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
        if (m_sock == INVALID_SOCKET) {
            freeaddrinfo(res);
            return false;
        }
        BOOL noDelay = TRUE;
        setsockopt(m_sock, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char*>(&noDelay), sizeof(noDelay));
        bool ok = connect(m_sock, res->ai_addr, static_cast<int>(res->ai_addrlen)) != SOCKET_ERROR;
        freeaddrinfo(res);
        return ok;
    }

    // Called by the market-data thread with whatever ticks arrived since the last call.
    bool Publish(const std::vector<PriceTick>& ticks)
    {
        m_out.resize(ticks.size() * sizeof(PriceTick));
        std::memcpy(m_out.data(), ticks.data(), m_out.size());

        size_t off = 0;
        while (off < m_out.size()) {
            int n = send(m_sock, m_out.data() + off, static_cast<int>(m_out.size() - off), 0);
            if (n == SOCKET_ERROR) {
                std::fprintf(stderr, "send failed: %d\n", WSAGetLastError());
                return false;
            }
            off += static_cast<size_t>(n);
        }
        m_published += ticks.size();
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
    SOCKET            m_sock = INVALID_SOCKET;
    std::vector<char> m_out;
    uint64_t          m_published = 0;
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
