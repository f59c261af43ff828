/*
 * Discovery beacon: the socket comes from a helper that creates a connected
 * UDP socket, and is stored in a struct field; the beacon is sent with send()
 * (not sendto) and its result is only logged.
 *
 * Looks like partial-send-ignored and small-sends-nagle, but the socket is
 * SOCK_DGRAM (see open_udp()): a datagram is sent whole or not at all, and
 * there is no Nagle. Nothing to report.
 *
 * Build: cc -Wall -o beacon udp-socket-from-helper.c
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct beacon {
    int fd;
    unsigned seq;
};

static int open_udp(const char *ip, unsigned short port)
{
    struct sockaddr_in to;
    int fd = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    if (fd < 0)
        return -1;
    memset(&to, 0, sizeof(to));
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    inet_pton(AF_INET, ip, &to.sin_addr);
    if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(void)
{
    struct beacon b = { -1, 0 };
    char msg[64];
    int i, len;

    b.fd = open_udp("239.255.0.1", 5353);
    if (b.fd < 0)
        return 1;
    for (i = 0; i < 10; i++) {
        len = snprintf(msg, sizeof(msg), "HELLO node-7 seq=%u", b.seq++);
        if (send(b.fd, msg, (size_t)len, 0) < 0)
            perror("beacon");
        sleep(1);
    }
    close(b.fd);
    return 0;
}
