/*
 * fuzz_device.c: see fuzz_device.h.
 */
#include "fuzz_device.h"

#include <string.h>

#include "bl_crypto.h"
#include "bl_counter.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "flash_map.h"
#include "host_flash.h"
#include "plat_flash.h"

static int device(uint32_t its_size, uint32_t its_max_asset, int keys)
{
    struct bl_otp otp;
    memset(&otp, 0, sizeof(otp));
    otp.magic = BL_OTP_MAGIC;
    otp.version = BL_OTP_VERSION;
    otp.lifecycle = BL_LIFECYCLE_SECURED;
    otp.its_size = its_size;
    otp.its_max_asset = its_max_asset;
    otp.fwu_ns_components = (1u << BL_KIND_COUNT) - 1u; /* as smtool provision */
    for (size_t i = 0; i < sizeof(otp.huk); i++) {
        otp.huk[i] = (uint8_t)(0x3C + 11u * i);
        otp.entropy_seed[i] = (uint8_t)(0xC3 ^ (7u * i));
    }
    for (int k = 0; keys && k <= BL_KIND_MODULE0; k++) {
        uint8_t der[91];
        memset(otp.keys[k].pub, 0x40 + k, sizeof(otp.keys[k].pub));
        bl_pubkey_der(otp.keys[k].pub, der);
        bl_sha256(der, sizeof(der), otp.keys[k].hash);
        otp.module_slots = 1;
    }
    bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);
    if (host_flash_open_ram() != PLAT_FLASH_OK ||
        plat_flash_program(FLASH_OTP_OFFSET, &otp, sizeof(otp)) != PLAT_FLASH_OK ||
        (keys && bl_counter_provision() != BL_OK)) {
        return -1;
    }
    return 0;
}

int fuzz_device_ram(uint32_t its_size, uint32_t its_max_asset)
{
    return device(its_size, its_max_asset, 0);
}

int fuzz_device_ram_keys(void)
{
    return device(0x10000, 4096, 1);
}
