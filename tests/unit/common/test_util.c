/* test_util.c - see test_util.h. */
#include "test_util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

long tu_hex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (const char *s = hex; *s; s++) {
        if (isspace((unsigned char)*s))
            continue;
        int v = hexval((unsigned char)*s);
        if (v < 0)
            return -1;
        if (hi < 0) {
            hi = v;
            continue;
        }
        if (n >= cap)
            return -1;
        out[n++] = (uint8_t)(hi << 4 | v);
        hi = -1;
    }
    return hi < 0 ? (long)n : -1;
}

static void copy_field(char *dst, size_t cap, const char *src, size_t len)
{
    if (len >= cap)
        len = cap - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static int parse_line(char *line, tu_corpus_row *row)
{
    char *fields[7];
    size_t lens[7];
    char *p = line;
    for (int i = 0; i < 7; i++) {
        fields[i] = p;
        char *tab = strchr(p, i < 6 ? '\t' : '\n');
        if (!tab)
            tab = p + strlen(p);
        lens[i] = (size_t)(tab - p);
        if (i < 6 && *tab != '\t')
            return -1;
        p = tab + 1;
    }
    copy_field(row->source_repo, sizeof row->source_repo, fields[0], lens[0]);
    copy_field(row->source_path, sizeof row->source_path, fields[1], lens[1]);
    copy_field(row->msg_id, sizeof row->msg_id, fields[2], lens[2]);
    copy_field(row->version, sizeof row->version, fields[3], lens[3]);
    copy_field(row->hex, sizeof row->hex, fields[4], lens[4]);
    copy_field(row->expected, sizeof row->expected, fields[5], lens[5]);
    copy_field(row->notes, sizeof row->notes, fields[6], lens[6]);
    return 0;
}

/* Calls visit(row, ctx) for each data row until it returns non-zero; returns that value. */
static int each_row(int (*visit)(const tu_corpus_row *, void *), void *ctx)
{
    FILE *f = fopen(FW_TEST_DATA_DIR "/jt808_corpus.tsv", "r");
    if (!f)
        return -1;
    static char line[16384];
    tu_corpus_row *row = malloc(sizeof *row);
    int rc = 0, lineno = 0;
    while (row && rc == 0 && fgets(line, sizeof line, f)) {
        if (lineno++ == 0)
            continue; /* header */
        if (parse_line(line, row) == 0)
            rc = visit(row, ctx);
    }
    free(row);
    fclose(f);
    return rc;
}

static int count_visit(const tu_corpus_row *row, void *ctx)
{
    (void)row;
    (*(int *)ctx)++;
    return 0;
}

int tu_corpus_count(void)
{
    int n = 0;
    each_row(count_visit, &n);
    return n;
}

typedef struct {
    const char *path_part;
    const char *msg_id;
    int skip;
    int index;
    tu_corpus_row *out;
} find_ctx;

static int find_visit(const tu_corpus_row *row, void *vctx)
{
    find_ctx *c = vctx;
    bool match;
    if (c->path_part == NULL) {
        match = c->index-- == 0;
    } else {
        match = strstr(row->source_path, c->path_part) &&
                (!c->msg_id || strcmp(row->msg_id, c->msg_id) == 0) && c->skip-- == 0;
    }
    if (!match)
        return 0;
    *c->out = *row;
    return 1;
}

int tu_corpus_row_at(int i, tu_corpus_row *row)
{
    find_ctx c = {NULL, NULL, 0, i, row};
    return each_row(find_visit, &c) == 1 ? 0 : -1;
}

int tu_corpus_find(const char *path_part, const char *msg_id, int n, tu_corpus_row *row)
{
    find_ctx c = {path_part, msg_id, n, 0, row};
    return each_row(find_visit, &c) == 1 ? 0 : -1;
}

long tu_corpus_frame(const tu_corpus_row *row, uint8_t *out, size_t cap)
{
    return tu_hex(row->hex, out, cap);
}

int tu_corpus_parse_row(const tu_corpus_row *row, uint8_t *buf, size_t cap, jt_frame *f)
{
    long len = tu_corpus_frame(row, buf, cap);
    if (len <= 2)
        return -1;
    return jt_frame_parse(buf + 1, (size_t)len - 2, f); /* without the 0x7e flags */
}

int tu_corpus_parse(const char *path_part, const char *msg_id, int n, uint8_t *buf, size_t cap,
                    jt_frame *f)
{
    tu_corpus_row *row = malloc(sizeof *row);
    int rc = -1;
    if (row && tu_corpus_find(path_part, msg_id, n, row) == 0)
        rc = tu_corpus_parse_row(row, buf, cap, f);
    free(row);
    return rc;
}

bool tu_frame_usable(int parse_result)
{
    return parse_result == JT_OK || parse_result == JT_ERR_CHECKSUM ||
           parse_result == JT_ERR_LENGTH_MISMATCH;
}

uint16_t tu_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    bind(fd, (struct sockaddr *)&a, sizeof a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

size_t tu_capture_stderr(void (*fn)(void), char *buf, size_t cap)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 0;
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    dup2(fds[1], STDERR_FILENO);
    fn();
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(fds[1]);
    size_t n = 0;
    ssize_t k;
    while (n < cap - 1 && (k = read(fds[0], buf + n, cap - 1 - n)) > 0)
        n += (size_t)k;
    close(fds[0]);
    buf[n] = '\0';
    return n;
}

int tu_silence_stdout(void)
{
    int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
    if (saved < 0 || null < 0) {
        if (saved >= 0)
            close(saved);
        if (null >= 0)
            close(null);
        return -1;
    }
    fflush(stdout);
    dup2(null, STDOUT_FILENO);
    close(null);
    return saved;
}

void tu_restore_stdout(int saved)
{
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
}
