/*
 * fuzz_p256_memo.c: remembers the results of the boot core's ECDSA verify (bl_p256_verify, built
 * on p256-m) and of p256-m's ECDH for the boot harness, linked with -Wl,--wrap so that the boot
 * core's calls come here.
 *
 * Why: the boot decisions verify the same few signatures over and over (each boot checks the
 * active image, the candidate, the result), and p256-m's arithmetic was 90% of the harness's
 * time (50 executions per second). Both functions are pure: the same inputs give the same
 * result, so answering from an exact match of every input byte returns what p256-m would
 * return; nothing in the code under test is skipped or weakened (bl_crypto.c still parses the
 * DER signature and calls these). New inputs always go to the real functions. The image harness
 * does not use this: there every signature check is computed; fuzz_p256_verify.c checks
 * bl_p256_verify against p256-m's own verify.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int __real_bl_p256_verify(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32]);
int __wrap_bl_p256_verify(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32]);
int __real_p256_ecdh_shared_secret(uint8_t secret[32], const uint8_t priv[32],
                                   const uint8_t pub[64]);
int __wrap_p256_ecdh_shared_secret(uint8_t secret[32], const uint8_t priv[32],
                                   const uint8_t pub[64]);

#define ENTRIES 64

static struct {
    uint8_t key[64 + 64 + 32];
    int result;
} verify_memo[ENTRIES];
static unsigned verify_n, verify_next;

int __wrap_bl_p256_verify(const uint8_t sig[64], const uint8_t pub[64], const uint8_t hash[32])
{
    uint8_t key[sizeof(verify_memo[0].key)];
    memcpy(key, sig, 64);
    memcpy(key + 64, pub, 64);
    memcpy(key + 128, hash, 32);
    for (unsigned i = 0; i < verify_n; i++) {
        if (memcmp(verify_memo[i].key, key, sizeof(key)) == 0) {
            return verify_memo[i].result;
        }
    }
    int result = __real_bl_p256_verify(sig, pub, hash);
    unsigned slot = verify_n < ENTRIES ? verify_n++ : verify_next++ % ENTRIES;
    memcpy(verify_memo[slot].key, key, sizeof(key));
    verify_memo[slot].result = result;
    return result;
}

static struct {
    uint8_t key[32 + 64];
    uint8_t secret[32];
    int result;
} ecdh_memo[ENTRIES];
static unsigned ecdh_n, ecdh_next;

int __wrap_p256_ecdh_shared_secret(uint8_t secret[32], const uint8_t priv[32],
                                   const uint8_t pub[64])
{
    uint8_t key[sizeof(ecdh_memo[0].key)];
    memcpy(key, priv, 32);
    memcpy(key + 32, pub, 64);
    for (unsigned i = 0; i < ecdh_n; i++) {
        if (memcmp(ecdh_memo[i].key, key, sizeof(key)) == 0) {
            memcpy(secret, ecdh_memo[i].secret, 32);
            return ecdh_memo[i].result;
        }
    }
    int result = __real_p256_ecdh_shared_secret(secret, priv, pub);
    unsigned slot = ecdh_n < ENTRIES ? ecdh_n++ : ecdh_next++ % ENTRIES;
    memcpy(ecdh_memo[slot].key, key, sizeof(key));
    memcpy(ecdh_memo[slot].secret, secret, 32);
    ecdh_memo[slot].result = result;
    return result;
}
