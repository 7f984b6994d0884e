/*
 * sm/sm_lifecycle.h: moving the lifecycle state of a running device (docs/design/lifecycle.md,
 * "Moving a running device"), for any client of the SM (the NS application through the SMAK, a
 * secure partition, a host program).
 *
 * sm_lifecycle_request(req, len) hands the attestation service a request made off the device
 * by the OEM (`smtool lifecycle --sign`), SM_LIFECYCLE_REQUEST_SIZE bytes, little endian:
 *   0   4  magic "SMLR" (SM_LIFECYCLE_MAGIC)
 *   4  16  chip id (zero on a development device, which has no chip record)
 *  20   4  transitions made before this one (the device's count)
 *  24   4  the new state (0x3000 SECURED, 0x4000, 0x5000 the debug states, 0x6000 DECOMMISSIONED)
 *  28  64  ECDSA P-256 signature (r then s) by the OEM's lifecycle key over
 *          SHA-256("SM lifecycle v1\0" || chip id || transitions (4, LE) || new state (4, LE))
 * so one signature moves one chip, once, to one state. The moves: SECURED to either debug state
 * and back, and SECURED or a debug state to DECOMMISSIONED. The counter record is written when
 * the call returns PSA_SUCCESS; the boot stages act on the new state at the next boot (the debug
 * trace, or the erase of every secret for DECOMMISSIONED). Every refusal writes nothing:
 *   PSA_ERROR_INVALID_ARGUMENT   not exactly such a request (size, magic, no state)
 *   PSA_ERROR_NOT_PERMITTED      a move the device's state does not allow
 *   PSA_ERROR_INVALID_SIGNATURE  another chip's request, or a signature that does not verify
 *                                with the OEM's key (or the device has no OEM key)
 *   PSA_ERROR_BAD_STATE          a count that is not the device's (a replayed request)
 *   PSA_ERROR_STORAGE_FAILURE    the store cannot be read or written
 *   PSA_ERROR_SERVICE_FAILURE    the service does not run
 */
#ifndef SM_SM_LIFECYCLE_H
#define SM_SM_LIFECYCLE_H

#include <stddef.h>

#include "psa/error.h"

#define SM_LIFECYCLE_MAGIC        0x524C4D53u /* "SMLR" */
#define SM_LIFECYCLE_REQUEST_SIZE 92u

psa_status_t sm_lifecycle_request(const void *req, size_t len);

#endif /* SM_SM_LIFECYCLE_H */
