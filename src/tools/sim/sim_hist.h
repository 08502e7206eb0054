/* sim_hist.h - ack latency histogram for fleetwatch-sim, HDR style.
 *
 * Values (microseconds) go into log-linear buckets: exact below 64, then 32 buckets per power
 * of two, so a reported percentile is at most 1/32 (3.1 %) above the true value. Recording is
 * one index computation and an increment: no allocation, fixed size, and histograms of several
 * processes merge by adding their buckets. Values from 2^40 up are clamped into the last bucket.
 */
#ifndef FW_SIM_HIST_H
#define FW_SIM_HIST_H

#include <stddef.h>
#include <stdint.h>

#define SIM_HIST_SUB_BITS 5u  /* 32 sub-buckets per power of two */
#define SIM_HIST_MAX_BITS 40u /* values below 2^40 us (12.7 days) are kept apart */
#define SIM_HIST_BUCKETS  ((SIM_HIST_MAX_BITS - SIM_HIST_SUB_BITS + 1u) << SIM_HIST_SUB_BITS)

typedef struct {
    uint64_t count;  /* values recorded */
    uint64_t min_us; /* smallest value (UINT64_MAX when empty) */
    uint64_t max_us; /* largest value, exact */
    uint64_t sum_us; /* for the mean */
    uint64_t buckets[SIM_HIST_BUCKETS];
} sim_hist;

void sim_hist_reset(sim_hist *h);
void sim_hist_record(sim_hist *h, uint64_t value_us);
/* into += from. */
void sim_hist_merge(sim_hist *into, const sim_hist *from);
/* The value at percentile pct (0 < pct <= 100): the upper bound of the bucket holding the
 * ceil(pct% * count)-th smallest value, never above max_us. 0 when empty. */
uint64_t sim_hist_percentile(const sim_hist *h, double pct);

/* Bucket arithmetic, exposed for the tests. */
size_t sim_hist_bucket_of(uint64_t value_us);
uint64_t sim_hist_bucket_low(size_t bucket);
uint64_t sim_hist_bucket_high(size_t bucket);

#endif
