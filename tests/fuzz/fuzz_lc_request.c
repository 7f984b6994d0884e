/*
 * fuzz_lc_request.c: the lifecycle request of a running device (core/sm_lc_request.c:
 * sm_lc_parse, sm_lc_decide, bl_lifecycle_digest) over arbitrary requests and device states.
 *
 * Input: [0..15] the device's chip id, [16..19] its state, [20..23] its count of transitions
 *        (both little endian; [16] bit 7 clear picks the state from the six by [16] % 8, so the
 *        real states are reached often), then the request (any length).
 * Oracles, each from the layout in sm/sm_lifecycle.h read here a second time:
 * - the parse succeeds exactly for 92 bytes starting with "SMLR" whose state is one of the six,
 *   and then gives the bytes' fields; otherwise INVALID_ARGUMENT and a zeroed request;
 * - the decision, in sm_lc_request.h's order: NOT_PERMITTED unless the device is SECURED or in
 *   a debug state; INVALID_SIGNATURE for another chip's id; BAD_STATE for another count;
 *   NOT_PERMITTED for a move outside SECURED <-> either debug state and (SECURED or debug) ->
 *   DECOMMISSIONED; SUCCESS otherwise;
 * - the digest is SHA-256("SM lifecycle v1\0" || chip id || count || state), by Mbed TLS.
 */
#include <stdlib.h>
#include <string.h>

#include "bl_lifecycle.h"
#include "fuzz_common.h"
#include "mbedtls/sha256.h"
#include "sm_lc_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int is_state(uint32_t s)
{
    return s == 0x1000u || s == 0x2000u || s == 0x3000u || s == 0x4000u || s == 0x5000u ||
           s == 0x6000u;
}

static int move_ok(uint32_t from, uint32_t to)
{
    const int debug_from = from == 0x4000u || from == 0x5000u;
    if (to == 0x6000u) {
        return from == 0x3000u || debug_from;
    }
    if (from == 0x3000u) {
        return to == 0x4000u || to == 0x5000u;
    }
    return debug_from && to == 0x3000u;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t states[8] = {0x1000u, 0x2000u, 0x3000u, 0x4000u,
                                       0x5000u, 0x6000u, 0x3000u, 0x3001u};
    if (size < 24u) {
        return 0;
    }
    const uint8_t *chip = data;
    const uint32_t now = (data[16] & 0x80u) == 0u ? states[data[16] % 8u] : le32(data + 16);
    const uint32_t count = le32(data + 20);
    const uint8_t *req = data + 24;
    const size_t len = size - 24u;

    struct sm_lc_request r;
    memset(&r, 0xA5, sizeof(r));
    const psa_status_t parsed = sm_lc_parse(req, len, &r);
    const int valid = len == 92u && le32(req) == 0x524C4D53u && is_state(le32(req + 24));
    if (!valid) {
        static const struct sm_lc_request zero;
        if (parsed != PSA_ERROR_INVALID_ARGUMENT || memcmp(&r, &zero, sizeof(r)) != 0) {
            fuzz_fail("a request that is not one parsed, or left fields behind");
        }
        return 0;
    }
    if (parsed != PSA_SUCCESS || memcmp(r.chip_id, req + 4, 16) != 0 ||
        r.transitions != le32(req + 20) || r.to != le32(req + 24) ||
        memcmp(r.sig, req + 28, 64) != 0) {
        fuzz_fail("a request refused, or its fields not the bytes'");
    }

    psa_status_t want;
    if (now != 0x3000u && now != 0x4000u && now != 0x5000u) {
        want = PSA_ERROR_NOT_PERMITTED;
    } else if (memcmp(r.chip_id, chip, 16) != 0) {
        want = PSA_ERROR_INVALID_SIGNATURE;
    } else if (r.transitions != count) {
        want = PSA_ERROR_BAD_STATE;
    } else if (!move_ok(now, r.to)) {
        want = PSA_ERROR_NOT_PERMITTED;
    } else {
        want = PSA_SUCCESS;
    }
    if (sm_lc_decide(&r, chip, now, count) != want) {
        fuzz_fail("the decision is not the contract's");
    }

    uint8_t msg[40], mine[32], theirs[32];
    memcpy(msg, "SM lifecycle v1", 16); /* with its terminating zero */
    memcpy(msg + 16, chip, 16);
    memcpy(msg + 32, data + 20, 4);
    memcpy(msg + 36, req + 24, 4);
    if (mbedtls_sha256(msg, sizeof(msg), mine, 0) != 0) {
        fuzz_fail("SHA-256");
    }
    bl_lifecycle_digest(chip, count, r.to, theirs);
    if (memcmp(mine, theirs, 32) != 0) {
        fuzz_fail("the digest is not the layout's");
    }
    return 0;
}
