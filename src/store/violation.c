/* violation.c - violation events -> store records (kind V, store_script.h): the protobuf
 * Violation, the plain stream fields and the event order that makes replays idempotent.
 */
#include <stdio.h>
#include <time.h>

#include "fleetwatch.pb-c.h"
#include "fw/store/store_violation.h"
#include "store_internal.h"
#include "store_script.h"

/* Later events of one record order higher: (end time, phase, severity). */
static int64_t event_order(const fw_violation *v)
{
    return (int64_t)v->end_utc * 16 + (int64_t)v->phase * 4 + (int64_t)v->severity;
}

static void fill_evidence(Fleetwatch__EvidencePoint *e, const fw_evidence *src, const char *role)
{
    fleetwatch__evidence_point__init(e);
    e->gnss_time = src->time_utc;
    e->lat_e6 = src->lat_e6;
    e->lon_e6 = src->lon_e6;
    e->speed_dkmh = src->value;
    e->role = (char *)role;
}

static void add_violation_pb(fw_rec *r, const fw_violation *v)
{
    char ref[16];
    Fleetwatch__EvidencePoint ev[3];
    Fleetwatch__EvidencePoint *evp[3] = {&ev[0], &ev[1], &ev[2]};
    Fleetwatch__Violation p = FLEETWATCH__VIOLATION__INIT;
    snprintf(ref, sizeof ref, "%u", v->ref_id);
    p.id = (char *)v->id;
    p.type = (char *)fw_violation_name(v->type);
    p.state = (char *)fw_event_phase_name(v->phase);
    p.severity = (char *)fw_severity_name(v->severity);
    p.phone = (char *)v->vehicle->phone;
    p.plate = (char *)v->vehicle->plate;
    p.plate_color = v->vehicle->plate_color;
    p.vehicle_class = (char *)fw_vehicle_class_name(v->vehicle->vclass);
    p.start_time = v->start_utc;
    p.end_time = v->phase == FW_EVENT_CLOSED ? v->end_utc : 0;
    p.value = v->value;
    p.limit = v->limit;
    p.unit = (char *)(v->unit ? v->unit : "");
    p.start_lat_e6 = v->first.lat_e6;
    p.start_lon_e6 = v->first.lon_e6;
    p.end_lat_e6 = v->last.lat_e6;
    p.end_lon_e6 = v->last.lon_e6;
    bool zone = v->ref_kind && v->ref_kind[0] == 'z';
    bool route = v->ref_kind && v->ref_kind[0] == 'r';
    p.zone_id = zone ? ref : "";
    p.route_id = route ? ref : "";
    p.late = v->late;
    p.peak = v->peak.value;
    p.mean = v->mean_value;
    p.distance_m = v->distance_m;
    fill_evidence(&ev[0], &v->first, "first");
    fill_evidence(&ev[1], &v->peak, "peak");
    fill_evidence(&ev[2], &v->last, "last");
    p.n_evidence = 3;
    p.evidence = evp;
    p.detail = (char *)fw_violation_subtype_name(v->type, v->subtype);
    uint8_t *dst = fw_rec_reserve(r, fleetwatch__violation__get_packed_size(&p));
    if (dst)
        fleetwatch__violation__pack(&p, dst);
}

static void violation_record(fw_rec *r, const fw_store_config *cfg, const fw_violation *v)
{
    int64_t now_s = (int64_t)time(NULL);
    int64_t retention_s = (int64_t)cfg->violation_retention_days * (FW_DAY_MS / 1000);
    fw_rec_begin(r, FW_REC_KIND_CHAR(V));
    fw_rec_str(r, v->id);
    fw_rec_str(r, fw_violation_name(v->type));
    fw_rec_str(r, fw_event_phase_name(v->phase));
    fw_rec_str(r, v->vehicle->phone);
    fw_rec_str(r, v->vehicle->plate);
    fw_rec_str(r, fw_severity_name(v->severity));
    add_violation_pb(r, v);
    fw_rec_i64(r, v->start_utc);
    fw_rec_i64(r, v->phase == FW_EVENT_CLOSED ? v->end_utc : 0);
    fw_rec_i64(r, event_order(v));
    fw_rec_i64(r, now_s - retention_s);
    fw_rec_i64(r, v->start_utc + retention_s);
    fw_rec_i64(r, v->value);
    fw_rec_i64(r, v->limit);
    fw_rec_str(r, v->unit ? v->unit : "");
}

int fw_store_violation(fw_store *st, unsigned worker, const fw_violation *v)
{
    fw_writer *w = fw_store_writer(st, worker);
    if (!w || !v->vehicle || (unsigned)v->phase > FW_EVENT_CLOSED)
        return -1;
    violation_record(fw_writer_begin(w), &st->cfg, v);
    return fw_writer_commit(w, NULL, NULL);
}
