/*
 * client.c: test partition TEST_CLIENT (see test_services.h): the client API used by a secure
 * partition, and the partition-to-partition round trips the benchmark measures.
 */
#include <stdint.h>
#include <string.h>

#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa/service.h"
#include "psa_manifest/client.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "sm/sm_device.h"
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

static uint8_t its_data[512];

/* One ITS call for the test, with the partition as the client. */
static psa_status_t its(const psa_msg_t *msg)
{
    struct client_its c;
    if (psa_read(msg->handle, 0, &c, sizeof(c)) != sizeof(c)) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    size_t n = psa_read(msg->handle, 1, its_data, sizeof(its_data));
    size_t got = 0;
    struct psa_storage_info_t info;
    psa_status_t status;
    switch (c.op) {
    case CLIENT_ITS_SET:
        return psa_its_set(c.uid, n, its_data, c.offset_or_flags);
    case CLIENT_ITS_GET:
        n = msg->out_size[0] < sizeof(its_data) ? msg->out_size[0] : sizeof(its_data);
        status = psa_its_get(c.uid, c.offset_or_flags, n, its_data, &got);
        psa_write(msg->handle, 0, its_data, got);
        return status;
    case CLIENT_ITS_GET_INFO:
        status = psa_its_get_info(c.uid, &info);
        if (status == PSA_SUCCESS) {
            psa_write(msg->handle, 0, &info, sizeof(info));
        }
        return status;
    case CLIENT_ITS_REMOVE:
        return psa_its_remove(c.uid);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* The core's device services for a partition that declares no flash area. */
static psa_status_t device(const psa_msg_t *msg)
{
    uint8_t buf[32], key[32], other[32];
    if (sm_flash_area_size() != 0u || sm_flash_read(0, buf, 16) != SM_FLASH_E_RANGE ||
        sm_flash_erase(0, 0x2000) != SM_FLASH_E_RANGE ||
        sm_flash_blank(0, 16) != SM_FLASH_E_RANGE) {
        return 1;
    }
    if (sm_install_config(SM_CONFIG_ITS_SIZE) == 0u || sm_install_config(99) != SM_CONFIG_UNKNOWN) {
        return 2;
    }
    if (sm_derive_key("test", 4, key, sizeof(key)) != PSA_SUCCESS ||
        sm_derive_key("tesu", 4, other, sizeof(other)) != PSA_SUCCESS ||
        memcmp(key, other, sizeof(key)) == 0) {
        return 3;
    }
    if (sm_derive_key("test", 4, other, 16) != PSA_SUCCESS || memcmp(key, other, 16) != 0) {
        return 4; /* a shorter key is a prefix of the longer: the same HKDF output */
    }
    if (sm_derive_key(buf, 33, other, 16) != PSA_ERROR_INVALID_ARGUMENT ||
        sm_derive_key("t", 1, other, 0) != PSA_ERROR_INVALID_ARGUMENT ||
        sm_derive_key("t", 1, other, 33) != PSA_ERROR_INVALID_ARGUMENT) {
        return 5;
    }
    psa_write(msg->handle, 0, key, sizeof(key));
    memset(key, 0, sizeof(key));
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
    case CLIENT_ITS:
        return its(msg);
    case CLIENT_DEVICE:
        return device(msg);
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
