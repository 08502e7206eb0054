/* location_items.h - where a fleet's terminals put what no standard 0x0200 item carries: the
 * load (value x load_unit_kg) and the passengers on board, each in a custom additional item
 * chosen by the terminal vendor (0 = none).
 *
 * One setting for the whole service: `fleetwatch` reads it from its options load_item_id,
 * load_item_unit_kg and passenger_item_id and hands the same copy to the store (fw:veh
 * load_kg, passengers; store.h) and to the rule engine (overload; rules_config.h). Values are
 * read with jt_location_item_value() (jt_msg.h).
 */
#ifndef FW_LOCATION_ITEMS_H
#define FW_LOCATION_ITEMS_H

#include <stdint.h>

typedef struct {
    uint8_t load_id;       /* item carrying the load, 0 = none */
    uint8_t passengers_id; /* item carrying the passengers on board, 0 = none */
    uint32_t load_unit_kg; /* kg per count of the load item, >= 1 */
} fw_location_items;

#define FW_LOCATION_ITEMS_NONE ((fw_location_items){.load_unit_kg = 1})

#endif
