/*
 * bl_otp.h: the OTP-like provisioning area (FLASH_OTP_OFFSET), written once by
 * `smtool provision`, read by the boot stages (and later the SM).
 *
 * Contract: struct bl_otp is the exact flash layout (little endian, no padding, checked by
 * static asserts). `digest` is SHA-256 over every byte before it; bl_otp_check() refuses an
 * area whose magic, version, digest or configuration is wrong, so a torn or tampered
 * provisioning never half-works. A kind whose public key is all zero has no key: its images
 * are refused.
 */
#ifndef BL_OTP_H
#define BL_OTP_H

#include <stddef.h>
#include <stdint.h>

#include "bl_verify.h"

#define BL_OTP_MAGIC   0x3150534Du /* "MSP1" */
#define BL_OTP_VERSION 1u

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

/* Checks the whole area (magic, version, digest, configuration ranges). */
int bl_otp_check(void);
/* The signing key of a kind; BL_E_CONFIG if none is provisioned or it is inconsistent. */
int bl_otp_key(enum bl_kind kind, struct bl_key *key);
/* The image decryption key. The caller zeroizes it after use. */
int bl_otp_enc_priv(uint8_t priv[32]);
int bl_otp_read_field(size_t offset, void *dst, size_t len);

#endif /* BL_OTP_H */
