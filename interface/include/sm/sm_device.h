/*
 * sm/sm_device.h: what the SM core gives a secure partition beyond the PSA API: its own flash
 * area, keys derived from the device's hardware unique key (HUK), and the install-time
 * configuration. Each call is one kernel entry; the core checks every argument.
 *
 * Contract:
 * - Flash: a partition whose manifest names a "flash_area" may read, program, erase and
 *   blank-check inside that area, with offsets relative to its start and the flash rules of
 *   plat_flash.h (whole 16-byte units programmed once between erases, whole 8 KiB sectors
 *   erased). A range outside the area is refused with SM_FLASH_E_RANGE and changes nothing;
 *   a partition without an area has one of size 0. A buffer that is not the caller's own
 *   memory is a programmer error (the partition is stopped).
 * - Keys: sm_derive_key() gives HKDF-SHA256(HUK, info = "SM partition key" || partition id
 *   || label), 1 to 32 bytes for a label of at most 32 bytes (a shorter key is the start of a
 *   longer one for the same label: use one length per label). The HUK itself never leaves the
 *   core. A key depends on the partition id, so a partition that keeps data across updates
 *   fixes its id in its manifest.
 * - Entropy: sm_entropy() fills up to SM_ENTROPY_MAX bytes from the platform's random source,
 *   or, on a board without one (the emulated AN505), from HKDF-SHA256 over the per-device seed
 *   provisioned in the OTP area, the boot counter and a count of calls: unique per call and per
 *   boot, unpredictable without the seed, but not true randomness. For seeding a DRBG.
 * - Clients: sm_client_running(id) tells a service whether a client is still there: 1 for the
 *   NS world and for a partition that runs, 0 for a stopped or unknown partition. A service
 *   holding state for its clients (crypto's operations) can then reclaim what a stopped one left.
 * - Configuration: sm_install_config(item) is the value chosen when the device was
 *   provisioned (smtool provision), 0 if the device is not provisioned, SM_CONFIG_UNKNOWN
 *   for an item that does not exist.
 */
#ifndef SM_DEVICE_H
#define SM_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

/* Flash results: 0 or one of these (the values of plat_flash.h). */
#define SM_FLASH_OK           0
#define SM_FLASH_E_RANGE      (-1) /* outside the partition's area */
#define SM_FLASH_E_ALIGN      (-2) /* not whole units / sectors */
#define SM_FLASH_E_PROGRAMMED (-3) /* a unit was already programmed since its last erase */
#define SM_FLASH_E_IO         (-4) /* the flash failed */
#define SM_FLASH_E_POWER      (-5) /* power was cut (host power-cut tests) */
#define SM_FLASH_E_NOT_READY  (-6) /* the SM could not open the flash at start */

int sm_flash_read(uint32_t offset, void *dst, size_t len);
int sm_flash_program(uint32_t offset, const void *src, size_t len);
int sm_flash_erase(uint32_t offset, size_t len);
/* 1 if no unit of the range was programmed since its last erase, 0 if one was, or < 0. */
int sm_flash_blank(uint32_t offset, size_t len);
/* Bytes in the partition's area. */
uint32_t sm_flash_area_size(void);

/* PSA_SUCCESS; PSA_ERROR_INVALID_ARGUMENT for a length out of range; PSA_ERROR_HARDWARE_FAILURE
 * when the device has no provisioned HUK. */
psa_status_t sm_derive_key(const void *label, size_t label_len, uint8_t *key, size_t key_len);

#define SM_ENTROPY_MAX 64u
/* PSA_SUCCESS; PSA_ERROR_INVALID_ARGUMENT for 0 or more than SM_ENTROPY_MAX bytes;
 * PSA_ERROR_HARDWARE_FAILURE when there is neither a source nor a provisioned seed. */
psa_status_t sm_entropy(uint8_t *buf, size_t len);

uint32_t sm_client_running(int32_t client_id);

enum sm_config_item {
    SM_CONFIG_LIFECYCLE = 0,     /* PSA lifecycle state */
    SM_CONFIG_MODULE_SLOTS = 1,  /* secure module slots in use */
    SM_CONFIG_ITS_SIZE = 2,      /* bytes of Internal Trusted Storage */
    SM_CONFIG_ITS_MAX_ASSET = 3, /* the largest ITS asset, bytes */
};
#define SM_CONFIG_UNKNOWN 0xFFFFFFFFu
uint32_t sm_install_config(uint32_t item);

/* How the flash calls cross into the core: one entry with an operation number
 * (core/sm_device_api.c maps the calls above onto it; each architecture provides the entry). */
enum sm_device_op {
    SM_DEVICE_FLASH_READ,
    SM_DEVICE_FLASH_PROGRAM,
    SM_DEVICE_FLASH_ERASE,
    SM_DEVICE_FLASH_BLANK,
    SM_DEVICE_FLASH_SIZE,
};
int sm_device_flash(uint32_t op, uint32_t offset, void *buf, size_t len);

#endif /* SM_DEVICE_H */
