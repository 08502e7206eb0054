/* episode.c - the episode state machine (episode.h) and the events it emits. */
#include "episode.h"

const char *const fw_no_ref_kinds[FW_EP_SUBTYPES] = {NULL, NULL, NULL, NULL};

static uint16_t sat16(uint32_t v)
{
    return v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

static void set_evidence(fw_episode *ep, int which, const fw_position *pt, uint32_t value)
{
    ep->t[which] = (uint32_t)pt->time_utc;
    ep->lat_e6[which] = pt->lat_e6;
    ep->lon_e6[which] = pt->lon_e6;
    ep->value[which] = sat16(value);
}

static void take_peak(fw_episode *ep, const fw_position *pt, const fw_observation *obs)
{
    set_evidence(ep, FW_EV_PEAK, pt, obs->value);
    ep->limit = sat16(obs->limit);
    ep->subtype = obs->subtype;
    ep->ref_id = obs->ref_id;
}

static void start(fw_episode *ep, const fw_position *pt, const fw_observation *obs)
{
    *ep = (fw_episode){0};
    set_evidence(ep, FW_EV_FIRST, pt, obs->value);
    set_evidence(ep, FW_EV_LAST, pt, obs->value);
    take_peak(ep, pt, obs);
    ep->severity = (uint8_t)obs->severity;
    ep->phase = FW_EP_PENDING;
}

/* Returns true when the severity rose. */
static bool extend(fw_episode *ep, const fw_position *pt, const fw_observation *obs)
{
    set_evidence(ep, FW_EV_LAST, pt, obs->value);
    if (sat16(obs->value) > ep->value[FW_EV_PEAK])
        take_peak(ep, pt, obs);
    if ((uint8_t)obs->severity <= ep->severity)
        return false;
    ep->severity = (uint8_t)obs->severity;
    return true;
}

static void evidence_out(const fw_episode *ep, int which, fw_evidence *out)
{
    *out = (fw_evidence){ep->t[which], ep->lat_e6[which], ep->lon_e6[which], ep->value[which]};
}

static void emit(const fw_rule_run *run, const fw_episode_spec *spec, const fw_episode *ep,
                 fw_event_phase phase, const fw_episode_extra *extra)
{
    fw_violation v;
    fw_event_init(run, &v, spec->type, ep->t[FW_EV_FIRST]);
    v.phase = phase;
    v.subtype = ep->subtype;
    v.severity = (fw_severity)ep->severity;
    v.end_utc = ep->t[FW_EV_LAST];
    evidence_out(ep, FW_EV_FIRST, &v.first);
    evidence_out(ep, FW_EV_PEAK, &v.peak);
    evidence_out(ep, FW_EV_LAST, &v.last);
    v.value = ep->value[FW_EV_PEAK];
    v.limit = ep->limit;
    v.mean_value = extra ? extra->mean_value : v.value;
    v.distance_m = extra ? extra->distance_m : 0;
    v.unit = spec->unit;
    v.ref_id = ep->ref_id;
    v.ref_kind = ep->ref_id ? spec->ref_kinds[ep->subtype] : NULL;
    v.late = v.late || (ep->flags & FW_EPF_LATE);
    v.corroborated = ep->flags & FW_EPF_CORROBORATED;
    fw_event_emit(run, &v);
    const fw_rules_sink *sink = &run->eng->sink;
    if (phase == FW_EVENT_OPENED && spec->warn_text && sink->on_warn_driver)
        sink->on_warn_driver(sink->ctx, &v, spec->warn_text);
}

void fw_episode_flush(fw_rule_run *run, const fw_episode_spec *spec, const fw_episode_extra *extra)
{
    fw_episode *ep = &run->st->ep[spec->slot];
    if (ep->phase == FW_EP_OPEN)
        emit(run, spec, ep, FW_EVENT_CLOSED, extra);
    ep->phase = FW_EP_IDLE;
}

static void open_if_long_enough(fw_rule_run *run, const fw_episode_spec *spec, fw_episode *ep,
                                const fw_episode_extra *extra)
{
    if (ep->t[FW_EV_LAST] - ep->t[FW_EV_FIRST] < spec->min_s)
        return;
    ep->phase = FW_EP_OPEN;
    emit(run, spec, ep, FW_EVENT_OPENED, extra);
}

void fw_episode_end_after_gap(fw_rule_run *run, const fw_episode_spec *spec,
                              const fw_episode_extra *extra)
{
    const fw_episode *ep = &run->st->ep[spec->slot];
    uint32_t t = (uint32_t)run->pt->time_utc;
    if (ep->phase != FW_EP_IDLE && !spec->survives_gaps &&
        t - ep->t[FW_EV_LAST] > run->cfg->max_gap_s)
        fw_episode_flush(run, spec, extra);
}

void fw_episode_step(fw_rule_run *run, const fw_episode_spec *spec, const fw_observation *obs,
                     const fw_episode_extra *extra)
{
    fw_episode *ep = &run->st->ep[spec->slot];
    const fw_position *pt = run->pt;
    uint32_t t = (uint32_t)pt->time_utc;
    fw_episode_end_after_gap(run, spec, extra);
    bool over = obs->cond == FW_COND_OVER;
    uint8_t flags = (uint8_t)(obs->flags | (pt->late ? FW_EPF_LATE : 0));
    switch (ep->phase) {
    case FW_EP_IDLE:
        if (!over)
            return;
        start(ep, pt, obs);
        ep->flags = flags;
        open_if_long_enough(run, spec, ep, extra);
        return;
    case FW_EP_PENDING:
        if (over) {
            ep->flags |= flags;
            extend(ep, pt, obs);
            open_if_long_enough(run, spec, ep, extra);
        } else if (t - ep->t[FW_EV_LAST] >= spec->clear_s) {
            ep->phase = FW_EP_IDLE;
        }
        return;
    default:
        if (over)
            ep->flags |= flags;
        if (over && extend(ep, pt, obs))
            emit(run, spec, ep, FW_EVENT_UPDATED, extra);
        else if (obs->cond == FW_COND_CLEAR && t - ep->t[FW_EV_LAST] >= spec->clear_s)
            fw_episode_flush(run, spec, extra);
        return;
    }
}

fw_severity fw_severity_by_pct(uint32_t value, uint32_t limit, uint8_t minor_pct,
                               uint8_t serious_pct, uint8_t severe_pct)
{
    if (limit == 0 || value <= limit)
        return FW_SEVERITY_WARNING;
    uint64_t over100 = (uint64_t)(value - limit) * 100;
    const uint8_t pct[] = {severe_pct, serious_pct, minor_pct};
    const fw_severity tier[] = {FW_SEVERITY_SEVERE, FW_SEVERITY_SERIOUS, FW_SEVERITY_MINOR};
    for (int i = 0; i < 3; i++)
        if (pct[i] != 255 && over100 >= (uint64_t)pct[i] * limit)
            return tier[i];
    return FW_SEVERITY_WARNING;
}
