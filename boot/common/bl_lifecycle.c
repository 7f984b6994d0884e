/*
 * bl_lifecycle.c: see bl_lifecycle.h.
 */
#include "bl_lifecycle.h"

#include <stddef.h>
#include <string.h>

#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "flash_map.h"
#include "plat_flash.h"

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

/* The state the device was provisioned in: its record's, or ASSEMBLY_AND_TEST for a chip with
 * no device record yet (smtool chip make), or none but in places torn by power cuts, one place
 * left (no place has its record's head: the place in use is then the last, its first word
 * erased; bl_otp_place).
 * bl_otp_check's failure otherwise. */
static int provisioned_state(uint32_t *provisioned)
{
    int rc = bl_otp_check();
    uint32_t magic;
    if (rc == BL_E_CONFIG && bl_otp_read_field(0, &magic, sizeof(magic)) == BL_OK &&
        magic == 0xFFFFFFFFu && bl_chip_check() == BL_OK) {
        *provisioned = BL_LIFECYCLE_ASSEMBLY_AND_TEST;
        return BL_OK;
    }
    if (rc == BL_OK) {
        rc = bl_otp_read_field(offsetof(struct bl_otp, lifecycle), provisioned,
                               sizeof(*provisioned));
    }
    return rc;
}

int bl_lifecycle_now(uint32_t *state, uint32_t *count)
{
    uint32_t provisioned;
    int rc = provisioned_state(&provisioned);
    if (rc == BL_E_DECOMMISSIONED) {
        *state = BL_LIFECYCLE_DECOMMISSIONED; /* marked or erased: the end, whatever else */
        *count = 0;
        return BL_OK;
    }
    return rc == BL_OK ? moved(provisioned, state, count) : rc;
}

int bl_lifecycle_get(uint32_t *state)
{
    uint32_t count;
    return bl_lifecycle_now(state, &count);
}

void bl_lifecycle_digest(const uint8_t chip_id[16], uint32_t transitions, uint32_t to,
                         uint8_t digest[32])
{
    static const char label[16] = "SM lifecycle v1";
    uint8_t msg[16 + 16 + 4 + 4];
    memcpy(msg, label, 16);
    memcpy(msg + 16, chip_id, 16);
    for (int i = 0; i < 4; i++) {
        msg[32 + i] = (uint8_t)(transitions >> (8 * i));
        msg[36 + i] = (uint8_t)(to >> (8 * i));
    }
    bl_sha256(msg, sizeof(msg), digest);
}

int bl_lifecycle_from(uint32_t provisioned, uint32_t *state)
{
    uint32_t count;
    return moved(provisioned, state, &count);
}

int bl_lifecycle_set(uint32_t to)
{
    uint32_t from, count;
    int rc = bl_lifecycle_now(&from, &count);
    if (rc != BL_OK) {
        return rc;
    }
    if (!bl_lifecycle_allowed(from, to) || count >= 0xFFFFu) {
        return BL_E_LIFECYCLE;
    }
    return bl_counter_raise(BL_COUNTER_LIFECYCLE, (count + 1u) << 16 | to);
}

/* Sector by sector, as every other erase of the stages (one call shape: smaller code). */
static int erase_area(uint32_t off, uint32_t size)
{
    for (uint32_t at = 0; at < size; at += FLASH_SECTOR_SIZE) {
        if (plat_flash_erase(off + at, FLASH_SECTOR_SIZE) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
    }
    return BL_OK;
}

static const uint32_t tomb[4] = {BL_OTP_END_MAGIC, BL_OTP_VERSION, BL_LIFECYCLE_DECOMMISSIONED, 0};

int bl_lifecycle_mark(void)
{
    /* In a unit of the area no provisioning writes: from here on every boot stage, the iRoT
     * first, finishes the erase before anything else, whatever a power cut interrupts. A unit
     * a cut tore takes no second write: then the one below it (BL_OTP_END_UNITS in all; with
     * every one of them torn, the device keeps asking, BL_E_IO, and boots nothing). */
    for (uint32_t u = 0; u < BL_OTP_END_UNITS; u++) {
        const uint32_t at = FLASH_OTP_OFFSET + BL_OTP_END_OFFSET - 16u * u;
        uint32_t mark;
        if (plat_flash_read(at, &mark, sizeof(mark)) != PLAT_FLASH_OK) {
            return BL_E_IO;
        }
        if (mark == BL_OTP_END_MAGIC) {
            return BL_OK;
        }
        const int e = plat_flash_program(at, tomb, sizeof(tomb));
        if (e == PLAT_FLASH_OK) {
            return BL_OK;
        }
        if (e != PLAT_FLASH_E_PROGRAMMED) {
            return BL_E_IO;
        }
    }
    return BL_E_IO;
}

int bl_lifecycle_end(void)
{
    uint32_t head;
    if (plat_flash_read(FLASH_OTP_OFFSET, &head, sizeof(head)) != PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    if (head == BL_OTP_END_MAGIC) {
        return BL_OK; /* done before: nothing is left to erase */
    }
    /* 1. The mark; 2, 3. the assets and the counters, while the area still says why; then the
     * secrets, and the tombstone in their place. A torn erase clears the area from its start,
     * where the secrets are, so the mark at its end outlives every secret. Each step is redone
     * at the next boot until the tombstone is there, never after. */
    int rc = bl_lifecycle_mark();
    if (rc == BL_OK) {
        rc = erase_area(FLASH_ITS_OFFSET, FLASH_ITS_SIZE_MAX);
    }
    if (rc == BL_OK) {
        rc = erase_area(FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE);
    }
    if (rc == BL_OK) {
        rc = erase_area(FLASH_OTP_OFFSET, FLASH_OTP_SIZE);
    }
    if (rc == BL_OK && plat_flash_program(FLASH_OTP_OFFSET, tomb, sizeof(tomb)) != PLAT_FLASH_OK) {
        rc = BL_E_IO;
    }
    return rc;
}

int bl_lifecycle_boot(uint32_t provisioned, uint32_t *state)
{
    uint32_t count;
    int rc = moved(provisioned, state, &count);
    if (rc != BL_OK) {
        return rc;
    }
    switch (*state) {
    case BL_LIFECYCLE_DECOMMISSIONED:
        rc = bl_lifecycle_mark(); /* the erase is the iRoT's, at the reset the caller asks */
        return rc == BL_OK ? BL_E_DECOMMISSIONED : rc;
    case BL_LIFECYCLE_ASSEMBLY_AND_TEST:
    case BL_LIFECYCLE_PSA_ROT_PROVISIONING:
        return BL_E_PROVISIONING;
    default:
        return BL_OK;
    }
}

bool bl_lifecycle_trace(uint32_t state)
{
    return state == BL_LIFECYCLE_NON_PSA_ROT_DEBUG ||
           state == BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG;
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
