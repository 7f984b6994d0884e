/*
 * keyvault.h: the client side of the KEYVAULT example module (keyvault.c, keyvault.json), for
 * an NS application (or a partition that declares KEYVAULT_SERVICE): header only, over the PSA
 * client API (psa/client.h of the SMAK or the SMDK).
 *
 * The module keeps one ECDSA P-256 key (secp256r1, SHA-256) inside the SM's crypto service,
 * owned by the module: made at its first use and kept across power cycles (a persistent key
 * in the crypto service's storage), never exported. Calls, each one stateless psa_call:
 * - keyvault_public_key(key, size, &len): the key's public half, uncompressed (0x04 || x || y,
 *   65 bytes). PSA_ERROR_BUFFER_TOO_SMALL for size < 65.
 * - keyvault_sign(hash, sig, size, &len): the ECDSA signature r || s (64 bytes) of a 32-byte
 *   SHA-256 hash. PSA_ERROR_INVALID_ARGUMENT for a hash of another length,
 *   PSA_ERROR_BUFFER_TOO_SMALL for size < 64. Each signature is counted in the module's own
 *   ITS asset before it is given out: a signature it could not count is not given.
 * - keyvault_signatures(&n): how many signatures it has given out, ever (on this device).
 * Other statuses are the crypto or ITS service's (e.g. PSA_ERROR_INSUFFICIENT_STORAGE).
 */
#ifndef KEYVAULT_H
#define KEYVAULT_H

#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"

#define KEYVAULT_SID     0x4B56F000u
#define KEYVAULT_VERSION 1u
/* The stateless handle keyvault.json fixes: version 1, index 24. */
#define KEYVAULT_HANDLE  ((psa_handle_t)0x40000118)

/* Message types. */
#define KEYVAULT_PUBLIC_KEY 1
#define KEYVAULT_SIGN       2
#define KEYVAULT_COUNT      3

#define KEYVAULT_HASH_SIZE       32u
#define KEYVAULT_SIGNATURE_SIZE  64u
#define KEYVAULT_PUBLIC_KEY_SIZE 65u

static inline psa_status_t keyvault_public_key(uint8_t *key, size_t size, size_t *len)
{
    psa_outvec out = {key, size};
    psa_status_t st = psa_call(KEYVAULT_HANDLE, KEYVAULT_PUBLIC_KEY, NULL, 0, &out, 1);
    *len = st == PSA_SUCCESS ? out.len : 0u;
    return st;
}

static inline psa_status_t keyvault_sign(const uint8_t *hash, size_t hash_len, uint8_t *sig,
                                         size_t size, size_t *len)
{
    psa_invec in = {hash, hash_len};
    psa_outvec out = {sig, size};
    psa_status_t st = psa_call(KEYVAULT_HANDLE, KEYVAULT_SIGN, &in, 1, &out, 1);
    *len = st == PSA_SUCCESS ? out.len : 0u;
    return st;
}

static inline psa_status_t keyvault_signatures(uint32_t *n)
{
    psa_outvec out = {n, sizeof(*n)};
    psa_status_t st = psa_call(KEYVAULT_HANDLE, KEYVAULT_COUNT, NULL, 0, &out, 1);
    return st == PSA_SUCCESS && out.len != sizeof(*n) ? PSA_ERROR_GENERIC_ERROR : st;
}

#endif /* KEYVAULT_H */
