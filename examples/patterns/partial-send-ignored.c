/*
 * Tiny static file server: answers every connection with one file.
 *
 * The sockets carry a 5 s SO_SNDTIMEO so that a stalled client cannot hold a
 * worker forever. With a send timeout (or a signal, or a non-blocking socket)
 * send() may write only part of the buffer and return the shorter count. The
 * header is safe (the first send on a new connection: its empty send buffer
 * takes it whole), but the body check only catches -1. A slow client receives
 * a truncated file, and nothing on the server notices.
 *
 * Build: cc -Wall -o filesrv partial-send-ignored.c
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

static char *load_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data;
    long size;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)size);
    if (data != NULL && fread(data, 1, (size_t)size, f) != (size_t)size) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *len = (size_t)size;
    return data;
}

static void serve(int client, const char *body, size_t body_len)
{
    char header[256];
    int hlen;
    struct timeval tv = { 5, 0 };

    setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    hlen = snprintf(header, sizeof(header),
                    "HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    "Content-Length: %zu\r\n\r\n", body_len);
    send(client, header, (size_t)hlen, 0);
    if (send(client, body, body_len, 0) < 0)
        perror("send body");
}

int main(int argc, char **argv)
{
    struct sockaddr_in addr;
    size_t body_len;
    char *body;
    int listener, client, one = 1;

    body = load_file(argc > 1 ? argv[1] : "index.html", &body_len);
    if (body == NULL) {
        perror("load");
        return 1;
    }
    listener = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(8080);
    if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(listener, 64) < 0) {
        perror("listen");
        return 1;
    }
    for (;;) {
        client = accept(listener, NULL, NULL);
        if (client < 0)
            continue;
        serve(client, body, body_len);
        close(client);
    }
}
