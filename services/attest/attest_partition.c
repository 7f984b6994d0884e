/*
 * attest_partition.c: the Initial Attestation partition: serves the PSA Attestation API
 * (attest_ipc.h) with the token encoder (attest_token.h) over what the core gives it
 * (sm/sm_device.h): the provisioned identity, the boot stages' records, and signatures by the
 * IAK, which stays in the core.
 *
 * At start it reads the identity, the records and the lifecycle state, and draws the boot seed
 * from the core's entropy (random per boot, the same for every token of the boot). If any of
 * that fails (the device is not provisioned for attestation, or booted no measured image),
 * every request gets PSA_ERROR_SERVICE_FAILURE, the API's "failed to fully initialize".
 *
 * The token is built in this partition's buffer and written to the client once it is
 * complete; a client buffer too small for it gets PSA_ERROR_BUFFER_TOO_SMALL before anything is
 * signed, and nothing is written into it.
 */
#include <string.h>

#include "attest_ipc.h"
#include "attest_token.h"
#include "psa/service.h"
#include "psa_manifest/attest.h"
#include "psa_manifest/sid.h"
#include "sm/sm_device.h"
#include "sm/sm_lifecycle.h"
#include "sm/sm_service.h"

_Static_assert(SM_ATTEST_HANDLE == ATTEST_IPC_HANDLE,
               "attest.json and attest_ipc.h name the same handle");

#ifdef ATTEST_LEGACY_PROFILE
#define PROFILE ATTEST_PROFILE_IOT_1
#else
#define PROFILE ATTEST_PROFILE_PSA_TFM
#endif

static struct {
    psa_status_t status; /* of the start */
    uint32_t lifecycle;
    size_t count;
    struct sm_attest_identity id;
    struct sm_boot_component components[SM_BOOT_COMPONENTS_MAX];
    uint8_t boot_seed[ATTEST_BOOT_SEED_SIZE];
} state;

static uint8_t buf[ATTEST_TOKEN_BUF];

static psa_status_t start(void)
{
    if (sm_attest_identity(&state.id) != PSA_SUCCESS) {
        return PSA_ERROR_SERVICE_FAILURE;
    }
    while (state.count < SM_BOOT_COMPONENTS_MAX &&
           sm_boot_component((uint32_t)state.count, &state.components[state.count]) ==
               PSA_SUCCESS) {
        state.count++;
    }
    state.lifecycle = sm_install_config(SM_CONFIG_LIFECYCLE);
    if (state.count == 0u || sm_entropy(state.boot_seed, sizeof(state.boot_seed)) != PSA_SUCCESS) {
        return PSA_ERROR_SERVICE_FAILURE;
    }
    return PSA_SUCCESS;
}

static int challenge_size_ok(size_t n)
{
    return n == PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32 || n == PSA_INITIAL_ATTEST_CHALLENGE_SIZE_48 ||
           n == PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64;
}

/* The token for this client and nonce; sign == NULL for its size only. */
static psa_status_t make(const psa_msg_t *msg, const uint8_t *nonce, size_t nonce_len,
                         size_t capacity, attest_sign_fn sign, const uint8_t **token, size_t *len)
{
    const struct attest_claims claims = {
        .nonce = nonce,
        .nonce_len = nonce_len,
        .client_id = msg->client_id,
        .lifecycle = state.lifecycle,
        .boot_seed = state.boot_seed,
        .id = &state.id,
        .components = state.components,
        .component_count = state.count,
    };
    return attest_token_make(PROFILE, &claims, buf, capacity, sign, token, len);
}

static psa_status_t serve(const psa_msg_t *msg)
{
    uint8_t nonce[PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64];
    const uint8_t *token;
    size_t len;
    switch (msg->type) {
    case ATTEST_IPC_GET_TOKEN: {
        const size_t n = msg->in_size[0];
        if (!challenge_size_ok(n) || msg->out_size[0] == 0u) {
            return PSA_ERROR_INVALID_ARGUMENT;
        }
        if (state.status != PSA_SUCCESS) {
            return state.status;
        }
        if (psa_read(msg->handle, 0, nonce, n) != n) {
            return PSA_ERROR_GENERIC_ERROR;
        }
        psa_status_t status = make(msg, nonce, n, msg->out_size[0], sm_iak_sign, &token, &len);
        if (status == PSA_SUCCESS) {
            psa_write(msg->handle, 0, token, len);
        }
        return status;
    }
    case ATTEST_IPC_GET_TOKEN_SIZE: {
        uint32_t n = 0;
        if (msg->in_size[0] != sizeof(n) || msg->out_size[0] != sizeof(uint32_t) ||
            psa_read(msg->handle, 0, &n, sizeof(n)) != sizeof(n)) {
            return PSA_ERROR_PROGRAMMER_ERROR; /* not our client library */
        }
        if (!challenge_size_ok(n)) {
            return PSA_ERROR_INVALID_ARGUMENT;
        }
        if (state.status != PSA_SUCCESS) {
            return state.status;
        }
        memset(nonce, 0, sizeof(nonce));
        psa_status_t status = make(msg, nonce, n, sizeof(buf), NULL, &token, &len);
        if (status == PSA_SUCCESS) {
            const uint32_t size = (uint32_t)len;
            psa_write(msg->handle, 0, &size, sizeof(size));
        }
        return status;
    }
    case ATTEST_IPC_LIFECYCLE: {
        /* The core parses, checks and writes (sm_lifecycle_move); the request is authorised
         * by the OEM's signature, not by who sends it, so any client may hand one over. */
        uint8_t req[SM_LIFECYCLE_REQUEST_SIZE];
        const size_t n = msg->in_size[0];
        if (n != sizeof(req) || psa_read(msg->handle, 0, req, n) != n) {
            return PSA_ERROR_INVALID_ARGUMENT;
        }
        return sm_lifecycle_move(req, n);
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void attest_main(void)
{
    state.status = start();
    /* Each reply, the next wait and its psa_get are one kernel entry (sm/sm_service.h's
     * sm_reply_get). It waits for the service's signal alone, so each return holds a message. */
    psa_msg_t msg;
    (void)sm_reply_get(PSA_NULL_HANDLE, PSA_SUCCESS, SM_ATTEST_SIGNAL, &msg);
    for (;;) {
        (void)sm_reply_get(msg.handle, serve(&msg), SM_ATTEST_SIGNAL, &msg);
    }
}
