/* itest_backlog.c - a terminal that does not read its replies, against the real binary: the
 * gateway queues what the socket refuses, stops reading that terminal while more than
 * output_cap_bytes wait, and resumes when the terminal reads again; every frame is answered,
 * in order, and other terminals are served meanwhile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

#define PHONE  "13912345678"
#define FRAMES 40000 /* 600 KB of frames, 800 KB of replies: more than socket buffers hold */

/* A connection with a small receive buffer, so that unread replies back up quickly. */
static int connect_small(const itest_server *s)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int size = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons(s->port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Write until the gateway takes no more bytes for 300 ms; returns the bytes written. */
static size_t write_until_stalled(int fd, const uint8_t *p, size_t n)
{
    size_t sent = 0;
    for (int stalled = 0; sent < n && stalled < 60;) {
        ssize_t k = write(fd, p + sent, n - sent);
        if (k > 0) {
            sent += (size_t)k;
            stalled = 0;
        } else {
            usleep(5000);
            stalled++;
        }
    }
    return sent;
}

static void unread_replies_pause_and_resume(void **state)
{
    (void)state;
    /* a small kernel send buffer, so that unread replies reach the gateway's own queue */
    /* unauthenticated heartbeats: require_auth off, so that they all get result 0 */
    static const char *const opts[] = {"--workers=1",          "--output_cap_bytes=1024",
                                       "--sndbuf_bytes=4096",  "--max_frame_rate=0",
                                       "--require_auth=false", NULL};
    itest_server s;
    itest_start(&s, opts);
    int slow = connect_small(&s);
    int other = itest_connect(&s);
    uint8_t *burst = malloc(FRAMES * 32);
    size_t n = 0;
    for (unsigned i = 0; i < FRAMES; i++)
        n += itest_frame(burst + n, 32, 2013, 0x0002, PHONE, (uint16_t)i, "", 0, 0);
    fcntl(slow, F_SETFL, O_NONBLOCK);
    size_t sent = write_until_stalled(slow, burst, n);
    itest_send_msg(other, 2013, 0x0002, PHONE, 7, ""); /* others are served meanwhile */
    itest_expect_ack(other, PHONE, 0, 7, 0x0002, 0);
    for (unsigned i = 0; i < FRAMES; i++) { /* reading resumes it: every frame, in order */
        ssize_t k = sent < n ? write(slow, burst + sent, n - sent) : 0;
        sent += k > 0 ? (size_t)k : 0;
        itest_expect_ack(slow, PHONE, (uint16_t)i, (uint16_t)i, 0x0002, 0);
    }
    assert_int_equal(sent, n);
    itest_expect_silence(slow, 200);
    free(burst);
    close(slow);
    close(other);
    assert_int_equal(itest_stop(&s), 0);
}

int main(int argc, char **argv)
{
    itest_binary = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unread_replies_pause_and_resume),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
