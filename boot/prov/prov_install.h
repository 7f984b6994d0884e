/*
 * prov_install.h: the provisioning stage's side of an install package
 * (docs/design/install-package.md): BEGIN and CHUNK requests in, the device's records out.
 * Called by prov_handle (prov_core.c) after the request parsed and the state was checked
 * (ASSEMBLY_AND_TEST or PSA_ROT_PROVISIONING).
 *
 * Contract:
 * - prov_install_begin: refused (an enum sm_prov_reason, with *rc the boot core's reason) if
 *   the device has its device record already, the chip record does not verify, the package
 *   key does not unwrap with the chip key, or the BEGIN tag fails; otherwise opens the
 *   session (one at a time; a new BEGIN replaces it). Writes nothing.
 * - prov_install_chunk: the session's next chunk only; its tag is checked (constant time)
 *   before a byte is decrypted; chunk 0's configuration is parsed before anything is written.
 *   Images go into their kinds' download slots (erased at chunk 0); after the last chunk each
 *   is verified there (the package's key for its kind; decrypted with the chip's product key
 *   for the SM and modules, the install key for the others) and marked for a permanent
 *   install. Any refusal ends the session and erases those slots again. Then the records are
 *   written into the first place (bl_otp.h) whose units are erased or hold their bytes already
 *   (attestation block, OEM record, then the device record, units last to first: the commit;
 *   each record's units checked before one is written) and iak_pub filled; with no such place
 *   left, SM_PROV_E_WRITE. Every byte written is a function of the chip and the package, so a
 *   retry of the same package after a clean power cut writes the same bytes into the same
 *   place: a unit already holding them is left alone (prov_write_once); a unit a cut tore
 *   sends the retry to the next place.
 * - Secrets (the package key, its derived keys, the install key, the IAK, the seed) live only
 *   in the session or on the stack, and are zeroized when the session ends.
 */
#ifndef PROV_INSTALL_H
#define PROV_INSTALL_H

#include <stdint.h>

#include "sm_prov_proto.h"

uint8_t prov_install_begin(const struct sm_prov_request *r, int *rc);
uint8_t prov_install_chunk(const struct sm_prov_request *r, int *rc, uint8_t iak_pub[64]);
/* Ends any session, zeroizing it. */
void prov_install_end(void);
/* Programs len bytes (whole units) at a provisioning-area offset, units from the last to the
 * first; a unit holding exactly those bytes already is skipped, any other non-erased one
 * refuses (BL_E_CONFIG) before anything of that call is written. */
int prov_write_once(uint32_t at, const void *data, uint32_t len);

#endif /* PROV_INSTALL_H */
