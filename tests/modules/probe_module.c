/*
 * probe_module.c: secure module TEST_MOD_PROBE (probe_module.json), for the module tests on
 * the board (tests/qemu/module_test.sh). Its service, by message type:
 *   PROBE_NOTHING   replies at once (the benchmark's module call, scripts/bench.sh);
 *   PROBE_VIA_ECHO  calls TEST_MOD_ECHO (the dependency it declares) with its input, writes
 *                   the answer to its output and replies with TEST_MOD_ECHO's status;
 *   PROBE_READ      reads the word at the address its input names and writes it back (the
 *                   MPU must stop it for any memory that is not its own);
 *   PROBE_PANIC     calls psa_panic;
 *   PROBE_UNDECLARED calls a service it did not declare (a programmer error);
 *   PROBE_RAM       replies with the address of one of its globals (its RAM window);
 *   PROBE_SPIN      replies, then never blocks again (a loop the time slice must contain);
 *   PROBE_ITS_GET   reads its ITS asset of the UID its input names (u32) into its output;
 *   PROBE_ITS_SET   stores its second input as its ITS asset of that UID;
 *   PROBE_KEY_EXPORT exports the public key of its crypto key of that id;
 *   PROBE_VOLATILE  a multipart SHA-256 and a volatile HMAC key, a second of each refused
 *                   while the first lives (its shares of the crypto
 *                   service's operations and volatile keys), replying with the status;
 *   PROBE_TRACE     two sm_trace lines, a plain one and one too long with bytes that are not
 *                   printable, replying with the first's status;
 *   PROBE_TRACE_BAD a trace of a line in the SM's RAM (a programmer error: it is stopped);
 *   PROBE_KEY_MAKE  makes a persistent ECDSA P-256 key of that id, its own
 *                   (tests/qemu/keyvault_test.sh: a module sees only its own assets and keys);
 *   PROBE_HOLD      never replies: busy for ever while its caller waits (the call deadline
 *                   must stop it).
 * The message types are also in tests/qemu/ns_module_test.c and ns_keyvault_test.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"
#include "psa/crypto.h"
#include "psa/internal_trusted_storage.h"
#include "psa/service.h"
#include "psa_manifest/probe_module.h"
#include "sm/sm_service.h"
#include "sm_trace.h"

#define PROBE_NOTHING     0
#define PROBE_VIA_ECHO    1
#define PROBE_READ        2
#define PROBE_PANIC       3
#define PROBE_UNDECLARED  4
#define PROBE_RAM         5
#define PROBE_SPIN        6
#define PROBE_ITS_GET     7
#define PROBE_ITS_SET     8
#define PROBE_KEY_EXPORT  9
#define PROBE_KEY_MAKE    10
#define PROBE_VOLATILE    11
#define PROBE_TRACE       12
#define PROBE_TRACE_BAD   13
#define PROBE_HOLD        14
/* TEST_MOD_ECHO's stateless handle (tests/modules/echo_module.json: version 1, index 20). */
#define ECHO_HANDLE       ((psa_handle_t)0x40000114)
/* TEST_ECHO_STATELESS, a built-in service of the test SM image this module does not declare. */
#define UNDECLARED_HANDLE ((psa_handle_t)0x40000201)

static uint32_t served; /* .bss, in its RAM window */

/* Its ITS assets and crypto keys: input 0 names the UID or key id. */
static psa_status_t assets(const psa_msg_t *msg, const uint8_t *buf, size_t n)
{
    if (n != 4u) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    const uint32_t id =
        (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 24;
    uint8_t data[65];
    size_t len = 0;
    psa_status_t st;
    switch (msg->type) {
    case PROBE_ITS_GET:
        st = psa_its_get(id, 0, sizeof(data), data, &len);
        break;
    case PROBE_ITS_SET:
        len = psa_read(msg->handle, 1, data, sizeof(data));
        return psa_its_set(id, len, data, PSA_STORAGE_FLAG_NONE);
    case PROBE_KEY_EXPORT:
        st = psa_crypto_init();
        if (st == PSA_SUCCESS) {
            st = psa_export_public_key(id, data, sizeof(data), &len);
        }
        break;
    default: { /* PROBE_KEY_MAKE */
        psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
        psa_key_id_t made = PSA_KEY_ID_NULL;
        psa_set_key_id(&a, id);
        psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
        psa_set_key_bits(&a, 256);
        psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_HASH);
        psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
        st = psa_crypto_init();
        return st == PSA_SUCCESS ? psa_generate_key(&a, &made) : st;
    }
    }
    if (st == PSA_SUCCESS) {
        psa_write(msg->handle, 0, data, len < msg->out_size[0] ? len : msg->out_size[0]);
    }
    return st;
}

/* What needs the module's own shares of the crypto service's tables. */
static psa_status_t volatile_use(const uint8_t *buf, size_t n)
{
    psa_hash_operation_t h = PSA_HASH_OPERATION_INIT;
    uint8_t out[32];
    size_t len = 0;
    psa_status_t st = psa_crypto_init();
    if (st == PSA_SUCCESS) {
        st = psa_hash_setup(&h, PSA_ALG_SHA_256);
    }
    if (st == PSA_SUCCESS) {
        /* Its share is one operation: a second one while the first lives is refused. */
        psa_hash_operation_t h2 = PSA_HASH_OPERATION_INIT;
        const psa_status_t second = psa_hash_setup(&h2, PSA_ALG_SHA_256);
        (void)psa_hash_abort(&h2);
        st = second == PSA_ERROR_INSUFFICIENT_MEMORY ? psa_hash_update(&h, buf, n)
                                                     : PSA_ERROR_CORRUPTION_DETECTED;
    }
    if (st == PSA_SUCCESS) {
        st = psa_hash_finish(&h, out, sizeof(out), &len);
    }
    (void)psa_hash_abort(&h);
    if (st != PSA_SUCCESS) {
        return st;
    }
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t k = PSA_KEY_ID_NULL;
    psa_set_key_type(&a, PSA_KEY_TYPE_HMAC);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_MESSAGE);
    psa_set_key_algorithm(&a, PSA_ALG_HMAC(PSA_ALG_SHA_256));
    st = psa_import_key(&a, out, sizeof(out), &k);
    if (st == PSA_SUCCESS) {
        /* And one volatile key. */
        psa_key_id_t k2 = PSA_KEY_ID_NULL;
        if (psa_import_key(&a, out, sizeof(out), &k2) != PSA_ERROR_INSUFFICIENT_MEMORY) {
            (void)psa_destroy_key(k2);
            (void)psa_destroy_key(k);
            return PSA_ERROR_CORRUPTION_DETECTED;
        }
        st = psa_mac_compute(k, PSA_ALG_HMAC(PSA_ALG_SHA_256), buf, n, out, sizeof(out), &len);
        psa_status_t d = psa_destroy_key(k);
        st = st == PSA_SUCCESS ? d : st;
    }
    return st;
}

static psa_status_t serve(const psa_msg_t *msg)
{
    if (msg->type == PROBE_NOTHING) {
        return PSA_SUCCESS;
    }
    uint8_t buf[64];
    size_t n = psa_read(msg->handle, 0, buf, sizeof(buf));
    served++;
    switch (msg->type) {
    case PROBE_VIA_ECHO: {
        uint8_t answer[64];
        psa_invec in = {buf, n};
        psa_outvec out = {answer, sizeof(answer)};
        psa_status_t st = psa_call(ECHO_HANDLE, 0, &in, 1, &out, 1);
        size_t m = out.len < msg->out_size[0] ? out.len : msg->out_size[0];
        psa_write(msg->handle, 0, answer, m);
        return st;
    }
    case PROBE_READ: {
        if (n != 4u) {
            return PSA_ERROR_INVALID_ARGUMENT;
        }
        const uint32_t addr = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 |
                              (uint32_t)buf[3] << 24;
        uint32_t word = *(volatile const uint32_t *)(uintptr_t)addr; /* anywhere: on purpose */
        psa_write(msg->handle, 0, &word, sizeof(word));
        return PSA_SUCCESS;
    }
    case PROBE_PANIC:
        psa_panic();
        return PSA_SUCCESS;
    case PROBE_UNDECLARED:
        return psa_call(UNDECLARED_HANDLE, 0, NULL, 0, NULL, 0);
    case PROBE_SPIN:
        return PSA_SUCCESS; /* then the loop in mod_probe_main */
    case PROBE_HOLD:
        for (;;) {
            __asm volatile("" ::: "memory"); /* busy, its caller waiting */
        }
    case PROBE_RAM:
        return (psa_status_t)(uintptr_t)&served;
    case PROBE_ITS_GET:
    case PROBE_ITS_SET:
    case PROBE_KEY_EXPORT:
    case PROBE_KEY_MAKE:
        return assets(msg, buf, n);
    case PROBE_VOLATILE:
        return volatile_use(buf, n);
    case PROBE_TRACE: {
        psa_status_t st = sm_trace("a line from the probe");
        (void)sm_trace("bell \a tab \t then 0123456789012345678901234567890123456789"
                       "0123456789012345678901234567890123456789 and past 96 bytes");
        return st;
    }
    case PROBE_TRACE_BAD: { /* sm_trace's own call (modules/kit/smdk_trace.c), a line not its own */
        psa_invec line = {(const void *)(uintptr_t)0x38000100u, 16};
        return psa_call((psa_handle_t)0x4000001F, 0, &line, 1, NULL, 0);
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void mod_probe_main(void)
{
    /* Each reply, the next wait and its psa_get are one kernel entry (sm_reply_get, the SMDK's
     * too), but after PROBE_SPIN, whose reply is followed by no wait. It waits for the service's
     * signal alone, so each return holds a message. */
    psa_msg_t msg;
    (void)sm_reply_get(PSA_NULL_HANDLE, PSA_SUCCESS, TEST_MOD_PROBE_SIGNAL, &msg);
    while (msg.type != PROBE_SPIN) {
        (void)sm_reply_get(msg.handle, serve(&msg), TEST_MOD_PROBE_SIGNAL, &msg);
    }
    psa_reply(msg.handle, serve(&msg));
    for (;;) {
        __asm volatile("" ::: "memory"); /* busy for ever, never waiting */
    }
}
