/* counter.c - the histogram's bucket search and summing (counter.h); counters and gauges are
 * inline in the header. */
#include "fw/base/counter.h"

void fw_histogram_observe(fw_histogram *h, const uint64_t *bounds, unsigned nbounds, uint64_t v)
{
    unsigned b = 0;
    while (b < nbounds && v > bounds[b])
        b++;
    fw_counter_add(&h->bucket[b], 1);
    fw_counter_add(&h->sum, v);
}

void fw_histogram_sum_into(const fw_histogram *h, unsigned nbounds, uint64_t *buckets,
                           uint64_t *sum)
{
    for (unsigned b = 0; b <= nbounds; b++)
        buckets[b] += fw_counter_get(&h->bucket[b]);
    *sum += fw_counter_get(&h->sum);
}
