/*
 * cmd_package.c: smtool package --config install.json -o PKG, the OEM's install package
 * (docs/design/install-package.md): the configuration and the images of a device, encrypted
 * and authenticated under a fresh package key, which the file carries wrapped for the OEM's
 * line key only.
 *
 * install.json is one flat object (sm_json.h); paths are relative to its directory:
 *   "line_key" (required): the programming station's key (its public half is enough here)
 *   "lifecycle_key" (required): the OEM's lifecycle key (public half)
 *   "ns_install_key" (required): the device's image decryption key for the OEM's NS image
 *   "key.urot", "key.sm", "key.ns", "key.module0".."key.module3": signing keys (public)
 *   "image.urot", ... "image.module3": the images as delivered (already encrypted)
 *   "modules", "its_size", "its_max_asset": numbers; "ns_updates": as provision --ns-updates
 *   "implementation_id" (64 hex digits), "cert_ref", "verification_url": strings
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_crypto.h"
#include "mbedtls/pk.h"
#include "psa/crypto.h"
#include "sm_json.h"
#include "sm_keys.h"
#include "sm_pkg.h"
#include "sm_sign.h"
#include "smtool.h"

#define MAX_PAIRS 32u

static const char *const kind_names[SM_PKG_KINDS] = {"urot",    "sm",      "ns",     "module0",
                                                     "module1", "module2", "module3"};

struct build {
    const char *dir;
    struct sm_pkg_config cfg;
    uint8_t line_pub[64];
    uint8_t *images[SM_PKG_KINDS];
    size_t image_len[SM_PKG_KINDS];
};

static void path_of(const struct build *b, const char *name, char *out, size_t n)
{
    if (name[0] == '/') {
        snprintf(out, n, "%s", name);
    } else {
        snprintf(out, n, "%s/%s", b->dir, name);
    }
}

/* One pair of install.json into the build. 0, or -1 with the reason printed. */
static int apply(struct build *b, const struct sm_json_pair *e, unsigned *have)
{
    char path[1024];
    struct sm_pkg_config *c = &b->cfg;
    const bool str = e->is_string;
    if (str) {
        path_of(b, e->str, path, sizeof(path));
    }
    if (strcmp(e->key, "line_key") == 0 && str) {
        *have |= 1u;
        return sm_key_file_public(path, b->line_pub);
    }
    if (strcmp(e->key, "lifecycle_key") == 0 && str) {
        *have |= 2u;
        return sm_key_file_public(path, c->lifecycle_pub);
    }
    if (strcmp(e->key, "ns_install_key") == 0 && str) {
        mbedtls_pk_context pk;
        int rc = sm_key_load_private(path, &pk);
        if (rc == 0) {
            rc = sm_key_private_raw(path, &pk, c->ns_install_key);
        }
        mbedtls_pk_free(&pk);
        *have |= 4u;
        return rc;
    }
    for (unsigned k = 0; k < SM_PKG_KINDS; k++) {
        char name[32];
        snprintf(name, sizeof(name), "key.%s", kind_names[k]);
        if (strcmp(e->key, name) == 0 && str) {
            return sm_key_file_public(path, c->keys[k]);
        }
        snprintf(name, sizeof(name), "image.%s", kind_names[k]);
        if (strcmp(e->key, name) == 0 && str) {
            return smtool_read_file("package", path, sm_pkg_image_max((uint8_t)k), &b->images[k],
                                    &b->image_len[k]);
        }
    }
    if (strcmp(e->key, "modules") == 0 && !str) {
        c->module_slots = e->num;
    } else if (strcmp(e->key, "its_size") == 0 && !str) {
        c->its_size = e->num;
    } else if (strcmp(e->key, "its_max_asset") == 0 && !str) {
        c->its_max_asset = e->num;
    } else if (strcmp(e->key, "ns_updates") == 0 && str) {
        const long bits = smtool_parse_components(e->str);
        if (bits < 0) {
            fprintf(stderr,
                    "smtool package: ns_updates '%s': all, none, or a list of urot, sm, "
                    "ns, module0..module3, modules\n",
                    e->str);
            return -1;
        }
        c->fwu_ns_components = (uint32_t)bits;
    } else if (strcmp(e->key, "implementation_id") == 0 && str) {
        if (smtool_parse_hex(e->str, c->implementation_id, 32) != 0) {
            fprintf(stderr, "smtool package: implementation_id is 64 hex digits\n");
            return -1;
        }
    } else if (strcmp(e->key, "cert_ref") == 0 && str && strlen(e->str) <= SM_PKG_CERT_REF_MAX) {
        c->cert_ref_len = (uint8_t)strlen(e->str);
        memcpy(c->cert_ref, e->str, c->cert_ref_len);
    } else if (strcmp(e->key, "verification_url") == 0 && str && strlen(e->str) <= SM_PKG_URL_MAX) {
        c->url_len = (uint8_t)strlen(e->str);
        memcpy(c->url, e->str, c->url_len);
    } else {
        fprintf(stderr,
                "smtool package: install.json: '%s': unknown key, or a value of the "
                "wrong type or length\n",
                e->key);
        return -1;
    }
    return 0;
}

static int tag(const uint8_t mac[32], const uint8_t *msg, size_t len, uint8_t out[32])
{
    struct bl_hmac h;
    int rc = bl_hmac_start(&h, mac, 32);
    if (rc == 0) {
        rc = bl_hmac_tag(&h, msg, len, out);
    }
    bl_hmac_end(&h);
    return rc;
}

/* The package's bytes (header, then the chunks) from a checked build. */
static int seal(struct build *b, uint8_t **out, size_t *out_len)
{
    static const char enc_info[] = "SM pkg v1 enc", mac_info[] = "SM pkg v1 mac";
    struct sm_pkg_file f;
    uint8_t key[32], enc[32], mac[32];
    size_t length = SM_PKG_CONFIG_SIZE;
    memset(&f, 0, sizeof(f));
    for (unsigned k = 0; k < SM_PKG_KINDS; k++) {
        if (b->images[k] != NULL) {
            b->cfg.images[b->cfg.image_count].kind = (uint8_t)k;
            b->cfg.images[b->cfg.image_count].size = (uint32_t)b->image_len[k];
            b->cfg.image_count++;
            length += b->image_len[k];
        }
    }
    f.length = (uint32_t)length;
    f.chunks = (uint32_t)((length + SM_PKG_CHUNK - 1) / SM_PKG_CHUNK);
    uint8_t *stream = malloc(length);
    uint8_t *file =
        malloc(SM_PKG_FILE_HDR + (size_t)f.chunks * (SM_PKG_CHUNK_HDR + SM_PKG_TAG) + length);
    int rc = stream != NULL && file != NULL ? 0 : -1;
    if (rc == 0 && sm_pkg_encode_config(&b->cfg, f.length, stream) < 0) {
        fprintf(stderr, "smtool package: the configuration is refused (ranges: modules 0..4, "
                        "its_size whole 8 KiB sectors up to 256 KiB, its_max_asset at most "
                        "its_size, cert_ref 13 digits '-' 5 digits, a printable URL, a key for "
                        "every image's kind, a module image within the modules in use)\n");
        rc = -1;
    }
    size_t at = SM_PKG_CONFIG_SIZE;
    for (unsigned k = 0; rc == 0 && k < SM_PKG_KINDS; k++) {
        if (b->images[k] != NULL) {
            memcpy(stream + at, b->images[k], b->image_len[k]);
            at += b->image_len[k];
        }
    }
    if (rc == 0 &&
        (psa_generate_random(key, sizeof(key)) != PSA_SUCCESS ||
         psa_generate_random(f.id, sizeof(f.id)) != PSA_SUCCESS ||
         bl_hkdf_sha256(key, 32, (const uint8_t *)enc_info, sizeof(enc_info) - 1, enc, 32) != 0 ||
         bl_hkdf_sha256(key, 32, (const uint8_t *)mac_info, sizeof(mac_info) - 1, mac, 32) != 0 ||
         sm_ecies_wrap(b->line_pub, key, sizeof(key), f.line_wrap) != 0)) {
        rc = -1;
    }
    if (rc == 0) {
        struct bl_aes_ctr aes;
        rc = bl_aes_ctr_start(&aes, enc, sizeof(enc));
        if (rc == 0) {
            bl_aes_ctr_crypt(&aes, 0, stream, length);
        }
        bl_aes_ctr_end(&aes);
    }
    uint8_t prefix[SM_PKG_TAG_PREFIX + SM_PKG_CHUNK_MAX];
    if (rc == 0) {
        sm_pkg_tag_prefix(false, f.id, f.chunks, f.length, prefix);
        rc = tag(mac, prefix, SM_PKG_TAG_PREFIX, f.begin_tag);
    }
    size_t pos = SM_PKG_FILE_HDR;
    if (rc == 0 && sm_pkg_encode_file(&f, file) < 0) {
        rc = -1;
    }
    for (uint32_t i = 0; rc == 0 && i < f.chunks; i++) {
        const size_t n = sm_pkg_chunk_size(i, f.chunks, f.length) - SM_PKG_CHUNK_HDR - SM_PKG_TAG;
        sm_pkg_tag_prefix(true, f.id, f.chunks, f.length, prefix);
        sm_pkg_chunk_header(i, (uint16_t)n, i + 1 == f.chunks, prefix + SM_PKG_TAG_PREFIX);
        memcpy(prefix + SM_PKG_TAG_PREFIX + SM_PKG_CHUNK_HDR, stream + (size_t)i * SM_PKG_CHUNK, n);
        memcpy(file + pos, prefix + SM_PKG_TAG_PREFIX, SM_PKG_CHUNK_HDR + n);
        rc = tag(mac, prefix, SM_PKG_TAG_PREFIX + SM_PKG_CHUNK_HDR + n,
                 file + pos + SM_PKG_CHUNK_HDR + n);
        pos += SM_PKG_CHUNK_HDR + n + SM_PKG_TAG;
    }
    bl_zeroize(key, sizeof(key));
    bl_zeroize(enc, sizeof(enc));
    bl_zeroize(mac, sizeof(mac));
    if (stream != NULL) {
        bl_zeroize(stream, length);
        free(stream);
    }
    if (rc != 0) {
        free(file);
        return -1;
    }
    *out = file;
    *out_len = pos;
    return 0;
}

int smtool_cmd_package(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"output", required_argument, NULL, 'o'},
                                         {NULL, 0, NULL, 0}};
    const char *config = NULL, *output = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        if (c == 'c') {
            config = optarg;
        } else if (c == 'o') {
            output = optarg;
        } else {
            config = NULL;
            break;
        }
    }
    if (config == NULL || output == NULL || optind != argc) {
        fprintf(stderr, "usage: smtool package --config install.json -o PACKAGE\n");
        return 2;
    }
    uint8_t *text = NULL;
    size_t len = 0;
    if (sm_keys_init() != 0 || smtool_read_file("package", config, 65536, &text, &len) != 0) {
        return 1;
    }
    static struct sm_json_pair pairs[MAX_PAIRS];
    size_t n = 0;
    char why[96];
    const int prc = sm_json_parse((const char *)text, len, pairs, MAX_PAIRS, &n, why);
    free(text);
    if (prc != 0) {
        fprintf(stderr, "smtool package: %s: %s\n", config, why);
        return 1;
    }
    char *dir_copy = strdup(config);
    struct build b = {.dir = dir_copy != NULL ? dirname(dir_copy) : "."};
    b.cfg.its_size = 0x10000; /* as smtool provision's defaults */
    b.cfg.its_max_asset = 4096;
    b.cfg.fwu_ns_components = (1u << SM_PKG_KINDS) - 1u;
    unsigned have = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = apply(&b, &pairs[i], &have);
    }
    if (rc == 0 && have != 7u) {
        fprintf(stderr, "smtool package: install.json needs line_key, lifecycle_key and "
                        "ns_install_key\n");
        rc = -1;
    }
    uint8_t *pkg = NULL;
    size_t pkg_len = 0;
    if (rc == 0) {
        rc = seal(&b, &pkg, &pkg_len);
    }
    if (rc == 0) {
        rc = smtool_write_file("package", output, pkg, pkg_len);
    }
    if (rc == 0) {
        struct sm_pkg_file f;
        (void)sm_pkg_parse_file(pkg, SM_PKG_FILE_HDR, &f);
        printf("package: %s, %u image(s), %zu bytes (%u chunk(s))\n", output,
               (unsigned)b.cfg.image_count, pkg_len, (unsigned)f.chunks);
    }
    free(pkg);
    for (unsigned k = 0; k < SM_PKG_KINDS; k++) {
        free(b.images[k]);
    }
    bl_zeroize(&b.cfg, sizeof(b.cfg));
    bl_zeroize(pairs, sizeof(pairs));
    free(dir_copy);
    return rc == 0 ? 0 : 1;
}
