/* text.c - POST /v1/vehicles/{plate or phone}/text {"text": "...", "tts": true}: a 0x8300
 * text to the driver through the gateway's send_text hook, answered with the terminal's
 * 0x0001 result (or 504 on timeout, 502 when it disconnected, 409 when not connected, 503
 * when no gateway runs in this process).
 *
 * The completion may run on a gateway worker thread: it records the outcome under the
 * texts mutex and activates the operation's event on the API's base (thread-safe: the base
 * was created after evthread_use_pthreads), whose callback answers on the API thread. When
 * the API stops first, api_texts_abort answers 503 and leaves the operation to be freed by
 * the completion.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "api_internal.h"
#include "fw/codec/jt_msg.h"
#include "fw/codec/jt_text.h"

#define API_TEXT_MAX_BYTES 1000 /* UTF-8; fits one 0x8300 frame once converted to GBK */

typedef struct {
    api_req base;
    char text[API_TEXT_MAX_BYTES + 1];
    uint8_t flags; /* JT_TEXT_* */
} text_q;

const size_t api_text_state_size = sizeof(text_q);

struct api_text_op {
    api_text_op *prev, *next;
    api_texts *texts;
    api_req *r;       /* NULL once the API answered 503 on stopping */
    struct event *ev; /* on the API's base; NULL after an abort */
    bool done;        /* the completion has run */
    fw_downlink_status status;
    uint8_t result;
    uint16_t serial;
};

/* How each downlink outcome is answered; 0 = 200 with the terminal's result. */
static const struct {
    int http_status;
    const char *error;
} outcomes[] = {
    [FW_DL_ANSWERED] = {0, NULL},
    [FW_DL_TIMEOUT] = {504, "the terminal did not answer in time"},
    [FW_DL_CLOSED] = {502, "the terminal disconnected before answering"},
    [FW_DL_NOT_SENT] = {409, "the terminal is not connected"},
};

/* 0x0001 results (JT/T 808 8.1). */
static const char *const result_names[] = {"ok", "failed", "message_error", "unsupported",
                                           "alarm_confirmed"};

void api_texts_init(api_texts *t)
{
    pthread_mutex_init(&t->mu, NULL);
    t->head = NULL;
}

void api_texts_destroy(api_texts *t)
{
    pthread_mutex_destroy(&t->mu);
}

static void unlink_op(api_texts *t, api_text_op *op)
{
    if (op->prev)
        op->prev->next = op->next;
    else
        t->head = op->next;
    if (op->next)
        op->next->prev = op->prev;
    op->prev = op->next = NULL;
}

static void answer(api_req *r, const api_text_op *op)
{
    if ((unsigned)op->status >= sizeof outcomes / sizeof outcomes[0]) {
        api_reply_error(r, 502, "unknown downlink outcome", NULL);
    } else if (outcomes[op->status].http_status) {
        api_reply_error(r, outcomes[op->status].http_status, outcomes[op->status].error, NULL);
    } else {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "phone", r->phone);
        cJSON_AddStringToObject(o, "result", op->result < 5 ? result_names[op->result] : "unknown");
        cJSON_AddNumberToObject(o, "result_code", op->result);
        cJSON_AddNumberToObject(o, "serial", op->serial);
        api_reply_json(r, 200, o);
    }
}

/* On the API thread, once the completion ran. */
static void on_op_event(evutil_socket_t fd, short what, void *arg)
{
    api_text_op *op = arg;
    (void)fd;
    (void)what;
    pthread_mutex_lock(&op->texts->mu);
    unlink_op(op->texts, op);
    pthread_mutex_unlock(&op->texts->mu);
    answer(op->r, op);
    event_free(op->ev);
    free(op);
}

/* fw_downlink_cb: any thread. */
static void on_complete(void *ctx, fw_downlink_status status, uint8_t result, uint16_t serial)
{
    api_text_op *op = ctx;
    pthread_mutex_lock(&op->texts->mu);
    op->status = status;
    op->result = result;
    op->serial = serial;
    op->done = true;
    bool orphan = op->r == NULL;
    if (!orphan)
        event_active(op->ev, EV_TIMEOUT, 0);
    pthread_mutex_unlock(&op->texts->mu);
    if (orphan)
        free(op);
}

void api_texts_abort(fw_api *api)
{
    api_texts *t = &api->texts;
    pthread_mutex_lock(&t->mu);
    while (t->head) {
        api_text_op *op = t->head;
        unlink_op(t, op);
        api_reply_error(op->r, 503, "the API is stopping", NULL);
        op->r = NULL;
        event_free(op->ev);
        op->ev = NULL;
        if (op->done)
            free(op);
    }
    pthread_mutex_unlock(&t->mu);
}

static void send_text(api_req *r)
{
    text_q *s = (text_q *)r;
    fw_api *api = r->api;
    if (api_failed(r))
        return;
    if (r->phone[0] == '\0') {
        api_reply_error(r, 404, "no such vehicle", "vehicle");
        return;
    }
    api_text_op *op = calloc(1, sizeof *op);
    if (op == NULL || (op->ev = event_new(api->base, -1, 0, on_op_event, op)) == NULL) {
        free(op);
        api_reply_error(r, 503, "out of memory", NULL);
        return;
    }
    op->texts = &api->texts;
    op->r = r;
    pthread_mutex_lock(&api->texts.mu);
    op->next = api->texts.head;
    if (op->next)
        op->next->prev = op;
    api->texts.head = op;
    pthread_mutex_unlock(&api->texts.mu);
    if (api->hooks.send_text(api->hooks.send_ctx, r->phone, s->flags, s->text,
                             api->cfg.api_text_timeout_ms, on_complete, op) != 0) {
        pthread_mutex_lock(&api->texts.mu);
        unlink_op(&api->texts, op);
        pthread_mutex_unlock(&api->texts.mu);
        event_free(op->ev);
        free(op);
        api_reply_error(r, 409, "the terminal is not connected", NULL);
    }
}

/* Does the JSON text hold a NUL, raw or escaped as \u0000? cJSON would cut the string there.
 * In JSON a backslash only starts an escape, so stepping over each escape pair finds every
 * \u0000 and never mistakes an escaped backslash followed by "u0000" for one. */
static bool json_holds_nul(const char *raw, size_t len)
{
    if (memchr(raw, '\0', len))
        return true;
    for (size_t i = 0; i + 1 < len; i++) {
        if (raw[i] != '\\')
            continue;
        if (raw[i + 1] == 'u' && i + 6 <= len && memcmp(raw + i + 2, "0000", 4) == 0)
            return true;
        i++; /* the escaped character */
    }
    return false;
}

/* Can the terminal show it? 0x8300 texts travel as GBK. */
static bool gbk_encodable(const char *utf8)
{
    uint8_t gbk[API_TEXT_MAX_BYTES];
    size_t gbk_len;
    return jt_utf8_to_gbk(utf8, strlen(utf8), gbk, sizeof gbk, &gbk_len) == JT_OK;
}

/* The body: {"text": non-empty UTF-8 string that GBK can encode, without NUL, "tts":
 * optional bool}, nothing else. */
static bool read_body(text_q *s, struct evhttp_request *req, api_bad *bad)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    const char *raw = (const char *)evbuffer_pullup(in, -1);
    cJSON *doc = raw ? cJSON_ParseWithLength(raw, len) : NULL;
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(doc, "text");
    const cJSON *tts = cJSON_GetObjectItemCaseSensitive(doc, "tts");
    *bad = (api_bad){NULL, NULL};
    if (!cJSON_IsObject(doc))
        *bad = (api_bad){"body", "expected a JSON object {\"text\": ..., \"tts\": ...}"};
    else if (cJSON_GetArraySize(doc) != (tts ? 2 : 1))
        *bad = (api_bad){"body", "unknown field (only text and tts)"};
    else if (json_holds_nul(raw, len))
        *bad = (api_bad){"text", "the text holds a NUL character (\\u0000)"};
    else if (!cJSON_IsString(text) || text->valuestring[0] == '\0' ||
             strlen(text->valuestring) > API_TEXT_MAX_BYTES ||
             !api_valid_utf8(text->valuestring, strlen(text->valuestring)))
        *bad = (api_bad){"text", "expected non-empty UTF-8 text of at most 1000 bytes"};
    else if (!gbk_encodable(text->valuestring))
        *bad = (api_bad){"text", "the text holds a character GBK cannot encode (the terminal "
                                 "shows GBK only), e.g. an emoji"};
    else if (tts && !cJSON_IsBool(tts))
        *bad = (api_bad){"tts", "expected true or false"};
    if (bad->param == NULL) {
        strcpy(s->text, text->valuestring);
        s->flags = JT_TEXT_DISPLAY | (cJSON_IsTrue(tts) ? JT_TEXT_TTS : 0);
    }
    cJSON_Delete(doc);
    return bad->param == NULL;
}

void api_text_start(api_req *r, api_query *q)
{
    text_q *s = (text_q *)r;
    api_bad bad;
    (void)q;
    if (!read_body(s, r->http, &bad)) {
        api_reply_bad(r, &bad);
        return;
    }
    r->audit_detail = s->text;
    if (r->api->hooks.send_text == NULL) {
        api_reply_error(r, 503, "no gateway in this process", NULL);
        return;
    }
    api_resolve_vehicle(r, send_text);
}
