/*
 * Output queue of a non-blocking connection: io_send() performs one send() and
 * returns how many bytes the kernel took (or 0 for "would block", -1 for an
 * error); flush() drops exactly that many bytes from the front of the queue.
 *
 * Looks like partial-send-ignored and unhandled-wouldblock at the send() call,
 * because the count is not compared there; but it is returned to the caller,
 * which consumes it, and EAGAIN is mapped to "try later". Nothing to report.
 *
 * Build: cc -Wall -o outq send-count-returned.c
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

struct conn {
    int    fd;
    char   out[65536];
    size_t out_len;
};

/* >0 bytes taken, 0 would block, -1 error */
static long io_send(struct conn *c, const void *buf, size_t len)
{
    long n = (long)send(c->fd, buf, len, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    return n;
}

/* Returns -1 when the connection must be closed. */
static int flush(struct conn *c)
{
    while (c->out_len > 0) {
        long n = io_send(c, c->out, c->out_len);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;             /* the event loop calls again on POLLOUT */
        memmove(c->out, c->out + n, c->out_len - (size_t)n);
        c->out_len -= (size_t)n;
    }
    return 0;
}

int main(void)
{
    int sv[2];
    struct conn c;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return 1;
    c.fd = sv[0];
    c.out_len = (size_t)snprintf(c.out, sizeof(c.out), "queued reply\n");
    if (flush(&c) < 0)
        perror("flush");
    close(sv[0]);
    close(sv[1]);
    return 0;
}
