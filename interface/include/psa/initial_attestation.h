/*
 * psa/initial_attestation.h: the PSA Certified Attestation API 2.0 (IHI 0085), written from the
 * specification. The token is the PSA attestation token of RFC 9783 (profile
 * "tag:psacertified.org,2023:psa#tfm"), or, in a build with the legacy option, PSA_IOT_PROFILE_1:
 * a tagged COSE_Sign1 (ES256) over the claims, signed with the device's initial attestation
 * key (docs/design/attestation.md).
 *
 * Contract (for every client: the NS application through the SMAK, a secure partition, a
 * program on the host library):
 * - challenge_size is 32, 48 or 64; any other size gives PSA_ERROR_INVALID_ARGUMENT.
 * - psa_initial_attest_get_token writes the token into token_buf and its length into
 *   *token_size. A token_buf_size of 0, a NULL pointer where a buffer or an output is needed, or
 *   a buffer wrapping the address space gives PSA_ERROR_INVALID_ARGUMENT; a buffer smaller than
 *   the token gives PSA_ERROR_BUFFER_TOO_SMALL and nothing is written into it.
 * - psa_initial_attest_get_token_size gives the exact length of the token that
 *   psa_initial_attest_get_token makes for that challenge size during this boot.
 * - PSA_ERROR_SERVICE_FAILURE: the service could not start (the device is not provisioned for
 *   attestation, it booted no measured image, or the service is not running);
 *   PSA_ERROR_GENERIC_ERROR: an internal failure (signing failed).
 * On any error *token_size is 0.
 */
#ifndef PSA_INITIAL_ATTESTATION_H
#define PSA_INITIAL_ATTESTATION_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PSA_INITIAL_ATTEST_API_VERSION_MAJOR 2
#define PSA_INITIAL_ATTEST_API_VERSION_MINOR 0

/* The largest token of this implementation: a 64-byte challenge, seven software components
 * with the longest versions, the longest verification service URL (attest_token.h checks it). */
#define PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE 1200u

#define PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32 (32u)
#define PSA_INITIAL_ATTEST_CHALLENGE_SIZE_48 (48u)
#define PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64 (64u)

psa_status_t psa_initial_attest_get_token(const uint8_t *auth_challenge, size_t challenge_size,
                                          uint8_t *token_buf, size_t token_buf_size,
                                          size_t *token_size);

psa_status_t psa_initial_attest_get_token_size(size_t challenge_size, size_t *token_size);

#ifdef __cplusplus
}
#endif

#endif /* PSA_INITIAL_ATTESTATION_H */
