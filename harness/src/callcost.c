/* callcost: what one send() or recv() system call costs the application on this machine.
 *
 *   callcost [--calls N] [--size B] [--rounds R]
 *
 * Measures, over a loopback TCP connection (127.0.0.1, in whatever network namespace it is run):
 *   send         N blocking send(B bytes) calls, Nagle on, default buffers; a child process drains
 *                the other end with recv(64 KB), so the sender never waits for room. Most calls only
 *                copy into the tail of the send queue (the kernel coalesces them).
 *   send-nodelay the same with TCP_NODELAY: every call also pushes a segment through loopback.
 *   recv         N recv(B bytes) calls while a child keeps the receive queue full with 64 KB sends,
 *                so every call finds data and returns B bytes.
 *   syscall      N getppid() calls: the bare system-call entry and exit, for comparison.
 * Each figure is the mean time per call over N calls, repeated R times; the median round is
 * reported with the spread of all rounds. Time is the calling thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID: user + system), so other processes on a shared machine do not inflate
 * it by preempting the loop; the wall-clock median is reported next to it (`wallMedianUs`).
 * One JSON object on stdout.
 *
 * The simulator's `callCostUs` default for the linux profile is the mean of `send` and `recv`
 * (results/call-cost.json; src/sim/profiles.ts cites it). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static void die(const char *what) {
    perror(what);
    exit(2);
}

static uint64_t clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static long parse_long(const char *s) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s) { fprintf(stderr, "callcost: bad number %s\n", s); exit(2); }
    return v;
}

static long calls = 200000, size = 64;
static int rounds = 7;

static void set_int(int fd, int level, int name, int v) {
    if (setsockopt(fd, level, name, &v, sizeof v) < 0) die("setsockopt");
}

/* A connected loopback pair: *a is the connecting side, *b the accepted one. */
static void loopback_pair(int *a, int *b) {
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(l, 1) < 0) die("listen");
    if (getsockname(l, (struct sockaddr *)&sa, &len) < 0) die("getsockname");
    *a = socket(AF_INET, SOCK_STREAM, 0);
    if (*a < 0 || connect(*a, (struct sockaddr *)&sa, sizeof sa) < 0) die("connect");
    *b = accept(l, NULL, NULL);
    if (*b < 0) die("accept");
    close(l);
}

static void drain(int fd) {
    static char buf[65536];
    while (recv(fd, buf, sizeof buf, 0) > 0) {}
}

static void flood(int fd) {
    static char buf[65536];
    while (send(fd, buf, sizeof buf, MSG_NOSIGNAL) > 0) {}
}

enum kind { K_SEND, K_SEND_NODELAY, K_RECV, K_SYSCALL };

/* Mean ns per call of one round: CPU time, and wall time in *wall. */
static double one_round(enum kind k, double *wall) {
    char buf[65536];
    memset(buf, 'x', sizeof buf);
    if (k == K_SYSCALL) {
        uint64_t w0 = clock_ns(CLOCK_MONOTONIC), t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
        for (long i = 0; i < calls; i++) syscall(SYS_getppid);
        *wall = (double)(clock_ns(CLOCK_MONOTONIC) - w0) / (double)calls;
        return (double)(clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0) / (double)calls;
    }
    int app, peer;
    loopback_pair(&app, &peer);
    if (k == K_SEND_NODELAY) set_int(app, IPPROTO_TCP, TCP_NODELAY, 1);
    pid_t child = fork();
    if (child < 0) die("fork");
    if (child == 0) {
        close(app);
        if (k == K_RECV) flood(peer);
        else drain(peer);
        _exit(0);
    }
    close(peer);
    if (k == K_RECV) usleep(20000); /* let the peer fill the receive queue first */
    uint64_t w0 = clock_ns(CLOCK_MONOTONIC), t0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    for (long i = 0; i < calls; i++) {
        ssize_t n = k == K_RECV ? recv(app, buf, (size_t)size, 0) : send(app, buf, (size_t)size, MSG_NOSIGNAL);
        if (n <= 0) die(k == K_RECV ? "recv" : "send");
    }
    double per_call = (double)(clock_ns(CLOCK_THREAD_CPUTIME_ID) - t0) / (double)calls;
    *wall = (double)(clock_ns(CLOCK_MONOTONIC) - w0) / (double)calls;
    close(app);
    kill(child, SIGTERM);
    waitpid(child, NULL, 0);
    return per_call;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) { fprintf(stderr, "usage: callcost [--calls N] [--size B] [--rounds R]\n"); return 2; }
        if (!strcmp(argv[i], "--calls")) calls = parse_long(v);
        else if (!strcmp(argv[i], "--size")) size = parse_long(v);
        else if (!strcmp(argv[i], "--rounds")) rounds = (int)parse_long(v);
        else { fprintf(stderr, "usage: callcost [--calls N] [--size B] [--rounds R]\n"); return 2; }
        i++;
    }
    if (calls < 1 || size < 1 || size > 65536 || rounds < 1 || rounds > 99) { fprintf(stderr, "callcost: bad option\n"); return 2; }
    signal(SIGPIPE, SIG_IGN);
    alarm(300);
    static const char *names[] = {"send", "sendNodelay", "recv", "syscall"};
    printf("{\"calls\": %ld, \"sizeBytes\": %ld, \"rounds\": %d", calls, size, rounds);
    for (int k = 0; k < 4; k++) {
        double r[99], w[99];
        for (int j = 0; j < rounds; j++) {
            r[j] = one_round((enum kind)k, &w[j]) / 1000.0;
            w[j] /= 1000.0;
        }
        double sorted[99];
        memcpy(sorted, r, sizeof(double) * (size_t)rounds);
        qsort(sorted, (size_t)rounds, sizeof(double), cmp);
        double median = sorted[rounds / 2], lo = sorted[0], hi = sorted[rounds - 1];
        memcpy(sorted, w, sizeof(double) * (size_t)rounds);
        qsort(sorted, (size_t)rounds, sizeof(double), cmp);
        printf(", \"%s\": {\"medianUs\": %.3f, \"minUs\": %.3f, \"maxUs\": %.3f, \"wallMedianUs\": %.3f, \"roundsUs\": [",
               names[k], median, lo, hi, sorted[rounds / 2]);
        for (int j = 0; j < rounds; j++) printf("%s%.3f", j ? ", " : "", r[j]);
        printf("]}");
        fflush(stdout);
    }
    printf("}\n");
    return 0;
}
