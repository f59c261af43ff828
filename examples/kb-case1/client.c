/*
 * Record uploader (KB case study 1, as written).
 *
 * Sends 10,000 database records of 20-100 bytes to the import server, one
 * blocking send() per record. The author turned Winsock's send buffering off
 * (SO_SNDBUF = 0) so that "send returned" would mean "the record left the
 * machine". Measured result: about 5 records per second, over 30 minutes.
 *
 * Build: cl /W4 client.c ws2_32.lib
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <ws2tcpip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma comment(lib, "ws2_32.lib")

#define SERVER_PORT   "5150"
#define RECORD_COUNT  10000
#define RECORD_MIN    20
#define RECORD_MAX    100

/* Fills buf with one variable-length record and returns its length. */
static int make_record(char *buf, int seq)
{
    int len = RECORD_MIN + rand() % (RECORD_MAX - RECORD_MIN + 1);
    int head = _snprintf(buf, len, "%05d|", seq);
    memset(buf + head, 'x', len - head);
    return len;
}

static SOCKET connect_to(const char *host)
{
    struct addrinfo hints, *res = NULL;
    SOCKET s;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (getaddrinfo(host, SERVER_PORT, &hints, &res) != 0)
        return INVALID_SOCKET;

    s = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (s == INVALID_SOCKET) {
        freeaddrinfo(res);
        return INVALID_SOCKET;
    }
    if (connect(s, res->ai_addr, (int)res->ai_addrlen) == SOCKET_ERROR) {
        closesocket(s);
        s = INVALID_SOCKET;
    }
    freeaddrinfo(res);
    return s;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    SOCKET s;
    char record[RECORD_MAX];
    int zero = 0;
    int i, len, sent;
    DWORD start;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0) {
        fprintf(stderr, "WSAStartup failed\n");
        return 1;
    }

    s = connect_to(argc > 1 ? argv[1] : "127.0.0.1");
    if (s == INVALID_SOCKET) {
        fprintf(stderr, "connect failed: %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }

    /* No Winsock buffering: we want send() to return only once the record is out. */
    if (setsockopt(s, SOL_SOCKET, SO_SNDBUF, (const char *)&zero, sizeof(zero)) == SOCKET_ERROR) {
        fprintf(stderr, "setsockopt(SO_SNDBUF) failed: %d\n", WSAGetLastError());
    }

    start = GetTickCount();
    for (i = 0; i < RECORD_COUNT; i++) {
        len = make_record(record, i);
        sent = send(s, record, len, 0);
        if (sent == SOCKET_ERROR || sent != len) {
            fprintf(stderr, "send failed at record %d: %d\n", i, WSAGetLastError());
            break;
        }
    }
    printf("%d records in %lu ms\n", i, (unsigned long)(GetTickCount() - start));

    shutdown(s, SD_SEND);
    closesocket(s);
    WSACleanup();
    return 0;
}
