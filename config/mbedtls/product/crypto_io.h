/*
 * crypto_io.h (product profile): the size of the crypto partition's two data buffers
 * (CRYPTO_IO_SIZE, services/crypto/crypto_partition.c), derived from what the profile keeps
 * (product/psa_want.h) rather than from the full profile's RSA-4096 key pair
 * (docs/design/footprint.md). Each must hold, whole:
 * - the largest key the profile can import, export or take as a peer's (a P-256 public key,
 *   65 bytes: PSA_EXPORT_KEY_PAIR_OR_PUBLIC_MAX_SIZE);
 * - the largest output computed whole (a P-256 signature, 64 bytes, its half of the buffer for
 *   an interruptible verification; a hash, a MAC, a shared secret: 32);
 * - what streaming needs: two of the service's 256-byte chunks in the input buffer (it reads
 *   one ahead), and a chunk's cipher or AEAD output, a chunk and a block, in the output one.
 * The streaming need is the largest, so it is the size. That is also the limit of what must be
 * seen whole: an AEAD decryption's additional data and ciphertext, a message to sign, a key
 * derivation's input, a symmetric key (larger gets PSA_ERROR_INSUFFICIENT_MEMORY, as in the full
 * profile past 2,432 bytes). crypto_partition.c checks at compile time that whatever size it is
 * given holds each of these needs, the streaming one against its own chunk.
 *
 * The size is an expression of PSA's size macros, expanded where it is used (after psa/crypto.h),
 * so this header includes nothing: it is given to the partition with -include
 * (services/crypto/CMakeLists.txt) and to the product's differential test (tests/product).
 */
#ifndef SM_PRODUCT_CRYPTO_IO_H
#define SM_PRODUCT_CRYPTO_IO_H

#define CRYPTO_IO_MAX_(a, b) ((a) > (b) ? (a) : (b))

/* Streaming: CRYPTO_CHUNK (crypto_partition.c) is 256. */
#define CRYPTO_IO_STREAM_CHUNK 256u
#define CRYPTO_IO_STREAM_NEED                                                                      \
    CRYPTO_IO_MAX_(2u * CRYPTO_IO_STREAM_CHUNK,                                                    \
                   CRYPTO_IO_MAX_(PSA_CIPHER_UPDATE_OUTPUT_MAX_SIZE(CRYPTO_IO_STREAM_CHUNK),       \
                                  PSA_AEAD_UPDATE_OUTPUT_MAX_SIZE(CRYPTO_IO_STREAM_CHUNK)))
/* Keys and whole outputs (a signature in half of the buffer). */
#define CRYPTO_IO_KEY_NEED                                                                         \
    CRYPTO_IO_MAX_(PSA_EXPORT_KEY_PAIR_OR_PUBLIC_MAX_SIZE,                                         \
                   CRYPTO_IO_MAX_(2u * PSA_SIGNATURE_MAX_SIZE,                                     \
                                  CRYPTO_IO_MAX_(2u * PSA_HASH_MAX_SIZE,                           \
                                                 PSA_RAW_KEY_AGREEMENT_OUTPUT_MAX_SIZE)))

#define CRYPTO_IO_SIZE CRYPTO_IO_MAX_(CRYPTO_IO_STREAM_NEED, CRYPTO_IO_KEY_NEED)

#endif /* SM_PRODUCT_CRYPTO_IO_H */
