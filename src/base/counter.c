/* counter.c - summing histograms (counter.h); counters, gauges and observing are inline in the
 * header. */
#include "fw/base/counter.h"

void fw_histogram_sum_into(const fw_histogram *h, unsigned nbounds, uint64_t *buckets,
                           uint64_t *sum)
{
    for (unsigned b = 0; b <= nbounds; b++)
        buckets[b] += fw_counter_get(&h->bucket[b]);
    *sum += fw_counter_get(&h->sum);
}
