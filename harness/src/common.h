/* Shared by sockbench's client and server roles: options, clock, seeded sizes, small I/O helpers.
 * Header-only so that each program is built with a single gcc command. */
#ifndef SOCKBENCH_COMMON_H
#define SOCKBENCH_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/tcp.h> /* TCP_QUICKACK, TCP_CONGESTION, struct tcp_info with tcpi_data_segs_out */

#define MAX_WRITES 16

enum pattern { P_RECORDS, P_REQUEST_RESPONSE, P_WRITE_WRITE_READ, P_TWO_CHANNEL, P_BULK };
static const char *const pattern_names[] = {
    "records", "request-response", "write-write-read", "two-channel", "bulk"};

struct opts {
    /* where */
    const char *host; /* client: address to connect to; server: address to bind */
    int port;
    int timeout_s; /* the process kills itself (SIGALRM) after this long */
    /* workload: both roles must be given the same values */
    enum pattern pattern;
    long count;
    long size_min, size_max;
    long writes[MAX_WRITES];
    int nwrites;
    long response;
    long recv_buffer; /* the application's recv() size; 0 = the whole expected message */
    long long total;
    long write_bytes;
    uint64_t seed;
    /* this side's socket options; -1 = not set (OS default) */
    int nodelay;
    long sndbuf, rcvbuf;
    int rcvbuf_after_accept;
    int quickack;
    const char *cc;
    /* client only: labels copied into the JSON case */
    const char *id, *network, *description;
    double rtt_ms;          /* nominal RTT of the link (delay line); <0 = use the measured handshake */
    double bandwidth_mbps;  /* nominal link rate; <0 = not stated */
};

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sockbench: ");
    vfprintf(stderr, fmt, ap);
    if (errno) fprintf(stderr, ": %s", strerror(errno));
    fprintf(stderr, "\n");
    va_end(ap);
    exit(2);
}

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* splitmix64: tiny, seedable, identical on both sides, so the server can recompute record sizes. */
static inline uint64_t next_rand(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Message i's size for records / request-response / two-channel (uniform in [min, max]). */
static long *message_sizes(const struct opts *o) {
    long *s = malloc(sizeof(long) * (size_t)o->count);
    uint64_t st = o->seed;
    if (!s) die("out of memory");
    for (long i = 0; i < o->count; i++)
        s[i] = o->size_min + (long)(next_rand(&st) % (uint64_t)(o->size_max - o->size_min + 1));
    return s;
}

/* A stream send may write less than asked: loop until all of it is in the kernel. */
static void send_all(int fd, const char *buf, long n) {
    while (n > 0) {
        ssize_t w = send(fd, buf, (size_t)n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("send");
        }
        buf += w;
        n -= w;
    }
}

/* Set by --quickack: TCP_QUICKACK is not sticky, so it is re-armed after every recv(). */
static int rearm_quickack;

static ssize_t recv_some(int fd, char *buf, long n) {
    ssize_t r = recv(fd, buf, (size_t)n, 0);
    if (rearm_quickack) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }
    return r;
}

/* A stream recv returns what has arrived: loop until the whole message is here. */
static void recv_all(int fd, char *buf, long n) {
    while (n > 0) {
        ssize_t r = recv_some(fd, buf, n);
        if (r < 0) {
            if (errno == EINTR) continue;
            die("recv");
        }
        if (r == 0) { errno = 0; die("peer closed early"); }
        buf += r;
        n -= r;
    }
}

static long parse_long(const char *s, const char *what) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s) { errno = 0; die("bad number for %s: %s", what, s); }
    return (long)v;
}

static void usage(void) {
    fprintf(stderr,
        "usage: sockbench server|client [options]\n"
        "  --host ADDR --port N --timeout S\n"
        "  --pattern records|request-response|write-write-read|two-channel|bulk\n"
        "  --count N --size N|MIN,MAX --writes A,B,.. --response N --recv-buffer N\n"
        "  --total N --write N --seed N\n"
        "  --nodelay --sndbuf N --rcvbuf N --rcvbuf-after-accept --quickack --cc NAME\n"
        "  client labels: --id S --network S --description S --rtt-ms X --bandwidth-mbps X\n");
    exit(2);
}

static void parse_opts(struct opts *o, int argc, char **argv) {
    memset(o, 0, sizeof *o);
    o->host = "127.0.0.1";
    o->port = 5599;
    o->timeout_s = 120;
    o->pattern = P_REQUEST_RESPONSE;
    o->count = 100;
    o->size_min = o->size_max = 100;
    o->response = 64;
    o->total = 50000000;
    o->write_bytes = 65536;
    o->seed = 1;
    o->sndbuf = o->rcvbuf = -1;
    o->id = "unnamed";
    o->network = "loopback";
    o->description = "";
    o->rtt_ms = -1;
    o->bandwidth_mbps = -1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define VAL() (v ? (i++, v) : (usage(), ""))
        if (!strcmp(a, "--host")) o->host = VAL();
        else if (!strcmp(a, "--port")) o->port = (int)parse_long(VAL(), a);
        else if (!strcmp(a, "--timeout")) o->timeout_s = (int)parse_long(VAL(), a);
        else if (!strcmp(a, "--pattern")) {
            const char *p = VAL();
            int found = 0;
            for (int k = 0; k < 5; k++)
                if (!strcmp(p, pattern_names[k])) { o->pattern = (enum pattern)k; found = 1; }
            if (!found) usage();
        } else if (!strcmp(a, "--count")) o->count = parse_long(VAL(), a);
        else if (!strcmp(a, "--size")) {
            char buf[64];
            snprintf(buf, sizeof buf, "%s", VAL());
            char *comma = strchr(buf, ',');
            if (comma) { *comma = 0; o->size_max = parse_long(comma + 1, a); }
            o->size_min = parse_long(buf, a);
            if (!comma) o->size_max = o->size_min;
        } else if (!strcmp(a, "--writes")) {
            char buf[256];
            snprintf(buf, sizeof buf, "%s", VAL());
            o->nwrites = 0;
            for (char *t = strtok(buf, ","); t && o->nwrites < MAX_WRITES; t = strtok(NULL, ","))
                o->writes[o->nwrites++] = parse_long(t, a);
        } else if (!strcmp(a, "--response")) o->response = parse_long(VAL(), a);
        else if (!strcmp(a, "--recv-buffer")) o->recv_buffer = parse_long(VAL(), a);
        else if (!strcmp(a, "--total")) o->total = parse_long(VAL(), a);
        else if (!strcmp(a, "--write")) o->write_bytes = parse_long(VAL(), a);
        else if (!strcmp(a, "--seed")) o->seed = (uint64_t)parse_long(VAL(), a);
        else if (!strcmp(a, "--nodelay")) o->nodelay = 1;
        else if (!strcmp(a, "--sndbuf")) o->sndbuf = parse_long(VAL(), a);
        else if (!strcmp(a, "--rcvbuf")) o->rcvbuf = parse_long(VAL(), a);
        else if (!strcmp(a, "--rcvbuf-after-accept")) o->rcvbuf_after_accept = 1;
        else if (!strcmp(a, "--quickack")) o->quickack = 1;
        else if (!strcmp(a, "--cc")) o->cc = VAL();
        else if (!strcmp(a, "--id")) o->id = VAL();
        else if (!strcmp(a, "--network")) o->network = VAL();
        else if (!strcmp(a, "--description")) o->description = VAL();
        else if (!strcmp(a, "--rtt-ms")) o->rtt_ms = atof(VAL());
        else if (!strcmp(a, "--bandwidth-mbps")) o->bandwidth_mbps = atof(VAL());
        else usage();
#undef VAL
    }
    if (o->count < 1 || o->size_min < 1 || o->size_max < o->size_min || o->response < 1 ||
        o->write_bytes < 1 || o->total < o->write_bytes)
        usage();
    if (o->pattern == P_WRITE_WRITE_READ && o->nwrites == 0) {
        o->writes[0] = 10;
        o->writes[1] = 100;
        o->nwrites = 2;
    }
}

#endif
