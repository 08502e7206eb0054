/* sink.h - where the gateway hands positions, and how it learns they are stored.
 *
 * Every location the gateway accepts (0x0200, 0x0201, each entry of 0x0704) is submitted to a
 * sink. The sink stores it asynchronously and calls the done callback when it is stored (or has
 * failed); the gateway sends the frame's 0x8001 only when every location of the frame is done.
 * This fits a pipelined writer (e.g. Redis): submit() serialises the record into its own
 * output buffer and returns at once; the sink sends what one event-loop iteration submitted
 * together, at the end of that iteration (an event it activates) or, while earlier writes are
 * still unanswered, with a later flush; replies arrive later on the same event loop. There is no
 * per-read flush: one write per connection read would cost Redis a command per location when
 * terminals have one frame in flight.
 *
 * One sink instance per gateway worker, created by a factory with that worker's event base;
 * every call on an instance (and every done callback) happens on that worker's thread.
 *
 * Ownership: the record and everything it points to are valid only during submit(); a sink
 * copies what it needs. The cookie is opaque and must be passed back unchanged, exactly once.
 */
#ifndef FW_SINK_H
#define FW_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "fw/codec/jt_frame.h"
#include "fw/base/position.h"
#include "fw/base/registry.h"

struct event_base;

/* One position (interpreted once by the gateway, position.h) and where it came from. */
typedef struct {
    const char *phone;         /* terminal phone, digits */
    const fw_vehicle *vehicle; /* registry entry, NULL when unknown (require_auth off) */
    uint16_t msg_id;           /* 0x0200, 0x0201 or 0x0704 */
    uint16_t serial;           /* the frame's serial */
    uint16_t batch_index;      /* 0-based entry index within a 0x0704, 0 otherwise */
    bool session_first;        /* the connection's first location handed to the sink */
    jt_version version;
    const fw_position *pos; /* the position, with its late (0x0704 type 1: retransmitted after a
                               coverage gap) and future (GNSS time more than
                               future_tolerance_s after received_ms) marks */
    int64_t received_ms;    /* wall clock (UTC epoch ms) when the frame was read */
    unsigned worker;        /* gateway worker index (0-based) */
} fw_location_rec;

/* submit() results */
enum {
    FW_SINK_QUEUED = 0, /* accepted: done will be called exactly once (possibly inside submit) */
    FW_SINK_FULL = -1,  /* not accepted (back-pressure): done will NOT be called; the gateway
                           does not ack the frame, so the terminal retransmits it */
};

/* done() status: 0 stored; anything else failed (the gateway acks with result 1). */
typedef void (*fw_sink_done_fn)(void *cookie, int status);

typedef struct fw_sink fw_sink;
typedef struct {
    const char *name;
    int (*submit)(fw_sink *s, const fw_location_rec *rec, fw_sink_done_fn done, void *cookie);
    /* Release the instance; records still in flight are completed with a failure status. */
    void (*close)(fw_sink *s);
} fw_sink_ops;

struct fw_sink {
    const fw_sink_ops *ops; /* implementations embed this struct first */
};

/* Creates the sink of one worker; NULL on failure (the gateway then refuses to start). */
typedef fw_sink *(*fw_sink_factory)(void *ctx, struct event_base *base, unsigned worker);

/* The null sink: stores nothing, completes every record inside submit() with status 0. */
fw_sink *fw_null_sink_new(void *ctx, struct event_base *base, unsigned worker);

#endif
