/*
 * sm_sign.h: builds an MCUboot-format image in memory (what `smtool sign` writes).
 *
 * Contract: on success *out is a malloc'd image of *out_len bytes: header (hdr_size), payload,
 * protected TLVs (SEC_CNT, DEPENDENCY) when any, unprotected TLVs (SHA256, KEYHASH or PUBKEY,
 * ECDSA_SIG, ENC_EC256 when encrypting), then, with `pad`, erased bytes and the slot trailer up
 * to slot_size. On failure returns -1 with a reason in err and writes nothing.
 * With enc_pub (the device's P-256 encryption public key), the payload is AES-128-CTR encrypted
 * under a fresh key carried by an ENC_EC256 TLV (MCUboot ECIES-P256); the hash and signature
 * cover the plaintext, as MCUboot expects.
 */
#ifndef SM_SIGN_H
#define SM_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bl_image.h"
#include "mbedtls/pk.h"

struct sm_sign_opts {
    struct bl_image_version version;
    uint32_t load_addr;
    uint16_t hdr_size;
    bool pad_header;    /* prepend hdr_size zero bytes; else the input starts with them */
    uint32_t slot_size; /* 0: no slot check */
    bool pad;           /* pad to slot_size and write the trailer */
    bool confirm;       /* trailer marks the image confirmed (permanent install) */
    bool has_sec_cnt;
    uint32_t sec_cnt;
    uint8_t n_deps;
    struct bl_dependency deps[BL_MAX_DEPENDENCIES];
    bool pubkey_full; /* PUBKEY TLV instead of KEYHASH */
};

int sm_image_sign(const struct sm_sign_opts *o, const uint8_t *in, size_t in_len,
                  mbedtls_pk_context *key, const uint8_t *enc_pub, uint8_t **out, size_t *out_len,
                  char *err, size_t err_len);

/* Bytes at the end of a slot reserved for the trailer; images must end before them. */
uint32_t sm_trailer_size(void);

#endif /* SM_SIGN_H */
