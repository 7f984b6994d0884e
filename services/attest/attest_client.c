/*
 * attest_client.c: the PSA Attestation API (psa/initial_attestation.h) for any client: the NS
 * application (SMAK), a secure partition (shared code) or a host program. Each function is one
 * psa_call to the attestation service (attest_ipc.h); so is sm_lifecycle_request
 * (sm/sm_lifecycle.h).
 *
 * Arguments the service cannot see are checked here (NULL pointers, a buffer wrapping the
 * address space), so that they get the specification's PSA_ERROR_INVALID_ARGUMENT rather than
 * the SM's refusal of the vector. A status the API does not have (the service is not running:
 * the SM refuses the call) is PSA_ERROR_SERVICE_FAILURE.
 */
#include <stdint.h>

#include "attest_ipc.h"
#include "psa/client.h"
#include "psa/initial_attestation.h"
#include "sm/sm_lifecycle.h"

static int challenge_size_ok(size_t n)
{
    return n == PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32 || n == PSA_INITIAL_ATTEST_CHALLENGE_SIZE_48 ||
           n == PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64;
}

static int bad_buffer(const void *p, size_t n)
{
    return p == NULL || (uintptr_t)p + n - 1u < (uintptr_t)p;
}

static psa_status_t api_status(psa_status_t s)
{
    switch (s) {
    case PSA_SUCCESS:
    case PSA_ERROR_INVALID_ARGUMENT:
    case PSA_ERROR_BUFFER_TOO_SMALL:
    case PSA_ERROR_SERVICE_FAILURE:
    case PSA_ERROR_GENERIC_ERROR:
        return s;
    default:
        return PSA_ERROR_SERVICE_FAILURE;
    }
}

psa_status_t psa_initial_attest_get_token(const uint8_t *auth_challenge, size_t challenge_size,
                                          uint8_t *token_buf, size_t token_buf_size,
                                          size_t *token_size)
{
    if (token_size != NULL) {
        *token_size = 0;
    }
    if (!challenge_size_ok(challenge_size) || token_size == NULL || token_buf_size == 0u ||
        bad_buffer(auth_challenge, challenge_size) || bad_buffer(token_buf, token_buf_size)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    psa_invec in[1] = {{auth_challenge, challenge_size}};
    psa_outvec out[1] = {{token_buf, token_buf_size}};
    psa_status_t status =
        api_status(psa_call(ATTEST_IPC_HANDLE, ATTEST_IPC_GET_TOKEN, in, 1, out, 1));
    *token_size = status == PSA_SUCCESS ? out[0].len : 0u;
    return status;
}

psa_status_t psa_initial_attest_get_token_size(size_t challenge_size, size_t *token_size)
{
    if (token_size != NULL) {
        *token_size = 0;
    }
    if (!challenge_size_ok(challenge_size) || token_size == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    uint32_t n = (uint32_t)challenge_size, size = 0;
    psa_invec in[1] = {{&n, sizeof(n)}};
    psa_outvec out[1] = {{&size, sizeof(size)}};
    psa_status_t status =
        api_status(psa_call(ATTEST_IPC_HANDLE, ATTEST_IPC_GET_TOKEN_SIZE, in, 1, out, 1));
    if (status == PSA_SUCCESS && out[0].len != sizeof(size)) {
        status = PSA_ERROR_SERVICE_FAILURE;
    }
    *token_size = status == PSA_SUCCESS ? size : 0u;
    return status;
}

psa_status_t sm_lifecycle_request(const void *req, size_t len)
{
    if (len != SM_LIFECYCLE_REQUEST_SIZE || bad_buffer(req, len)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    psa_invec in[1] = {{req, len}};
    const psa_status_t status = psa_call(ATTEST_IPC_HANDLE, ATTEST_IPC_LIFECYCLE, in, 1, NULL, 0);
    switch (status) {
    case PSA_SUCCESS:
    case PSA_ERROR_INVALID_ARGUMENT:
    case PSA_ERROR_NOT_PERMITTED:
    case PSA_ERROR_INVALID_SIGNATURE:
    case PSA_ERROR_BAD_STATE:
    case PSA_ERROR_STORAGE_FAILURE:
        return status;
    default:
        return PSA_ERROR_SERVICE_FAILURE;
    }
}
