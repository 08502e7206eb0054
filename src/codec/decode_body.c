/* decode_body.c - jt_decode_body(): from a parsed frame to the decoded body union.
 *
 * One table, built from JT_MSG_LIST, maps every message id to its description and decoder
 * (decoders.h). A message added to JT_MSG_LIST without a JT_DECODER_<name> below fails to
 * compile, so the list, the texts and the dispatch cannot drift apart. Encrypted bodies are
 * refused before any decoding.
 */
#include <string.h>

#include "fw/codec/jt_msg.h"

#include "decoders.h"

#define JT_DECODER_TERM_ACK         jt_dec_general_ack
#define JT_DECODER_HEARTBEAT        jt_dec_empty
#define JT_DECODER_LOGOUT           jt_dec_empty
#define JT_DECODER_QUERY_TIME       jt_dec_empty
#define JT_DECODER_REGISTER         jt_dec_register
#define JT_DECODER_AUTH             jt_dec_auth
#define JT_DECODER_PARAM_REPLY      jt_dec_param_reply
#define JT_DECODER_ATTR_REPLY       jt_dec_attributes
#define JT_DECODER_LOCATION         jt_dec_location
#define JT_DECODER_LOCATION_REPLY   jt_dec_location_reply
#define JT_DECODER_DRIVER_ID        jt_dec_driver_id
#define JT_DECODER_LOCATION_BATCH   jt_dec_location_batch
#define JT_DECODER_MEDIA_EVENT      jt_dec_media_event
#define JT_DECODER_MEDIA_DATA       jt_dec_media_data
#define JT_DECODER_PASSTHROUGH_UP   jt_dec_passthrough
#define JT_DECODER_PASSENGER_FLOW   jt_dec_passenger_flow
#define JT_DECODER_PLAT_ACK         jt_dec_general_ack
#define JT_DECODER_RESEND_REQ       jt_dec_resend_req
#define JT_DECODER_SERVER_TIME      jt_dec_server_time
#define JT_DECODER_REGISTER_REPLY   jt_dec_register_reply
#define JT_DECODER_SET_PARAMS       jt_dec_set_params
#define JT_DECODER_QUERY_PARAMS     jt_dec_empty
#define JT_DECODER_QUERY_LOCATION   jt_dec_empty
#define JT_DECODER_TRACK_LOCATION   jt_dec_track_request
#define JT_DECODER_TEXT             jt_dec_text
#define JT_DECODER_SET_CIRCLE_AREA  jt_dec_circle_areas
#define JT_DECODER_SET_RECT_AREA    jt_dec_rect_areas
#define JT_DECODER_SET_POLYGON_AREA jt_dec_polygon_area
#define JT_DECODER_SET_ROUTE        jt_dec_route

typedef struct {
    uint16_t id;
    const char *text;
    jt_body_decoder decode;
} msg_entry;

static const msg_entry msg_table[] = {
#define MSG_ENTRY(id, name, text) {id, text, JT_DECODER_##name},
    JT_MSG_LIST(MSG_ENTRY)
#undef MSG_ENTRY
};

/* Binary search: JT_MSG_LIST is in ascending id order (test_uplink checks it). */
static const msg_entry *find_msg(uint16_t msg_id)
{
    size_t lo = 0, hi = sizeof msg_table / sizeof msg_table[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (msg_table[mid].id == msg_id)
            return &msg_table[mid];
        if (msg_table[mid].id < msg_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *jt_msg_text(uint16_t msg_id)
{
    const msg_entry *m = find_msg(msg_id);
    return m ? m->text : NULL;
}

bool jt_msg_known(uint16_t msg_id)
{
    return find_msg(msg_id) != NULL;
}

jt_err jt_decode_body(const jt_frame *f, jt_body *out)
{
    static const uint8_t no_body[1];
    out->msg_id = f->msg_id;
    const msg_entry *m = find_msg(f->msg_id);
    /* Decoders may assume a zeroed union, except the 0x0200 one: jt_location_decode() sets
     * every field of its output itself, and skipping the 480-byte clear saves about a tenth
     * of the cost of decoding a location, the message that arrives most. */
    if (!m || m->decode != jt_dec_location)
        memset(&out->u, 0, sizeof out->u);
    if (f->encryption != 0)
        return JT_ERR_ENCRYPTED;
    if (!m)
        return JT_ERR_UNSUPPORTED;
    const uint8_t *body = f->body ? f->body : no_body;
    return m->decode(body, f->body ? f->body_avail : 0, f->version, out);
}
