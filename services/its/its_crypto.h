/*
 * its_crypto.h: the ITS engine's cryptography, over Mbed TLS.
 *
 * Contract:
 * - its_crypto_init(root): keeps keys derived (HKDF-SHA256) from the 32-byte storage root key,
 *   itself derived from the device's HUK by the caller. The root is not kept.
 * - its_crypto_mac: 16 bytes of HMAC-SHA256 under the metadata key, over `n` bytes; records and
 *   sector headers carry it so that the storage's own structure is authenticated.
 * - An asset is sealed with AES-128-GCM under a key derived for its owner and UID
 *   (info "SM ITS asset" || owner || uid), so a record moved to another owner or UID does not
 *   open. The nonce is unique per write (see its_store.c); the record header is the AAD.
 * - its_crypto_equal compares in constant time.
 * Every function returns 0 or a negative Mbed TLS error. Keys are wiped after use.
 */
#ifndef ITS_CRYPTO_H
#define ITS_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mbedtls/gcm.h"

#define ITS_MAC_SIZE   16
#define ITS_TAG_SIZE   16
#define ITS_NONCE_SIZE 12

int its_crypto_init(const uint8_t root[32]);
void its_crypto_wipe(void);
int its_crypto_mac(const uint8_t *msg, size_t n, uint8_t mac[ITS_MAC_SIZE]);
bool its_crypto_equal(const uint8_t *a, const uint8_t *b, size_t n);

struct its_aead {
    mbedtls_gcm_context gcm;
};
/* Starts sealing (encrypt) or opening (!encrypt) for owner/uid with nonce and aad. */
int its_aead_start(struct its_aead *a, bool encrypt, int32_t owner, uint64_t uid,
                   const uint8_t nonce[ITS_NONCE_SIZE], const uint8_t *aad, size_t aad_len);
int its_aead_update(struct its_aead *a, const uint8_t *in, uint8_t *out, size_t n);
/* Ends it: the tag (sealing). */
int its_aead_finish(struct its_aead *a, uint8_t tag[ITS_TAG_SIZE]);
void its_aead_free(struct its_aead *a);

#endif /* ITS_CRYPTO_H */
