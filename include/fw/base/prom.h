/* prom.h - the one writer of the Prometheus text exposition format (version 0.0.4) that every
 * part's /metrics section goes through.
 *
 * The caller owns the buffer. Writing follows snprintf: at most cap bytes are stored, always
 * NUL-terminated when cap > 0, and the length the whole text needs keeps counting past the
 * end, so a caller renders once, and again into a buffer of fw_prom_len() + 1 bytes when the
 * first was too small. Names are passed whole ("fleetwatch_store_stored_total"); HELP text and
 * label values are escaped as the format requires (backslash, newline, and '"' in labels).
 */
#ifndef FW_BASE_PROM_H
#define FW_BASE_PROM_H

#include <stddef.h>
#include <stdint.h>

typedef enum { FW_PROM_COUNTER, FW_PROM_GAUGE, FW_PROM_HISTOGRAM } fw_prom_type;

typedef struct {
    char *out;  /* caller's buffer, may be NULL when cap is 0 */
    size_t cap; /* bytes of out */
    size_t len; /* bytes the text needs so far, excluding the NUL (may exceed cap) */
} fw_prom;

/* A renderer with the same convention: writes at most cap bytes (NUL included) into out and
 * returns the length its full text needs. */
typedef size_t (*fw_prom_render_fn)(void *ctx, char *out, size_t cap);

/* Start writing into out[cap] (empties it when cap > 0). */
void fw_prom_init(fw_prom *p, char *out, size_t cap);

/* Length the text written so far needs, excluding the NUL: >= cap means it was cut. */
size_t fw_prom_len(const fw_prom *p);

/* "# HELP name help" (left out when help is NULL) and "# TYPE name type": once per family,
 * before its samples. */
void fw_prom_family(fw_prom *p, const char *name, fw_prom_type type, const char *help);

/* One sample "name{label="value",...} v": after v come label name, label value pairs, ended
 * by NULL (no pairs: no braces). */
void fw_prom_sample(fw_prom *p, const char *name, uint64_t v, ...) __attribute__((sentinel));

/* A family of one unlabelled sample: fw_prom_family, then fw_prom_sample(name, v). */
void fw_prom_metric(fw_prom *p, const char *name, fw_prom_type type, const char *help, uint64_t v);

/* A histogram family: name_bucket{le=...} (cumulative), name_sum and name_count. buckets[]
 * holds nbounds + 1 per-bucket (not cumulative) counts, the last one +Inf; bounds and sum are
 * in units of 1/per_unit of what is shown (microseconds shown as seconds: per_unit 1e6). */
void fw_prom_histogram(fw_prom *p, const char *name, const char *help, const uint64_t *bounds,
                       unsigned nbounds, double per_unit, const uint64_t *buckets, uint64_t sum);

/* Append the text of another renderer (a hook of the snprintf convention) where p stands. */
void fw_prom_append(fw_prom *p, fw_prom_render_fn render, void *ctx);

#endif
