/*
 * bl_lifecycle.c: see bl_lifecycle.h.
 */
#include "bl_lifecycle.h"

#include <stddef.h>

#include "bl_counter.h"
#include "bl_otp.h"
#include "bl_status.h"

bool bl_lifecycle_known(uint32_t state)
{
    switch (state) {
    case BL_LIFECYCLE_ASSEMBLY_AND_TEST:
    case BL_LIFECYCLE_PSA_ROT_PROVISIONING:
    case BL_LIFECYCLE_SECURED:
    case BL_LIFECYCLE_NON_PSA_ROT_DEBUG:
    case BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG:
    case BL_LIFECYCLE_DECOMMISSIONED:
        return true;
    default:
        return false;
    }
}

bool bl_lifecycle_allowed(uint32_t from, uint32_t to)
{
    if (!bl_lifecycle_known(from) || !bl_lifecycle_known(to) || from == to ||
        from == BL_LIFECYCLE_DECOMMISSIONED) {
        return false;
    }
    if (to == BL_LIFECYCLE_DECOMMISSIONED) {
        return true;
    }
    switch (from) {
    case BL_LIFECYCLE_ASSEMBLY_AND_TEST:
        return to == BL_LIFECYCLE_PSA_ROT_PROVISIONING;
    case BL_LIFECYCLE_PSA_ROT_PROVISIONING:
        return to == BL_LIFECYCLE_SECURED;
    case BL_LIFECYCLE_SECURED:
        return to == BL_LIFECYCLE_NON_PSA_ROT_DEBUG || to == BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG;
    default: /* the two debug states */
        return to == BL_LIFECYCLE_SECURED;
    }
}

/* The state and the number of transitions made since the device was provisioned in
 * `provisioned`. */
static int moved(uint32_t provisioned, uint32_t *state, uint32_t *count)
{
    uint32_t v;
    int rc = bl_counter_get(BL_COUNTER_LIFECYCLE, &v);
    if (rc != BL_OK) {
        return rc;
    }
    *count = v >> 16;
    *state = *count == 0u ? provisioned : (v & 0xFFFFu);
    return bl_lifecycle_known(*state) ? BL_OK : BL_E_LIFECYCLE;
}

static int current(uint32_t *state, uint32_t *count)
{
    uint32_t provisioned;
    int rc = bl_otp_check();
    if (rc == BL_OK) {
        rc = bl_otp_read_field(offsetof(struct bl_otp, lifecycle), &provisioned,
                               sizeof(provisioned));
    }
    return rc == BL_OK ? moved(provisioned, state, count) : rc;
}

int bl_lifecycle_get(uint32_t *state)
{
    uint32_t count;
    return current(state, &count);
}

int bl_lifecycle_from(uint32_t provisioned, uint32_t *state)
{
    uint32_t count;
    return moved(provisioned, state, &count);
}

int bl_lifecycle_set(uint32_t to)
{
    uint32_t from, count;
    int rc = current(&from, &count);
    if (rc != BL_OK) {
        return rc;
    }
    if (!bl_lifecycle_allowed(from, to) || count >= 0xFFFFu) {
        return BL_E_LIFECYCLE;
    }
    return bl_counter_raise(BL_COUNTER_LIFECYCLE, (count + 1u) << 16 | to);
}

const char *bl_lifecycle_name(uint32_t state)
{
    switch (state) {
    case BL_LIFECYCLE_ASSEMBLY_AND_TEST:
        return "ASSEMBLY_AND_TEST";
    case BL_LIFECYCLE_PSA_ROT_PROVISIONING:
        return "PSA_ROT_PROVISIONING";
    case BL_LIFECYCLE_SECURED:
        return "SECURED";
    case BL_LIFECYCLE_NON_PSA_ROT_DEBUG:
        return "NON_PSA_ROT_DEBUG";
    case BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG:
        return "RECOVERABLE_PSA_ROT_DEBUG";
    case BL_LIFECYCLE_DECOMMISSIONED:
        return "DECOMMISSIONED";
    default:
        return "unknown";
    }
}
