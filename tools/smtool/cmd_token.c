/*
 * cmd_token.c: `smtool token verify`: checks an attestation token (sm_token.h) against the
 * device's attestation public key, optionally a nonce and the signed images the device should
 * have booted, and prints the claims as text or JSON.
 *
 * The token file is the CBOR bytes, or the same in hex (what the demo prints; whitespace
 * ignored). An image's measurement is computed here from the file (SHA-256 over header,
 * payload and protected TLVs, the bytes the boot stages hash), not taken from its hash TLV;
 * its signer is the key hash it carries (KEYHASH, or the hash of its PUBKEY).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_crypto.h"
#include "bl_image.h"
#include "bl_reader.h"
#include "bl_status.h"
#include "sm_keys.h"
#include "sm_token.h"
#include "smtool.h"

#define TOKEN_FILE_MAX (64u * 1024u)
#define IMAGE_FILE_MAX (4u * 1024u * 1024u)
#define IMAGES_MAX     8

static int hex_value(int ch)
{
    return ch >= '0' && ch <= '9'   ? ch - '0'
           : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
           : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                    : -1;
}

/* A file of hex digits and whitespace becomes its bytes in place; anything else stays. */
static void maybe_unhex(uint8_t *buf, size_t *len)
{
    size_t digits = 0;
    for (size_t i = 0; i < *len; i++) {
        if (hex_value(buf[i]) >= 0) {
            digits++;
        } else if (buf[i] != ' ' && buf[i] != '\n' && buf[i] != '\r' && buf[i] != '\t') {
            return;
        }
    }
    if (digits == 0 || digits % 2 != 0) {
        return;
    }
    size_t n = 0;
    int hi = -1;
    for (size_t i = 0; i < *len; i++) {
        const int v = hex_value(buf[i]);
        if (v < 0) {
            continue;
        }
        if (hi < 0) {
            hi = v;
        } else {
            buf[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    *len = n;
}

static void put_hex(const struct sm_token_bytes *b)
{
    for (size_t i = 0; i < b->n; i++) {
        printf("%02x", b->p[i]);
    }
}

static void put_text(const struct sm_token_bytes *b, int json)
{
    for (size_t i = 0; i < b->n; i++) {
        const uint8_t ch = b->p[i];
        if (ch < 0x20 || ch >= 0x7F || (json && (ch == '"' || ch == '\\'))) {
            printf(json ? "\\u%04x" : "\\x%02x", ch);
        } else {
            putchar(ch);
        }
    }
}

static const char *lifecycle_name(uint64_t v)
{
    static const char *const names[] = {
        "unknown",           "assembly-and-test",         "psa-rot-provisioning", "secured",
        "non-psa-rot-debug", "recoverable-psa-rot-debug", "decommissioned"};
    return names[(v >> 12) & 7u];
}

static void print_json(const struct sm_token *t)
{
    printf("{\n  \"profile\": \"%s\",\n  \"nonce\": \"", t->profile == SM_TOKEN_PSA_TFM
                                                             ? "tag:psacertified.org,2023:psa#tfm"
                                                             : "PSA_IOT_PROFILE_1");
    put_hex(&t->nonce);
    printf("\",\n  \"instance_id\": \"");
    put_hex(&t->instance_id);
    printf("\",\n  \"client_id\": %lld,\n  \"security_lifecycle\": %llu,\n"
           "  \"security_lifecycle_name\": \"%s\",\n  \"implementation_id\": \"",
           (long long)t->client_id, (unsigned long long)t->lifecycle, lifecycle_name(t->lifecycle));
    put_hex(&t->implementation_id);
    printf("\"");
    if (t->boot_seed.p != NULL) {
        printf(",\n  \"boot_seed\": \"");
        put_hex(&t->boot_seed);
        printf("\"");
    }
    if (t->cert_ref.p != NULL) {
        printf(",\n  \"certification_reference\": \"");
        put_text(&t->cert_ref, 1);
        printf("\"");
    }
    if (t->verification_service.p != NULL) {
        printf(",\n  \"verification_service\": \"");
        put_text(&t->verification_service, 1);
        printf("\"");
    }
    printf(",\n  \"software_components\": [");
    for (size_t i = 0; i < t->component_count; i++) {
        const struct sm_token_component *c = &t->components[i];
        printf("%s\n    {", i == 0 ? "" : ",");
        if (c->type.p != NULL) {
            printf("\"measurement_type\": \"");
            put_text(&c->type, 1);
            printf("\", ");
        }
        if (c->version.p != NULL) {
            printf("\"version\": \"");
            put_text(&c->version, 1);
            printf("\", ");
        }
        printf("\"measurement_value\": \"");
        put_hex(&c->measurement);
        printf("\", \"signer_id\": \"");
        put_hex(&c->signer);
        printf("\"}");
    }
    printf("\n  ]\n}\n");
}

static void print_text(const struct sm_token *t)
{
    printf("profile:                 %s\n", t->profile == SM_TOKEN_PSA_TFM
                                                ? "tag:psacertified.org,2023:psa#tfm (RFC 9783)"
                                                : "PSA_IOT_PROFILE_1 (legacy)");
    printf("nonce:                   ");
    put_hex(&t->nonce);
    printf("\ninstance id:             ");
    put_hex(&t->instance_id);
    printf("\nclient id:               %lld%s\n", (long long)t->client_id,
           t->client_id < 0 ? " (non-secure)" : " (secure partition)");
    printf("security lifecycle:      0x%04llx (%s)\n", (unsigned long long)t->lifecycle,
           lifecycle_name(t->lifecycle));
    printf("implementation id:       ");
    put_hex(&t->implementation_id);
    if (t->boot_seed.p != NULL) {
        printf("\nboot seed:               ");
        put_hex(&t->boot_seed);
    }
    if (t->cert_ref.p != NULL) {
        printf("\ncertification reference: ");
        put_text(&t->cert_ref, 0);
    }
    if (t->verification_service.p != NULL) {
        printf("\nverification service:    ");
        put_text(&t->verification_service, 0);
    }
    printf("\nsoftware components:     %zu\n", t->component_count);
    for (size_t i = 0; i < t->component_count; i++) {
        const struct sm_token_component *c = &t->components[i];
        printf("  [%zu] ", i);
        put_text(&c->type, 0);
        printf(" ");
        put_text(&c->version, 0);
        printf("\n      measurement ");
        put_hex(&c->measurement);
        printf("\n      signer      ");
        put_hex(&c->signer);
        printf("\n");
    }
}

/* The measurement and signer of a signed image file, as the boot stages record them. */
static int image_identity(const char *path, uint8_t measurement[32], uint8_t signer[32])
{
    uint8_t *img;
    size_t len;
    if (smtool_read_file("token", path, IMAGE_FILE_MAX, &img, &len) != 0) {
        return -1;
    }
    struct bl_reader r = bl_reader_mem(img, (uint32_t)len);
    struct bl_image_info info;
    int rc = bl_image_parse(&r, &info);
    if (rc != BL_OK) {
        fprintf(stderr, "smtool token: %s: not a signed image: %s\n", path, bl_strerror(rc));
    } else if ((info.hdr.flags & (BL_IMAGE_F_ENCRYPTED_AES128 | BL_IMAGE_F_ENCRYPTED_AES256)) !=
               0) {
        fprintf(stderr,
                "smtool token: %s: encrypted: its measurement is of the plaintext; give "
                "the image as it is signed before encryption\n",
                path);
        rc = -1;
    } else if (info.keyhash_off == 0 && info.pubkey_off == 0) {
        fprintf(stderr, "smtool token: %s: no key hash or public key TLV: no signer id\n", path);
        rc = -1;
    } else {
        bl_sha256(img, (size_t)info.hdr.hdr_size + info.hdr.img_size + info.prot_size, measurement);
        if (info.keyhash_off != 0) {
            memcpy(signer, img + info.keyhash_off, 32);
        } else {
            bl_sha256(img + info.pubkey_off, BL_PUBKEY_DER_LEN, signer);
        }
    }
    free(img);
    return rc == BL_OK ? 0 : -1;
}

static int verify(int argc, char **argv)
{
    enum { OPT_NONCE = 256, OPT_IMAGE, OPT_JSON };
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"nonce", required_argument, NULL, OPT_NONCE},
        {"image", required_argument, NULL, OPT_IMAGE},
        {"json", no_argument, NULL, OPT_JSON},
        {NULL, 0, NULL, 0},
    };
    const char *key_path = NULL, *nonce_hex = NULL, *images[IMAGES_MAX];
    int n_images = 0, json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
        if (c == 'k') {
            key_path = optarg;
        } else if (c == OPT_NONCE) {
            nonce_hex = optarg;
        } else if (c == OPT_IMAGE) {
            if (n_images == IMAGES_MAX) {
                fprintf(stderr, "smtool token verify: at most %d images\n", IMAGES_MAX);
                return 2;
            }
            images[n_images++] = optarg;
        } else if (c == OPT_JSON) {
            json = 1;
        } else {
            return 2;
        }
    }
    if (key_path == NULL || optind + 1 != argc) {
        fprintf(stderr,
                "usage: smtool token verify -k IAK.pub.pem TOKEN [--nonce HEX] [--image FILE]...\n"
                "         [--json]\n"
                "  TOKEN: the token's CBOR bytes, or the same in hex. Exit status 0 only for a\n"
                "  token signed by the key, well formed, with the nonce and every image given.\n");
        return 2;
    }
    uint8_t nonce[64];
    size_t nonce_len = 0;
    if (nonce_hex != NULL) {
        nonce_len = strlen(nonce_hex) / 2;
        if ((nonce_len != 32 && nonce_len != 48 && nonce_len != 64) ||
            smtool_parse_hex(nonce_hex, nonce, nonce_len) != 0) {
            fprintf(stderr, "smtool token verify: --nonce is 32, 48 or 64 bytes in hex\n");
            return 2;
        }
    }
    uint8_t pub[64];
    if (sm_keys_init() != 0 || sm_key_file_public(key_path, pub) != 0) {
        return 1;
    }
    uint8_t *tok;
    size_t len;
    const char *path = argv[optind];
    if (smtool_read_file("token verify", path, TOKEN_FILE_MAX, &tok, &len) != 0) {
        return 1;
    }
    maybe_unhex(tok, &len);
    struct sm_token t;
    char why[160];
    int rc = 1;
    if (sm_token_verify(tok, len, pub, &t, why, sizeof(why)) != 0) {
        fprintf(stderr, "smtool token verify: %s: rejected: %s\n", path, why);
        goto out;
    }
    if (nonce_hex != NULL &&
        (t.nonce.n != nonce_len || !bl_ct_equal(t.nonce.p, nonce, nonce_len))) {
        fprintf(stderr, "smtool token verify: %s: rejected: the nonce is not the one given\n",
                path);
        goto out;
    }
    for (int i = 0; i < n_images; i++) {
        uint8_t m[32], s[32];
        if (image_identity(images[i], m, s) != 0) {
            goto out;
        }
        int found = 0;
        for (size_t j = 0; j < t.component_count && !found; j++) {
            const struct sm_token_component *sc = &t.components[j];
            found = sc->measurement.n == 32 && memcmp(sc->measurement.p, m, 32) == 0 &&
                    sc->signer.n == 32 && memcmp(sc->signer.p, s, 32) == 0;
        }
        if (!found) {
            fprintf(stderr,
                    "smtool token verify: %s: rejected: no software component with the "
                    "measurement and signer of %s\n",
                    path, images[i]);
            goto out;
        }
    }
    if (json) {
        print_json(&t);
    } else {
        print_text(&t);
        printf("verified: signed by %s%s%s\n", key_path, nonce_hex != NULL ? ", nonce matches" : "",
               n_images > 0 ? ", every image measured" : "");
    }
    rc = 0;
out:
    free(tok);
    return rc;
}

int smtool_cmd_token(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0) {
        return verify(argc - 1, argv + 1);
    }
    fprintf(stderr, "usage: smtool token verify -k IAK.pub.pem TOKEN [--nonce HEX] "
                    "[--image FILE]... [--json]\n");
    return 2;
}
