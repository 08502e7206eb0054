/* reply.c - sending answers: JSON bodies, {"error", "param"} errors and raw text, each
 * counted by route and status class and audited when its route is (audit.c); ends a request's
 * life (cleanup, free).
 */
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "api_internal.h"

static const char *reason(int status)
{
    static const struct {
        int status;
        const char *text;
    } reasons[] = {
        {200, "OK"},          {400, "Bad Request"},         {401, "Unauthorized"},
        {403, "Forbidden"},   {404, "Not Found"},           {405, "Method Not Allowed"},
        {409, "Conflict"},    {413, "Payload Too Large"},   {500, "Internal Server Error"},
        {502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Gateway Timeout"}};
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].status == status)
            return reasons[i].text;
    return "Status";
}

static void count(fw_api *api, api_route_id route, int status)
{
    unsigned cls = (unsigned)status / 100;
    if (route < API_ROUTE__COUNT && cls < API_STATUS_CLASSES)
        api->requests[route][cls]++;
}

static void send_body(fw_api *api, struct evhttp_request *req, api_route_id route, int status,
                      const char *content_type, const char *body, size_t len)
{
    struct evkeyvalq *h = evhttp_request_get_output_headers(req);
    evhttp_add_header(h, "Content-Type", content_type);
    evhttp_add_header(h, "Cache-Control", "no-store");
    struct evbuffer *buf = evbuffer_new();
    if (buf)
        evbuffer_add(buf, body, len);
    evhttp_send_reply(req, status, reason(status), buf);
    if (buf)
        evbuffer_free(buf);
    count(api, route, status);
}

/* Print into the API's reusable buffer; cJSON's own allocation when it does not fit. */
static void send_json(fw_api *api, struct evhttp_request *req, api_route_id route, int status,
                      cJSON *body)
{
    static const char oom[] = "{\"error\":\"out of memory\",\"param\":null}";
    bool in_buf = body && api->print_buf &&
                  cJSON_PrintPreallocated(body, api->print_buf, (int)api->print_cap, 0);
    char *text = in_buf ? api->print_buf : body ? cJSON_PrintUnformatted(body) : NULL;
    cJSON_Delete(body);
    if (text == NULL)
        send_body(api, req, route, 500, "application/json", oom, sizeof oom - 1);
    else
        send_body(api, req, route, status, "application/json", text, strlen(text));
    if (text && !in_buf)
        cJSON_free(text);
}

static cJSON *error_body(const char *error, const char *param)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "error", error);
    if (param)
        cJSON_AddStringToObject(o, "param", param);
    else
        cJSON_AddNullToObject(o, "param");
    return o;
}

static void finish(api_req *r)
{
    if (r->cleanup)
        r->cleanup(r);
    if (r->redis_deadline)
        event_free(r->redis_deadline);
    free(r);
}

void api_reply_json(api_req *r, int status, cJSON *body)
{
    api_audit_answer(r, status);
    send_json(r->api, r->http, r->route, status, body);
    finish(r);
}

void api_reply_error(api_req *r, int status, const char *error, const char *param)
{
    api_reply_json(r, status, error_body(error, param));
}

void api_reply_bad(api_req *r, const api_bad *bad)
{
    api_reply_error(r, 400, bad->error, bad->param);
}

void api_reply_raw(api_req *r, int status, const char *content_type, const char *body, size_t len)
{
    api_audit_answer(r, status);
    send_body(r->api, r->http, r->route, status, content_type, body, len);
    finish(r);
}

void api_send_error(fw_api *api, struct evhttp_request *req, api_route_id route, int status,
                    const char *error, const char *param)
{
    send_json(api, req, route, status, error_body(error, param));
}
