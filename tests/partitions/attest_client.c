/*
 * attest_client.c: the test partition TEST_ATTEST_CLIENT (attest_client.h): attestation from a
 * secure partition, and attempts on what it must not reach.
 */
#include <stdint.h>
#include <string.h>

#include "attest_client.h"
#include "psa/initial_attestation.h"
#include "psa/lifecycle.h"
#include "psa/service.h"
#include "psa_manifest/attest_client.h"
#include "sm/sm_device.h"

#ifdef __arm__
#include "flash_map.h"
#include "memory_map.h"
#endif

static uint8_t token[ATTEST_CLIENT_BUF];

static psa_status_t serve(const psa_msg_t *msg)
{
    uint8_t challenge[128];
    switch (msg->type) {
    case ATTEST_CLIENT_LIFECYCLE:
        return (psa_status_t)psa_rot_lifecycle_state();
    case ATTEST_CLIENT_TOKEN: {
        uint32_t size = 0;
        size_t n = msg->in_size[0] < sizeof(challenge) ? msg->in_size[0] : sizeof(challenge);
        if (psa_read(msg->handle, 0, challenge, n) != n ||
            psa_read(msg->handle, 1, &size, sizeof(size)) != sizeof(size) || size > sizeof(token)) {
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        size_t len = 0;
        memset(token, 0xA5, sizeof(token));
        psa_status_t status =
            psa_initial_attest_get_token(challenge, msg->in_size[0], token, size, &len);
        if (status == PSA_SUCCESS) {
            psa_write(msg->handle, 0, token, len);
        } else if (len != 0u) {
            return PSA_ERROR_GENERIC_ERROR; /* the API sets *token_size to 0 on errors */
        }
        /* Nothing past the size given was written, whatever the status. */
        for (size_t i = size; i < sizeof(token); i++) {
            if (token[i] != 0xA5) {
                return PSA_ERROR_DATA_CORRUPT;
            }
        }
        if (status != PSA_SUCCESS && size > 0u && token[0] != 0xA5) {
            return PSA_ERROR_DATA_CORRUPT; /* nothing at all on an error */
        }
        return status;
    }
    case ATTEST_CLIENT_SIZE: {
        uint32_t n = 0, size;
        size_t len = 0;
        if (psa_read(msg->handle, 0, &n, sizeof(n)) != sizeof(n)) {
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        psa_status_t status = psa_initial_attest_get_token_size(n, &len);
        size = (uint32_t)len;
        psa_write(msg->handle, 0, &size, sizeof(size));
        return status;
    }
    case ATTEST_CLIENT_SIGN: {
        uint8_t sig[64];
        return sm_iak_sign(challenge, 32, sig); /* not reached: a programmer error */
    }
    case ATTEST_CLIENT_IDENTITY: {
        struct sm_attest_identity id;
        return sm_attest_identity(&id); /* not reached: a programmer error */
    }
    case ATTEST_CLIENT_READ_OTP: {
#ifdef __arm__
        /* The IAK in the provisioning area (struct bl_otp, offset 64), through the secure alias of
         * the code memory: the MPU gives a partition its own code region only, so this faults and
         * the partition stops. */
        volatile const uint32_t *otp =
            (volatile const uint32_t *)(uintptr_t)(FLASH_BASE_S + FLASH_OTP_OFFSET + 64u);
        return (psa_status_t)(*otp | 1u); /* never a status: not reached */
#else
        return PSA_ERROR_NOT_SUPPORTED; /* the host library has no isolation */
#endif
    }
    case ATTEST_CLIENT_READ_CORE: {
#ifdef __arm__
        /* The top of the SM's RAM block: the core's own data and stack, after every
         * partition's block. */
        volatile const uint32_t *core =
            (volatile const uint32_t *)(uintptr_t)(RAM_SM_BASE + RAM_SM_SIZE - 4u);
        return (psa_status_t)(*core | 1u); /* never a status: not reached */
#else
        return PSA_ERROR_NOT_SUPPORTED;
#endif
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void attest_client_main(void)
{
    for (;;) {
        (void)psa_wait(TEST_ATTEST_CLIENT_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(TEST_ATTEST_CLIENT_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, serve(&msg));
        }
    }
}
