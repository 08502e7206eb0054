/* print_body.c - which printer prints which message body. The table is built from
 * JT_MSG_LIST, so a message id added to the codec without a PR_PRINTER_<name> below fails to
 * compile: every body the codec decodes is printed. */
#include "printers.h"

#define PR_PRINTER_TERM_ACK         pr_body_ack
#define PR_PRINTER_HEARTBEAT        pr_body_empty
#define PR_PRINTER_LOGOUT           pr_body_empty
#define PR_PRINTER_QUERY_TIME       pr_body_empty
#define PR_PRINTER_REGISTER         pr_body_register
#define PR_PRINTER_AUTH             pr_body_auth
#define PR_PRINTER_PARAM_REPLY      pr_body_params
#define PR_PRINTER_ATTR_REPLY       pr_body_attributes
#define PR_PRINTER_LOCATION         pr_body_location
#define PR_PRINTER_LOCATION_REPLY   pr_body_location_reply
#define PR_PRINTER_DRIVER_ID        pr_body_driver_id
#define PR_PRINTER_LOCATION_BATCH   pr_body_location_batch
#define PR_PRINTER_MEDIA_EVENT      pr_body_media
#define PR_PRINTER_MEDIA_DATA       pr_body_media
#define PR_PRINTER_PASSTHROUGH_UP   pr_body_passthrough
#define PR_PRINTER_PASSENGER_FLOW   pr_body_passenger_flow
#define PR_PRINTER_PLAT_ACK         pr_body_ack
#define PR_PRINTER_RESEND_REQ       pr_body_resend
#define PR_PRINTER_SERVER_TIME      pr_body_server_time
#define PR_PRINTER_REGISTER_REPLY   pr_body_register_reply
#define PR_PRINTER_SET_PARAMS       pr_body_params
#define PR_PRINTER_QUERY_PARAMS     pr_body_empty
#define PR_PRINTER_QUERY_LOCATION   pr_body_empty
#define PR_PRINTER_TRACK_LOCATION   pr_body_track
#define PR_PRINTER_TEXT             pr_body_text
#define PR_PRINTER_SET_CIRCLE_AREA  pr_body_areas
#define PR_PRINTER_SET_RECT_AREA    pr_body_areas
#define PR_PRINTER_SET_POLYGON_AREA pr_body_areas
#define PR_PRINTER_SET_ROUTE        pr_body_route

static const struct {
    uint16_t msg_id;
    pr_body_fn print;
} body_printers[] = {
#define PR_ENTRY(id, name, text) {id, PR_PRINTER_##name},
    JT_MSG_LIST(PR_ENTRY)
#undef PR_ENTRY
};

pr_body_fn pr_body_printer(uint16_t msg_id)
{
    for (size_t i = 0; i < PR_COUNT(body_printers); i++)
        if (body_printers[i].msg_id == msg_id)
            return body_printers[i].print;
    return NULL;
}
