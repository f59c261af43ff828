/*
 * Record import server, corrected (KB case study 1).
 *
 * Reads the stream by its framing: a 4-byte record count, then count fixed
 * 100-byte records. recv_exact() loops until it has the bytes it asked for,
 * however the stream happened to be cut into segments on the way.
 *
 * Build: cl /W4 server-fixed.c ws2_32.lib
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>

#pragma comment(lib, "ws2_32.lib")

#define LISTEN_PORT   5150
#define RECORD_SIZE   100
#define BATCH_RECORDS 80

/* Returns len, 0 on orderly close before any byte, SOCKET_ERROR otherwise. */
static int recv_exact(SOCKET s, char *buf, int len)
{
    int got = 0;
    while (got < len) {
        int n = recv(s, buf + got, len - got, 0);
        if (n == 0)
            return got == 0 ? 0 : SOCKET_ERROR;   /* peer closed mid-message */
        if (n == SOCKET_ERROR)
            return SOCKET_ERROR;
        got += n;
    }
    return got;
}

static void store_record(const char *rec)
{
    printf("record %.5s\n", rec);
}

int main(void)
{
    WSADATA wsa;
    SOCKET listener, client;
    struct sockaddr_in addr;
    static char records[BATCH_RECORDS * RECORD_SIZE];
    u_long count;
    int r, i, total = 0;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(LISTEN_PORT);
    if (listener == INVALID_SOCKET ||
        bind(listener, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR ||
        listen(listener, SOMAXCONN) == SOCKET_ERROR) {
        fprintf(stderr, "listen failed: %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }

    client = accept(listener, NULL, NULL);
    closesocket(listener);
    if (client == INVALID_SOCKET) {
        WSACleanup();
        return 1;
    }

    for (;;) {
        r = recv_exact(client, (char *)&count, sizeof(count));
        if (r <= 0)
            break;
        count = ntohl(count);
        if (count == 0 || count > BATCH_RECORDS) {
            fprintf(stderr, "bad batch header: %lu\n", (unsigned long)count);
            break;
        }
        if (recv_exact(client, records, (int)count * RECORD_SIZE) <= 0)
            break;
        for (i = 0; i < (int)count; i++)
            store_record(records + i * RECORD_SIZE);
        total += (int)count;
    }

    printf("%d records stored\n", total);
    closesocket(client);
    WSACleanup();
    return 0;
}
