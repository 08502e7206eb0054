/* print_body.c - which printer prints which message body: one table, keyed by message id,
 * covering every id jt_decode_body() decodes (JT_MSG_LIST). */
#include "printers.h"

static const struct {
    uint16_t msg_id;
    pr_body_fn print;
} body_printers[] = {
    {JT_MSG_TERM_ACK, pr_body_ack},
    {JT_MSG_HEARTBEAT, pr_body_empty},
    {JT_MSG_LOGOUT, pr_body_empty},
    {JT_MSG_QUERY_TIME, pr_body_empty},
    {JT_MSG_REGISTER, pr_body_register},
    {JT_MSG_AUTH, pr_body_auth},
    {JT_MSG_PARAM_REPLY, pr_body_params},
    {JT_MSG_ATTR_REPLY, pr_body_attributes},
    {JT_MSG_LOCATION, pr_body_location},
    {JT_MSG_LOCATION_REPLY, pr_body_location_reply},
    {JT_MSG_DRIVER_ID, pr_body_driver_id},
    {JT_MSG_LOCATION_BATCH, pr_body_location_batch},
    {JT_MSG_MEDIA_EVENT, pr_body_media},
    {JT_MSG_MEDIA_DATA, pr_body_media},
    {JT_MSG_PASSTHROUGH_UP, pr_body_passthrough},
    {JT_MSG_PASSENGER_FLOW, pr_body_passenger_flow},
    {JT_MSG_PLAT_ACK, pr_body_ack},
    {JT_MSG_RESEND_REQ, pr_body_resend},
    {JT_MSG_SERVER_TIME, pr_body_server_time},
    {JT_MSG_REGISTER_REPLY, pr_body_register_reply},
    {JT_MSG_SET_PARAMS, pr_body_params},
    {JT_MSG_QUERY_PARAMS, pr_body_empty},
    {JT_MSG_QUERY_LOCATION, pr_body_empty},
    {JT_MSG_TRACK_LOCATION, pr_body_track},
    {JT_MSG_TEXT, pr_body_text},
    {JT_MSG_SET_CIRCLE_AREA, pr_body_areas},
    {JT_MSG_SET_RECT_AREA, pr_body_areas},
    {JT_MSG_SET_POLYGON_AREA, pr_body_areas},
    {JT_MSG_SET_ROUTE, pr_body_route},
};

pr_body_fn pr_body_printer(uint16_t msg_id)
{
    for (size_t i = 0; i < sizeof body_printers / sizeof body_printers[0]; i++)
        if (body_printers[i].msg_id == msg_id)
            return body_printers[i].print;
    return NULL;
}

#define PR_COUNT_ID(id, name, text) +1
_Static_assert(sizeof body_printers / sizeof body_printers[0] == 0 JT_MSG_LIST(PR_COUNT_ID),
               "every message id of JT_MSG_LIST has a body printer");
#undef PR_COUNT_ID
