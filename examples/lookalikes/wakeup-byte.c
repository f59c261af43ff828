/*
 * Event-loop wake-up: another thread writes one byte into a socketpair to wake
 * the loop out of poll(); the loop drains the byte and ignores its value.
 *
 * Looks like partial-send-ignored and recv-message-boundary (results ignored,
 * one recv), but a 1-byte send is all-or-nothing and the byte carries no
 * message: losing a wake-up when the pair is already full is harmless because
 * the loop is already due to wake. Nothing to report.
 *
 * Build: cc -Wall -pthread -o wakeup wakeup-byte.c
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

struct loop {
    int wake[2];          /* [0] polled by the loop, [1] written by other threads */
    volatile int stop;
};

static void loop_wakeup(struct loop *lp)
{
    char b = 0;
    (void)send(lp->wake[1], &b, 1, MSG_DONTWAIT);
}

static void *worker(void *arg)
{
    struct loop *lp = arg;
    sleep(1);
    lp->stop = 1;
    loop_wakeup(lp);
    return NULL;
}

int main(void)
{
    struct loop lp = { { -1, -1 }, 0 };
    struct pollfd pfd;
    pthread_t t;
    char drain;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, lp.wake) < 0)
        return 1;
    fcntl(lp.wake[0], F_SETFL, O_NONBLOCK);
    pthread_create(&t, NULL, worker, &lp);

    pfd.fd = lp.wake[0];
    pfd.events = POLLIN;
    while (!lp.stop) {
        if (poll(&pfd, 1, 5000) > 0)
            (void)recv(lp.wake[0], &drain, sizeof(drain), 0);
    }
    pthread_join(t, NULL);
    close(lp.wake[0]);
    close(lp.wake[1]);
    puts("stopped");
    return 0;
}
