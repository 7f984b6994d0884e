/*
 * crypto_ipc.h: how the PSA Crypto client library (crypto_client.c) talks to the crypto
 * partition (crypto_partition.c). Private to the two; applications use psa/crypto.h.
 *
 * Every PSA Crypto function is one stateless psa_call to CRYPTO_IPC_HANDLE, type 0, with
 * in[0] = struct crypto_ipc_call (func says which function). The rest of the vectors, per
 * function, are listed below: K = call.key, A = call.alg, H = call.handle (a multipart
 * operation's handle), S = call.step, N0/N1 = call.n0/n1. "attr" is struct crypto_ipc_attr.
 * Outputs come back in out vectors; the SM writes the bytes written back into each out_vec
 * len, which the client returns as the function's *_length. A new key id or operation handle
 * comes back in an out vector as a uint32_t.
 *
 *   INIT                     -
 *   IMPORT_KEY               in[1] attr, in[2] data            out[0] key id
 *   GENERATE_KEY             in[1] attr                        out[0] key id
 *   COPY_KEY                 K source, in[1] attr              out[0] key id
 *   EXPORT_KEY, EXPORT_PUBLIC_KEY  K                           out[0] data
 *   DESTROY_KEY, PURGE_KEY   K
 *   GET_KEY_ATTRIBUTES       K                                 out[0] attr
 *   GENERATE_KEY_CUSTOM      N0 flags, in[1] attr, in[2] custom data  out[0] key id
 *   HASH_COMPUTE             A, in[1] input                    out[0] hash
 *   HASH_COMPARE             A, in[1] input, in[2] hash
 *   HASH_SETUP               A                                 out[0] handle
 *   HASH_UPDATE              H, in[1] input
 *   HASH_FINISH              H                                 out[0] hash
 *   HASH_VERIFY              H, in[1] hash
 *   HASH_CLONE               H (source), N0 the target's handle (0: a fresh object)
 *                                                              out[0] handle (the clone)
 *   MAC_COMPUTE              K, A, in[1] input                 out[0] mac
 *   MAC_VERIFY               K, A, in[1] input, in[2] mac
 *   MAC_SIGN_SETUP, MAC_VERIFY_SETUP  K, A                     out[0] handle
 *   MAC_UPDATE               H, in[1] input
 *   MAC_SIGN_FINISH          H                                 out[0] mac
 *   MAC_VERIFY_FINISH        H, in[1] mac
 *   CIPHER_ENCRYPT, CIPHER_DECRYPT  K, A, in[1] input          out[0] output
 *   CIPHER_ENCRYPT_SETUP, CIPHER_DECRYPT_SETUP  K, A           out[0] handle
 *   CIPHER_GENERATE_IV       H                                 out[0] iv
 *   CIPHER_SET_IV            H, in[1] iv
 *   CIPHER_UPDATE            H, in[1] input                    out[0] output
 *   CIPHER_FINISH            H                                 out[0] output
 *   AEAD_ENCRYPT, AEAD_DECRYPT  K, A, nonce in N0 || N1 (its bytes, as in memory), its
 *                            length in S; in[1] additional data, in[2] input  out[0] output
 *                            (a psa_call takes four vectors in all: the nonce rides in the call)
 *   AEAD_ENCRYPT_SETUP, AEAD_DECRYPT_SETUP  K, A               out[0] handle
 *   AEAD_GENERATE_NONCE      H                                 out[0] nonce
 *   AEAD_SET_NONCE           H, in[1] nonce
 *   AEAD_SET_LENGTHS         H, N0 additional data length, N1 plaintext length
 *   AEAD_UPDATE_AD           H, in[1] additional data
 *   AEAD_UPDATE              H, in[1] input                    out[0] output
 *   AEAD_FINISH              H                                 out[0] ciphertext, out[1] tag
 *   AEAD_VERIFY              H, in[1] tag                      out[0] plaintext
 *   SIGN_MESSAGE, SIGN_HASH  K, A, in[1] input                 out[0] signature
 *   VERIFY_MESSAGE, VERIFY_HASH  K, A, in[1] input, in[2] signature
 *   ASYMMETRIC_ENCRYPT, ASYMMETRIC_DECRYPT  K, A, in[1] input, in[2] salt
 *                                                              out[0] output
 *   KEY_DERIVATION_SETUP     A                                 out[0] handle
 *   KEY_DERIVATION_GET_CAPACITY  H                             out[0] uint64_t capacity
 *   KEY_DERIVATION_SET_CAPACITY  H, N0 capacity
 *   KEY_DERIVATION_INPUT_BYTES   H, S, in[1] data
 *   KEY_DERIVATION_INPUT_INTEGER H, S, N0 value
 *   KEY_DERIVATION_INPUT_KEY     H, S, K
 *   KEY_DERIVATION_KEY_AGREEMENT H, S, K private key, in[1] peer key
 *   KEY_DERIVATION_OUTPUT_BYTES  H                             out[0] output
 *   KEY_DERIVATION_OUTPUT_KEY    H, in[1] attr                 out[0] key id
 *   KEY_DERIVATION_VERIFY_BYTES  H, in[1] expected
 *   KEY_DERIVATION_VERIFY_KEY    H, K expected
 *   KEY_DERIVATION_OUTPUT_KEY_CUSTOM  H, N0 flags, in[1] attr, in[2] custom data
 *                                                              out[0] key id
 *   RAW_KEY_AGREEMENT        K private key, A, in[1] peer key  out[0] output
 *   GENERATE_RANDOM          -                                 out[0] output
 *   SIGN_HASH_START          H, K, A, in[1] hash               out[0] handle
 *   SIGN_HASH_COMPLETE       H                                 out[0] signature
 *   VERIFY_HASH_START        H, K, A, in[1] hash, in[2] signature  out[0] handle
 *   VERIFY_HASH_COMPLETE     H
 *   SIGN_HASH_GET_NUM_OPS, VERIFY_HASH_GET_NUM_OPS  H          out[0] uint32_t
 *   INTERRUPTIBLE_SET_MAX_OPS  N0 (the caller's own setting)
 *   INTERRUPTIBLE_GET_MAX_OPS  -                               out[0] uint32_t
 *   *_ABORT                  H
 *
 * Operation handles: 0 is a fresh operation object. A setup (*_SETUP, HASH_CLONE's target)
 * on the handle of the caller's live operation of that kind is Mbed TLS's setup on that
 * operation, whatever its state; on 0, or a handle that names nothing any more, it takes a new
 * slot. Its handle comes back in out[0] when it succeeds. The service frees an operation's
 * slot when it is aborted and whenever Mbed TLS leaves it inactive (a finish, a verify, a
 * failure that ends it); the client forgets its handle on an abort and on a finish or verify
 * that succeeds. A call on a handle that names none of the caller's operations of that kind
 * gets PSA_ERROR_BAD_STATE, as an inactive operation does (an abort of one succeeds).
 */
#ifndef CRYPTO_IPC_H
#define CRYPTO_IPC_H

#include <stdint.h>

#include "psa/client.h"
#include "psa/crypto.h"

/* The service's stateless handle, fixed by its manifest (stateless_handle 9, version 1). */
#define CRYPTO_IPC_HANDLE ((psa_handle_t)0x40000109)

enum crypto_ipc_func {
    CRYPTO_IPC_INIT = 1,
    CRYPTO_IPC_IMPORT_KEY,
    CRYPTO_IPC_GENERATE_KEY,
    CRYPTO_IPC_COPY_KEY,
    CRYPTO_IPC_EXPORT_KEY,
    CRYPTO_IPC_EXPORT_PUBLIC_KEY,
    CRYPTO_IPC_DESTROY_KEY,
    CRYPTO_IPC_PURGE_KEY,
    CRYPTO_IPC_GET_KEY_ATTRIBUTES,
    CRYPTO_IPC_GENERATE_KEY_CUSTOM,
    CRYPTO_IPC_HASH_COMPUTE = 16,
    CRYPTO_IPC_HASH_COMPARE,
    CRYPTO_IPC_HASH_SETUP,
    CRYPTO_IPC_HASH_UPDATE,
    CRYPTO_IPC_HASH_FINISH,
    CRYPTO_IPC_HASH_VERIFY,
    CRYPTO_IPC_HASH_CLONE,
    CRYPTO_IPC_HASH_ABORT,
    CRYPTO_IPC_MAC_COMPUTE = 32,
    CRYPTO_IPC_MAC_VERIFY,
    CRYPTO_IPC_MAC_SIGN_SETUP,
    CRYPTO_IPC_MAC_VERIFY_SETUP,
    CRYPTO_IPC_MAC_UPDATE,
    CRYPTO_IPC_MAC_SIGN_FINISH,
    CRYPTO_IPC_MAC_VERIFY_FINISH,
    CRYPTO_IPC_MAC_ABORT,
    CRYPTO_IPC_CIPHER_ENCRYPT = 48,
    CRYPTO_IPC_CIPHER_DECRYPT,
    CRYPTO_IPC_CIPHER_ENCRYPT_SETUP,
    CRYPTO_IPC_CIPHER_DECRYPT_SETUP,
    CRYPTO_IPC_CIPHER_GENERATE_IV,
    CRYPTO_IPC_CIPHER_SET_IV,
    CRYPTO_IPC_CIPHER_UPDATE,
    CRYPTO_IPC_CIPHER_FINISH,
    CRYPTO_IPC_CIPHER_ABORT,
    CRYPTO_IPC_AEAD_ENCRYPT = 64,
    CRYPTO_IPC_AEAD_DECRYPT,
    CRYPTO_IPC_AEAD_ENCRYPT_SETUP,
    CRYPTO_IPC_AEAD_DECRYPT_SETUP,
    CRYPTO_IPC_AEAD_GENERATE_NONCE,
    CRYPTO_IPC_AEAD_SET_NONCE,
    CRYPTO_IPC_AEAD_SET_LENGTHS,
    CRYPTO_IPC_AEAD_UPDATE_AD,
    CRYPTO_IPC_AEAD_UPDATE,
    CRYPTO_IPC_AEAD_FINISH,
    CRYPTO_IPC_AEAD_VERIFY,
    CRYPTO_IPC_AEAD_ABORT,
    CRYPTO_IPC_SIGN_MESSAGE = 80,
    CRYPTO_IPC_VERIFY_MESSAGE,
    CRYPTO_IPC_SIGN_HASH,
    CRYPTO_IPC_VERIFY_HASH,
    CRYPTO_IPC_ASYMMETRIC_ENCRYPT,
    CRYPTO_IPC_ASYMMETRIC_DECRYPT,
    CRYPTO_IPC_KEY_DERIVATION_SETUP = 96,
    CRYPTO_IPC_KEY_DERIVATION_GET_CAPACITY,
    CRYPTO_IPC_KEY_DERIVATION_SET_CAPACITY,
    CRYPTO_IPC_KEY_DERIVATION_INPUT_BYTES,
    CRYPTO_IPC_KEY_DERIVATION_INPUT_INTEGER,
    CRYPTO_IPC_KEY_DERIVATION_INPUT_KEY,
    CRYPTO_IPC_KEY_DERIVATION_KEY_AGREEMENT,
    CRYPTO_IPC_KEY_DERIVATION_OUTPUT_BYTES,
    CRYPTO_IPC_KEY_DERIVATION_OUTPUT_KEY,
    CRYPTO_IPC_KEY_DERIVATION_VERIFY_BYTES,
    CRYPTO_IPC_KEY_DERIVATION_VERIFY_KEY,
    CRYPTO_IPC_KEY_DERIVATION_ABORT,
    CRYPTO_IPC_KEY_DERIVATION_OUTPUT_KEY_CUSTOM,
    CRYPTO_IPC_RAW_KEY_AGREEMENT = 112,
    CRYPTO_IPC_GENERATE_RANDOM,
    CRYPTO_IPC_SIGN_HASH_START = 128,
    CRYPTO_IPC_SIGN_HASH_COMPLETE,
    CRYPTO_IPC_SIGN_HASH_GET_NUM_OPS,
    CRYPTO_IPC_SIGN_HASH_ABORT,
    CRYPTO_IPC_VERIFY_HASH_START = 136,
    CRYPTO_IPC_VERIFY_HASH_COMPLETE,
    CRYPTO_IPC_VERIFY_HASH_GET_NUM_OPS,
    CRYPTO_IPC_VERIFY_HASH_ABORT,
    CRYPTO_IPC_INTERRUPTIBLE_SET_MAX_OPS = 144,
    CRYPTO_IPC_INTERRUPTIBLE_GET_MAX_OPS,
};

struct crypto_ipc_call {
    uint16_t func; /* enum crypto_ipc_func */
    uint16_t step; /* psa_key_derivation_step_t; AEAD one-shot: the nonce's length */
    uint32_t handle;
    uint32_t key; /* psa_key_id_t, in the caller's namespace */
    uint32_t alg; /* psa_algorithm_t */
    uint64_t n0, n1;
};
#define CRYPTO_IPC_NONCE_MAX 16u /* the bytes of n0 and n1 */

/* Key attributes as they cross: the client's psa_key_attributes_t and the service's differ
 * (the service's key ids carry the owner). */
struct crypto_ipc_attr {
    uint16_t type; /* psa_key_type_t */
    uint16_t bits;
    uint32_t lifetime;
    uint32_t usage;
    uint32_t alg;
    uint32_t alg2; /* Mbed TLS's enrollment algorithm */
    uint32_t id;
};

/* A key's attributes as they cross, from either side's psa_key_attributes_t (the key id
 * without its owner, if it has one). */
static inline struct crypto_ipc_attr crypto_ipc_attr_of(const psa_key_attributes_t *a)
{
    struct crypto_ipc_attr w = {
        .type = psa_get_key_type(a),
        .bits = (uint16_t)psa_get_key_bits(a),
        .lifetime = psa_get_key_lifetime(a),
        .usage = psa_get_key_usage_flags(a),
        .alg = psa_get_key_algorithm(a),
        .alg2 = psa_get_key_enrollment_algorithm(a),
        .id = MBEDTLS_SVC_KEY_ID_GET_KEY_ID(psa_get_key_id(a)),
    };
    return w;
}

#endif /* CRYPTO_IPC_H */
