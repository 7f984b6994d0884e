/*
 * sm_lc_request.h: the core's side of a request to move the lifecycle state of a running device
 * from SECURED (to a debug state and back, or to DECOMMISSIONED), authorised by the OEM's lifecycle
 * key exactly as the provisioning stage's moves are (docs/design/lifecycle.md, issue #15).
 *
 * The request's layout: sm/sm_lifecycle.h; what the OEM signs: bl_lifecycle_digest
 * (bl_lifecycle.h), the provisioning stage's too.
 *
 * Contract (each a function of its input; no flash, no globals):
 * - sm_lc_parse: PSA_SUCCESS with *out filled for exactly SM_LC_REQUEST_SIZE bytes carrying the
 *   magic and one of the six states; PSA_ERROR_INVALID_ARGUMENT otherwise (*out then zeroed).
 * - sm_lc_decide: whether a parsed request may move this device (its state `now`, its count
 *   `transitions`, its chip id), before the signature is checked:
 *   PSA_ERROR_NOT_PERMITTED if the device is not in SECURED or a debug state; then
 *   PSA_ERROR_INVALID_SIGNATURE if the request names another chip (its signature cannot be
 *   for this one); PSA_ERROR_BAD_STATE if its count is not the device's (a replayed or stale
 *   authorisation); PSA_ERROR_NOT_PERMITTED if the store does not allow now -> to
 *   (bl_lifecycle_allowed); PSA_SUCCESS otherwise. The caller
 *   then verifies the signature over bl_lifecycle_digest of the device's own id and count
 *   (PSA_ERROR_INVALID_SIGNATURE if it does not verify) and only then writes.
 */
#ifndef SM_LC_REQUEST_H
#define SM_LC_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"
#include "sm/sm_lifecycle.h"

#define SM_LC_MAGIC        SM_LIFECYCLE_MAGIC
#define SM_LC_REQUEST_SIZE SM_LIFECYCLE_REQUEST_SIZE

struct sm_lc_request {
    uint8_t chip_id[16];
    uint32_t transitions;
    uint32_t to;
    uint8_t sig[64];
};

psa_status_t sm_lc_parse(const uint8_t *buf, size_t len, struct sm_lc_request *out);
psa_status_t sm_lc_decide(const struct sm_lc_request *r, const uint8_t chip_id[16], uint32_t now,
                          uint32_t transitions);

#endif /* SM_LC_REQUEST_H */
