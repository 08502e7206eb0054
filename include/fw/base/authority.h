/* authority.h - where the gateway keeps the auth codes it issues, so that every node can check
 * them and an operator can revoke them.
 *
 * A registration (0x0100) that matches the registry gets a fresh random code (authcode.h); the
 * gateway hands the authority only the code's SHA-256 digest, never the code. An
 * authentication (0x0102) asks the authority for the digest granted to the phone and compares
 * it with the digest of the code sent, in constant time. A new registration replaces the
 * phone's grant (one code per registration); a deregistration (0x0003) or an operator's revoke
 * removes it.
 *
 * One instance per gateway worker, created by a factory with that worker's event base (like
 * sink.h); every call on an instance, and every done callback, happens on that worker's
 * thread. The Redis authority (store.h, fw_store_authority_new) keeps grants in
 * fw:auth:<phone> where every node reads them; the memory authority (below) keeps them in the
 * process, for a single node without Redis (the null sink, tests, benchmarks).
 */
#ifndef FW_AUTHORITY_H
#define FW_AUTHORITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;

#define FW_AUTH_DIGEST_LEN 32 /* SHA-256 */

/* The Redis form of a grant (hash fw:auth:<phone>, its fields and the revoke script):
 * redis_schema.h, docs/redis-schema.md. */
#define FW_AUTH_ADDR_MAX 64 /* "address:port" of a terminal, with IPv6 brackets */

/* What a registration grants: the code's digest and the evidence of who received it. */
typedef struct {
    const char *phone;                  /* digits without leading zeros */
    uint8_t digest[FW_AUTH_DIGEST_LEN]; /* SHA-256 of the code */
    int64_t issued_ms;                  /* UTC epoch ms */
    const char *terminal_id;            /* as the 0x0100 sent it (printable ASCII) */
    const char *address;                /* the terminal's address:port */
} fw_auth_grant;

/* done() status */
enum {
    FW_AUTHORITY_OK = 0,      /* grant stored / digest found / grant removed */
    FW_AUTHORITY_NONE = 1,    /* lookup, revoke: the phone holds no grant */
    FW_AUTHORITY_FAILED = -1, /* the authority could not answer (Redis down, timeout) */
};

/* digest: for lookup with FW_AUTHORITY_OK, the granted digest (valid during the call);
 * NULL otherwise. */
typedef void (*fw_authority_done_fn)(void *cookie, int status, const uint8_t *digest);

typedef struct fw_authority fw_authority;
typedef struct {
    /* Each returns 0 when queued (done will be called exactly once, possibly inside the
     * call), -1 when not (done is not called). */
    int (*grant)(fw_authority *a, const fw_auth_grant *g, fw_authority_done_fn done, void *cookie);
    int (*lookup)(fw_authority *a, const char *phone, fw_authority_done_fn done, void *cookie);
    int (*revoke)(fw_authority *a, const char *phone, fw_authority_done_fn done, void *cookie);
    /* Release the instance; requests in flight complete with FW_AUTHORITY_FAILED first. */
    void (*close)(fw_authority *a);
} fw_authority_ops;

struct fw_authority {
    const fw_authority_ops *ops; /* implementations embed this struct first */
};

/* Creates worker `worker`'s authority; NULL on failure (the gateway then refuses to start). */
typedef fw_authority *(*fw_authority_factory)(void *ctx, struct event_base *base, unsigned worker);

/* ---- the memory authority: grants shared by the workers of one process ------------------- */

typedef struct fw_auth_table fw_auth_table;
/* A table for at most `max_grants` phones (a grant past that replaces the oldest). NULL when
 * out of memory. Free it after every authority made from it is closed. */
fw_auth_table *fw_auth_table_new(size_t max_grants);
void fw_auth_table_free(fw_auth_table *t);
/* Keep phone's digest (false when out of memory or the phone is too long). */
bool fw_auth_table_put(fw_auth_table *t, const char *phone,
                       const uint8_t digest[FW_AUTH_DIGEST_LEN]);
/* phone's digest into digest; false when none. */
bool fw_auth_table_get(fw_auth_table *t, const char *phone, uint8_t digest[FW_AUTH_DIGEST_LEN]);
/* Forget phone's digest; false when there was none. All three on any thread (one mutex). */
bool fw_auth_table_remove(fw_auth_table *t, const char *phone);
/* fw_authority_factory: ctx is an fw_auth_table. Answers inside each call. */
fw_authority *fw_memory_authority_new(void *ctx, struct event_base *base, unsigned worker);

#endif
