/*
 * Backup puller: downloads a snapshot file from a backup server across a
 * high-latency link (e.g. 80 ms RTT between regions).
 *
 * The author raises SO_RCVBUF to 4 MB to fill the long fat pipe, but does it
 * after connect(). The window-scale factor is negotiated once, in the SYN and
 * SYN-ACK, sized from the receive buffer the socket had at that moment; a
 * window larger than 65,535 x 2^scale can never be advertised afterwards.
 * Whether the 4 MB is usable is then an accident of what the stack chose at
 * connect time: Linux sizes the scale from tcp_rmem's maximum, older Windows
 * stacks from the 64 KB default -- no scaling at all, 64 KB per round trip,
 * about 6.5 Mbit/s at 80 ms however large the buffer is made later. The
 * connection looks tuned (getsockopt reports 4 MB) while a packet capture
 * shows the small window.
 *
 * Build: cc -Wall -o pull sockopt-after-connect.c
 */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#define BULK_RCVBUF (4 * 1024 * 1024)

static int open_backup_stream(const char *host, const char *port)
{
    struct addrinfo hints, *res, *ai;
    int fd = -1;
    int rcvbuf = BULK_RCVBUF;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return -1;

    /* big receive buffer for the long fat pipe */
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
        perror("setsockopt(SO_RCVBUF)");
    return fd;
}

int main(int argc, char **argv)
{
    char buf[64 * 1024];
    ssize_t n;
    long long total = 0;
    FILE *out;
    int fd;

    if (argc < 3) {
        fprintf(stderr, "usage: %s host outfile\n", argv[0]);
        return 2;
    }
    fd = open_backup_stream(argv[1], "8873");
    if (fd < 0) {
        perror("connect");
        return 1;
    }
    out = fopen(argv[2], "wb");
    if (out == NULL) {
        close(fd);
        return 1;
    }
    /* the server streams the snapshot and closes: copy bytes until EOF */
    while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
        fwrite(buf, 1, (size_t)n, out);
        total += n;
    }
    if (n < 0)
        perror("recv");
    fclose(out);
    close(fd);
    printf("%lld bytes\n", total);
    return 0;
}
