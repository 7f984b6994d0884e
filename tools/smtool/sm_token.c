/*
 * sm_token.c: see sm_token.h. Written from RFC 9783, RFC 9052 and the PSA Attestation API,
 * independently of the device's encoder (services/attest/attest_token.c): the two share no
 * code and no table, so each checks the other in the tests.
 *
 * TinyCBOR's parser walks the bytes; strings are taken in place (definite lengths only), so
 * every claim in `struct sm_token` points into the token.
 */
#include "sm_token.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bl_crypto.h"
#include "cbor.h"
#include "p256-m.h"

#define CLAIMS_MAX 48u /* a map with more entries is refused */
#define DEPTH_MAX  8

struct profile_keys {
    const char *name;
    int64_t nonce, instance_id, profile, client_id, lifecycle, implementation_id, boot_seed,
        cert_ref, sw_components, verification_service;
};

static const struct profile_keys profiles[2] = {
    [SM_TOKEN_PSA_TFM] = {"tag:psacertified.org,2023:psa#tfm", 10, 256, 265, 2394, 2395, 2396, 268,
                          2398, 2399, 2400},
    [SM_TOKEN_PSA_IOT_1] = {"PSA_IOT_PROFILE_1", -75008, -75009, -75000, -75001, -75002, -75003,
                            -75004, -75005, -75006, -75010},
};

struct ctx {
    char *why;
    size_t why_len;
};

static int fail(struct ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (c->why_len > 0u) {
        vsnprintf(c->why, c->why_len, fmt, ap);
    }
    va_end(ap);
    return -1;
}

/* Bytes in the head of an item from its first byte (0: not a definite-length head). */
static size_t head_size(uint8_t ib)
{
    const uint8_t ai = ib & 0x1Fu;
    return ai < 24u ? 1u : ai == 24u ? 2u : ai == 25u ? 3u : ai == 26u ? 5u : ai == 27u ? 9u : 0u;
}

/* A definite-length string of `type` at v, in place; v moves past it. */
static int get_string(CborValue *v, CborType type, struct sm_token_bytes *out)
{
    size_t n;
    if (cbor_value_get_type(v) != type || !cbor_value_is_length_known(v) ||
        cbor_value_get_string_length(v, &n) != CborNoError) {
        return -1;
    }
    const uint8_t *h = cbor_value_get_next_byte(v);
    const size_t hs = head_size(*h);
    if (hs == 0u || cbor_value_advance(v) != CborNoError) {
        return -1;
    }
    out->p = h + hs;
    out->n = n;
    return 0;
}

static int get_int(CborValue *v, int64_t *out)
{
    if (!cbor_value_is_integer(v) || cbor_value_get_int64_checked(v, out) != CborNoError) {
        return -1;
    }
    return cbor_value_advance_fixed(v) == CborNoError ? 0 : -1;
}

/* Skips one item, refusing indefinite lengths anywhere in it. */
static int skip_item(CborValue *v, int depth)
{
    if (depth > DEPTH_MAX) {
        return -1;
    }
    switch (cbor_value_get_type(v)) {
    case CborArrayType:
    case CborMapType: {
        CborValue in;
        if (!cbor_value_is_length_known(v) || cbor_value_enter_container(v, &in) != CborNoError) {
            return -1;
        }
        while (!cbor_value_at_end(&in)) {
            if (skip_item(&in, depth + 1) != 0) {
                return -1;
            }
        }
        return cbor_value_leave_container(v, &in) == CborNoError ? 0 : -1;
    }
    case CborByteStringType:
    case CborTextStringType: {
        struct sm_token_bytes b;
        return get_string(v, cbor_value_get_type(v), &b);
    }
    case CborTagType:
        if (cbor_value_advance_fixed(v) != CborNoError) {
            return -1;
        }
        return skip_item(v, depth + 1);
    case CborInvalidType:
        return -1;
    default:
        return cbor_value_advance(v) == CborNoError ? 0 : -1;
    }
}

/* A map key: an integer, or a text string (kept to find a key given twice). */
struct key {
    bool is_int;
    int64_t i;
    struct sm_token_bytes s;
    CborValue value; /* where its value starts */
};

static int read_map(struct ctx *c, CborValue *map, struct key *keys, size_t max, size_t *count,
                    const char *what)
{
    CborValue in;
    size_t n = 0;
    if (!cbor_value_is_map(map) || !cbor_value_is_length_known(map) ||
        cbor_value_enter_container(map, &in) != CborNoError) {
        return fail(c, "%s: not a definite-length map", what);
    }
    while (!cbor_value_at_end(&in)) {
        if (n == max) {
            return fail(c, "%s: more than %zu entries", what, max);
        }
        struct key *k = &keys[n];
        memset(k, 0, sizeof(*k));
        if (cbor_value_is_integer(&in)) {
            k->is_int = true;
            if (get_int(&in, &k->i) != 0) {
                return fail(c, "%s: a key out of range", what);
            }
        } else if (get_string(&in, CborTextStringType, &k->s) != 0) {
            return fail(c, "%s: a key that is neither an integer nor a text string", what);
        }
        for (size_t j = 0; j < n; j++) {
            if (keys[j].is_int == k->is_int &&
                (k->is_int ? keys[j].i == k->i
                           : keys[j].s.n == k->s.n && memcmp(keys[j].s.p, k->s.p, k->s.n) == 0)) {
                return fail(c, "%s: a key given twice", what);
            }
        }
        k->value = in;
        if (skip_item(&in, 1) != 0) {
            return fail(c, "%s: a malformed or indefinite-length value", what);
        }
        n++;
    }
    if (cbor_value_leave_container(map, &in) != CborNoError) {
        return fail(c, "%s: malformed", what);
    }
    *count = n;
    return 0;
}

static const struct key *find(const struct key *keys, size_t n, int64_t k)
{
    for (size_t i = 0; i < n; i++) {
        if (keys[i].is_int && keys[i].i == k) {
            return &keys[i];
        }
    }
    return NULL;
}

static bool hash_size(size_t n)
{
    return n == 32u || n == 48u || n == 64u;
}

static bool digits(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return false;
        }
    }
    return true;
}

/* An optional (or, with `need`, mandatory) string claim of `type`. 0 absent, 1 present, -1. */
static int claim_string(struct ctx *c, const struct key *keys, size_t n, int64_t key, CborType type,
                        bool need, const char *name, struct sm_token_bytes *out)
{
    const struct key *k = find(keys, n, key);
    if (k == NULL) {
        return need ? fail(c, "claim %s (%lld) is missing", name, (long long)key) : 0;
    }
    CborValue v = k->value;
    if (get_string(&v, type, out) != 0) {
        return fail(c, "claim %s is not a %s", name,
                    type == CborByteStringType ? "byte string" : "text string");
    }
    return 1;
}

static int parse_component(struct ctx *c, CborValue *v, size_t index, struct sm_token_component *sc)
{
    struct key keys[CLAIMS_MAX];
    size_t n;
    char what[48];
    snprintf(what, sizeof(what), "software component %zu", index);
    if (read_map(c, v, keys, CLAIMS_MAX, &n, what) != 0) {
        return -1;
    }
    static const struct {
        int64_t key;
        CborType type;
        bool need;
        const char *name;
        size_t off;
    } attrs[] = {
        {1, CborTextStringType, false, "measurement type",
         offsetof(struct sm_token_component, type)},
        {2, CborByteStringType, true, "measurement value",
         offsetof(struct sm_token_component, measurement)},
        {4, CborTextStringType, false, "version", offsetof(struct sm_token_component, version)},
        {5, CborByteStringType, true, "signer id", offsetof(struct sm_token_component, signer)},
        {6, CborTextStringType, false, "measurement description",
         offsetof(struct sm_token_component, description)},
    };
    for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
        struct sm_token_bytes *b = (struct sm_token_bytes *)(void *)((uint8_t *)sc + attrs[i].off);
        char name[96];
        snprintf(name, sizeof(name), "%s of %s", attrs[i].name, what);
        if (claim_string(c, keys, n, attrs[i].key, attrs[i].type, attrs[i].need, name, b) < 0) {
            return -1;
        }
        if (attrs[i].type == CborByteStringType && !hash_size(b->n)) {
            return fail(c, "%s: %zu bytes, not 32, 48 or 64", name, b->n);
        }
    }
    return 0;
}

static int parse_claims(struct ctx *c, const struct sm_token_bytes *payload, const uint8_t *pub,
                        struct sm_token *t)
{
    CborParser parser;
    CborValue top;
    struct key keys[CLAIMS_MAX];
    size_t n;
    if (cbor_parser_init(payload->p, payload->n, 0, &parser, &top) != CborNoError) {
        return fail(c, "payload: not CBOR");
    }
    if (read_map(c, &top, keys, CLAIMS_MAX, &n, "payload") != 0) {
        return -1;
    }
    if (cbor_value_get_next_byte(&top) != payload->p + payload->n) {
        return fail(c, "payload: bytes after the claims map");
    }
    /* The profile decides the keys of every other claim. */
    struct sm_token_bytes name = {0};
    int found =
        claim_string(c, keys, n, profiles[0].profile, CborTextStringType, false, "profile", &name);
    t->profile = SM_TOKEN_PSA_TFM;
    if (found == 0) {
        found = claim_string(c, keys, n, profiles[1].profile, CborTextStringType, false, "profile",
                             &name);
        t->profile = SM_TOKEN_PSA_IOT_1;
    }
    if (found < 0) {
        return -1;
    }
    if (found == 0) {
        return fail(c, "claim profile is missing (neither 265 nor -75000)");
    }
    const struct profile_keys *k = &profiles[t->profile];
    if (name.n != strlen(k->name) || memcmp(name.p, k->name, name.n) != 0) {
        return fail(c, "unknown profile \"%.*s\"", (int)(name.n < 80 ? name.n : 80), name.p);
    }
    if (claim_string(c, keys, n, k->nonce, CborByteStringType, true, "nonce", &t->nonce) < 0) {
        return -1;
    }
    if (!hash_size(t->nonce.n)) {
        return fail(c, "claim nonce: %zu bytes, not 32, 48 or 64", t->nonce.n);
    }
    if (claim_string(c, keys, n, k->instance_id, CborByteStringType, true, "instance id",
                     &t->instance_id) < 0) {
        return -1;
    }
    if (t->instance_id.n != 33u || t->instance_id.p[0] != 0x01u) {
        return fail(c, "claim instance id: not 33 bytes of type RAND (0x01)");
    }
    if (pub != NULL) {
        uint8_t point[65], ueid[33];
        point[0] = 0x04;
        memcpy(point + 1, pub, 64);
        ueid[0] = 0x01;
        bl_sha256(point, sizeof(point), ueid + 1);
        if (memcmp(ueid, t->instance_id.p, sizeof(ueid)) != 0) {
            return fail(c, "claim instance id: not the hash of the given key");
        }
    }
    const struct key *e = find(keys, n, k->client_id);
    CborValue v;
    if (e == NULL) {
        return fail(c, "claim client id (%lld) is missing", (long long)k->client_id);
    }
    v = e->value;
    if (get_int(&v, &t->client_id) != 0 || t->client_id == 0 || t->client_id < INT32_MIN ||
        t->client_id > INT32_MAX) {
        return fail(c, "claim client id: not a non-zero 32-bit integer");
    }
    e = find(keys, n, k->lifecycle);
    if (e == NULL) {
        return fail(c, "claim security lifecycle (%lld) is missing", (long long)k->lifecycle);
    }
    v = e->value;
    /* Major state in bits 15..8: 0x00 (unknown), 0x10 .. 0x60 (PSA Security Model). */
    if (!cbor_value_is_unsigned_integer(&v) ||
        cbor_value_get_uint64(&v, &t->lifecycle) != CborNoError || t->lifecycle > 0x60FFu ||
        (t->lifecycle >> 8) % 0x10u != 0u) {
        return fail(c, "claim security lifecycle: not a PSA lifecycle state");
    }
    if (claim_string(c, keys, n, k->implementation_id, CborByteStringType, true,
                     "implementation id", &t->implementation_id) < 0) {
        return -1;
    }
    if (t->implementation_id.n != 32u) {
        return fail(c, "claim implementation id: %zu bytes, not 32", t->implementation_id.n);
    }
    const bool legacy = t->profile == SM_TOKEN_PSA_IOT_1;
    found = claim_string(c, keys, n, k->boot_seed, CborByteStringType, legacy, "boot seed",
                         &t->boot_seed);
    if (found < 0) {
        return -1;
    }
    if (found > 0 &&
        (legacy ? t->boot_seed.n != 32u : t->boot_seed.n < 8u || t->boot_seed.n > 32u)) {
        return fail(c, "claim boot seed: %zu bytes, not %s", t->boot_seed.n,
                    legacy ? "32" : "8 to 32");
    }
    found = claim_string(c, keys, n, k->cert_ref, CborTextStringType, false,
                         "certification reference", &t->cert_ref);
    if (found < 0) {
        return -1;
    }
    if (found > 0) {
        const struct sm_token_bytes *r = &t->cert_ref;
        const bool ok =
            legacy ? r->n == 13u && digits(r->p, 13)
                   : r->n == 19u && digits(r->p, 13) && r->p[13] == '-' && digits(r->p + 14, 5);
        if (!ok) {
            return fail(c, "claim certification reference: not %s",
                        legacy ? "an EAN-13" : "an EAN-13, \"-\" and five digits");
        }
    }
    if (claim_string(c, keys, n, k->verification_service, CborTextStringType, false,
                     "verification service", &t->verification_service) < 0) {
        return -1;
    }
    e = find(keys, n, k->sw_components);
    if (e == NULL) {
        return fail(c, "claim software components (%lld) is missing", (long long)k->sw_components);
    }
    v = e->value;
    size_t count;
    CborValue in;
    if (!cbor_value_is_array(&v) || !cbor_value_is_length_known(&v) ||
        cbor_value_get_array_length(&v, &count) != CborNoError || count == 0u ||
        count > SM_TOKEN_COMPONENTS_MAX || cbor_value_enter_container(&v, &in) != CborNoError) {
        return fail(c, "claim software components: not an array of 1 to %u components",
                    SM_TOKEN_COMPONENTS_MAX);
    }
    for (size_t i = 0; i < count; i++) {
        if (parse_component(c, &in, i, &t->components[i]) != 0) {
            return -1;
        }
    }
    t->component_count = count;
    return 0;
}

static void hash_bstr(struct bl_sha256 *h, const struct sm_token_bytes *b)
{
    uint8_t head[5];
    size_t hn;
    if (b->n < 24u) {
        head[0] = (uint8_t)(0x40u | b->n);
        hn = 1;
    } else if (b->n < 256u) {
        head[0] = 0x58;
        head[1] = (uint8_t)b->n;
        hn = 2;
    } else if (b->n < 65536u) {
        head[0] = 0x59;
        head[1] = (uint8_t)(b->n >> 8);
        head[2] = (uint8_t)b->n;
        hn = 3;
    } else {
        head[0] = 0x5A;
        for (int i = 0; i < 4; i++) {
            head[1 + i] = (uint8_t)(b->n >> (24 - 8 * i));
        }
        hn = 5;
    }
    bl_sha256_update(h, head, hn);
    bl_sha256_update(h, b->p, b->n);
}

/* The protected header: exactly the map {1: -7} (ES256), in any valid encoding. */
static int check_protected(struct ctx *c, const struct sm_token_bytes *prot)
{
    CborParser parser;
    CborValue top;
    struct key keys[4];
    size_t n;
    int64_t alg;
    if (cbor_parser_init(prot->p, prot->n, 0, &parser, &top) != CborNoError ||
        read_map(c, &top, keys, 4, &n, "protected header") != 0 ||
        cbor_value_get_next_byte(&top) != prot->p + prot->n || n != 1u || !keys[0].is_int ||
        keys[0].i != 1) {
        return fail(c, "protected header: not the map {1: alg}");
    }
    CborValue v = keys[0].value;
    if (get_int(&v, &alg) != 0 || alg != -7) {
        return fail(c, "protected header: algorithm is not ES256 (-7)");
    }
    return 0;
}

int sm_token_verify(const uint8_t *tok, size_t len, const uint8_t pub[64], struct sm_token *t,
                    char *why, size_t why_len)
{
    struct ctx c = {why, why_len};
    CborParser parser;
    CborValue top, a;
    CborTag tag;
    size_t n;
    struct sm_token_bytes prot, payload, sig;
    memset(t, 0, sizeof(*t));
    if (why_len > 0u) {
        why[0] = '\0';
    }
    if (cbor_parser_init(tok, len, 0, &parser, &top) != CborNoError || !cbor_value_is_tag(&top) ||
        cbor_value_get_tag(&top, &tag) != CborNoError || tag != 18u ||
        cbor_value_advance_fixed(&top) != CborNoError) {
        return fail(&c, "not a tagged COSE_Sign1 (CBOR tag 18)");
    }
    if (!cbor_value_is_array(&top) || !cbor_value_is_length_known(&top) ||
        cbor_value_get_array_length(&top, &n) != CborNoError || n != 4u ||
        cbor_value_enter_container(&top, &a) != CborNoError) {
        return fail(&c, "COSE_Sign1: not a definite-length array of four");
    }
    if (get_string(&a, CborByteStringType, &prot) != 0) {
        return fail(&c, "COSE_Sign1: the protected header is not a byte string");
    }
    if (!cbor_value_is_map(&a) || skip_item(&a, 1) != 0) {
        return fail(&c, "COSE_Sign1: the unprotected header is not a map");
    }
    if (get_string(&a, CborByteStringType, &payload) != 0) {
        return fail(&c, "COSE_Sign1: the payload is not a byte string");
    }
    if (get_string(&a, CborByteStringType, &sig) != 0 || sig.n != 64u) {
        return fail(&c, "COSE_Sign1: the signature is not 64 bytes (ES256)");
    }
    if (cbor_value_leave_container(&top, &a) != CborNoError) {
        return fail(&c, "COSE_Sign1: malformed");
    }
    if (cbor_value_get_next_byte(&top) != tok + len) {
        return fail(&c, "%zu trailing bytes after the COSE_Sign1",
                    (size_t)(tok + len - cbor_value_get_next_byte(&top)));
    }
    if (check_protected(&c, &prot) != 0) {
        return -1;
    }
    if (pub != NULL) {
        static const uint8_t context[] = {0x84, 0x6A, 'S', 'i', 'g', 'n',
                                          'a',  't',  'u', 'r', 'e', '1'};
        static const uint8_t empty = 0x40;
        struct bl_sha256 h;
        uint8_t hash[32];
        bl_sha256_start(&h);
        bl_sha256_update(&h, context, sizeof(context));
        hash_bstr(&h, &prot);
        bl_sha256_update(&h, &empty, 1);
        hash_bstr(&h, &payload);
        bl_sha256_finish(&h, hash);
        if (p256_ecdsa_verify(sig.p, pub, hash, sizeof(hash)) != P256_SUCCESS) {
            return fail(&c, "the signature does not verify under the given key");
        }
    }
    if (parse_claims(&c, &payload, pub, t) != 0) {
        memset(t, 0, sizeof(*t));
        return -1;
    }
    t->protected_header = prot;
    t->payload = payload;
    t->signature = sig;
    return 0;
}
