/*
 * psa/lifecycle.h: the PSA RoT lifecycle state, as PSA FF-M 1.1 gives it to secure partitions
 * (and secure modules): psa_rot_lifecycle_state().
 *
 * Contract: the value's bits 15..8 are the PSA lifecycle state (PSA_LIFECYCLE_PSA_STATE_MASK),
 * bits 7..0 an implementation-defined sub-state (PSA_LIFECYCLE_IMP_STATE_MASK), 0 on this SM.
 * It is the state the device booted in (the one the boot stages acted on and the attestation
 * token reports; a move made by the running SM takes effect at the next boot), or
 * PSA_LIFECYCLE_UNKNOWN on a device that is not provisioned. The SM starts only in SECURED and
 * the two debug states (docs/design/lifecycle.md), so a running partition sees one of those.
 * Not for the non-secure world: its view of the lifecycle is the attestation token's claim.
 */
#ifndef PSA_LIFECYCLE_H
#define PSA_LIFECYCLE_H

#include <stdint.h>

#define PSA_LIFECYCLE_PSA_STATE_MASK            (0xff00u)
#define PSA_LIFECYCLE_IMP_STATE_MASK            (0x00ffu)
#define PSA_LIFECYCLE_UNKNOWN                   (0x0000u)
#define PSA_LIFECYCLE_ASSEMBLY_AND_TEST         (0x1000u)
#define PSA_LIFECYCLE_PSA_ROT_PROVISIONING      (0x2000u)
#define PSA_LIFECYCLE_SECURED                   (0x3000u)
#define PSA_LIFECYCLE_NON_PSA_ROT_DEBUG         (0x4000u)
#define PSA_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG (0x5000u)
#define PSA_LIFECYCLE_DECOMMISSIONED            (0x6000u)

uint32_t psa_rot_lifecycle_state(void);

#endif /* PSA_LIFECYCLE_H */
