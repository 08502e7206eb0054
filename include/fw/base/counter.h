/* counter.h - counters, gauges and fixed-bucket histograms that one thread writes and any
 * thread reads, without locks.
 *
 * Each value has a single writer (a worker thread owns its block of counters); updates are
 * relaxed atomic load+store pairs (plain moves on x86, no locked read-modify-write), so the
 * hot path pays nothing and a reader on another thread (/metrics) sees a value without a data
 * race. Two writers on one value would lose updates: give each thread its own and sum them.
 * Rendering lives in prom.h.
 */
#ifndef FW_BASE_COUNTER_H
#define FW_BASE_COUNTER_H

#include <stdatomic.h>
#include <stdint.h>

/* A monotonic count. Zero-initialised storage is a valid counter at 0. */
typedef struct {
    _Atomic uint64_t v;
} fw_counter;

/* A value that goes up and down (a size, a 0/1 state), set by its single writer. */
typedef struct {
    _Atomic uint64_t v;
} fw_gauge;

/* Single-writer increment: relaxed load + store, no read-modify-write lock. */
static inline void fw_counter_add(fw_counter *c, uint64_t n)
{
    atomic_store_explicit(&c->v, atomic_load_explicit(&c->v, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

static inline uint64_t fw_counter_get(const fw_counter *c)
{
    return atomic_load_explicit(&c->v, memory_order_relaxed);
}

static inline void fw_gauge_set(fw_gauge *g, uint64_t v)
{
    atomic_store_explicit(&g->v, v, memory_order_relaxed);
}

static inline uint64_t fw_gauge_get(const fw_gauge *g)
{
    return atomic_load_explicit(&g->v, memory_order_relaxed);
}

/* Most upper bounds a histogram may have (it has one bucket more: +Inf). */
#define FW_HISTOGRAM_BOUNDS_MAX 15

/* Observations counted per bucket (not cumulative) plus their sum, in the unit of the bounds
 * the writer passes to fw_histogram_observe (microseconds, metres, ...). */
typedef struct {
    fw_counter bucket[FW_HISTOGRAM_BOUNDS_MAX + 1]; /* [i]: v <= bounds[i]; [nbounds]: +Inf */
    fw_counter sum;
} fw_histogram;

/* Count v in the first bucket whose upper bound (inclusive) is >= v, or in the +Inf bucket
 * [nbounds]. bounds ascend; nbounds <= FW_HISTOGRAM_BOUNDS_MAX. Single writer, like a counter;
 * inline, as it runs per event on the hot path. */
static inline void fw_histogram_observe(fw_histogram *h, const uint64_t *bounds, unsigned nbounds,
                                        uint64_t v)
{
    unsigned b = 0;
    while (b < nbounds && v > bounds[b])
        b++;
    fw_counter_add(&h->bucket[b], 1);
    fw_counter_add(&h->sum, v);
}

/* Add the histogram's nbounds + 1 buckets into buckets[] and its sum into *sum (to sum the
 * blocks of several writers into plain numbers). */
void fw_histogram_sum_into(const fw_histogram *h, unsigned nbounds, uint64_t *buckets,
                           uint64_t *sum);

#endif
