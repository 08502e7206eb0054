/* tls.c - HTTPS for the API: the OpenSSL context from api_tls_cert / api_tls_key and one TLS
 * bufferevent per connection (conn.c makes them in evhttp's bufferevent callback). Without a
 * certificate the API speaks plain HTTP, which is allowed only on a loopback listen address
 * unless api_plain_http = allow: bearer tokens and police queries must not cross a network in
 * clear.
 */
#include <arpa/inet.h>
#include <string.h>

#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "api_internal.h"

static bool is_loopback(const char *host)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, host, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, host, &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6);
    return strcmp(host, "localhost") == 0;
}

/* The last OpenSSL error as text ("" when none). */
static void ssl_reason(char *out, size_t cap)
{
    unsigned long e = ERR_get_error();
    out[0] = '\0';
    if (e)
        ERR_error_string_n(e, out, cap);
    ERR_clear_error();
}

static int plain_allowed(const fw_api_config *cfg, const char *host, char *err, size_t errcap)
{
    if (strcmp(cfg->api_plain_http, "allow") != 0 && strcmp(cfg->api_plain_http, "loopback") != 0) {
        snprintf(err, errcap, "api_plain_http: expected loopback or allow, got \"%s\"",
                 cfg->api_plain_http);
        return -1;
    }
    if (is_loopback(host) || strcmp(cfg->api_plain_http, "allow") == 0)
        return 0;
    snprintf(err, errcap,
             "api_listen %s is not a loopback address: give api_tls_cert and api_tls_key "
             "(HTTPS), or set api_plain_http = allow to serve plain HTTP on it",
             cfg->api_listen);
    return -1;
}

int api_tls_init(fw_api *api, const char *host, char *err, size_t errcap)
{
    const fw_api_config *cfg = &api->cfg;
    bool cert = cfg->api_tls_cert[0] != '\0', key = cfg->api_tls_key[0] != '\0';
    if (!cert && !key)
        return plain_allowed(cfg, host, err, errcap);
    if (!cert || !key) {
        snprintf(err, errcap, "api_tls_cert and api_tls_key go together (one is empty)");
        return -1;
    }
    char why[256];
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == NULL || SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
        snprintf(err, errcap, "cannot create the TLS context");
        SSL_CTX_free(ctx);
        return -1;
    }
    const char *bad =
        SSL_CTX_use_certificate_chain_file(ctx, cfg->api_tls_cert) != 1             ? "api_tls_cert"
        : SSL_CTX_use_PrivateKey_file(ctx, cfg->api_tls_key, SSL_FILETYPE_PEM) != 1 ? "api_tls_key"
        : SSL_CTX_check_private_key(ctx) != 1                                       ? "api_tls_key"
                                                                                    : NULL;
    if (bad) {
        ssl_reason(why, sizeof why);
        snprintf(err, errcap, "%s %s: %s", bad,
                 strcmp(bad, "api_tls_cert") == 0 ? cfg->api_tls_cert : cfg->api_tls_key, why);
        SSL_CTX_free(ctx);
        return -1;
    }
    api->tls = ctx;
    return 0;
}

struct bufferevent *api_tls_bev(fw_api *api, struct event_base *base)
{
    if (api->tls == NULL)
        return NULL;
    SSL *ssl = SSL_new(api->tls);
    if (ssl == NULL)
        return NULL;
    struct bufferevent *bev = bufferevent_openssl_socket_new(
        base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL) {
        SSL_free(ssl);
        return NULL;
    }
    bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
    return bev;
}

void api_tls_free(fw_api *api)
{
    SSL_CTX_free(api->tls);
    api->tls = NULL;
}
