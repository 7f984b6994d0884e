/*
 * attest_token.h: the attestation token encoder: the claims as a CBOR map (TinyCBOR), framed
 * as a tagged COSE_Sign1 with protected header {1: -7} (ES256) and an empty unprotected header.
 * One encoder; the profile picks the table of claim keys (RFC 9783's or PSA_IOT_PROFILE_1's),
 * the profile string and the form of the certification reference.
 *
 * Contract:
 * - attest_token_make is a function of its arguments: it encodes the claims into buf, checks
 *   the whole token fits `capacity` (else PSA_ERROR_BUFFER_TOO_SMALL, before anything is
 *   signed), then calls sign() once over the COSE Sig_structure (which it lays out in buf just
 *   before the payload) and sets *token to the token inside buf. With sign == NULL the
 *   signature is left zero: the size is the same, for get_token_size.
 * - The claims are checked: a nonce of 32, 48 or 64 bytes, at least one component of a known
 *   kind, a certification reference of 0 or SM_ATTEST_CERT_REF_MAX characters, a URL of at most
 *   SM_ATTEST_URL_MAX; else PSA_ERROR_INVALID_ARGUMENT.
 * - buf must hold ATTEST_TOKEN_BUF bytes for any claims; then the token is at most
 *   PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE bytes.
 */
#ifndef ATTEST_TOKEN_H
#define ATTEST_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"
#include "psa/initial_attestation.h"
#include "sm/sm_device.h"

enum attest_profile {
    ATTEST_PROFILE_PSA_TFM = 0, /* RFC 9783: "tag:psacertified.org,2023:psa#tfm" */
    ATTEST_PROFILE_IOT_1 = 1,   /* the legacy "PSA_IOT_PROFILE_1" (keys -75000..-75010) */
};

#define ATTEST_PROFILE_TFM_NAME   "tag:psacertified.org,2023:psa#tfm"
#define ATTEST_PROFILE_IOT_1_NAME "PSA_IOT_PROFILE_1"
#define ATTEST_BOOT_SEED_SIZE     32u

/* Bytes before the payload in buf: room for the Sig_structure's head (17 + 3). */
#define ATTEST_HEAD_ROOM   20u
#define ATTEST_SIG_SIZE    64u
/* COSE_Sign1 around a payload: tag, array, protected, unprotected, payload head (3), signature. */
#define ATTEST_FRAME_SIZE  (1u + 1u + 4u + 1u + 3u + 2u + ATTEST_SIG_SIZE)
#define ATTEST_PAYLOAD_MAX (PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE - ATTEST_FRAME_SIZE)
#define ATTEST_TOKEN_BUF   (ATTEST_HEAD_ROOM + ATTEST_PAYLOAD_MAX + 2u + ATTEST_SIG_SIZE)

struct attest_claims {
    const uint8_t *nonce;
    size_t nonce_len;
    int32_t client_id;
    uint32_t lifecycle;
    const uint8_t *boot_seed; /* ATTEST_BOOT_SEED_SIZE bytes */
    const struct sm_attest_identity *id;
    const struct sm_boot_component *components;
    size_t component_count;
};

/* Signs tbs (a Sig_structure) into sig (r || s): sm_iak_sign in the partition. */
typedef psa_status_t (*attest_sign_fn)(const void *tbs, size_t len, uint8_t sig[64]);

psa_status_t attest_token_make(enum attest_profile profile, const struct attest_claims *c,
                               uint8_t *buf, size_t capacity, attest_sign_fn sign,
                               const uint8_t **token, size_t *token_len);

/* RFC 9783's measurement type of an image kind: "BL", "PRoT", "App", "ARoT"; NULL if unknown. */
const char *attest_measurement_type(uint8_t kind);

#endif /* ATTEST_TOKEN_H */
