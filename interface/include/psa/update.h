/*
 * psa/update.h: the PSA Certified Firmware Update API 1.0 (IHI 0093), written from the
 * specification, for the Secure Manager's update service (docs/design/fwu.md).
 *
 * Contract (for every client: the NS application through the SMAK, a secure partition, a
 * program on the host library):
 * - Components: one per image kind of the boot stages, numbered as they are
 *   (PSA_FWU_COMPONENT_*): the uRoT, the SM, the NS application and each secure module slot.
 *   A component whose kind has no signing key provisioned, or a module slot the install
 *   configuration does not use, gives PSA_ERROR_DOES_NOT_EXIST.
 * - Images are MCUboot-format images with the manifest bundled (the protected TLVs):
 *   psa_fwu_start takes no detached manifest (a non-empty one is PSA_ERROR_INVALID_ARGUMENT).
 * - psa_fwu_write: image_offset a multiple of 16 (PSA_FWU_LOG2_WRITE_ALIGN), 1 to
 *   PSA_FWU_MAX_WRITE_SIZE bytes, the block inside the component's max_size; a block of a size
 *   that is not a multiple of 16 is padded with 0xFF (the erased value). Rewriting bytes already
 *   written succeeds only with the same bytes (so a failed write can be repeated).
 * - psa_fwu_finish verifies the image as the boot stage will (format, signature by the
 *   provisioned key of that kind, security counter not below the device's, decryptable for this
 *   device when encrypted, encrypted exactly when PSA_FWU_FLAG_ENCRYPTION says so); a failure
 *   leaves the component FAILED with the reason in `error`.
 * - States and transitions are the specification's default model (trial and reboot); every
 *   call in a state that does not allow it gives PSA_ERROR_BAD_STATE and changes nothing.
 * - A caller the update policy does not allow for a component gets PSA_ERROR_NOT_PERMITTED.
 * - A NULL output, or a NULL or wrapping block, gives PSA_ERROR_INVALID_ARGUMENT.
 */
#ifndef PSA_UPDATE_H
#define PSA_UPDATE_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PSA_FWU_API_VERSION_MAJOR 1
#define PSA_FWU_API_VERSION_MINOR 0

/* clang-format off */
#define PSA_ERROR_DEPENDENCY_NEEDED  ((psa_status_t)-156)
#define PSA_ERROR_FLASH_ABUSE        ((psa_status_t)-160)
#define PSA_ERROR_INSUFFICIENT_POWER ((psa_status_t)-161)

#define PSA_SUCCESS_REBOOT  ((psa_status_t)+1)
#define PSA_SUCCESS_RESTART ((psa_status_t)+2)
/* clang-format on */

typedef uint8_t psa_fwu_component_t;

/* The components of this implementation: the boot stages' image kinds. */
#define PSA_FWU_COMPONENT_UROT    ((psa_fwu_component_t)0)
#define PSA_FWU_COMPONENT_SM      ((psa_fwu_component_t)1)
#define PSA_FWU_COMPONENT_NS      ((psa_fwu_component_t)2)
#define PSA_FWU_COMPONENT_MODULE0 ((psa_fwu_component_t)3) /* modules 0..3: components 3..6 */
#define PSA_FWU_COMPONENT_COUNT   7u

typedef struct psa_fwu_image_version_t {
    uint8_t major;
    uint8_t minor;
    uint16_t patch;
    uint32_t build;
} psa_fwu_image_version_t;

#define PSA_FWU_READY     0u
#define PSA_FWU_WRITING   1u
#define PSA_FWU_CANDIDATE 2u
#define PSA_FWU_STAGED    3u
#define PSA_FWU_FAILED    4u
#define PSA_FWU_TRIAL     5u
#define PSA_FWU_REJECTED  6u
#define PSA_FWU_UPDATED   7u

#define PSA_FWU_FLAG_VOLATILE_STAGING 0x00000001u
#define PSA_FWU_FLAG_ENCRYPTION       0x00000002u

/* Implementation information: the security counter an image of the component needs at least
 * (the device's anti-rollback counter for that kind). */
typedef struct psa_fwu_impl_info_t {
    uint32_t min_security_counter;
} psa_fwu_impl_info_t;

typedef struct psa_fwu_component_info_t {
    uint8_t state;
    psa_status_t error;
    psa_fwu_image_version_t version; /* of the active image (0.0.0+0 if there is none) */
    uint32_t max_size;               /* the largest image, bytes */
    uint32_t flags;                  /* PSA_FWU_FLAG_* */
    uint32_t location;               /* flash offset of the component's active slot */
    psa_fwu_impl_info_t impl;
} psa_fwu_component_info_t;

/* Image offsets are multiples of 16 bytes, the flash's program unit. */
#define PSA_FWU_LOG2_WRITE_ALIGN 4
#define PSA_FWU_MAX_WRITE_SIZE   4096u

psa_status_t psa_fwu_query(psa_fwu_component_t component, psa_fwu_component_info_t *info);
psa_status_t psa_fwu_start(psa_fwu_component_t component, const void *manifest,
                           size_t manifest_size);
psa_status_t psa_fwu_write(psa_fwu_component_t component, size_t image_offset, const void *block,
                           size_t block_size);
psa_status_t psa_fwu_finish(psa_fwu_component_t component);
psa_status_t psa_fwu_cancel(psa_fwu_component_t component);
psa_status_t psa_fwu_clean(psa_fwu_component_t component);
psa_status_t psa_fwu_install(void);
psa_status_t psa_fwu_request_reboot(void);
psa_status_t psa_fwu_reject(psa_status_t error);
psa_status_t psa_fwu_accept(void);

#ifdef __cplusplus
}
#endif

#endif /* PSA_UPDATE_H */
