/*
 * Remote console client: forwards each keystroke to the server as soon as it
 * is typed, and prints whatever the server echoes back.
 *
 * Looks like small-sends-nagle (1-byte sends in a loop), but the socket has
 * TCP_NODELAY set on purpose: interactive keystrokes must not wait for the
 * previous segment's ACK. Nothing to report.
 *
 * Build: cc -Wall -o rconsole nodelay-keystrokes.c
 */
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct addrinfo hints, *res;
    struct pollfd fds[2];
    char out[4096];
    int sock, one = 1;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(argc > 1 ? argv[1] : "localhost", "2323", &hints, &res) != 0)
        return 1;
    sock = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (sock < 0)
        return 1;
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(sock, res->ai_addr, res->ai_addrlen) < 0) {
        perror("connect");
        return 1;
    }
    freeaddrinfo(res);

    fds[0].fd = STDIN_FILENO;
    fds[0].events = POLLIN;
    fds[1].fd = sock;
    fds[1].events = POLLIN;
    for (;;) {
        if (poll(fds, 2, -1) < 0)
            break;
        if (fds[0].revents & POLLIN) {
            char key;
            if (read(STDIN_FILENO, &key, 1) != 1)
                break;
            if (send(sock, &key, 1, 0) != 1)   /* one keystroke, sent now */
                break;
        }
        if (fds[1].revents & (POLLIN | POLLHUP)) {
            ssize_t n = recv(sock, out, sizeof(out), 0);   /* echo is a byte stream: print what came */
            if (n <= 0)
                break;
            fwrite(out, 1, (size_t)n, stdout);
            fflush(stdout);
        }
    }
    close(sock);
    return 0;
}
