/*
 * Upload client that tunes its buffers after connecting.
 *
 * Looks like sockopt-after-connect, but neither option needs the handshake:
 * SO_SNDBUF only sizes the local send queue and may be changed at any time
 * (Windows code even re-tunes it from SIO_IDEAL_SEND_BACKLOG_QUERY), and a
 * 32 KB SO_RCVBUF fits in the 16-bit window field without any window scaling.
 * Nothing to report.
 *
 * Build: cc -Wall -o upload sndbuf-after-connect.c
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct addrinfo hints, *res;
    char buf[65536];
    int fd, sndbuf = 1024 * 1024, rcvbuf = 32 * 1024;
    size_t n;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(argc > 1 ? argv[1] : "localhost", "9009", &hints, &res) != 0)
        return 1;
    fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) < 0) {
        perror("connect");
        return 1;
    }
    freeaddrinfo(res);

    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));

    while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
        size_t off = 0;
        while (off < n) {
            ssize_t w = send(fd, buf + off, n - off, 0);
            if (w < 0) {
                perror("send");
                close(fd);
                return 1;
            }
            off += (size_t)w;
        }
    }
    shutdown(fd, SHUT_WR);
    close(fd);
    return 0;
}
