/* test_server_inproc.c - the gateway library in-process: a delayed asynchronous sink (acks only
 * after storing), a refusing sink (no ack), the location hook (0x0200 and 0x0704 blind-area
 * entries), downlink commands answered by 0x0001 or timing out, the metrics snapshot, a 0x1005
 * handed to the message hook before its ack, and a graceful stop that still sends the acks of
 * locations being stored and reports the terminal's disconnect.
 *
 * The test thread plays the terminal over a real TCP socket to 127.0.0.1; frames are built and
 * read with the codec.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <event2/event.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fw/codec/jt_encode.h"
#include "fw/server/server.h"
#include "test_util.h"

#define PHONE         "13800000001"
#define SINK_DELAY_MS 80

/* ---- a sink that stores after a delay, or refuses --------------------------------------- */

static atomic_bool refuse_next;

typedef struct {
    fw_sink base;
    struct event_base *evb;
} delayed_sink;

typedef struct {
    fw_sink_done_fn done;
    void *cookie;
} pending_store;

static void store_now(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    pending_store *p = arg;
    p->done(p->cookie, 0);
    free(p);
}

static int delayed_submit(fw_sink *s, const fw_location_rec *rec, fw_sink_done_fn done,
                          void *cookie)
{
    (void)rec;
    if (atomic_exchange(&refuse_next, false))
        return FW_SINK_FULL;
    pending_store *p = malloc(sizeof *p);
    p->done = done;
    p->cookie = cookie;
    struct timeval tv = {0, SINK_DELAY_MS * 1000};
    event_base_once(((delayed_sink *)s)->evb, -1, EV_TIMEOUT, store_now, p, &tv);
    return FW_SINK_QUEUED;
}

static void delayed_close(fw_sink *s)
{
    free(s);
}

static const fw_sink_ops delayed_ops = {"delayed", delayed_submit, delayed_close};

static fw_sink *delayed_sink_new(void *ctx, struct event_base *base, unsigned worker)
{
    (void)ctx;
    (void)worker;
    delayed_sink *s = calloc(1, sizeof *s);
    s->base.ops = &delayed_ops;
    s->evb = base;
    return &s->base;
}

/* ---- the location hook ------------------------------------------------------------------ */

typedef struct {
    uint16_t msg_id, batch_index;
    bool blind_area;
    bool session_first;
    int32_t lat_e6;
    fw_position pos; /* as the gateway made it */
    char plate[FW_PLATE_MAX + 1];
} seen_location;

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static seen_location seen[16];
static int seen_count;

static void on_location(void *ctx, const fw_location_rec *rec)
{
    (void)ctx;
    pthread_mutex_lock(&seen_lock);
    if (seen_count < 16) {
        seen_location *s = &seen[seen_count++];
        s->msg_id = rec->msg_id;
        s->batch_index = rec->batch_index;
        s->blind_area = rec->pos->late;
        s->session_first = rec->session_first;
        s->lat_e6 = rec->pos->lat_e6;
        s->pos = *rec->pos;
        strcpy(s->plate, rec->vehicle ? rec->vehicle->plate : "");
    }
    pthread_mutex_unlock(&seen_lock);
}

/* ---- the message and disconnect hooks --------------------------------------------------- */

typedef struct {
    int count;
    unsigned worker;
    uint16_t msg_id, serial, boarded, alighted;
    char phone[FW_PHONE_MAX + 1];
    char plate[FW_PLATE_MAX + 1];
} seen_call;

static seen_call seen_message, seen_disconnect;

static void record_call(seen_call *c, const char *phone, const fw_vehicle *vehicle, unsigned worker)
{
    c->count++;
    c->worker = worker;
    snprintf(c->phone, sizeof c->phone, "%s", phone);
    snprintf(c->plate, sizeof c->plate, "%s", vehicle ? vehicle->plate : "");
}

static void on_other_message(void *ctx, const fw_message_rec *rec)
{
    (void)ctx;
    pthread_mutex_lock(&seen_lock);
    record_call(&seen_message, rec->phone, rec->vehicle, rec->worker);
    seen_message.msg_id = rec->msg_id;
    seen_message.serial = rec->serial;
    seen_message.boarded = rec->body->u.flow.boarded;
    seen_message.alighted = rec->body->u.flow.alighted;
    pthread_mutex_unlock(&seen_lock);
}

static void on_disconnect(void *ctx, const char *phone, const fw_vehicle *vehicle, unsigned worker)
{
    (void)ctx;
    pthread_mutex_lock(&seen_lock);
    record_call(&seen_disconnect, phone, vehicle, worker);
    pthread_mutex_unlock(&seen_lock);
}

/* ---- the terminal side ------------------------------------------------------------------ */

static fw_server *srv;
static int term;
static uint16_t term_serial = 1;

static uint16_t send_msg(uint16_t msg_id, const uint8_t *body, size_t len)
{
    uint8_t phone[10], phone_len, out[JT_MAX_ESCAPED_FRAME];
    assert_int_equal(jt_phone_to_bcd(PHONE, JT_V2013, phone, &phone_len), JT_OK);
    jt_header_out h = {
        .msg_id = msg_id, .serial = term_serial++, .version = JT_V2013, .phone_raw = phone};
    jt_err err;
    size_t n = jt_frame_build(&h, body, len, out, sizeof out, &err);
    assert_true(n > 0);
    assert_int_equal(send(term, out, n, 0), (ssize_t)n);
    return h.serial;
}

/* Read one frame within timeout_ms into buf and parse it; false on timeout. */
static bool read_msg(uint8_t *buf, int timeout_ms, jt_frame *f)
{
    size_t n = 0;
    struct pollfd p = {term, POLLIN, 0};
    while (poll(&p, 1, timeout_ms) > 0 && n < 2048) {
        if (recv(term, buf + n, 1, 0) != 1)
            return false;
        if (n == 0 && buf[0] != 0x7e)
            continue;
        n++;
        if (n > 2 && buf[n - 1] == 0x7e)
            return jt_frame_parse(buf + 1, n - 2, f) == JT_OK;
    }
    return false;
}

static jt_general_ack read_ack(int timeout_ms)
{
    uint8_t buf[2048];
    jt_frame f;
    jt_body b;
    assert_true(read_msg(buf, timeout_ms, &f));
    assert_int_equal(f.msg_id, JT_MSG_PLAT_ACK);
    assert_int_equal(jt_decode_body(&f, &b), JT_OK);
    return b.u.ack;
}

/* A fixed 0x0200 at 60 km/h, with the tachograph's 58.5 km/h and the load item 0xE1 (1234). */
static uint16_t send_location(uint8_t *body, size_t *len)
{
    static const uint8_t items[] = {0x03, 2, 0x02, 0x49, 0xE1, 2, 0x04, 0xD2};
    jt_location_in l = {.status = JT_STATUS_FIXED,
                        .lat_raw = 39900000,
                        .lon_raw = 116400000,
                        .speed_dkmh = 600,
                        .time_utc = 1764300000,
                        .items = items,
                        .items_len = sizeof items};
    assert_int_equal(jt_enc_location(&l, body, 256, len), JT_OK);
    return send_msg(JT_MSG_LOCATION, body, *len);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int setup(void **state)
{
    (void)state;
    fw_server_config cfg;
    char err[256];
    fw_server_config_defaults(&cfg);
    uint16_t port = tu_free_port();
    snprintf(cfg.listen, sizeof cfg.listen, "127.0.0.1:%u", port);
    strcpy(cfg.registry_path, FW_TEST_DATA_DIR "/registry_test.json");
    cfg.workers = 1;
    fw_log_set_level(FW_LOG_WARN);
    cfg.position = (fw_position_config){.items = {.load_id = 0xE1, .load_unit_kg = 10},
                                        .speed_from_tacho = true};
    fw_server_hooks hooks = {.sink_factory = delayed_sink_new,
                             .on_location = on_location,
                             .on_other_message = on_other_message,
                             .on_disconnect = on_disconnect};
    srv = fw_server_new(&cfg, &hooks, err, sizeof err);
    assert_non_null(srv);
    assert_int_equal(fw_server_start(srv), 0);
    term = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {
        .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(term, (struct sockaddr *)&a, sizeof a), 0);
    /* register as the device the registry binds the vehicle to, then authenticate with the
     * code the 0x8100 carries */
    jt_register_in reg = {.layout = JT_REG_2013,
                          .maker = "MAKER",
                          .model = "MODEL",
                          .terminal_id = "0000001",
                          .plate_color = 1,
                          .plate = "\xe4\xba\xac"
                                   "A12345"};
    uint8_t body[128], buf[2048];
    size_t len;
    assert_int_equal(jt_enc_register(&reg, body, sizeof body, &len), JT_OK);
    send_msg(JT_MSG_REGISTER, body, len);
    jt_frame f;
    jt_body b;
    assert_true(read_msg(buf, 2000, &f));
    assert_int_equal(f.msg_id, JT_MSG_REGISTER_REPLY);
    assert_int_equal(jt_decode_body(&f, &b), JT_OK);
    assert_int_equal(b.u.reg_reply.result, JT_REG_OK);
    uint16_t serial = send_msg(JT_MSG_AUTH, b.u.reg_reply.auth_code.p, b.u.reg_reply.auth_code.len);
    jt_general_ack ack = read_ack(2000);
    assert_int_equal(ack.reply_serial, serial);
    assert_int_equal(ack.result, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    close(term);
    fw_server_free(srv);
    return 0;
}

static void location_acked_only_after_stored(void **state)
{
    (void)state;
    uint8_t body[256];
    size_t len;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint16_t serial = send_location(body, &len);
    jt_general_ack ack = read_ack(2000);
    assert_true(ms_since(&t0) >= SINK_DELAY_MS - 5);
    assert_int_equal(ack.reply_serial, serial);
    assert_int_equal(ack.reply_id, JT_MSG_LOCATION);
    assert_int_equal(ack.result, 0);
    pthread_mutex_lock(&seen_lock);
    assert_int_equal(seen_count, 1);
    assert_int_equal(seen[0].msg_id, JT_MSG_LOCATION);
    assert_int_equal(seen[0].lat_e6, 39900000);
    assert_true(seen[0].session_first); /* the connection's first location */
    assert_string_equal(seen[0].plate, "\xe4\xba\xac"
                                       "A12345");
    /* the position made once, with the configured items and speed source */
    assert_true(seen[0].pos.fixed);
    assert_int_equal(seen[0].pos.time_utc, 1764300000);
    assert_true(seen[0].pos.has_load);
    assert_int_equal(seen[0].pos.load_kg, 12340);
    assert_false(seen[0].pos.has_passengers);
    assert_int_equal(seen[0].pos.gnss_speed_dkmh, 600);
    assert_int_equal(seen[0].pos.speed_dkmh, 585);
    assert_false(seen[0].pos.late);
    assert_false(seen[0].pos.future);
    seen_count = 0;
    pthread_mutex_unlock(&seen_lock);
}

static void batch_waits_for_every_entry(void **state)
{
    (void)state;
    jt_location_in l[3] = {{.lat_raw = 1000000, .time_utc = 1764300000},
                           {.lat_raw = 2000000, .time_utc = 1764300010},
                           {.lat_raw = 3000000, .time_utc = 1764300020}};
    uint8_t body[512];
    size_t len;
    assert_int_equal(jt_enc_location_batch(JT_BATCH_BLIND_AREA, l, 3, body, sizeof body, &len),
                     JT_OK);
    uint16_t serial = send_msg(JT_MSG_LOCATION_BATCH, body, len);
    jt_general_ack ack = read_ack(2000);
    assert_int_equal(ack.reply_serial, serial);
    assert_int_equal(ack.reply_id, JT_MSG_LOCATION_BATCH);
    assert_int_equal(ack.result, 0);
    uint8_t extra[64];
    jt_frame f;
    assert_false(read_msg(extra, 200, &f)); /* one ack for the batch, not three */
    pthread_mutex_lock(&seen_lock);
    assert_int_equal(seen_count, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(seen[i].batch_index, i);
        assert_true(seen[i].blind_area);
        assert_false(seen[i].session_first);
        assert_int_equal(seen[i].lat_e6, (i + 1) * 1000000);
    }
    seen_count = 0;
    pthread_mutex_unlock(&seen_lock);
}

static void refused_by_sink_is_not_acked(void **state)
{
    (void)state;
    uint8_t body[256], buf[256];
    size_t len;
    atomic_store(&refuse_next, true);
    send_location(body, &len);
    jt_frame f;
    assert_false(read_msg(buf, SINK_DELAY_MS * 3, &f));
    fw_metrics_snapshot m;
    fw_server_metrics(srv, &m);
    assert_int_equal(m.server_errors[FW_SERR_SINK_FULL], 1);
    /* the retransmission is stored and acked */
    uint16_t serial = send_msg(JT_MSG_LOCATION, body, len);
    assert_int_equal(read_ack(2000).reply_serial, serial);
    pthread_mutex_lock(&seen_lock);
    seen_count = 0;
    pthread_mutex_unlock(&seen_lock);
}

typedef struct {
    atomic_int calls;
    atomic_int status;
    atomic_int result;
    atomic_int serial;
} downlink_outcome;

static void on_downlink(void *ctx, fw_downlink_status status, uint8_t result, uint16_t serial)
{
    downlink_outcome *o = ctx;
    atomic_store(&o->status, (int)status);
    atomic_store(&o->result, result);
    atomic_store(&o->serial, serial);
    atomic_fetch_add(&o->calls, 1);
}

static bool wait_calls(downlink_outcome *o, int ms)
{
    for (int i = 0; i < ms / 10 && atomic_load(&o->calls) == 0; i++)
        usleep(10000);
    return atomic_load(&o->calls) == 1;
}

static void text_command_answered_by_terminal(void **state)
{
    (void)state;
    downlink_outcome o = {0};
    assert_int_equal(fw_server_send_text(srv, PHONE, JT_TEXT_TTS | JT_TEXT_DISPLAY,
                                         "\xe4\xbd\xa0\xe5\xa5\xbd", 2000, on_downlink, &o),
                     0);
    uint8_t buf[256];
    jt_frame f;
    jt_body b;
    assert_true(read_msg(buf, 2000, &f));
    assert_int_equal(f.msg_id, JT_MSG_TEXT);
    assert_int_equal(jt_decode_body(&f, &b), JT_OK);
    assert_int_equal(b.u.text.flags, JT_TEXT_TTS | JT_TEXT_DISPLAY);
    assert_int_equal(b.u.text.text.len, 4);
    assert_memory_equal(b.u.text.text.p, "\xc4\xe3\xba\xc3", 4); /* GBK */
    jt_general_ack reply = {f.serial, JT_MSG_TEXT, 0};
    uint8_t body[16];
    size_t len;
    jt_enc_term_ack(&reply, body, sizeof body, &len);
    send_msg(JT_MSG_TERM_ACK, body, len);
    assert_true(wait_calls(&o, 2000));
    assert_int_equal(atomic_load(&o.status), FW_DL_ANSWERED);
    assert_int_equal(atomic_load(&o.result), 0);
    assert_int_equal(atomic_load(&o.serial), f.serial);
}

static void unanswered_command_times_out(void **state)
{
    (void)state;
    downlink_outcome o = {0};
    assert_int_equal(
        fw_server_send(srv, PHONE, JT_MSG_QUERY_LOCATION, NULL, 0, 300, on_downlink, &o), 0);
    uint8_t buf[256];
    jt_frame f;
    assert_true(read_msg(buf, 2000, &f));
    assert_int_equal(f.msg_id, JT_MSG_QUERY_LOCATION);
    assert_true(wait_calls(&o, 3000));
    assert_int_equal(atomic_load(&o.status), FW_DL_TIMEOUT);
    assert_int_equal(
        fw_server_send(srv, "13999999999", JT_MSG_QUERY_LOCATION, NULL, 0, 300, on_downlink, &o),
        -1);
}

static void metrics_count_what_happened(void **state)
{
    (void)state;
    fw_metrics_snapshot m;
    fw_server_metrics(srv, &m);
    assert_int_equal(m.conn_open, 1);
    assert_int_equal(m.sessions_open, 1);
    assert_true(m.frames_by_msg[fw_metrics_msg_slot(JT_MSG_LOCATION)] >= 3);
    assert_int_equal(m.frames_by_msg[fw_metrics_msg_slot(JT_MSG_LOCATION_BATCH)], 1);
    assert_true(m.locations >= 5);
    assert_true(m.downlink_sent >= 2);
    assert_true(m.downlink_answered >= 1);
    assert_true(m.acks_by_result[0] >= 4);
    char text[16384];
    assert_true(fw_metrics_render_prometheus(&m, text, sizeof text) < sizeof text);
    assert_non_null(strstr(text, "fleetwatch_sessions_open 1\n"));
}

static void passenger_flow_goes_to_the_message_hook(void **state)
{
    (void)state;
    uint8_t body[64];
    size_t len;
    assert_int_equal(jt_enc_passenger_flow(1764300000, 1764300600, 12, 5, body, sizeof body, &len),
                     JT_OK);
    uint16_t serial = send_msg(JT_MSG_PASSENGER_FLOW, body, len);
    jt_general_ack ack = read_ack(2000); /* the hook ran before the ack */
    assert_int_equal(ack.reply_serial, serial);
    assert_int_equal(ack.result, 0);
    pthread_mutex_lock(&seen_lock);
    assert_int_equal(seen_message.count, 1);
    assert_int_equal(seen_message.worker, 0);
    assert_int_equal(seen_message.msg_id, JT_MSG_PASSENGER_FLOW);
    assert_int_equal(seen_message.serial, serial);
    assert_int_equal(seen_message.boarded, 12);
    assert_int_equal(seen_message.alighted, 5);
    assert_string_equal(seen_message.phone, PHONE);
    assert_string_equal(seen_message.plate, "\xe4\xba\xac"
                                            "A12345");
    assert_int_equal(seen_disconnect.count, 0);
    pthread_mutex_unlock(&seen_lock);
}

static void stop_sends_acks_still_being_stored(void **state)
{
    (void)state;
    uint8_t body[256], buf[64];
    size_t len;
    uint16_t serial = send_location(body, &len);
    for (int i = 0; i < 200; i++) { /* until the worker has handed it to the sink */
        pthread_mutex_lock(&seen_lock);
        int n = seen_count;
        pthread_mutex_unlock(&seen_lock);
        if (n)
            break;
        usleep(1000);
    }
    fw_server_stop(srv); /* the sink still holds the location for SINK_DELAY_MS */
    jt_general_ack ack = read_ack(2000);
    assert_int_equal(ack.reply_serial, serial);
    assert_int_equal(ack.result, 0);
    assert_int_equal(recv(term, buf, sizeof buf, 0), 0); /* then closed */
}

static void stop_reports_the_disconnect(void **state)
{
    (void)state;
    pthread_mutex_lock(&seen_lock);
    assert_int_equal(seen_disconnect.count, 1);
    assert_int_equal(seen_disconnect.worker, 0);
    assert_string_equal(seen_disconnect.phone, PHONE);
    assert_string_equal(seen_disconnect.plate, "\xe4\xba\xac"
                                               "A12345");
    pthread_mutex_unlock(&seen_lock);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(location_acked_only_after_stored),
        cmocka_unit_test(batch_waits_for_every_entry),
        cmocka_unit_test(refused_by_sink_is_not_acked),
        cmocka_unit_test(text_command_answered_by_terminal),
        cmocka_unit_test(unanswered_command_times_out),
        cmocka_unit_test(metrics_count_what_happened),
        cmocka_unit_test(passenger_flow_goes_to_the_message_hook),
        cmocka_unit_test(stop_sends_acks_still_being_stored),
        cmocka_unit_test(stop_reports_the_disconnect),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
