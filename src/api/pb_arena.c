/* pb_arena.c - the protobuf decoding arena (pb_arena.h). */
#include <stdlib.h>

#include "pb_arena.h"

static void *arena_alloc(void *data, size_t size)
{
    api_pb_arena *a = data;
    size_t at = (a->used + 15) & ~(size_t)15;
    if (size > sizeof a->buf - at)
        return malloc(size);
    a->used = at + size;
    return a->buf + at;
}

static void arena_free(void *data, void *p)
{
    api_pb_arena *a = data;
    if ((uint8_t *)p < a->buf || (uint8_t *)p >= a->buf + sizeof a->buf)
        free(p);
}

void api_pb_arena_init(api_pb_arena *a)
{
    a->alloc.alloc = arena_alloc;
    a->alloc.free = arena_free;
    a->alloc.allocator_data = a;
    a->used = 0;
}

void api_pb_arena_reset(api_pb_arena *a)
{
    a->used = 0;
}
