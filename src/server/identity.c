/* identity.c - a registration against the registry's binding (identity.h). */
#include <string.h>

#include "fw/codec/jt_text.h"
#include "identity.h"

/* Bytes of a fixed-width field without the trailing NULs and spaces some terminals pad with. */
static size_t trimmed_len(jt_bytes b)
{
    size_t n = b.len;
    while (n && (b.p[n - 1] == ' ' || b.p[n - 1] == '\0'))
        n--;
    return n;
}

/* The field sent equals the registry's text; an empty registry text matches anything. */
static bool field_matches(jt_bytes sent, const char *on_file)
{
    size_t want = strlen(on_file);
    return !want || (trimmed_len(sent) == want && memcmp(sent.p, on_file, want) == 0);
}

static bool plate_matches(const jt_register *reg, const fw_vehicle *v)
{
    char plate[FW_PLATE_MAX * 2];
    size_t len;
    return jt_gbk_to_utf8(reg->plate.p, trimmed_len(reg->plate), plate, sizeof plate, &len) ==
               JT_OK &&
           strcmp(plate, v->plate) == 0;
}

fw_identity_verdict fw_identity_check(const fw_vehicle *v, const jt_register *reg)
{
    if (!v)
        return FW_IDENTITY_UNKNOWN_PHONE;
    if (reg->plate_color != v->plate_color)
        return FW_IDENTITY_PLATE_COLOR;
    if (!plate_matches(reg, v))
        return FW_IDENTITY_PLATE;
    if (!v->terminal_id[0] && !v->accept_any_terminal)
        return FW_IDENTITY_NO_TERMINAL_ON_FILE;
    if (!field_matches(reg->terminal_id, v->terminal_id))
        return FW_IDENTITY_TERMINAL_ID;
    if (!field_matches(reg->maker, v->manufacturer_id))
        return FW_IDENTITY_MAKER;
    if (!field_matches(reg->model, v->terminal_model))
        return FW_IDENTITY_MODEL;
    return FW_IDENTITY_OK;
}
