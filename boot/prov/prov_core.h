/*
 * prov_core.h: the provisioning stage's answer to one request of the programmer
 * (protocol/sm_prov_proto.h; docs/design/lifecycle.md, "The provisioning stage"), over the
 * device's flash through the boot core. Portable: the board's stage feeds it frames from its
 * UART1 (prov_main.c), the host's device (tests/unit/prov_device.c) from a socket.
 *
 * Contract of prov_handle(f, reply_type, reply):
 * - f is one frame as the decoder reported it, hostile in every byte. The return value is the
 *   reply's payload length (reply_type and reply filled, at most SM_FRAME_PAYLOAD_MAX), or -1
 *   for a frame that gets no answer (a reply type, bit 7 set: the programmer's own bytes
 *   echoed).
 * - HELLO: INFO (state, transitions made, the chip certificate) in any state the store can
 *   read, so the programmer learns why it is refused; every other request in a state other
 *   than ASSEMBLY_AND_TEST and PSA_ROT_PROVISIONING is refused (SM_PROV_E_LOCKED).
 * - LIFECYCLE: carried out only if it parses, its transitions count is the device's (else
 *   SM_PROV_E_STALE), the store allows the move (SM_PROV_E_NOT_ALLOWED), and where the move
 *   needs the OEM's authorisation (prov_needs_oem) its signature verifies with the OEM's key
 *   over bl_lifecycle_digest (SM_PROV_E_UNAUTHORISED; the key: bl_oem_key, or the NS image
 *   signing key on a device with no OEM record). DECOMMISSIONED then erases the secrets
 *   at once (bl_lifecycle_end). A refused request writes nothing to the flash.
 */
#ifndef PROV_CORE_H
#define PROV_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "sm_frame.h"

/* Whether the move from -> to asks for the OEM's signature. */
bool prov_needs_oem(uint32_t from, uint32_t to);
int prov_handle(const struct sm_frame *f, uint8_t *reply_type, uint8_t reply[SM_FRAME_PAYLOAD_MAX]);

#endif /* PROV_CORE_H */
