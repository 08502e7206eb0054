/* sim_fleet.c - loading scenario and registry JSON files into a sim_fleet (sim_fleet.h).
 *
 * cJSON parses the file once; values are copied into fixed-size vehicle records, paths and
 * event arrays allocated here, and the cJSON tree is freed. Errors name the vehicle and event
 * at fault so that a scenario author can fix the file.
 */
#include "sim_fleet.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/position.h"
#include "fw/codec/jt_bcd.h"

/* The default path: a 16 km loop through Haizhou and Xinpu, Lianyungang, at town speeds. */
static sim_waypoint default_points[] = {
    {.at = {119.1800, 34.5950}, .speed_kmh = 50}, {.at = {119.2220, 34.6000}, .speed_kmh = 60},
    {.at = {119.2600, 34.6200}, .speed_kmh = 40}, {.at = {119.2400, 34.6500}, .speed_kmh = 60},
    {.at = {119.2000, 34.6400}, .speed_kmh = 50}, {.at = {119.1800, 34.5950}},
};

static const char *const event_names[] = {
#define SIM_EVENT_NAME(name, json) json,
    SIM_EVENT_LIST(SIM_EVENT_NAME)
#undef SIM_EVENT_NAME
};

static int fail(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
    return -1;
}

int sim_protocol_parse(const char *text, sim_protocol *out)
{
    if (strcmp(text, "2013") == 0)
        *out = (sim_protocol){JT_V2013, JT_REG_2013};
    else if (strcmp(text, "2019") == 0)
        *out = (sim_protocol){JT_V2019, JT_REG_2019};
    else if (strcmp(text, "2011") == 0)
        *out = (sim_protocol){JT_V2013, JT_REG_2011};
    else
        return -1;
    return 0;
}

int sim_china_time_parse(const char *text, int64_t *utc)
{
    int y, mo, d, h, mi, s, used = 0;
    if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) != 6)
        return -1;
    const char *rest = text + used;
    if (*rest && strcmp(rest, "+08:00") != 0)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59 || h < 0 || mi < 0 ||
        s < 0)
        return -1;
    int64_t days = jt_days_from_civil(y, (unsigned)mo, (unsigned)d);
    *utc = days * 86400 + h * 3600 + mi * 60 + s - JT_CHINA_UTC_OFFSET_S;
    return 0;
}

void sim_fleet_init(sim_fleet *f)
{
    memset(f, 0, sizeof *f);
    f->compression = 1.0;
    f->report_s = -1;
    f->end_s = INFINITY;
    f->load_item_id = 0xE1;
    f->load_unit_kg = 1.0;
    f->passenger_item_id = 0xE2;
    f->default_path.points = default_points;
    f->default_path.count = sizeof default_points / sizeof default_points[0];
    f->default_path.loop = true;
    sim_path_prepare(&f->default_path);
}

/* A number field, or dflt when absent. Returns -1 when present but not a number. */
static int get_number(const cJSON *obj, const char *key, double dflt, double *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item) {
        *out = dflt;
        return 0;
    }
    if (!cJSON_IsNumber(item))
        return -1;
    *out = item->valuedouble;
    return 0;
}

/* An item id: a number or a "0xE1" string, 1..255. */
static int get_item_id(const cJSON *obj, uint8_t *out)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "id");
    long v = -1;
    if (cJSON_IsNumber(id))
        v = (long)id->valuedouble;
    else if (cJSON_IsString(id))
        v = strtol(id->valuestring, NULL, 0);
    if (v < 1 || v > 255)
        return -1;
    *out = (uint8_t)v;
    return 0;
}

/* Copy a string or number field into dst; returns -1 when present with another type or too
 * long. */
static int get_text(const cJSON *obj, const char *key, char *dst, size_t cap)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item)
        return 0;
    int n;
    if (cJSON_IsString(item))
        n = snprintf(dst, cap, "%s", item->valuestring);
    else if (cJSON_IsNumber(item))
        n = snprintf(dst, cap, "%.0f", item->valuedouble);
    else
        return -1;
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

static int parse_alarm_bit(const cJSON *ev, double *bit)
{
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(ev, "bit");
    if (cJSON_IsNumber(b) && b->valuedouble >= 0 && b->valuedouble < 32) {
        *bit = floor(b->valuedouble);
        return 0;
    }
    int named = cJSON_IsString(b) ? fw_flag_bit(FW_FLAGS_ALARM, b->valuestring) : -1;
    if (named < 0)
        return -1;
    *bit = named;
    return 0;
}

/* The value field each kind reads, and whether it is required. */
static const struct {
    const char *key;
    bool required;
} event_value_field[SIM_EV__COUNT] = {
    [SIM_EV_OFF_ROUTE] = {"offset_m", true},
    [SIM_EV_ENTER_ZONE] = {"speed_kmh", false},
    [SIM_EV_LOAD] = {"kg", true},
    [SIM_EV_PASSENGERS] = {"count", true},
    [SIM_EV_ALARM] = {NULL, false},
    [SIM_EV_ADAS] = {NULL, false},
    [SIM_EV_DSM] = {NULL, false},
    [SIM_EV_GNSS_LOSS] = {NULL, false},
    [SIM_EV_BLIND_AREA] = {NULL, false},
};

static int parse_event_kind(const cJSON *ev, sim_event_kind *kind)
{
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(ev, "type");
    for (int k = 0; cJSON_IsString(type) && k < SIM_EV__COUNT; k++) {
        if (strcmp(event_names[k], type->valuestring) == 0) {
            *kind = (sim_event_kind)k;
            return 0;
        }
    }
    return -1;
}

static int parse_event(const cJSON *ev, sim_event *out, char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    if (parse_event_kind(ev, &out->kind) < 0)
        return fail(err, cap, "missing or unknown \"type\"");
    double type = 1, level = 1, fatigue = 5;
    if (get_number(ev, "at_s", NAN, &out->at_s) < 0 || isnan(out->at_s) ||
        get_number(ev, "until_s", INFINITY, &out->until_s) < 0 || out->until_s < out->at_s)
        return fail(err, cap, "needs \"at_s\" and an \"until_s\" not before it");
    const char *key = event_value_field[out->kind].key;
    if (key && (get_number(ev, key, NAN, &out->value) < 0 ||
                (event_value_field[out->kind].required && isnan(out->value))))
        return fail(err, cap, "needs a number \"%s\"", key);
    if (isnan(out->value))
        out->value = 0;
    if (out->kind == SIM_EV_ALARM && parse_alarm_bit(ev, &out->value) < 0)
        return fail(err, cap, "needs \"bit\": an alarm name (e.g. \"emergency\") or 0..31");
    if (out->kind == SIM_EV_ENTER_ZONE && (get_number(ev, "lon", NAN, &out->point.lon_deg) < 0 ||
                                           get_number(ev, "lat", NAN, &out->point.lat_deg) < 0 ||
                                           isnan(out->point.lon_deg) || isnan(out->point.lat_deg)))
        return fail(err, cap, "needs \"lon\" and \"lat\"");
    if (get_number(ev, "alarm_type", 1, &type) < 0 || get_number(ev, "level", 1, &level) < 0 ||
        get_number(ev, "fatigue_level", 5, &fatigue) < 0 || type < 0 || type > 255 || level < 0 ||
        level > 255 || fatigue < 0 || fatigue > 10)
        return fail(err, cap, "bad \"alarm_type\", \"level\" or \"fatigue_level\"");
    out->type = (uint8_t)type;
    out->level = (uint8_t)level;
    out->fatigue = (uint8_t)fatigue;
    return 0;
}

static int parse_events(const cJSON *arr, sim_vehicle *v, char *err, size_t cap)
{
    if (!arr)
        return 0;
    if (!cJSON_IsArray(arr))
        return fail(err, cap, "\"events\" must be an array");
    int n = cJSON_GetArraySize(arr);
    v->events = calloc((size_t)n + 1, sizeof *v->events);
    if (!v->events)
        return fail(err, cap, "out of memory");
    char why[160];
    int i = 0;
    for (const cJSON *ev = arr->child; ev; ev = ev->next, i++) {
        if (parse_event(ev, &v->events[i], why, sizeof why) < 0)
            return fail(err, cap, "event %d: %s", i, why);
    }
    v->event_count = (size_t)n;
    return 0;
}

/* A waypoint: [lon, lat] or [lon, lat, dwell_s]. */
static int parse_waypoint(const cJSON *pt, sim_waypoint *w)
{
    int n = cJSON_GetArraySize(pt);
    const cJSON *lon = cJSON_GetArrayItem(pt, 0), *lat = cJSON_GetArrayItem(pt, 1);
    const cJSON *dwell = cJSON_GetArrayItem(pt, 2);
    if (!cJSON_IsArray(pt) || n < 2 || n > 3 || !cJSON_IsNumber(lon) || !cJSON_IsNumber(lat) ||
        (dwell && !cJSON_IsNumber(dwell)))
        return -1;
    w->at = (sim_point){lon->valuedouble, lat->valuedouble};
    w->dwell_s = dwell ? dwell->valuedouble : 0;
    return fabs(w->at.lat_deg) <= 90 && fabs(w->at.lon_deg) <= 180 ? 0 : -1;
}

/* "speed_kmh": one number for every leg, or one per leg. */
static int parse_speeds(const cJSON *speeds, sim_path *p)
{
    const cJSON *s = cJSON_IsArray(speeds) ? speeds->child : speeds; /* walked, not indexed */
    for (size_t i = 0; i + 1 < p->count; i++) {
        if (!cJSON_IsNumber(s))
            return -1;
        p->points[i].speed_kmh = s->valuedouble;
        if (cJSON_IsArray(speeds))
            s = s->next;
    }
    return !cJSON_IsArray(speeds) || (size_t)cJSON_GetArraySize(speeds) + 1 == p->count ? 0 : -1;
}

static int parse_path(const cJSON *veh, sim_vehicle *v, char *err, size_t cap)
{
    const cJSON *pts = cJSON_GetObjectItemCaseSensitive(veh, "path");
    if (!pts)
        return 0;
    int n = cJSON_GetArraySize(pts);
    if (!cJSON_IsArray(pts) || n < 1)
        return fail(err, cap, "\"path\" must be a non-empty array of [lon, lat(, dwell_s)]");
    v->path.points = calloc((size_t)n, sizeof *v->path.points);
    if (!v->path.points)
        return fail(err, cap, "out of memory");
    v->path.count = (size_t)n;
    int i = 0;
    for (const cJSON *pt = pts->child; pt; pt = pt->next, i++) {
        if (parse_waypoint(pt, &v->path.points[i]) < 0)
            return fail(err, cap, "path point %d must be [lon, lat] or [lon, lat, dwell_s]", i);
    }
    if (parse_speeds(cJSON_GetObjectItemCaseSensitive(veh, "speed_kmh"), &v->path) < 0)
        return fail(err, cap, "\"speed_kmh\" must be a number or one number per leg");
    v->path.loop = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(veh, "loop"));
    if (sim_path_prepare(&v->path) < 0)
        return fail(err, cap, "path needs speeds > 0 and dwell times >= 0");
    return 0;
}

static int parse_vehicle(const cJSON *veh, const sim_protocol *dflt, sim_vehicle *v, char *err,
                         size_t cap)
{
    char proto[8] = "";
    double color = 2;
    sim_protocol p = *dflt;
    if (!cJSON_IsObject(veh))
        return fail(err, cap, "must be an object");
    if (get_text(veh, "phone", v->phone, sizeof v->phone) < 0 || !v->phone[0] ||
        strspn(v->phone, "0123456789") != strlen(v->phone))
        return fail(err, cap, "needs \"phone\": up to 20 digits");
    if (get_text(veh, "plate", v->plate, sizeof v->plate) < 0 ||
        get_text(veh, "class", v->vclass, sizeof v->vclass) < 0)
        return fail(err, cap, "\"plate\" and \"class\" must be short strings");
    if (get_text(veh, "protocol", proto, sizeof proto) < 0 ||
        (proto[0] && sim_protocol_parse(proto, &p) < 0))
        return fail(err, cap, "\"protocol\" must be 2011, 2013 or 2019");
    if (get_number(veh, "plate_color", 2, &color) < 0 || color < 0 || color > 255 ||
        get_number(veh, "start_s", 0, &v->start_s) < 0)
        return fail(err, cap, "bad \"plate_color\" or \"start_s\"");
    if (p.version == JT_V2013 && strlen(v->phone) > 12) {
        if (proto[0])
            return fail(err, cap, "a 2011/2013 terminal's phone has at most 12 digits");
        p = (sim_protocol){JT_V2019, JT_REG_2019}; /* only a 2019 header holds it */
    }
    v->plate_color = (uint8_t)color;
    v->version = p.version;
    v->layout = p.layout;
    if (parse_path(veh, v, err, cap) < 0)
        return -1;
    return parse_events(cJSON_GetObjectItemCaseSensitive(veh, "events"), v, err, cap);
}

/* The scenario time when the vehicle has finished its path and its events. */
static double vehicle_end_s(const sim_vehicle *v)
{
    double end = v->path.count && !v->path.loop ? v->path.total_s : 0;
    for (size_t i = 0; i < v->event_count; i++) {
        double e = isinf(v->events[i].until_s) ? v->events[i].at_s : v->events[i].until_s;
        end = e > end ? e : end;
    }
    return v->start_s + end;
}

static int parse_header(const cJSON *root, sim_fleet *f, char *err, size_t cap)
{
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(root, "start");
    if (start &&
        (!cJSON_IsString(start) || sim_china_time_parse(start->valuestring, &f->start_utc) < 0))
        return fail(err, cap, "\"start\" must be China time like \"2026-11-28T01:50:00\"");
    if (get_number(root, "time_compression", 1, &f->compression) < 0 || !(f->compression > 0))
        return fail(err, cap, "\"time_compression\" must be a number > 0");
    if (get_number(root, "report_s", -1, &f->report_s) < 0)
        return fail(err, cap, "\"report_s\" must be a number");
    const cJSON *load = cJSON_GetObjectItemCaseSensitive(root, "load_item");
    if (load && (get_item_id(load, &f->load_item_id) < 0 ||
                 get_number(load, "unit_kg", 1, &f->load_unit_kg) < 0 || !(f->load_unit_kg > 0)))
        return fail(err, cap, "\"load_item\" needs \"id\" (1..255) and a positive \"unit_kg\"");
    const cJSON *pax = cJSON_GetObjectItemCaseSensitive(root, "passenger_item");
    if (pax && get_item_id(pax, &f->passenger_item_id) < 0)
        return fail(err, cap, "\"passenger_item\" needs \"id\" (1..255)");
    return 0;
}

static int parse_vehicles(const cJSON *arr, const sim_protocol *dflt, sim_fleet *f, char *err,
                          size_t cap)
{
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || n < 1)
        return fail(err, cap, "needs a non-empty \"vehicles\" array");
    f->vehicles = calloc((size_t)n, sizeof *f->vehicles);
    if (!f->vehicles)
        return fail(err, cap, "out of memory");
    f->count = (size_t)n;
    char why[200];
    double end_s = 0;
    int i = 0;
    for (const cJSON *veh = arr->child; veh; veh = veh->next, i++) {
        sim_vehicle *v = &f->vehicles[i];
        if (parse_vehicle(veh, dflt, v, why, sizeof why) < 0)
            return fail(err, cap, "vehicle %d: %s", i, why);
        f->has_paths |= v->path.count > 0;
        double e = vehicle_end_s(v);
        end_s = e > end_s ? e : end_s;
    }
    if (f->has_paths && end_s > 0)
        f->end_s = end_s;
    return 0;
}

int sim_fleet_parse(sim_fleet *f, const char *json, const sim_protocol *dflt, char *err,
                    size_t err_cap)
{
    sim_fleet_init(f);
    cJSON *root = cJSON_Parse(json);
    if (!root)
        return fail(err, err_cap, "not valid JSON near \"%.20s\"", cJSON_GetErrorPtr());
    int rc = cJSON_IsObject(root) ? 0 : fail(err, err_cap, "top level must be an object");
    if (rc == 0)
        rc = parse_header(root, f, err, err_cap);
    if (rc == 0)
        rc = parse_vehicles(cJSON_GetObjectItemCaseSensitive(root, "vehicles"), dflt, f, err,
                            err_cap);
    double duration_s = 0;
    if (rc == 0 && get_number(root, "duration_s", 0, &duration_s) == 0 && duration_s > 0)
        f->end_s = duration_s;
    cJSON_Delete(root);
    if (rc < 0)
        sim_fleet_free(f);
    return rc;
}

int sim_fleet_load(sim_fleet *f, const char *path, const sim_protocol *dflt, char *err,
                   size_t err_cap)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return fail(err, err_cap, "%s: %s", path, strerror(errno));
    char *text = NULL;
    long len = fseek(fp, 0, SEEK_END) == 0 ? ftell(fp) : -1;
    if (len >= 0 && fseek(fp, 0, SEEK_SET) == 0 && (text = malloc((size_t)len + 1)) &&
        fread(text, 1, (size_t)len, fp) == (size_t)len)
        text[len] = '\0';
    else {
        free(text);
        text = NULL;
    }
    fclose(fp);
    if (!text)
        return fail(err, err_cap, "%s: cannot read", path);
    char why[256];
    int rc = sim_fleet_parse(f, text, dflt, why, sizeof why);
    free(text);
    if (rc < 0)
        return fail(err, err_cap, "%s: %s", path, why);
    return 0;
}

void sim_fleet_free(sim_fleet *f)
{
    for (size_t i = 0; f->vehicles && i < f->count; i++) {
        free(f->vehicles[i].path.points);
        free(f->vehicles[i].events);
    }
    free(f->vehicles);
    f->vehicles = NULL;
    f->count = 0;
}

void sim_fleet_phone(const sim_fleet *f, const char *phone_base, uint32_t index,
                     char out[JT_PHONE_MAX_DIGITS + 1])
{
    if (f->count) {
        memcpy(out, f->vehicles[index % f->count].phone, JT_PHONE_MAX_DIGITS + 1);
        return;
    }
    int width = (int)strlen(phone_base);
    unsigned long long base = strtoull(phone_base, NULL, 10);
    snprintf(out, JT_PHONE_MAX_DIGITS + 1, "%0*llu", width, base + index);
}

void sim_fleet_plate(const sim_fleet *f, uint32_t index, char out[32])
{
    if (f->count && f->vehicles[index % f->count].plate[0])
        memcpy(out, f->vehicles[index % f->count].plate, 32);
    else
        snprintf(out, 32, "\xe8\x8b\x8fG%c%04u", 'A' + (int)(index / 10000u % 26u),
                 index % 10000u); /* 苏G A0000 */
}

void sim_fleet_terminal_id(const char *phone, char out[8])
{
    size_t len = strlen(phone), n = len > 7 ? 7 : len;
    memcpy(out, phone + len - n, n);
    out[n] = '\0';
}

int sim_fleet_write_registry(const sim_fleet *f, const char *phone_base, uint32_t count, FILE *to)
{
    fputs("{\"vehicles\": [\n", to);
    for (uint32_t i = 0; i < count; i++) {
        char phone[JT_PHONE_MAX_DIGITS + 1], plate[32], terminal_id[8];
        sim_fleet_phone(f, phone_base, i, phone);
        sim_fleet_plate(f, i, plate);
        sim_fleet_terminal_id(phone, terminal_id);
        const sim_vehicle *v = f->count ? &f->vehicles[i % f->count] : NULL;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "phone", phone);
        cJSON_AddStringToObject(o, "plate", plate);
        cJSON_AddNumberToObject(o, "plate_color", v ? v->plate_color : 2);
        cJSON_AddStringToObject(o, "terminal_id", terminal_id);
        cJSON_AddStringToObject(o, "class", v && v->vclass[0] ? v->vclass : "truck");
        char *line = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!line)
            return -1;
        fprintf(to, "  %s%s\n", line, i + 1 < count ? "," : "");
        cJSON_free(line);
    }
    fputs("]}\n", to);
    return ferror(to) ? -1 : 0;
}
