/* sockbench: measures what a socket call pattern costs on a real kernel.
 *
 *   sockbench server --host ADDR --port N <workload> <this side's socket options>
 *   sockbench client --host ADDR --port N <same workload> <this side's socket options> <labels>
 *
 * The client drives the pattern and timestamps its calls; the server timestamps when its
 * application has a whole message. Both read CLOCK_MONOTONIC on the same machine (network
 * namespaces share it), so the server sends its timestamps back after the measured phase and the
 * client prints one JSON object (a case of results/linux-measured.json, see ../README.md). */
#include "common.h"

#include <arpa/inet.h>
#include <signal.h>

#define FACTS_MAGIC 0x534b4231u /* "SKB1" */

/* What the server tells the client after the run: its settings, what the kernel made of them,
 * and one timestamp per message (records, bulk) or none (request patterns). Same host, same ABI. */
struct facts {
    uint32_t magic;
    int32_t nodelay, quickack, rcvbuf_after_accept;
    int64_t sndbuf_req, rcvbuf_req;
    int32_t sndbuf_eff, rcvbuf_eff;
    uint32_t data_segs_out, total_retrans;
    int64_t ntimes;
};

static struct opts o;

static void set_int(int fd, int level, int name, int v, const char *what) {
    if (setsockopt(fd, level, name, &v, sizeof v) < 0) die("setsockopt %s", what);
}

static int get_int(int fd, int level, int name) {
    int v = -1;
    socklen_t len = sizeof v;
    getsockopt(fd, level, name, &v, &len);
    return v;
}

static struct tcp_info tcp_info_of(int fd) {
    struct tcp_info ti;
    socklen_t len = sizeof ti;
    memset(&ti, 0, sizeof ti);
    getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len);
    return ti;
}

/* Options that must be in place before the SYN (buffer sizes fix the window scale). */
static void pre_connect_options(int fd, int is_listener) {
    if (o.sndbuf >= 0) set_int(fd, SOL_SOCKET, SO_SNDBUF, (int)o.sndbuf, "SO_SNDBUF");
    if (o.rcvbuf >= 0 && !(is_listener && o.rcvbuf_after_accept))
        set_int(fd, SOL_SOCKET, SO_RCVBUF, (int)o.rcvbuf, "SO_RCVBUF");
    if (o.cc && setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, o.cc, (socklen_t)strlen(o.cc)) < 0)
        die("TCP_CONGESTION %s", o.cc);
    if (o.nodelay) set_int(fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
}

static struct sockaddr_in address(void) {
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)o.port);
    if (inet_pton(AF_INET, o.host, &sa.sin_addr) != 1) { errno = 0; die("bad address %s", o.host); }
    return sa;
}

/* The server may still be starting: retry refused connects for a few seconds. */
static int connect_to_server(double *handshake_ms) {
    struct sockaddr_in sa = address();
    uint64_t give_up = now_ns() + 5000000000ull;
    for (;;) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) die("socket");
        pre_connect_options(fd, 0);
        uint64_t t0 = now_ns();
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
            *handshake_ms = (double)(now_ns() - t0) / 1e6;
            if (o.quickack) set_int(fd, IPPROTO_TCP, TCP_QUICKACK, 1, "TCP_QUICKACK");
            return fd;
        }
        if (errno != ECONNREFUSED || now_ns() > give_up) die("connect %s:%d", o.host, o.port);
        close(fd);
        usleep(20000);
    }
}

/* Where each message ends in the byte stream (records and bulk), so the receiver can tell
 * when its application has a whole one without any framing on the wire. */
static long long *message_ends(long *n_out) {
    long n;
    long long *ends;
    if (o.pattern == P_BULK) {
        n = (long)((o.total + o.write_bytes - 1) / o.write_bytes);
        ends = malloc(sizeof *ends * (size_t)n);
        for (long i = 0; i < n; i++)
            ends[i] = (i + 1) * (long long)o.write_bytes < o.total ? (i + 1) * (long long)o.write_bytes : o.total;
    } else {
        long *sizes = message_sizes(&o);
        long long sum = 0;
        n = o.count;
        ends = malloc(sizeof *ends * (size_t)n);
        for (long i = 0; i < n; i++) ends[i] = (sum += sizes[i]);
        free(sizes);
    }
    *n_out = n;
    return ends;
}

/* ---------------------------------------------------------------- server */

static int run_server(void) {
    struct sockaddr_in sa = address();
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    if (lfd < 0) die("socket");
    set_int(lfd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
    pre_connect_options(lfd, 1); /* accepted sockets inherit them */
    if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind %s:%d", o.host, o.port);
    if (listen(lfd, 4) < 0) die("listen");

    /* two-channel: the client connects the command channel first, then the data channel. */
    int in_fd = accept(lfd, NULL, NULL), out_fd = in_fd;
    if (in_fd < 0) die("accept");
    if (o.pattern == P_TWO_CHANNEL && (out_fd = accept(lfd, NULL, NULL)) < 0) die("accept");
    close(lfd);
    int fds[2] = {in_fd, out_fd};
    for (int k = 0; k < 2; k++) {
        if (o.rcvbuf >= 0 && o.rcvbuf_after_accept)
            set_int(fds[k], SOL_SOCKET, SO_RCVBUF, (int)o.rcvbuf, "SO_RCVBUF");
        if (o.nodelay) set_int(fds[k], IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
        if (o.quickack) set_int(fds[k], IPPROTO_TCP, TCP_QUICKACK, 1, "TCP_QUICKACK");
    }
    rearm_quickack = o.quickack;

    uint64_t *times = NULL;
    long ntimes = 0;
    if (o.pattern == P_RECORDS || o.pattern == P_BULK) {
        /* Read like the application would (recv(recv_buffer) in a loop) and note the moment each
         * message's last byte has been returned. */
        long long *ends = message_ends(&ntimes);
        long bufsize = o.recv_buffer > 0 ? o.recv_buffer : 65536;
        char *buf = malloc((size_t)bufsize);
        times = malloc(sizeof *times * (size_t)ntimes);
        long long got = 0;
        long next = 0;
        while (next < ntimes) {
            ssize_t r = recv_some(in_fd, buf, bufsize);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) die("recv (got %lld bytes)", got);
            uint64_t t = now_ns();
            got += r;
            while (next < ntimes && got >= ends[next]) times[next++] = t;
        }
        free(buf);
        free(ends);
    } else {
        long *sizes = message_sizes(&o);
        long req_max = o.size_max, wwr_total = 0;
        for (int k = 0; k < o.nwrites; k++) wwr_total += o.writes[k];
        if (wwr_total > req_max) req_max = wwr_total;
        char *req = malloc((size_t)req_max), *resp = calloc(1, (size_t)o.response);
        for (long i = 0; i < o.count; i++) {
            long want = o.pattern == P_WRITE_WRITE_READ ? wwr_total : sizes[i];
            recv_all(in_fd, req, want);
            send_all(out_fd, resp, o.response);
        }
        free(req);
        free(resp);
        free(sizes);
    }

    struct tcp_info ti = tcp_info_of(out_fd);
    struct facts f = {
        .magic = FACTS_MAGIC, .nodelay = o.nodelay, .quickack = o.quickack,
        .rcvbuf_after_accept = o.rcvbuf_after_accept, .sndbuf_req = o.sndbuf, .rcvbuf_req = o.rcvbuf,
        .sndbuf_eff = get_int(out_fd, SOL_SOCKET, SO_SNDBUF),
        .rcvbuf_eff = get_int(in_fd, SOL_SOCKET, SO_RCVBUF),
        .data_segs_out = ti.tcpi_data_segs_out, .total_retrans = ti.tcpi_total_retrans,
        .ntimes = ntimes};
    /* The report is not part of the measurement: send it in one go. */
    set_int(out_fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY");
    send_all(out_fd, (const char *)&f, sizeof f);
    if (ntimes) send_all(out_fd, (const char *)times, (long)(sizeof *times * (size_t)ntimes));
    /* Wait for the client to finish reading before closing (no RST on unread data). */
    char c;
    while (recv(out_fd, &c, 1, 0) > 0) {}
    return 0;
}

/* ---------------------------------------------------------------- client */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static double pct(const double *v, long n, double p) {
    long k = (long)((p / 100.0) * (double)n + 0.999999999);
    if (k < 1) k = 1;
    if (k > n) k = n;
    return v[k - 1];
}

static void print_json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
        else putchar(*s);
    }
    putchar('"');
}

/* Numbers rounded to 3 decimals (microseconds when in ms): the table is for comparing, not replaying. */
static void num(const char *key, double v, int comma) {
    printf("\"%s\": %.3f%s", key, v, comma ? ", " : "");
}

static int run_client(void) {
    double handshake_ms = 0, unused;
    int out_fd = connect_to_server(&handshake_ms), in_fd = out_fd;
    if (o.pattern == P_TWO_CHANNEL) in_fd = connect_to_server(&unused);
    rearm_quickack = o.quickack;
    int mss = get_int(out_fd, IPPROTO_TCP, TCP_MAXSEG);

    long n = o.pattern == P_BULK ? (long)((o.total + o.write_bytes - 1) / o.write_bytes) : o.count;
    uint64_t *t_send = malloc(sizeof(uint64_t) * (size_t)n), *t_done = malloc(sizeof(uint64_t) * (size_t)n);
    long buf_size = o.write_bytes > o.size_max ? o.write_bytes : o.size_max;
    for (int k = 0; k < o.nwrites; k++) if (o.writes[k] > buf_size) buf_size = o.writes[k];
    if (o.response > buf_size) buf_size = o.response;
    char *buf = malloc((size_t)buf_size);
    memset(buf, 'x', (size_t)buf_size);

    if (o.pattern == P_RECORDS || o.pattern == P_BULK) {
        long *sizes = o.pattern == P_RECORDS ? message_sizes(&o) : NULL;
        long long left = o.total;
        for (long i = 0; i < n; i++) {
            long len = sizes ? sizes[i] : (long)(left < o.write_bytes ? left : o.write_bytes);
            t_send[i] = now_ns();
            send_all(out_fd, buf, len); /* one blocking send per record, as the application does */
            left -= len;
        }
        free(sizes);
    } else {
        long *sizes = message_sizes(&o);
        for (long i = 0; i < n; i++) {
            t_send[i] = now_ns();
            if (o.pattern == P_WRITE_WRITE_READ)
                for (int k = 0; k < o.nwrites; k++) send_all(out_fd, buf, o.writes[k]);
            else
                send_all(out_fd, buf, sizes[i]);
            recv_all(in_fd, buf, o.response);
            t_done[i] = now_ns();
        }
        free(sizes);
    }

    struct tcp_info ti = tcp_info_of(out_fd);
    int c_sndbuf = get_int(out_fd, SOL_SOCKET, SO_SNDBUF), c_rcvbuf = get_int(in_fd, SOL_SOCKET, SO_RCVBUF);

    struct facts f;
    recv_all(in_fd, (char *)&f, sizeof f);
    if (f.magic != FACTS_MAGIC) { errno = 0; die("bad report from server"); }
    if (f.ntimes) {
        if (f.ntimes != n) { errno = 0; die("server reported %lld timestamps, expected %ld", (long long)f.ntimes, n); }
        recv_all(in_fd, (char *)t_done, (long)(sizeof(uint64_t) * (size_t)n));
    }
    shutdown(in_fd, SHUT_WR);
    if (out_fd != in_fd) shutdown(out_fd, SHUT_WR);

    double *lat = malloc(sizeof(double) * (size_t)n), sum = 0;
    for (long i = 0; i < n; i++) sum += lat[i] = (double)(t_done[i] - t_send[i]) / 1e6;
    double first = lat[0];
    qsort(lat, (size_t)n, sizeof *lat, cmp_double);
    uint64_t t_last = t_done[0];
    for (long i = 1; i < n; i++) if (t_done[i] > t_last) t_last = t_done[i];
    double total_ms = (double)(t_last - t_send[0]) / 1e6;

    /* One JSON object on one line: a case of results/linux-measured.json. */
    printf("{\"id\": ");
    print_json_string(o.id);
    printf(", \"network\": ");
    print_json_string(o.network);
    printf(", \"description\": ");
    print_json_string(o.description);
    printf(", \"scenario\": {\"profile\": \"linux\", \"link\": {");
    num("rttMs", o.rtt_ms >= 0 ? o.rtt_ms : handshake_ms, 1);
    printf("\"mss\": %d", mss);
    if (o.bandwidth_mbps >= 0) printf(", \"bandwidthMbps\": %g", o.bandwidth_mbps);
    printf("}, \"client\": {\"nodelay\": %s", o.nodelay ? "true" : "false");
    if (o.sndbuf >= 0) printf(", \"sndbuf\": %ld", o.sndbuf);
    if (o.rcvbuf >= 0) printf(", \"rcvbuf\": %ld", o.rcvbuf);
    if (o.quickack) printf(", \"quickack\": true");
    printf("}, \"server\": {\"nodelay\": %s", f.nodelay ? "true" : "false");
    if (f.sndbuf_req >= 0) printf(", \"sndbuf\": %lld", (long long)f.sndbuf_req);
    if (f.rcvbuf_req >= 0) printf(", \"rcvbuf\": %lld", (long long)f.rcvbuf_req);
    if (f.rcvbuf_after_accept) printf(", \"rcvbufAfterAccept\": true");
    printf(", \"quickack\": %s}", f.quickack ? "true" : "false");
    printf(", \"workload\": {\"pattern\": \"%s\"", pattern_names[o.pattern]);
    if (o.pattern != P_BULK) printf(", \"count\": %ld", o.count);
    if (o.pattern == P_RECORDS || o.pattern == P_REQUEST_RESPONSE || o.pattern == P_TWO_CHANNEL) {
        if (o.size_min == o.size_max) printf(", \"sizeBytes\": %ld", o.size_min);
        else printf(", \"sizeBytes\": [%ld, %ld]", o.size_min, o.size_max);
    }
    if (o.pattern == P_RECORDS) printf(", \"batch\": 1");
    if (o.pattern == P_WRITE_WRITE_READ) {
        printf(", \"writes\": [");
        for (int k = 0; k < o.nwrites; k++) printf("%s%ld", k ? ", " : "", o.writes[k]);
        printf("]");
    }
    if (o.pattern != P_RECORDS && o.pattern != P_BULK) printf(", \"responseBytes\": %ld", o.response);
    if ((o.pattern == P_RECORDS || o.pattern == P_BULK) && o.recv_buffer > 0)
        printf(", \"recvBufferBytes\": %ld", o.recv_buffer);
    if (o.pattern == P_BULK) printf(", \"totalBytes\": %lld, \"writeBytes\": %ld", (long long)o.total, o.write_bytes);
    printf("}}, \"measured\": {\"count\": %ld, ", n);
    num("messagesPerSecond", (double)n / (total_ms / 1e3), 1);
    num("totalTimeMs", total_ms, 1);
    if (o.pattern == P_BULK) num("throughputMbps", (double)o.total * 8 / (total_ms / 1e3) / 1e6, 1);
    printf("\"latencyMs\": {");
    num("p50", pct(lat, n, 50), 1);
    num("p90", pct(lat, n, 90), 1);
    num("p99", pct(lat, n, 99), 1);
    num("max", lat[n - 1], 1);
    num("min", lat[0], 1);
    num("mean", sum / (double)n, 1);
    num("first", first, 0);
    printf("}}, \"observed\": {");
    num("handshakeRttMs", handshake_ms, 1);
    printf("\"mss\": %d, \"clientSndbuf\": %d, \"clientRcvbuf\": %d, \"serverSndbuf\": %d, \"serverRcvbuf\": %d, ",
           mss, c_sndbuf, c_rcvbuf, f.sndbuf_eff, f.rcvbuf_eff);
    printf("\"clientDataSegsOut\": %u, \"serverDataSegsOut\": %u, \"clientRetransmits\": %u, \"serverRetransmits\": %u, ",
           ti.tcpi_data_segs_out, f.data_segs_out, ti.tcpi_total_retrans, f.total_retrans);
    num("clientSrttMs", ti.tcpi_rtt / 1e3, 1);
    num("clientMinRttMs", ti.tcpi_min_rtt / 1e3, 0);
    printf("}}\n");
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) usage();
    parse_opts(&o, argc - 2, argv + 2);
    alarm((unsigned)o.timeout_s); /* every run is bounded, whatever happens on the wire */
    if (!strcmp(argv[1], "server")) return run_server();
    if (!strcmp(argv[1], "client")) return run_client();
    usage();
    return 2;
}
