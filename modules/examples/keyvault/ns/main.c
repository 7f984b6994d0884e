/*
 * main.c: an NS application calling the KEYVAULT example module (../keyvault.h): it prints
 * the module's public key, has it sign the SHA-256 hash of a message (computed here, with the
 * SM's crypto service) and prints the signature and how many the module has made. Anyone can
 * check the signature with the public key (tests/qemu/keyvault_test.sh does, on the PC).
 *
 * Built like any NS application, with the SMAK (Makefile): for the board, or for Linux
 * (TARGET=host) with the module itself compiled in, as an in-process partition of the SMAK for
 * Linux (the SMDK's host side), so the module's owner tests it on a PC.
 */
#include <stddef.h>
#include <stdint.h>

#include "keyvault.h"
#include "psa/crypto.h"
#include "smak.h"

static const char message[] = "a message for the key vault";

static void hex(const char *what, const uint8_t *p, size_t n)
{
    smak_printf("keyvault: %s ", what);
    for (size_t i = 0; i < n; i++) {
        smak_printf("%02x", p[i]);
    }
    smak_printf("\n");
}

int main(void)
{
    uint8_t key[KEYVAULT_PUBLIC_KEY_SIZE], hash[KEYVAULT_HASH_SIZE], sig[KEYVAULT_SIGNATURE_SIZE];
    size_t key_len = 0, hash_len = 0, sig_len = 0;
    uint32_t count = 0;
    psa_status_t st = psa_crypto_init();
    if (st == PSA_SUCCESS) {
        st = keyvault_public_key(key, sizeof(key), &key_len);
    }
    if (st == PSA_SUCCESS) {
        st = psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)message, sizeof(message) - 1, hash,
                              sizeof(hash), &hash_len);
    }
    if (st == PSA_SUCCESS) {
        st = keyvault_sign(hash, hash_len, sig, sizeof(sig), &sig_len);
    }
    if (st == PSA_SUCCESS) {
        st = keyvault_signatures(&count);
    }
    if (st != PSA_SUCCESS) {
        smak_printf("keyvault: failed: status %d\n", (int)st);
        return 1;
    }
    smak_printf("keyvault: message \"%s\"\n", message);
    hex("public key", key, key_len);
    hex("sha256", hash, hash_len);
    hex("signature", sig, sig_len);
    smak_printf("keyvault: %u signature(s) made by the module on this device\n", (unsigned)count);
    return 0;
}
