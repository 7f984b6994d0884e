/*
 * client.c: test partition TEST_CLIENT (see test_services.h): the client API used by a secure
 * partition, and the partition-to-partition round trips the benchmark measures. It is also the
 * second client of the crypto service's tests (CLIENT_CRYPTO): keys and operations of its own.
 * Its RAM is small and its stack 3 KiB: buffers are static and sized for the tests' data.
 */
#include <stdint.h>
#include <string.h>

#include "psa/client.h"
#include "psa/crypto.h"
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

static uint8_t crypto_in[64], crypto_out[CLIENT_CRYPTO_HELD_MAX * 32];
static psa_hash_operation_t held[CLIENT_CRYPTO_HELD_MAX];
static uint32_t held_count;
static size_t crypto_written;

/* Appends to out[0] what fits: a write past the client's vector would stop the partition. */
static void crypto_reply(const psa_msg_t *msg, const void *p, size_t n)
{
    size_t room = msg->out_size[0] - crypto_written;
    n = n < room ? n : room;
    psa_write(msg->handle, 0, p, n);
    crypto_written += n;
}

/* CLIENT_CRYPTO_HOLD: the handles of the operations set up go to out[0]. */
static psa_status_t crypto_hold(const psa_msg_t *msg, uint32_t n, size_t in_len)
{
    if (n > CLIENT_CRYPTO_HELD_MAX - held_count) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    psa_status_t status = PSA_SUCCESS;
    for (uint32_t i = 0; i < n && status == PSA_SUCCESS; i++) {
        psa_hash_operation_t *op = &held[held_count];
        *op = psa_hash_operation_init();
        status = psa_hash_setup(op, PSA_ALG_SHA_256);
        if (status == PSA_SUCCESS) {
            status = psa_hash_update(op, crypto_in, in_len);
        }
        if (status == PSA_SUCCESS) {
            crypto_reply(msg, &op->handle, sizeof(op->handle));
            held_count++;
        }
    }
    return status;
}

/* One PSA Crypto call for the test, with the partition as the client. */
static psa_status_t crypto(const psa_msg_t *msg)
{
    struct client_crypto c;
    if (psa_read(msg->handle, 0, &c, sizeof(c)) != sizeof(c)) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    crypto_written = 0;
    size_t n = psa_read(msg->handle, 1, crypto_in, sizeof(crypto_in));
    size_t len = 0;
    psa_status_t status = PSA_SUCCESS, first = PSA_SUCCESS;
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    mbedtls_svc_key_id_t id = PSA_KEY_ID_NULL;
    psa_hash_operation_t forged = PSA_HASH_OPERATION_INIT;
    switch (c.op) {
    case CLIENT_CRYPTO_IMPORT:
        psa_set_key_type(&attr, PSA_KEY_TYPE_HMAC);
        psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_SIGN_MESSAGE |
                                           PSA_KEY_USAGE_VERIFY_MESSAGE);
        psa_set_key_algorithm(&attr, PSA_ALG_HMAC(PSA_ALG_SHA_256));
        if (c.key != 0u) {
            psa_set_key_id(&attr, c.key);
        }
        status = psa_import_key(&attr, crypto_in, n, &id);
        if (status == PSA_SUCCESS) {
            crypto_reply(msg, &id, sizeof(id));
        }
        return status;
    case CLIENT_CRYPTO_EXPORT:
        status = psa_export_key(c.key, crypto_out, sizeof(crypto_out), &len);
        break;
    case CLIENT_CRYPTO_DESTROY:
        return psa_destroy_key(c.key);
    case CLIENT_CRYPTO_MAC:
        status = psa_mac_compute(c.key, PSA_ALG_HMAC(PSA_ALG_SHA_256), crypto_in, n, crypto_out,
                                 sizeof(crypto_out), &len);
        break;
    case CLIENT_CRYPTO_HOLD:
        return crypto_hold(msg, c.n, n);
    case CLIENT_CRYPTO_RELEASE:
        /* A finish ends its operation whatever the outcome, so none stays held. */
        for (uint32_t i = 0; i < held_count; i++) {
            size_t got = 0;
            status = psa_hash_update(&held[i], crypto_in, n);
            if (status == PSA_SUCCESS) {
                status = psa_hash_finish(&held[i], crypto_out + len, 32, &got);
            }
            first = first == PSA_SUCCESS ? status : first;
            len += got;
        }
        held_count = 0;
        status = first;
        break;
    case CLIENT_CRYPTO_FORGE:
        forged.handle = c.key;
        return psa_hash_update(&forged, crypto_in, n);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
    crypto_reply(msg, crypto_out, len);
    return status;
}

static psa_handle_t conns[CLIENT_CONNS_MAX];
static uint32_t conn_count;

/* CLIENT_CONNS: connections kept open, to use up the partition's share of the SM's table. */
static psa_status_t conn_hold(const psa_msg_t *msg)
{
    uint32_t n = 0;
    psa_status_t status = PSA_SUCCESS;
    if (psa_read(msg->handle, 0, &n, sizeof(n)) != sizeof(n)) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    for (uint32_t i = 0; i < n && status == PSA_SUCCESS; i++) {
        if (conn_count == CLIENT_CONNS_MAX) {
            status = PSA_ERROR_INSUFFICIENT_MEMORY; /* the test's own array, not the SM */
            break;
        }
        psa_handle_t h = psa_connect(TEST_SECURE_ONLY_SID, 1);
        if (h > 0) {
            conns[conn_count++] = h;
        } else {
            status = h;
        }
    }
    if (msg->out_size[0] >= sizeof(conn_count)) {
        psa_write(msg->handle, 0, &conn_count, sizeof(conn_count));
    }
    return status;
}

static psa_status_t conn_release(void)
{
    for (uint32_t i = 0; i < conn_count; i++) {
        psa_close(conns[i]);
    }
    conn_count = 0;
    return PSA_SUCCESS;
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
    /* Entropy: bounded requests, and no two answers alike. */
    if (sm_entropy(key, 0) != PSA_ERROR_INVALID_ARGUMENT ||
        sm_entropy(key, SM_ENTROPY_MAX + 1u) != PSA_ERROR_INVALID_ARGUMENT ||
        sm_entropy(buf, sizeof(buf)) != PSA_SUCCESS ||
        sm_entropy(other, sizeof(other)) != PSA_SUCCESS || memcmp(buf, other, sizeof(buf)) == 0) {
        return 6;
    }
    /* Liveness: the NS world and this partition run; no partition has id 0x7FFF. */
    if (sm_client_running(-1) != 1u || sm_client_running(TEST_CLIENT_PARTITION_ID) != 1u ||
        sm_client_running(0x7FFF) != 0u) {
        return 7;
    }
    psa_write(msg->handle, 0, key, sizeof(key));
    memset(key, 0, sizeof(key));
    return PSA_SUCCESS;
}

/* The most calls one CLIENT_P2P_* request makes (the benchmarks make 20,000): a caller cannot
 * keep this partition, and the core, busy for ever (the SM fuzz harness asked for 0x15151515). */
#define P2P_MAX 20000u

static psa_status_t call(const psa_msg_t *msg)
{
    uint32_t n = 0;
    if ((msg->type == CLIENT_P2P_EMPTY || msg->type == CLIENT_P2P_1K) &&
        (psa_read(msg->handle, 0, &n, sizeof(n)) != sizeof(n) || n > P2P_MAX)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    switch (msg->type) {
    case CLIENT_P2P:
        return p2p();
    case CLIENT_P2P_EMPTY:
        for (uint32_t i = 0; i < n; i++) {
            if (psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_EMPTY, NULL, 0, NULL, 0) != 0) {
                return PSA_ERROR_GENERIC_ERROR;
            }
        }
        return PSA_SUCCESS;
    case CLIENT_P2P_1K: {
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
    case CLIENT_CRYPTO:
        return crypto(msg);
    case CLIENT_CONNS:
        return conn_hold(msg);
    case CLIENT_CLOSE:
        return conn_release();
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
