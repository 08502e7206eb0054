/* sim_hist.c - log-linear latency histogram (see sim_hist.h for the bucket layout). */
#include "sim_hist.h"

#include <math.h>
#include <string.h>

#define SUB_COUNT   (1u << SIM_HIST_SUB_BITS)
#define LINEAR_TOP  (2u * SUB_COUNT) /* values below this have a bucket of their own */
#define VALUE_LIMIT ((uint64_t)1 << SIM_HIST_MAX_BITS)

void sim_hist_reset(sim_hist *h)
{
    memset(h, 0, sizeof *h);
    h->min_us = UINT64_MAX;
}

size_t sim_hist_bucket_of(uint64_t value_us)
{
    if (value_us >= VALUE_LIMIT)
        value_us = VALUE_LIMIT - 1;
    if (value_us < LINEAR_TOP)
        return (size_t)value_us;
    unsigned msb = 63u - (unsigned)__builtin_clzll(value_us);
    unsigned shift = msb - SIM_HIST_SUB_BITS;
    size_t sub = (size_t)(value_us >> shift) & (SUB_COUNT - 1u);
    return ((size_t)(msb - SIM_HIST_SUB_BITS + 1u) << SIM_HIST_SUB_BITS) + sub;
}

uint64_t sim_hist_bucket_low(size_t bucket)
{
    if (bucket < LINEAR_TOP)
        return bucket;
    unsigned shift = (unsigned)(bucket >> SIM_HIST_SUB_BITS) - 1u;
    uint64_t sub = bucket & (SUB_COUNT - 1u);
    return (SUB_COUNT + sub) << shift;
}

uint64_t sim_hist_bucket_high(size_t bucket)
{
    if (bucket < LINEAR_TOP)
        return bucket;
    unsigned shift = (unsigned)(bucket >> SIM_HIST_SUB_BITS) - 1u;
    return sim_hist_bucket_low(bucket) + ((uint64_t)1 << shift) - 1u;
}

void sim_hist_record(sim_hist *h, uint64_t value_us)
{
    h->buckets[sim_hist_bucket_of(value_us)]++;
    h->count++;
    h->sum_us += value_us;
    if (value_us < h->min_us)
        h->min_us = value_us;
    if (value_us > h->max_us)
        h->max_us = value_us;
}

void sim_hist_merge(sim_hist *into, const sim_hist *from)
{
    for (size_t i = 0; i < SIM_HIST_BUCKETS; i++)
        into->buckets[i] += from->buckets[i];
    into->count += from->count;
    into->sum_us += from->sum_us;
    if (from->min_us < into->min_us)
        into->min_us = from->min_us;
    if (from->max_us > into->max_us)
        into->max_us = from->max_us;
}

uint64_t sim_hist_percentile(const sim_hist *h, double pct)
{
    if (h->count == 0)
        return 0;
    double wanted = ceil(pct / 100.0 * (double)h->count);
    uint64_t rank = wanted < 1.0 ? 1u : (uint64_t)wanted;
    uint64_t seen = 0;
    for (size_t i = 0; i < SIM_HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= rank) {
            uint64_t high = sim_hist_bucket_high(i);
            return high < h->max_us ? high : h->max_us;
        }
    }
    return h->max_us;
}
