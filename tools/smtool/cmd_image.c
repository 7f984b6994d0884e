/*
 * cmd_image.c: `smtool keygen`, `getpub`, `sign` and `verify`. `sign` takes imgtool's flags with
 * imgtool's meaning (a command line written for imgtool works unchanged); those that have no
 * meaning for this flash or these boot stages are refused with what to use instead.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bl_crypto.h"
#include "bl_status.h"
#include "bl_trailer.h"
#include "bl_verify.h"
#include "mbedtls/pk.h"
#include "sm_keys.h"
#include "sm_sign.h"
#include "smtool.h"

#define MAX_IMAGE (16u * 1024 * 1024)

static void print_hex(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
}

/* Parses "MAJOR.MINOR.REVISION+BUILD" (trailing parts optional), as imgtool does. */
static int parse_version(const char *s, struct bl_image_version *v)
{
    unsigned long part[4] = {0, 0, 0, 0};
    const unsigned long max[4] = {255, 255, 65535, 4294967295ul};
    const char *p = s;
    for (int i = 0; i < 4; i++) {
        char *end;
        errno = 0;
        part[i] = strtoul(p, &end, 10);
        if (end == p || errno != 0 || part[i] > max[i] || *p == '-' || *p == '+') {
            return -1;
        }
        p = end;
        if (*p == '\0') {
            break;
        }
        if ((i < 2 && *p != '.') || (i == 2 && *p != '+') || i == 3) {
            return -1;
        }
        p++;
    }
    v->major = (uint8_t)part[0];
    v->minor = (uint8_t)part[1];
    v->revision = (uint16_t)part[2];
    v->build = (uint32_t)part[3];
    return 0;
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v > UINT32_MAX) {
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* imgtool's dependency syntax: "(ID,VERSION)" pairs separated by commas. */
static int parse_dependencies(const char *s, struct sm_sign_opts *o)
{
    const char *p = s;
    while (*p != '\0') {
        while (*p == ' ' || *p == ',') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        unsigned id;
        char ver[64];
        int used;
        if (o->n_deps >= BL_MAX_DEPENDENCIES ||
            sscanf(p, " ( %u , %63[0-9.+] )%n", &id, ver, &used) != 2 || id > 255) {
            return -1;
        }
        struct bl_dependency *d = &o->deps[o->n_deps++];
        d->image_id = (uint8_t)id;
        d->flags = 0;
        if (parse_version(ver, &d->min_version) != 0) {
            return -1;
        }
        p += used;
    }
    return 0;
}

int smtool_cmd_keygen(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"type", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *path = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:t:", opts, NULL)) != -1) {
        if (c == 'k') {
            path = optarg;
        } else if (c == 't') {
            if (strcmp(optarg, "ecdsa-p256") != 0) {
                fprintf(stderr, "smtool keygen: key type '%s' not supported (ecdsa-p256)\n",
                        optarg);
                return 2;
            }
        } else {
            return 2;
        }
    }
    if (path == NULL || optind != argc) {
        fprintf(stderr, "usage: smtool keygen -k KEY.pem [-t ecdsa-p256]\n"
                        "  P-256 keys serve both for signing images and as a device's image\n"
                        "  encryption key.\n");
        return 2;
    }
    if (sm_keys_init() != 0 || sm_key_generate(path) != 0) {
        return 1;
    }
    printf("wrote ECDSA P-256 key %s\n", path);
    return 0;
}

int smtool_cmd_getpub(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"output", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *path = NULL, *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:o:", opts, NULL)) != -1) {
        if (c == 'k') {
            path = optarg;
        } else if (c == 'o') {
            out = optarg;
        } else {
            return 2;
        }
    }
    if (path == NULL || optind != argc) {
        fprintf(stderr, "usage: smtool getpub -k KEY.pem [-o PUBLIC.pem]\n");
        return 2;
    }
    mbedtls_pk_context pk;
    uint8_t pub[64], hash[32];
    unsigned char pem[512];
    if (sm_keys_init() != 0 || sm_key_load_public(path, &pk) != 0 ||
        sm_key_public_raw(path, &pk, pub) != 0) {
        return 1;
    }
    int rc = mbedtls_pk_write_pubkey_pem(&pk, pem, sizeof(pem));
    mbedtls_pk_free(&pk);
    if (rc != 0) {
        fprintf(stderr, "smtool getpub: %s: cannot encode the public key\n", path);
        return 1;
    }
    if (out != NULL && smtool_write_file("getpub", out, pem, strlen((char *)pem)) != 0) {
        return 1;
    }
    sm_key_hash(pub, hash);
    if (out == NULL) {
        fputs((char *)pem, stdout);
    }
    printf("key hash (SHA-256 of the DER public key): ");
    print_hex(hash, sizeof(hash));
    printf("\n");
    return 0;
}

/* imgtool's TLV types (image.py TLV_VALUES): a custom TLV may not take one. */
static bool predefined_tlv(unsigned tag)
{
    static const uint8_t known[] = {0x01, 0x02, 0x10, 0x11, 0x12, 0x20, 0x22, 0x23,
                                    0x24, 0x25, 0x30, 0x31, 0x32, 0x33, 0x34, 0x40,
                                    0x50, 0x60, 0x70, 0x71, 0x72, 0x73, 0x74, 0x75};
    for (size_t i = 0; i < sizeof(known); i++) {
        if (tag == known[i]) {
            return true;
        }
    }
    return false;
}

/* --custom-tlv TAG VALUE: VALUE "0x..." is hex bytes, anything else its UTF-8 text. */
static int parse_custom_tlv(const char *tag_s, const char *value, struct sm_sign_opts *o,
                            uint8_t *storage, size_t *used)
{
    uint32_t tag;
    if (parse_u32(tag_s, &tag) != 0 || tag > 0xFFFF) {
        fprintf(stderr, "smtool sign: --custom-tlv: bad tag '%s'\n", tag_s);
        return -1;
    }
    if (predefined_tlv(tag)) {
        fprintf(stderr, "smtool sign: --custom-tlv: 0x%x conflicts with a predefined TLV\n",
                (unsigned)tag);
        return -1;
    }
    for (unsigned i = 0; i < o->n_custom; i++) {
        if (o->custom[i].tag == tag) {
            fprintf(stderr, "smtool sign: --custom-tlv: 0x%x given twice\n", (unsigned)tag);
            return -1;
        }
    }
    if (o->n_custom == SM_CUSTOM_TLV_MAX) {
        fprintf(stderr, "smtool sign: --custom-tlv: at most %u\n", (unsigned)SM_CUSTOM_TLV_MAX);
        return -1;
    }
    size_t n = strlen(value), len;
    uint8_t *v = storage + *used;
    if (strncmp(value, "0x", 2) == 0) {
        if ((n - 2) % 2 != 0) {
            fprintf(stderr, "smtool sign: --custom-tlv: the length of '%s' is odd\n", value);
            return -1;
        }
        len = (n - 2) / 2;
        for (size_t i = 0; i < len; i++) {
            unsigned byte;
            if (sscanf(value + 2 + 2 * i, "%2x", &byte) != 1) {
                fprintf(stderr, "smtool sign: --custom-tlv: '%s' is not hex\n", value);
                return -1;
            }
            v[i] = (uint8_t)byte;
        }
    } else {
        len = n;
        memcpy(v, value, n);
    }
    o->custom[o->n_custom++] = (struct sm_custom_tlv){(uint16_t)tag, (uint16_t)len, v};
    *used += len;
    return 0;
}

/* imgtool flags that cannot mean here what they mean to MCUboot: refused, saying why. */
static int refuse(const char *flag, const char *value, const char *why)
{
    fprintf(stderr, "smtool sign: %s%s%s: %s\n", flag, value != NULL ? " " : "",
            value != NULL ? value : "", why);
    return 2;
}

int smtool_cmd_sign(int argc, char **argv)
{
    enum {
        OPT_PAD = 256,
        OPT_PAD_HEADER,
        OPT_CONFIRM,
        OPT_PUBKEY_FORMAT,
        OPT_ALIGN,
        OPT_MAX_ALIGN,
        OPT_TEST,
        OPT_PAD_SIG,
        OPT_OVERWRITE_ONLY,
        OPT_BOOT_RECORD,
        OPT_CUSTOM_TLV,
        OPT_VID,
        OPT_CID,
        OPT_ENCRYPT_KEYLEN,
        OPT_SHA,
        OPT_HMAC_SHA,
    };
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"version", required_argument, NULL, 'v'},
        {"header-size", required_argument, NULL, 'H'},
        {"slot-size", required_argument, NULL, 'S'},
        {"security-counter", required_argument, NULL, 's'},
        {"dependencies", required_argument, NULL, 'd'},
        {"encrypt", required_argument, NULL, 'E'},
        {"pad", no_argument, NULL, OPT_PAD},
        {"pad-header", no_argument, NULL, OPT_PAD_HEADER},
        {"confirm", no_argument, NULL, OPT_CONFIRM},
        {"public-key-format", required_argument, NULL, OPT_PUBKEY_FORMAT},
        {"load-addr", required_argument, NULL, 'L'},
        {"rom-fixed", required_argument, NULL, 'F'},
        {"erased-val", required_argument, NULL, 'R'},
        {"endian", required_argument, NULL, 'e'},
        {"max-sectors", required_argument, NULL, 'M'},
        {"align", required_argument, NULL, OPT_ALIGN},
        {"max-align", required_argument, NULL, OPT_MAX_ALIGN},
        {"test", no_argument, NULL, OPT_TEST},
        {"pad-sig", no_argument, NULL, OPT_PAD_SIG},
        {"overwrite-only", no_argument, NULL, OPT_OVERWRITE_ONLY},
        {"boot-record", required_argument, NULL, OPT_BOOT_RECORD},
        {"custom-tlv", required_argument, NULL, OPT_CUSTOM_TLV},
        {"vid", required_argument, NULL, OPT_VID},
        {"cid", required_argument, NULL, OPT_CID},
        {"encrypt-keylen", required_argument, NULL, OPT_ENCRYPT_KEYLEN},
        {"sha", required_argument, NULL, OPT_SHA},
        {"hmac-sha", required_argument, NULL, OPT_HMAC_SHA},
        {NULL, 0, NULL, 0},
    };
    struct sm_sign_opts o = {.hdr_size = 0x400};
    bool sec_cnt_auto = false, test = false;
    const char *key_path = NULL, *enc_path = NULL, *cid_name = NULL;
    static uint8_t custom_values[4096];
    size_t custom_used = 0;
    uint32_t rom_fixed = 0, load_addr = 0;
    int c;
    uint32_t v32;
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:v:H:S:s:d:E:L:F:R:e:M:", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            key_path = optarg;
            break;
        case 'v':
            if (parse_version(optarg, &o.version) != 0) {
                fprintf(stderr, "smtool sign: bad version '%s' (MAJOR.MINOR.REVISION+BUILD)\n",
                        optarg);
                return 2;
            }
            break;
        case 'H':
            if (parse_u32(optarg, &v32) != 0 || v32 < BL_IMAGE_HEADER_SIZE || v32 > 0xFFFF) {
                fprintf(stderr, "smtool sign: bad header size '%s' (32 .. 0xffff)\n", optarg);
                return 2;
            }
            o.hdr_size = (uint16_t)v32;
            break;
        case 'S':
            if (parse_u32(optarg, &o.slot_size) != 0 || o.slot_size <= BL_TRAILER_SIZE) {
                fprintf(stderr, "smtool sign: bad slot size '%s'\n", optarg);
                return 2;
            }
            break;
        case 's':
            /* "auto" derives it from the version, as imgtool does (after -v is parsed). */
            if (strcmp(optarg, "auto") != 0 && parse_u32(optarg, &o.sec_cnt) != 0) {
                fprintf(stderr, "smtool sign: bad security counter '%s' (a number or auto)\n",
                        optarg);
                return 2;
            }
            sec_cnt_auto = strcmp(optarg, "auto") == 0;
            o.has_sec_cnt = true;
            break;
        case 'd':
            if (parse_dependencies(optarg, &o) != 0) {
                fprintf(stderr,
                        "smtool sign: bad dependencies '%s' (\"(ID,VERSION)\", at most %u)\n",
                        optarg, BL_MAX_DEPENDENCIES);
                return 2;
            }
            break;
        case 'E':
            enc_path = optarg;
            break;
        case OPT_PAD:
            o.pad = true;
            break;
        case OPT_PAD_HEADER:
            o.pad_header = true;
            break;
        case OPT_CONFIRM:
            o.confirm = true;
            break;
        case OPT_PUBKEY_FORMAT:
            if (strcmp(optarg, "hash") != 0 && strcmp(optarg, "full") != 0) {
                fprintf(stderr, "smtool sign: --public-key-format is hash or full\n");
                return 2;
            }
            o.pubkey_full = strcmp(optarg, "full") == 0;
            break;
        case 'L': /* imgtool: a RAM-load image (RAM_LOAD, its load address) */
            if (parse_u32(optarg, &load_addr) != 0) {
                fprintf(stderr, "smtool sign: bad load address '%s'\n", optarg);
                return 2;
            }
            break;
        case 'F': /* imgtool: built for this flash address (ROM_FIXED, the address) */
            if (parse_u32(optarg, &rom_fixed) != 0) {
                fprintf(stderr, "smtool sign: bad ROM address '%s'\n", optarg);
                return 2;
            }
            break;
        case 'R':
            if (strcmp(optarg, "0xff") != 0 && strcmp(optarg, "0xFF") != 0) {
                return refuse("-R", optarg, "this flash reads 0xff when erased (use -R 0xff)");
            }
            break;
        case 'e':
            if (strcmp(optarg, "little") != 0) {
                return refuse("-e", optarg,
                              "the Cortex-M33 boot stages read little-endian images "
                              "(use -e little)");
            }
            break;
        case 'M':
            return refuse("-M", optarg,
                          "the boot stages here keep no swap status of max-sectors entries in "
                          "the trailer: theirs is fixed (docs/design/secure-boot.md); omit -M");
        case OPT_ALIGN:
        case OPT_MAX_ALIGN:
            /* This flash programs 16-byte units, and the trailer is laid out for them. */
            if (strcmp(optarg, "16") != 0) {
                return refuse(c == OPT_ALIGN ? "--align" : "--max-align", optarg,
                              "this flash programs 16-byte units and the boot stages read a "
                              "trailer laid out for them; an image padded for another alignment "
                              "would have its trailer where they do not look (use 16)");
            }
            break;
        case OPT_TEST:
            test = true;
            break;
        case OPT_PAD_SIG:
            o.pad_sig = true;
            break;
        case OPT_OVERWRITE_ONLY:
            return refuse("--overwrite-only", NULL,
                          "the boot stages here install by swap with revert, whose trailer "
                          "this image gets; omit --overwrite-only");
        case OPT_BOOT_RECORD:
            o.sw_type = optarg;
            break;
        case OPT_CUSTOM_TLV: /* two arguments, as imgtool's: TAG VALUE */
            if (optind >= argc) {
                fprintf(stderr, "smtool sign: --custom-tlv takes TAG VALUE\n");
                return 2;
            }
            if (parse_custom_tlv(optarg, argv[optind], &o, custom_values, &custom_used) != 0) {
                return 2;
            }
            optind++;
            break;
        case OPT_VID:
            if (sm_uuid_parse(sm_uuid_namespace_dns, optarg, o.vid) != 0) {
                fprintf(stderr, "smtool sign: --vid: '%s' is not a UUID or a domain name\n",
                        optarg);
                return 2;
            }
            o.has_vid = true;
            break;
        case OPT_CID:
            cid_name = optarg; /* its namespace is the vendor's UUID: parsed after --vid */
            break;
        case OPT_ENCRYPT_KEYLEN:
            if (strcmp(optarg, "128") == 0 || strcmp(optarg, "256") == 0) {
                o.aes256 = optarg[0] == '2';
            } else {
                return refuse("--encrypt-keylen", optarg,
                              "MCUboot's image keys are AES-128 or AES-256 "
                              "(use --encrypt-keylen 128 or 256)");
            }
            break;
        case OPT_SHA:
            if (strcmp(optarg, "256") != 0 && strcmp(optarg, "auto") != 0) {
                return refuse("--sha", optarg,
                              "the boot stages hash images with SHA-256 (use --sha 256)");
            }
            break;
        case OPT_HMAC_SHA:
            if (strcmp(optarg, "256") != 0 && strcmp(optarg, "auto") != 0) {
                return refuse("--hmac-sha", optarg,
                              "ECIES-P256 key exchange uses HMAC-SHA-256 (use --hmac-sha 256)");
            }
            break;
        default:
            return 2;
        }
    }
    if (cid_name != NULL) {
        if (sm_uuid_parse(o.has_vid ? o.vid : NULL, cid_name, o.cid) != 0) {
            fprintf(stderr,
                    "smtool sign: --cid: '%s' is not a UUID, or a name without --vid (its "
                    "namespace)\n",
                    cid_name);
            return 2;
        }
        o.has_cid = true;
    }
    if (load_addr != 0 && rom_fixed != 0) {
        fprintf(stderr, "smtool sign: -L/--load-addr and -F/--rom-fixed exclude each other\n");
        return 2;
    }
    /* As imgtool: -L makes a RAM_LOAD image and -F a ROM_FIXED one, each with its address. */
    if (load_addr != 0) {
        fprintf(stderr, "smtool sign: warning: -L makes a RAM_LOAD image, as imgtool does; the "
                        "boot stages here run images in place and refuse it\n");
    }
    o.load_addr = rom_fixed != 0 ? rom_fixed : load_addr;
    o.flags =
        (load_addr != 0 ? BL_IMAGE_F_RAM_LOAD : 0u) | (rom_fixed != 0 ? BL_IMAGE_F_ROM_FIXED : 0u);
    if (test) {
        if (o.confirm) {
            fprintf(stderr, "smtool sign: --test and --confirm exclude each other\n");
            return 2;
        }
        o.pad = true; /* imgtool: --test implies --pad (a test swap: not confirmed) */
    }
    if (o.confirm) {
        o.pad = true; /* imgtool: --confirm implies --pad */
    }
    if (key_path == NULL || optind + 2 != argc) {
        fprintf(
            stderr,
            "usage: smtool sign -k KEY.pem [-v VERSION] [-H HDR_SIZE] [-S SLOT_SIZE] [-s COUNTER]\n"
            "                   [-d \"(ID,VERSION)\"] [-E DEVICE_ENC_KEY.pem] [--pad] "
            "[--pad-header]\n"
            "                   [--confirm | --test] [--public-key-format hash|full] [--pad-sig]\n"
            "                   [-L LOAD_ADDR | -F ROM_ADDR] [--boot-record SW_TYPE]\n"
            "                   [--custom-tlv TAG VALUE]... [--vid VID] [--cid CID]\n"
            "                   [--align 16] [--max-align 16] [-R 0xff] [-e little] [--sha 256]\n"
            "                   INPUT.bin OUTPUT.bin\n");
        return 2;
    }
    if (sec_cnt_auto) {
        o.sec_cnt = ((uint32_t)o.version.major << 24) | ((uint32_t)o.version.minor << 16) |
                    o.version.revision;
    }
    const char *in_path = argv[optind], *out_path = argv[optind + 1];
    mbedtls_pk_context key;
    uint8_t enc_pub[64];
    uint8_t *in = NULL, *img = NULL;
    size_t in_len, img_len;
    char err[256];
    int rc = 1;
    if (sm_keys_init() != 0 || sm_key_load_private(key_path, &key) != 0) {
        return 1;
    }
    if ((enc_path != NULL && sm_key_file_public(enc_path, enc_pub) != 0) ||
        smtool_read_file("sign", in_path, MAX_IMAGE, &in, &in_len) != 0) {
        goto out;
    }
    if (sm_image_sign(&o, in, in_len, &key, enc_path != NULL ? enc_pub : NULL, &img, &img_len, err,
                      sizeof(err)) != 0) {
        fprintf(stderr, "smtool sign: %s: %s\n", in_path, err);
        goto out;
    }
    if (smtool_write_file("sign", out_path, img, img_len) != 0) {
        goto out;
    }
    printf("signed %s -> %s (%zu bytes%s)\n", in_path, out_path, img_len,
           enc_path == NULL ? ""
           : o.aes256       ? ", encrypted, AES-256"
                            : ", encrypted, AES-128");
    rc = 0;
out:
    mbedtls_pk_free(&key);
    free(in);
    free(img);
    return rc;
}

static void print_version(const struct bl_image_version *v)
{
    printf("%u.%u.%u+%u", v->major, v->minor, v->revision, (unsigned)v->build);
}

static void print_info(const struct bl_reader *r, const struct bl_image_info *info)
{
    const struct bl_image_header *h = &info->hdr;
    printf("header: size 0x%x, load address 0x%x, flags 0x%x%s, version ", h->hdr_size,
           (unsigned)h->load_addr, (unsigned)h->flags,
           info->enc_key_len == 16   ? " (encrypted, AES-128)"
           : info->enc_key_len == 32 ? " (encrypted, AES-256)"
                                     : "");
    print_version(&h->version);
    printf("\npayload: %u bytes\n", (unsigned)h->img_size);
    if (info->has_sec_cnt) {
        printf("security counter: %u\n", (unsigned)info->sec_cnt);
    } else {
        printf("security counter: none (0)\n");
    }
    for (unsigned i = 0; i < info->n_deps; i++) {
        printf("dependency: image %u >= ", info->deps[i].image_id);
        print_version(&info->deps[i].min_version);
        printf("\n");
    }
    printf("TLVs: protected %u bytes, unprotected %u bytes\n", (unsigned)info->prot_size,
           (unsigned)info->tlv_size);
    uint8_t v[32];
    if (r->read(r, info->hash_off, v, 32) == BL_OK) {
        printf("  SHA256 (0x10): ");
        print_hex(v, 32);
        printf("\n");
    }
    if (info->keyhash_off != 0 && r->read(r, info->keyhash_off, v, 32) == BL_OK) {
        printf("  KEYHASH (0x01): ");
        print_hex(v, 32);
        printf("\n");
    }
    if (info->pubkey_off != 0) {
        printf("  PUBKEY (0x02): %u bytes\n", BL_PUBKEY_DER_LEN);
    }
    if (info->sig_off != 0) {
        printf("  ECDSA_SIG (0x22): %u bytes\n", info->sig_len);
    }
    if (info->enc_off != 0) {
        printf("  ENC_EC256 (0x32): %u bytes\n", BL_ENC_EC256_TLV_LEN(info->enc_key_len));
    }
}

/* What follows the TLVs in a padded image: erased bytes, then possibly a trailer. */
static int check_padding(const uint8_t *img, size_t len, const struct bl_image_info *info)
{
    if (len == info->total_size) {
        printf("trailer: none (not padded)\n");
        return BL_OK;
    }
    if (len < info->total_size + BL_TRAILER_SIZE) {
        return BL_E_TLV; /* stray bytes after the TLVs */
    }
    /* Everything up to the image_ok and magic fields is erased (imgtool reserves a larger
     * MCUboot trailer; only the last 32 bytes carry anything). */
    for (size_t i = info->total_size; i < len - 32; i++) {
        if (img[i] != 0xFF) {
            return BL_E_TLV;
        }
    }
    struct bl_trailer t;
    bl_trailer_decode(img + len - BL_TRAILER_SIZE, &t);
    printf("trailer: padded to %zu bytes, %s%s\n", len,
           t.magic ? "install requested" : "no install request",
           t.image_ok ? ", confirmed (permanent)" : "");
    return BL_OK;
}

int smtool_cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"encrypt", required_argument, NULL, 'E'},
        {"security-counter", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    const char *key_path = NULL, *enc_path = NULL;
    uint32_t min_sec_cnt = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:E:s:", opts, NULL)) != -1) {
        if (c == 'k') {
            key_path = optarg;
        } else if (c == 'E') {
            enc_path = optarg;
        } else if (c == 's') {
            if (parse_u32(optarg, &min_sec_cnt) != 0) {
                fprintf(stderr, "smtool verify: bad security counter '%s'\n", optarg);
                return 2;
            }
        } else {
            return 2;
        }
    }
    if (key_path == NULL || optind + 1 != argc) {
        fprintf(stderr, "usage: smtool verify -k KEY.pem [-E DEVICE_ENC_KEY.pem] [-s MIN_COUNTER] "
                        "IMAGE.bin\n  -E: the device's private encryption key, to check an "
                        "encrypted image\n");
        return 2;
    }
    const char *path = argv[optind];
    struct bl_key key;
    uint8_t priv[32];
    uint8_t *img;
    size_t len;
    int have_priv = 0;
    if (sm_keys_init() != 0 || sm_key_file_public(key_path, key.pub) != 0) {
        return 1;
    }
    sm_key_hash(key.pub, key.hash);
    if (enc_path != NULL) {
        mbedtls_pk_context pk;
        if (sm_key_load_private(enc_path, &pk) != 0 || sm_key_private_raw(enc_path, &pk, priv)) {
            mbedtls_pk_free(&pk);
            return 1;
        }
        mbedtls_pk_free(&pk);
        have_priv = 1;
    }
    if (smtool_read_file("verify", path, MAX_IMAGE, &img, &len) != 0) {
        return 1;
    }
    struct bl_reader r = bl_reader_mem(img, (uint32_t)len);
    struct bl_image_info info;
    uint8_t measurement[32];
    printf("image: %s (%zu bytes)\n", path, len);
    int rc = bl_image_parse(&r, &info);
    if (rc == BL_OK) {
        print_info(&r, &info);
        rc = check_padding(img, len, &info);
    }
    if (rc == BL_OK && info.enc_key_len != 0 && !have_priv) {
        fprintf(stderr,
                "smtool verify: %s: encrypted: give the device's encryption key with -E "
                "to check it\n",
                path);
        rc = BL_E_ENC;
    } else if (rc == BL_OK) {
        struct bl_verify_params p = {&key, have_priv ? priv : NULL, true, min_sec_cnt};
        rc = bl_image_verify(&r, &info, &p, measurement);
        if (rc != BL_OK) {
            fprintf(stderr, "smtool verify: %s: rejected: %s\n", path, bl_strerror(rc));
        }
    } else {
        fprintf(stderr, "smtool verify: %s: rejected: %s\n", path, bl_strerror(rc));
    }
    bl_zeroize(priv, sizeof(priv));
    free(img);
    if (rc != BL_OK) {
        return 1;
    }
    printf("verified: signed by %s, measurement ", key_path);
    print_hex(measurement, sizeof(measurement));
    printf("\n");
    return 0;
}
