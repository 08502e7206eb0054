/* test_sim_loopback.c - fleetwatch-sim against a tiny fake platform over loopback TCP.
 *
 * The fake platform (plain sockets and poll, the codec for frames) listens on a free port,
 * answers 0x0100 with 0x8100 and an auth code (32 characters, as long as fleetwatch's), checks
 * that the terminal id is the phone's last 7 digits and the code in 0x0102, acks everything
 * else with 0x8001, and can send a 0x8300 text, delay its acks (to see how many frames the
 * simulator keeps in flight), drop a connection once, or refuse a terminal. It records what
 * it received; each test runs the real fleetwatch-sim binary against it and compares the
 * platform's view with the "result key=value" line the simulator prints. With --ack-log it also
 * keeps every position it received and whether it acked it with result 0, to compare with the
 * simulator's ack log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fw/codec/jt_encode.h"
#include "fw/codec/jt_frame.h"
#include "fw/codec/jt_msg.h"

#define MAX_CONNS     32
#define CONN_BUF      16384
#define PENDING_CAP   8192
#define OUTPUT_CAP    16384
#define AUTH_PREFIX   "AC"
#define AUTH_LEN      32u /* fleetwatch's codes are 32 hex digits */
#define POSITIONS_CAP 20000

typedef struct {
    int fd;
    jt_scan_state scan;
    uint8_t buf[CONN_BUF];
    size_t len;
    uint16_t serial;              /* platform serial */
    unsigned unacked;             /* location frames received and not yet acked */
    uint8_t pending[PENDING_CAP]; /* delayed acks */
    size_t pending_len;
    bool text_sent;
} conn;

/* A position the platform received, and whether it acked it with result 0. */
typedef struct {
    char phone[JT_PHONE_MAX_DIGITS + 1];
    int64_t gnss_ms;
    bool acked;
} position_seen;

typedef struct {
    /* behaviour */
    bool delay_acks;         /* flush acks every poll round (5 ms) instead of at once */
    bool send_text;          /* a 0x8300 to each terminal after its authentication */
    int drop_after_auth;     /* close this many connections right after authenticating them */
    const char *refuse;      /* phone answered with 0x8100 result 2 (no such vehicle) */
    unsigned nack_every;     /* every Nth location frame is acked with result 1 (0: none) */
    unsigned withhold_every; /* every Mth location frame is never acked (0: none) */
    /* observations */
    unsigned frames, bad, registers, reg_2011, bad_terminal_ids, auths, bad_codes, locations,
        points, batches_blind, blind_out_of_order, heartbeats, flows, term_acks, term_ack_mismatch,
        v2019, load_items, max_unacked, peers_seen;
    int64_t newest_location_utc;
    unsigned location_frames, nacked, withheld, position_count;
    position_seen positions[POSITIONS_CAP];
    uint32_t peers[8];
    /* plumbing */
    int listen_fd;
    uint16_t port;
    conn conns[MAX_CONNS];
    char output[OUTPUT_CAP]; /* the simulator's stdout */
    size_t output_len;
    int exit_status;
} platform;

static platform *P;

/* ---- replies ----------------------------------------------------------------------------- */

static void queue(conn *c, const jt_frame *f, uint16_t msg_id, const uint8_t *body, size_t len,
                  bool delayed)
{
    jt_header_out h = {.msg_id = msg_id,
                       .serial = c->serial++,
                       .version = f->version,
                       .proto_version = 1,
                       .phone_raw = f->phone_raw};
    uint8_t wire[JT_MAX_ESCAPED_FRAME];
    jt_err err;
    size_t n = jt_frame_build(&h, body, len, wire, sizeof wire, &err);
    assert_true(n > 0);
    if (delayed && c->pending_len + n <= PENDING_CAP) {
        memcpy(c->pending + c->pending_len, wire, n);
        c->pending_len += n;
        return;
    }
    assert_int_equal(send(c->fd, wire, n, MSG_NOSIGNAL), (ssize_t)n);
}

static void ack(conn *c, const jt_frame *f, uint8_t result, bool delayed)
{
    jt_general_ack a = {.reply_serial = f->serial, .reply_id = f->msg_id, .result = result};
    uint8_t body[16];
    size_t len;
    assert_int_equal(jt_enc_plat_ack(&a, body, sizeof body, &len), JT_OK);
    queue(c, f, JT_MSG_PLAT_ACK, body, len, delayed);
}

static void flush_pending(conn *c)
{
    if (c->fd < 0 || c->pending_len == 0)
        return;
    assert_int_equal(send(c->fd, c->pending, c->pending_len, MSG_NOSIGNAL),
                     (ssize_t)c->pending_len);
    c->pending_len = 0;
    c->unacked = 0;
}

static void close_conn(conn *c)
{
    close(c->fd);
    c->fd = -1;
}

/* ---- what the platform does with each message ------------------------------------------- */

/* The platform's auth code for a phone: AUTH_PREFIX, then the phone zero-padded to AUTH_LEN. */
static void auth_code(const char *phone, char code[AUTH_LEN + 1])
{
    size_t len = strlen(phone), pad = AUTH_LEN - strlen(AUTH_PREFIX) - len;
    memcpy(code, AUTH_PREFIX, strlen(AUTH_PREFIX));
    memset(code + strlen(AUTH_PREFIX), '0', pad);
    memcpy(code + strlen(AUTH_PREFIX) + pad, phone, len + 1);
}

/* The 0x0100 terminal id, trailing NULs and spaces trimmed, is the phone's last 7 digits
 * (what fleetwatch-sim --print-registry binds the vehicle to). */
static bool terminal_id_matches(const jt_frame *f, const jt_register *r)
{
    size_t n = r->terminal_id.len, len = strlen(f->phone);
    while (n && (r->terminal_id.p[n - 1] == '\0' || r->terminal_id.p[n - 1] == ' '))
        n--;
    return len >= 7 && n == 7 && memcmp(r->terminal_id.p, f->phone + len - 7, 7) == 0;
}

static void on_register(conn *c, const jt_frame *f, const jt_register *r)
{
    P->registers++;
    P->reg_2011 += r->layout == JT_REG_2011;
    P->bad_terminal_ids += !terminal_id_matches(f, r);
    char code[AUTH_LEN + 1];
    auth_code(f->phone, code);
    uint8_t result = P->refuse && strcmp(P->refuse, f->phone) == 0 ? JT_REG_NO_VEHICLE : JT_REG_OK;
    uint8_t body[64];
    size_t len;
    assert_int_equal(jt_enc_register_reply(f->serial, result, code, body, sizeof body, &len),
                     JT_OK);
    queue(c, f, JT_MSG_REGISTER_REPLY, body, len, false);
}

static void send_text(conn *c, const jt_frame *f)
{
    uint8_t body[128];
    size_t len;
    assert_int_equal(jt_enc_text(f->version, JT_TEXT_DISPLAY | JT_TEXT_TTS, 1,
                                 "\xe8\xaf\xb7\xe5\x87\x8f\xe9\x80\x9f", /* 请减速 */
                                 body, sizeof body, &len),
                     JT_OK);
    queue(c, f, JT_MSG_TEXT, body, len, false);
    c->text_sent = true;
}

static void on_auth(conn *c, const jt_frame *f, const jt_auth *a)
{
    char code[AUTH_LEN + 1];
    auth_code(f->phone, code);
    bool good = a->code.len == strlen(code) && memcmp(a->code.p, code, a->code.len) == 0;
    P->auths++;
    P->bad_codes += !good;
    ack(c, f, good ? JT_RESULT_OK : JT_RESULT_FAIL, false);
    if (good && P->send_text && !c->text_sent)
        send_text(c, f);
    if (good && P->drop_after_auth > 0) {
        P->drop_after_auth--;
        close_conn(c);
    }
}

static void on_location(const jt_frame *f, const jt_location *loc)
{
    P->points++;
    assert_true(P->position_count < POSITIONS_CAP);
    position_seen *p = &P->positions[P->position_count++];
    snprintf(p->phone, sizeof p->phone, "%s", f->phone);
    p->gnss_ms = loc->time_utc * 1000;
    p->acked = false;
    jt_item item;
    P->load_items += jt_location_find_item(loc, 0xE1, &item);
}

static void on_batch(const jt_frame *f, const jt_location_batch *b)
{
    jt_batch_iter it;
    jt_location loc;
    jt_err err;
    int64_t first_utc = INT64_MAX;
    jt_batch_iter_init(&it, b);
    while (jt_batch_next(&it, &loc, &err)) {
        on_location(f, &loc);
        first_utc = loc.time_utc < first_utc ? loc.time_utc : first_utc;
    }
    if (b->type == JT_BATCH_BLIND_AREA) {
        P->batches_blind++;
        P->blind_out_of_order += first_utc < P->newest_location_utc;
    }
}

/* The answer to the location frame just read, whose positions start at `first`: result 0 (the
 * positions are marked acked), result 1 for every nack_every-th, none for every withhold_every-th.
 * Returns false for no answer. */
static bool location_result(unsigned first, uint8_t *result)
{
    unsigned n = ++P->location_frames;
    if (P->withhold_every && n % P->withhold_every == 0) {
        P->withheld++;
        return false;
    }
    *result = P->nack_every && n % P->nack_every == 0 ? JT_RESULT_FAIL : JT_RESULT_OK;
    P->nacked += *result != JT_RESULT_OK;
    for (unsigned i = first; *result == JT_RESULT_OK && i < P->position_count; i++)
        P->positions[i].acked = true;
    return true;
}

static void on_frame(conn *c, const jt_frame *f)
{
    jt_body b;
    unsigned first_position = P->position_count;
    P->frames++;
    P->v2019 += f->version == JT_V2019;
    if (jt_decode_body(f, &b) != JT_OK) {
        P->bad++;
        return;
    }
    switch (f->msg_id) {
    case JT_MSG_REGISTER:
        on_register(c, f, &b.u.reg);
        return;
    case JT_MSG_AUTH:
        on_auth(c, f, &b.u.auth);
        return;
    case JT_MSG_TERM_ACK:
        P->term_acks++;
        P->term_ack_mismatch += b.u.ack.reply_id != JT_MSG_TEXT || b.u.ack.result != 0;
        return;
    case JT_MSG_LOCATION:
        P->locations++;
        on_location(f, &b.u.loc);
        if (b.u.loc.time_utc > P->newest_location_utc)
            P->newest_location_utc = b.u.loc.time_utc;
        break;
    case JT_MSG_LOCATION_BATCH:
        on_batch(f, &b.u.batch);
        break;
    case JT_MSG_HEARTBEAT:
        P->heartbeats++;
        break;
    case JT_MSG_PASSENGER_FLOW:
        P->flows++;
        break;
    default:
        P->bad++;
        return;
    }
    uint8_t result = JT_RESULT_OK;
    bool is_location = f->msg_id == JT_MSG_LOCATION || f->msg_id == JT_MSG_LOCATION_BATCH;
    if (is_location && !location_result(first_position, &result))
        return;
    if (f->msg_id != JT_MSG_HEARTBEAT && ++c->unacked > P->max_unacked)
        P->max_unacked = c->unacked;
    ack(c, f, result, P->delay_acks);
    if (!P->delay_acks)
        c->unacked = 0;
}

/* ---- sockets ----------------------------------------------------------------------------- */

static void read_conn(conn *c)
{
    ssize_t n = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
    if (n <= 0) {
        close_conn(c);
        return;
    }
    c->len += (size_t)n;
    size_t off = 0;
    while (c->fd >= 0) {
        jt_scan_result r = jt_scan(&c->scan, c->buf + off, c->len - off, JT_MAX_ESCAPED_FRAME);
        jt_frame f;
        if (r.kind == JT_SCAN_FRAME) {
            if (jt_frame_parse(r.frame, r.frame_len, &f) == JT_OK)
                on_frame(c, &f);
            else
                P->bad++;
        }
        off += r.consumed;
        if (r.kind == JT_SCAN_NEED_MORE || r.consumed == 0)
            break;
    }
    if (c->fd >= 0) {
        memmove(c->buf, c->buf + off, c->len - off);
        c->len -= off;
    }
}

static void accept_conn(void)
{
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    int fd = accept(P->listen_fd, (struct sockaddr *)&peer, &len);
    if (fd < 0)
        return;
    for (int i = 0; i < MAX_CONNS; i++) {
        if (P->conns[i].fd < 0) {
            memset(&P->conns[i], 0, sizeof P->conns[i]);
            P->conns[i].fd = fd;
            break;
        }
    }
    bool known = false;
    for (unsigned i = 0; i < P->peers_seen; i++)
        known |= P->peers[i] == peer.sin_addr.s_addr;
    if (!known && P->peers_seen < 8)
        P->peers[P->peers_seen++] = peer.sin_addr.s_addr;
}

static void start_platform(void)
{
    static platform p;
    memset(&p, 0, sizeof p);
    P = &p;
    for (int i = 0; i < MAX_CONNS; i++)
        p.conns[i].fd = -1;
    p.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};
    assert_int_equal(bind(p.listen_fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(p.listen_fd, 64), 0);
    socklen_t len = sizeof a;
    getsockname(p.listen_fd, (struct sockaddr *)&a, &len);
    p.port = ntohs(a.sin_port);
}

/* Run fleetwatch-sim with args (NULL-terminated, after --server and --progress) while serving
 * it; optionally send it `signal_no` after signal_after_ms. Its stdout lands in P->output. */
static void run_sim(const char *const *args, int signal_no, int signal_after_ms)
{
    char server[32];
    snprintf(server, sizeof server, "127.0.0.1:%u", P->port);
    const char *argv[40] = {FW_SIM_BINARY, "--server", server, "--progress", "0"};
    int argc = 5;
    for (int i = 0; args[i] && argc < 39; i++)
        argv[argc++] = args[i];
    int out[2];
    assert_int_equal(pipe(out), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        close(out[0]);
        execv(FW_SIM_BINARY, (char *const *)argv);
        _exit(127);
    }
    close(out[1]);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool signalled = signal_no == 0;
    for (;;) {
        struct pollfd fds[MAX_CONNS + 2] = {{.fd = out[0], .events = POLLIN},
                                            {.fd = P->listen_fd, .events = POLLIN}};
        for (int i = 0; i < MAX_CONNS; i++)
            fds[i + 2] = (struct pollfd){.fd = P->conns[i].fd, .events = POLLIN};
        poll(fds, MAX_CONNS + 2, 5);
        if (fds[1].revents & POLLIN)
            accept_conn();
        for (int i = 0; i < MAX_CONNS; i++) {
            if (P->conns[i].fd >= 0 && (fds[i + 2].revents & (POLLIN | POLLHUP)))
                read_conn(&P->conns[i]);
            flush_pending(&P->conns[i]);
        }
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
        if (!signalled && ms >= signal_after_ms) {
            kill(pid, signal_no);
            signalled = true;
        }
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            ssize_t n = read(out[0], P->output + P->output_len, OUTPUT_CAP - 1 - P->output_len);
            if (n <= 0)
                break;
            P->output_len += (size_t)n;
        }
    }
    close(out[0]);
    int status;
    waitpid(pid, &status, 0);
    P->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    for (int i = 0; i < MAX_CONNS; i++) {
        if (P->conns[i].fd >= 0)
            close_conn(&P->conns[i]);
    }
    close(P->listen_fd);
}

/* A value from the simulator's "result key=value ..." line; fails the test when missing. */
static uint64_t result(const char *key)
{
    const char *line = strstr(P->output, "\nresult ");
    if (!line)
        fail_msg("no result line in:\n%s", P->output);
    char pattern[64];
    snprintf(pattern, sizeof pattern, " %s=", key);
    const char *at = strstr(line, pattern);
    if (!at)
        fail_msg("no %s in the result line", key);
    return strtoull(at + strlen(pattern), NULL, 10);
}

static void assert_no_errors(void)
{
    if (result("errors") != 0)
        fail_msg("the simulator counted errors:\n%s", P->output);
}

/* ---- the ack log ------------------------------------------------------------------------- */

typedef struct {
    char phone[JT_PHONE_MAX_DIGITS + 1];
    int64_t gnss_ms;
} position_id;

static int compare_ids(const void *a, const void *b)
{
    const position_id *x = a, *y = b;
    int by_phone = strcmp(x->phone, y->phone);
    return by_phone ? by_phone : (x->gnss_ms > y->gnss_ms) - (x->gnss_ms < y->gnss_ms);
}

/* The positions the platform received (only those acked with result 0 when `acked_only`),
 * sorted. */
static size_t platform_positions(bool acked_only, position_id *out)
{
    size_t n = 0;
    for (unsigned i = 0; i < P->position_count; i++) {
        if (P->positions[i].acked || !acked_only) {
            memcpy(out[n].phone, P->positions[i].phone, sizeof out[n].phone);
            out[n++].gnss_ms = P->positions[i].gnss_ms;
        }
    }
    qsort(out, n, sizeof *out, compare_ids);
    return n;
}

/* The simulator's ack log, sorted; every line must be "phone gnss_ms". */
static size_t read_ack_log(const char *path, position_id *out)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = 0;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        assert_true(n < POSITIONS_CAP);
        char end;
        if (sscanf(line, "%20s %" SCNd64 "%c", out[n].phone, &out[n].gnss_ms, &end) != 3 ||
            end != '\n')
            fail_msg("bad ack log line: %s", line);
        n++;
    }
    fclose(f);
    qsort(out, n, sizeof *out, compare_ids);
    return n;
}

static void assert_unique(const position_id *ids, size_t n, const char *what)
{
    for (size_t i = 1; i < n; i++) {
        if (compare_ids(&ids[i - 1], &ids[i]) == 0)
            fail_msg("%s: %s %" PRId64 " twice", what, ids[i].phone, ids[i].gnss_ms);
    }
}

/* The ack log lists exactly the positions the platform acked with result 0, once each, and
 * no phone reported a GNSS second twice. Returns the lines. */
static size_t assert_ack_log_is_the_platforms(const char *path)
{
    static position_id logged[POSITIONS_CAP], acked[POSITIONS_CAP], received[POSITIONS_CAP];
    size_t n_logged = read_ack_log(path, logged), n_acked = platform_positions(true, acked);
    size_t i = 0, j = 0;
    while (i < n_logged || j < n_acked) {
        int cmp = i == n_logged ? 1 : j == n_acked ? -1 : compare_ids(&logged[i], &acked[j]);
        if (cmp < 0)
            fail_msg("logged, not acked: %s %" PRId64, logged[i].phone, logged[i].gnss_ms);
        if (cmp > 0)
            fail_msg("acked, not logged: %s %" PRId64, acked[j].phone, acked[j].gnss_ms);
        i++, j++;
    }
    assert_unique(logged, n_logged, "ack log");
    assert_unique(received, platform_positions(false, received), "received");
    return n_logged;
}

static void temp_path(char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void real_terminals_register_authenticate_report_and_answer_texts(void **state)
{
    (void)state;
    start_platform();
    P->send_text = true;
    const char *args[] = {"-n",
                          "3",
                          "--phone-base",
                          "13800000100",
                          "--report-s",
                          "0.1",
                          "--heartbeat-s",
                          "0.25",
                          "-d",
                          "1",
                          NULL};
    run_sim(args, 0, 0);
    assert_int_equal(P->exit_status, 0);
    assert_int_equal(P->bad, 0);
    assert_int_equal(P->registers, 3);
    assert_int_equal(P->bad_terminal_ids, 0);
    assert_int_equal(P->auths, 3);
    assert_int_equal(P->bad_codes, 0);
    assert_true(P->locations >= 3 * 8); /* 10 a second for 1 s, each */
    assert_int_equal(P->term_acks, 3);  /* one answer per text */
    assert_int_equal(P->term_ack_mismatch, 0);
    assert_int_equal(result("terminals"), 3);
    assert_int_equal(result("online"), 3);
    assert_int_equal(result("commands"), 3);
    assert_no_errors();
    /* the simulator's counts are the platform's: every frame arrived and was acked */
    assert_int_equal(result("sent"), P->frames);
    assert_int_equal(result("acked"), P->frames - P->term_acks);
    assert_int_equal(result("sent_locations"), P->locations);
    assert_int_equal(result("acked_locations"), P->locations);
    assert_true(result("p50_us") > 0);
    assert_true(result("p99_us") <= result("max_us"));
    assert_int_equal(P->load_items, 0);
}

static void pipelined_load_keeps_k_frames_in_flight_and_stops_at_the_budget(void **state)
{
    (void)state;
    start_platform();
    P->delay_acks = true;
    const char *args[] = {"-n", "4", "--report-s", "0", "-k", "32", "--frames", "3000", NULL};
    run_sim(args, 0, 0);
    assert_int_equal(P->exit_status, 0);
    assert_int_equal(P->locations, 3000);
    assert_int_equal(P->max_unacked, 32);
    assert_int_equal(result("sent_locations"), 3000);
    assert_int_equal(result("acked_locations"), 3000);
    assert_no_errors();
    assert_true(result("acks_per_s") > 0);
}

static void batches_and_blind_area_batches(void **state)
{
    (void)state;
    start_platform();
    const char *args[] = {"-n",      "2",          "--report-s", "1",        "--batch", "5",
                          "--blind", "--compress", "50",         "--frames", "8",       NULL};
    run_sim(args, 0, 0);
    assert_int_equal(P->exit_status, 0);
    assert_int_equal(P->batches_blind, 8);
    assert_int_equal(P->points, 8 * 5);
    assert_int_equal(result("points"), 40);
    assert_int_equal(result("acked_locations"), 8);
}

static void a_scenario_plays_to_its_end_with_every_protocol(void **state)
{
    (void)state;
    start_platform();
    const char *args[] = {"--scenario", FW_SCENARIO_DIR "/lianyungang_blind_area.json",
                          "--compress", "400", NULL};
    run_sim(args, 0, 0);
    assert_int_equal(P->exit_status, 0);
    assert_int_equal(P->bad, 0);
    assert_int_equal(P->registers, 3);
    assert_int_equal(P->bad_terminal_ids, 0); /* every layout: the phone's last 7 digits */
    assert_int_equal(P->reg_2011, 1);         /* 13972200203 */
    assert_true(P->v2019 > 0);                /* 13972200201 */
    assert_true(P->batches_blind >= 2);       /* both blind areas replayed ... */
    assert_true(P->blind_out_of_order >= 1);  /* ... with times older than live reports */
    assert_true(P->load_items > 0);
    assert_true(P->flows >= 1); /* passengers boarding the coach: 0x1005 */
    /* at 400x a report falls due every 25 ms: under sanitizers an ack may come later than
     * that, which is counted as backlog; nothing else may go wrong */
    assert_int_equal(result("errors"), result("err_backlog"));
    assert_int_equal(result("sent"), P->frames);
}

/* Four hours in a blind area at one report a minute: 240 reports in 15 chunks of 16, more than
 * a terminal's free slots, so the replay goes on as the platform acks and every ack matches. */
static void a_long_blind_area_is_replayed_in_full_as_acks_come(void **state)
{
    (void)state;
    char path[] = "/tmp/fw-sim-blind-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char json[] = "{\"start\": \"2026-11-28T08:00:00\", \"time_compression\": 3600, "
                        "\"report_s\": 60, \"vehicles\": [{\"phone\": \"13972209001\", "
                        "\"path\": [[119.0, 34.0], [117.0, 34.0]], \"speed_kmh\": 40, "
                        "\"events\": [{\"type\": \"blind_area\", \"at_s\": 60, "
                        "\"until_s\": 14460}]}]}";
    assert_int_equal(write(fd, json, sizeof json - 1), (ssize_t)(sizeof json - 1));
    close(fd);
    start_platform();
    const char *args[] = {"--scenario", path, NULL};
    run_sim(args, 0, 0);
    unlink(path);
    assert_int_equal(P->exit_status, 0);
    assert_int_equal(P->batches_blind, 15);
    assert_int_equal(result("err_unmatched_ack"), 0);
    assert_int_equal(result("err_send_failed"), 0);
    assert_int_equal(result("errors"), result("err_backlog")); /* see the test above */
    assert_int_equal(result("points"), P->points);
    assert_int_equal(result("sent"), P->frames);
}

static void sigint_stops_with_a_report(void **state)
{
    (void)state;
    start_platform();
    const char *args[] = {"-n", "2", "--report-s", "0.1", NULL};
    run_sim(args, SIGINT, 700);
    assert_int_equal(P->exit_status, 0);
    assert_int_equal(result("online"), 2);
    assert_true(result("acked_locations") >= 4);
    assert_int_equal(result("sent"), P->frames);
}

static void lost_connections_are_reopened_with_the_same_auth_code(void **state)
{
    (void)state;
    start_platform();
    P->drop_after_auth = 1;
    const char *args[] = {"-n", "1", "--report-s", "0.1", "-d", "2.5", NULL};
    run_sim(args, 0, 0);
    assert_int_equal(P->registers, 1);
    assert_int_equal(P->auths, 2);
    assert_int_equal(P->bad_codes, 0);
    assert_int_equal(result("reconnects"), 1);
    assert_int_equal(result("err_closed"), 1);
    assert_int_equal(result("online"), 1);
}

static void refused_terminals_are_counted(void **state)
{
    (void)state;
    start_platform();
    P->refuse = "13800000201";
    const char *args[] = {"-n",  "2",  "--phone-base", "13800000200", "--report-s",
                          "0.2", "-d", "0.5",          NULL};
    run_sim(args, 0, 0);
    assert_true(result("err_register_refused") >= 1);
    assert_int_equal(result("online"), 1);
    assert_int_equal(P->auths, 1);
}

static void processes_and_source_addresses_are_spread(void **state)
{
    (void)state;
    start_platform();
    const char *args[] = {"-n",         "6",   "--procs", "2",   "--src", "127.0.0.2-127.0.0.3",
                          "--report-s", "0.2", "-d",      "0.6", NULL};
    run_sim(args, 0, 0);
    assert_int_equal(P->exit_status, 0);
    assert_int_equal(result("procs"), 2);
    assert_int_equal(result("terminals"), 6);
    assert_int_equal(result("online"), 6);
    assert_int_equal(result("sent"), P->frames);
    assert_int_equal(P->peers_seen, 2);
    for (unsigned i = 0; i < P->peers_seen; i++) {
        uint32_t a = ntohl(P->peers[i]);
        assert_true(a == 0x7f000002 || a == 0x7f000003);
    }
}

/* Reports every half GNSS second (one of each pair waits: seconds stay unique), from two
 * processes, with nacks, acks withheld and reconnects right after authenticating; SIGTERM
 * ends the run and the log is flushed. */
static void the_ack_log_lists_exactly_the_positions_acked_with_result_0(void **state)
{
    (void)state;
    char path[] = "/tmp/fw-sim-acklog-XXXXXX";
    temp_path(path);
    start_platform();
    P->nack_every = 3;
    P->withhold_every = 5;
    P->drop_after_auth = 2;
    const char *args[] = {"-n", "4", "--procs",   "2",  "--report-s", "0.5", "--compress",    "4",
                          "-k", "4", "--ack-log", path, "--drain",    "0.5", "--ack-timeout", "0.3",
                          NULL};
    run_sim(args, SIGTERM, 3500);
    size_t lines = assert_ack_log_is_the_platforms(path);
    unlink(path);
    assert_int_equal(P->exit_status, 0);
    assert_true(lines >= 20);
    assert_true(P->nacked > 0 && P->withheld > 0);
    assert_int_equal(result("err_nack"), P->nacked);
    assert_int_equal(result("reconnects"), 2);
    assert_int_equal(result("err_ack_log"), 0);
}

/* A 0x0704 of 5 blind-area points acked: 5 lines; a nacked one: none. */
static void the_ack_log_has_a_line_per_batch_entry(void **state)
{
    (void)state;
    char path[] = "/tmp/fw-sim-acklog-XXXXXX";
    temp_path(path);
    start_platform();
    P->nack_every = 4;
    const char *args[] = {"-n",         "2",  "--report-s", "1",  "--batch",   "5",  "--blind",
                          "--compress", "50", "--frames",   "12", "--ack-log", path, NULL};
    run_sim(args, 0, 0);
    size_t lines = assert_ack_log_is_the_platforms(path);
    unlink(path);
    assert_int_equal(P->exit_status, 0);
    assert_int_equal(P->nacked, 3);
    assert_int_equal(lines, (12 - 3) * 5);
}

/* A scenario with blind areas: live 0x0200 and replayed 0x0704 type 1, 2013 and 2019 phones. */
static void the_ack_log_covers_blind_area_replays(void **state)
{
    (void)state;
    char path[] = "/tmp/fw-sim-acklog-XXXXXX";
    temp_path(path);
    start_platform();
    P->nack_every = 7;
    const char *args[] = {"--scenario", FW_SCENARIO_DIR "/lianyungang_blind_area.json",
                          "--compress", "400",
                          "--ack-log",  path,
                          NULL};
    run_sim(args, 0, 0);
    size_t lines = assert_ack_log_is_the_platforms(path);
    unlink(path);
    assert_int_equal(P->exit_status, 0);
    assert_true(P->batches_blind >= 2);
    assert_true(P->nacked > 0);
    assert_true(lines > P->location_frames - P->nacked); /* batches give several lines */
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(real_terminals_register_authenticate_report_and_answer_texts),
        cmocka_unit_test(pipelined_load_keeps_k_frames_in_flight_and_stops_at_the_budget),
        cmocka_unit_test(batches_and_blind_area_batches),
        cmocka_unit_test(a_scenario_plays_to_its_end_with_every_protocol),
        cmocka_unit_test(a_long_blind_area_is_replayed_in_full_as_acks_come),
        cmocka_unit_test(sigint_stops_with_a_report),
        cmocka_unit_test(lost_connections_are_reopened_with_the_same_auth_code),
        cmocka_unit_test(refused_terminals_are_counted),
        cmocka_unit_test(processes_and_source_addresses_are_spread),
        cmocka_unit_test(the_ack_log_lists_exactly_the_positions_acked_with_result_0),
        cmocka_unit_test(the_ack_log_has_a_line_per_batch_entry),
        cmocka_unit_test(the_ack_log_covers_blind_area_replays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
