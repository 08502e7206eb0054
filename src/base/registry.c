/* registry.c - the vehicle registry (registry.h): JSON loading with cJSON, two
 * open-addressing hash indexes (phone, plate) over one immutable vehicle array,
 * and an atomic reference count so that a reload can swap registries while
 * readers keep the old one alive.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/conffile.h"
#include "fw/base/registry.h"

#define EMPTY_SLOT UINT32_MAX

struct fw_registry {
    _Atomic unsigned refs;
    size_t count;
    fw_vehicle *vehicles;
    size_t index_cap;   /* power of two, > 2 * count */
    uint32_t *by_phone; /* vehicle index or EMPTY_SLOT */
    uint32_t *by_plate;
};

static const char *const class_names[] = {
#define FW_CLASS_NAME(name, str) str,
    FW_VEHICLE_CLASS_LIST(FW_CLASS_NAME)
#undef FW_CLASS_NAME
};

const char *fw_vehicle_class_name(fw_vehicle_class c)
{
    return (unsigned)c < FW_CLASS__COUNT ? class_names[c] : "";
}

int fw_vehicle_class_from_name(const char *name)
{
    for (unsigned c = 0; name && c < FW_CLASS__COUNT; c++)
        if (strcmp(name, class_names[c]) == 0)
            return (int)c;
    return -1;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

static const char *skip_zeros(const char *phone)
{
    while (phone[0] == '0' && phone[1])
        phone++;
    return phone;
}

typedef const char *(*key_of_fn)(const fw_vehicle *v);
static const char *phone_of(const fw_vehicle *v)
{
    return v->phone;
}
static const char *plate_of(const fw_vehicle *v)
{
    return v->plate;
}

/* Insert vehicle i; false when its key is already present. */
static bool index_insert(fw_registry *r, uint32_t *index, key_of_fn key_of, uint32_t i)
{
    const char *key = key_of(&r->vehicles[i]);
    size_t mask = r->index_cap - 1;
    for (size_t at = hash_str(key) & mask;; at = (at + 1) & mask) {
        if (index[at] == EMPTY_SLOT) {
            index[at] = i;
            return true;
        }
        if (strcmp(key_of(&r->vehicles[index[at]]), key) == 0)
            return false;
    }
}

static const fw_vehicle *index_find(const fw_registry *r, const uint32_t *index, key_of_fn key_of,
                                    const char *key)
{
    if (!r || !r->count)
        return NULL;
    size_t mask = r->index_cap - 1;
    for (size_t at = hash_str(key) & mask; index[at] != EMPTY_SLOT; at = (at + 1) & mask)
        if (strcmp(key_of(&r->vehicles[index[at]]), key) == 0)
            return &r->vehicles[index[at]];
    return NULL;
}

const fw_vehicle *fw_registry_by_phone(const fw_registry *r, const char *phone)
{
    return index_find(r, r ? r->by_phone : NULL, phone_of, skip_zeros(phone));
}

const fw_vehicle *fw_registry_by_plate(const fw_registry *r, const char *plate)
{
    return index_find(r, r ? r->by_plate : NULL, plate_of, plate);
}

size_t fw_registry_count(const fw_registry *r)
{
    return r ? r->count : 0;
}

const fw_vehicle *fw_registry_at(const fw_registry *r, size_t i)
{
    return r && i < r->count ? &r->vehicles[i] : NULL;
}

void fw_registry_ref(fw_registry *r, unsigned n)
{
    atomic_fetch_add(&r->refs, n);
}

static void registry_free(fw_registry *r)
{
    free(r->vehicles);
    free(r->by_phone);
    free(r->by_plate);
    free(r);
}

void fw_registry_unref(fw_registry *r)
{
    if (r && atomic_fetch_sub(&r->refs, 1) == 1)
        registry_free(r);
}

/* ---- parsing
 * ------------------------------------------------------------------------------
 */

typedef struct {
    char *err;
    size_t errcap;
    size_t index; /* vehicle being parsed */
} parse_ctx;

static bool fail(parse_ctx *p, const char *field, const char *why)
{
    snprintf(p->err, p->errcap, "vehicle %zu: %s: %s", p->index, field, why);
    return false;
}

static bool get_string(parse_ctx *p, const cJSON *o, const char *field, char *out, size_t cap,
                       bool required)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!j)
        return required ? fail(p, field, "missing") : true;
    if (!cJSON_IsString(j) || !*j->valuestring)
        return fail(p, field, "not a non-empty string");
    if (strlen(j->valuestring) >= cap)
        return fail(p, field, "too long");
    strcpy(out, j->valuestring);
    return true;
}

static bool get_uint(parse_ctx *p, const cJSON *o, const char *field, uint32_t max, uint32_t *out)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, field);
    *out = 0;
    if (!j)
        return true;
    if (!cJSON_IsNumber(j) || j->valuedouble < 0 || j->valuedouble > max ||
        j->valuedouble != (double)(uint32_t)j->valuedouble)
        return fail(p, field, "not an integer in range");
    *out = (uint32_t)j->valuedouble;
    return true;
}

static bool get_bool(parse_ctx *p, const cJSON *o, const char *field, bool *out)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, field);
    *out = false;
    if (!j)
        return true;
    if (!cJSON_IsBool(j))
        return fail(p, field, "not true/false");
    *out = cJSON_IsTrue(j);
    return true;
}

static bool get_class(parse_ctx *p, const cJSON *o, fw_vehicle_class *out)
{
    char name[32];
    *out = FW_CLASS_TRUCK;
    if (!cJSON_GetObjectItemCaseSensitive(o, "class"))
        return true;
    if (!get_string(p, o, "class", name, sizeof name, true))
        return false;
    int c = fw_vehicle_class_from_name(name);
    if (c < 0)
        return fail(p, "class", "unknown vehicle class");
    *out = (fw_vehicle_class)c;
    return true;
}

static bool valid_phone(const char *s)
{
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static bool parse_vehicle(parse_ctx *p, const cJSON *o, fw_vehicle *v)
{
    char phone[FW_PHONE_MAX + 1];
    uint32_t color, seats, axles;
    if (!cJSON_IsObject(o))
        return fail(p, "vehicle", "not an object");
    if (!get_string(p, o, "phone", phone, sizeof phone, true) ||
        !get_string(p, o, "plate", v->plate, sizeof v->plate, true) ||
        !get_uint(p, o, "plate_color", 255, &color) || !get_class(p, o, &v->vclass) ||
        !get_uint(p, o, "seats", 65535, &seats) ||
        !get_uint(p, o, "rated_load_kg", UINT32_MAX, &v->rated_load_kg) ||
        !get_uint(p, o, "max_gross_kg", UINT32_MAX, &v->max_gross_kg) ||
        !get_uint(p, o, "axles", 255, &axles) || !get_bool(p, o, "articulated", &v->articulated) ||
        !get_bool(p, o, "long_distance", &v->long_distance) ||
        !get_bool(p, o, "night_ban_exempt", &v->night_ban_exempt) ||
        !get_uint(p, o, "route_id", UINT32_MAX, &v->route_id) ||
        !get_string(p, o, "terminal_id", v->terminal_id, sizeof v->terminal_id, false) ||
        !get_string(p, o, "manufacturer_id", v->manufacturer_id, sizeof v->manufacturer_id,
                    false) ||
        !get_string(p, o, "terminal_model", v->terminal_model, sizeof v->terminal_model, false) ||
        !get_bool(p, o, "accept_any_terminal", &v->accept_any_terminal))
        return false;
    if (!valid_phone(phone))
        return fail(p, "phone", "not decimal digits");
    strcpy(v->phone, skip_zeros(phone));
    v->plate_color = (uint8_t)color;
    v->seats = (uint16_t)seats;
    v->axles = (uint8_t)axles;
    return true;
}

static fw_registry *registry_alloc(size_t count)
{
    fw_registry *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->count = count;
    r->index_cap = 16;
    while (r->index_cap < 2 * count)
        r->index_cap *= 2;
    r->vehicles = calloc(count ? count : 1, sizeof *r->vehicles);
    r->by_phone = malloc(r->index_cap * sizeof *r->by_phone);
    r->by_plate = malloc(r->index_cap * sizeof *r->by_plate);
    if (!r->vehicles || !r->by_phone || !r->by_plate) {
        registry_free(r);
        return NULL;
    }
    memset(r->by_phone, 0xff, r->index_cap * sizeof *r->by_phone);
    memset(r->by_plate, 0xff, r->index_cap * sizeof *r->by_plate);
    atomic_init(&r->refs, 1);
    return r;
}

/* One pass along the array's linked items (cJSON_GetArrayItem walks from the head each time,
 * which made a 100,000-vehicle registry take about a minute). */
static bool fill_registry(fw_registry *r, const cJSON *list, parse_ctx *p)
{
    const cJSON *item;
    p->index = 0;
    cJSON_ArrayForEach(item, list)
    {
        uint32_t i = (uint32_t)p->index;
        if (!parse_vehicle(p, item, &r->vehicles[i]))
            return false;
        if (!index_insert(r, r->by_phone, phone_of, i))
            return fail(p, "phone", "duplicate");
        if (!index_insert(r, r->by_plate, plate_of, i))
            return fail(p, "plate", "duplicate");
        p->index++;
    }
    return true;
}

fw_registry *fw_registry_parse(const char *json, size_t len, char *err, size_t errcap)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    if (!root) {
        snprintf(err, errcap, "not valid JSON");
        return NULL;
    }
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "vehicles");
    fw_registry *r = NULL;
    if (!cJSON_IsArray(list)) {
        snprintf(err, errcap, "no \"vehicles\" array");
    } else if (!(r = registry_alloc((size_t)cJSON_GetArraySize(list)))) {
        snprintf(err, errcap, "out of memory");
    } else {
        parse_ctx p = {err, errcap, 0};
        if (!fill_registry(r, list, &p)) {
            registry_free(r);
            r = NULL;
        }
    }
    cJSON_Delete(root);
    malloc_trim(0); /* the parse tree (tens of MB for 100,000 vehicles) goes back to the system */
    return r;
}

fw_registry *fw_registry_load(const char *path, char *err, size_t errcap)
{
    char *text = fw_read_text_file(path, err, errcap);
    if (!text)
        return NULL;
    char why[200];
    fw_registry *r = fw_registry_parse(text, strlen(text), why, sizeof why);
    if (!r)
        snprintf(err, errcap, "%s: %s", path, why);
    free(text);
    return r;
}
