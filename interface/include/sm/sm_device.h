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
 * - Attestation (only for the one partition whose manifest sets "attestation_key"; any other
 *   caller is a programmer error and is stopped): sm_attest_identity() gives what was
 *   provisioned for attestation (the IAK's public key and the instance id made from it, the
 *   implementation id, the optional certification reference and verification service URL);
 *   sm_boot_component(i) gives the i-th image the boot stages verified for this boot, as
 *   they recorded it (measurement, signer, version); sm_iak_sign() signs a COSE_Sign1
 *   Sig_structure for ES256 (the bytes to be signed, "Signature1" context and protected
 *   header {1: -7} first, checked) with the device's initial attestation key: the core hashes
 *   it and signs, and the private key never leaves the core. sm_lifecycle_move(req, len)
 *   moves the lifecycle state from SECURED as a request signed by the OEM's lifecycle key
 *   says (core/sm_lc_request.h: its layout and each refusal's status), the counter record
 *   written when it returns PSA_SUCCESS; every refusal writes nothing.
 * - Secure modules (for the ITS partition, which keeps their assets, and the attestation
 *   partition; any other caller is stopped): sm_module_owner(slot) names the module loaded
 *   from module slot `slot` for this boot: its partition id (its client id), its signer (the
 *   hash of the key that signed its image, the slot's owner's, as the boot stages recorded
 *   it) and whether its image runs on trial. ITS binds each module's assets to its signer
 *   with it (docs/design/modules.md, "Whose assets").
 * - Firmware update (only for the one partition whose manifest names the flash area "FWU"; any
 *   other caller of sm_fwu_* is a programmer error and is stopped): each component (an image
 *   kind, numbered as the boot stages number them) that exists on this device (its signing key
 *   provisioned; a module slot the install configuration uses) has its download slot as a
 *   flash area of its own. Read and program reach the image area only (the slot less its
 *   trailer: the trailer is the core's); erase and blank-check take whole sectors of the slot,
 *   the trailer's included (erasing can only drop requests). Offsets are from the slot's start.
 *   A component that does not exist has an area of size 0 (SM_FLASH_E_RANGE); program and
 *   erase of a slot whose kind runs on trial give SM_FLASH_E_LOCKED and change nothing (the
 *   previous image there is what a revert goes back to). sm_fwu_slot() reports what flash says
 *   of a component; sm_fwu_verify() checks the image in its download slot exactly as the boot
 *   stage will before installing it (bl_boot_verify_slot); sm_fwu_mark() records the update
 *   service's own state of a download slot in its trailer (two units, each written once
 *   between erases); sm_fwu_request() asks the boot stage to install the download slot's image
 *   (the trailer magic); sm_fwu_confirm() confirms the active image (image_ok);
 *   sm_fwu_reboot() resets the device.
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
#define SM_FLASH_E_LOCKED     (-7) /* a download slot whose kind runs on trial (FWU) */

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
    SM_CONFIG_FWU_NS = 4,        /* the FWU components the NS world may update (bit i: i) */
};
#define SM_CONFIG_UNKNOWN 0xFFFFFFFFu
uint32_t sm_install_config(uint32_t item);

/* Attestation (docs/design/attestation.md). */
#define SM_ATTEST_CERT_REF_MAX 19u /* RFC 9783: EAN-13, "-", five digits */
#define SM_ATTEST_URL_MAX      96u
#define SM_ATTEST_TBS_MAX      2048u /* the largest Sig_structure sm_iak_sign() takes */

struct sm_attest_identity {
    uint8_t iak_pub[64];     /* x || y, big endian */
    uint8_t instance_id[33]; /* 0x01, then SHA-256 of 0x04 || x || y */
    uint8_t cert_ref_len;    /* 0: none */
    uint8_t implementation_id[32];
    uint8_t url_len; /* 0: none */
    uint8_t reserved[3];
    char cert_ref[SM_ATTEST_CERT_REF_MAX + 1]; /* not NUL terminated when full */
    char url[SM_ATTEST_URL_MAX];
};

/* Image kinds as the boot stages number them (bl_otp.h). */
#define SM_BOOT_KIND_UROT      0u
#define SM_BOOT_KIND_SM        1u
#define SM_BOOT_KIND_NS        2u
#define SM_BOOT_KIND_MODULE0   3u /* modules 0..3: kinds 3..6 */
#define SM_BOOT_COMPONENTS_MAX 7u

struct sm_boot_component {
    uint8_t kind; /* SM_BOOT_KIND_* */
    uint8_t major;
    uint8_t minor;
    uint8_t reserved;
    uint16_t revision;
    uint16_t reserved2;
    uint32_t build;
    uint8_t measurement[32]; /* SHA-256 of the verified image (header, payload, protected TLVs) */
    uint8_t signer[32];      /* SHA-256 of the signing key (MCUboot's key hash) */
};

/* PSA_SUCCESS; PSA_ERROR_SERVICE_FAILURE when the device was not provisioned for attestation. */
psa_status_t sm_attest_identity(struct sm_attest_identity *out);
/* PSA_SUCCESS; PSA_ERROR_DOES_NOT_EXIST past the last component. */
psa_status_t sm_boot_component(uint32_t index, struct sm_boot_component *out);
/* PSA_SUCCESS with sig = r || s; PSA_ERROR_INVALID_ARGUMENT for bytes that are not an ES256
 * COSE_Sign1 Sig_structure or longer than SM_ATTEST_TBS_MAX; PSA_ERROR_SERVICE_FAILURE when
 * the device has no attestation key; PSA_ERROR_GENERIC_ERROR when signing fails. */
psa_status_t sm_iak_sign(const void *tbs, size_t tbs_len, uint8_t sig[64]);
psa_status_t sm_lifecycle_move(const void *req, size_t len);

/* The module loaded from a module slot (sm_module_owner). */
struct sm_module_owner {
    int32_t id;    /* its partition id: the client id services see */
    uint8_t trial; /* 1: its image runs on trial (not confirmed yet) */
    uint8_t reserved[3];
    uint8_t signer[32]; /* SHA-256 of the key that signed its image (MCUboot's key hash) */
};

/* PSA_SUCCESS; PSA_ERROR_DOES_NOT_EXIST when no module was loaded from that slot (none there,
 * not verified, refused by the loader, or a slot past the image's or the configuration's). */
psa_status_t sm_module_owner(uint32_t slot, struct sm_module_owner *out);

/* Firmware update (docs/design/fwu.md). Components are image kinds (SM_BOOT_KIND_*). */
#define SM_FWU_COMPONENTS SM_BOOT_COMPONENTS_MAX

int sm_fwu_flash_read(uint32_t component, uint32_t offset, void *dst, size_t len);
int sm_fwu_flash_program(uint32_t component, uint32_t offset, const void *src, size_t len);
int sm_fwu_flash_erase(uint32_t component, uint32_t offset, size_t len);
/* 1 if no unit of the range was programmed since its last erase, 0 if one was, or < 0. */
int sm_fwu_flash_blank(uint32_t component, uint32_t offset, size_t len);

/* The update service's marks in a download slot's trailer (sm_fwu_mark). */
#define SM_FWU_MARK_NONE      0u
#define SM_FWU_MARK_CANDIDATE 2u /* a verified image waits for psa_fwu_install */
/* Installed with a group: the status is the group's kinds, a bit each (the boot stage installs
 * all of them or none). */
#define SM_FWU_MARK_STAGED    3u
#define SM_FWU_MARK_FAILED    4u /* cancelled or refused: to be cleaned */
#define SM_FWU_MARK_UPDATED   7u /* the previous image, after an accepted update: to be cleaned */

struct sm_fwu_slot {
    uint8_t exists;     /* the component exists on this device */
    uint8_t trial;      /* its active image runs on trial (installed, not confirmed) */
    uint8_t request;    /* its download slot asks the boot stage for an install */
    uint8_t mark;       /* the newest valid mark (SM_FWU_MARK_*), NONE without one */
    int32_t mark_error; /* the status recorded with it */
    uint8_t marks_free; /* mark units still erased (0 to 2) */
    uint8_t version_major, version_minor, reserved;
    uint16_t version_revision; /* of the active image, as the boot stage verified it (0 if */
    uint16_t reserved2;        /* it booted none of this kind) */
    uint32_t version_build;
    uint32_t max_size;    /* the image area: the slot less its trailer */
    uint32_t slot_size;   /* the whole download slot */
    uint32_t location;    /* flash offset of the active slot */
    uint32_t min_sec_cnt; /* the device's security counter for this kind (UINT32_MAX without an
                           * authentic counter area: nothing can be installed) */
};

struct sm_fwu_image {
    uint8_t encrypted; /* the image's payload is encrypted (AES-128) */
    uint8_t n_deps;
    uint8_t major, minor;
    uint16_t revision;
    uint16_t reserved;
    uint32_t build;
    uint32_t sec_cnt;
    struct {
        uint8_t kind;
        uint8_t major, minor, reserved;
        uint16_t revision;
        uint16_t reserved2;
        uint32_t build;
    } deps[4]; /* the image's dependencies: kind and minimum version */
};

/* PSA_SUCCESS; PSA_ERROR_DOES_NOT_EXIST for a component outside 0..SM_FWU_COMPONENTS-1 (for one
 * that does not exist on this device, exists is 0 and the rest is 0). */
psa_status_t sm_fwu_slot(uint32_t component, struct sm_fwu_slot *out);
/* The image in the download slot, verified as the boot stage verifies one before installing it
 * (dependencies apart): PSA_SUCCESS and its description; PSA_ERROR_INVALID_ARGUMENT (not a
 * well-formed image, or one the boot stage does not handle), PSA_ERROR_INVALID_SIGNATURE (key,
 * hash, signature, or an encrypted image not for this device), PSA_ERROR_NOT_PERMITTED (its
 * security counter is below the device's), PSA_ERROR_DOES_NOT_EXIST, PSA_ERROR_BAD_STATE (the
 * kind runs on trial), PSA_ERROR_STORAGE_FAILURE. */
psa_status_t sm_fwu_verify(uint32_t component, struct sm_fwu_image *out);
/* Records SM_FWU_MARK_* and a status in the next erased mark unit: PSA_SUCCESS;
 * PSA_ERROR_INSUFFICIENT_STORAGE when both are used; PSA_ERROR_INVALID_ARGUMENT for another
 * mark; PSA_ERROR_DOES_NOT_EXIST; PSA_ERROR_STORAGE_FAILURE. */
psa_status_t sm_fwu_mark(uint32_t component, uint32_t mark, psa_status_t error);
/* The trailer magic of the download slot: PSA_SUCCESS (also if it was set);
 * PSA_ERROR_BAD_STATE when the kind runs on trial; PSA_ERROR_DOES_NOT_EXIST;
 * PSA_ERROR_STORAGE_FAILURE. */
psa_status_t sm_fwu_request(uint32_t component);
/* image_ok of the active slot (from now on the kind is no longer on trial for the core):
 * PSA_SUCCESS (also if it was set); PSA_ERROR_DOES_NOT_EXIST; PSA_ERROR_STORAGE_FAILURE. */
psa_status_t sm_fwu_confirm(uint32_t component);
/* Resets the device (does not return on the board; on the host the process exits with the
 * host platform's reset status). */
psa_status_t sm_fwu_reboot(void);

/* How the flash calls cross into the core: one entry with an operation number
 * (core/sm_device_api.c maps the calls above onto it; each architecture provides the entry). */
enum sm_device_op {
    SM_DEVICE_FLASH_READ,
    SM_DEVICE_FLASH_PROGRAM,
    SM_DEVICE_FLASH_ERASE,
    SM_DEVICE_FLASH_BLANK,
    SM_DEVICE_FLASH_SIZE,
};
/* The firmware update partition's flash calls: the same entry, the component in bits 8..15
 * (component + 1; 0 names no area). */
#define SM_DEVICE_FLASH_COMPONENT(c) (((uint32_t)(c) + 1u) << 8)
int sm_device_flash(uint32_t op, uint32_t offset, void *buf, size_t len);

/* How the attestation calls cross into the core: one entry, like the flash calls. */
enum sm_attest_op {
    SM_ATTEST_OP_IDENTITY,  /* buf: struct sm_attest_identity */
    SM_ATTEST_OP_COMPONENT, /* arg: index; buf: struct sm_boot_component */
    SM_ATTEST_OP_SIGN,      /* arg: the 64-byte signature buffer; buf: the bytes to be signed */
    SM_ATTEST_OP_MODULE,    /* arg: module slot; buf: struct sm_module_owner (also ITS's) */
    SM_ATTEST_OP_LIFECYCLE, /* buf: a lifecycle request (core/sm_lc_request.h) */
};
int32_t sm_device_attest(uint32_t op, uintptr_t arg, void *buf, size_t len);

/* How the firmware update calls cross into the core: one entry, like the attestation calls. */
enum sm_fwu_op {
    SM_FWU_OP_SLOT,    /* arg: component; buf: struct sm_fwu_slot */
    SM_FWU_OP_VERIFY,  /* arg: component; buf: struct sm_fwu_image */
    SM_FWU_OP_MARK,    /* arg: component | mark << 8; buf: int32_t status */
    SM_FWU_OP_REQUEST, /* arg: component */
    SM_FWU_OP_CONFIRM, /* arg: component */
    SM_FWU_OP_REBOOT,
};
int32_t sm_device_fwu(uint32_t op, uintptr_t arg, void *buf, size_t len);

#endif /* SM_DEVICE_H */
