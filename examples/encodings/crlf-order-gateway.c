/*
 * Order gateway session (Windows code base, checked in with CRLF line endings).
 *
 * The gateway's socket is put in non-blocking mode with ioctlsocket(FIONBIO)
 * so the trading loop never stalls, but when send() reports WSAEWOULDBLOCK
 * (the exchange's receive window is full) the session is torn down as if the
 * link had failed: every brief back-pressure event becomes a disconnect and a
 * re-login.
 *
 * Build: cl /W4 crlf-order-gateway.c ws2_32.lib
 */
#define WIN32_LEAN_AND_MEAN
#include <winsock2.h>
#include <stdio.h>
#include <string.h>

#pragma comment(lib, "ws2_32.lib")

typedef struct {
    SOCKET fd;
    unsigned long orders_sent;
    int logged_in;
} GATEWAY_SESSION;

int gw_set_nonblocking(GATEWAY_SESSION *conn)
{
    u_long mode = 1;
    return ioctlsocket(conn->fd, FIONBIO, &mode);
}

void gw_close(GATEWAY_SESSION *conn)
{
    closesocket(conn->fd);
    conn->fd = INVALID_SOCKET;
    conn->logged_in = 0;
}

int gw_send_order(GATEWAY_SESSION *conn, const char *fix_msg, int len)
{
    int n = send(conn->fd, fix_msg, len, 0);
    if (n == SOCKET_ERROR) {
        fprintf(stderr, "gateway send failed (%d), closing session\n", WSAGetLastError());
        gw_close(conn);
        return -1;
    }
    if (n != len) {
        fprintf(stderr, "short send (%d of %d), closing session\n", n, len);
        gw_close(conn);
        return -1;
    }
    conn->orders_sent++;
    return 0;
}
