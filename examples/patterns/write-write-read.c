/*
 * Key-value store client: PUT key=value, wait for the status reply.
 *
 * Every request is written with two send() calls, a fixed 8-byte header and
 * then the body, and then the client waits for the reply. With Nagle on, the
 * body cannot leave while the header is unacknowledged; the server has nothing
 * to say until it has the whole request, so it holds the header's ACK for its
 * delayed-ACK timeout (40 ms on Linux, 200 ms on Windows). Every PUT pays that
 * timeout on top of the round trip.
 *
 * Build: cc -Wall -o kvput write-write-read.c
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define OP_PUT 1

struct kv_header {
    uint16_t op;
    uint16_t key_len;
    uint32_t value_len;
};

struct kv_conn {
    int fd;
    unsigned requests;
};

static int kv_connect(struct kv_conn *conn, const char *host, const char *port)
{
    struct addrinfo hints, *res;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    conn->fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (conn->fd < 0 || connect(conn->fd, res->ai_addr, res->ai_addrlen) < 0) {
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    conn->requests = 0;
    return 0;
}

/* Returns the server's status byte, or -1. */
static int kv_put(struct kv_conn *conn, const char *key, const char *value)
{
    struct kv_header hdr;
    char body[1024];
    size_t klen = strlen(key), vlen = strlen(value);
    uint8_t status;
    ssize_t n;

    if (klen + vlen > sizeof(body))
        return -1;
    hdr.op = htons(OP_PUT);
    hdr.key_len = htons((uint16_t)klen);
    hdr.value_len = htonl((uint32_t)vlen);
    memcpy(body, key, klen);
    memcpy(body + klen, value, vlen);

    if (send(conn->fd, &hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
        return -1;
    if (send(conn->fd, body, klen + vlen, 0) != (ssize_t)(klen + vlen))
        return -1;

    n = recv(conn->fd, &status, 1, 0);
    if (n != 1)
        return -1;
    conn->requests++;
    return status;
}

int main(int argc, char **argv)
{
    struct kv_conn conn;
    char key[32], value[64];
    int i;

    if (kv_connect(&conn, argc > 1 ? argv[1] : "127.0.0.1", "7070") < 0) {
        perror("connect");
        return 1;
    }
    for (i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "user:%d", i);
        snprintf(value, sizeof(value), "{\"visits\":%d}", i * 7);
        if (kv_put(&conn, key, value) != 0) {
            fprintf(stderr, "PUT %s failed\n", key);
            break;
        }
    }
    printf("%u requests\n", conn.requests);
    close(conn.fd);
    return 0;
}
