/*
 * Line-protocol client (SMTP-style): every command is written with a helper
 * that loops until the whole buffer is sent, and replies are read through a
 * buffered line reader that loops until it has a full line.
 *
 * Looks like partial-send-ignored and recv-message-boundary (send and recv
 * calls whose results are not compared where they are made), but write_all()
 * and read_line() handle short writes and short reads. Nothing to report.
 *
 * Build: cc -Wall -o linecli send-all-loop.c
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct line_conn {
    int    fd;
    char   buf[4096];
    size_t len;
};

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Copies one CRLF-terminated line (without CRLF) into out; returns its length or -1. */
static int read_line(struct line_conn *c, char *out, size_t cap)
{
    for (;;) {
        char *eol = memchr(c->buf, '\n', c->len);
        if (eol != NULL) {
            size_t line = (size_t)(eol - c->buf) + 1;
            size_t keep = line >= 2 && eol[-1] == '\r' ? line - 2 : line - 1;
            if (keep >= cap)
                return -1;
            memcpy(out, c->buf, keep);
            out[keep] = '\0';
            memmove(c->buf, c->buf + line, c->len - line);
            c->len -= line;
            return (int)keep;
        }
        if (c->len == sizeof(c->buf))
            return -1;                      /* line too long */
        ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
        if (n <= 0)
            return -1;
        c->len += (size_t)n;
    }
}

static int command(struct line_conn *c, const char *cmd, char *reply, size_t cap)
{
    char line[512];
    int len = snprintf(line, sizeof(line), "%s\r\n", cmd);
    if (len < 0 || (size_t)len >= sizeof(line))
        return -1;
    if (write_all(c->fd, line, (size_t)len) < 0)
        return -1;
    return read_line(c, reply, cap);
}

int main(int argc, char **argv)
{
    struct addrinfo hints, *res;
    struct line_conn c;
    char reply[512];

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(argc > 1 ? argv[1] : "localhost", "25", &hints, &res) != 0)
        return 1;
    c.fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    c.len = 0;
    if (c.fd < 0 || connect(c.fd, res->ai_addr, res->ai_addrlen) < 0) {
        freeaddrinfo(res);
        return 1;
    }
    freeaddrinfo(res);

    if (read_line(&c, reply, sizeof(reply)) >= 0)
        printf("greeting: %s\n", reply);
    if (command(&c, "EHLO client.example", reply, sizeof(reply)) >= 0)
        printf("EHLO: %s\n", reply);
    if (command(&c, "QUIT", reply, sizeof(reply)) >= 0)
        printf("QUIT: %s\n", reply);
    close(c.fd);
    return 0;
}
