/* tokens.h - bearer tokens and their roles, loaded from the API's token file.
 *
 * File format, one token a line: `<role> <token> <label>`; role is police (read),
 * dispatcher (read, send text) or admin (also reload); the token is 16..128 printable
 * characters without spaces; the label names its holder in logs (tokens are never logged,
 * and no error message quotes one). '#' starts a comment. Lookups compare the presented token
 * with every entry in constant time: how long a lookup takes says nothing about the tokens.
 */
#ifndef FW_API_TOKENS_H
#define FW_API_TOKENS_H

#include <stddef.h>

/* Roles in increasing power; each includes the rights of those before it. X(enum, name) */
#define API_ROLE_LIST(X)                                                                           \
    X(POLICE, "police")                                                                            \
    X(DISPATCHER, "dispatcher")                                                                    \
    X(ADMIN, "admin")

typedef enum {
    API_ROLE_NONE = 0, /* no token or an unknown one */
#define API_ROLE_ENUM(name, text) API_ROLE_##name,
    API_ROLE_LIST(API_ROLE_ENUM)
#undef API_ROLE_ENUM
} api_role;

#define API_TOKEN_MIN_LEN   16
#define API_TOKEN_MAX_LEN   128
#define API_TOKEN_LABEL_MAX 64
#define API_TOKENS_MAX      4096

typedef struct api_tokens api_tokens;

/* Load a token file. NULL with a reason (file:line, never the token) in err. */
api_tokens *api_tokens_load(const char *path, char *err, size_t errcap);
/* An empty table (no file configured): every lookup fails. */
api_tokens *api_tokens_empty(void);
void api_tokens_free(api_tokens *t);
size_t api_tokens_count(const api_tokens *t);

/* Role of the presented token (len bytes, not NUL-terminated), API_ROLE_NONE when unknown;
 * *label (may be NULL) gets the entry's label or "". Time depends only on the table size. */
api_role api_tokens_find(const api_tokens *t, const char *token, size_t len, const char **label);

/* "police" ...; "none" for API_ROLE_NONE. */
const char *api_role_name(api_role r);

#endif
