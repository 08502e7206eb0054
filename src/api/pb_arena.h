/* pb_arena.h - a bump allocator for decoding one protobuf record at a time on the API
 * thread: unpack with its allocator, render, free_unpacked (a no-op inside the arena), reset.
 * A record larger than the arena falls back to malloc/free transparently.
 */
#ifndef FW_API_PB_ARENA_H
#define FW_API_PB_ARENA_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#define API_PB_ARENA_BYTES (64 * 1024)

typedef struct {
    ProtobufCAllocator alloc; /* pass &arena->alloc to *_unpack / *_free_unpacked */
    size_t used;
    _Alignas(16) uint8_t buf[API_PB_ARENA_BYTES];
} api_pb_arena;

void api_pb_arena_init(api_pb_arena *a);
/* Forget everything allocated (after free_unpacked of the record). */
void api_pb_arena_reset(api_pb_arena *a);

#endif
