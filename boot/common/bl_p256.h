/*
 * bl_p256.h: p256-m (Mbed TLS's constant-time P-256), plus a faster ECDSA P-256 verification
 * composed from p256-m's own field and point primitives, for signature checks at boot.
 *
 * Contract of bl_p256_verify:
 * - returns exactly what p256_ecdsa_verify(sig, pub, hash, 32) returns for the same inputs:
 *   P256_SUCCESS for a valid signature (r || s, 32-byte big-endian each) by `pub` (x || y, big
 *   endian) over the 32-byte `hash`; P256_INVALID_SIGNATURE when r or s is not in [1, n-1] or
 *   the signature does not verify; P256_INVALID_PUBKEY when `pub` is not a point of the curve
 *   (checked after the range of r and s, as p256-m does). tests/unit/test_bl_p256.c and
 *   tests/fuzz/fuzz_p256_verify.c check this against p256-m's verify.
 * - its running time and memory accesses depend on its inputs: it must only ever be given
 *   public data (a signature, a public key, the hash of an image). Everything that touches a
 *   secret (ECDH with the device key, signing) uses p256-m's constant-time functions.
 *   docs/design/boot-speed.md says why this is safe and what it relies on.
 * - no heap, no global state; about 1.5 KiB of stack.
 */
#ifndef BL_P256_H
#define BL_P256_H

#include <stdint.h>

#include "p256-m.h"

int bl_p256_verify(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32]);

/* Window width of the fixed table of odd multiples of the base point G (bl_p256_gtable.h):
 * 2^(BL_P256_G_WINDOW - 2) affine points of 64 bytes. */
#define BL_P256_G_WINDOW 3
#define BL_P256_G_POINTS (1u << (BL_P256_G_WINDOW - 2))

#endif /* BL_P256_H */
