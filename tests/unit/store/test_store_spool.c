/* test_store_spool.c - pieces of the store that need no Redis: RESP record building (number
 * formatting, overflow), the spool file (append, replay order, torn tail and corruption cut on
 * reopen, size bound) and the option table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fw/store/store.h"
#include "record.h"
#include "spool.h"

static void numbers_are_formatted_exactly(void **state)
{
    (void)state;
    fw_rec r;
    fw_rec_begin(&r, 'P');
    fw_rec_i64(&r, INT64_MIN);
    fw_rec_i64(&r, 0);
    fw_rec_fixed(&r, -39904200, 6);
    fw_rec_fixed(&r, 5, 1);
    fw_rec_fixed(&r, -5, 1);
    fw_rec_fixed(&r, 116000001, 6);
    const char *expect = "$1\r\nP\r\n$20\r\n-9223372036854775808\r\n$1\r\n0\r\n"
                         "$10\r\n-39.904200\r\n$3\r\n0.5\r\n$4\r\n-0.5\r\n$10\r\n116.000001\r\n";
    assert_true(fw_rec_ok(&r));
    assert_int_equal(r.nargs, 7);
    assert_int_equal(r.len, strlen(expect));
    assert_memory_equal(r.buf, expect, r.len);
}

static void an_argument_that_does_not_fit_overflows(void **state)
{
    (void)state;
    static uint8_t big[FW_REC_MAX_BYTES];
    fw_rec r;
    fw_rec_begin(&r, 'V');
    fw_rec_bytes(&r, big, FW_REC_MAX_BYTES - 20);
    assert_true(fw_rec_ok(&r));
    assert_null(fw_rec_reserve(&r, 40));
    assert_false(fw_rec_ok(&r));
    fw_rec_begin(&r, 'V'); /* begin clears it */
    assert_true(fw_rec_ok(&r));
}

static void make_rec(fw_rec *r, int i)
{
    fw_rec_begin(r, 'S');
    fw_rec_i64(r, i);
    fw_rec_str(r, "payload");
}

static void spool_path(char *out, size_t cap)
{
    snprintf(out, cap, "/tmp/fw-spool-test-%d.fws", (int)getpid());
    unlink(out);
}

static void spool_replays_in_order_and_cuts_a_torn_tail(void **state)
{
    (void)state;
    char path[64], err[128];
    fw_spool s;
    fw_rec r, got;
    uint64_t start;
    spool_path(path, sizeof path);
    assert_int_equal(fw_spool_open(&s, path, 1 << 20, err, sizeof err), 0);
    assert_true(fw_spool_empty(&s));
    for (int i = 0; i < 10; i++) {
        make_rec(&r, i);
        assert_int_equal(fw_spool_append(&s, &r), 0);
    }
    assert_int_equal(fw_spool_sync(&s), 0);
    uint64_t end = s.write_off;
    fw_spool_close(&s);

    /* a crash in the middle of an append: half an entry at the end */
    int fd = open(path, O_WRONLY | O_APPEND);
    assert_true(write(fd, "\x20\x00\x02\x00\xde\xad", 6) == 6);
    close(fd);
    assert_int_equal(fw_spool_open(&s, path, 1 << 20, err, sizeof err), 0);
    assert_int_equal(s.write_off, end);
    for (int i = 0; i < 10; i++) {
        make_rec(&r, i);
        assert_int_equal(fw_spool_read(&s, &got, &start), 1);
        assert_int_equal(got.len, r.len);
        assert_int_equal(got.nargs, r.nargs);
        assert_memory_equal(got.buf, r.buf, r.len);
    }
    assert_int_equal(fw_spool_read(&s, &got, &start), 0);
    fw_spool_rewind(&s, 0);
    assert_true(fw_spool_unread(&s));
    assert_int_equal(fw_spool_reset(&s), 0);
    assert_true(fw_spool_empty(&s));
    fw_spool_close(&s);
    unlink(path);
}

/* Record i of the buffered test: 1 to about 700 bytes, so entries straddle the buffers' ends. */
static void make_sized_rec(fw_rec *r, int i)
{
    static const char filler[700] = {0};
    fw_rec_begin(r, 'S');
    fw_rec_i64(r, i);
    fw_rec_bytes(r, filler, (size_t)(i * 37) % 690);
}

static void read_expect(fw_spool *s, int i, uint64_t *start)
{
    fw_rec want, got;
    make_sized_rec(&want, i);
    assert_int_equal(fw_spool_read(s, &got, start), 1);
    assert_int_equal(got.len, want.len);
    assert_int_equal(got.nargs, want.nargs);
    assert_memory_equal(got.buf, want.buf, want.len);
}

/* Appends and replay through the write buffer and the read window: reads of entries still in
 * the write buffer, entries across both buffers' ends, a rewind behind the window, close
 * writing what was buffered, and dropping what cannot be read. */
static void buffered_appends_and_reads_agree(void **state)
{
    (void)state;
    enum { N = 3000 }; /* about 1 MB: several buffers */
    char path[64], err[128];
    fw_spool s;
    fw_rec r;
    uint64_t start, starts[N];
    spool_path(path, sizeof path);
    assert_int_equal(fw_spool_open(&s, path, 64 << 20, err, sizeof err), 0);
    int next_read = 0;
    for (int i = 0; i < N; i++) {
        make_sized_rec(&r, i);
        assert_int_equal(fw_spool_append(&s, &r), 0);
        if (i % 7 == 0) /* replay keeps up with appends, now and then */
            while (next_read <= i) {
                read_expect(&s, next_read, &start);
                starts[next_read++] = start;
            }
    }
    assert_true(s.write_off > 3 * FW_SPOOL_BUF_BYTES);
    while (next_read < N) {
        read_expect(&s, next_read, &start);
        starts[next_read++] = start;
    }
    assert_int_equal(fw_spool_read(&s, &r, &start), 0);
    fw_spool_rewind(&s, starts[5]); /* far behind the read window */
    for (int i = 5; i < 20; i++) {
        read_expect(&s, i, &start);
        assert_int_equal(start, starts[i]);
    }
    uint64_t end = s.write_off;
    fw_spool_close(&s); /* no sync: close writes the buffer */

    assert_int_equal(fw_spool_open(&s, path, 64 << 20, err, sizeof err), 0);
    assert_int_equal(s.write_off, end);
    for (int i = 0; i < 100; i++)
        read_expect(&s, i, &start);
    assert_int_equal(fw_spool_drop_unread(&s), 0);
    assert_int_equal(s.write_off, starts[100]);
    assert_false(fw_spool_unread(&s));
    make_sized_rec(&r, 100);
    assert_int_equal(fw_spool_append(&s, &r), 0);
    assert_int_equal(fw_spool_sync(&s), 0);
    fw_spool_close(&s);
    assert_int_equal(fw_spool_open(&s, path, 64 << 20, err, sizeof err), 0);
    assert_int_equal(s.write_off, starts[101]); /* the cut held: nothing of the old tail */
    for (int i = 0; i <= 100; i++)
        read_expect(&s, i, &start);
    assert_int_equal(fw_spool_read(&s, &r, &start), 0);
    fw_spool_close(&s);
    unlink(path);
}

static void a_corrupt_entry_ends_the_spool(void **state)
{
    (void)state;
    char path[64], err[128];
    fw_spool s;
    fw_rec r;
    spool_path(path, sizeof path);
    assert_int_equal(fw_spool_open(&s, path, 1 << 20, err, sizeof err), 0);
    for (int i = 0; i < 3; i++) {
        make_rec(&r, i);
        fw_spool_append(&s, &r);
    }
    uint64_t second = FW_SPOOL_HEADER_BYTES + r.len;
    fw_spool_close(&s);
    int fd = open(path, O_WRONLY);
    assert_true(pwrite(fd, "X", 1, (off_t)(second + FW_SPOOL_HEADER_BYTES + 2)) == 1);
    close(fd);
    assert_int_equal(fw_spool_open(&s, path, 1 << 20, err, sizeof err), 0);
    assert_int_equal(s.write_off, second); /* only the first entry survives */
    fw_spool_close(&s);
    unlink(path);
}

static void a_full_spool_refuses_appends(void **state)
{
    (void)state;
    char path[64], err[128];
    fw_spool s;
    fw_rec r;
    spool_path(path, sizeof path);
    make_rec(&r, 1);
    uint64_t entry = FW_SPOOL_HEADER_BYTES + r.len;
    assert_int_equal(fw_spool_open(&s, path, 3 * entry, err, sizeof err), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(fw_spool_append(&s, &r), 0);
    assert_int_equal(fw_spool_append(&s, &r), -1);
    assert_int_equal(s.write_off, 3 * entry);
    fw_spool_close(&s);
    unlink(path);
    assert_int_equal(fw_spool_open(&s, "/nonexistent/dir/x.fws", 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/dir/x.fws"));
}

static void options_are_set_by_name(void **state)
{
    (void)state;
    fw_store_config c;
    char err[128];
    fw_store_config_defaults(&c);
    assert_int_equal(c.redis_port, 6379);
    assert_int_equal(c.track_retention_days, 180);
    assert_int_equal(c.violation_retention_days, 1095);
    assert_string_equal(c.redis_host, "127.0.0.1");
    assert_int_equal(fw_store_config_set(&c, "redis_port", "6380", err, sizeof err), 0);
    assert_int_equal(c.redis_port, 6380);
    assert_int_equal(fw_store_config_set(&c, "node", "gw-2", err, sizeof err), 0);
    assert_string_equal(c.node, "gw-2");
    assert_int_equal(fw_store_config_set(&c, "redis_port", "-1", err, sizeof err), -1);
    assert_int_equal(fw_store_config_set(&c, "redis_port", "12x", err, sizeof err), -1);
    assert_int_equal(fw_store_config_set(&c, "colour", "red", err, sizeof err), -1);
    assert_non_null(strstr(err, "colour"));
    /* bounds fw_store_new would refuse are refused when set, naming what is allowed */
    assert_int_equal(fw_store_config_set(&c, "spool_fsync_ms", "51", err, sizeof err), -1);
    assert_non_null(strstr(err, "1..50"));
    assert_int_equal(fw_opt_defaults(&fw_store_options, &c), 0); /* every default fits */
    c.spool_fsync_ms = 51;
    assert_null(fw_store_new(&c, 1, err, sizeof err));
    assert_non_null(strstr(err, "spool_fsync_ms"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_are_formatted_exactly),
        cmocka_unit_test(an_argument_that_does_not_fit_overflows),
        cmocka_unit_test(spool_replays_in_order_and_cuts_a_torn_tail),
        cmocka_unit_test(buffered_appends_and_reads_agree),
        cmocka_unit_test(a_corrupt_entry_ends_the_spool),
        cmocka_unit_test(a_full_spool_refuses_appends),
        cmocka_unit_test(options_are_set_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
