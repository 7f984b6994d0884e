/*
 * attest_token.c: see attest_token.h. The payload is encoded at buf + ATTEST_HEAD_ROOM; the
 * Sig_structure ["Signature1", h'A10126', h'', payload] is then completed in place by writing
 * its head just before the payload, and after signing the COSE_Sign1 head is written over the
 * end of it, so the payload is never copied.
 */
#include "attest_token.h"

#include <string.h>

#include "cbor.h"

/* The claim keys of one profile. Software component keys (1 type, 2 measurement, 4 version,
 * 5 signer) are the same in both. */
struct attest_keys {
    int32_t nonce, instance_id, profile, client_id, lifecycle, implementation_id, boot_seed,
        cert_ref, sw_components, verification_service;
    const char *profile_name;
    uint8_t cert_ref_len; /* RFC 9783: EAN-13 "-" 5 digits; PSA_IOT_PROFILE_1: the EAN-13 */
};

static const struct attest_keys key_tables[2] = {
    [ATTEST_PROFILE_PSA_TFM] = {10, 256, 265, 2394, 2395, 2396, 268, 2398, 2399, 2400,
                                ATTEST_PROFILE_TFM_NAME, 19},
    [ATTEST_PROFILE_IOT_1] = {-75008, -75009, -75000, -75001, -75002, -75003, -75004, -75005,
                              -75006, -75010, ATTEST_PROFILE_IOT_1_NAME, 13},
};

#define SWC_TYPE        1
#define SWC_MEASUREMENT 2
#define SWC_VERSION     4
#define SWC_SIGNER      5

const char *attest_measurement_type(uint8_t kind)
{
    switch (kind) {
    case SM_BOOT_KIND_UROT:
        return "BL";
    case SM_BOOT_KIND_SM:
        return "PRoT";
    case SM_BOOT_KIND_NS:
        return "App";
    default:
        return kind < SM_BOOT_COMPONENTS_MAX ? "ARoT" : NULL;
    }
}

static char *put_uint(char *p, uint32_t v)
{
    char tmp[10];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    while (n > 0u) {
        *p++ = tmp[--n];
    }
    return p;
}

/* "major.minor.revision+build", as the boot stages print it. At most 24 characters. */
static size_t version_text(const struct sm_boot_component *c, char out[24])
{
    char *p = put_uint(out, c->major);
    *p++ = '.';
    p = put_uint(p, c->minor);
    *p++ = '.';
    p = put_uint(p, c->revision);
    *p++ = '+';
    p = put_uint(p, c->build);
    return (size_t)(p - out);
}

static CborError put_bytes(CborEncoder *map, int32_t key, const uint8_t *b, size_t n)
{
    CborError e = cbor_encode_int(map, key);
    return e | cbor_encode_byte_string(map, b, n);
}

static CborError put_text(CborEncoder *map, int32_t key, const char *t, size_t n)
{
    CborError e = cbor_encode_int(map, key);
    return e | cbor_encode_text_string(map, t, n);
}

static CborError put_component(CborEncoder *array, const struct sm_boot_component *c)
{
    CborEncoder m;
    char version[24];
    const char *type = attest_measurement_type(c->kind);
    CborError e = cbor_encoder_create_map(array, &m, 4);
    e |= put_text(&m, SWC_TYPE, type, strlen(type));
    e |= put_bytes(&m, SWC_MEASUREMENT, c->measurement, sizeof(c->measurement));
    e |= put_text(&m, SWC_VERSION, version, version_text(c, version));
    e |= put_bytes(&m, SWC_SIGNER, c->signer, sizeof(c->signer));
    return e | cbor_encoder_close_container(array, &m);
}

static psa_status_t check(const struct attest_claims *c)
{
    if (c->nonce == NULL || (c->nonce_len != 32u && c->nonce_len != 48u && c->nonce_len != 64u) ||
        c->id == NULL || c->boot_seed == NULL || c->components == NULL ||
        c->component_count == 0u || c->component_count > SM_BOOT_COMPONENTS_MAX ||
        (c->id->cert_ref_len != 0u && c->id->cert_ref_len != SM_ATTEST_CERT_REF_MAX) ||
        c->id->url_len > SM_ATTEST_URL_MAX) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    for (size_t i = 0; i < c->component_count; i++) {
        if (attest_measurement_type(c->components[i].kind) == NULL) {
            return PSA_ERROR_INVALID_ARGUMENT;
        }
    }
    return PSA_SUCCESS;
}

/* The claims map into p[0 .. size): its length, or 0 if it does not fit. */
static size_t encode_claims(const struct attest_keys *k, const struct attest_claims *c, uint8_t *p,
                            size_t size)
{
    const struct sm_attest_identity *id = c->id;
    CborEncoder root, map, array;
    cbor_encoder_init(&root, p, size, 0);
    const size_t n = 8u + (id->cert_ref_len != 0u) + (id->url_len != 0u);
    CborError e = cbor_encoder_create_map(&root, &map, n);
    e |= put_bytes(&map, k->nonce, c->nonce, c->nonce_len);
    e |= put_bytes(&map, k->instance_id, id->instance_id, sizeof(id->instance_id));
    e |= put_text(&map, k->profile, k->profile_name, strlen(k->profile_name));
    e |= cbor_encode_int(&map, k->client_id) | cbor_encode_int(&map, c->client_id);
    e |= cbor_encode_int(&map, k->lifecycle) | cbor_encode_uint(&map, c->lifecycle);
    e |=
        put_bytes(&map, k->implementation_id, id->implementation_id, sizeof(id->implementation_id));
    e |= put_bytes(&map, k->boot_seed, c->boot_seed, ATTEST_BOOT_SEED_SIZE);
    if (id->cert_ref_len != 0u) {
        e |= put_text(&map, k->cert_ref, id->cert_ref, k->cert_ref_len);
    }
    e |= cbor_encode_int(&map, k->sw_components);
    e |= cbor_encoder_create_array(&map, &array, c->component_count);
    for (size_t i = 0; i < c->component_count; i++) {
        e |= put_component(&array, &c->components[i]);
    }
    e |= cbor_encoder_close_container(&map, &array);
    if (id->url_len != 0u) {
        e |= put_text(&map, k->verification_service, id->url, id->url_len);
    }
    e |= cbor_encoder_close_container(&root, &map);
    if (e != CborNoError || cbor_encoder_get_extra_bytes_needed(&root) != 0u) {
        return 0;
    }
    return cbor_encoder_get_buffer_size(&root, p);
}

/* A byte string's head for n bytes (n < 65536) into h: its length. */
static size_t bstr_head(uint8_t h[3], size_t n)
{
    if (n < 24u) {
        h[0] = (uint8_t)(0x40u | n);
        return 1;
    }
    if (n < 256u) {
        h[0] = 0x58;
        h[1] = (uint8_t)n;
        return 2;
    }
    h[0] = 0x59;
    h[1] = (uint8_t)(n >> 8);
    h[2] = (uint8_t)n;
    return 3;
}

psa_status_t attest_token_make(enum attest_profile profile, const struct attest_claims *c,
                               uint8_t *buf, size_t capacity, attest_sign_fn sign,
                               const uint8_t **token, size_t *token_len)
{
    static const uint8_t sig_head[] = {0x84, 0x6A, 'S', 'i',  'g',  'n',  'a',  't', 'u',
                                       'r',  'e',  '1', 0x43, 0xA1, 0x01, 0x26, 0x40};
    static const uint8_t cose_head[] = {0xD2, 0x84, 0x43, 0xA1, 0x01, 0x26, 0xA0};
    *token = NULL;
    *token_len = 0;
    if ((unsigned)profile > ATTEST_PROFILE_IOT_1 || check(c) != PSA_SUCCESS) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    uint8_t *payload = buf + ATTEST_HEAD_ROOM;
    const size_t n = encode_claims(&key_tables[profile], c, payload, ATTEST_PAYLOAD_MAX);
    if (n == 0u) {
        return PSA_ERROR_GENERIC_ERROR; /* cannot happen for checked claims (attest_token.h) */
    }
    uint8_t h[3];
    const size_t hn = bstr_head(h, n);
    const size_t total = sizeof(cose_head) + hn + n + 2u + ATTEST_SIG_SIZE;
    if (total > capacity) {
        return PSA_ERROR_BUFFER_TOO_SMALL;
    }
    uint8_t *tbs = payload - hn - sizeof(sig_head);
    memcpy(tbs, sig_head, sizeof(sig_head));
    memcpy(payload - hn, h, hn);
    uint8_t *sig = payload + n;
    sig[0] = 0x58;
    sig[1] = ATTEST_SIG_SIZE;
    memset(sig + 2, 0, ATTEST_SIG_SIZE);
    if (sign != NULL) {
        psa_status_t s = sign(tbs, (size_t)(sig - tbs), sig + 2);
        if (s != PSA_SUCCESS) {
            return s == PSA_ERROR_SERVICE_FAILURE ? s : PSA_ERROR_GENERIC_ERROR;
        }
    }
    uint8_t *start = payload - hn - sizeof(cose_head);
    memcpy(start, cose_head, sizeof(cose_head)); /* over the Sig_structure's head */
    *token = start;
    *token_len = total;
    return PSA_SUCCESS;
}
