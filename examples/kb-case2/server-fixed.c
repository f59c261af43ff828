/*
 * Quote server, corrected (KB case study 2): one connection per client, the
 * quote is written back on the connection the product number arrived on.
 *
 * Build: cl /W4 server-fixed.c ws2_32.lib
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>

#pragma comment(lib, "ws2_32.lib")

#pragma pack(push, 1)
typedef struct {
    u_long product, price_cents, volume, timestamp;   /* network order */
} QUOTE;
#pragma pack(pop)

static int read_product(SOCKET s, u_long *product)
{
    char *p = (char *)product;
    int got = 0;
    while (got < (int)sizeof(*product)) {
        int n = recv(s, p + got, (int)sizeof(*product) - got, 0);
        if (n <= 0)
            return -1;
        got += n;
    }
    *product = ntohl(*product);
    return 0;
}

static void lookup_quote(u_long product, QUOTE *q)
{
    q->product = htonl(product);
    q->price_cents = htonl(1000 + product % 97);
    q->volume = htonl(product * 3);
    q->timestamp = htonl(GetTickCount());
}

int main(void)
{
    WSADATA wsa;
    SOCKET listener, conn;
    struct sockaddr_in addr;
    u_long product;
    QUOTE q;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(6000);
    if (listener == INVALID_SOCKET ||
        bind(listener, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR ||
        listen(listener, SOMAXCONN) == SOCKET_ERROR) {
        WSACleanup();
        return 1;
    }

    conn = accept(listener, NULL, NULL);
    if (conn == INVALID_SOCKET) {
        closesocket(listener);
        WSACleanup();
        return 1;
    }

    while (read_product(conn, &product) == 0) {
        lookup_quote(product, &q);
        if (send(conn, (const char *)&q, sizeof(q), 0) != sizeof(q)) {
            fprintf(stderr, "send failed: %d\n", WSAGetLastError());
            break;
        }
    }

    closesocket(conn);
    closesocket(listener);
    WSACleanup();
    return 0;
}
