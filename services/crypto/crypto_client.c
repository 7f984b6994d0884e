/*
 * crypto_client.c: the PSA Crypto API (Mbed TLS 3.6's psa/crypto.h in its client view) for any
 * client: the NS application (SMAK), a secure partition (shared code) or a host program. Each
 * function is one psa_call to the crypto service (crypto_ipc.h). Every function Mbed TLS 3.6's
 * psa/crypto.h declares is here but PAKE (experimental in Mbed TLS 3.6) and the driver
 * interfaces.
 *
 * Arguments the service cannot see are checked here and get PSA_ERROR_INVALID_ARGUMENT: a NULL
 * buffer with a length, a buffer that wraps the address space, two output buffers overlapping
 * each other (the SM refuses such vectors and stops a partition that passes them), and a NULL
 * output, attributes or operation pointer. An output may overlap an input, as the PSA Crypto
 * API requires: the result is as if they did not.
 *
 * An operation is the service's handle, 0 for a fresh object. The service frees it when it is
 * aborted and whenever Mbed TLS leaves it inactive; the client forgets the handle on an abort
 * and on a finish or verify that succeeds. After a failure the handle stays, as the operation
 * object does with Mbed TLS: it names the operation Mbed TLS kept (in error, or still usable
 * where Mbed TLS keeps it so) or, if the failure ended it, nothing, which the service answers
 * as Mbed TLS does an inactive object (BAD_STATE, an abort succeeds, a setup starts anew). An
 * argument refused here (NULL, wrapping or overlapping outputs) ends the operation.
 *
 * No static data: the code is shared by isolated partitions from read-only memory.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "crypto_ipc.h"
#include "psa/crypto.h"

#define IPC(...)   ((struct crypto_ipc_call){__VA_ARGS__})
#define HANDLE(op) ((op) != NULL ? &(op)->handle : NULL)

enum { GOES_ON, ENDS }; /* whether a call that succeeds ends its operation */

static int bad(const void *p, size_t n)
{
    return n != 0u && (p == NULL || (uintptr_t)p + n - 1u < (uintptr_t)p);
}

static int overlap(const void *a, size_t n, const void *b, size_t m)
{
    return n != 0u && m != 0u && (uintptr_t)a <= (uintptr_t)b + (m - 1u) &&
           (uintptr_t)b <= (uintptr_t)a + (n - 1u);
}

/* The vectors of a call, in[0] (the call itself) aside, as the SM will accept them. */
static int vectors_ok(const psa_invec *in, size_t n_in, const psa_outvec *out, size_t n_out)
{
    for (size_t i = 1; i < n_in; i++) {
        if (bad(in[i].base, in[i].len)) {
            return 0;
        }
    }
    /* An output may overlap an input (in place): the service reads before it writes. */
    for (size_t i = 0; i < n_out; i++) {
        if (bad(out[i].base, out[i].len)) {
            return 0;
        }
        for (size_t j = 0; j < i; j++) {
            if (overlap(out[i].base, out[i].len, out[j].base, out[j].len)) {
                return 0;
            }
        }
    }
    return 1;
}

/* The caller leaves in[0] for the call. */
static psa_status_t raw_call(struct crypto_ipc_call c, psa_invec *in, size_t n_in, psa_outvec *out,
                             size_t n_out)
{
    in[0] = (psa_invec){&c, sizeof(c)};
    return psa_call(CRYPTO_IPC_HANDLE, PSA_IPC_CALL, in, n_in, out, n_out);
}

static psa_status_t call(struct crypto_ipc_call c, psa_invec *in, size_t n_in, psa_outvec *out,
                         size_t n_out)
{
    if (!vectors_ok(in, n_in, out, n_out)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    return raw_call(c, in, n_in, out, n_out);
}

/* A call whose result goes to `buf`, its length to *length (0 on failure). */
static psa_status_t call_len(struct crypto_ipc_call c, psa_invec *in, size_t n_in, void *buf,
                             size_t size, size_t *length)
{
    if (length == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    psa_outvec out[1] = {{buf, size}};
    psa_status_t status = call(c, in, n_in, out, 1);
    *length = status == PSA_SUCCESS ? out[0].len : 0u;
    return status;
}

/* The enumeration groups each kind of operation's functions, its abort last. */
static uint16_t abort_of(uint16_t func)
{
    return func < CRYPTO_IPC_MAC_COMPUTE         ? CRYPTO_IPC_HASH_ABORT
           : func < CRYPTO_IPC_CIPHER_ENCRYPT    ? CRYPTO_IPC_MAC_ABORT
           : func < CRYPTO_IPC_AEAD_ENCRYPT      ? CRYPTO_IPC_CIPHER_ABORT
           : func < CRYPTO_IPC_SIGN_MESSAGE      ? CRYPTO_IPC_AEAD_ABORT
           : func < CRYPTO_IPC_SIGN_HASH_START   ? CRYPTO_IPC_KEY_DERIVATION_ABORT
           : func < CRYPTO_IPC_VERIFY_HASH_START ? CRYPTO_IPC_SIGN_HASH_ABORT
                                                 : CRYPTO_IPC_VERIFY_HASH_ABORT;
}

/* A call on the operation whose handle is *h; `ok` is 0 if the caller found a bad argument. */
static psa_status_t op_call(uint32_t *h, int ok, int end, struct crypto_ipc_call c, psa_invec *in,
                            size_t n_in, psa_outvec *out, size_t n_out)
{
    if (h == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    c.handle = *h;
    if (!ok || !vectors_ok(in, n_in, out, n_out)) {
        /* An argument Mbed TLS would not survive (a NULL or wrapping buffer): the call fails
         * and ends the operation, as Mbed TLS's failures mostly do, so it holds no slot. */
        if (*h != 0u) {
            (void)raw_call(IPC(.func = abort_of(c.func), .handle = *h), in, 1, NULL, 0);
            *h = 0u;
        }
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    psa_status_t status = raw_call(c, in, n_in, out, n_out);
    if (status == PSA_SUCCESS && end == ENDS) {
        *h = 0u;
    }
    return status;
}

static psa_status_t op_len(uint32_t *h, int end, struct crypto_ipc_call c, psa_invec *in,
                           size_t n_in, void *buf, size_t size, size_t *length)
{
    psa_outvec out[1] = {{buf, size}};
    psa_status_t status = op_call(h, length != NULL, end, c, in, n_in, out, 1);
    if (length != NULL) {
        *length = status == PSA_SUCCESS ? out[0].len : 0u;
    }
    return status;
}

/* A setup of the operation whose handle is *h (in c.handle, or in c.n0 for a clone, whose
 * c.handle is the source): the operation's handle comes back in out[0] when it succeeds or
 * leaves an operation in error (a new one, unless *h named a live operation, which Mbed TLS's
 * setup was then applied to). */
static psa_status_t setup_with(uint32_t *h, struct crypto_ipc_call c, int clone, psa_invec *in,
                               size_t n_in)
{
    if (h == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (clone) {
        c.n0 = *h;
    } else {
        c.handle = *h;
    }
    uint32_t handle = 0;
    psa_outvec out[1] = {{&handle, sizeof(handle)}};
    psa_status_t status = call(c, in, n_in, out, 1);
    /* The service writes the handle of the operation the client now holds (a failure can leave
     * one, in error); a call the SM refused wrote nothing. */
    if (status != PSA_ERROR_PROGRAMMER_ERROR && status != PSA_ERROR_CONNECTION_BUSY &&
        out[0].len == sizeof(handle)) {
        *h = handle;
    }
    return status;
}

static psa_status_t setup_into(uint32_t *h, struct crypto_ipc_call c, int clone)
{
    psa_invec in[1];
    return setup_with(h, c, clone, in, 1);
}

static psa_status_t setup(uint32_t *h, struct crypto_ipc_call c)
{
    return setup_into(h, c, 0);
}

static psa_status_t op_abort(uint32_t *h, uint16_t func)
{
    if (h != NULL && *h == 0u) {
        return PSA_SUCCESS;
    }
    psa_invec in[1];
    return op_call(h, 1, ENDS, IPC(.func = func), in, 1, NULL, 0);
}

static void attr_from_ipc(psa_key_attributes_t *a, const struct crypto_ipc_attr *w)
{
    psa_reset_key_attributes(a);
    psa_set_key_type(a, w->type);
    psa_set_key_bits(a, w->bits);
    psa_set_key_usage_flags(a, w->usage);
    psa_set_key_algorithm(a, w->alg);
    psa_set_key_enrollment_algorithm(a, w->alg2);
    /* Setting an id makes the key persistent and a volatile lifetime clears the id, so a
     * volatile key's id is not reported (PSA leaves it unspecified). */
    psa_set_key_id(a, w->id);
    psa_set_key_lifetime(a, w->lifetime);
}

/* The calls that make a key: its attributes in in[1], its id back in out[0]. */
static psa_status_t make_key(struct crypto_ipc_call c, const psa_key_attributes_t *attributes,
                             psa_invec *in, size_t n_in, mbedtls_svc_key_id_t *key)
{
    if (key == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    *key = PSA_KEY_ID_NULL;
    if (attributes == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    struct crypto_ipc_attr w = crypto_ipc_attr_of(attributes);
    psa_key_id_t id = PSA_KEY_ID_NULL;
    psa_outvec out[1] = {{&id, sizeof(id)}};
    in[1] = (psa_invec){&w, sizeof(w)};
    psa_status_t status = call(c, in, n_in, out, 1);
    *key = status == PSA_SUCCESS ? id : PSA_KEY_ID_NULL;
    return status;
}

/* ---- library and key management -------------------------------------------------------- */

psa_status_t psa_crypto_init(void)
{
    psa_invec in[1];
    return raw_call(IPC(.func = CRYPTO_IPC_INIT), in, 1, NULL, 0);
}

psa_status_t psa_import_key(const psa_key_attributes_t *attributes, const uint8_t *data,
                            size_t data_length, mbedtls_svc_key_id_t *key)
{
    psa_invec in[3] = {[2] = {data, data_length}};
    return make_key(IPC(.func = CRYPTO_IPC_IMPORT_KEY), attributes, in, 3, key);
}

psa_status_t psa_generate_key(const psa_key_attributes_t *attributes, mbedtls_svc_key_id_t *key)
{
    psa_invec in[2];
    return make_key(IPC(.func = CRYPTO_IPC_GENERATE_KEY), attributes, in, 2, key);
}

psa_status_t psa_generate_key_custom(const psa_key_attributes_t *attributes,
                                     const psa_custom_key_parameters_t *custom,
                                     const uint8_t *custom_data, size_t custom_data_length,
                                     mbedtls_svc_key_id_t *key)
{
    if (custom == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    psa_invec in[3] = {[2] = {custom_data, custom_data_length}};
    return make_key(IPC(.func = CRYPTO_IPC_GENERATE_KEY_CUSTOM, .n0 = custom->flags), attributes,
                    in, 3, key);
}

psa_status_t psa_generate_key_ext(const psa_key_attributes_t *attributes,
                                  const psa_key_production_parameters_t *params,
                                  size_t params_data_length, mbedtls_svc_key_id_t *key)
{
    if (params == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    const psa_custom_key_parameters_t custom = {.flags = params->flags};
    return psa_generate_key_custom(attributes, &custom, params->data, params_data_length, key);
}

psa_status_t psa_copy_key(mbedtls_svc_key_id_t source_key, const psa_key_attributes_t *attributes,
                          mbedtls_svc_key_id_t *target_key)
{
    psa_invec in[2];
    return make_key(IPC(.func = CRYPTO_IPC_COPY_KEY, .key = source_key), attributes, in, 2,
                    target_key);
}

psa_status_t psa_export_key(mbedtls_svc_key_id_t key, uint8_t *data, size_t data_size,
                            size_t *data_length)
{
    psa_invec in[1];
    return call_len(IPC(.func = CRYPTO_IPC_EXPORT_KEY, .key = key), in, 1, data, data_size,
                    data_length);
}

psa_status_t psa_export_public_key(mbedtls_svc_key_id_t key, uint8_t *data, size_t data_size,
                                   size_t *data_length)
{
    psa_invec in[1];
    return call_len(IPC(.func = CRYPTO_IPC_EXPORT_PUBLIC_KEY, .key = key), in, 1, data, data_size,
                    data_length);
}

psa_status_t psa_destroy_key(mbedtls_svc_key_id_t key)
{
    psa_invec in[1];
    return raw_call(IPC(.func = CRYPTO_IPC_DESTROY_KEY, .key = key), in, 1, NULL, 0);
}

psa_status_t psa_purge_key(mbedtls_svc_key_id_t key)
{
    psa_invec in[1];
    return raw_call(IPC(.func = CRYPTO_IPC_PURGE_KEY, .key = key), in, 1, NULL, 0);
}

psa_status_t psa_get_key_attributes(mbedtls_svc_key_id_t key, psa_key_attributes_t *attributes)
{
    if (attributes == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    struct crypto_ipc_attr w = {0};
    psa_invec in[1];
    psa_outvec out[1] = {{&w, sizeof(w)}};
    psa_status_t status =
        raw_call(IPC(.func = CRYPTO_IPC_GET_KEY_ATTRIBUTES, .key = key), in, 1, out, 1);
    if (status == PSA_SUCCESS) {
        attr_from_ipc(attributes, &w);
    } else {
        psa_reset_key_attributes(attributes);
    }
    return status;
}

void psa_reset_key_attributes(psa_key_attributes_t *attributes)
{
    if (attributes != NULL) {
        *attributes = psa_key_attributes_init();
    }
}

/* ---- hash -------------------------------------------------------------------------------- */

/* call_len's way, written out: the most frequent one-shot pays for no generic vector loop and
 * no library memset of a compound literal (docs/design/call-path.md). */
psa_status_t psa_hash_compute(psa_algorithm_t alg, const uint8_t *input, size_t input_length,
                              uint8_t *hash, size_t hash_size, size_t *hash_length)
{
    if (hash_length == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (bad(input, input_length) || bad(hash, hash_size)) {
        *hash_length = 0;
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    struct crypto_ipc_call c;
    c.func = CRYPTO_IPC_HASH_COMPUTE;
    c.step = 0;
    c.handle = 0;
    c.key = 0;
    c.alg = alg;
    c.n0 = 0;
    c.n1 = 0;
    const psa_invec in[2] = {{&c, sizeof(c)}, {input, input_length}};
    psa_outvec out[1] = {{hash, hash_size}};
    psa_status_t status = psa_call(CRYPTO_IPC_HANDLE, PSA_IPC_CALL, in, 2, out, 1);
    *hash_length = status == PSA_SUCCESS ? out[0].len : 0u;
    return status;
}

psa_status_t psa_hash_compare(psa_algorithm_t alg, const uint8_t *input, size_t input_length,
                              const uint8_t *hash, size_t hash_length)
{
    psa_invec in[3] = {[1] = {input, input_length}, {hash, hash_length}};
    return call(IPC(.func = CRYPTO_IPC_HASH_COMPARE, .alg = alg), in, 3, NULL, 0);
}

psa_status_t psa_hash_setup(psa_hash_operation_t *operation, psa_algorithm_t alg)
{
    return setup(HANDLE(operation), IPC(.func = CRYPTO_IPC_HASH_SETUP, .alg = alg));
}

psa_status_t psa_hash_update(psa_hash_operation_t *operation, const uint8_t *input,
                             size_t input_length)
{
    psa_invec in[2] = {[1] = {input, input_length}};
    return op_call(HANDLE(operation), 1, GOES_ON, IPC(.func = CRYPTO_IPC_HASH_UPDATE), in, 2, NULL,
                   0);
}

psa_status_t psa_hash_finish(psa_hash_operation_t *operation, uint8_t *hash, size_t hash_size,
                             size_t *hash_length)
{
    psa_invec in[1];
    return op_len(HANDLE(operation), ENDS, IPC(.func = CRYPTO_IPC_HASH_FINISH), in, 1, hash,
                  hash_size, hash_length);
}

psa_status_t psa_hash_verify(psa_hash_operation_t *operation, const uint8_t *hash,
                             size_t hash_length)
{
    psa_invec in[2] = {[1] = {hash, hash_length}};
    return op_call(HANDLE(operation), 1, ENDS, IPC(.func = CRYPTO_IPC_HASH_VERIFY), in, 2, NULL, 0);
}

/* The source stays as it is whatever the outcome (it is const): the service keeps it. */
psa_status_t psa_hash_clone(const psa_hash_operation_t *source_operation,
                            psa_hash_operation_t *target_operation)
{
    if (source_operation == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    return setup_into(HANDLE(target_operation),
                      IPC(.func = CRYPTO_IPC_HASH_CLONE, .handle = source_operation->handle), 1);
}

psa_status_t psa_hash_abort(psa_hash_operation_t *operation)
{
    return op_abort(HANDLE(operation), CRYPTO_IPC_HASH_ABORT);
}

/* ---- MAC --------------------------------------------------------------------------------- */

psa_status_t psa_mac_compute(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                             size_t input_length, uint8_t *mac, size_t mac_size, size_t *mac_length)
{
    psa_invec in[2] = {[1] = {input, input_length}};
    return call_len(IPC(.func = CRYPTO_IPC_MAC_COMPUTE, .key = key, .alg = alg), in, 2, mac,
                    mac_size, mac_length);
}

psa_status_t psa_mac_verify(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                            size_t input_length, const uint8_t *mac, size_t mac_length)
{
    psa_invec in[3] = {[1] = {input, input_length}, {mac, mac_length}};
    return call(IPC(.func = CRYPTO_IPC_MAC_VERIFY, .key = key, .alg = alg), in, 3, NULL, 0);
}

psa_status_t psa_mac_sign_setup(psa_mac_operation_t *operation, mbedtls_svc_key_id_t key,
                                psa_algorithm_t alg)
{
    return setup(HANDLE(operation), IPC(.func = CRYPTO_IPC_MAC_SIGN_SETUP, .key = key, .alg = alg));
}

psa_status_t psa_mac_verify_setup(psa_mac_operation_t *operation, mbedtls_svc_key_id_t key,
                                  psa_algorithm_t alg)
{
    return setup(HANDLE(operation),
                 IPC(.func = CRYPTO_IPC_MAC_VERIFY_SETUP, .key = key, .alg = alg));
}

psa_status_t psa_mac_update(psa_mac_operation_t *operation, const uint8_t *input,
                            size_t input_length)
{
    psa_invec in[2] = {[1] = {input, input_length}};
    return op_call(HANDLE(operation), 1, GOES_ON, IPC(.func = CRYPTO_IPC_MAC_UPDATE), in, 2, NULL,
                   0);
}

psa_status_t psa_mac_sign_finish(psa_mac_operation_t *operation, uint8_t *mac, size_t mac_size,
                                 size_t *mac_length)
{
    psa_invec in[1];
    return op_len(HANDLE(operation), ENDS, IPC(.func = CRYPTO_IPC_MAC_SIGN_FINISH), in, 1, mac,
                  mac_size, mac_length);
}

psa_status_t psa_mac_verify_finish(psa_mac_operation_t *operation, const uint8_t *mac,
                                   size_t mac_length)
{
    psa_invec in[2] = {[1] = {mac, mac_length}};
    return op_call(HANDLE(operation), 1, ENDS, IPC(.func = CRYPTO_IPC_MAC_VERIFY_FINISH), in, 2,
                   NULL, 0);
}

psa_status_t psa_mac_abort(psa_mac_operation_t *operation)
{
    return op_abort(HANDLE(operation), CRYPTO_IPC_MAC_ABORT);
}

/* ---- cipher ------------------------------------------------------------------------------ */

psa_status_t psa_cipher_encrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                                size_t input_length, uint8_t *output, size_t output_size,
                                size_t *output_length)
{
    psa_invec in[2] = {[1] = {input, input_length}};
    return call_len(IPC(.func = CRYPTO_IPC_CIPHER_ENCRYPT, .key = key, .alg = alg), in, 2, output,
                    output_size, output_length);
}

psa_status_t psa_cipher_decrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                                size_t input_length, uint8_t *output, size_t output_size,
                                size_t *output_length)
{
    psa_invec in[2] = {[1] = {input, input_length}};
    return call_len(IPC(.func = CRYPTO_IPC_CIPHER_DECRYPT, .key = key, .alg = alg), in, 2, output,
                    output_size, output_length);
}

psa_status_t psa_cipher_encrypt_setup(psa_cipher_operation_t *operation, mbedtls_svc_key_id_t key,
                                      psa_algorithm_t alg)
{
    return setup(HANDLE(operation),
                 IPC(.func = CRYPTO_IPC_CIPHER_ENCRYPT_SETUP, .key = key, .alg = alg));
}

psa_status_t psa_cipher_decrypt_setup(psa_cipher_operation_t *operation, mbedtls_svc_key_id_t key,
                                      psa_algorithm_t alg)
{
    return setup(HANDLE(operation),
                 IPC(.func = CRYPTO_IPC_CIPHER_DECRYPT_SETUP, .key = key, .alg = alg));
}

psa_status_t psa_cipher_generate_iv(psa_cipher_operation_t *operation, uint8_t *iv, size_t iv_size,
                                    size_t *iv_length)
{
    psa_invec in[1];
    return op_len(HANDLE(operation), GOES_ON, IPC(.func = CRYPTO_IPC_CIPHER_GENERATE_IV), in, 1, iv,
                  iv_size, iv_length);
}

psa_status_t psa_cipher_set_iv(psa_cipher_operation_t *operation, const uint8_t *iv,
                               size_t iv_length)
{
    psa_invec in[2] = {[1] = {iv, iv_length}};
    return op_call(HANDLE(operation), 1, GOES_ON, IPC(.func = CRYPTO_IPC_CIPHER_SET_IV), in, 2,
                   NULL, 0);
}

psa_status_t psa_cipher_update(psa_cipher_operation_t *operation, const uint8_t *input,
                               size_t input_length, uint8_t *output, size_t output_size,
                               size_t *output_length)
{
    psa_invec in[2] = {[1] = {input, input_length}};
    return op_len(HANDLE(operation), GOES_ON, IPC(.func = CRYPTO_IPC_CIPHER_UPDATE), in, 2, output,
                  output_size, output_length);
}

psa_status_t psa_cipher_finish(psa_cipher_operation_t *operation, uint8_t *output,
                               size_t output_size, size_t *output_length)
{
    psa_invec in[1];
    return op_len(HANDLE(operation), ENDS, IPC(.func = CRYPTO_IPC_CIPHER_FINISH), in, 1, output,
                  output_size, output_length);
}

psa_status_t psa_cipher_abort(psa_cipher_operation_t *operation)
{
    return op_abort(HANDLE(operation), CRYPTO_IPC_CIPHER_ABORT);
}

/* ---- AEAD -------------------------------------------------------------------------------- */

/* The one-shot AEAD functions: the nonce rides in the call (see crypto_ipc.h). */
static psa_status_t aead_one_shot(uint16_t func, mbedtls_svc_key_id_t key, psa_algorithm_t alg,
                                  const uint8_t *nonce, size_t nonce_length, const uint8_t *ad,
                                  size_t ad_length, const uint8_t *input, size_t input_length,
                                  uint8_t *output, size_t output_size, size_t *output_length)
{
    if (nonce_length > CRYPTO_IPC_NONCE_MAX || bad(nonce, nonce_length)) {
        if (output_length != NULL) {
            *output_length = 0u;
        }
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    struct crypto_ipc_call c = {
        .func = func, .step = (uint16_t)nonce_length, .key = key, .alg = alg};
    uint8_t bytes[CRYPTO_IPC_NONCE_MAX] = {0};
    if (nonce_length > 0u) {
        memcpy(bytes, nonce, nonce_length);
    }
    memcpy(&c.n0, bytes, sizeof(c.n0));
    memcpy(&c.n1, bytes + sizeof(c.n0), sizeof(c.n1));
    psa_invec in[3] = {[1] = {ad, ad_length}, {input, input_length}};
    return call_len(c, in, 3, output, output_size, output_length);
}

psa_status_t psa_aead_encrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *nonce,
                              size_t nonce_length, const uint8_t *additional_data,
                              size_t additional_data_length, const uint8_t *plaintext,
                              size_t plaintext_length, uint8_t *ciphertext, size_t ciphertext_size,
                              size_t *ciphertext_length)
{
    return aead_one_shot(CRYPTO_IPC_AEAD_ENCRYPT, key, alg, nonce, nonce_length, additional_data,
                         additional_data_length, plaintext, plaintext_length, ciphertext,
                         ciphertext_size, ciphertext_length);
}

psa_status_t psa_aead_decrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *nonce,
                              size_t nonce_length, const uint8_t *additional_data,
                              size_t additional_data_length, const uint8_t *ciphertext,
                              size_t ciphertext_length, uint8_t *plaintext, size_t plaintext_size,
                              size_t *plaintext_length)
{
    return aead_one_shot(CRYPTO_IPC_AEAD_DECRYPT, key, alg, nonce, nonce_length, additional_data,
                         additional_data_length, ciphertext, ciphertext_length, plaintext,
                         plaintext_size, plaintext_length);
}

psa_status_t psa_aead_encrypt_setup(psa_aead_operation_t *operation, mbedtls_svc_key_id_t key,
                                    psa_algorithm_t alg)
{
    return setup(HANDLE(operation),
                 IPC(.func = CRYPTO_IPC_AEAD_ENCRYPT_SETUP, .key = key, .alg = alg));
}

psa_status_t psa_aead_decrypt_setup(psa_aead_operation_t *operation, mbedtls_svc_key_id_t key,
                                    psa_algorithm_t alg)
{
    return setup(HANDLE(operation),
                 IPC(.func = CRYPTO_IPC_AEAD_DECRYPT_SETUP, .key = key, .alg = alg));
}

psa_status_t psa_aead_generate_nonce(psa_aead_operation_t *operation, uint8_t *nonce,
                                     size_t nonce_size, size_t *nonce_length)
{
    psa_invec in[1];
    return op_len(HANDLE(operation), GOES_ON, IPC(.func = CRYPTO_IPC_AEAD_GENERATE_NONCE), in, 1,
                  nonce, nonce_size, nonce_length);
}

psa_status_t psa_aead_set_nonce(psa_aead_operation_t *operation, const uint8_t *nonce,
                                size_t nonce_length)
{
    psa_invec in[2] = {[1] = {nonce, nonce_length}};
    return op_call(HANDLE(operation), 1, GOES_ON, IPC(.func = CRYPTO_IPC_AEAD_SET_NONCE), in, 2,
                   NULL, 0);
}

psa_status_t psa_aead_set_lengths(psa_aead_operation_t *operation, size_t ad_length,
                                  size_t plaintext_length)
{
    psa_invec in[1];
    return op_call(
        HANDLE(operation), 1, GOES_ON,
        IPC(.func = CRYPTO_IPC_AEAD_SET_LENGTHS, .n0 = ad_length, .n1 = plaintext_length), in, 1,
        NULL, 0);
}

psa_status_t psa_aead_update_ad(psa_aead_operation_t *operation, const uint8_t *input,
                                size_t input_length)
{
    psa_invec in[2] = {[1] = {input, input_length}};
    return op_call(HANDLE(operation), 1, GOES_ON, IPC(.func = CRYPTO_IPC_AEAD_UPDATE_AD), in, 2,
                   NULL, 0);
}

psa_status_t psa_aead_update(psa_aead_operation_t *operation, const uint8_t *input,
                             size_t input_length, uint8_t *output, size_t output_size,
                             size_t *output_length)
{
    psa_invec in[2] = {[1] = {input, input_length}};
    return op_len(HANDLE(operation), GOES_ON, IPC(.func = CRYPTO_IPC_AEAD_UPDATE), in, 2, output,
                  output_size, output_length);
}

psa_status_t psa_aead_finish(psa_aead_operation_t *operation, uint8_t *ciphertext,
                             size_t ciphertext_size, size_t *ciphertext_length, uint8_t *tag,
                             size_t tag_size, size_t *tag_length)
{
    psa_invec in[1];
    psa_outvec out[2] = {{ciphertext, ciphertext_size}, {tag, tag_size}};
    psa_status_t status =
        op_call(HANDLE(operation), ciphertext_length != NULL && tag_length != NULL, ENDS,
                IPC(.func = CRYPTO_IPC_AEAD_FINISH), in, 1, out, 2);
    if (ciphertext_length != NULL) {
        *ciphertext_length = status == PSA_SUCCESS ? out[0].len : 0u;
    }
    if (tag_length != NULL) {
        *tag_length = status == PSA_SUCCESS ? out[1].len : 0u;
    }
    return status;
}

psa_status_t psa_aead_verify(psa_aead_operation_t *operation, uint8_t *plaintext,
                             size_t plaintext_size, size_t *plaintext_length, const uint8_t *tag,
                             size_t tag_length)
{
    psa_invec in[2] = {[1] = {tag, tag_length}};
    return op_len(HANDLE(operation), ENDS, IPC(.func = CRYPTO_IPC_AEAD_VERIFY), in, 2, plaintext,
                  plaintext_size, plaintext_length);
}

psa_status_t psa_aead_abort(psa_aead_operation_t *operation)
{
    return op_abort(HANDLE(operation), CRYPTO_IPC_AEAD_ABORT);
}

/* ---- asymmetric -------------------------------------------------------------------------- */

psa_status_t psa_sign_message(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                              size_t input_length, uint8_t *signature, size_t signature_size,
                              size_t *signature_length)
{
    psa_invec in[2] = {[1] = {input, input_length}};
    return call_len(IPC(.func = CRYPTO_IPC_SIGN_MESSAGE, .key = key, .alg = alg), in, 2, signature,
                    signature_size, signature_length);
}

psa_status_t psa_verify_message(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                                size_t input_length, const uint8_t *signature,
                                size_t signature_length)
{
    psa_invec in[3] = {[1] = {input, input_length}, {signature, signature_length}};
    return call(IPC(.func = CRYPTO_IPC_VERIFY_MESSAGE, .key = key, .alg = alg), in, 3, NULL, 0);
}

psa_status_t psa_sign_hash(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *hash,
                           size_t hash_length, uint8_t *signature, size_t signature_size,
                           size_t *signature_length)
{
    psa_invec in[2] = {[1] = {hash, hash_length}};
    return call_len(IPC(.func = CRYPTO_IPC_SIGN_HASH, .key = key, .alg = alg), in, 2, signature,
                    signature_size, signature_length);
}

psa_status_t psa_verify_hash(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *hash,
                             size_t hash_length, const uint8_t *signature, size_t signature_length)
{
    psa_invec in[3] = {[1] = {hash, hash_length}, {signature, signature_length}};
    return call(IPC(.func = CRYPTO_IPC_VERIFY_HASH, .key = key, .alg = alg), in, 3, NULL, 0);
}

psa_status_t psa_asymmetric_encrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg,
                                    const uint8_t *input, size_t input_length, const uint8_t *salt,
                                    size_t salt_length, uint8_t *output, size_t output_size,
                                    size_t *output_length)
{
    psa_invec in[3] = {[1] = {input, input_length}, {salt, salt_length}};
    return call_len(IPC(.func = CRYPTO_IPC_ASYMMETRIC_ENCRYPT, .key = key, .alg = alg), in, 3,
                    output, output_size, output_length);
}

psa_status_t psa_asymmetric_decrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg,
                                    const uint8_t *input, size_t input_length, const uint8_t *salt,
                                    size_t salt_length, uint8_t *output, size_t output_size,
                                    size_t *output_length)
{
    psa_invec in[3] = {[1] = {input, input_length}, {salt, salt_length}};
    return call_len(IPC(.func = CRYPTO_IPC_ASYMMETRIC_DECRYPT, .key = key, .alg = alg), in, 3,
                    output, output_size, output_length);
}

/* ---- key derivation and agreement -------------------------------------------------------- */

psa_status_t psa_key_derivation_setup(psa_key_derivation_operation_t *operation,
                                      psa_algorithm_t alg)
{
    return setup(HANDLE(operation), IPC(.func = CRYPTO_IPC_KEY_DERIVATION_SETUP, .alg = alg));
}

/* The operation is const here, so it is never aborted nor forgotten: the service keeps it. */
psa_status_t psa_key_derivation_get_capacity(const psa_key_derivation_operation_t *operation,
                                             size_t *capacity)
{
    if (operation == NULL || capacity == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    uint64_t n = 0;
    psa_invec in[1];
    psa_outvec out[1] = {{&n, sizeof(n)}};
    psa_status_t status =
        raw_call(IPC(.func = CRYPTO_IPC_KEY_DERIVATION_GET_CAPACITY, .handle = operation->handle),
                 in, 1, out, 1);
    *capacity = status != PSA_SUCCESS ? 0u : (size_t)n == n ? (size_t)n : SIZE_MAX;
    return status;
}

psa_status_t psa_key_derivation_set_capacity(psa_key_derivation_operation_t *operation,
                                             size_t capacity)
{
    psa_invec in[1];
    return op_call(HANDLE(operation), 1, GOES_ON,
                   IPC(.func = CRYPTO_IPC_KEY_DERIVATION_SET_CAPACITY, .n0 = capacity), in, 1, NULL,
                   0);
}

psa_status_t psa_key_derivation_input_bytes(psa_key_derivation_operation_t *operation,
                                            psa_key_derivation_step_t step, const uint8_t *data,
                                            size_t data_length)
{
    psa_invec in[2] = {[1] = {data, data_length}};
    return op_call(HANDLE(operation), 1, GOES_ON,
                   IPC(.func = CRYPTO_IPC_KEY_DERIVATION_INPUT_BYTES, .step = step), in, 2, NULL,
                   0);
}

psa_status_t psa_key_derivation_input_integer(psa_key_derivation_operation_t *operation,
                                              psa_key_derivation_step_t step, uint64_t value)
{
    psa_invec in[1];
    return op_call(HANDLE(operation), 1, GOES_ON,
                   IPC(.func = CRYPTO_IPC_KEY_DERIVATION_INPUT_INTEGER, .step = step, .n0 = value),
                   in, 1, NULL, 0);
}

psa_status_t psa_key_derivation_input_key(psa_key_derivation_operation_t *operation,
                                          psa_key_derivation_step_t step, mbedtls_svc_key_id_t key)
{
    psa_invec in[1];
    return op_call(HANDLE(operation), 1, GOES_ON,
                   IPC(.func = CRYPTO_IPC_KEY_DERIVATION_INPUT_KEY, .step = step, .key = key), in,
                   1, NULL, 0);
}

psa_status_t psa_key_derivation_key_agreement(psa_key_derivation_operation_t *operation,
                                              psa_key_derivation_step_t step,
                                              mbedtls_svc_key_id_t private_key,
                                              const uint8_t *peer_key, size_t peer_key_length)
{
    psa_invec in[2] = {[1] = {peer_key, peer_key_length}};
    return op_call(
        HANDLE(operation), 1, GOES_ON,
        IPC(.func = CRYPTO_IPC_KEY_DERIVATION_KEY_AGREEMENT, .step = step, .key = private_key), in,
        2, NULL, 0);
}

psa_status_t psa_key_derivation_output_bytes(psa_key_derivation_operation_t *operation,
                                             uint8_t *output, size_t output_length)
{
    psa_invec in[1];
    psa_outvec out[1] = {{output, output_length}};
    return op_call(HANDLE(operation), 1, GOES_ON,
                   IPC(.func = CRYPTO_IPC_KEY_DERIVATION_OUTPUT_BYTES), in, 1, out, 1);
}

psa_status_t psa_key_derivation_output_key_custom(const psa_key_attributes_t *attributes,
                                                  psa_key_derivation_operation_t *operation,
                                                  const psa_custom_key_parameters_t *custom,
                                                  const uint8_t *custom_data,
                                                  size_t custom_data_length,
                                                  mbedtls_svc_key_id_t *key)
{
    struct crypto_ipc_attr w = {0};
    if (attributes != NULL) {
        w = crypto_ipc_attr_of(attributes);
    }
    const uint32_t flags = custom != NULL ? custom->flags : 0u;
    psa_key_id_t id = PSA_KEY_ID_NULL;
    psa_invec in[3] = {[1] = {&w, sizeof(w)}, {custom_data, custom_data_length}};
    psa_outvec out[1] = {{&id, sizeof(id)}};
    psa_status_t status = op_call(
        HANDLE(operation), attributes != NULL && custom != NULL && key != NULL, GOES_ON,
        IPC(.func = CRYPTO_IPC_KEY_DERIVATION_OUTPUT_KEY_CUSTOM, .n0 = flags), in, 3, out, 1);
    if (key != NULL) {
        *key = status == PSA_SUCCESS ? id : PSA_KEY_ID_NULL;
    }
    return status;
}

psa_status_t psa_key_derivation_output_key_ext(const psa_key_attributes_t *attributes,
                                               psa_key_derivation_operation_t *operation,
                                               const psa_key_production_parameters_t *params,
                                               size_t params_data_length, mbedtls_svc_key_id_t *key)
{
    if (params == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    const psa_custom_key_parameters_t custom = {.flags = params->flags};
    return psa_key_derivation_output_key_custom(attributes, operation, &custom, params->data,
                                                params_data_length, key);
}

psa_status_t psa_key_derivation_output_key(const psa_key_attributes_t *attributes,
                                           psa_key_derivation_operation_t *operation,
                                           mbedtls_svc_key_id_t *key)
{
    struct crypto_ipc_attr w = {0};
    if (attributes != NULL) {
        w = crypto_ipc_attr_of(attributes);
    }
    psa_key_id_t id = PSA_KEY_ID_NULL;
    psa_invec in[2] = {[1] = {&w, sizeof(w)}};
    psa_outvec out[1] = {{&id, sizeof(id)}};
    psa_status_t status = op_call(HANDLE(operation), attributes != NULL && key != NULL, GOES_ON,
                                  IPC(.func = CRYPTO_IPC_KEY_DERIVATION_OUTPUT_KEY), in, 2, out, 1);
    if (key != NULL) {
        *key = status == PSA_SUCCESS ? id : PSA_KEY_ID_NULL;
    }
    return status;
}

psa_status_t psa_key_derivation_verify_bytes(psa_key_derivation_operation_t *operation,
                                             const uint8_t *expected, size_t expected_length)
{
    psa_invec in[2] = {[1] = {expected, expected_length}};
    return op_call(HANDLE(operation), 1, GOES_ON,
                   IPC(.func = CRYPTO_IPC_KEY_DERIVATION_VERIFY_BYTES), in, 2, NULL, 0);
}

psa_status_t psa_key_derivation_verify_key(psa_key_derivation_operation_t *operation,
                                           psa_key_id_t expected)
{
    psa_invec in[1];
    return op_call(HANDLE(operation), 1, GOES_ON,
                   IPC(.func = CRYPTO_IPC_KEY_DERIVATION_VERIFY_KEY, .key = expected), in, 1, NULL,
                   0);
}

psa_status_t psa_key_derivation_abort(psa_key_derivation_operation_t *operation)
{
    return op_abort(HANDLE(operation), CRYPTO_IPC_KEY_DERIVATION_ABORT);
}

psa_status_t psa_raw_key_agreement(psa_algorithm_t alg, mbedtls_svc_key_id_t private_key,
                                   const uint8_t *peer_key, size_t peer_key_length, uint8_t *output,
                                   size_t output_size, size_t *output_length)
{
    psa_invec in[2] = {[1] = {peer_key, peer_key_length}};
    return call_len(IPC(.func = CRYPTO_IPC_RAW_KEY_AGREEMENT, .key = private_key, .alg = alg), in,
                    2, output, output_size, output_length);
}

/* ---- random ------------------------------------------------------------------------------ */

psa_status_t psa_generate_random(uint8_t *output, size_t output_size)
{
    psa_invec in[1];
    psa_outvec out[1] = {{output, output_size}};
    return call(IPC(.func = CRYPTO_IPC_GENERATE_RANDOM), in, 1, out, 1);
}

/* ---- interruptible sign and verify (ECDSA in slices) ------------------------------------- */

/* The handle of an interruptible operation object that was never started and whose complete
 * failed. Mbed TLS leaves such an object in an error state in which a start and a complete
 * answer BAD_STATE until an abort (its error_occurred flag); the service holds no slot for an
 * object that never started, so the object itself remembers it. No operation has this handle:
 * an operation's handle has its slot's number plus one in its low byte (crypto_partition.c). */
#define IOP_FAILED 0x100u

static bool iop_failed(const uint32_t *h)
{
    return h != NULL && *h == IOP_FAILED;
}

/* After the service's complete of the object whose handle was `before`, now *h. */
static psa_status_t iop_completed(uint32_t *h, uint32_t before, psa_status_t status)
{
    if (h != NULL && before == 0u && status == PSA_ERROR_BAD_STATE) {
        *h = IOP_FAILED;
    }
    return status;
}

/* A start: refused on an object left in the error state (IOP_FAILED), as Mbed TLS refuses it. */
static psa_status_t iop_start(uint32_t *h, struct crypto_ipc_call c, psa_invec *in, size_t n_in)
{
    return iop_failed(h) ? PSA_ERROR_BAD_STATE : setup_with(h, c, 0, in, n_in);
}

/* An abort: the error state is the object's own, so it ends here. */
static psa_status_t iop_abort(uint32_t *h, uint16_t func)
{
    if (iop_failed(h)) {
        *h = 0u;
        return PSA_SUCCESS;
    }
    return op_abort(h, func);
}

void psa_interruptible_set_max_ops(uint32_t max_ops)
{
    psa_invec in[1];
    (void)raw_call(IPC(.func = CRYPTO_IPC_INTERRUPTIBLE_SET_MAX_OPS, .n0 = max_ops), in, 1, NULL,
                   0);
}

/* The caller's own setting (each client has one); UNLIMITED if the service cannot say. */
uint32_t psa_interruptible_get_max_ops(void)
{
    uint32_t n = PSA_INTERRUPTIBLE_MAX_OPS_UNLIMITED;
    psa_invec in[1];
    psa_outvec out[1] = {{&n, sizeof(n)}};
    psa_status_t status =
        raw_call(IPC(.func = CRYPTO_IPC_INTERRUPTIBLE_GET_MAX_OPS), in, 1, out, 1);
    return status == PSA_SUCCESS ? n : PSA_INTERRUPTIBLE_MAX_OPS_UNLIMITED;
}

static uint32_t num_ops(uint32_t handle, uint16_t func)
{
    uint32_t n = 0;
    psa_invec in[1];
    psa_outvec out[1] = {{&n, sizeof(n)}};
    psa_status_t status = raw_call(IPC(.func = func, .handle = handle), in, 1, out, 1);
    return status == PSA_SUCCESS ? n : 0u;
}

/* An object in the error state has done no operations (Mbed TLS's count is cleared only by an
 * abort, and a never-started object has none). */
uint32_t psa_sign_hash_get_num_ops(const psa_sign_hash_interruptible_operation_t *operation)
{
    return operation != NULL && operation->handle != IOP_FAILED
               ? num_ops(operation->handle, CRYPTO_IPC_SIGN_HASH_GET_NUM_OPS)
               : 0u;
}

uint32_t psa_verify_hash_get_num_ops(const psa_verify_hash_interruptible_operation_t *operation)
{
    return operation != NULL && operation->handle != IOP_FAILED
               ? num_ops(operation->handle, CRYPTO_IPC_VERIFY_HASH_GET_NUM_OPS)
               : 0u;
}

psa_status_t psa_sign_hash_start(psa_sign_hash_interruptible_operation_t *operation,
                                 mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *hash,
                                 size_t hash_length)
{
    psa_invec in[2] = {[1] = {hash, hash_length}};
    return iop_start(HANDLE(operation),
                     IPC(.func = CRYPTO_IPC_SIGN_HASH_START, .key = key, .alg = alg), in, 2);
}

psa_status_t psa_sign_hash_complete(psa_sign_hash_interruptible_operation_t *operation,
                                    uint8_t *signature, size_t signature_size,
                                    size_t *signature_length)
{
    uint32_t *h = HANDLE(operation);
    if (iop_failed(h)) {
        if (signature_length != NULL) {
            *signature_length = 0;
        }
        return PSA_ERROR_BAD_STATE;
    }
    const uint32_t before = h != NULL ? *h : 0u;
    psa_invec in[1];
    /* Not the end of it: a completed operation still tells its number of operations, until it
     * is aborted or started again. */
    return iop_completed(h, before,
                         op_len(h, GOES_ON, IPC(.func = CRYPTO_IPC_SIGN_HASH_COMPLETE), in, 1,
                                signature, signature_size, signature_length));
}

psa_status_t psa_sign_hash_abort(psa_sign_hash_interruptible_operation_t *operation)
{
    return iop_abort(HANDLE(operation), CRYPTO_IPC_SIGN_HASH_ABORT);
}

psa_status_t psa_verify_hash_start(psa_verify_hash_interruptible_operation_t *operation,
                                   mbedtls_svc_key_id_t key, psa_algorithm_t alg,
                                   const uint8_t *hash, size_t hash_length,
                                   const uint8_t *signature, size_t signature_length)
{
    psa_invec in[3] = {[1] = {hash, hash_length}, {signature, signature_length}};
    return iop_start(HANDLE(operation),
                     IPC(.func = CRYPTO_IPC_VERIFY_HASH_START, .key = key, .alg = alg), in, 3);
}

psa_status_t psa_verify_hash_complete(psa_verify_hash_interruptible_operation_t *operation)
{
    uint32_t *h = HANDLE(operation);
    if (iop_failed(h)) {
        return PSA_ERROR_BAD_STATE;
    }
    const uint32_t before = h != NULL ? *h : 0u;
    psa_invec in[1];
    return iop_completed(
        h, before,
        op_call(h, 1, GOES_ON, IPC(.func = CRYPTO_IPC_VERIFY_HASH_COMPLETE), in, 1, NULL, 0));
}

psa_status_t psa_verify_hash_abort(psa_verify_hash_interruptible_operation_t *operation)
{
    return iop_abort(HANDLE(operation), CRYPTO_IPC_VERIFY_HASH_ABORT);
}
