/* downlink.h - how a command sent to a terminal ended: the completion type of the gateway's
 * downlink (fw_server_send, server.h) that other parts hand around without the gateway (the
 * API's send_text hook, api.h).
 */
#ifndef FW_BASE_DOWNLINK_H
#define FW_BASE_DOWNLINK_H

#include <stdint.h>

typedef enum {
    FW_DL_ANSWERED, /* the terminal replied with 0x0001; result is its result byte */
    FW_DL_TIMEOUT,  /* no reply within the timeout */
    FW_DL_CLOSED,   /* the connection closed before a reply */
    FW_DL_NOT_SENT, /* the terminal was not connected by the time the worker looked */
} fw_downlink_status;

/* Completion of a command; called exactly once, on the thread the sender documents (the
 * gateway: the worker thread of the connection). serial is the platform serial the command was
 * sent with (0 when not sent). */
typedef void (*fw_downlink_cb)(void *ctx, fw_downlink_status status, uint8_t result,
                               uint16_t serial);

#endif
