/* sim_report.h - what a simulator process counts and how the final report is printed.
 *
 * Counters and error kinds are X-macro lists so that the struct, the human report and the
 * machine-readable "result key=value ..." line cannot drift apart. A report is plain data: a
 * forked child writes it to a pipe as bytes and the parent adds the reports up
 * (sim_report_merge) before printing.
 */
#ifndef FW_SIM_REPORT_H
#define FW_SIM_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "sim_hist.h"

/* X(name, description) */
#define SIM_COUNTER_LIST(X)                                                                        \
    X(terminals, "terminals simulated")                                                            \
    X(online, "terminals authenticated at the end")                                                \
    X(authenticated, "authentications accepted (0x8001 to 0x0102)")                                \
    X(sent, "frames sent")                                                                         \
    X(sent_locations, "location frames sent (0x0200, 0x0704)")                                     \
    X(points, "positions sent (0x0704 counts each)")                                               \
    X(acked, "frames acked (0x8001, 0x8100)")                                                      \
    X(acked_locations, "location frames acked")                                                    \
    X(commands, "platform commands answered with 0x0001")                                          \
    X(reconnects, "reconnections")                                                                 \
    X(bytes_out, "bytes sent")                                                                     \
    X(bytes_in, "bytes received")

/* X(name, description) - every one also adds to the "errors" total. */
#define SIM_ERROR_LIST(X)                                                                          \
    X(connect_failed, "connections refused or failed")                                             \
    X(closed, "connections closed by the platform or lost")                                        \
    X(register_refused, "0x8100 with a result other than success")                                 \
    X(auth_refused, "0x8001 refusing 0x0102")                                                      \
    X(nack, "0x8001 with a result other than success")                                             \
    X(ack_timeout, "frames not acked within --ack-timeout")                                        \
    X(unmatched_ack, "acks for no frame in flight")                                                \
    X(bad_frame, "frames from the platform that did not parse or decode")                          \
    X(backlog, "reports skipped because -k frames were still in flight")                           \
    X(send_failed, "frames that could not be built or queued")                                     \
    X(ack_log, "acked positions the ack log could not write")

typedef enum {
#define SIM_ENUM(name, text) SIM_C_##name,
    SIM_COUNTER_LIST(SIM_ENUM)
#undef SIM_ENUM
        SIM_C__COUNT
} sim_counter;

typedef enum {
#define SIM_ENUM(name, text) SIM_E_##name,
    SIM_ERROR_LIST(SIM_ENUM)
#undef SIM_ENUM
        SIM_E__COUNT
} sim_error;

typedef struct {
    uint64_t counters[SIM_C__COUNT];
    uint64_t errors[SIM_E__COUNT];
    uint64_t window_acks; /* acks since the measurement window opened */
    double window_s;      /* from its opening to the end of the run or, when draining, to
                             the last ack (wall seconds) */
    double acks_per_s;    /* window_acks / window_s, summed over processes */
    double elapsed_s;     /* whole run, longest process */
    uint32_t procs;       /* processes merged */
    sim_hist latency;     /* ack latency inside the window, microseconds */
} sim_report;

void sim_report_init(sim_report *r);
/* into += from (rates add up: processes run side by side). */
void sim_report_merge(sim_report *into, const sim_report *from);
uint64_t sim_report_errors(const sim_report *r);
/* Human-readable report, then the "result key=value ..." line. */
void sim_report_print(const sim_report *r, FILE *to);
/* Just the "result ..." line. */
void sim_report_print_result(const sim_report *r, FILE *to);

#endif
