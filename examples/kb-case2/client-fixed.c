/*
 * Quote client, corrected (KB case study 2, "improvement").
 *
 * One connection carries both the product numbers and the quotes. The server's
 * ACK for each request rides on the quote it sends back, and the client's ACK
 * for the quote rides on the next request, so no delayed-ACK timer is ever on
 * the critical path. (Going further, a client can pipeline several product
 * numbers in one send and read the quotes back in order.)
 *
 * Build: cl /W4 client-fixed.c ws2_32.lib
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>

#pragma comment(lib, "ws2_32.lib")

#define QUOTE_PORT "6000"

#pragma pack(push, 1)
typedef struct {
    u_long product, price_cents, volume, timestamp;   /* network order */
} QUOTE;
#pragma pack(pop)

static SOCKET open_connection(const char *host)
{
    struct addrinfo hints, *res = NULL;
    SOCKET s;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (getaddrinfo(host, QUOTE_PORT, &hints, &res) != 0)
        return INVALID_SOCKET;
    s = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (s != INVALID_SOCKET && connect(s, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR) {
        closesocket(s);
        s = INVALID_SOCKET;
    }
    freeaddrinfo(res);
    return s;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    SOCKET conn;
    u_long product, wire;
    QUOTE q;
    int got, n;
    DWORD start;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    conn = open_connection(argc > 1 ? argv[1] : "127.0.0.1");
    if (conn == INVALID_SOCKET) {
        fprintf(stderr, "connect failed: %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }

    start = GetTickCount();
    for (product = 1000; product < 1100; product++) {
        wire = htonl(product);
        if (send(conn, (const char *)&wire, sizeof(wire), 0) != sizeof(wire)) {
            fprintf(stderr, "send failed: %d\n", WSAGetLastError());
            break;
        }
        /* the quote comes back on the same connection, carrying the ACK */
        for (got = 0; got < (int)sizeof(q); got += n) {
            n = recv(conn, (char *)&q + got, (int)sizeof(q) - got, 0);
            if (n <= 0)
                break;
        }
        if (got < (int)sizeof(q)) {
            fprintf(stderr, "connection closed\n");
            break;
        }
        printf("product %lu: %lu.%02lu\n", (unsigned long)product,
               (unsigned long)ntohl(q.price_cents) / 100, (unsigned long)ntohl(q.price_cents) % 100);
    }
    printf("100 quotes in %lu ms\n", (unsigned long)(GetTickCount() - start));

    closesocket(conn);
    WSACleanup();
    return 0;
}
