/* sim_acklog.c - the buffered ack log of acked positions (sim_acklog.h). */
#include "sim_acklog.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#define LINE_MAX_BYTES 48 /* 20 phone digits, a space, 20 digits of milliseconds, newline */

int sim_acklog_create(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    return fd < 0 ? -1 : close(fd);
}

int sim_acklog_open(sim_acklog *l, const char *path)
{
    l->len = 0;
    l->lines = 0;
    l->fd = path ? open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : -1;
    return path && l->fd < 0 ? -1 : 0;
}

uint32_t sim_acklog_flush(sim_acklog *l)
{
    size_t done = 0;
    while (l->fd >= 0 && done < l->len) {
        ssize_t w = write(l->fd, l->buf + done, l->len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    uint32_t lost = done == l->len ? 0 : l->lines;
    l->len = 0;
    l->lines = 0;
    return lost;
}

uint32_t sim_acklog_add(sim_acklog *l, const char *phone, uint32_t gnss_s, uint32_t step_s,
                        uint32_t points)
{
    if (l->fd < 0)
        return 0;
    while (phone[0] == '0' && phone[1])
        phone++;
    uint32_t lost = 0;
    for (uint32_t i = 0; i < points; i++) {
        if (sizeof l->buf - l->len < LINE_MAX_BYTES)
            lost += sim_acklog_flush(l);
        uint64_t gnss_ms = ((uint64_t)gnss_s + (uint64_t)i * step_s) * 1000u;
        l->len += (size_t)snprintf(l->buf + l->len, sizeof l->buf - l->len, "%s %" PRIu64 "\n",
                                   phone, gnss_ms);
        l->lines++;
    }
    return lost;
}

uint32_t sim_acklog_close(sim_acklog *l)
{
    uint32_t lost = sim_acklog_flush(l);
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
    return lost;
}
