/* floor_server.c - the benchmark's floor: the least a libevent JT/T 808 server can do. One
 * SO_REUSEPORT listener and loop per thread; splits input at 0x7e, unescapes the header,
 * answers 0x0100 with 0x8100 (result 0, code "0") and everything else with 0x8001 (result 0),
 * echoing phone, serial and id. No registry, no decoding, no checks, no store.
 * Build: cc -O2 floor_server.c -levent -lpthread. Usage: floor_server PORT THREADS
 */
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int port;

static void reply(struct bufferevent *bev, const uint8_t *f, size_t n)
{
    uint8_t h[32], out[80];
    size_t k = 0, o = 0;
    for (size_t i = 0; i < n && k < sizeof h; i++)
        h[k++] = (f[i] == 0x7d && i + 1 < n) ? (uint8_t)(f[++i] == 2 ? 0x7e : 0x7d) : f[i];
    size_t head = (h[2] & 0x40) ? 17 : 12;
    if (k < head + 1)
        return;
    uint8_t m[64];
    memcpy(m, h, head);
    int reg = h[0] == 0x01 && h[1] == 0x00;
    m[0] = reg ? 0x81 : 0x80, m[1] = reg ? 0x00 : 0x01;
    size_t b = head;
    m[b++] = h[head - 2], m[b++] = h[head - 1];
    if (reg)
        m[b++] = 0, m[b++] = '0';
    else
        m[b++] = h[0], m[b++] = h[1], m[b++] = 0;
    m[2] = (uint8_t)((h[2] & 0x40) | ((b - head) >> 8)), m[3] = (uint8_t)(b - head);
    uint8_t x = 0;
    for (size_t i = 0; i < b; i++)
        x ^= m[i];
    m[b++] = x;
    out[o++] = 0x7e;
    for (size_t i = 0; i < b; i++) {
        if (m[i] == 0x7e || m[i] == 0x7d)
            out[o++] = 0x7d, out[o++] = m[i] == 0x7e ? 2 : 1;
        else
            out[o++] = m[i];
    }
    out[o++] = 0x7e;
    bufferevent_write(bev, out, o);
}

static void on_read(struct bufferevent *bev, void *arg)
{
    (void)arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    size_t len = evbuffer_get_length(in), used = 0;
    uint8_t *p = evbuffer_pullup(in, -1);
    for (;;) {
        uint8_t *s = memchr(p + used, 0x7e, len - used);
        uint8_t *e = s ? memchr(s + 1, 0x7e, len - (size_t)(s + 1 - p)) : NULL;
        if (!e)
            break;
        if (e > s + 1)
            reply(bev, s + 1, (size_t)(e - s - 1));
        used = (size_t)(e + 1 - p);
    }
    evbuffer_drain(in, used);
}

static void on_event(struct bufferevent *bev, short what, void *arg)
{
    (void)what, (void)arg;
    bufferevent_free(bev);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *a, int n,
                      void *base)
{
    (void)l, (void)a, (void)n;
    struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
    bufferevent_setcb(bev, on_read, NULL, on_event, NULL);
    bufferevent_enable(bev, EV_READ);
}

static void *loop(void *arg)
{
    (void)arg;
    struct event_base *base = event_base_new();
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (!evconnlistener_new_bind(base, on_accept, base,
                                 LEV_OPT_REUSEABLE | LEV_OPT_REUSEABLE_PORT | LEV_OPT_CLOSE_ON_FREE,
                                 4096, (struct sockaddr *)&sin, sizeof sin))
        exit(1);
    event_base_dispatch(base);
    return NULL;
}

int main(int argc, char **argv)
{
    port = argc > 1 ? atoi(argv[1]) : 8808;
    int threads = argc > 2 ? atoi(argv[2]) : 2;
    pthread_t t[64];
    for (int i = 0; i < threads && i < 64; i++)
        pthread_create(&t[i], NULL, loop, NULL);
    pthread_join(t[0], NULL);
    return 0;
}
