/*
 * Record uploader, corrected (KB case study 1, "improvement").
 *
 * - Winsock's default send buffering is left alone (no SO_SNDBUF = 0), so
 *   send() returns as soon as the data is copied into the stack.
 * - Records are padded to a fixed 100 bytes and sent 80 at a time behind a
 *   4-byte record-count header: one 8,004-byte send instead of 80 tiny ones.
 *   Every batch fills several full-sized segments, so Nagle never holds them.
 * - TCP_NODELAY is set so the last, partly filled segment of each batch leaves
 *   at once instead of waiting for the previous segment's (delayed) ACK.
 *
 * Build: cl /W4 client-fixed.c ws2_32.lib
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
#define RECORD_SIZE   100          /* every record padded to this size */
#define BATCH_RECORDS 80
#define HEADER_SIZE   4            /* network-order record count */

static void make_record(char *slot, int seq)
{
    int len = RECORD_MIN + rand() % (RECORD_SIZE - RECORD_MIN + 1);
    int head = _snprintf(slot, len, "%05d|", seq);
    memset(slot + head, 'x', len - head);
    memset(slot + len, 0, RECORD_SIZE - len);   /* padding */
}

/* Sends the whole buffer: a stream send may accept fewer bytes than asked. */
static int send_all(SOCKET s, const char *buf, int len)
{
    int off = 0;
    while (off < len) {
        int n = send(s, buf + off, len - off, 0);
        if (n == SOCKET_ERROR)
            return SOCKET_ERROR;
        off += n;
    }
    return off;
}

static SOCKET connect_to(const char *host)
{
    struct addrinfo hints, *res = NULL;
    SOCKET s;
    BOOL nodelay = TRUE;

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
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&nodelay, sizeof(nodelay));
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
    static char batch[HEADER_SIZE + BATCH_RECORDS * RECORD_SIZE];
    int seq = 0;
    DWORD start;

    if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
        return 1;

    s = connect_to(argc > 1 ? argv[1] : "127.0.0.1");
    if (s == INVALID_SOCKET) {
        fprintf(stderr, "connect failed: %d\n", WSAGetLastError());
        WSACleanup();
        return 1;
    }

    start = GetTickCount();
    while (seq < RECORD_COUNT) {
        u_long count = 0;
        int len;

        while (count < BATCH_RECORDS && seq < RECORD_COUNT) {
            make_record(batch + HEADER_SIZE + count * RECORD_SIZE, seq++);
            count++;
        }
        *(u_long *)batch = htonl(count);
        len = HEADER_SIZE + (int)count * RECORD_SIZE;
        if (send_all(s, batch, len) != len) {
            fprintf(stderr, "send failed: %d\n", WSAGetLastError());
            break;
        }
    }
    printf("%d records in %lu ms\n", seq, (unsigned long)(GetTickCount() - start));

    shutdown(s, SD_SEND);
    closesocket(s);
    WSACleanup();
    return 0;
}
