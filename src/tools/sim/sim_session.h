/* sim_session.h - a simulated terminal's side of JT/T 808: register and authenticate, report
 * positions (0x0200 or 0x0704) along its vehicle's path with its scripted events, heartbeat
 * when silent, replay blind-area reports, and answer the platform's commands with 0x0001.
 *
 * Driven by sim_term: sim_session_begin when connected, sim_session_frame for every parsed
 * frame from the platform, sim_session_tick from the terminal's periodic timer.
 */
#ifndef FW_SIM_SESSION_H
#define FW_SIM_SESSION_H

#include "fw/codec/jt_frame.h"

#include "sim_term.h"

/* Connected: send 0x0100 (no auth code yet) or 0x0102. */
void sim_session_begin(sim_term *t);
/* Handle one frame from the platform (parsed; f->body valid during the call). */
void sim_session_frame(sim_term *t, const jt_frame *f);
/* Periodic work while online: expire acks, report when due, heartbeat when silent. */
void sim_session_tick(sim_term *t);
/* Back-to-back mode: top the frames in flight up to --inflight. */
void sim_session_pump(sim_term *t);

#endif
