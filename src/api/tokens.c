/* tokens.c - token file parsing and constant-time token lookup (tokens.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokens.h"

typedef struct {
    unsigned char token[API_TOKEN_MAX_LEN]; /* zero-padded */
    size_t len;
    api_role role;
    char label[API_TOKEN_LABEL_MAX];
} api_token;

struct api_tokens {
    size_t n;
    api_token v[];
};

static const char *const role_names[] = {"none",
#define API_ROLE_TEXT(name, text) text,
                                         API_ROLE_LIST(API_ROLE_TEXT)
#undef API_ROLE_TEXT
};
#define N_ROLES (sizeof role_names / sizeof role_names[0])

const char *api_role_name(api_role r)
{
    return (unsigned)r < N_ROLES ? role_names[r] : "none";
}

static api_role role_from_name(const char *name)
{
    for (size_t i = 1; i < N_ROLES; i++)
        if (strcmp(role_names[i], name) == 0)
            return (api_role)i;
    return API_ROLE_NONE;
}

static int token_chars_ok(const char *s)
{
    for (; *s; s++)
        if (*s < 0x21 || *s > 0x7e)
            return 0;
    return 1;
}

/* Parse one non-comment line into *e; 0, or -1 with a reason (never quoting the token). */
static int parse_line(char *line, api_token *e, const char **why)
{
    char *save = NULL;
    const char *role = strtok_r(line, " \t", &save);
    const char *token = strtok_r(NULL, " \t", &save);
    const char *label = strtok_r(NULL, " \t", &save);
    if (role == NULL || token == NULL || label == NULL || strtok_r(NULL, " \t", &save)) {
        *why = "expected <role> <token> <label>";
        return -1;
    }
    size_t len = strlen(token);
    if ((e->role = role_from_name(role)) == API_ROLE_NONE)
        *why = "unknown role (police, dispatcher or admin)";
    else if (len < API_TOKEN_MIN_LEN || len > API_TOKEN_MAX_LEN || !token_chars_ok(token))
        *why = "token must be 16..128 printable characters";
    else if (strlen(label) >= API_TOKEN_LABEL_MAX)
        *why = "label longer than 63 bytes";
    else
        *why = NULL;
    if (*why)
        return -1;
    memset(e->token, 0, sizeof e->token);
    memcpy(e->token, token, len);
    e->len = len;
    strcpy(e->label, label);
    return 0;
}

static int is_duplicate(const api_tokens *t, const api_token *e)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].len == e->len && memcmp(t->v[i].token, e->token, e->len) == 0)
            return 1;
    return 0;
}

static api_tokens *alloc_table(void)
{
    api_tokens *t = calloc(1, sizeof *t + API_TOKENS_MAX * sizeof(api_token));
    return t;
}

api_tokens *api_tokens_empty(void)
{
    return alloc_table();
}

api_tokens *api_tokens_load(const char *path, char *err, size_t errcap)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, errcap, "%s: cannot open", path);
        return NULL;
    }
    api_tokens *t = alloc_table();
    char line[512];
    const char *why = NULL;
    unsigned lineno = 0;
    while (t && why == NULL && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        if (line[strspn(line, " \t")] == '\0')
            continue;
        api_token e;
        if (parse_line(line, &e, &why) < 0)
            break;
        if (is_duplicate(t, &e))
            why = "the same token appears twice";
        else if (t->n == API_TOKENS_MAX)
            why = "too many tokens";
        else
            t->v[t->n++] = e;
    }
    fclose(f);
    if (t == NULL || why != NULL) {
        snprintf(err, errcap, "%s:%u: %s", path, lineno, t ? why : "out of memory");
        free(t);
        return NULL;
    }
    return t;
}

void api_tokens_free(api_tokens *t)
{
    free(t);
}

size_t api_tokens_count(const api_tokens *t)
{
    return t->n;
}

/* All-ones when a == b, else zero, without a data-dependent branch. */
static size_t ct_mask_eq(size_t a, size_t b)
{
    size_t d = a ^ b;
    return (size_t)0 - (size_t)(((d | ((size_t)0 - d)) >> (sizeof(size_t) * 8 - 1)) ^ 1);
}

api_role api_tokens_find(const api_tokens *t, const char *token, size_t len, const char **label)
{
    unsigned char presented[API_TOKEN_MAX_LEN] = {0};
    size_t copy = len < API_TOKEN_MAX_LEN ? len : API_TOKEN_MAX_LEN;
    memcpy(presented, token, copy);
    size_t role = API_ROLE_NONE, found = 0;
    for (size_t i = 0; i < t->n; i++) {
        const api_token *e = &t->v[i];
        unsigned diff = 0;
        for (size_t k = 0; k < API_TOKEN_MAX_LEN; k++)
            diff |= presented[k] ^ e->token[k];
        size_t match = ct_mask_eq(diff, 0) & ct_mask_eq(len, e->len);
        role |= match & (size_t)e->role;
        found |= match & i;
    }
    if (label)
        *label = role != API_ROLE_NONE ? t->v[found].label : "";
    return (api_role)role;
}
