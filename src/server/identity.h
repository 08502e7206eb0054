/* identity.h - does a registration (0x0100) come from the device the registry binds the vehicle to?
 *
 * A registration names a phone (the SIM), a plate and plate colour (painted on the vehicle) and the
 * device: terminal id, maker and model. It matches when the phone is in the registry and the plate,
 * its colour and the terminal id are the registry's; maker and model too where the registry records
 * them. A registry entry without a terminal_id matches nothing unless it says
 * "accept_any_terminal": true, the documented weaker binding (plate and colour only), meant for the
 * time it takes to record a fleet's devices. The verdict names the first field that differs; it is
 * logged and counted, while the terminal hears one refusal for all (the reply must not tell a
 * prober which part was right). The verdicts (FW_IDENTITY_LIST) are in metrics.h, where they label
 * fleetwatch_registrations_total.
 */
#ifndef FW_SERVER_IDENTITY_H
#define FW_SERVER_IDENTITY_H

#include "fw/codec/jt_msg.h"
#include "fw/server/metrics.h"
#include "fw/base/registry.h"

/* v: the registry entry of the registering phone, NULL when there is none. */
fw_identity_verdict fw_identity_check(const fw_vehicle *v, const jt_register *reg);

#endif
