/* sim_motion.c - applies a vehicle's scripted events to its path position (sim_motion.h). */
#include "sim_motion.h"

#include <math.h>

#include "fw/codec/jt_msg.h"

static bool active(const sim_event *e, double t_s)
{
    return t_s >= e->at_s && t_s < e->until_s;
}

bool sim_event_due(double at_s, double prev_s, double now_s)
{
    return at_s > prev_s && at_s <= now_s;
}

/* Events that change the position, applied on top of the path fix. */
static void apply_position_events(const sim_vehicle *v, const sim_path *p, double t_s,
                                  sim_state *st)
{
    for (size_t i = 0; i < v->event_count; i++) {
        const sim_event *e = &v->events[i];
        if (!active(e, t_s))
            continue;
        if (e->kind == SIM_EV_OFF_ROUTE) {
            st->pos = sim_move(st->pos, fmod(st->course_deg + 90.0, 360.0), e->value);
        } else if (e->kind == SIM_EV_ENTER_ZONE) {
            st->pos = e->point;
            st->speed_kmh = e->value;
        } else if (e->kind == SIM_EV_GNSS_LOSS) {
            sim_fix last;
            sim_path_at(p, e->at_s, &last);
            st->pos = last.pos;
            st->speed_kmh = 0;
            st->fixed = false;
        }
    }
}

/* Events that set alarm bits, cargo and blindness. Later events override earlier ones. */
static void apply_state_events(const sim_vehicle *v, double t_s, sim_state *st)
{
    for (size_t i = 0; i < v->event_count; i++) {
        const sim_event *e = &v->events[i];
        if (!active(e, t_s))
            continue;
        switch (e->kind) {
        case SIM_EV_LOAD:
            st->has_load = true;
            st->load_kg = e->value;
            break;
        case SIM_EV_PASSENGERS:
            st->has_passengers = true;
            st->passengers = e->value > 65535 ? 65535 : (uint16_t)e->value;
            break;
        case SIM_EV_ALARM:
            st->alarm |= 1u << (unsigned)e->value;
            break;
        case SIM_EV_BLIND_AREA:
            st->blind = true;
            break;
        default:
            break;
        }
    }
}

void sim_motion_state(const sim_vehicle *v, const sim_path *p, double t_s, sim_state *out)
{
    sim_fix fix;
    sim_path_at(p, t_s, &fix);
    *out = (sim_state){.pos = fix.pos,
                       .speed_kmh = fix.speed_kmh,
                       .course_deg = fix.course_deg,
                       .odo_m = fix.odo_m,
                       .fixed = true,
                       .ended = fix.ended};
    apply_position_events(v, p, t_s, out);
    apply_state_events(v, t_s, out);
    out->status = JT_STATUS_GPS | JT_STATUS_BEIDOU;
    if (!fix.ended)
        out->status |= JT_STATUS_ACC_ON;
    if (out->fixed)
        out->status |= JT_STATUS_FIXED;
    if (out->has_load && out->load_kg > 0)
        out->status |= 3u << 8; /* load state: full */
}
