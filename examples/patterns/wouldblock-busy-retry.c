/*
 * Metrics forwarder: pushes newline-terminated metric lines to a collector.
 *
 * The socket is non-blocking (O_NONBLOCK) so that connect() can time out.
 * When the collector falls behind, its receive window closes, our send
 * buffer fills and send() fails with EAGAIN. send_line() then retries
 * immediately, in a tight loop, until the collector catches up: one core at
 * 100% for as long as the stall lasts (seconds, or forever if the collector
 * hangs with the connection open).
 *
 * Build: cc -Wall -o forwarder wouldblock-busy-retry.c
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static int connect_collector(const char *host, const char *port)
{
    struct addrinfo hints, *res;
    struct pollfd pfd;
    int fd, err = 0;
    socklen_t errlen = sizeof(err);

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0) {
        freeaddrinfo(res);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
    if (connect(fd, res->ai_addr, res->ai_addrlen) < 0 && errno != EINPROGRESS) {
        close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);

    pfd.fd = fd;
    pfd.events = POLLOUT;
    if (poll(&pfd, 1, 3000) != 1 ||
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0 || err != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_line(int fd, const char *line, size_t len)
{
    size_t off = 0;

    while (off < len) {
        ssize_t n = send(fd, line + off, len - off, 0);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
                continue;                 /* "try again" -- right now, forever */
            perror("send");
            return -1;
        }
        off += (size_t)n;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char line[512];
    int fd = connect_collector(argc > 1 ? argv[1] : "127.0.0.1", argc > 2 ? argv[2] : "2003");

    if (fd < 0) {
        fprintf(stderr, "cannot reach collector\n");
        return 1;
    }
    /* metric lines arrive on stdin, e.g. "cpu.load 0.42 1700000000\n" */
    while (fgets(line, sizeof(line), stdin) != NULL) {
        if (send_line(fd, line, strlen(line)) < 0)
            break;
    }
    close(fd);
    return 0;
}
