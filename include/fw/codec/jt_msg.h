/* jt_msg.h - JT/T 808 message bodies: ids, decoded structs and the body decoder.
 *
 * jt_decode_body() turns a parsed frame (jt_frame.h) into a jt_body. Decoded structs are
 * fixed size and never own memory: variable parts (strings, item lists, batches) are spans
 * into the frame buffer, walked with the iterators below. Strings are left in GBK; convert
 * with jt_text.h when needed. Nothing here allocates.
 *
 * Version differences (2011 vs 2013 vs 2019 field widths) are resolved from the frame's
 * header version and, for 0x0100, the body length (a 2011 body is shorter than any 2013 one).
 * Downlink bodies (ids 0x8000 and up) decode too, so that every encoder in jt_encode.h round-trips
 * and the simulator can read the platform's replies.
 */
#ifndef FW_JT_MSG_H
#define FW_JT_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/codec/jt_errors.h"
#include "fw/codec/jt_frame.h"

/* X(id, enum suffix, description) */
#define JT_MSG_LIST(X)                                                                             \
    X(0x0001, TERM_ACK, "terminal general response")                                               \
    X(0x0002, HEARTBEAT, "terminal heartbeat")                                                     \
    X(0x0003, LOGOUT, "terminal logout")                                                           \
    X(0x0004, QUERY_TIME, "query server time")                                                     \
    X(0x0100, REGISTER, "terminal registration")                                                   \
    X(0x0102, AUTH, "terminal authentication")                                                     \
    X(0x0104, PARAM_REPLY, "query terminal parameters response")                                   \
    X(0x0107, ATTR_REPLY, "query terminal attributes response")                                    \
    X(0x0200, LOCATION, "location report")                                                         \
    X(0x0201, LOCATION_REPLY, "location query response")                                           \
    X(0x0702, DRIVER_ID, "driver identity report")                                                 \
    X(0x0704, LOCATION_BATCH, "location batch upload")                                             \
    X(0x0800, MEDIA_EVENT, "multimedia event")                                                     \
    X(0x0801, MEDIA_DATA, "multimedia data upload")                                                \
    X(0x0900, PASSTHROUGH_UP, "uplink data pass-through")                                          \
    X(0x1005, PASSENGER_FLOW, "passenger flow (JT/T 1078)")                                        \
    X(0x8001, PLAT_ACK, "platform general response")                                               \
    X(0x8003, RESEND_REQ, "resend sub-packages request")                                           \
    X(0x8004, SERVER_TIME, "server time response")                                                 \
    X(0x8100, REGISTER_REPLY, "registration response")                                             \
    X(0x8103, SET_PARAMS, "set terminal parameters")                                               \
    X(0x8104, QUERY_PARAMS, "query terminal parameters")                                           \
    X(0x8201, QUERY_LOCATION, "query location")                                                    \
    X(0x8202, TRACK_LOCATION, "temporary location tracking")                                       \
    X(0x8300, TEXT, "text message")                                                                \
    X(0x8600, SET_CIRCLE_AREA, "set circular areas")                                               \
    X(0x8602, SET_RECT_AREA, "set rectangular areas")                                              \
    X(0x8604, SET_POLYGON_AREA, "set polygon area")                                                \
    X(0x8606, SET_ROUTE, "set route")

enum {
#define JT_MSG_ENUM(id, name, text) JT_MSG_##name = id,
    JT_MSG_LIST(JT_MSG_ENUM)
#undef JT_MSG_ENUM
};

/* Description of a message id; NULL when the id is not in JT_MSG_LIST. */
const char *jt_msg_text(uint16_t msg_id);
/* True when jt_decode_body() has a decoder for the id. */
bool jt_msg_known(uint16_t msg_id);

typedef struct {
    const uint8_t *p; /* into the frame buffer; NULL when absent */
    uint16_t len;
} jt_bytes;

/* ---- 0x0001 terminal / 0x8001 platform general response --------------------------------- */
enum {
    JT_RESULT_OK = 0,
    JT_RESULT_FAIL = 1,
    JT_RESULT_MSG_ERROR = 2,
    JT_RESULT_UNSUPPORTED = 3,
    JT_RESULT_ALARM_CONFIRMED = 4 /* 0x8001 only */
};
typedef struct {
    uint16_t reply_serial;
    uint16_t reply_id;
    uint8_t result;
} jt_general_ack;

/* ---- 0x0100 registration ---------------------------------------------------------------- */
typedef enum { JT_REG_2011 = 2011, JT_REG_2013 = 2013, JT_REG_2019 = 2019 } jt_reg_layout;
typedef struct {
    jt_reg_layout layout; /* field widths used: 2011 (model 8), 2013 (maker 5, model 20,
                             id 7), 2019 (maker 11, model 30, id 30) */
    uint16_t province;
    uint16_t city;
    jt_bytes maker; /* trailing NULs trimmed */
    jt_bytes model;
    jt_bytes terminal_id;
    uint8_t plate_color; /* 0: no plate (VIN in `plate`) */
    jt_bytes plate;      /* GBK, rest of the body */
} jt_register;

/* ---- 0x0102 authentication -------------------------------------------------------------- */
typedef struct {
    jt_bytes code;             /* GBK/ASCII auth code */
    jt_bytes imei;             /* 2019 only: 15 bytes */
    jt_bytes software_version; /* 2019 only: 20 bytes, NULs trimmed */
} jt_auth;

/* ---- 0x0104 parameter reply / 0x8103 set parameters ------------------------------------- */
typedef struct {
    uint32_t id;
    uint8_t len;
    const uint8_t *value;
} jt_param;
typedef struct {
    uint16_t reply_serial; /* 0x0104 only */
    uint8_t count;         /* as declared */
    jt_bytes list;         /* the parameter entries, walk with jt_param_next() */
} jt_param_list;
typedef struct {
    const uint8_t *p, *end;
} jt_param_iter;
void jt_param_iter_init(jt_param_iter *it, const jt_param_list *pl);
/* Next entry; false at the end. A truncated last entry sets *err = JT_ERR_TRUNCATED and
 * returns false. */
bool jt_param_next(jt_param_iter *it, jt_param *out, jt_err *err);

/* ---- 0x0107 attributes reply ------------------------------------------------------------ */
typedef struct {
    uint16_t terminal_type;
    jt_bytes maker, model, terminal_id;
    const uint8_t *iccid_bcd; /* 10 bytes */
    jt_bytes hw_version, fw_version;
    uint8_t gnss_attr, comm_attr;
} jt_attributes;

/* ---- 0x0200 location and its additional items ------------------------------------------- */

/* Alarm bits (JT/T 808-2019 table 24). */
#define JT_ALARM_LIST(X)                                                                           \
    X(0, EMERGENCY, "emergency")                                                                   \
    X(1, OVERSPEED, "overspeed")                                                                   \
    X(2, FATIGUE, "fatigue")                                                                       \
    X(3, DANGER, "dangerous_driving")                                                              \
    X(4, GNSS_FAULT, "gnss_module_fault")                                                          \
    X(5, GNSS_ANTENNA_OPEN, "gnss_antenna_open")                                                   \
    X(6, GNSS_ANTENNA_SHORT, "gnss_antenna_short")                                                 \
    X(7, UNDERVOLTAGE, "undervoltage")                                                             \
    X(8, POWER_LOSS, "power_loss")                                                                 \
    X(9, LCD_FAULT, "lcd_fault")                                                                   \
    X(10, TTS_FAULT, "tts_fault")                                                                  \
    X(11, CAMERA_FAULT, "camera_fault")                                                            \
    X(12, IC_CARD_FAULT, "ic_card_fault")                                                          \
    X(13, OVERSPEED_WARNING, "overspeed_warning")                                                  \
    X(14, FATIGUE_WARNING, "fatigue_warning")                                                      \
    X(15, ILLEGAL_DRIVING, "illegal_driving")                                                      \
    X(16, TYRE_PRESSURE, "tyre_pressure")                                                          \
    X(17, RIGHT_BLIND_SPOT, "right_turn_blind_spot")                                               \
    X(18, DAILY_DRIVING_EXCEEDED, "daily_driving_exceeded")                                        \
    X(19, OVERTIME_PARKING, "overtime_parking")                                                    \
    X(20, AREA, "area_in_out")                                                                     \
    X(21, ROUTE, "route_in_out")                                                                   \
    X(22, SEGMENT_TIME, "segment_time")                                                            \
    X(23, ROUTE_DEVIATION, "route_deviation")                                                      \
    X(24, VSS_FAULT, "vss_fault")                                                                  \
    X(25, FUEL_ABNORMAL, "fuel_abnormal")                                                          \
    X(26, THEFT, "theft")                                                                          \
    X(27, ILLEGAL_IGNITION, "illegal_ignition")                                                    \
    X(28, ILLEGAL_DISPLACEMENT, "illegal_displacement")                                            \
    X(29, COLLISION, "collision")                                                                  \
    X(30, ROLLOVER, "rollover")                                                                    \
    X(31, ILLEGAL_DOOR_OPEN, "illegal_door_open")

/* Single-bit status flags (table 25); bits 8-9 are the load state, see JT_STATUS_LOAD(). */
#define JT_STATUS_LIST(X)                                                                          \
    X(0, ACC_ON, "acc_on")                                                                         \
    X(1, FIXED, "fixed")                                                                           \
    X(2, SOUTH, "south")                                                                           \
    X(3, WEST, "west")                                                                             \
    X(4, OUT_OF_SERVICE, "out_of_service")                                                         \
    X(5, COORD_ENCRYPTED, "coordinates_encrypted")                                                 \
    X(6, FCW_WARNING, "forward_collision_warning")                                                 \
    X(7, LDW_WARNING, "lane_departure_warning")                                                    \
    X(10, FUEL_CUT, "fuel_circuit_cut")                                                            \
    X(11, POWER_CUT, "power_circuit_cut")                                                          \
    X(12, DOOR_LOCKED, "door_locked")                                                              \
    X(13, DOOR1_OPEN, "door1_open")                                                                \
    X(14, DOOR2_OPEN, "door2_open")                                                                \
    X(15, DOOR3_OPEN, "door3_open")                                                                \
    X(16, DOOR4_OPEN, "door4_open")                                                                \
    X(17, DOOR5_OPEN, "door5_open")                                                                \
    X(18, GPS, "gps")                                                                              \
    X(19, BEIDOU, "beidou")                                                                        \
    X(20, GLONASS, "glonass")                                                                      \
    X(21, GALILEO, "galileo")

enum {
#define JT_BIT_ENUM(bit, name, text) JT_ALARM_##name = 1u << bit,
    JT_ALARM_LIST(JT_BIT_ENUM)
#undef JT_BIT_ENUM
#define JT_BIT_ENUM(bit, name, text) JT_STATUS_##name = 1u << bit,
        JT_STATUS_LIST(JT_BIT_ENUM)
#undef JT_BIT_ENUM
};
#define JT_STATUS_LOAD(status) (((status) >> 8) & 3u) /* 0 empty, 1 half, 3 full */

/* Additional item ids decoded into named fields. */
enum {
    JT_ITEM_MILEAGE = 0x01,       /* DWORD, 0.1 km */
    JT_ITEM_FUEL = 0x02,          /* WORD, 0.1 L */
    JT_ITEM_TACHO_SPEED = 0x03,   /* WORD, 0.1 km/h */
    JT_ITEM_CONFIRM_EVENT = 0x04, /* WORD, event id needing manual confirmation */
    JT_ITEM_TYRE_PRESSURE = 0x05, /* BYTE[30], Pa, 0xff = invalid */
    JT_ITEM_CABIN_TEMP = 0x06,    /* WORD, bit 15 = below zero, degrees C */
    JT_ITEM_OVERSPEED = 0x11,     /* BYTE type [+ DWORD area id] */
    JT_ITEM_AREA_IN_OUT = 0x12,   /* BYTE type, DWORD id, BYTE direction */
    JT_ITEM_ROUTE_TIME = 0x13,    /* DWORD segment, WORD time s, BYTE result */
    JT_ITEM_EXT_SIGNALS = 0x25,   /* DWORD */
    JT_ITEM_IO_STATUS = 0x2A,     /* WORD */
    JT_ITEM_ANALOG = 0x2B,        /* DWORD: AD0 low word, AD1 high word */
    JT_ITEM_SIGNAL = 0x30,        /* BYTE network signal strength */
    JT_ITEM_SATELLITES = 0x31,    /* BYTE GNSS satellites */
    JT_ITEM_ADAS = 0x64,          /* Jiangsu standard, 47 bytes */
    JT_ITEM_DSM = 0x65,           /* Jiangsu standard, 47 bytes */
    JT_ITEM_TPMS = 0x66,          /* Jiangsu standard, 41 + 9 per tyre */
    JT_ITEM_BSD = 0x67,           /* Jiangsu standard, 41 bytes */
};

/* Jiangsu active-safety alarm (items 0x64 ADAS, 0x65 DSM, 0x66 TPMS, 0x67 BSD). */
#define JT_SAFETY_IDENT_LEN 16
typedef struct {
    uint8_t item_id; /* 0x64..0x67 */
    uint32_t alarm_id;
    uint8_t flag;              /* 0 not applicable, 1 start, 2 end */
    uint8_t type;              /* ADAS 1 FCW .. 17; DSM 1 fatigue .. 17; BSD 1..3; TPMS 0 */
    uint8_t level;             /* 1 or 2 (ADAS, DSM); 0 otherwise */
    uint8_t front_speed_kmh;   /* ADAS: vehicle ahead */
    uint8_t front_distance_dm; /* ADAS: distance to vehicle/pedestrian ahead, 0.1 m */
    uint8_t deviation_type;    /* ADAS: 1 left, 2 right */
    uint8_t sign_type;         /* ADAS: road sign type */
    uint8_t sign_value;        /* ADAS: road sign value */
    uint8_t fatigue_level;     /* DSM: 1..10 */
    uint8_t speed_kmh;
    uint16_t altitude_m;
    uint32_t lat_raw, lon_raw; /* 1e-6 degrees */
    const uint8_t *time_bcd;   /* BCD[6], GMT+8 */
    uint16_t vehicle_status;
    const uint8_t *ident; /* 16-byte alarm identification number */
    uint8_t tyre_count;   /* TPMS: entries of 9 bytes in `tyres` */
    const uint8_t *tyres;
} jt_safety_alarm;

/* One additional item as sent. */
typedef struct {
    uint8_t id;
    uint8_t len; /* bytes available in data (may be less than declared) */
    uint8_t declared_len;
    const uint8_t *data;
    jt_err err; /* JT_OK, JT_ERR_ITEM_LENGTH (known id, wrong length),
                   JT_ERR_ITEM_OVERRUN (runs past the body) */
} jt_item;

/* jt_location.has bits: which named item fields were present and well formed. */
enum {
    JT_HAS_MILEAGE = 1u << 0,
    JT_HAS_FUEL = 1u << 1,
    JT_HAS_TACHO_SPEED = 1u << 2,
    JT_HAS_CONFIRM_EVENT = 1u << 3,
    JT_HAS_CABIN_TEMP = 1u << 4,
    JT_HAS_OVERSPEED = 1u << 5,
    JT_HAS_AREA_IN_OUT = 1u << 6,
    JT_HAS_ROUTE_TIME = 1u << 7,
    JT_HAS_EXT_SIGNALS = 1u << 8,
    JT_HAS_IO_STATUS = 1u << 9,
    JT_HAS_ANALOG = 1u << 10,
    JT_HAS_SIGNAL = 1u << 11,
    JT_HAS_SATELLITES = 1u << 12,
    JT_HAS_ADAS = 1u << 13,
    JT_HAS_DSM = 1u << 14,
    JT_HAS_TPMS = 1u << 15,
    JT_HAS_BSD = 1u << 16,
    JT_HAS_TYRE_PRESSURE = 1u << 17,
};

#define JT_LOCATION_BASE_LEN 28u

typedef struct {
    uint32_t alarm;
    uint32_t status;
    uint32_t lat_raw, lon_raw; /* as sent, 1e-6 degrees, unsigned */
    int32_t lat_e6, lon_e6;    /* signed by the status south/west bits */
    bool coord_out_of_range;   /* |lat| > 90 or |lon| > 180: reported, not rejected */
    uint16_t altitude_m;
    uint16_t speed_dkmh;     /* 0.1 km/h */
    uint16_t course_deg;     /* 0-359 */
    const uint8_t *time_bcd; /* BCD[6] YYMMDDhhmmss, GMT+8 */
    int64_t time_utc;        /* epoch seconds, valid when time_err == JT_OK */
    jt_err time_err;

    uint32_t has;                 /* JT_HAS_* */
    uint32_t mileage_hm;          /* 0x01, 0.1 km */
    uint16_t fuel_dl;             /* 0x02, 0.1 L */
    uint16_t tacho_speed_dkmh;    /* 0x03, 0.1 km/h */
    uint16_t confirm_event_id;    /* 0x04 */
    const uint8_t *tyre_pressure; /* 0x05, 30 bytes */
    int16_t cabin_temp_c;         /* 0x06 */
    uint8_t overspeed_loc_type;   /* 0x11: 0 none, 1 circle, 2 rect, 3 polygon, 4 segment */
    uint32_t overspeed_area_id;
    uint8_t inout_loc_type; /* 0x12 */
    uint32_t inout_area_id;
    uint8_t inout_direction;   /* 0 in, 1 out */
    uint32_t route_segment_id; /* 0x13 */
    uint16_t route_time_s;
    uint8_t route_time_result; /* 0 too short, 1 too long */
    uint32_t ext_signals;      /* 0x25 */
    uint16_t io_status;        /* 0x2A */
    uint32_t analog;           /* 0x2B */
    uint8_t signal;            /* 0x30 */
    uint8_t satellites;        /* 0x31 */
    /* The Jiangsu records below are meaningful only when their JT_HAS_* bit is set:
     * jt_location_decode() does not clear them otherwise (they are 2/3 of the struct). */
    jt_safety_alarm adas; /* 0x64 */
    jt_safety_alarm dsm;  /* 0x65 */
    jt_safety_alarm tpms; /* 0x66 */
    jt_safety_alarm bsd;  /* 0x67 */

    jt_bytes items;       /* the whole additional-item area, for jt_item_next() */
    uint16_t item_count;  /* items seen, including malformed ones */
    uint16_t item_errors; /* items with err != JT_OK; never fatal */
} jt_location;

/* Decode a 0x0200-style location (also used inside 0x0201, 0x0704, 0x0801 (base only)).
 * Errors: JT_ERR_TRUNCATED when fewer than 28 bytes. Item problems never fail the call: they
 * are counted in item_errors and reported per item by the iterator. */
jt_err jt_location_decode(const uint8_t *p, size_t len, jt_location *out);

typedef struct {
    const uint8_t *p, *end;
} jt_item_iter;
void jt_item_iter_init(jt_item_iter *it, const jt_location *loc);
/* Next item; false at the end. A malformed item is still returned (with err set). */
bool jt_item_next(jt_item_iter *it, jt_item *out);
/* First item with the given id (e.g. a configured custom load-sensor item 0xE1..0xFF). */
bool jt_location_find_item(const jt_location *loc, uint8_t id, jt_item *out);
/* Value of a numeric item (1, 2 or 4 bytes, big endian) times `unit` (e.g. 10 for 10 kg per
 * count), saturated at UINT32_MAX. False when id is 0 or the item is absent, malformed or of
 * another length. */
bool jt_location_item_value(const jt_location *loc, uint8_t id, uint32_t unit, uint32_t *out);
/* Decode a Jiangsu safety item (0x64..0x67). JT_ERR_ITEM_LENGTH when too short. */
jt_err jt_safety_alarm_decode(const jt_item *item, jt_safety_alarm *out);

/* ---- 0x0201 location query response ----------------------------------------------------- */
typedef struct {
    uint16_t reply_serial;
    jt_location loc;
} jt_location_reply;

/* ---- 0x0704 location batch -------------------------------------------------------------- */
enum { JT_BATCH_NORMAL = 0, JT_BATCH_BLIND_AREA = 1 };
typedef struct {
    uint16_t count; /* as declared */
    uint8_t type;   /* JT_BATCH_NORMAL or JT_BATCH_BLIND_AREA (retransmitted) */
    jt_bytes data;  /* length-prefixed location bodies */
} jt_location_batch;
typedef struct {
    const uint8_t *p, *end;
    uint16_t index; /* 0-based index of the next entry */
} jt_batch_iter;
void jt_batch_iter_init(jt_batch_iter *it, const jt_location_batch *b);
/* Next entry: returns false at the end. When an entry is present but unusable, returns true
 * with *err set (TRUNCATED: its length runs past the body, and iteration then ends). */
bool jt_batch_next(jt_batch_iter *it, jt_location *out, jt_err *err);

/* ---- 0x0702 driver identity ------------------------------------------------------------- */
typedef struct {
    uint8_t state;                  /* 1 card inserted, 2 card removed */
    const uint8_t *time_bcd;        /* BCD[6] */
    uint8_t ic_result;              /* state 1: 0 read ok, 1 auth failed, 2 locked, 3 removed,
                                       4 checksum error */
    jt_bytes name;                  /* GBK; present when state 1 and ic_result 0 */
    jt_bytes certificate;           /* 20 bytes, NULs trimmed */
    jt_bytes authority;             /* GBK */
    const uint8_t *valid_until_bcd; /* BCD[4] YYYYMMDD */
    jt_bytes id_card;               /* 2019: 20 bytes */
} jt_driver_id;

/* ---- 0x0800 multimedia event / 0x0801 multimedia data ----------------------------------- */
typedef struct {
    uint32_t media_id;
    uint8_t media_type; /* 0 image, 1 audio, 2 video */
    uint8_t format;     /* 0 JPEG, 1 TIF, 2 MP3, 3 WAV, 4 WMV */
    uint8_t event;      /* 0 platform command, 1 timer, 2 robbery, 3 collision/rollover ... */
    uint8_t channel;
    bool has_location; /* 0x0801 only */
    jt_location loc;   /* 0x0801: the 28-byte base location */
    jt_bytes data;     /* 0x0801: media payload */
} jt_media;

/* ---- 0x0900 pass-through ---------------------------------------------------------------- */
typedef struct {
    uint8_t type;
    jt_bytes data;
} jt_passthrough;

/* ---- 0x1005 JT/T 1078 passenger flow ---------------------------------------------------- */
typedef struct {
    const uint8_t *start_bcd, *end_bcd; /* BCD[6] GMT+8 */
    int64_t start_utc, end_utc;
    uint16_t boarded;
    uint16_t alighted;
} jt_passenger_flow;

/* ---- 0x8003 resend request -------------------------------------------------------------- */
typedef struct {
    uint16_t first_serial; /* serial of the first sub-package of the original message */
    uint16_t count;        /* BYTE in 2013, WORD in 2019 */
    jt_bytes ids;          /* count WORDs: 1-based indexes of the packets to resend */
} jt_resend_req;

/* ---- 0x8004 server time ----------------------------------------------------------------- */
typedef struct {
    const uint8_t *time_bcd; /* BCD[6], UTC */
    int64_t time_utc;
} jt_server_time;

/* ---- 0x8100 registration response ------------------------------------------------------- */
enum {
    JT_REG_OK = 0,
    JT_REG_VEHICLE_TAKEN = 1,
    JT_REG_NO_VEHICLE = 2,
    JT_REG_TERMINAL_TAKEN = 3,
    JT_REG_NO_TERMINAL = 4
};
typedef struct {
    uint16_t reply_serial;
    uint8_t result;
    jt_bytes auth_code; /* only when result == JT_REG_OK */
} jt_register_reply;

/* ---- 0x8202 temporary tracking ---------------------------------------------------------- */
typedef struct {
    uint16_t interval_s;
    uint32_t validity_s;
} jt_track_request;

/* ---- 0x8300 text message ---------------------------------------------------------------- */
enum {
    JT_TEXT_EMERGENCY = 1u << 0, /* 2013; in 2019 bits 0-1 are 1 service, 2 urgent, 3 notice */
    JT_TEXT_DISPLAY = 1u << 2,
    JT_TEXT_TTS = 1u << 3,
    JT_TEXT_AD_SCREEN = 1u << 4, /* 2013 only */
    JT_TEXT_CAN_FAULT = 1u << 5,
};
typedef struct {
    uint8_t flags;
    uint8_t text_type; /* 2019: 1 notice, 2 service; 0 in 2013 */
    jt_bytes text;     /* GBK */
} jt_text_msg;

/* ---- 0x8600 / 0x8602 / 0x8604 areas, 0x8606 route --------------------------------------- */
enum {
    JT_AREA_BY_TIME = 1u << 0,
    JT_AREA_SPEED_LIMIT = 1u << 1,
    JT_AREA_ENTER_ALARM_DRIVER = 1u << 2,
    JT_AREA_ENTER_ALARM_PLATFORM = 1u << 3,
    JT_AREA_EXIT_ALARM_DRIVER = 1u << 4,
    JT_AREA_EXIT_ALARM_PLATFORM = 1u << 5,
    JT_AREA_SOUTH = 1u << 6,
    JT_AREA_WEST = 1u << 7,
    JT_AREA_NO_DOOR_OPEN = 1u << 8,
};
typedef enum { JT_AREA_CIRCLE, JT_AREA_RECT, JT_AREA_POLYGON } jt_area_kind;
typedef struct {
    uint32_t lat_raw, lon_raw; /* 1e-6 degrees */
} jt_vertex;
typedef struct {
    jt_area_kind kind;
    uint32_t id;
    uint16_t attr;                      /* JT_AREA_* */
    uint32_t lat_raw, lon_raw;          /* circle centre, or rectangle top-left */
    uint32_t lat2_raw, lon2_raw;        /* rectangle bottom-right */
    uint32_t radius_m;                  /* circle */
    const uint8_t *start_bcd, *end_bcd; /* BCD[6] when attr & JT_AREA_BY_TIME */
    uint16_t max_speed_kmh;             /* when attr & JT_AREA_SPEED_LIMIT */
    uint8_t overspeed_s;
    uint16_t night_max_speed_kmh; /* 2019, when attr & JT_AREA_SPEED_LIMIT */
    uint16_t vertex_count;        /* polygon */
    const uint8_t *vertices;      /* polygon: vertex_count x (lat DWORD, lon DWORD) */
    jt_bytes name;                /* 2019, GBK */
} jt_area;
typedef struct {
    jt_area_kind kind;
    uint8_t set_type; /* 0x8600/0x8602: 0 update, 1 append, 2 modify; 0 for polygons */
    uint8_t count;    /* areas declared (1 for 0x8604) */
    jt_version version;
    jt_bytes data; /* the area entries, walk with jt_area_next() */
} jt_area_set;
typedef struct {
    const uint8_t *p, *end;
    jt_area_kind kind;
    jt_version version;
} jt_area_iter;
void jt_area_iter_init(jt_area_iter *it, const jt_area_set *s);
bool jt_area_next(jt_area_iter *it, jt_area *out, jt_err *err);

enum {
    JT_SEG_TIME_LIMITS = 1u << 0,
    JT_SEG_SPEED_LIMIT = 1u << 1,
    JT_SEG_SOUTH = 1u << 2,
    JT_SEG_WEST = 1u << 3
};
typedef struct {
    uint32_t point_id; /* inflection point id */
    uint32_t segment_id;
    uint32_t lat_raw, lon_raw;
    uint8_t width_m;     /* segment width (whole corridor or half: see docs/protocol.md) */
    uint8_t attr;        /* JT_SEG_* */
    uint16_t too_long_s; /* when JT_SEG_TIME_LIMITS */
    uint16_t too_short_s;
    uint16_t max_speed_kmh; /* when JT_SEG_SPEED_LIMIT */
    uint8_t overspeed_s;
    uint16_t night_max_speed_kmh; /* 2019, when JT_SEG_SPEED_LIMIT */
} jt_route_point;
typedef struct {
    uint32_t id;
    uint16_t attr; /* JT_AREA_BY_TIME and the alarm bits */
    const uint8_t *start_bcd, *end_bcd;
    uint16_t point_count;
    jt_version version;
    jt_bytes points; /* walk with jt_route_next() */
    jt_bytes name;   /* 2019, GBK */
} jt_route;
typedef struct {
    const uint8_t *p, *end;
    jt_version version;
} jt_route_iter;
void jt_route_iter_init(jt_route_iter *it, const jt_route *r);
bool jt_route_next(jt_route_iter *it, jt_route_point *out, jt_err *err);

/* ---- the body union --------------------------------------------------------------------- */
typedef struct {
    uint16_t msg_id;
    union {
        jt_general_ack ack;          /* 0x0001, 0x8001 */
        jt_register reg;             /* 0x0100 */
        jt_auth auth;                /* 0x0102 */
        jt_param_list params;        /* 0x0104, 0x8103 */
        jt_attributes attrs;         /* 0x0107 */
        jt_location loc;             /* 0x0200 */
        jt_location_reply loc_reply; /* 0x0201 */
        jt_driver_id driver;         /* 0x0702 */
        jt_location_batch batch;     /* 0x0704 */
        jt_media media;              /* 0x0800, 0x0801 */
        jt_passthrough passthrough;  /* 0x0900 */
        jt_passenger_flow flow;      /* 0x1005 */
        jt_resend_req resend;        /* 0x8003 */
        jt_server_time server_time;  /* 0x8004 */
        jt_register_reply reg_reply; /* 0x8100 */
        jt_track_request track;      /* 0x8202 */
        jt_text_msg text;            /* 0x8300 */
        jt_area_set areas;           /* 0x8600, 0x8602, 0x8604 */
        jt_route route;              /* 0x8606 */
    } u;
} jt_body;

/* Decode f->body[0..f->body_avail) by f->msg_id and f->version. Messages with an empty body
 * (0x0002, 0x0003, 0x0004, 0x8104, 0x8201) decode to nothing. Returns JT_ERR_UNSUPPORTED for
 * ids without a decoder, JT_ERR_ENCRYPTED when f->encryption != 0, JT_ERR_TRUNCATED /
 * JT_ERR_BAD_FIELD for bodies that do not fit their layout. Never reads past the body. */
jt_err jt_decode_body(const jt_frame *f, jt_body *out);

#endif
