/* sm_lc_request.c: the lifecycle request's parser and decision (sm_lc_request.h). */
#include "sm_lc_request.h"

#include <string.h>

#include "bl_lifecycle.h"
#include "bl_otp.h"

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

psa_status_t sm_lc_parse(const uint8_t *buf, size_t len, struct sm_lc_request *out)
{
    memset(out, 0, sizeof(*out));
    if (len != SM_LC_REQUEST_SIZE || get32(buf) != SM_LC_MAGIC ||
        !bl_lifecycle_known(get32(buf + 24))) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    memcpy(out->chip_id, buf + 4, 16);
    out->transitions = get32(buf + 20);
    out->to = get32(buf + 24);
    memcpy(out->sig, buf + 28, 64);
    return PSA_SUCCESS;
}

psa_status_t sm_lc_decide(const struct sm_lc_request *r, const uint8_t chip_id[16], uint32_t now,
                          uint32_t transitions)
{
    /* A running SM's moves only: those from ASSEMBLY_AND_TEST and PSA_ROT_PROVISIONING are the
     * provisioning stage's, whose state boots no SM anyway. */
    if (now != BL_LIFECYCLE_SECURED && !bl_lifecycle_trace(now)) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    if (memcmp(r->chip_id, chip_id, 16) != 0) {
        return PSA_ERROR_INVALID_SIGNATURE;
    }
    /* The count before the move: a replayed request (its move made) is stale, whatever its
     * move would be from the state it made. */
    if (r->transitions != transitions) {
        return PSA_ERROR_BAD_STATE;
    }
    if (!bl_lifecycle_allowed(now, r->to)) {
        return PSA_ERROR_NOT_PERMITTED;
    }
    return PSA_SUCCESS;
}
