/*
 * Quote client (KB case study 2, as written).
 *
 * Opens two connections to the quote server: a command channel that carries
 * product numbers to the server, and a data channel that carries quotes back.
 * One request is outstanding at a time: send a product number, wait for its
 * quote on the data channel, then send the next one.
 *
 * Neither connection ever carries data in both directions, so no ACK can ride
 * on a reply: the server's delayed-ACK timer (200 ms) releases each request's
 * ACK, and Nagle holds the next request until that ACK arrives. Measured: about
 * 5 quotes per second.
 *
 * Build: cl /W4 client.c ws2_32.lib
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>

#pragma comment(lib, "ws2_32.lib")

#define COMMAND_PORT "6001"
#define DATA_PORT    "6002"

#pragma pack(push, 1)
typedef struct {
    u_long product;      /* network order */
    u_long price_cents;  /* network order */
    u_long volume;       /* network order */
    u_long timestamp;    /* network order */
} QUOTE;
#pragma pack(pop)

static SOCKET open_channel(const char *host, const char *port)
{
    struct addrinfo hints, *res = NULL;
    SOCKET s;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (getaddrinfo(host, port, &hints, &res) != 0)
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
    SOCKET cmd, data;
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    u_long product, wire;
    QUOTE q;
    int got, n;
    DWORD start;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    cmd = open_channel(host, COMMAND_PORT);
    data = open_channel(host, DATA_PORT);
    if (cmd == INVALID_SOCKET || data == INVALID_SOCKET) {
        fprintf(stderr, "cannot open channels: %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }

    start = GetTickCount();
    for (product = 1000; product < 1100; product++) {
        wire = htonl(product);
        if (send(cmd, (const char *)&wire, sizeof(wire), 0) != sizeof(wire)) {
            fprintf(stderr, "send failed: %d\n", WSAGetLastError());
            break;
        }
        /* the quote comes back on the other connection */
        for (got = 0; got < (int)sizeof(q); got += n) {
            n = recv(data, (char *)&q + got, (int)sizeof(q) - got, 0);
            if (n <= 0)
                break;
        }
        if (got < (int)sizeof(q)) {
            fprintf(stderr, "data channel closed\n");
            break;
        }
        printf("product %lu: %lu.%02lu\n", (unsigned long)product,
               (unsigned long)ntohl(q.price_cents) / 100, (unsigned long)ntohl(q.price_cents) % 100);
    }
    printf("100 quotes in %lu ms\n", (unsigned long)(GetTickCount() - start));

    closesocket(cmd);
    closesocket(data);
    WSACleanup();
    return 0;
}
