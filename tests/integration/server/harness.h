/* harness.h - plumbing for the gateway's integration tests.
 *
 * Starts the real `fleetwatch` binary (path given as argv[1] of the test program) on
 * 127.0.0.1 with a free port and a temporary copy of tests/data/registry_test.json; connects to it;
 * builds uplink frames with its own small encoder (independent of the codec under test, so replies
 * are checked against an outside opinion) and reads replies frame by frame.
 */
#ifndef FW_ITEST_HARNESS_H
#define FW_ITEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct {
    pid_t pid;
    uint16_t port;
    char dir[64];       /* temporary directory */
    char registry[128]; /* registry file inside it */
    char log[128];      /* the server's stderr */
} itest_server;

/* Set from argv[1] by the test's main. */
extern const char *itest_binary;

/* Start the server with extra "--key=value" options (NULL-terminated, may be NULL) and wait
 * until it accepts connections. Asserts on failure. */
void itest_start(itest_server *s, const char *const *extra);
/* SIGTERM and wait; returns the exit status (or -1 when killed by a signal or hung). */
int itest_stop(itest_server *s);
/* Send a signal. */
void itest_signal(const itest_server *s, int sig);
/* True when the server log contains text. */
bool itest_log_contains(const itest_server *s, const char *text);

/* The value of one series of the server's /metrics ("fleetwatch_errors_total{kind=\"x\"}"),
 * read over HTTP from its API: start the server with "--api_listen=127.0.0.1:0". Asserts that
 * the series is there. */
unsigned long long itest_metric(const itest_server *s, const char *series);
/* An HTTP request to the server's API (started with "--api_listen=127.0.0.1:0"), with a bearer
 * token unless NULL; the whole response (status line, headers, body) in out. Returns the
 * status. */
int itest_http(const itest_server *s, const char *method, const char *path, const char *token,
               char *out, size_t cap);
/* A test program's arguments: count of them (the fleetwatch binary first: itest_binary);
 * false after printing the usage. */
bool itest_args(int argc, char **argv, int count, const char *usage);

int itest_connect(const itest_server *s);
/* Connect from a given loopback source address ("127.0.0.2"); -1 when refused. */
int itest_connect_from(const itest_server *s, const char *source);
void itest_send(int fd, const uint8_t *p, size_t n);
void itest_send_hex(int fd, const char *hex);

/* Build an uplink frame. body_hex may be "" ; version 2013 or 2019; pkg_total 0 for none. */
size_t itest_frame(uint8_t *out, size_t cap, int version, uint16_t msg_id, const char *phone,
                   uint16_t serial, const char *body_hex, uint16_t pkg_total, uint16_t pkg_index);
void itest_send_msg(int fd, int version, uint16_t msg_id, const char *phone, uint16_t serial,
                    const char *body_hex);

/* Read one frame (0x7e ... 0x7e) within timeout_ms; returns its length, 0 on timeout or close. */
size_t itest_read_frame(int fd, uint8_t *out, size_t cap, int timeout_ms);
/* Read one frame and assert it equals hex exactly. */
void itest_expect(int fd, const char *hex);
/* Read one frame and assert it is the 2013 0x8001 (platform serial, answered serial and id,
 * result) to phone, as built by the harness's own encoder. */
void itest_expect_ack(int fd, const char *phone, uint16_t platform_serial, uint16_t serial,
                      uint16_t msg_id, uint8_t result);
/* Assert nothing arrives within ms. */
void itest_expect_silence(int fd, int ms);
/* True when the peer closes the connection within timeout_ms (any pending bytes are skipped). */
bool itest_closed_within(int fd, int timeout_ms);

/* The hex body of a 2013 0x0100 from the device the test registry binds phone to (maker
 * "MAKER", model "MODEL", terminal id the last 7 digits of the phone, as fleetwatch-sim sends),
 * then the plate colour and the GBK plate as hex ("bea94131323334 35"). */
void itest_register_body_2013(const char *phone, int plate_color, const char *plate_gbk_hex,
                              char *out, size_t cap);
/* Send a 0x0100 (version 2013 or 2019) and read its 0x8100 (asserting its serial); returns the
 * result and, for 0, the auth code as hex in code_hex (asserted to be 32 characters). */
int itest_register(int fd, int version, const char *phone, uint16_t serial, const char *body_hex,
                   char code_hex[128]);
/* Register and authenticate a 2013 terminal of the registry on fd (serials 1 and 2), asserting
 * both replies. Returns after the 0x8001 for the auth. */
void itest_login_2013(int fd, const char *phone, int plate_color, const char *plate_gbk_hex);

/* Hex helpers. */
size_t itest_hex(const char *hex, uint8_t *out, size_t cap);
void itest_to_hex(const uint8_t *p, size_t n, char *out);

#endif
