/* redis_fixture.h - a private redis-server for the unit tests (header-only, static).
 *
 * rf_start() starts redis-server from PATH on a free loopback port with its own temporary
 * directory (AOF on, so that rf_stop() + rf_restart() keep the data, like a real restart);
 * rf_stop() stops it with SIGTERM and waits; rf_cmd() runs one synchronous command. Tests that
 * stop and start Redis always use their own instance (never FW_REDIS_PORT).
 */
#ifndef FW_REDIS_FIXTURE_H
#define FW_REDIS_FIXTURE_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

typedef struct {
    char dir[128];
    unsigned port;
    pid_t pid;
    char password[32]; /* requirepass, empty = none */
} rf_redis;

static inline unsigned rf_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    close(fd);
    return ntohs(a.sin_port);
}

static inline void rf_sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static redisContext *rf_connect(const rf_redis *r)
{
    struct timeval tv = {2, 0};
    redisContext *c = redisConnectWithTimeout("127.0.0.1", (int)r->port, tv);
    if (!c || c->err) {
        if (c)
            redisFree(c);
        return NULL;
    }
    if (r->password[0]) {
        redisReply *rep = redisCommand(c, "AUTH %s", r->password);
        freeReplyObject(rep);
    }
    return c;
}

static inline int rf_spawn(rf_redis *r)
{
    char port[16];
    snprintf(port, sizeof port, "%u", r->port);
    r->pid = fork();
    if (r->pid < 0)
        return -1;
    if (r->pid == 0) {
        char log[160];
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, STDOUT_FILENO); /* never hold the test's output pipes open */
        dup2(devnull, STDERR_FILENO);
        snprintf(log, sizeof log, "%s/redis.log", r->dir);
        const char *pw = r->password[0] ? r->password : "";
        execlp("redis-server", "redis-server", "--bind", "127.0.0.1", "--port", port, "--dir",
               r->dir, "--save", "", "--appendonly", "yes", "--appendfsync", "no", "--daemonize",
               "no", "--logfile", log, "--requirepass", pw, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 100; i++) {
        redisContext *c = rf_connect(r);
        if (c) {
            redisReply *rep = redisCommand(c, "PING");
            int ok = rep && rep->type == REDIS_REPLY_STATUS;
            freeReplyObject(rep);
            redisFree(c);
            if (ok)
                return 0;
        }
        rf_sleep_ms(50);
    }
    return -1;
}

/* Start a fresh instance; 0 or -1. */
static inline int rf_start(rf_redis *r, const char *password)
{
    memset(r, 0, sizeof *r);
    snprintf(r->password, sizeof r->password, "%s", password ? password : "");
    snprintf(r->dir, sizeof r->dir, "/tmp/fw-store-test.XXXXXX");
    if (!mkdtemp(r->dir))
        return -1;
    for (int attempt = 0; attempt < 5; attempt++) {
        r->port = rf_free_port();
        if (r->port && rf_spawn(r) == 0)
            return 0;
        if (r->pid > 0) {
            kill(r->pid, SIGKILL);
            waitpid(r->pid, NULL, 0);
        }
    }
    return -1;
}

/* Stop (SIGTERM: the AOF is flushed) and wait. */
static inline void rf_stop(rf_redis *r)
{
    if (r->pid > 0) {
        kill(r->pid, SIGTERM);
        waitpid(r->pid, NULL, 0);
    }
    r->pid = 0;
}

/* Start again on the same port and directory; 0 or -1. */
static inline int rf_restart(rf_redis *r)
{
    return rf_spawn(r);
}

/* Stop and remove the directory. */
static inline void rf_destroy(rf_redis *r)
{
    char cmd[200];
    rf_stop(r);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", r->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", r->dir);
}

/* One command (redisCommand format); the reply, to be freed with freeReplyObject. */
static redisReply *rf_cmd(const rf_redis *r, const char *fmt, ...)
{
    redisContext *c = rf_connect(r);
    if (!c)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    redisReply *rep = redisvCommand(c, fmt, ap);
    va_end(ap);
    redisFree(c);
    return rep;
}

/* Integer reply of a command, -1 on anything else. */
static inline long long rf_int(const rf_redis *r, const char *fmt, ...)
{
    redisContext *c = rf_connect(r);
    if (!c)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    redisReply *rep = redisvCommand(c, fmt, ap);
    va_end(ap);
    redisFree(c);
    long long v = rep && rep->type == REDIS_REPLY_INTEGER ? rep->integer : -1;
    freeReplyObject(rep);
    return v;
}

#endif
