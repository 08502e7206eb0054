/* store_redis.c - the Redis store (store.h, store_violation.h) as the pipeline's store side
 * (fw_pipeline_store, pipeline.h): each call goes to the fw_store writer of the calling worker.
 */
#include "fw/pipeline/pipeline.h"
#include "fw/store/store_violation.h"

static int redis_violation(void *ctx, unsigned worker, const fw_violation *v)
{
    return fw_store_violation(ctx, worker, v);
}

static int redis_rstate_save(void *ctx, unsigned worker, const char *phone, uint32_t version,
                             const uint8_t *blob, size_t len)
{
    return fw_store_rstate_save(ctx, worker, phone, version, blob, len);
}

static void redis_rstate_load(void *ctx, unsigned worker, const char *phone, fw_store_rstate_cb cb,
                              void *cb_ctx)
{
    fw_store_rstate_load(ctx, worker, phone, cb, cb_ctx);
}

static int redis_vehicle_offline(void *ctx, unsigned worker, const char *phone)
{
    return fw_store_vehicle_offline(ctx, worker, phone);
}

static const fw_pipeline_store_ops redis_ops = {fw_store_sink_new, redis_violation,
                                                redis_rstate_save, redis_rstate_load,
                                                redis_vehicle_offline};

fw_pipeline_store fw_pipeline_store_redis(fw_store *st)
{
    return (fw_pipeline_store){st ? &redis_ops : NULL, st};
}
