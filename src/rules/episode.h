/* episode.h - the episode state machine shared by the episode-shaped rules.
 *
 * Each point the rule classifies as OVER (violating), BORDER (not violating but within the
 * hysteresis band) or CLEAR. idle -OVER-> pending; pending becomes open (event OPENED, and the
 * driver warning when configured) once it has lasted min_s; pending is dropped when no OVER
 * point came for clear_s; open closes (event CLOSED, ending at the last OVER point) at a CLEAR
 * point clear_s or more after the last OVER point. BORDER points never end an open episode,
 * which is what keeps jitter around a limit from opening and closing episodes over and over.
 * A gap in the data longer than cfg->max_gap_s closes (or drops) the episode first, unless
 * the rule says its episodes survive gaps (fatigue: a stop without data is not a rest).
 * UPDATED is sent when an open episode's severity rises.
 */
#ifndef FW_RULES_EPISODE_H
#define FW_RULES_EPISODE_H

#include "rule.h"

typedef enum { FW_COND_CLEAR, FW_COND_BORDER, FW_COND_OVER } fw_cond;
enum { FW_EP_IDLE, FW_EP_PENDING, FW_EP_OPEN };
enum { FW_EPF_LATE = 1u << 0, FW_EPF_CORROBORATED = 1u << 1 };

typedef struct {
    fw_violation_type type;
    uint8_t slot; /* FW_SLOT_* */
    uint16_t min_s, clear_s;
    bool survives_gaps; /* a data gap over cfg->max_gap_s does not end the episode */
    const char *unit;
    const char *const *ref_kinds; /* by subtype: "zone", "route" or NULL */
    const char *warn_text;        /* NULL: no driver warning */
} fw_episode_spec;

typedef struct {
    fw_cond cond;
    uint32_t value; /* saturated to 16 bits in the state */
    uint32_t limit;
    fw_severity severity;
    uint8_t subtype;
    uint8_t flags; /* FW_EPF_* to add to the episode (corroboration) */
    uint32_t ref_id;
} fw_observation;

/* Optional per-event extras supplied by the rule (speeding: mean speed and distance). */
typedef struct {
    uint32_t mean_value;
    uint32_t distance_m;
} fw_episode_extra;

/* Episode subtypes are below this (fw_state_load() rejects others). */
#define FW_EP_SUBTYPES 4

/* ref_kinds for rules without a zone or route reference. */
extern const char *const fw_no_ref_kinds[FW_EP_SUBTYPES];

/* Close (or drop) the episode when the data had a gap over cfg->max_gap_s before this point
 * (fw_episode_step does it first; a rule with per-episode sums calls it before resetting
 * them, so that the closing event still carries the old episode's figures). */
void fw_episode_end_after_gap(fw_rule_run *run, const fw_episode_spec *spec,
                              const fw_episode_extra *extra);
/* Advance the episode with this point; extra may be NULL. */
void fw_episode_step(fw_rule_run *run, const fw_episode_spec *spec, const fw_observation *obs,
                     const fw_episode_extra *extra);
/* Close an open episode at its last OVER point, drop a pending one. */
void fw_episode_flush(fw_rule_run *run, const fw_episode_spec *spec, const fw_episode_extra *extra);

/* Severity of `value` against `limit` by percent-over thresholds (255 = tier unused):
 * below minor_pct -> WARNING, then MINOR, SERIOUS, SEVERE. */
fw_severity fw_severity_by_pct(uint32_t value, uint32_t limit, uint8_t minor_pct,
                               uint8_t serious_pct, uint8_t severe_pct);

/* Events that are not episodes (terminal alarms): fill the common fields of *v. */
void fw_event_init(const fw_rule_run *run, fw_violation *v, fw_violation_type type,
                   int64_t start_utc);
/* Stable id "<phone>-<type>-<yyyymmddThhmmssZ>" into v->id. */
void fw_event_format_id(fw_violation *v, const char *phone, const char *type_name,
                        int64_t start_utc);
void fw_event_emit(const fw_rule_run *run, const fw_violation *v);

#endif
