/* rules_worker.h - the rule engine on one gateway worker: its vehicles' states, their saved
 * copies in Redis, blind-area late lanes, violation events to the store and driver warnings.
 *
 * One rules_worker per gateway worker, used only on that worker's thread (created before the
 * thread starts). A point goes through rules_worker_point() from the gateway's location hook;
 * a 1-second timer on the worker's loop closes idle late lanes, publishes a geodata reload to
 * the engine and saves changed states (each entry visited once per rules_save_s, spread over
 * the ticks). Nothing is allocated per point.
 */
#ifndef FW_PIPELINE_RULES_WORKER_H
#define FW_PIPELINE_RULES_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "fw/base/counter.h"
#include "fw/pipeline/pipeline.h"
#include "fw/rules/rules.h"
#include "fw/server/server.h"
#include "geodata.h"

struct event_base;

/* What every worker shares: read-only once the workers run (srv is set before they start). */
typedef struct {
    fw_rules_config cfg;
    const fw_pipeline_config *opt;
    geo_source *geo;         /* NULL: no zones or routes */
    fw_pipeline_store store; /* ops NULL: no store (states start fresh, events only logged) */
    fw_server *srv;          /* for driver warnings; NULL: none sent */
} rules_shared;

/* Counters of one worker (written by it, read by the metrics renderer on any thread).
 * X(field, metric name, help) */
#define RULES_COUNTER_LIST(X)                                                                      \
    X(points, "rules_points_total", "points evaluated (live and late lanes)")                      \
    X(out_of_order, "rules_points_out_of_order_total", "live points older than the last one")      \
    X(late_points, "rules_late_points_total", "blind-area points evaluated in a late lane")        \
    X(unknown_vehicle, "rules_points_unknown_vehicle_total", "points of vehicles not registered")  \
    X(future, "rules_points_future_total",                                                         \
      "points dated beyond future_tolerance_s: not evaluated")                                     \
    X(dropped, "rules_points_dropped_total", "points not evaluated: table or backlog full")        \
    X(events, "rules_violation_events_total", "violation events (opened, updated, closed)")        \
    X(events_refused, "rules_violation_events_refused_total", "events the store refused")          \
    X(warnings, "rules_driver_warnings_total", "0x8300 warnings sent to drivers")                  \
    X(states_loaded, "rules_states_loaded_total", "vehicles continued from a saved state")         \
    X(states_saved, "rules_states_saved_total", "rule states saved to Redis")

typedef struct {
#define RULES_COUNTER_FIELD(field, name, help) fw_counter field;
    RULES_COUNTER_LIST(RULES_COUNTER_FIELD)
#undef RULES_COUNTER_FIELD
} rules_counters;

typedef struct rules_worker rules_worker;

/* NULL when out of memory. */
rules_worker *rules_worker_new(const rules_shared *sh, struct event_base *base, unsigned worker);
/* The gateway's location hook for this worker. */
void rules_worker_point(rules_worker *w, const fw_location_rec *rec);
/* The gateway's hook for a 0x1005 of registered vehicle reg: added to its passengers on board
 * (fw_rules_passenger_flow), after its saved state is loaded. NULL reg: counted as unknown. */
void rules_worker_passenger_flow(rules_worker *w, const fw_vehicle *reg,
                                 const jt_passenger_flow *flow);
/* The terminal of phone disconnected: save its changed state now (the entry is kept, and
 * forgotten after rules_idle_s like any silent vehicle). */
void rules_worker_disconnect(rules_worker *w, const char *phone);
/* From any thread, at SIGTERM before the gateway stops: ask the worker to close its late lanes
 * and save every changed state now, while its loop still runs. */
void rules_worker_request_save(rules_worker *w);
/* True once those saves are confirmed by Redis (or spooled, or there was nothing to save). */
bool rules_worker_saved(const rules_worker *w);
/* Shutdown, on the worker's thread before its store writer closes: close the late lanes, save
 * every changed state, leave the worker's event loop; later points, disconnects and load
 * replies are ignored. */
void rules_worker_stop(rules_worker *w);
/* After the writer closed (pending load replies delivered) and the loop ended. NULL ok. */
void rules_worker_free(rules_worker *w);
const rules_counters *rules_worker_counters(const rules_worker *w);

#endif
