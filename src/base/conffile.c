/* conffile.c - `key = value` configuration files and whole-file reads (fw/base/conffile.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/base/conffile.h"

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* One line: 0 for a comment, blank or accepted option; -1 with a reason otherwise. */
static int load_line(char *line, fw_conf_setter set, void *ctx, char *err, size_t errcap)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *s = trim(line);
    if (!*s)
        return 0;
    char *eq = strchr(s, '=');
    if (!eq) {
        snprintf(err, errcap, "expected 'key = value'");
        return -1;
    }
    *eq = '\0';
    return set(ctx, trim(s), trim(eq + 1), err, errcap) < 0 ? -1 : 0;
}

int fw_conf_file_load(const char *path, fw_conf_setter set, void *ctx, char *err, size_t errcap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[1024], why[512];
    int lineno = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        rc = load_line(line, set, ctx, why, sizeof why);
        if (rc)
            snprintf(err, errcap, "%s:%d: %s", path, lineno, why);
    }
    fclose(f);
    return rc;
}

char *fw_read_text_file(const char *path, char *err, size_t errcap)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errcap, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (text = malloc((size_t)len + 1)) && fread(text, 1, (size_t)len, f) == (size_t)len) {
        text[len] = '\0';
    } else {
        snprintf(err, errcap, "%s: cannot read", path);
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}
