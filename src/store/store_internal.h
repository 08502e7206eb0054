/* store_internal.h - the fw_store object shared by the store's modules: the configuration and
 * the writer of each worker (created by the worker's sink, removed when it closes).
 */
#ifndef FW_STORE_INTERNAL_H
#define FW_STORE_INTERNAL_H

#include "fw/store/store.h"
#include "writer.h"

struct fw_store {
    fw_store_config cfg;
    unsigned workers;
    fw_writer **writers;   /* [workers], NULL while a worker has no sink */
    fw_store_stats closed; /* counters of writers already freed */
};

/* Worker's writer, NULL when out of range or not open. */
fw_writer *fw_store_writer(fw_store *st, unsigned worker);

#endif
