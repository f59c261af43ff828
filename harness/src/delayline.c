/* delayline: a userspace link with a fixed one-way delay between two TUN devices.
 *
 *   delayline --a NETNS:DEV --b NETNS:DEV --delay-ms D [--rate-mbps R] [--queue N] [--lifetime S]
 *
 * This kernel has no `tc netem`, so delay is added here: every IP packet the kernel of one
 * namespace sends into its TUN device is read, held for D ms, and written into the other
 * namespace's TUN device (which delivers it as if it had arrived on a wire). With --rate-mbps the
 * packets are also serialised at that rate, like a real link. Each direction is a bounded FIFO:
 * a packet arriving when N are queued is dropped, as a router with a full buffer would.
 *
 * The TUN devices are persistent ones the runner created (`ip -n NETNS tuntap add DEV mode tun`);
 * we only attach to them. The process exits on its own after --lifetime seconds, or on SIGTERM. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>

#define SLOT 2048 /* > MTU 1500; TUN packets are never larger without offloads */

struct packet {
    uint64_t due_ns;
    int len;
    char data[SLOT];
};

/* One direction of the link: a ring of packets in arrival order (so due times are increasing). */
struct direction {
    const char *name;
    int in_fd, out_fd;
    struct packet *ring;
    int cap, head, count;
    uint64_t wire_free_ns; /* when the link finishes serialising the previous packet */
    unsigned long forwarded, dropped;
    uint64_t max_late_ns; /* how late we wrote a packet compared to its due time */
    unsigned long late_100us, late_1ms; /* packets written more than 0.1 ms / 1 ms after due */
};

static volatile sig_atomic_t stop, report;
static void on_signal(int sig) { (void)sig; stop = 1; }
static void on_report(int sig) { (void)sig; report = 1; }

/* Print what each direction did since the last report, then start counting afresh: the runner
 * sends SIGUSR1 after every case so each case gets its own line. */
static void print_report(struct direction *dirs) {
    for (int k = 0; k < 2; k++) {
        struct direction *d = &dirs[k];
        fprintf(stderr, "delayline: %s forwarded %lu, dropped %lu (queue full), written late: %lu > 0.1 ms, %lu > 1 ms, max %.3f ms\n",
                d->name, d->forwarded, d->dropped, d->late_100us, d->late_1ms, (double)d->max_late_ns / 1e6);
        d->forwarded = d->dropped = d->late_100us = d->late_1ms = 0;
        d->max_late_ns = 0;
    }
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(2);
}

/* Attach to the TUN device DEV inside network namespace NETNS. TUNSETIFF looks the device up in
 * the namespace the /dev/net/tun file was opened in, so open it from inside, then come back. */
static int open_tun(const char *spec) {
    char ns[128], path[192];
    const char *colon = strchr(spec, ':');
    if (!colon || colon - spec >= (long)sizeof ns) { fprintf(stderr, "bad NETNS:DEV %s\n", spec); exit(2); }
    memcpy(ns, spec, (size_t)(colon - spec));
    ns[colon - spec] = 0;
    int home = open("/proc/self/ns/net", O_RDONLY);
    snprintf(path, sizeof path, "/var/run/netns/%s", ns);
    int target = open(path, O_RDONLY);
    if (home < 0 || target < 0) die(path);
    if (setns(target, CLONE_NEWNET) < 0) die("setns");
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
    if (fd < 0) die("/dev/net/tun");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI; /* raw IP packets, no extra header */
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", colon + 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) die("TUNSETIFF");
    if (setns(home, CLONE_NEWNET) < 0) die("setns home");
    close(home);
    close(target);
    return fd;
}

/* Read everything the kernel has queued on d->in_fd and schedule it. */
static void take_in(struct direction *d, uint64_t delay_ns, double rate_bps) {
    for (;;) {
        struct packet *p = &d->ring[(d->head + d->count) % d->cap];
        char scratch[SLOT];
        int full = d->count == d->cap;
        ssize_t n = read(d->in_fd, full ? scratch : p->data, SLOT);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) return;
            die("read tun");
        }
        if (full) { d->dropped++; continue; }
        uint64_t now = now_ns(), depart = now;
        if (rate_bps > 0) {
            /* Serialise behind the packets already on the wire. */
            if (d->wire_free_ns > depart) depart = d->wire_free_ns;
            depart += (uint64_t)((double)n * 8.0 / rate_bps * 1e9);
            d->wire_free_ns = depart;
        }
        p->len = (int)n;
        p->due_ns = depart + delay_ns;
        d->count++;
    }
}

/* Write every packet whose time has come. */
static void send_due(struct direction *d, uint64_t now) {
    while (d->count > 0 && d->ring[d->head].due_ns <= now) {
        struct packet *p = &d->ring[d->head];
        if (write(d->out_fd, p->data, (size_t)p->len) < 0 && errno != EAGAIN && errno != EINVAL)
            die("write tun");
        uint64_t late = now - p->due_ns;
        if (late > d->max_late_ns) d->max_late_ns = late;
        if (late > 100000) d->late_100us++;
        if (late > 1000000) d->late_1ms++;
        d->forwarded++;
        d->head = (d->head + 1) % d->cap;
        d->count--;
    }
}

int main(int argc, char **argv) {
    const char *a = NULL, *b = NULL;
    double delay_ms = 0, rate_mbps = 0, lifetime_s = 600;
    int queue = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--a")) a = argv[i + 1];
        else if (!strcmp(argv[i], "--b")) b = argv[i + 1];
        else if (!strcmp(argv[i], "--delay-ms")) delay_ms = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--rate-mbps")) rate_mbps = atof(argv[i + 1]);
        else if (!strcmp(argv[i], "--queue")) queue = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--lifetime")) lifetime_s = atof(argv[i + 1]);
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    if (!a || !b || delay_ms < 0 || queue < 1 || lifetime_s <= 0) {
        fprintf(stderr, "usage: delayline --a NETNS:DEV --b NETNS:DEV --delay-ms D [--rate-mbps R] [--queue N] [--lifetime S]\n");
        return 2;
    }
    /* Sleep precisely: the default 50 us timer slack would add jitter to every packet. */
    prctl(PR_SET_TIMERSLACK, 1UL);
    /* ...and run ahead of the benchmark processes sharing the CPUs (bounded by --lifetime). */
    struct sched_param sp = {.sched_priority = 10};
    if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) perror("delayline: SCHED_FIFO (continuing without)");
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGUSR1, on_report);

    int fa = open_tun(a), fb = open_tun(b);
    struct direction dirs[2] = {
        {.name = "a->b", .in_fd = fa, .out_fd = fb, .cap = queue},
        {.name = "b->a", .in_fd = fb, .out_fd = fa, .cap = queue},
    };
    for (int k = 0; k < 2; k++)
        if (!(dirs[k].ring = malloc(sizeof(struct packet) * (size_t)queue))) die("malloc");
    uint64_t delay_ns = (uint64_t)(delay_ms * 1e6);
    double rate_bps = rate_mbps * 1e6;
    uint64_t end = now_ns() + (uint64_t)(lifetime_s * 1e9);
    fprintf(stderr, "delayline: %s <-> %s, one-way %.3f ms, rate %s%.0f Mbps, queue %d packets, lifetime %.0f s\n",
            a, b, delay_ms, rate_mbps > 0 ? "" : "unlimited ", rate_mbps, queue, lifetime_s);

    while (!stop) {
        if (report) { report = 0; print_report(dirs); }
        uint64_t now = now_ns();
        if (now >= end) break;
        send_due(&dirs[0], now);
        send_due(&dirs[1], now);
        /* Sleep until a packet arrives or the earliest queued one is due. */
        uint64_t wake = end;
        for (int k = 0; k < 2; k++)
            if (dirs[k].count && dirs[k].ring[dirs[k].head].due_ns < wake) wake = dirs[k].ring[dirs[k].head].due_ns;
        now = now_ns();
        uint64_t wait = wake > now ? wake - now : 0;
        struct timespec ts = {.tv_sec = (time_t)(wait / 1000000000ull), .tv_nsec = (long)(wait % 1000000000ull)};
        struct pollfd pf[2] = {{.fd = fa, .events = POLLIN}, {.fd = fb, .events = POLLIN}};
        if (ppoll(pf, 2, &ts, NULL) < 0 && errno != EINTR) die("ppoll");
        if (pf[0].revents & POLLIN) take_in(&dirs[0], delay_ns, rate_bps);
        if (pf[1].revents & POLLIN) take_in(&dirs[1], delay_ns, rate_bps);
    }
    print_report(dirs);
    return 0;
}
