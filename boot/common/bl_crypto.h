/*
 * bl_crypto.h: the crypto the boot stages need, over Mbed TLS (SHA-256, AES, HKDF, HMAC) and
 * p256-m (ECDSA P-256 verify, ECDH). No primitive is implemented here.
 *
 * Two parts: SHA-256, comparison, zeroization and key encoding (bl_crypto.c) are in every
 * image; the rest (bl_crypto_shared.c: signatures, key transport, AES, HKDF, HMAC) is built
 * into the host tools, the SM core and the iRoT, and the uRoT calls the iRoT's copy through
 * the table of bl_rom.h (bl_rom_client.c) instead of carrying its own.
 *
 * Contract:
 * - bl_ecdsa_p256_verify takes the DER signature of an MCUboot ECDSA_SIG TLV and returns BL_OK
 *   only for a valid signature by `pub` (x || y, big endian) over `hash`. The TLV may go on
 *   after the DER with zeros, up to 72 bytes (imgtool --pad-sig); anything else after it fails.
 * - bl_ecies_p256_unwrap implements MCUboot's ENC_EC256 key transport (ECDH with the device
 *   key, HKDF-SHA256 with info "MCUBoot_ECIES_v1", HMAC-SHA256 tag checked in constant time,
 *   AES-CTR unwrap) for AES-128 or AES-256 image keys (key_len 16 or 32; the TLV is then
 *   97 + key_len bytes: point, tag, wrapped key, as bl_image.h says); BL_E_ENC when the image was
 *   not encrypted for this device, BL_E_CRYPTO for another key length. Intermediate secrets
 *   are zeroized before returning.
 * - bl_p256_public writes the public key (x || y, big endian) of the P-256 private key `priv`
 *   (p256-m's constant-time scalar multiplication) and returns BL_OK, or BL_E_CRYPTO when
 *   `priv` is not in [1, n-1] (then `pub` is not written).
 * - bl_aes_ctr_start takes a 16- or 32-byte key (AES-128 or AES-256), BL_E_CRYPTO otherwise.
 * - bl_aes_ctr_crypt en/decrypts bytes of an image payload at any byte offset `pos` from the
 *   payload start (counter block: 12 zero bytes, then the big-endian 16-byte block index).
 * - bl_hkdf_sha256 is HKDF-SHA256 (RFC 5869) without salt; bl_hmac_* is HMAC-SHA256 with one
 *   key for several messages (bl_hmac_tag: the full 32-byte tag of one message);
 *   bl_hmac_end wipes the context, and is safe after a failed bl_hmac_start.
 */
#ifndef BL_CRYPTO_H
#define BL_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mbedtls/aes.h"
#include "mbedtls/md.h"
#include "mbedtls/sha256.h"

#define BL_AES_KEY_MAX 32u /* AES-256; AES-128 keys are 16 bytes */

struct bl_sha256 {
    mbedtls_sha256_context ctx;
};

void bl_sha256_start(struct bl_sha256 *h);
void bl_sha256_update(struct bl_sha256 *h, const void *data, size_t len);
void bl_sha256_finish(struct bl_sha256 *h, uint8_t out[32]);
void bl_sha256(const void *data, size_t len, uint8_t out[32]);

int bl_ecdsa_p256_verify(const uint8_t pub[64], const uint8_t hash[32], const uint8_t *der_sig,
                         size_t der_len);

int bl_ecies_p256_unwrap(const uint8_t device_priv[32], const uint8_t *tlv, size_t key_len,
                         uint8_t *key);

int bl_p256_public(const uint8_t priv[32], uint8_t pub[64]);

struct bl_aes_ctr {
    mbedtls_aes_context aes;
};

struct bl_hmac {
    mbedtls_md_context_t md;
};

int bl_aes_ctr_start(struct bl_aes_ctr *c, const uint8_t *key, size_t key_len);
void bl_aes_ctr_crypt(struct bl_aes_ctr *c, uint32_t pos, uint8_t *buf, size_t len);
void bl_aes_ctr_end(struct bl_aes_ctr *c);

int bl_hkdf_sha256(const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len,
                   uint8_t *out, size_t out_len);
int bl_hmac_start(struct bl_hmac *h, const uint8_t *key, size_t key_len);
int bl_hmac_tag(struct bl_hmac *h, const uint8_t *msg, size_t len, uint8_t tag[32]);
void bl_hmac_end(struct bl_hmac *h);

/* The SubjectPublicKeyInfo DER of a P-256 key (the bytes MCUboot's key hash covers). */
void bl_pubkey_der(const uint8_t pub[64], uint8_t der[91]);
/* Parse such DER back to x || y; BL_E_TLV if it is not exactly a P-256 SubjectPublicKeyInfo. */
int bl_pubkey_from_der(const uint8_t der[91], uint8_t pub[64]);

bool bl_ct_equal(const void *a, const void *b, size_t len);
void bl_zeroize(void *p, size_t len);

#endif /* BL_CRYPTO_H */
