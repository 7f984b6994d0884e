/*
 * fuzz_token_crypto.h: the token harness's signing and independent signature check, over the
 * host Mbed TLS's PSA API (kept in their own file: the harness includes the SM's PSA headers).
 *
 * Contract: fuzz_token_crypto_init imports the fixed test key once; fuzz_token_sign makes a
 * deterministic ECDSA P-256 signature (r || s) of SHA-256(tbs), so runs repeat;
 * fuzz_token_check rebuilds the COSE Sig_structure itself from the three parts and checks the
 * signature with Mbed TLS: 1 valid, 0 not.
 */
#ifndef FUZZ_TOKEN_CRYPTO_H
#define FUZZ_TOKEN_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

int fuzz_token_crypto_init(uint8_t pub[64]);
int fuzz_token_sign(const void *tbs, size_t len, uint8_t sig[64]);
/* 0x01 || SHA-256(0x04 || pub): the instance id RFC 9783 and the PSA API give a key. */
void fuzz_token_instance_id(const uint8_t pub[64], uint8_t ueid[33]);
int fuzz_token_check(const uint8_t *prot, size_t prot_len, const uint8_t *payload,
                     size_t payload_len, const uint8_t sig[64]);

#endif /* FUZZ_TOKEN_CRYPTO_H */
