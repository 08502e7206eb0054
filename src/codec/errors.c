/* errors.c - names and texts of the codec's error kinds (jt_errors.h). */
#include "fw/codec/jt_errors.h"

static const char *const err_names[] = {
#define JT_ERR_NAME(name, str, text) str,
    JT_ERR_LIST(JT_ERR_NAME)
#undef JT_ERR_NAME
};

static const char *const err_texts[] = {
#define JT_ERR_TEXT(name, str, text) text,
    JT_ERR_LIST(JT_ERR_TEXT)
#undef JT_ERR_TEXT
};

const char *jt_err_name(jt_err err)
{
    return (unsigned)err < JT_ERR__COUNT ? err_names[err] : "unknown";
}

const char *jt_err_text(jt_err err)
{
    return (unsigned)err < JT_ERR__COUNT ? err_texts[err] : "unknown error";
}
