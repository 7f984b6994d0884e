/*
 * bl_lifecycle.h: the device's PSA security lifecycle state (PSA Security Model; states in
 * bl_otp.h) and the only ways it may move (docs/design/lifecycle.md).
 *
 * Storage: the provisioning area holds the state the device was provisioned in
 * (bl_otp.lifecycle); every transition since is a value of the security counter
 * BL_COUNTER_LIFECYCLE (bl_counter.h): (number of transitions made << 16) | the new state. The
 * counter only rises and each transition adds one to its count, so any move, also back to a
 * state the device was in before, is a raise, atomic and power-fail safe like every counter's
 * (a cut leaves the old state or the new one, never another), authenticated under the HUK
 * like every counter record, and the count of transitions can never be rolled back by
 * replaying an older record.
 *
 * Transitions allowed (bl_lifecycle_allowed): ASSEMBLY_AND_TEST -> PSA_ROT_PROVISIONING ->
 * SECURED; SECURED <-> NON_PSA_ROT_DEBUG; SECURED <-> RECOVERABLE_PSA_ROT_DEBUG; and from any
 * state but DECOMMISSIONED to DECOMMISSIONED, which is final. Every other pair, a state moving
 * to itself, and any value that is not one of the six states are refused.
 *
 * Contract:
 * - bl_lifecycle_get: the current state; BL_E_CONFIG if the provisioning area does not
 *   verify, BL_E_COUNTERS if the counters do not, BL_E_LIFECYCLE if what they hold is no
 *   state (a device in that case is to be treated as decommissioned by its caller: fail
 *   closed).
 * - bl_lifecycle_now(state, count): bl_lifecycle_get's state and, with it, the number of
 *   transitions made (the counter's count; 0 for a device decommissioned by its mark or
 *   tombstone), read once: what a move's authorisation is bound to.
 * - bl_lifecycle_digest: what the OEM signs to authorise a move (ECDSA P-256, SHA-256), the
 *   provisioning stage's and the running SM's alike: SHA-256("SM lifecycle v1\0" || chip id
 *   (16) || transitions (4, LE) || to (4, LE)). Bound to the chip and to the count, so a
 *   signature moves one chip once. A function of its input.
 * - bl_lifecycle_set(to): BL_OK once `to` is durable; BL_E_LIFECYCLE, with nothing written,
 *   if the current state does not allow moving to `to`; or the error of get or of the raise.
 *   A decommissioned device (bl_lifecycle_end's mark or tombstone) reads DECOMMISSIONED.
 *
 * What each state does at boot (docs/design/lifecycle.md, "What each state does"):
 * - bl_lifecycle_boot(provisioned, state): what a boot stage asks before it boots anything,
 *   once bl_stage_start has checked the provisioning area (a decommissioning under way is
 *   finished there) and with the state the area holds. BL_OK with the state for SECURED and
 *   the two debug states (bl_lifecycle_trace says which enable the trace); BL_E_PROVISIONING
 *   for ASSEMBLY_AND_TEST and PSA_ROT_PROVISIONING, which boot no image; BL_E_DECOMMISSIONED
 *   for DECOMMISSIONED, once the decommissioning mark is written (bl_lifecycle_mark): the
 *   caller resets, and the first stage's bl_stage_start erases before anything else; the
 *   counters' failure as it is (the caller boots nothing).
 * - bl_lifecycle_end(): erases the device's secrets and assets for good, power-fail safe
 *   (every step is done again until the tombstone is written): the mark, the ITS area, the
 *   counters, the provisioning area (the chip's and the device's secrets), the tombstone.
 *   BL_OK once the tombstone is there.
 */
#ifndef BL_LIFECYCLE_H
#define BL_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

bool bl_lifecycle_known(uint32_t state);
bool bl_lifecycle_allowed(uint32_t from, uint32_t to);
int bl_lifecycle_get(uint32_t *state);
int bl_lifecycle_now(uint32_t *state, uint32_t *count);
void bl_lifecycle_digest(const uint8_t chip_id[16], uint32_t transitions, uint32_t to,
                         uint8_t digest[32]);
/* bl_lifecycle_get for a caller that has checked the provisioning area and read its state
 * (`provisioned`) already: only the counter is read. */
int bl_lifecycle_from(uint32_t provisioned, uint32_t *state);
int bl_lifecycle_set(uint32_t to);
const char *bl_lifecycle_name(uint32_t state);
int bl_lifecycle_boot(uint32_t provisioned, uint32_t *state);
int bl_lifecycle_end(void);
/* bl_lifecycle_end's first step alone: the mark that makes every stage finish the erase. */
int bl_lifecycle_mark(void);
bool bl_lifecycle_trace(uint32_t state);

#endif /* BL_LIFECYCLE_H */
