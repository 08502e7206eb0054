/* test_subpkg.c - sub-package reassembly (jt_subpkg.h): in-order, out-of-order and duplicate
 * packets, resend requests with the missing indexes, expiry after the retries, the memory
 * bounds, the per-terminal message cap (oldest evicted), forget(), and the corpus's real
 * sub-packaged messages (a 2019 0x0100 in 3 packets, a 0x0801 camera upload in 10 packets with
 * bad check codes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fw/codec/jt_msg.h"
#include "fw/codec/jt_subpkg.h"

#include "test_util.h"

#define TIMEOUT_MS 5000u

static jt_subpkg *make(size_t max_msgs, size_t max_bytes, uint8_t max_retries)
{
    jt_subpkg_config cfg = {.max_msgs = max_msgs,
                            .max_bytes = max_bytes,
                            .timeout_ms = TIMEOUT_MS,
                            .max_retries = max_retries};
    jt_subpkg *sp = jt_subpkg_new(&cfg);
    assert_non_null(sp);
    return sp;
}

/* The serial packet() gives the packet with this index. */
static uint16_t packet_serial(uint16_t index)
{
    return (uint16_t)(0x100 + index);
}

/* A parsed packet as jt_frame_parse() would leave it; body is a NUL-terminated string. */
static jt_frame packet(const char *phone, uint16_t msg_id, uint16_t total, uint16_t index,
                       const char *body)
{
    jt_frame f = {.msg_id = msg_id,
                  .subpkg = true,
                  .version = JT_V2013,
                  .serial = packet_serial(index),
                  .pkg_total = total,
                  .pkg_index = index,
                  .body = (const uint8_t *)body,
                  .body_avail = (uint16_t)strlen(body)};
    strcpy(f.phone, phone);
    return f;
}

/* Add a packet that must not complete its message. */
static void add_partial(jt_subpkg *sp, const jt_frame *f, uint64_t now_ms)
{
    jt_subpkg_msg msg;
    bool done = true;
    assert_int_equal(jt_subpkg_add(sp, f, now_ms, &msg, &done), JT_OK);
    assert_false(done);
}

/* Add a packet that must complete its message with the given body. */
static void add_final(jt_subpkg *sp, const jt_frame *f, const char *body, jt_subpkg_msg *msg)
{
    bool done = false;
    assert_int_equal(jt_subpkg_add(sp, f, 0, msg, &done), JT_OK);
    assert_true(done);
    assert_int_equal(msg->body_len, strlen(body));
    assert_memory_equal(msg->body, body, msg->body_len);
    assert_string_equal(msg->phone, f->phone);
    assert_int_equal(msg->msg_id, f->msg_id);
    assert_int_equal(msg->last_serial, f->serial);
}

/* Packets of one message fed in order of arrival: every packet but the last leaves it
 * pending (a repeated index changes nothing), the last completes it in index order. */
typedef struct {
    const char *what;
    uint16_t msg_id, total;
    struct {
        uint16_t index;
        const char *body;
    } arrivals[4];
    size_t arrival_count;
    const char *merged;
} assembly_case;

static const assembly_case assembly_cases[] = {
    {"in order", 0x0801, 3, {{1, "AAA"}, {2, "BB"}, {3, "C"}}, 3, "AAABBC"},
    {"out of order, packet 1 last",
     0x0104,
     4,
     {{4, "four"}, {2, "two-"}, {3, ""}, {1, "one-"}},
     4,
     "one-two-four"},
    {"a repeated packet is ignored",
     0x0801,
     2,
     {{1, "first"}, {1, "OTHER"}, {2, "-second"}},
     3,
     "first-second"},
};

static void assemble(const assembly_case *c)
{
    jt_subpkg *sp = make(4, 4096, 1);
    bool seen[5] = {false};
    jt_subpkg_msg msg;
    for (size_t i = 0; i + 1 < c->arrival_count; i++) {
        jt_frame f =
            packet("13800138000", c->msg_id, c->total, c->arrivals[i].index, c->arrivals[i].body);
        size_t bytes_before = jt_subpkg_bytes(sp);
        add_partial(sp, &f, 0);
        assert_int_equal(jt_subpkg_count(sp), 1);
        if (seen[f.pkg_index])
            assert_int_equal(jt_subpkg_bytes(sp), bytes_before);
        else
            assert_true(jt_subpkg_bytes(sp) >= bytes_before + strlen(c->arrivals[i].body));
        seen[f.pkg_index] = true;
    }
    const size_t last = c->arrival_count - 1;
    jt_frame f =
        packet("13800138000", c->msg_id, c->total, c->arrivals[last].index, c->arrivals[last].body);
    add_final(sp, &f, c->merged, &msg);
    assert_int_equal(msg.first_serial, packet_serial(1)); /* packet 1's, whenever it came */
    assert_int_equal(msg.version, JT_V2013);
    assert_int_equal(jt_subpkg_count(sp), 0);
    assert_int_equal(jt_subpkg_bytes(sp), 0);
    jt_subpkg_free(sp);
}

static void packets_complete_in_index_order(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof assembly_cases / sizeof assembly_cases[0]; i++)
        assemble(&assembly_cases[i]);
}

static void bad_indexes_are_invalid(void **state)
{
    (void)state;
    jt_subpkg *sp = make(4, 4096, 1);
    jt_subpkg_msg msg;
    bool done = true;
    jt_frame f = packet("1", 0x0801, 3, 0, "x");
    assert_int_equal(jt_subpkg_add(sp, &f, 0, &msg, &done), JT_ERR_SUBPKG_INVALID);
    f = packet("1", 0x0801, 3, 4, "x");
    assert_int_equal(jt_subpkg_add(sp, &f, 0, &msg, &done), JT_ERR_SUBPKG_INVALID);
    f = packet("1", 0x0801, 0, 0, "x");
    assert_int_equal(jt_subpkg_add(sp, &f, 0, &msg, &done), JT_ERR_SUBPKG_INVALID);
    f = packet("1", 0x0801, 3, 1, "x");
    f.subpkg = false;
    assert_int_equal(jt_subpkg_add(sp, &f, 0, &msg, &done), JT_ERR_SUBPKG_INVALID);
    assert_false(done);
    assert_int_equal(jt_subpkg_count(sp), 0);
    jt_subpkg_free(sp);
}

static void version_disagreement_is_mismatch(void **state)
{
    (void)state;
    jt_subpkg *sp = make(4, 4096, 1);
    jt_frame p1 = packet("1", 0x0801, 2, 1, "a");
    jt_frame p2 = packet("1", 0x0801, 2, 2, "b");
    p2.version = JT_V2019;
    add_partial(sp, &p1, 0);
    jt_subpkg_msg msg;
    bool done = true;
    assert_int_equal(jt_subpkg_add(sp, &p2, 0, &msg, &done), JT_ERR_SUBPKG_MISMATCH);
    assert_false(done);
    /* a different total is a different message, not a mismatch */
    jt_frame other = packet("1", 0x0801, 5, 2, "b");
    add_partial(sp, &other, 0);
    assert_int_equal(jt_subpkg_count(sp), 2);
    jt_subpkg_free(sp);
}

/* Records poll() events. */
typedef struct {
    int resends, expiries;
    jt_subpkg_event last;
    char phone[JT_PHONE_MAX_DIGITS + 1];
    uint16_t msg_id, first_serial;
    uint16_t missing[16];
    uint16_t missing_count;
} events;

static void record(void *ctx, jt_subpkg_event ev, const char *phone, uint16_t msg_id,
                   jt_version version, uint16_t first_serial, const uint16_t *missing,
                   uint16_t missing_count)
{
    events *e = ctx;
    assert_int_equal(version, JT_V2013);
    e->last = ev;
    e->resends += ev == JT_SUBPKG_RESEND;
    e->expiries += ev == JT_SUBPKG_EXPIRED;
    strcpy(e->phone, phone);
    e->msg_id = msg_id;
    e->first_serial = first_serial;
    e->missing_count = missing_count;
    assert_true(missing_count <= 16);
    if (missing_count)
        memcpy(e->missing, missing, missing_count * sizeof *missing);
}

static void missing_packets_are_requested_then_late_ones_complete(void **state)
{
    (void)state;
    jt_subpkg *sp = make(4, 4096, 3);
    jt_frame p[5];
    const char *parts[5] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; i++)
        p[i] = packet("13912344329", 0x0801, 5, (uint16_t)(i + 1), parts[i]);
    add_partial(sp, &p[0], 1000);
    add_partial(sp, &p[2], 1000);
    add_partial(sp, &p[4], 2000); /* the silence starts at the last packet */

    uint16_t ids[8], first = 0;
    assert_int_equal(jt_subpkg_missing(sp, "13912344329", 0x0801, ids, 8, &first), 2);
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[1], 4);
    assert_int_equal(first, p[0].serial);
    assert_int_equal(jt_subpkg_missing(sp, "13912344329", 0x0801, ids, 1, NULL), 1);
    assert_int_equal(jt_subpkg_missing(sp, "13912344329", 0x0200, ids, 8, NULL), 0);

    events ev = {0};
    jt_subpkg_poll(sp, 2000 + TIMEOUT_MS - 1, record, &ev);
    assert_int_equal(ev.resends, 0);
    jt_subpkg_poll(sp, 2000 + TIMEOUT_MS, record, &ev);
    assert_int_equal(ev.resends, 1);
    assert_string_equal(ev.phone, "13912344329");
    assert_int_equal(ev.msg_id, 0x0801);
    assert_int_equal(ev.first_serial, p[0].serial);
    assert_int_equal(ev.missing_count, 2);
    assert_int_equal(ev.missing[0], 2);
    assert_int_equal(ev.missing[1], 4);

    add_partial(sp, &p[3], 8000);
    jt_subpkg_msg msg;
    add_final(sp, &p[1], "abcde", &msg);
    jt_subpkg_poll(sp, 100000, record, &ev);
    assert_int_equal(ev.resends, 1);
    assert_int_equal(ev.expiries, 0);
    jt_subpkg_free(sp);
}

static void silent_messages_expire_after_the_retries(void **state)
{
    (void)state;
    jt_subpkg *sp = make(4, 4096, 2);
    jt_frame p = packet("1", 0x0801, 3, 2, "b");
    add_partial(sp, &p, 0);
    events ev = {0};
    jt_subpkg_poll(sp, TIMEOUT_MS, record, &ev);
    assert_int_equal(ev.resends, 1);
    assert_int_equal(ev.missing_count, 2);
    assert_int_equal(ev.missing[0], 1);
    assert_int_equal(ev.missing[1], 3);
    assert_int_equal(ev.first_serial, p.serial);         /* packet 1 never came */
    jt_subpkg_poll(sp, 2 * TIMEOUT_MS - 1, record, &ev); /* the request restarted the clock */
    assert_int_equal(ev.resends, 1);
    jt_subpkg_poll(sp, 2 * TIMEOUT_MS, record, &ev);
    assert_int_equal(ev.resends, 2);
    jt_subpkg_poll(sp, 3 * TIMEOUT_MS, record, &ev);
    assert_int_equal(ev.resends, 2);
    assert_int_equal(ev.expiries, 1);
    assert_int_equal(ev.last, JT_SUBPKG_EXPIRED);
    assert_string_equal(ev.phone, "1");
    assert_int_equal(jt_subpkg_count(sp), 0);
    assert_int_equal(jt_subpkg_bytes(sp), 0);
    jt_subpkg_poll(sp, 10 * TIMEOUT_MS, record, &ev);
    assert_int_equal(ev.expiries, 1);
    jt_subpkg_free(sp);
}

static void bounds_refuse_without_evicting(void **state)
{
    (void)state;
    jt_subpkg *sp = make(2, 64, 1);
    jt_frame a1 = packet("1", 0x0801, 2, 1, "aaaaaaaaaa");
    jt_frame b1 = packet("2", 0x0801, 2, 1, "bbbbbbbbbb");
    jt_frame c1 = packet("3", 0x0801, 2, 1, "c");
    add_partial(sp, &a1, 0);
    add_partial(sp, &b1, 0);
    jt_subpkg_msg msg;
    bool done = true;
    assert_int_equal(jt_subpkg_add(sp, &c1, 0, &msg, &done), JT_ERR_SUBPKG_FULL); /* max_msgs */
    assert_false(done);
    assert_true(jt_subpkg_bytes(sp) <= 64);

    /* a packet that would take the held bytes over max_bytes is refused */
    static char big[64];
    memset(big, 'x', sizeof big - 1);
    jt_frame a2_big = packet("1", 0x0801, 2, 2, big);
    assert_int_equal(jt_subpkg_add(sp, &a2_big, 0, &msg, &done), JT_ERR_SUBPKG_FULL);
    assert_int_equal(jt_subpkg_count(sp), 2);
    assert_true(jt_subpkg_bytes(sp) <= 64);

    /* both messages in progress are intact */
    jt_frame a2 = packet("1", 0x0801, 2, 2, "AA");
    jt_frame b2 = packet("2", 0x0801, 2, 2, "BB");
    add_final(sp, &a2, "aaaaaaaaaaAA", &msg);
    add_final(sp, &b2, "bbbbbbbbbbBB", &msg);

    /* a forged huge total cannot hide its slot table from the bound */
    jt_frame forged = packet("4", 0x0801, 60000, 1, "");
    assert_int_equal(jt_subpkg_add(sp, &forged, 0, &msg, &done), JT_ERR_SUBPKG_FULL);
    jt_subpkg_free(sp);

    jt_subpkg_config zero = {.max_msgs = 0, .max_bytes = 64};
    assert_null(jt_subpkg_new(&zero));
}

/* One terminal cannot take the whole reassembler: its own bytes are bounded too. */
static void one_terminal_is_bounded_on_its_own(void **state)
{
    (void)state;
    jt_subpkg_config cfg = {.max_msgs = 8,
                            .max_bytes = 4096,
                            .timeout_ms = TIMEOUT_MS,
                            .max_retries = 1,
                            .max_bytes_per_terminal = 64};
    jt_subpkg *sp = jt_subpkg_new(&cfg);
    assert_non_null(sp);
    static char chunk[41];
    memset(chunk, 'x', sizeof chunk - 1);
    jt_frame a1 = packet("1", 0x0801, 3, 1, chunk);
    add_partial(sp, &a1, 0);
    jt_subpkg_msg msg;
    bool done = true;
    /* a second message, or more of the first, would take terminal 1 over its 64 bytes */
    jt_frame a_other = packet("1", 0x0104, 2, 1, chunk);
    assert_int_equal(jt_subpkg_add(sp, &a_other, 0, &msg, &done), JT_ERR_SUBPKG_FULL);
    jt_frame a2 = packet("1", 0x0801, 3, 2, chunk);
    assert_int_equal(jt_subpkg_add(sp, &a2, 0, &msg, &done), JT_ERR_SUBPKG_FULL);
    assert_false(done);
    /* another terminal still has room */
    jt_frame b1 = packet("2", 0x0801, 2, 1, chunk);
    add_partial(sp, &b1, 0);
    assert_int_equal(jt_subpkg_count(sp), 2);
    jt_subpkg_free(sp);
}

/* A terminal at max_msgs_per_terminal that starts another message loses its oldest (by start,
 * even when it was resent since), never another terminal's; the rest still complete. */
static void a_terminal_past_its_message_cap_loses_its_oldest(void **state)
{
    (void)state;
    jt_subpkg_config cfg = {.max_msgs = 8,
                            .max_bytes = 4096,
                            .timeout_ms = TIMEOUT_MS,
                            .max_retries = 1,
                            .max_msgs_per_terminal = 2};
    jt_subpkg *sp = jt_subpkg_new(&cfg);
    assert_non_null(sp);
    jt_frame other1 = packet("222", 0x0801, 2, 1, "o");
    jt_frame first = packet("111", 0x0801, 2, 1, "a");
    jt_frame second = packet("111", 0x0104, 2, 1, "b");
    jt_frame third = packet("111", 0x0900, 2, 1, "c");
    add_partial(sp, &other1, 0);
    add_partial(sp, &first, 10);
    add_partial(sp, &second, 20);
    add_partial(sp, &first, 30); /* resent: still the oldest by start */
    assert_int_equal(jt_subpkg_evicted(sp), 0);
    add_partial(sp, &third, 40);
    assert_int_equal(jt_subpkg_evicted(sp), 1);
    assert_int_equal(jt_subpkg_count(sp), 3);
    uint16_t ids[4];
    assert_int_equal(jt_subpkg_missing(sp, "111", 0x0801, ids, 4, NULL), 0);
    assert_int_equal(jt_subpkg_missing(sp, "111", 0x0104, ids, 4, NULL), 1);
    jt_subpkg_msg msg;
    jt_frame other2 = packet("222", 0x0801, 2, 2, "O");
    add_final(sp, &other2, "oO", &msg);
    jt_frame third2 = packet("111", 0x0900, 2, 2, "C");
    add_final(sp, &third2, "cC", &msg);
    jt_subpkg_free(sp);
}

static void forget_drops_one_terminal(void **state)
{
    (void)state;
    jt_subpkg *sp = make(4, 4096, 1);
    jt_frame a1 = packet("111", 0x0801, 2, 1, "a");
    jt_frame a_other = packet("111", 0x0104, 2, 1, "p");
    jt_frame b1 = packet("222", 0x0801, 2, 1, "b");
    add_partial(sp, &a1, 0);
    add_partial(sp, &a_other, 0);
    add_partial(sp, &b1, 0);
    assert_int_equal(jt_subpkg_count(sp), 3);
    jt_subpkg_forget(sp, "111");
    assert_int_equal(jt_subpkg_count(sp), 1);
    uint16_t ids[4];
    assert_int_equal(jt_subpkg_missing(sp, "111", 0x0801, ids, 4, NULL), 0);
    events ev = {0};
    jt_subpkg_poll(sp, TIMEOUT_MS, record, &ev);
    assert_int_equal(ev.resends, 1);
    assert_string_equal(ev.phone, "222");
    jt_frame b2 = packet("222", 0x0801, 2, 2, "B");
    jt_subpkg_msg msg;
    add_final(sp, &b2, "bB", &msg);
    /* a fresh packet for the forgotten terminal starts over */
    jt_frame a2 = packet("111", 0x0801, 2, 2, "A");
    add_partial(sp, &a2, 0);
    jt_subpkg_free(sp);
}

/* ---- corpus ------------------------------------------------------------------------------ */

static uint8_t frame_bufs[10][2048];

/* Parse corpus row n of (path_part, msg_id) into frame_bufs[slot]; returns the parse result
 * (-1 when there is no such row). */
static int parse_row(const char *path_part, const char *msg_id, int n, int slot, jt_frame *f)
{
    return tu_corpus_parse(path_part, msg_id, n, frame_bufs[slot], sizeof frame_bufs[slot], f);
}

/* Decode a reassembled body as if it had come in one frame. */
static jt_err decode_merged(const jt_subpkg_msg *msg, jt_body *out)
{
    jt_frame whole = {.msg_id = msg->msg_id,
                      .version = msg->version,
                      .body = msg->body,
                      .body_avail = (uint16_t)msg->body_len};
    return jt_decode_body(&whole, out);
}

static void corpus_2019_registration_in_three_packets(void **state)
{
    (void)state;
    const char *src = "DefaultJt808UdpDatagramPackageSplitterTest";
    jt_subpkg *sp = make(4, 8192, 1);
    const int order[3] = {2, 0, 1};
    jt_subpkg_msg msg;
    bool done = false;
    for (int i = 0; i < 3; i++) {
        jt_frame f;
        assert_int_equal(parse_row(src, "0x0100", order[i], order[i], &f), JT_OK);
        assert_int_equal(f.pkg_total, 3);
        assert_int_equal(f.pkg_index, order[i] + 1);
        assert_int_equal(jt_subpkg_add(sp, &f, 0, &msg, &done), JT_OK);
        assert_int_equal(done, i == 2);
    }
    assert_string_equal(msg.phone, "13912344329");
    assert_int_equal(msg.version, JT_V2019);
    assert_int_equal(msg.first_serial, 0);
    assert_int_equal(msg.last_serial, 1);
    assert_int_equal(msg.body_len, 36 + 36 + 14);
    jt_body b;
    assert_int_equal(decode_merged(&msg, &b), JT_OK);
    const jt_register *r = &b.u.reg;
    assert_int_equal(r->layout, JT_REG_2019);
    assert_int_equal(r->province, 11);
    assert_int_equal(r->city, 2);
    assert_int_equal(r->maker.len, 11);
    assert_memory_equal(r->maker.p, "id987654321", 11);
    assert_int_equal(r->model.len, 30);
    assert_memory_equal(r->model.p, "type00123456781234567887654321", 30);
    assert_int_equal(r->terminal_id.len, 30);
    assert_memory_equal(r->terminal_id.p, "ID0000123456781234567887654321", 30);
    assert_int_equal(r->plate_color, 1);
    const uint8_t plate_gbk[] = {0xb8, 0xca, 'J', '-', '1',
                                 '2',  '3',  '4', '5', '9'}; /* 甘J-123459 */
    assert_int_equal(r->plate.len, sizeof plate_gbk);
    assert_memory_equal(r->plate.p, plate_gbk, sizeof plate_gbk);
    jt_subpkg_free(sp);
}

/* Feed the ten 0x0801 packets in the given order; returns the merged body length. */
static size_t feed_camera_upload(jt_subpkg *sp, const int order[10], jt_subpkg_msg *msg)
{
    bool done = false;
    for (int i = 0; i < 10; i++) {
        jt_frame f;
        /* anonymised real frames: the check codes are wrong but every field is readable */
        assert_int_equal(parse_row("Demo5.cs", "0x0801", order[i], order[i], &f), JT_ERR_CHECKSUM);
        assert_true(f.flags & JT_FLAG_BAD_CHECKSUM);
        assert_int_equal(f.pkg_total, 10);
        assert_int_equal(f.pkg_index, order[i] + 1);
        assert_int_equal(jt_subpkg_add(sp, &f, (uint64_t)i, msg, &done), JT_OK);
        assert_int_equal(done, i == 9);
    }
    return msg->body_len;
}

static void corpus_camera_upload_in_ten_packets(void **state)
{
    (void)state;
    jt_subpkg *sp = make(4, 64 * 1024, 1);
    const int in_order[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    jt_subpkg_msg msg;
    assert_int_equal(feed_camera_upload(sp, in_order, &msg), 804 + 8 * 768 + 23);
    assert_string_equal(msg.phone, "13812345678");
    assert_int_equal(msg.first_serial, 0x2031);
    assert_int_equal(msg.last_serial, 0x203c);
    jt_body b;
    assert_int_equal(decode_merged(&msg, &b), JT_OK);
    const jt_media *m = &b.u.media;
    assert_int_equal(m->media_id, 10013);
    assert_int_equal(m->media_type, 0);
    assert_int_equal(m->format, 0);
    assert_int_equal(m->event, 1);
    assert_int_equal(m->channel, 1);
    assert_true(m->has_location);
    assert_int_equal(m->loc.lat_raw, 30556170);
    assert_int_equal(m->loc.lon_raw, 103978661);
    assert_int_equal(m->loc.altitude_m, 481);
    assert_int_equal(m->data.len, msg.body_len - 36);
    assert_memory_equal(m->data.p, "\xff\xd8", 2);                   /* JPEG start */
    assert_memory_equal(m->data.p + m->data.len - 2, "\xff\xd9", 2); /* JPEG end */

    static uint8_t in_order_body[8192];
    memcpy(in_order_body, msg.body, msg.body_len);
    const int shuffled[10] = {9, 3, 0, 7, 1, 8, 2, 6, 4, 5};
    assert_int_equal(feed_camera_upload(sp, shuffled, &msg), 804 + 8 * 768 + 23);
    assert_memory_equal(msg.body, in_order_body, msg.body_len);
    assert_int_equal(msg.first_serial, 0x2031);
    jt_subpkg_free(sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(packets_complete_in_index_order),
        cmocka_unit_test(bad_indexes_are_invalid),
        cmocka_unit_test(version_disagreement_is_mismatch),
        cmocka_unit_test(missing_packets_are_requested_then_late_ones_complete),
        cmocka_unit_test(silent_messages_expire_after_the_retries),
        cmocka_unit_test(bounds_refuse_without_evicting),
        cmocka_unit_test(one_terminal_is_bounded_on_its_own),
        cmocka_unit_test(a_terminal_past_its_message_cap_loses_its_oldest),
        cmocka_unit_test(forget_drops_one_terminal),
        cmocka_unit_test(corpus_2019_registration_in_three_packets),
        cmocka_unit_test(corpus_camera_upload_in_ten_packets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
