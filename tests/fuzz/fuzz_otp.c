/*
 * fuzz_otp.c: the provisioning area reader (bl_otp.c) and the install configuration the SM core
 * takes from it (core/sm_device.c, sm_device_init and sm_k_config), over arbitrary contents of
 * the OTP area in the host's RAM flash.
 *
 * Input: [0] bit 0: seal place 0 (replace its record's digest by the SHA-256 of the bytes
 *            before it, so the configuration checks behind the digest are reached); bits 2..4:
 *            seal places 1..3; bit 1: units that are all 0xFF stay erased instead of
 *            programmed with 0xFF;
 *        then the records of places 0, 1, ... (struct bl_otp, 864 bytes each, at
 *        BL_OTP_PLACE_AT; shorter inputs are padded with 0xFF).
 * Oracles:
 * - the place in use (bl_otp_place) is the first whose record's magic and version are right,
 *   else the last; every other place is ignored; bl_otp_check passes only if that place's
 *   digest (computed here by Mbed TLS) is right too: otherwise the SM has no configuration,
 *   every item 0; an area that starts with the
 *   decommissioned tombstone's magic, and only that, fails it with BL_E_DECOMMISSIONED;
 * - a passing one gives exactly its fields, within bounds: module slots at most
 *   FLASH_MODULE_SLOTS_MAX, an ITS size of whole sectors at most FLASH_ITS_SIZE_MAX; and,
 *   with the counters provisioned after it as smtool does, its lifecycle state if that is one
 *   of the six, else DECOMMISSIONED (bl_lifecycle.h: fail closed);
 * - a key bl_otp_key returns is non-zero and its hash is SHA-256 of its SubjectPublicKeyInfo
 *   (built here from the literal DER prefix, not by the boot core).
 */
#include <stdlib.h>
#include <string.h>

#include "bl_counter.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "flash_map.h"
#include "fuzz_common.h"
#include "host_flash.h"
#include "mbedtls/sha256.h"
#include "plat_flash.h"
#include "sm/sm_device.h"
#include "sm_kernel.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet();
    if (host_flash_open_ram() != PLAT_FLASH_OK) {
        fuzz_fail("no RAM flash");
    }
    return 0;
}

static void check_key(enum bl_kind kind, const struct bl_otp *otp)
{
    static const uint8_t spki_prefix[27] = {
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06,
        0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
    };
    static const uint8_t zero[64];
    struct bl_key key;
    int rc = bl_otp_key(kind, &key);
    if (rc != BL_OK) {
        if (rc != BL_E_CONFIG) {
            fuzz_fail("bl_otp_key(%d): unexpected %d", kind, rc);
        }
        return;
    }
    uint8_t der[91], hash[32];
    memcpy(der, spki_prefix, sizeof(spki_prefix));
    memcpy(der + sizeof(spki_prefix), key.pub, 64);
    mbedtls_sha256(der, sizeof(der), hash, 0);
    if (memcmp(key.pub, zero, 64) == 0 || memcmp(hash, key.hash, 32) != 0 ||
        memcmp(&key, &otp->keys[kind], sizeof(key)) != 0) {
        fuzz_fail("kind %d: a key that is absent or not its hash's, or not the area's", kind);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return -1;
    }
    static struct bl_otp places[BL_OTP_PLACES];
    memset(places, 0xFF, sizeof(places));
    memcpy(places, data + 1, size - 1 < sizeof(places) ? size - 1 : sizeof(places));
    if (plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE) != PLAT_FLASH_OK) {
        fuzz_fail("erase failed");
    }
    static const uint8_t erased[16] = {[0 ... 15] = 0xFF};
    int want = -1;
    bool sound = false;
    for (uint32_t p = 0; p < BL_OTP_PLACES; p++) {
        struct bl_otp *o = &places[p];
        uint8_t digest[32];
        mbedtls_sha256((const uint8_t *)o, offsetof(struct bl_otp, digest), digest, 0);
        if (data[0] & (p == 0 ? 1u : 2u << p)) {
            memcpy(o->digest, digest, sizeof(digest));
        }
        if (want < 0 && o->magic == BL_OTP_MAGIC && o->version == BL_OTP_VERSION) {
            want = (int)p;
            sound = memcmp(digest, o->digest, sizeof(digest)) == 0;
        }
        for (size_t u = 0; u < sizeof(*o); u += 16) {
            const uint8_t *unit = (const uint8_t *)o + u;
            if (((data[0] & 2u) && memcmp(unit, erased, 16) == 0)) {
                continue;
            }
            if (plat_flash_program(FLASH_OTP_OFFSET + BL_OTP_PLACE_AT(p) + (uint32_t)u, unit, 16) !=
                PLAT_FLASH_OK) {
                fuzz_fail("program failed");
            }
        }
    }
    const int in_use = want >= 0 ? want : (int)BL_OTP_PLACES - 1;
    const struct bl_otp otp = places[in_use];

    int rc = bl_otp_check();
    const bool in_range = otp.module_slots <= FLASH_MODULE_SLOTS_MAX &&
                          otp.its_size % FLASH_SECTOR_SIZE == 0 &&
                          otp.its_size <= FLASH_ITS_SIZE_MAX;
    const bool decommissioned = places[0].magic == BL_OTP_END_MAGIC;
    if (rc == BL_OK && !(sound && in_range)) {
        fuzz_fail("bl_otp_check accepted an area that is torn, tampered or out of range");
    }
    if ((rc == BL_E_DECOMMISSIONED) != decommissioned) {
        fuzz_fail("bl_otp_check: the tombstone not told apart (%d)", rc);
    }
    if (rc != BL_OK && rc != BL_E_CONFIG && rc != BL_E_DECOMMISSIONED) {
        fuzz_fail("bl_otp_check: unexpected %d", rc);
    }
    if (sound && in_range && !decommissioned && rc != BL_OK) {
        fuzz_fail("bl_otp_check refused a sound area");
    }
    if (!decommissioned && bl_otp_place() != BL_OTP_PLACE_AT((uint32_t)in_use)) {
        fuzz_fail("place in use %u, not place %d's", (unsigned)bl_otp_place(), in_use);
    }

    /* The SM's install configuration from the same area (and, for a sound one, the counters
     * smtool provision writes next: the lifecycle's transitions are kept there). */
    if (rc == BL_OK && bl_counter_provision() != BL_OK) {
        fuzz_fail("no counters under a sound area");
    }
    sm_device_init(1);
    const uint32_t lifecycle =
        bl_lifecycle_known(otp.lifecycle) ? otp.lifecycle : BL_LIFECYCLE_DECOMMISSIONED;
    /* The NS world's update set: as stored when it names only components, else nothing. */
    const uint32_t ns_fwu =
        otp.fwu_ns_components >> BL_KIND_COUNT == 0u ? otp.fwu_ns_components : 0u;
    const uint32_t items[5] = {lifecycle, otp.module_slots, otp.its_size, otp.its_max_asset,
                               ns_fwu};
    for (uint32_t i = 0; i < 5; i++) {
        uint32_t v = sm_k_config(i);
        if (rc != BL_OK ? v != 0 : v != items[i]) {
            fuzz_fail("config item %u is %u (area %s)", i, v, rc == BL_OK ? "sound" : "refused");
        }
    }
    if (rc == BL_OK && (sm_k_config(SM_CONFIG_ITS_SIZE) % FLASH_SECTOR_SIZE != 0 ||
                        sm_k_config(SM_CONFIG_ITS_SIZE) > FLASH_ITS_SIZE_MAX ||
                        sm_k_config(SM_CONFIG_MODULE_SLOTS) > FLASH_MODULE_SLOTS_MAX)) {
        fuzz_fail("configuration out of bounds");
    }
    if (sm_k_config(5) != SM_CONFIG_UNKNOWN) {
        fuzz_fail("an unknown item has a value");
    }

    if (rc == BL_OK) {
        for (int kind = 0; kind < BL_KIND_COUNT; kind++) {
            check_key((enum bl_kind)kind, &otp);
        }
        uint8_t priv[32];
        if (bl_otp_enc_priv(BL_KIND_NS, priv) != BL_OK || memcmp(priv, otp.enc_priv, 32) != 0) {
            fuzz_fail("decryption key not the area's");
        }
    }
    return 0;
}
