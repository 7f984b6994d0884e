/*
 * sm_token.h: the PSA attestation token verifier of `smtool token verify` (and of the tests and
 * the fuzz harness): RFC 9783 tokens (profile "tag:psacertified.org,2023:psa#tfm") and legacy
 * PSA_IOT_PROFILE_1 tokens, as tagged COSE_Sign1 with ES256.
 *
 * Contract: sm_token_verify is a function of its input (no state between calls). It accepts a
 * token only if all of this holds, and otherwise returns -1 with the first defect in `why`:
 * - the bytes are exactly one CBOR item (nothing after it), definite lengths only: tag 18, an
 *   array of four: a protected header that is a byte string holding exactly the map {1: -7}, an
 *   unprotected header map, the payload as a byte string, a 64-byte signature;
 * - the signature verifies under `pub` (x || y) over the Sig_structure (RFC 9052, 4.4);
 * - the payload is exactly one map with no key twice, whose profile is one of the two; every
 *   mandatory claim of that profile is there with its type and size (nonce 32/48/64 bytes,
 *   instance id 33 bytes starting 0x01 and equal to 0x01 || SHA-256(0x04 || pub), client id a
 *   non-zero 32-bit integer, lifecycle in a PSA range, implementation id 32 bytes, at least one
 *   software component with a measurement and a signer of 32/48/64 bytes), and the optional
 *   ones have theirs when present (boot seed: 8..32 bytes, 32 and mandatory in the legacy
 *   profile; certification reference: "[0-9]{13}-[0-9]{5}", the legacy one "[0-9]{13}";
 *   verification service: text). Claims it does not know are skipped (RFC 9783, as EAT says).
 * On success `t` describes the claims with pointers into `tok`.
 */
#ifndef SM_TOKEN_H
#define SM_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define SM_TOKEN_COMPONENTS_MAX 16u

enum sm_token_profile { SM_TOKEN_PSA_TFM = 0, SM_TOKEN_PSA_IOT_1 = 1 };

struct sm_token_bytes {
    const uint8_t *p;
    size_t n; /* 0 and p NULL: absent */
};

struct sm_token_component {
    struct sm_token_bytes type, measurement, version, signer, description;
};

struct sm_token {
    enum sm_token_profile profile;
    struct sm_token_bytes nonce, instance_id, implementation_id, boot_seed, cert_ref,
        verification_service;
    int64_t client_id;
    uint64_t lifecycle;
    size_t component_count;
    struct sm_token_component components[SM_TOKEN_COMPONENTS_MAX];
    struct sm_token_bytes protected_header, payload, signature; /* the COSE_Sign1's parts */
};

int sm_token_verify(const uint8_t *tok, size_t len, const uint8_t pub[64], struct sm_token *t,
                    char *why, size_t why_len);

#endif /* SM_TOKEN_H */
