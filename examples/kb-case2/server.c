/*
 * Quote server (KB case study 2, as written).
 *
 * Accepts the command channel and the data channel of one client, then reads
 * product numbers from the command channel and writes each quote to the data
 * channel. This is the mirror image of client.c: requests are read on one
 * connection and their responses written on another.
 *
 * Build: cl /W4 server.c ws2_32.lib
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

static SOCKET listen_on(u_short port)
{
    struct sockaddr_in addr;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET)
        return INVALID_SOCKET;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(port);
    if (bind(s, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR ||
        listen(s, 4) == SOCKET_ERROR) {
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

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
    SOCKET cmd_listener, data_listener, cmd, data;
    u_long product;
    QUOTE q;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    cmd_listener = listen_on(6001);
    data_listener = listen_on(6002);
    if (cmd_listener == INVALID_SOCKET || data_listener == INVALID_SOCKET) {
        WSACleanup();
        return 1;
    }
    cmd = accept(cmd_listener, NULL, NULL);
    data = accept(data_listener, NULL, NULL);
    if (cmd == INVALID_SOCKET || data == INVALID_SOCKET) {
        WSACleanup();
        return 1;
    }

    while (read_product(cmd, &product) == 0) {
        lookup_quote(product, &q);
        if (send(data, (const char *)&q, sizeof(q), 0) != sizeof(q)) {
            fprintf(stderr, "send failed: %d\n", WSAGetLastError());
            break;
        }
    }

    closesocket(cmd);
    closesocket(data);
    closesocket(cmd_listener);
    closesocket(data_listener);
    WSACleanup();
    return 0;
}
