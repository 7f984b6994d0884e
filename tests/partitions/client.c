/*
 * client.c: test partition TEST_CLIENT (see test_services.h): the client API used by a secure
 * partition, and the partition-to-partition round trips the benchmark measures.
 */
#include <stdint.h>
#include <string.h>

#include "psa/client.h"
#include "psa/service.h"
#include "psa_manifest/client.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "test_services.h"

static uint8_t big_in[1024], big_out[1024];

/* 0 if every step of the partition-to-partition message path behaves, else the step. */
static psa_status_t p2p(void)
{
    if (psa_version(TEST_SECURE_ONLY_SID) != 1u) {
        return 1;
    }
    psa_handle_t h = psa_connect(TEST_ECHO_SERVICE_SID, 1);
    if (h <= 0) {
        return 2;
    }
    uint8_t a[5] = {1, 2, 3, 4, 5}, b[3] = {9, 8, 7}, oa[5] = {0}, ob[8] = {0};
    psa_invec in[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
    psa_outvec out[2] = {{oa, sizeof(oa)}, {ob, sizeof(ob)}};
    if (psa_call(h, ECHO_COPY, in, 2, out, 2) != 8 || memcmp(oa, a, 5) != 0 ||
        memcmp(ob, b, 3) != 0) {
        return 3;
    }
    if (psa_call(h, ECHO_CLIENT_ID, NULL, 0, NULL, 0) != TEST_CLIENT_PARTITION_ID) {
        return 4;
    }
    psa_close(h);
    if (psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_EMPTY, NULL, 0, NULL, 0) != PSA_SUCCESS) {
        return 5;
    }
    if (psa_connect(TEST_REFUSE_SID, 1) != PSA_ERROR_CONNECTION_REFUSED) {
        return 6;
    }
    h = psa_connect(TEST_SECURE_ONLY_SID, 1);
    if (h <= 0 || psa_call(h, ECHO_EMPTY, NULL, 0, NULL, 0) != PSA_SUCCESS) {
        return 7;
    }
    psa_close(h);
    return PSA_SUCCESS;
}

static psa_status_t call(const psa_msg_t *msg)
{
    uint32_t n = 0;
    switch (msg->type) {
    case CLIENT_P2P:
        return p2p();
    case CLIENT_P2P_EMPTY:
        psa_read(msg->handle, 0, &n, sizeof(n));
        for (uint32_t i = 0; i < n; i++) {
            if (psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_EMPTY, NULL, 0, NULL, 0) != 0) {
                return PSA_ERROR_GENERIC_ERROR;
            }
        }
        return PSA_SUCCESS;
    case CLIENT_P2P_1K: {
        psa_read(msg->handle, 0, &n, sizeof(n));
        psa_invec in = {big_in, sizeof(big_in)};
        psa_outvec out = {big_out, sizeof(big_out)};
        for (uint32_t i = 0; i < n; i++) {
            if (psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_BULK, &in, 1, &out, 1) != 1024) {
                return PSA_ERROR_GENERIC_ERROR;
            }
        }
        return PSA_SUCCESS;
    }
    case CLIENT_NOTIFY:
        psa_notify(TEST_ECHO_PARTITION_ID);
        return PSA_SUCCESS;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void client_main(void)
{
    for (;;) {
        psa_wait(TEST_CLIENT_SERVICE_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(TEST_CLIENT_SERVICE_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, call(&msg));
        }
    }
}
