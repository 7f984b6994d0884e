/*
 * sm_sign.h: builds an MCUboot-format image in memory (what `smtool sign` writes).
 *
 * Contract: on success *out is a malloc'd image of *out_len bytes: header (hdr_size), payload,
 * protected TLVs (SEC_CNT, DEPENDENCY) when any, unprotected TLVs (SHA256, KEYHASH or PUBKEY,
 * ECDSA_SIG, ENC_EC256 when encrypting), then, with `pad`, erased bytes and the slot trailer up
 * to slot_size. On failure returns -1 with a reason in err and writes nothing.
 * Protected TLVs are in imgtool's order: SEC_CNT, BOOT_RECORD, DEPENDENCY, UUID_VID, UUID_CID,
 * custom ones. With enc_pub (the device's P-256 encryption public key), the payload is AES-CTR
 * (AES-128, or AES-256 with `aes256`) encrypted under a fresh key carried by an ENC_EC256 TLV
 * (MCUboot ECIES-P256); the hash and signature cover the plaintext, as MCUboot expects.
 */
#ifndef SM_SIGN_H
#define SM_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bl_image.h"
#include "mbedtls/pk.h"

#define SM_CUSTOM_TLV_MAX 8

/* A TLV of the user's (imgtool's --custom-tlv): in the protected area. */
struct sm_custom_tlv {
    uint16_t tag;
    uint16_t len;
    const uint8_t *value;
};

struct sm_sign_opts {
    struct bl_image_version version;
    uint32_t load_addr;
    uint32_t flags; /* header flags besides encryption's: RAM_LOAD (-L), ROM_FIXED (-F) */
    uint16_t hdr_size;
    bool pad_header;    /* prepend hdr_size zero bytes; else the input starts with them */
    uint32_t slot_size; /* 0: no slot check */
    bool pad;           /* pad to slot_size and write the trailer */
    bool confirm;       /* trailer marks the image confirmed (permanent install) */
    bool has_sec_cnt;
    uint32_t sec_cnt;
    uint8_t n_deps;
    struct bl_dependency deps[BL_MAX_DEPENDENCIES];
    bool pubkey_full;    /* PUBKEY TLV instead of KEYHASH */
    bool pad_sig;        /* the ECDSA signature TLV zero-padded to 72 bytes (imgtool --pad-sig) */
    bool aes256;         /* with enc_pub: an AES-256 image key (imgtool --encrypt-keylen 256) */
    const char *sw_type; /* a BOOT_RECORD TLV with this software type (imgtool --boot-record) */
    bool has_vid, has_cid;
    uint8_t vid[16], cid[16]; /* UUID_VID / UUID_CID TLVs (imgtool --vid, --cid) */
    unsigned n_custom;
    struct sm_custom_tlv custom[SM_CUSTOM_TLV_MAX];
};

/* imgtool's --vid/--cid value as UUID bytes: a raw UUID (with or without dashes), or a name
 * made a version 5 UUID under `ns` (NULL: no namespace, refused). 0, or -1 if not one. */
int sm_uuid_parse(const uint8_t *ns, const char *value, uint8_t out[16]);
extern const uint8_t sm_uuid_namespace_dns[16];

int sm_image_sign(const struct sm_sign_opts *o, const uint8_t *in, size_t in_len,
                  mbedtls_pk_context *key, const uint8_t *enc_pub, uint8_t **out, size_t *out_len,
                  char *err, size_t err_len);

/* MCUboot ECIES-P256 (ENC_EC256): wraps key (key_len 16 or 32 bytes) for enc_pub into tlv
 * (65 + 32 + key_len bytes: ephemeral point, tag, wrapped key); also the install package's
 * key transport (install-package.md). 0 or -1. */
int sm_ecies_wrap(const uint8_t enc_pub[64], const uint8_t *key, size_t key_len, uint8_t *tlv);

/* Bytes at the end of a slot reserved for the trailer; images must end before them. */
uint32_t sm_trailer_size(void);

#endif /* SM_SIGN_H */
