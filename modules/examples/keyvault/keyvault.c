/*
 * keyvault.c: the KEYVAULT example module (keyvault.json; its clients use keyvault.h). Built
 * out of the tree with the SMDK alone (Makefile): position independent, loaded by the SM from
 * whichever module slot it is installed in, isolated at PSA level 3.
 *
 * Its key is the persistent key KEYVAULT_KEY_ID of the crypto service, owned by this module
 * (the service keys every client's keys by its partition id: no other client, NS or another
 * module using the same id, reaches it), made at first use: ECDSA P-256 with SHA-256, usage
 * SIGN_HASH only, so the private key can never be exported, not even by this module. Its
 * signature count is its ITS asset KEYVAULT_COUNT_UID, in its own ITS namespace.
 *
 * Every request is checked before anything is done: its type, the hash's exact length, room
 * for the answer. The same source builds for the board and, as an in-process partition of the
 * SMAK for Linux, for a PC (ns/Makefile, TARGET=host).
 */
#include <stddef.h>
#include <stdint.h>

#include "keyvault.h"
#include "psa/crypto.h"
#include "psa/internal_trusted_storage.h"
#include "psa/service.h"
#include "psa_manifest/keyvault.h"
#include "sm/sm_service.h"
#include "sm_trace.h"

_Static_assert(KEYVAULT_SERVICE_HANDLE == KEYVAULT_HANDLE && KEYVAULT_SERVICE_SID == KEYVAULT_SID,
               "keyvault.json and keyvault.h name the same service");

#define KEYVAULT_KEY_ID    ((psa_key_id_t)1)
#define KEYVAULT_COUNT_UID ((psa_storage_uid_t)1)

/* The key, made if this device has none yet (the crypto service answers INVALID_HANDLE for a
 * key id this module owns no key under). */
static psa_status_t key_ready(void)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_status_t st = psa_get_key_attributes(KEYVAULT_KEY_ID, &a);
    psa_reset_key_attributes(&a);
    if (st != PSA_ERROR_INVALID_HANDLE) {
        return st;
    }
    psa_set_key_id(&a, KEYVAULT_KEY_ID); /* persistent */
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    psa_key_id_t id = PSA_KEY_ID_NULL;
    st = psa_generate_key(&a, &id);
    /* A development SM prints it on its console; the product SM has no trace path. */
    (void)sm_trace(st == PSA_SUCCESS ? "made its key" : "could not make its key");
    return st;
}

static psa_status_t count(uint32_t *n)
{
    size_t len = 0;
    psa_status_t st = psa_its_get(KEYVAULT_COUNT_UID, 0, sizeof(*n), n, &len);
    if (st == PSA_ERROR_DOES_NOT_EXIST) {
        *n = 0;
        return PSA_SUCCESS;
    }
    return st == PSA_SUCCESS && len != sizeof(*n) ? PSA_ERROR_DATA_CORRUPT : st;
}

static psa_status_t public_key(const psa_msg_t *msg)
{
    uint8_t key[KEYVAULT_PUBLIC_KEY_SIZE];
    size_t len = 0;
    if (msg->out_size[0] < sizeof(key)) {
        return PSA_ERROR_BUFFER_TOO_SMALL;
    }
    psa_status_t st = key_ready();
    if (st == PSA_SUCCESS) {
        st = psa_export_public_key(KEYVAULT_KEY_ID, key, sizeof(key), &len);
    }
    if (st == PSA_SUCCESS) {
        psa_write(msg->handle, 0, key, len);
    }
    return st;
}

static psa_status_t sign(const psa_msg_t *msg)
{
    uint8_t hash[KEYVAULT_HASH_SIZE], sig[KEYVAULT_SIGNATURE_SIZE];
    size_t len = 0;
    uint32_t n = 0;
    if (msg->in_size[0] != sizeof(hash) || msg->in_size[1] != 0u) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    if (msg->out_size[0] < sizeof(sig)) {
        return PSA_ERROR_BUFFER_TOO_SMALL;
    }
    if (psa_read(msg->handle, 0, hash, sizeof(hash)) != sizeof(hash)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    psa_status_t st = key_ready();
    if (st == PSA_SUCCESS) {
        st = count(&n);
    }
    if (st == PSA_SUCCESS) {
        st = psa_sign_hash(KEYVAULT_KEY_ID, PSA_ALG_ECDSA(PSA_ALG_SHA_256), hash, sizeof(hash), sig,
                           sizeof(sig), &len);
    }
    if (st == PSA_SUCCESS) {
        n++; /* counted before it is given out */
        st = psa_its_set(KEYVAULT_COUNT_UID, sizeof(n), &n, PSA_STORAGE_FLAG_NONE);
    }
    if (st == PSA_SUCCESS) {
        psa_write(msg->handle, 0, sig, len);
    }
    return st;
}

static psa_status_t serve(const psa_msg_t *msg)
{
    switch (msg->type) {
    case KEYVAULT_PUBLIC_KEY:
        return public_key(msg);
    case KEYVAULT_SIGN:
        return sign(msg);
    case KEYVAULT_COUNT: {
        uint32_t n = 0;
        if (msg->out_size[0] < sizeof(n)) {
            return PSA_ERROR_BUFFER_TOO_SMALL;
        }
        psa_status_t st = count(&n);
        if (st == PSA_SUCCESS) {
            psa_write(msg->handle, 0, &n, sizeof(n));
        }
        return st;
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void keyvault_main(void)
{
    psa_status_t ready = psa_crypto_init();
    /* Each reply, the next wait and its psa_get are one kernel entry (sm/sm_service.h's
     * sm_reply_get). It waits for the service's signal alone, so each return holds a message. */
    psa_msg_t msg;
    (void)sm_reply_get(PSA_NULL_HANDLE, PSA_SUCCESS, KEYVAULT_SERVICE_SIGNAL, &msg);
    for (;;) {
        if (ready != PSA_SUCCESS) {
            ready = psa_crypto_init(); /* the crypto service may have come up since */
        }
        (void)sm_reply_get(msg.handle, ready != PSA_SUCCESS ? ready : serve(&msg),
                           KEYVAULT_SERVICE_SIGNAL, &msg);
    }
}
