/*
 * Sensor telemetry over UDP: one small datagram per reading, many per second.
 *
 * Looks like small-sends-nagle (tiny sends in a loop, no reads in between),
 * but the socket is SOCK_DGRAM: there is no Nagle, no ACK and no stream, each
 * sendto() is one datagram on the wire. Nothing to report.
 *
 * Build: cc -Wall -o telemetry udp-telemetry.c
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct reading {
    uint32_t sensor_id;
    uint32_t seq;
    int32_t  millidegrees;
};

static int32_t sample_sensor(uint32_t id)
{
    return 21000 + (int32_t)(id * 37 % 500);
}

int main(int argc, char **argv)
{
    struct sockaddr_in collector;
    struct reading r;
    struct timespec pause = { 0, 10 * 1000 * 1000 };
    uint32_t seq, id;
    int sock;

    sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock < 0) {
        perror("socket");
        return 1;
    }
    memset(&collector, 0, sizeof(collector));
    collector.sin_family = AF_INET;
    collector.sin_port = htons(9125);
    inet_pton(AF_INET, argc > 1 ? argv[1] : "127.0.0.1", &collector.sin_addr);

    for (seq = 0; seq < 100000; seq++) {
        for (id = 0; id < 16; id++) {
            r.sensor_id = htonl(id);
            r.seq = htonl(seq);
            r.millidegrees = (int32_t)htonl((uint32_t)sample_sensor(id));
            if (sendto(sock, &r, sizeof(r), 0, (struct sockaddr *)&collector, sizeof(collector)) < 0)
                perror("sendto");   /* a lost reading is acceptable */
        }
        nanosleep(&pause, NULL);
    }
    close(sock);
    return 0;
}
