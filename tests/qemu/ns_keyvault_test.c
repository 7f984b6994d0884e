/*
 * ns_keyvault_test.c: ITS and crypto as a secure module sees them, from the NS application
 * (tests/qemu/keyvault_test.sh): the KEYVAULT example module (modules/examples/keyvault,
 * built out of the tree with the SMDK) in module slot 0, the probe module
 * (tests/modules/probe_module.c) in slot 1. The key vault keeps its persistent key 1 and its
 * ITS asset 1; NS and the probe use the same key id and UID for their own:
 *
 *   boot 1  NS stores its asset 1 and makes its key 1; the key vault signs (its key made at
 *           first use, its count in its asset 1); NS still reads its own asset 1, its own key 1
 *           is another key than the vault's; the probe finds neither the vault's asset 1
 *           (DOES_NOT_EXIST) nor its key 1 (INVALID_HANDLE), then stores and makes its own:
 *           three clients, three assets 1, three keys 1, none seeing another's; the probe's
 *           multipart hash and volatile key, a second of each refused while the first lives
 *           (its shares of the crypto service's tables, on the product SM too); the probe's
 *           sm_trace lines; reset
 *   boot 2  after the power cycle each asset and each key is its owner's, as stored: the
 *           vault's key the same (it was persisted, not made again), its count one more
 *           after a signature, the probe's key its own; last, the probe traces a line in the
 *           SM's RAM: stopped by a development SM, answered NOT_SUPPORTED by the product SM;
 *           power off
 *
 * Each boot prints "keyvault_test boot N: P passed, F failed"; a failed check prints "FAIL".
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "keyvault.h"
#include "psa/crypto.h"
#include "psa/internal_trusted_storage.h"
#include "ns_check.h"
#include "smak.h"

#define PROBE_HANDLE     ((psa_handle_t)0x40000115)
#define PROBE_ITS_GET    7
#define PROBE_ITS_SET    8
#define PROBE_KEY_EXPORT 9
#define PROBE_KEY_MAKE   10
#define PROBE_VOLATILE   11
#define PROBE_TRACE      12
#define PROBE_TRACE_BAD  13

#define SAME_ID  1u /* the UID and key id everyone uses */
/* NS's record of what it saw in boot 1, to compare in boot 2. */
#define UID_SEEN 0x5EE4u
struct seen {
    uint8_t vault[KEYVAULT_PUBLIC_KEY_SIZE], ns[KEYVAULT_PUBLIC_KEY_SIZE],
        probe[KEYVAULT_PUBLIC_KEY_SIZE];
    uint32_t count;
};

static const char ns_asset[] = "the NS world's asset 1";
static const char probe_asset[] = "the probe's asset 1";

static psa_status_t probe(int32_t type, const void *data, size_t n, uint8_t *out, size_t *len)
{
    uint32_t id = SAME_ID;
    psa_invec in[2] = {{&id, sizeof(id)}, {data, n}};
    psa_outvec o = {out, out != NULL ? 65u : 0u};
    psa_status_t st = psa_call(PROBE_HANDLE, type, in, data != NULL ? 2 : 1, &o, 1);
    if (len != NULL) {
        *len = o.len;
    }
    return st;
}

static psa_key_id_t ns_key(void)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id = PSA_KEY_ID_NULL;
    psa_set_key_id(&a, SAME_ID);
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    CHECK(psa_generate_key(&a, &id) == PSA_SUCCESS);
    return id;
}

static void hex(const char *what, const uint8_t *p, size_t n)
{
    smak_printf("keyvault_test: %s ", what);
    for (size_t i = 0; i < n; i++) {
        smak_printf("%02x", p[i]);
    }
    smak_printf("\n");
}

/* The vault signs a hash; the signature verifies under its public key (by the crypto service,
 * through a volatile copy of the public key NS imports). */
static void vault_signs(const uint8_t *pub)
{
    uint8_t hash[32], sig[64];
    size_t len = 0;
    memset(hash, 0x5A, sizeof(hash));
    CHECK(keyvault_sign(hash, sizeof(hash), sig, sizeof(sig), &len) == PSA_SUCCESS);
    CHECK(len == sizeof(sig));
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t k = PSA_KEY_ID_NULL;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_VERIFY_HASH);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    CHECK(psa_import_key(&a, pub, KEYVAULT_PUBLIC_KEY_SIZE, &k) == PSA_SUCCESS);
    CHECK(psa_verify_hash(k, PSA_ALG_ECDSA(PSA_ALG_SHA_256), hash, sizeof(hash), sig, len) ==
          PSA_SUCCESS);
    sig[10] ^= 1u;
    CHECK(psa_verify_hash(k, PSA_ALG_ECDSA(PSA_ALG_SHA_256), hash, sizeof(hash), sig, len) ==
          PSA_ERROR_INVALID_SIGNATURE);
    (void)psa_destroy_key(k);
    /* Bad requests change nothing. */
    CHECK(keyvault_sign(hash, 31, sig, sizeof(sig), &len) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(keyvault_sign(hash, sizeof(hash), sig, 63, &len) == PSA_ERROR_BUFFER_TOO_SMALL);
}

static void own_asset(const char *what, const char *expect)
{
    char got[64] = {0};
    size_t len = 0;
    CHECK(psa_its_get(SAME_ID, 0, sizeof(got), got, &len) == PSA_SUCCESS);
    CHECK(len == strlen(expect) && memcmp(got, expect, len) == 0);
    (void)what;
}

static void boot1(void)
{
    struct seen s;
    size_t len = 0;
    memset(&s, 0, sizeof(s));
    CHECK(psa_its_set(SAME_ID, strlen(ns_asset), ns_asset, 0) == PSA_SUCCESS);
    psa_key_id_t mine = ns_key();
    CHECK(psa_export_public_key(mine, s.ns, sizeof(s.ns), &len) == PSA_SUCCESS && len == 65);
    /* The vault: its key made now, at first use. */
    CHECK(keyvault_signatures(&s.count) == PSA_SUCCESS);
    CHECK(s.count == 0);
    CHECK(keyvault_public_key(s.vault, sizeof(s.vault), &len) == PSA_SUCCESS && len == 65);
    CHECK(s.vault[0] == 0x04);
    vault_signs(s.vault);
    CHECK(keyvault_signatures(&s.count) == PSA_SUCCESS);
    CHECK(s.count == 1);
    /* NS's asset 1 and key 1 are NS's: the vault's are others of the same names. */
    own_asset("NS", ns_asset);
    CHECK(memcmp(s.ns, s.vault, sizeof(s.ns)) != 0);
    /* The probe (another module, another owner) sees neither of the vault's. */
    uint8_t out[65];
    CHECK(probe(PROBE_ITS_GET, NULL, 0, out, &len) == PSA_ERROR_DOES_NOT_EXIST);
    CHECK(probe(PROBE_KEY_EXPORT, NULL, 0, out, &len) == PSA_ERROR_INVALID_HANDLE);
    /* Then keeps its own under the same names. */
    CHECK(probe(PROBE_ITS_SET, probe_asset, strlen(probe_asset), NULL, NULL) == PSA_SUCCESS);
    CHECK(probe(PROBE_ITS_GET, NULL, 0, out, &len) == PSA_SUCCESS);
    CHECK(len == strlen(probe_asset) && memcmp(out, probe_asset, len) == 0);
    CHECK(probe(PROBE_KEY_MAKE, NULL, 0, NULL, NULL) == PSA_SUCCESS);
    CHECK(probe(PROBE_KEY_EXPORT, NULL, 0, s.probe, &len) == PSA_SUCCESS && len == 65);
    CHECK(memcmp(s.probe, s.vault, 65) != 0 && memcmp(s.probe, s.ns, 65) != 0);
    /* A module has its shares of operations and volatile keys (one of each), as a partition
     * has, on the development and the product SM alike (the product has no trace path). */
    psa_status_t trace = probe(PROBE_TRACE, NULL, 0, NULL, NULL);
    smak_printf("keyvault_test: sm_trace from the probe: status %d\n", (int)trace);
    CHECK(trace == PSA_SUCCESS || trace == PSA_ERROR_NOT_SUPPORTED);
    CHECK(probe(PROBE_VOLATILE, NULL, 0, NULL, NULL) == PSA_SUCCESS);
    CHECK(probe(PROBE_VOLATILE, NULL, 0, NULL, NULL) == PSA_SUCCESS); /* freed: again */
    /* Nobody's changed the others'. */
    own_asset("NS", ns_asset);
    uint8_t again[65];
    CHECK(keyvault_public_key(again, sizeof(again), &len) == PSA_SUCCESS);
    CHECK(memcmp(again, s.vault, 65) == 0);
    CHECK(psa_export_public_key(mine, again, sizeof(again), &len) == PSA_SUCCESS);
    CHECK(memcmp(again, s.ns, 65) == 0);
    CHECK(keyvault_signatures(&s.count) == PSA_SUCCESS && s.count == 1);
    hex("the vault's public key", s.vault, 65);
    CHECK(psa_its_set(UID_SEEN, sizeof(s), &s, 0) == PSA_SUCCESS);
}

static void boot2(void)
{
    struct seen s;
    size_t len = 0;
    CHECK(psa_its_get(UID_SEEN, 0, sizeof(s), &s, &len) == PSA_SUCCESS && len == sizeof(s));
    uint8_t now[65];
    /* The vault's key was kept (not made again), and is still only the vault's. */
    CHECK(keyvault_public_key(now, sizeof(now), &len) == PSA_SUCCESS);
    CHECK(memcmp(now, s.vault, 65) == 0);
    uint32_t count = 0;
    CHECK(keyvault_signatures(&count) == PSA_SUCCESS && count == s.count);
    vault_signs(now);
    CHECK(keyvault_signatures(&count) == PSA_SUCCESS && count == s.count + 1u);
    own_asset("NS", ns_asset);
    CHECK(psa_export_public_key(SAME_ID, now, sizeof(now), &len) == PSA_SUCCESS);
    CHECK(memcmp(now, s.ns, 65) == 0);
    uint8_t out[65];
    CHECK(probe(PROBE_ITS_GET, NULL, 0, out, &len) == PSA_SUCCESS);
    CHECK(len == strlen(probe_asset) && memcmp(out, probe_asset, len) == 0);
    CHECK(probe(PROBE_KEY_EXPORT, NULL, 0, out, &len) == PSA_SUCCESS);
    CHECK(memcmp(out, s.probe, 65) == 0);
    hex("the vault's public key", s.vault, 65);
    /* A line that is not the caller's: a programmer error where there is a trace path. */
    const psa_status_t trace = probe(PROBE_TRACE, NULL, 0, NULL, NULL);
    const psa_status_t bad = probe(PROBE_TRACE_BAD, NULL, 0, NULL, NULL);
    smak_printf("keyvault_test: the probe's trace of the SM's RAM: status %d\n", (int)bad);
    CHECK(bad == (trace == PSA_SUCCESS ? PSA_ERROR_SERVICE_FAILURE : PSA_ERROR_NOT_SUPPORTED));
    CHECK(keyvault_signatures(&count) == PSA_SUCCESS); /* the vault answers on */
}

int main(void)
{
    unsigned boot = smak_boot_count();
    CHECK(psa_crypto_init() == PSA_SUCCESS);
    if (boot == 1) {
        boot1();
    } else if (boot == 2) {
        boot2();
    }
    smak_printf("keyvault_test boot %u: %u passed, %u failed\n", boot, passed, failed);
    if (boot == 1) {
        smak_reset();
    }
    return failed != 0;
}
