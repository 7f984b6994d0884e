/*
 * bl_otp.h: the OTP-like provisioning area (FLASH_OTP_OFFSET), written once by
 * `smtool provision`, read by the boot stages (and later the SM).
 *
 * Contract: struct bl_otp is the exact flash layout (little endian, no padding, checked by
 * static asserts), in one of BL_OTP_PLACES places of the area (bl_otp_place). `digest` is
 * SHA-256 over every byte before it; bl_otp_check() refuses a record whose magic, version,
 * digest or configuration is wrong, so a torn or tampered provisioning never half-works. A
 * kind whose public key is all zero has no key: its images are refused.
 */
#ifndef BL_OTP_H
#define BL_OTP_H

#include <stddef.h>
#include <stdint.h>

#include "bl_verify.h"
#include "flash_map.h"

#define BL_OTP_MAGIC      0x3150534Du /* "MSP1" */
#define BL_OTP_VERSION    1u
/* Decommissioning (bl_lifecycle_end): the mark "MSPD" in one of the area's last
 * BL_OTP_END_UNITS units (the last one a power cut has not torn), written before anything is
 * erased, and the same 16 bytes at its start once it is erased (the tombstone): either makes
 * bl_otp_check answer BL_E_DECOMMISSIONED. */
#define BL_OTP_END_MAGIC  0x4450534Du
#define BL_OTP_END_OFFSET (FLASH_OTP_SIZE - 16u) /* the first try; then 16 bytes lower each */
#define BL_OTP_END_UNITS  4u

/* Image kinds, also the image ids of MCUboot dependency TLVs. */
enum bl_kind {
    BL_KIND_UROT = 0,
    BL_KIND_SM = 1,
    BL_KIND_NS = 2,
    BL_KIND_MODULE0 = 3, /* modules 0..3: kinds 3..6 */
    BL_KIND_COUNT = 7,
};

/* PSA lifecycle states (PSA Security Model), major state in bits 15..12. */
#define BL_LIFECYCLE_ASSEMBLY_AND_TEST         0x1000u
#define BL_LIFECYCLE_PSA_ROT_PROVISIONING      0x2000u
#define BL_LIFECYCLE_SECURED                   0x3000u
#define BL_LIFECYCLE_NON_PSA_ROT_DEBUG         0x4000u
#define BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG 0x5000u
#define BL_LIFECYCLE_DECOMMISSIONED            0x6000u

struct bl_otp_key {
    uint8_t pub[64];
    uint8_t hash[32];
};

struct bl_otp {
    uint32_t magic;
    uint32_t version;
    uint32_t lifecycle;
    uint32_t module_slots;  /* secure module slots in use, 0..FLASH_MODULE_SLOTS_MAX */
    uint32_t its_size;      /* bytes of ITS, whole sectors, at most FLASH_ITS_SIZE_MAX */
    uint32_t its_max_asset; /* the largest ITS asset, bytes (checked by the ITS service) */
    /* The components the NS world may update through the firmware update service: bit k for
     * image kind k (= PSA FWU component k); bits past the kinds make it 0 (sm_device.c). */
    uint32_t fwu_ns_components;
    uint32_t reserved;
    uint8_t huk[32];          /* hardware unique key */
    uint8_t iak[32];          /* initial attestation private key (P-256) */
    uint8_t enc_priv[32];     /* image decryption private key (P-256) */
    uint8_t entropy_seed[32]; /* per-device seed for the DRBG (the board has no TRNG) */
    struct bl_otp_key keys[BL_KIND_COUNT];
    uint8_t digest[32];
};

_Static_assert(offsetof(struct bl_otp, huk) == 32, "OTP layout");
_Static_assert(offsetof(struct bl_otp, keys) == 160, "OTP layout");
_Static_assert(sizeof(struct bl_otp) == 864, "OTP layout");

/* The chip (smtool chip make, the chip vendor's factory step; docs/design/lifecycle.md, "The
 * chip"): the chip's own secrets and the vendor's certificate of its key, at BL_CHIP_OFFSET
 * in the provisioning area, written once, before anything else of the device. The device's
 * record (struct bl_otp) is added later in one of its places, in units the chip left erased,
 * so provisioning never rewrites the chip's. The same sector holds both: decommissioning
 * erases both at once. */
#define BL_CHIP_OFFSET       0x1D00u
#define BL_CHIP_MAGIC        0x50484353u /* "SCHP" */
#define BL_CHIP_VERSION      1u
#define BL_CHIP_CERT_MAGIC   0x43434D53u /* "SMCC" */
#define BL_CHIP_CERT_VERSION 1u

/* The vendor's certificate of a chip key (docs/design/lifecycle.md, "The chip certificate"):
 * little endian, fixed layout; `sig` is ECDSA P-256 (r || s, big endian each) by the vendor's
 * root key over SHA-256 of every byte before it; `issuer` is that root key's hash (SHA-256 of
 * its SubjectPublicKeyInfo, as the image key hashes). */
struct bl_chip_cert {
    uint32_t magic;
    uint32_t version;
    uint8_t chip_id[16];
    uint8_t chip_pub[64]; /* x || y */
    uint8_t issuer[32];
    uint8_t sig[64];
};

struct bl_chip {
    uint32_t magic;
    uint32_t version;
    uint32_t reserved[2];
    uint8_t huk[32];          /* the chip's hardware unique key */
    uint8_t chip_priv[32];    /* the chip key (P-256), whose public half `cert` certifies */
    uint8_t product_priv[32]; /* the vendor's product image key (P-256) */
    struct bl_chip_cert cert;
    uint8_t digest[32]; /* SHA-256 of every byte before it */
};

_Static_assert(sizeof(struct bl_chip_cert) == 184, "chip certificate layout");
_Static_assert(offsetof(struct bl_chip, cert) == 112, "chip layout");
_Static_assert(sizeof(struct bl_chip) == 328, "chip layout");
_Static_assert(BL_CHIP_OFFSET >= sizeof(struct bl_otp) &&
                   BL_CHIP_OFFSET + sizeof(struct bl_chip) <=
                       FLASH_OTP_SIZE - 16u * BL_OTP_END_UNITS,
               "chip record between the places and the decommissioning mark");

/* The OEM record (install-package.md): the OEM's lifecycle key, which authorises the moves of
 * the lifecycle state (docs/design/lifecycle.md), at BL_OEM_AT in a place of the area, written
 * by the provisioning stage's install before the device record and bound to it by otp_digest
 * (the device record's digest). A device provisioned offline has none (erased). */
#define BL_OEM_AT      0x600u
#define BL_OEM_MAGIC   0x4F50534Du /* "MSPO" */
#define BL_OEM_VERSION 1u

struct bl_oem {
    uint32_t magic;
    uint32_t version;
    uint32_t reserved[2];
    uint8_t otp_digest[32];
    uint8_t lifecycle_pub[64];
    uint8_t digest[32]; /* SHA-256 of every byte before it */
};
_Static_assert(sizeof(struct bl_oem) == 144 && sizeof(struct bl_oem) % 16 == 0,
               "OEM record layout");
_Static_assert(BL_OEM_AT >= sizeof(struct bl_otp) &&
                   BL_OEM_AT + sizeof(struct bl_oem) <= BL_CHIP_OFFSET,
               "OEM record between the device's and the chip's");

/* The device record's places (docs/design/lifecycle.md, "The device record's places"): a
 * place holds a device record at its start, an attestation block at ATTEST_OTP_AT and an OEM
 * record at BL_OEM_AT, so a place spans BL_OTP_PLACE_SIZE bytes. The area has room for four,
 * every 0x700 bytes below the chip record. A power cut that tears a unit of an install's
 * records costs that place: the retry writes into the next (prov_install.c); the readers take
 * the first place whose record's head is there (bl_otp_place). */
#define BL_OTP_PLACES      4u
#define BL_OTP_PLACE_SIZE  (BL_OEM_AT + sizeof(struct bl_oem))
#define BL_OTP_PLACE_AT(p) ((uint32_t)(p)*0x700u)
_Static_assert(BL_OTP_PLACE_AT(1) >= BL_OTP_PLACE_SIZE &&
                   BL_OTP_PLACE_AT(BL_OTP_PLACES - 1u) + BL_OTP_PLACE_SIZE <= BL_CHIP_OFFSET,
               "the places below the chip record");

/* The offset in the area of the place in use, a function of the area's contents alone: the
 * first place whose record's head (magic and version) is there, or the last place if none is
 * (every field of this file is read from it). A head is programmed last (prov_install.c), so
 * a place with one is whole unless its head's own unit was torn, which bl_otp_check refuses.
 * The first wins, not the last: an earlier whole place is never followed by another written
 * by the stage (which refuses to install once one verifies, reason 9). */
uint32_t bl_otp_place(void);
/* Checks the device record of the place in use (magic, version, digest, configuration
 * ranges): BL_E_CONFIG if any is wrong (with the place's first word erased, the last place is
 * still free: a chip a provisioning may come to, lifecycle.md), BL_E_DECOMMISSIONED if the
 * area carries the decommissioning mark or tombstone. */
int bl_otp_check(void);
/* The signing key of a kind; BL_E_CONFIG if none is provisioned or it is inconsistent. */
int bl_otp_key(enum bl_kind kind, struct bl_key *key);
/* The decryption key of an image kind: on a chip (its record's magic there) the vendor's
 * product key for the SM and the modules, otherwise the device record's image decryption key
 * (install-package.md). The caller zeroizes it after use. */
int bl_otp_enc_priv(enum bl_kind kind, uint8_t priv[32]);
/* A field of the device record in the place in use. */
int bl_otp_read_field(size_t offset, void *dst, size_t len);
/* The hardware unique key: the device record's once there is one (its magic, in the place in
 * use), the chip's
 * before (a chip in ASSEMBLY_AND_TEST). Provisioning a chip copies the chip's HUK into the
 * device record, so the counters keyed under it stay authentic. The caller zeroizes it. */
int bl_otp_huk(uint8_t huk[32]);
/* The chip record: BL_OK if its magic, version and digest are right, BL_E_EMPTY if it is
 * erased (a development device has none), BL_E_CONFIG otherwise. Fields with
 * bl_chip_read_field. */
int bl_chip_check(void);
int bl_chip_read_field(size_t offset, void *dst, size_t len);
/* The OEM's lifecycle key from the OEM record of the place in use: BL_OK with pub filled;
 * BL_E_EMPTY if the record is erased (a device provisioned offline: each caller decides what stands
 * in for it, the stage and the SM the NS image signing key); BL_E_CONFIG if it is there but its
 * magic, version, digest or binding to the device record is wrong (fail closed); BL_E_IO. */
int bl_oem_key(uint8_t pub[64]);

#endif /* BL_OTP_H */
