/*
 * fuzz_token.c: the attestation token verifier (tools/smtool/sm_token.c, what `smtool token
 * verify` runs) over hostile tokens, and the device's encoder (services/attest/attest_token.c)
 * against it.
 *
 * Input: [0] mode, then:
 *   mode 0: the token itself.
 *   mode 1: claims (below), encoded and signed by the device's encoder with this harness's key.
 *   mode 2: claims, encoded and signed, then mutated: pairs (position, value) replace bytes.
 *   mode 3: claims, encoded and signed, then one byte at a position (2 bytes) XORed with a
 *           non-zero value.
 *   Claims: profile bit, nonce size, client id, lifecycle, components (kind, version each),
 *   certification reference and URL presence and length, from the following bytes.
 * Oracles:
 * - a token the verifier accepts has a signature that verifies under this harness's key with
 *   Mbed TLS over a Sig_structure rebuilt here from its three parts; every claim lies inside the
 *   token and has its type's size (nonce 32/48/64, instance id 33 bytes starting 0x01,
 *   implementation id 32, 1 to 16 components with measurements and signers of 32/48/64);
 * - the encoder's token for any claims is accepted, and its claims read back equal the claims
 *   given (profile, nonce, client id, lifecycle, boot seed, references, every component's type,
 *   version text, measurement and signer);
 * - one byte of such a token changed, anywhere, to anything: refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_token.h"
#include "fuzz_token_crypto.h"
#include "sm_token.h"

/* fuzz_common.h's, declared here: that header brings Mbed TLS's PSA headers, this file the
 * SM's. */
void fuzz_quiet(void);
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t pub[64];
static struct sm_attest_identity id;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet();
    if (fuzz_token_crypto_init(pub) != 0) {
        fuzz_fail("no test key");
    }
    memset(&id, 0, sizeof(id));
    memcpy(id.iak_pub, pub, 64);
    /* The instance id the core gives the encoder, computed here by Mbed TLS. */
    fuzz_token_instance_id(pub, id.instance_id);
    for (size_t i = 0; i < 32; i++) {
        id.implementation_id[i] = (uint8_t)(0xC0 + i);
    }
    return 0;
}

static int inside(const struct sm_token_bytes *b, const uint8_t *tok, size_t len)
{
    return b->p == NULL ? b->n == 0 : b->p >= tok && b->n <= len && b->p + b->n <= tok + len;
}

static int hash_size(size_t n)
{
    return n == 32 || n == 48 || n == 64;
}

/* The first oracle, for any token the verifier accepted. */
static void check_accepted(const uint8_t *tok, size_t len, const struct sm_token *t)
{
    if (!inside(&t->protected_header, tok, len) || !inside(&t->payload, tok, len) ||
        !inside(&t->signature, tok, len) || t->signature.n != 64) {
        fuzz_fail("accepted token: its parts are not inside it");
    }
    if (!fuzz_token_check(t->protected_header.p, t->protected_header.n, t->payload.p, t->payload.n,
                          t->signature.p)) {
        fuzz_fail("accepted token: Mbed TLS says the signature does not verify");
    }
    const struct sm_token_bytes *all[] = {&t->nonce,     &t->instance_id, &t->implementation_id,
                                          &t->boot_seed, &t->cert_ref,    &t->verification_service};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (!inside(all[i], tok, len)) {
            fuzz_fail("accepted token: claim %zu is not inside it", i);
        }
    }
    if (!hash_size(t->nonce.n) || t->instance_id.n != 33 || t->instance_id.p[0] != 0x01 ||
        t->implementation_id.n != 32 || t->component_count == 0 ||
        t->component_count > SM_TOKEN_COMPONENTS_MAX || t->client_id == 0) {
        fuzz_fail("accepted token: a mandatory claim of the wrong size");
    }
    for (size_t i = 0; i < t->component_count; i++) {
        const struct sm_token_component *c = &t->components[i];
        if (!inside(&c->type, tok, len) || !inside(&c->version, tok, len) ||
            !inside(&c->measurement, tok, len) || !inside(&c->signer, tok, len) ||
            !hash_size(c->measurement.n) || !hash_size(c->signer.n)) {
            fuzz_fail("accepted token: component %zu is malformed", i);
        }
    }
}

static int same(const struct sm_token_bytes *b, const void *p, size_t n)
{
    return b->n == n && (n == 0 || memcmp(b->p, p, n) == 0);
}

struct input {
    const uint8_t *p;
    size_t n;
};

static uint8_t take(struct input *in)
{
    if (in->n == 0) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

static uint8_t buf[ATTEST_TOKEN_BUF];
static uint8_t work[ATTEST_TOKEN_BUF];

static psa_status_t sign(const void *tbs, size_t len, uint8_t sig[64])
{
    return fuzz_token_sign(tbs, len, sig) == 0 ? PSA_SUCCESS : PSA_ERROR_GENERIC_ERROR;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sm_token t;
    char why[160];
    if (size == 0) {
        return 0;
    }
    const uint8_t mode = data[0] & 3u;
    if (mode == 0) {
        if (sm_token_verify(data + 1, size - 1, pub, &t, why, sizeof(why)) == 0) {
            check_accepted(data + 1, size - 1, &t);
        }
        return 0;
    }
    /* Claims from the input. */
    struct input in = {data + 1, size - 1};
    const uint8_t flags = take(&in);
    const enum attest_profile profile =
        (flags & 1u) ? ATTEST_PROFILE_IOT_1 : ATTEST_PROFILE_PSA_TFM;
    const size_t nonce_len = 32u + 16u * ((flags >> 1) % 3u);
    uint8_t nonce[64], seed[32];
    for (size_t i = 0; i < nonce_len; i++) {
        nonce[i] = take(&in);
    }
    for (size_t i = 0; i < 32; i++) {
        seed[i] = (uint8_t)(i * 13u + flags);
    }
    int32_t client = (int32_t)((uint32_t)take(&in) << 24 | (uint32_t)take(&in) << 16 |
                               (uint32_t)take(&in) << 8 | take(&in));
    if (client == 0) {
        client = -1;
    }
    const uint32_t lifecycle = (uint32_t)take(&in) << 8 | take(&in);
    struct sm_boot_component comp[SM_BOOT_COMPONENTS_MAX];
    const size_t count = 1u + take(&in) % SM_BOOT_COMPONENTS_MAX;
    memset(comp, 0, sizeof(comp));
    for (size_t i = 0; i < count; i++) {
        comp[i].kind = take(&in) % SM_BOOT_COMPONENTS_MAX;
        comp[i].major = take(&in);
        comp[i].minor = take(&in);
        comp[i].revision = (uint16_t)(take(&in) << 8 | take(&in));
        comp[i].build = (uint32_t)take(&in) << 24 | take(&in);
        memset(comp[i].measurement, take(&in), 32);
        memset(comp[i].signer, take(&in), 32);
    }
    id.cert_ref_len = (flags & 8u) ? SM_ATTEST_CERT_REF_MAX : 0u;
    for (size_t i = 0; i < SM_ATTEST_CERT_REF_MAX; i++) {
        id.cert_ref[i] = i == 13 ? '-' : (char)('0' + (take(&in) % 10u));
    }
    id.url_len = (flags & 16u) ? (uint8_t)(1u + take(&in) % SM_ATTEST_URL_MAX) : 0u;
    for (size_t i = 0; i < id.url_len; i++) {
        id.url[i] = (char)(0x21 + take(&in) % 94u);
    }
    const struct attest_claims c = {nonce, nonce_len, client, lifecycle, seed, &id, comp, count};
    const uint8_t *tok;
    size_t len;
    if (attest_token_make(profile, &c, buf, sizeof(buf), sign, &tok, &len) != PSA_SUCCESS) {
        fuzz_fail("the encoder refused valid claims");
    }
    if (len > PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE) {
        fuzz_fail("a token of %zu bytes, more than the API's maximum", len);
    }
    /* The lifecycle is whatever the device was provisioned with: the verifier refuses a value
     * outside the PSA ranges, which the encoder does not judge. */
    const int lifecycle_ok = lifecycle <= 0x60FFu && ((lifecycle >> 8) % 0x10u) == 0u;
    const int accepted = sm_token_verify(tok, len, pub, &t, why, sizeof(why)) == 0;
    if (accepted != lifecycle_ok) {
        fuzz_fail("the device's token was %s: %s", accepted ? "accepted" : "refused", why);
    }
    if (!accepted) {
        return 0;
    }
    check_accepted(tok, len, &t);
    const int legacy = profile == ATTEST_PROFILE_IOT_1;
    if (t.profile != (legacy ? SM_TOKEN_PSA_IOT_1 : SM_TOKEN_PSA_TFM) ||
        !same(&t.nonce, nonce, nonce_len) || t.client_id != client || t.lifecycle != lifecycle ||
        !same(&t.boot_seed, seed, 32) || !same(&t.instance_id, id.instance_id, 33) ||
        !same(&t.implementation_id, id.implementation_id, 32) ||
        !same(&t.cert_ref, id.cert_ref,
              id.cert_ref_len == 0 ? 0
              : legacy             ? 13
                                   : 19) ||
        !same(&t.verification_service, id.url, id.url_len) || t.component_count != count) {
        fuzz_fail("the claims read back are not the claims encoded");
    }
    for (size_t i = 0; i < count; i++) {
        char v[40];
        const struct sm_token_component *sc = &t.components[i];
        snprintf(v, sizeof(v), "%u.%u.%u+%u", comp[i].major, comp[i].minor, comp[i].revision,
                 (unsigned)comp[i].build);
        if (!same(&sc->type, attest_measurement_type(comp[i].kind),
                  strlen(attest_measurement_type(comp[i].kind))) ||
            !same(&sc->version, v, strlen(v)) || !same(&sc->measurement, comp[i].measurement, 32) ||
            !same(&sc->signer, comp[i].signer, 32)) {
            fuzz_fail("component %zu read back is not the one encoded", i);
        }
    }
    memcpy(work, tok, len);
    if (mode == 3) {
        const size_t at = ((size_t)take(&in) << 8 | take(&in)) % len;
        uint8_t x = take(&in);
        work[at] ^= x == 0 ? 0xFF : x;
        if (sm_token_verify(work, len, pub, &t, why, sizeof(why)) == 0) {
            fuzz_fail("byte %zu changed and the token still accepted", at);
        }
        return 0;
    }
    if (mode == 2) {
        while (in.n >= 3) {
            const size_t at = ((size_t)take(&in) << 8 | take(&in)) % len;
            work[at] = take(&in);
        }
        if (sm_token_verify(work, len, pub, &t, why, sizeof(why)) == 0) {
            check_accepted(work, len, &t);
        }
    }
    return 0;
}
