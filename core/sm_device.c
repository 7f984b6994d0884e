/*
 * sm_device.c: the device services the core gives partitions (sm/sm_device.h): a flash area
 * per partition, keys derived from the HUK, the install-time configuration. Portable: the
 * board reaches it by supervisor calls, the host by function calls.
 *
 * The provisioning area (bl_otp.h) is read once at start, after its digest is checked; an
 * area that fails the check leaves every item 0 and every flash area empty, so a partition
 * depending on them fails closed. The HUK is read for each derivation and wiped right after.
 */
#include <string.h>

#include "bl_crypto.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "flash_map.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"
#include "plat_entropy.h"
#include "plat_flash.h"
#include "sm/sm_device.h"
#include "sm_kernel.h"

_Static_assert(SM_FLASH_E_RANGE == PLAT_FLASH_E_RANGE && SM_FLASH_E_ALIGN == PLAT_FLASH_E_ALIGN &&
                   SM_FLASH_E_PROGRAMMED == PLAT_FLASH_E_PROGRAMMED &&
                   SM_FLASH_E_IO == PLAT_FLASH_E_IO && SM_FLASH_E_POWER == PLAT_FLASH_E_POWER &&
                   SM_FLASH_E_NOT_READY == PLAT_FLASH_E_NOT_READY,
               "sm_device.h flash results are plat_flash.h's");

#define KEY_LABEL_MAX 32u
#define KEY_MAX       32u

static struct {
    bool provisioned;
    uint32_t item[4]; /* enum sm_config_item */
    uint32_t boot_count;
    uint32_t entropy_calls;
} config;

static uint32_t area_offset[SM_FLASH_AREA_COUNT];
static uint32_t area_size[SM_FLASH_AREA_COUNT];

void sm_device_init(uint32_t boot_count)
{
    memset(&config, 0, sizeof(config));
    config.boot_count = boot_count;
    memset(area_size, 0, sizeof(area_size));
    uint32_t head[6]; /* magic .. its_max_asset */
    if (bl_otp_check() != BL_OK || bl_otp_read_field(0, head, sizeof(head)) != BL_OK) {
        return;
    }
    config.provisioned = true;
    config.item[SM_CONFIG_LIFECYCLE] = head[offsetof(struct bl_otp, lifecycle) / 4];
    config.item[SM_CONFIG_MODULE_SLOTS] = head[offsetof(struct bl_otp, module_slots) / 4];
    config.item[SM_CONFIG_ITS_SIZE] = head[offsetof(struct bl_otp, its_size) / 4];
    config.item[SM_CONFIG_ITS_MAX_ASSET] = head[offsetof(struct bl_otp, its_max_asset) / 4];
    /* bl_otp_check() bounded the ITS size to whole sectors within FLASH_ITS_SIZE_MAX. */
    area_offset[SM_FLASH_AREA_ITS] = FLASH_ITS_OFFSET;
    area_size[SM_FLASH_AREA_ITS] = config.item[SM_CONFIG_ITS_SIZE];
}

uint32_t sm_k_config(uint32_t item)
{
    return item < sizeof(config.item) / sizeof(config.item[0]) ? config.item[item]
                                                               : SM_CONFIG_UNKNOWN;
}

uint32_t sm_k_flash(uint32_t op, uint32_t offset, void *buf, size_t len)
{
    const struct sm_partition *p = sm_cur->part;
    if (p == NULL) {
        return sm_programmer_error("partition flash call outside a partition");
    }
    const uint32_t size = area_size[p->flash_area];
    if (op == SM_DEVICE_FLASH_SIZE) {
        return size;
    }
    if (op > SM_DEVICE_FLASH_BLANK) {
        return sm_programmer_error("unknown partition flash operation");
    }
    if ((op == SM_DEVICE_FLASH_READ || op == SM_DEVICE_FLASH_PROGRAM) &&
        !sm_range_ok(buf, len, op == SM_DEVICE_FLASH_READ)) {
        return sm_programmer_error("partition flash buffer outside the partition's memory");
    }
    if (offset > size || len > size - offset) {
        return (uint32_t)PLAT_FLASH_E_RANGE;
    }
    const uint32_t at = area_offset[p->flash_area] + offset;
    int rc;
    switch (op) {
    case SM_DEVICE_FLASH_READ:
        rc = plat_flash_read(at, buf, len);
        break;
    case SM_DEVICE_FLASH_PROGRAM:
        rc = plat_flash_program(at, buf, len);
        break;
    case SM_DEVICE_FLASH_ERASE:
        rc = plat_flash_erase(at, len);
        break;
    default:
        rc = plat_flash_is_blank(at, len);
        break;
    }
    return (uint32_t)rc;
}

uint32_t sm_k_derive_key(const void *label, size_t label_len, uint8_t *key, size_t key_len)
{
    static const char prefix[] = "SM partition key";
    if (sm_cur->part == NULL) {
        return sm_programmer_error("key derivation outside a partition");
    }
    if (label_len > KEY_LABEL_MAX || key_len == 0u || key_len > KEY_MAX) {
        return (uint32_t)PSA_ERROR_INVALID_ARGUMENT;
    }
    if (!sm_range_ok(label, label_len, false) || !sm_range_ok(key, key_len, true)) {
        return sm_programmer_error("key derivation buffer outside the partition's memory");
    }
    if (!config.provisioned) {
        return (uint32_t)PSA_ERROR_HARDWARE_FAILURE;
    }
    /* info = prefix || partition id (little endian) || label */
    uint8_t info[sizeof(prefix) - 1 + 4 + KEY_LABEL_MAX];
    uint8_t huk[32], out[KEY_MAX];
    const size_t n = sizeof(prefix) - 1;
    memcpy(info, prefix, n);
    for (size_t i = 0; i < 4; i++) {
        info[n + i] = (uint8_t)((uint32_t)sm_cur->part->id >> (8 * i));
    }
    memcpy(info + n + 4, label, label_len);
    psa_status_t status = PSA_ERROR_HARDWARE_FAILURE;
    if (bl_otp_read_field(offsetof(struct bl_otp, huk), huk, sizeof(huk)) == BL_OK &&
        mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), NULL, 0, huk, sizeof(huk), info,
                     n + 4 + label_len, out, key_len) == 0) {
        memcpy(key, out, key_len);
        status = PSA_SUCCESS;
    }
    bl_zeroize(huk, sizeof(huk));
    bl_zeroize(out, sizeof(out));
    return (uint32_t)status;
}

/* Without a platform source: HKDF-SHA256(seed, "SM entropy" || boot count || call count ||
 * caller). The boot count is the uRoT's, in flash, so no two boots share an input; the call
 * count keeps the calls of one boot apart and never wraps (the source fails instead). */
static psa_status_t seeded(uint8_t *out, size_t len)
{
    static const char prefix[] = "SM entropy";
    uint8_t seed[32], info[sizeof(prefix) - 1 + 12];
    const size_t n = sizeof(prefix) - 1;
    if (config.entropy_calls == UINT32_MAX) {
        return PSA_ERROR_HARDWARE_FAILURE;
    }
    memcpy(info, prefix, n);
    const uint32_t counts[3] = {config.boot_count, config.entropy_calls++,
                                (uint32_t)sm_cur->part->id};
    for (size_t i = 0; i < 12; i++) {
        info[n + i] = (uint8_t)(counts[i / 4] >> (8 * (i % 4)));
    }
    psa_status_t status = PSA_ERROR_HARDWARE_FAILURE;
    if (config.provisioned &&
        bl_otp_read_field(offsetof(struct bl_otp, entropy_seed), seed, sizeof(seed)) == BL_OK &&
        mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), NULL, 0, seed, sizeof(seed),
                     info, sizeof(info), out, len) == 0) {
        status = PSA_SUCCESS;
    }
    bl_zeroize(seed, sizeof(seed));
    return status;
}

uint32_t sm_k_client_running(int32_t client_id)
{
    if (client_id < 0) {
        return 1; /* the NS world: a fault there restarts the device */
    }
    for (uint32_t i = 0; i < sm_partition_count; i++) {
        if (sm_threads[i].part->id == client_id) {
            return sm_threads[i].state != SM_STOPPED;
        }
    }
    return 0;
}

uint32_t sm_k_entropy(uint8_t *buf, size_t len)
{
    if (sm_cur->part == NULL) {
        return sm_programmer_error("entropy request outside a partition");
    }
    if (len == 0u || len > SM_ENTROPY_MAX) {
        return (uint32_t)PSA_ERROR_INVALID_ARGUMENT;
    }
    if (!sm_range_ok(buf, len, true)) {
        return sm_programmer_error("entropy buffer outside the partition's memory");
    }
    uint8_t out[SM_ENTROPY_MAX];
    /* A platform source that fails is a failure: never a quiet fall-back to the seed. */
    const int source = plat_entropy(out, len);
    psa_status_t status = source == PLAT_ENTROPY_OK     ? PSA_SUCCESS
                          : source == PLAT_ENTROPY_NONE ? seeded(out, len)
                                                        : PSA_ERROR_HARDWARE_FAILURE;
    if (status == PSA_SUCCESS) {
        memcpy(buf, out, len);
    }
    bl_zeroize(out, sizeof(out));
    return (uint32_t)status;
}
