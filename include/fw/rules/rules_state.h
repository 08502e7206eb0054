/* rules_state.h - one vehicle's rule state: fixed size (at most 512 bytes), no pointers,
 * serialisable so that another node can continue a vehicle after a reconnect.
 *
 * The layout is shown so that callers can hold states by value (an array per connection, a
 * hash map entry); only the engine reads or writes the fields. Persist with fw_state_save()
 * and restore with fw_state_load(): the byte format is versioned and independent of the
 * compiler's struct layout.
 *
 * Late data: a point older than the state's last point cannot be merged into the live
 * episodes. The gateway evaluates such a run (a blind-area batch) in a separate late lane:
 * fw_state_fork_late() makes one, the points are applied to it in order (marked late), then
 * fw_rules_flush() closes what it found and fw_state_merge_late() adds its driving time to
 * the live lane's 24-hour fatigue window.
 */
#ifndef FW_RULES_STATE_H
#define FW_RULES_STATE_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* Episode slots, one per episode-shaped rule. */
enum {
    FW_SLOT_SPEEDING,
    FW_SLOT_OVERLOAD,
    FW_SLOT_ROUTE,
    FW_SLOT_FORBIDDEN,
    FW_SLOT_NIGHT_BAN,
    FW_SLOT_FATIGUE,
    FW_SLOT_FATIGUE_DAILY,
    FW_SLOT__COUNT
};

enum { FW_EV_FIRST, FW_EV_PEAK, FW_EV_LAST, FW_EV__COUNT };

/* One rule's episode: idle, pending (over, not yet for the minimum duration) or open. */
typedef struct {
    uint32_t t[FW_EV__COUNT]; /* first, peak, last violating point: UTC s */
    int32_t lat_e6[FW_EV__COUNT];
    int32_t lon_e6[FW_EV__COUNT];
    uint16_t value[FW_EV__COUNT]; /* in the rule's unit, saturated at 65535 */
    uint8_t phase;                /* FW_EP_IDLE / PENDING / OPEN */
    uint8_t severity;
    uint16_t limit;
    uint8_t flags; /* FW_EPF_* */
    uint8_t subtype;
    uint32_t ref_id; /* zone or route id */
} fw_episode;

/* 24 h of driving in 15-minute buckets: 96 nibbles of whole minutes, plus the exact seconds
 * of the current bucket. */
#define FW_DRIVE_BUCKET_S 900u
#define FW_DRIVE_BUCKETS  96u
typedef struct {
    uint32_t base_bucket;              /* index (UTC s / 900) of the current bucket */
    uint16_t current_s;                /* driving seconds in the current bucket */
    uint16_t total_min;                /* sum of the 95 completed buckets in the window */
    uint8_t min[FW_DRIVE_BUCKETS / 2]; /* two buckets per byte, low nibble = even bucket */
} fw_drive_ring;

typedef struct {
    uint8_t jump_rejects;         /* consecutive points rejected as impossible jumps */
    uint8_t fatigue_seen;         /* terminal / DSM fatigue since the last rest */
    uint16_t passengers_on_board; /* summed from 0x1005 */
    uint32_t last_seen_t;         /* newest point applied or rejected: UTC s, 0 = none */
    uint32_t last_t;              /* newest evidence point */
    int32_t last_lat_e6, last_lon_e6;
    fw_episode ep[FW_SLOT__COUNT];
    uint32_t speeding_sum_dkmh_s; /* speed x seconds over the open/pending episode */
    uint32_t speeding_over_s;     /* seconds of those points */
    uint32_t speeding_distance_m;
    uint32_t drive_continuous_s; /* driving since the last rest */
    uint32_t last_moving_t;      /* last point over the moving threshold, 0 = none */
    fw_drive_ring ring;
    uint32_t emergency_start_t;         /* open emergency alarm, 0 = none */
    uint32_t last_adas_id, last_dsm_id; /* Jiangsu alarm ids already reported */
} fw_vehicle_state;

#define FW_STATE_VERSION   1
#define FW_STATE_MAX_BYTES 512
static_assert(sizeof(fw_vehicle_state) <= FW_STATE_MAX_BYTES, "vehicle state over 512 bytes");

/* A fresh state (no point seen). */
void fw_state_init(fw_vehicle_state *st);
/* Serialise into buf; returns the bytes written (under FW_STATE_MAX_BYTES), 0 when cap is
 * short. */
size_t fw_state_save(const fw_vehicle_state *st, uint8_t *buf, size_t cap);
/* Restore; 0 on success, -1 when the bytes are short, of another version or inconsistent. */
int fw_state_load(fw_vehicle_state *st, const uint8_t *buf, size_t len);
/* A late lane for points older than live's last point: empty episodes and driving ring. */
void fw_state_fork_late(const fw_vehicle_state *live, fw_vehicle_state *late);
/* Add the late lane's driving minutes to live's 24-hour window (buckets still inside it). */
void fw_state_merge_late(fw_vehicle_state *live, const fw_vehicle_state *late);

#endif
