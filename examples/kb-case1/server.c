/*
 * Record import server (KB case study 1, as written).
 *
 * Accepts one uploader and stores every record it receives. The author assumed
 * that each recv() returns exactly one record, because the client sends one
 * record per send(). TCP keeps no such boundaries: a recv() can return half a
 * record, or three records glued together.
 *
 * Build: cl /W4 server.c ws2_32.lib
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <string.h>

#pragma comment(lib, "ws2_32.lib")

#define LISTEN_PORT 5150

static void store_record(const char *rec, int len)
{
    /* stand-in for the INSERT into the database */
    printf("record %.*s (%d bytes)\n", len > 5 ? 5 : len, rec, len);
}

int main(void)
{
    WSADATA wsa;
    SOCKET listener, client;
    struct sockaddr_in addr;
    char buf[200];
    int n, count = 0;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    listener = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (listener == INVALID_SOCKET) {
        fprintf(stderr, "socket failed: %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }

    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(LISTEN_PORT);
    if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) == SOCKET_ERROR ||
        listen(listener, SOMAXCONN) == SOCKET_ERROR) {
        fprintf(stderr, "bind/listen failed: %d\n", WSAGetLastError());
        closesocket(listener);
        WSACleanup();
        return 1;
    }

    client = accept(listener, NULL, NULL);
    closesocket(listener);
    if (client == INVALID_SOCKET) {
        WSACleanup();
        return 1;
    }

    /* One recv() per record: the 200-byte buffer is larger than any record. */
    for (;;) {
        n = recv(client, buf, sizeof(buf), 0);
        if (n == 0)
            break;
        if (n == SOCKET_ERROR) {
            fprintf(stderr, "recv failed: %d\n", WSAGetLastError());
            break;
        }
        store_record(buf, n);
        count++;
    }

    printf("%d records stored\n", count);
    closesocket(client);
    WSACleanup();
    return 0;
}
