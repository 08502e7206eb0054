/* resolve.c - which vehicle a path names: digits are a terminal phone, anything else a plate
 * looked up in fw:plate:<plate> (redis_schema.h). */
#include <string.h>

#include "api_internal.h"
#include "fw/base/redis_schema.h"

static void on_phone(api_req *r, const redisReply *rep, size_t tag)
{
    (void)tag;
    if (rep->type == REDIS_REPLY_STRING && api_valid_phone(rep->str))
        memcpy(r->phone, rep->str, rep->len + 1);
}

void api_resolve_vehicle(api_req *r, api_step_fn next)
{
    char key[FW_REDIS_KEY_MAX];
    r->phone[0] = '\0';
    if (api_valid_phone(r->arg)) {
        strcpy(r->phone, r->arg);
        next(r);
        return;
    }
    if (!api_valid_plate(r->arg) || fw_redis_key(key, sizeof key, FW_KEY_PLATE, r->arg, NULL) < 0) {
        api_reply_error(r, 400, "expected a plate (UTF-8, at most 32 bytes) or a phone (digits)",
                        "vehicle");
        return;
    }
    api_cmd(r, on_phone, 0, "GET %s", key);
    api_then(r, next);
}
