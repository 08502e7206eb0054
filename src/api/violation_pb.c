/* violation_pb.c - decoding violation records on the API thread with the API's arena, so
 * that a page of violations costs no allocation for the protobuf part. */
#include "api_internal.h"

Fleetwatch__Violation *api_violation_decode(fw_api *api, const char *pb, size_t len)
{
    api_pb_arena_reset(&api->pb_arena);
    return fleetwatch__violation__unpack(&api->pb_arena.alloc, len, (const uint8_t *)pb);
}

void api_violation_release(fw_api *api, Fleetwatch__Violation *v)
{
    if (v)
        fleetwatch__violation__free_unpacked(v, &api->pb_arena.alloc);
    api_pb_arena_reset(&api->pb_arena);
}
