/*
 * Key-value store client, corrected: the header and the body are assembled in
 * one buffer and written with one send() (looping only if the kernel takes
 * less), so the whole request leaves in one segment and the server's reply
 * carries the ACK. Setting TCP_NODELAY would also work, at the cost of two
 * segments per request.
 *
 * Build: cc -Wall -o kvput write-write-read.fixed.c
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
    char request[sizeof(struct kv_header) + 1024];
    size_t klen = strlen(key), vlen = strlen(value);
    size_t len = sizeof(hdr) + klen + vlen, off = 0;
    uint8_t status;
    ssize_t n;

    if (len > sizeof(request))
        return -1;
    hdr.op = htons(OP_PUT);
    hdr.key_len = htons((uint16_t)klen);
    hdr.value_len = htonl((uint32_t)vlen);
    memcpy(request, &hdr, sizeof(hdr));
    memcpy(request + sizeof(hdr), key, klen);
    memcpy(request + sizeof(hdr) + klen, value, vlen);

    while (off < len) {
        n = send(conn->fd, request + off, len - off, 0);
        if (n < 0)
            return -1;
        off += (size_t)n;
    }

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
