/* log_syslog.c - the logger's syslog/journald output: each line one RFC 3164 datagram
 * "<PRI>Mmm dd hh:mm:ss ident[pid]: text" on a unix datagram socket (log.h, fw_log_start).
 *
 * Why not syslog(3): glibc's syslog always writes to /dev/log (a test cannot read it, and an
 * operator cannot point it at another daemon's socket) and may block on a full socket. Here
 * the socket path is an option (log_syslog_socket), every send is MSG_DONTWAIT: a full socket
 * drops the line and counts it, and the next line that gets through is followed by a warning
 * with the count. When the reader has gone (journald or rsyslog restarted: ECONNREFUSED,
 * ENOTCONN), the same descriptor is connected to the path again - never closed while other
 * threads may send on it - and a line that still cannot be delivered goes to stderr.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log_syslog.h"

_Static_assert(FW_LOG_SOCKET_MAX <= sizeof(((struct sockaddr_un *)0)->sun_path),
               "log_syslog_socket fits sun_path");

static int sock_fd = -1; /* set by fw_log_start before other threads log */
static struct sockaddr_un peer;
static char ident[FW_LOG_IDENT_MAX];
static int facility;
static int pid;
static _Atomic bool on;
static _Atomic unsigned long long dropped;    /* since fw_log_start */
static _Atomic unsigned long long unreported; /* dropped since the last warning about it */

/* RFC 5424 severities of error, warn, info, debug. */
static const int severities[] = {3, 4, 6, 7};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool log_syslog_on(void)
{
    return atomic_load_explicit(&on, memory_order_acquire);
}

unsigned long long fw_log_syslog_dropped(void)
{
    return atomic_load(&dropped);
}

/* 0 sent, 1 the socket is full, -1 not connected or no reader. */
static int send_dgram(const char *buf, size_t n)
{
    if (send(sock_fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL) >= 0)
        return 0;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ? 1 : -1;
}

static int send_or_reconnect(const char *buf, size_t n)
{
    int rc = send_dgram(buf, n);
    if (rc < 0 && connect(sock_fd, (const struct sockaddr *)&peer, sizeof peer) == 0)
        rc = send_dgram(buf, n);
    return rc;
}

/* One datagram: header, then text; returns its length (truncated to cap). */
static size_t build(char *buf, size_t cap, fw_log_level level, const char *text, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    int k =
        snprintf(buf, cap, "<%d>%s %2d %02d:%02d:%02d %s[%d]: ", facility * 8 + severities[level],
                 months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ident, pid);
    size_t n = k < 0 ? 0 : (size_t)k < cap ? (size_t)k : cap - 1;
    if (len > cap - n)
        len = cap - n;
    memcpy(buf + n, text, len);
    return n + len;
}

static void report_drops(void)
{
    unsigned long long n = atomic_exchange(&unreported, 0);
    if (!n)
        return;
    char text[128], buf[256];
    int k = snprintf(text, sizeof text, "log: %llu line(s) dropped: the syslog socket was full", n);
    size_t len = build(buf, sizeof buf, FW_LOG_WARN, text, (size_t)k);
    if (send_dgram(buf, len) != 0)
        atomic_fetch_add(&unreported, n); /* told with the next line that gets through */
}

int log_syslog_send(fw_log_level level, const char *text, size_t len)
{
    char buf[1280];
    size_t n = build(buf, sizeof buf, level, text, len);
    int rc = send_or_reconnect(buf, n);
    if (rc > 0) {
        atomic_fetch_add(&dropped, 1);
        atomic_fetch_add(&unreported, 1);
        return 0;
    }
    if (rc == 0)
        report_drops();
    return rc;
}

int fw_log_start(const fw_log_config *o, char *err, size_t errcap)
{
    fw_log_set_level(o->level);
    if (o->target != FW_LOG_TO_SYSLOG)
        return 0;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(err, errcap, "log_syslog_socket: socket: %s", strerror(errno));
        return -1;
    }
    memset(&peer, 0, sizeof peer);
    peer.sun_family = AF_UNIX;
    strcpy(peer.sun_path, o->syslog_socket);
    if (connect(fd, (const struct sockaddr *)&peer, sizeof peer) < 0) {
        snprintf(err, errcap, "log_syslog_socket %s: %s", o->syslog_socket, strerror(errno));
        close(fd);
        return -1;
    }
    snprintf(ident, sizeof ident, "%s", o->ident);
    facility = o->facility;
    pid = (int)getpid();
    sock_fd = fd;
    atomic_store(&dropped, 0);
    atomic_store(&unreported, 0);
    atomic_store_explicit(&on, true, memory_order_release);
    return 0;
}

void fw_log_close(void)
{
    if (!atomic_exchange(&on, false))
        return;
    close(sock_fd);
    sock_fd = -1;
}
