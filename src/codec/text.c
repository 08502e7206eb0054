/* text.c - GBK <-> UTF-8 conversion for JT/T 808 strings (jt_text.h).
 *
 * glibc iconv does the work. Each thread opens one conversion descriptor per direction on
 * first use and keeps it until the thread exits (the only allocation), resetting its shift
 * state before every call so that a failed conversion cannot leak into the next one.
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdbool.h>

#include "fw/codec/jt_text.h"

typedef struct {
    iconv_t cd;
    bool opened; /* zero-initialised: no descriptor yet */
} cached_iconv;

typedef struct {
    cached_iconv to_utf8;
    cached_iconv to_gbk;
} thread_descriptors;

static _Thread_local thread_descriptors thread_cds;
static pthread_key_t close_at_exit_key; /* its destructor closes a thread's descriptors */
static pthread_once_t close_at_exit_once = PTHREAD_ONCE_INIT;

static void close_thread_descriptors(void *p)
{
    thread_descriptors *t = p;
    cached_iconv *all[] = {&t->to_utf8, &t->to_gbk};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        if (all[i]->opened)
            iconv_close(all[i]->cd);
        all[i]->opened = false;
    }
}

static void create_close_at_exit_key(void)
{
    pthread_key_create(&close_at_exit_key, close_thread_descriptors);
}

static bool cached_open(cached_iconv *c, const char *to, const char *from)
{
    if (!c->opened) {
        c->cd = iconv_open(to, from);
        c->opened = c->cd != (iconv_t)-1;
        pthread_once(&close_at_exit_once, create_close_at_exit_key);
        pthread_setspecific(close_at_exit_key, &thread_cds);
    }
    return c->opened;
}

/* Convert in[0..len) into out[0..cap); *out_len = bytes written. */
static jt_err convert(cached_iconv *c, const char *to, const char *from, const void *in, size_t len,
                      void *out, size_t cap, size_t *out_len)
{
    *out_len = 0;
    if (!cached_open(c, to, from))
        return JT_ERR_BAD_TEXT; /* the C library lacks the conversion: no text is usable */
    iconv(c->cd, NULL, NULL, NULL, NULL);
    char *src = (char *)in, *dst = out;
    size_t src_left = len, dst_left = cap;
    size_t rc = iconv(c->cd, &src, &src_left, &dst, &dst_left);
    if (rc != (size_t)-1)
        rc = iconv(c->cd, NULL, NULL, &dst, &dst_left); /* flush any shift sequence */
    if (rc == (size_t)-1)
        return errno == E2BIG ? JT_ERR_NO_SPACE : JT_ERR_BAD_TEXT;
    *out_len = cap - dst_left;
    return JT_OK;
}

jt_err jt_gbk_to_utf8(const uint8_t *in, size_t len, char *out, size_t cap, size_t *out_len)
{
    size_t n = 0;
    jt_err err = cap == 0 ? JT_ERR_NO_SPACE
                          : convert(&thread_cds.to_utf8, "UTF-8", "GBK", in, len, out, cap - 1, &n);
    if (cap > 0)
        out[err == JT_OK ? n : 0] = '\0';
    *out_len = err == JT_OK ? n : 0;
    return err;
}

jt_err jt_utf8_to_gbk(const char *in, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
    return convert(&thread_cds.to_gbk, "GBK", "UTF-8", in, len, out, cap, out_len);
}

size_t jt_trim_field(const uint8_t *p, size_t len)
{
    while (len > 0 && (p[len - 1] == '\0' || p[len - 1] == ' '))
        len--;
    return len;
}
