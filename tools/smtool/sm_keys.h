/*
 * sm_keys.h: P-256 keys for smtool (PEM files, raw forms, the MCUboot key hash).
 *
 * Contract: functions return 0 or -1 after printing "smtool: <file>: <problem>" on stderr.
 * sm_keys_init() must run first (it starts the PSA crypto core, the RNG of everything here).
 * Raw forms: private key 32 bytes big endian; public key x || y (64 bytes).
 */
#ifndef SM_KEYS_H
#define SM_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "mbedtls/pk.h"

int sm_keys_init(void);

/* Generates a P-256 key pair and writes it as PEM (mode 0600); refuses to overwrite a file. */
int sm_key_generate(const char *path);
/* Loads a P-256 private key (PEM or DER). */
int sm_key_load_private(const char *path, mbedtls_pk_context *pk);
/* Loads a P-256 public key, from a public or a private key file. */
int sm_key_load_public(const char *path, mbedtls_pk_context *pk);

int sm_key_public_raw(const char *path, const mbedtls_pk_context *pk, uint8_t pub[64]);
int sm_key_private_raw(const char *path, const mbedtls_pk_context *pk, uint8_t priv[32]);
/* SHA-256 of the SubjectPublicKeyInfo DER: MCUboot's KEYHASH, the hash provisioned in OTP. */
void sm_key_hash(const uint8_t pub[64], uint8_t hash[32]);

/* Reads the raw public key straight from a file (public or private PEM). */
int sm_key_file_public(const char *path, uint8_t pub[64]);

#endif /* SM_KEYS_H */
