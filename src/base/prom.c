/* prom.c - the Prometheus text writer (prom.h): bounded output with snprintf semantics. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "fw/base/prom.h"

static const char *const type_names[] = {"counter", "gauge", "histogram"};

void fw_prom_init(fw_prom *p, char *out, size_t cap)
{
    *p = (fw_prom){out, cap, 0};
    if (cap)
        out[0] = '\0';
}

size_t fw_prom_len(const fw_prom *p)
{
    return p->len;
}

/* Where the next byte goes and how much room is left for it and the NUL. */
static char *cursor(const fw_prom *p, size_t *room)
{
    size_t at = p->len < p->cap ? p->len : p->cap;
    *room = p->cap - at;
    return p->out ? p->out + at : NULL;
}

__attribute__((format(printf, 2, 3))) static void put(fw_prom *p, const char *fmt, ...)
{
    size_t room;
    char *at = cursor(p, &room);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(at, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        p->len += (size_t)n;
}

static void put_char(fw_prom *p, char c)
{
    size_t room;
    char *at = cursor(p, &room);
    if (room > 1) {
        at[0] = c;
        at[1] = '\0';
    }
    p->len++;
}

/* Text with backslash and newline escaped, and '"' too inside a label value. */
static void put_escaped(fw_prom *p, const char *s, bool label)
{
    for (; *s; s++) {
        if (*s == '\\' || (label && *s == '"'))
            put_char(p, '\\');
        if (*s == '\n') {
            put_char(p, '\\');
            put_char(p, 'n');
        } else {
            put_char(p, *s);
        }
    }
}

void fw_prom_family(fw_prom *p, const char *name, fw_prom_type type, const char *help)
{
    if (help) {
        put(p, "# HELP %s ", name);
        put_escaped(p, help, false);
        put_char(p, '\n');
    }
    put(p, "# TYPE %s %s\n", name, type_names[type]);
}

/* name{a="x",b="y"}: the pairs of ap until a NULL name. */
static void put_series(fw_prom *p, const char *name, va_list ap)
{
    put(p, "%s", name);
    const char *label = va_arg(ap, const char *);
    for (char sep = '{'; label; sep = ',') {
        put(p, "%c%s=\"", sep, label);
        put_escaped(p, va_arg(ap, const char *), true);
        put_char(p, '"');
        label = va_arg(ap, const char *);
        if (!label)
            put_char(p, '}');
    }
}

void fw_prom_sample(fw_prom *p, const char *name, uint64_t v, ...)
{
    va_list ap;
    va_start(ap, v);
    put_series(p, name, ap);
    va_end(ap);
    put(p, " %llu\n", (unsigned long long)v);
}

void fw_prom_metric(fw_prom *p, const char *name, fw_prom_type type, const char *help, uint64_t v)
{
    fw_prom_family(p, name, type, help);
    fw_prom_sample(p, name, v, (const char *)NULL);
}

void fw_prom_histogram(fw_prom *p, const char *name, const char *help, const uint64_t *bounds,
                       unsigned nbounds, double per_unit, const uint64_t *buckets, uint64_t sum)
{
    fw_prom_family(p, name, FW_PROM_HISTOGRAM, help);
    uint64_t cumulative = 0;
    for (unsigned b = 0; b <= nbounds; b++) {
        cumulative += buckets[b];
        char le[32] = "+Inf";
        if (b < nbounds)
            snprintf(le, sizeof le, "%g", (double)bounds[b] / per_unit);
        put(p, "%s_bucket{le=\"%s\"} %llu\n", name, le, (unsigned long long)cumulative);
    }
    put(p, "%s_sum %.6f\n", name, (double)sum / per_unit);
    put(p, "%s_count %llu\n", name, (unsigned long long)cumulative);
}

void fw_prom_append(fw_prom *p, fw_prom_render_fn render, void *ctx)
{
    size_t room;
    char *at = cursor(p, &room);
    p->len += render(ctx, at, room);
}
