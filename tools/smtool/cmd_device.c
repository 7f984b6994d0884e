/*
 * cmd_device.c: `smtool provision`, `smtool program` and `smtool regions`: make a device
 * directory and write images into its flash, through the same flash rules as the board.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bl_crypto.h"
#include "bl_otp.h"
#include "host_flash.h"
#include "its_limits.h"
#include "mbedtls/ecp.h"
#include "mbedtls/pk.h"
#include "sm/sm_device.h"
#include "sm_attest_otp.h"
#include "sm_keys.h"
#include "sm_otp.h"
#include "plat_flash.h"
#include "smtool.h"

int smtool_read_file(const char *cmd, const char *path, size_t max_len, uint8_t **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "smtool %s: %s: %s\n", cmd, path, strerror(errno));
        return -1;
    }
    uint8_t *buf = malloc(max_len + 1);
    size_t n = buf != NULL ? fread(buf, 1, max_len + 1, f) : 0;
    int err = ferror(f);
    fclose(f);
    if (buf == NULL || err) {
        fprintf(stderr, "smtool %s: %s: cannot read\n", cmd, path);
        free(buf);
        return -1;
    }
    if (n > max_len) {
        fprintf(stderr, "smtool %s: %s: larger than %zu bytes\n", cmd, path, max_len);
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

int smtool_parse_hex(const char *s, uint8_t *out, size_t len)
{
    if (strlen(s) != 2 * len) {
        return -1;
    }
    for (size_t i = 0; i < 2 * len; i++) {
        const char ch = s[i];
        const int v = ch >= '0' && ch <= '9'   ? ch - '0'
                      : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                      : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                               : -1;
        if (v < 0) {
            return -1;
        }
        out[i / 2] = (uint8_t)(i % 2 == 0 ? v << 4 : out[i / 2] | v);
    }
    return 0;
}

int smtool_write_file(const char *cmd, const char *path, const void *data, size_t len)
{
    /* Write to a temporary name and rename: an error never leaves a half-written output. */
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid()) >= sizeof(tmp)) {
        fprintf(stderr, "smtool %s: %s: path too long\n", cmd, path);
        return -1;
    }
    FILE *f = fopen(tmp, "wb");
    if (f == NULL) {
        fprintf(stderr, "smtool %s: %s: %s\n", cmd, path, strerror(errno));
        return -1;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "smtool %s: %s: write failed\n", cmd, path);
        unlink(tmp);
        return -1;
    }
    return 0;
}

bool smtool_device_exists(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/flash.img", dir);
    return access(path, F_OK) == 0;
}

static const struct {
    const char *option;
    enum bl_kind kind;
} key_options[] = {
    {"urot-key", BL_KIND_UROT},
    {"sm-key", BL_KIND_SM},
    {"ns-key", BL_KIND_NS},
    {"module0-key", BL_KIND_MODULE0},
    {"module1-key", BL_KIND_MODULE0 + 1},
    {"module2-key", BL_KIND_MODULE0 + 2},
    {"module3-key", BL_KIND_MODULE0 + 3},
};
#define N_KEY_OPTIONS (sizeof(key_options) / sizeof(key_options[0]))

/* Writes a raw public key as a SubjectPublicKeyInfo PEM file (smtool.h). */
int sm_key_write_public_pem(const char *cmd, const char *path, const uint8_t pub[64])
{
    mbedtls_pk_context pk;
    unsigned char pem[512];
    int rc = -1;
    mbedtls_pk_init(&pk);
    if (mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)) == 0) {
        uint8_t point[65] = {0x04};
        memcpy(point + 1, pub, 64);
        mbedtls_ecp_keypair *kp = mbedtls_pk_ec(pk);
        if (mbedtls_ecp_group_load(&kp->MBEDTLS_PRIVATE(grp), MBEDTLS_ECP_DP_SECP256R1) == 0 &&
            mbedtls_ecp_point_read_binary(&kp->MBEDTLS_PRIVATE(grp), &kp->MBEDTLS_PRIVATE(Q), point,
                                          sizeof(point)) == 0 &&
            mbedtls_pk_write_pubkey_pem(&pk, pem, sizeof(pem)) == 0) {
            rc = smtool_write_file(cmd, path, pem, strlen((char *)pem));
        }
    }
    mbedtls_pk_free(&pk);
    return rc;
}

static int write_public_pem(const char *dir, const char *name, const uint8_t priv[32])
{
    uint8_t pub[64];
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    const int rc =
        sm_otp_public_of(priv, pub) == 0 ? sm_key_write_public_pem("provision", path, pub) : -1;
    if (rc != 0) {
        fprintf(stderr, "smtool provision: %s/%s: cannot write\n", dir, name);
    }
    return rc;
}

int smtool_parse_lifecycle(const char *s, uint32_t *out)
{
    static const struct {
        const char *name;
        uint32_t value;
    } states[] = {
        {"assembly-and-test", BL_LIFECYCLE_ASSEMBLY_AND_TEST},
        {"psa-rot-provisioning", BL_LIFECYCLE_PSA_ROT_PROVISIONING},
        {"secured", BL_LIFECYCLE_SECURED},
        {"non-psa-rot-debug", BL_LIFECYCLE_NON_PSA_ROT_DEBUG},
        {"recoverable-psa-rot-debug", BL_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG},
        {"decommissioned", BL_LIFECYCLE_DECOMMISSIONED},
    };
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        if (strcmp(s, states[i].name) == 0) {
            *out = states[i].value;
            return 0;
        }
    }
    return -1;
}

/* "all", "none" or a comma-separated list of urot, sm, ns, module0..module3 and modules (the
 * four): the set of update components, bit k for image kind k. -1 for anything else. */
long smtool_parse_components(const char *s)
{
    if (strcmp(s, "all") == 0) {
        return (1L << BL_KIND_COUNT) - 1;
    }
    if (strcmp(s, "none") == 0) {
        return 0;
    }
    static const struct {
        const char *name;
        long bits;
    } names[] = {{"urot", 1L << BL_KIND_UROT},
                 {"sm", 1L << BL_KIND_SM},
                 {"ns", 1L << BL_KIND_NS},
                 {"module0", 1L << BL_KIND_MODULE0},
                 {"module1", 1L << (BL_KIND_MODULE0 + 1)},
                 {"module2", 1L << (BL_KIND_MODULE0 + 2)},
                 {"module3", 1L << (BL_KIND_MODULE0 + 3)},
                 {"modules", 0xFL << BL_KIND_MODULE0}};
    long set = 0;
    while (*s != '\0') {
        size_t n = strcspn(s, ",");
        size_t i = 0;
        while (i < sizeof(names) / sizeof(names[0]) &&
               (strlen(names[i].name) != n || strncmp(names[i].name, s, n) != 0)) {
            i++;
        }
        if (i == sizeof(names) / sizeof(names[0]) || (set & names[i].bits) != 0) {
            return -1; /* unknown, or named twice */
        }
        set |= names[i].bits;
        s += n;
        if (*s == ',' && *++s == '\0') {
            return -1;
        }
    }
    return set == 0 ? -1 : set;
}

int smtool_cmd_provision(int argc, char **argv)
{
    enum {
        OPT_NS_UPDATES = 255,
        OPT_FORCE = 256,
        OPT_ENC_KEY,
        OPT_MODULES,
        OPT_ITS,
        OPT_ITS_ASSET,
        OPT_LIFECYCLE,
        OPT_IAK,
        OPT_IMPL_ID,
        OPT_CERT_REF,
        OPT_URL,
        OPT_KEY0
    };
    struct option opts[7 + N_KEY_OPTIONS + 6] = {
        {"ns-updates", required_argument, NULL, OPT_NS_UPDATES},
        {"device", required_argument, NULL, 'd'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"enc-key", required_argument, NULL, OPT_ENC_KEY},
        {"module-slots", required_argument, NULL, OPT_MODULES},
        {"its-size", required_argument, NULL, OPT_ITS},
        {"its-max-asset", required_argument, NULL, OPT_ITS_ASSET},
    };
    opts[7] = (struct option){"lifecycle", required_argument, NULL, OPT_LIFECYCLE};
    opts[8] = (struct option){"iak", required_argument, NULL, OPT_IAK};
    opts[9] = (struct option){"implementation-id", required_argument, NULL, OPT_IMPL_ID};
    opts[10] = (struct option){"cert-ref", required_argument, NULL, OPT_CERT_REF};
    opts[11] = (struct option){"verification-url", required_argument, NULL, OPT_URL};
    for (size_t i = 0; i < N_KEY_OPTIONS; i++) {
        opts[12 + i] =
            (struct option){key_options[i].option, required_argument, NULL, OPT_KEY0 + (int)i};
    }
    const char *dir = NULL, *enc_key = NULL, *key_files[N_KEY_OPTIONS] = {0};
    const char *iak_key = NULL, *cert_ref = NULL, *url = NULL;
    uint8_t impl_id[32] = {0}; /* the implementation id: all zero unless given */
    int force = 0;
    struct bl_otp otp;
    unsigned long modules = 0, its = 0x10000, its_asset = 4096;
    long ns_updates = (1L << BL_KIND_COUNT) - 1; /* by default the NS world updates everything */
    uint32_t lifecycle = BL_LIFECYCLE_SECURED;
    char *end;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        if (c == 'd') {
            dir = optarg;
        } else if (c == OPT_FORCE) {
            force = 1;
        } else if (c == OPT_ENC_KEY) {
            enc_key = optarg;
        } else if (c == OPT_MODULES) {
            modules = strtoul(optarg, &end, 0);
            if (*end != '\0' || modules > FLASH_MODULE_SLOTS_MAX) {
                fprintf(stderr, "smtool provision: --module-slots is 0..%u\n",
                        (unsigned)FLASH_MODULE_SLOTS_MAX);
                return 2;
            }
        } else if (c == OPT_ITS) {
            its = strtoul(optarg, &end, 0);
            if (*end != '\0' || its < ITS_SECTORS_MIN * FLASH_SECTOR_SIZE ||
                its % FLASH_SECTOR_SIZE != 0 || its > FLASH_ITS_SIZE_MAX) {
                fprintf(stderr,
                        "smtool provision: --its-size must be a multiple of %u from %u up to %u "
                        "bytes\n",
                        (unsigned)FLASH_SECTOR_SIZE,
                        (unsigned)(ITS_SECTORS_MIN * FLASH_SECTOR_SIZE),
                        (unsigned)FLASH_ITS_SIZE_MAX);
                return 2;
            }
        } else if (c == OPT_NS_UPDATES) {
            ns_updates = smtool_parse_components(optarg);
            if (ns_updates < 0) {
                fprintf(stderr,
                        "smtool provision: --ns-updates '%s': all, none, or a list of urot, sm, "
                        "ns, module0..module3, modules (each once, comma-separated)\n",
                        optarg);
                return 2;
            }
        } else if (c == OPT_ITS_ASSET) {
            its_asset = strtoul(optarg, &end, 0);
            if (*end != '\0' || its_asset == 0 || its_asset > ITS_ASSET_SIZE_LIMIT) {
                fprintf(stderr, "smtool provision: --its-max-asset is 1..%u bytes\n",
                        (unsigned)ITS_ASSET_SIZE_LIMIT);
                return 2;
            }
        } else if (c == OPT_LIFECYCLE) {
            if (smtool_parse_lifecycle(optarg, &lifecycle) != 0) {
                fprintf(stderr,
                        "smtool provision: unknown lifecycle '%s' (assembly-and-test, "
                        "psa-rot-provisioning, secured, decommissioned)\n",
                        optarg);
                return 2;
            }
        } else if (c == OPT_IAK) {
            iak_key = optarg;
        } else if (c == OPT_IMPL_ID) {
            if (smtool_parse_hex(optarg, impl_id, sizeof(impl_id)) != 0) {
                fprintf(stderr, "smtool provision: --implementation-id is 32 bytes in hex (64 "
                                "digits)\n");
                return 2;
            }
        } else if (c == OPT_CERT_REF) {
            if (!sm_attest_cert_ref_ok(optarg)) {
                fprintf(stderr, "smtool provision: --cert-ref is an EAN-13, '-' and five digits "
                                "(RFC 9783), e.g. 0604565272829-10010\n");
                return 2;
            }
            cert_ref = optarg;
        } else if (c == OPT_URL) {
            const size_t n = strlen(optarg);
            int ok = n > 0 && n <= SM_ATTEST_URL_MAX;
            for (size_t i = 0; ok && i < n; i++) {
                ok = optarg[i] > 0x20 && optarg[i] < 0x7F;
            }
            if (!ok) {
                fprintf(stderr,
                        "smtool provision: --verification-url is 1 to %u printable "
                        "characters without spaces\n",
                        (unsigned)SM_ATTEST_URL_MAX);
                return 2;
            }
            url = optarg;
        } else if (c >= OPT_KEY0 && c < OPT_KEY0 + (int)N_KEY_OPTIONS) {
            key_files[c - OPT_KEY0] = optarg;
        } else {
            return 2;
        }
    }
    if (dir == NULL || optind != argc) {
        fprintf(stderr,
                "usage: smtool provision -d DEVICE_DIR [--force] [--urot-key K] [--sm-key K]\n"
                "         [--ns-key K] [--moduleN-key K] [--enc-key PRIVATE.pem]\n"
                "         [--module-slots N] [--its-size BYTES] [--its-max-asset BYTES]\n"
                "         [--lifecycle STATE] [--iak PRIVATE.pem] [--implementation-id HEX]\n"
                "         [--cert-ref EAN13-VVVVV] [--verification-url URL]\n"
                "         [--ns-updates all|none|COMPONENT,...]\n"
                "  K: the public (or private) signing key allowed for that image kind.\n"
                "  The device's HUK, attestation key and (without --enc-key) image decryption\n"
                "  key are generated; their public halves go to iak.pub.pem and enc.pub.pem.\n"
                "  --iak brings the attestation key instead; the other three are attestation\n"
                "  claims (implementation id, certification reference, verification service).\n"
                "  --ns-updates: what the NS application may update through the firmware\n"
                "  update service (urot, sm, ns, module0..module3, modules; default all).\n");
        return 2;
    }
    /* Everything is read and checked before anything is written. */
    if (sm_keys_init() != 0 || sm_otp_init(&otp) != 0) {
        return 1;
    }
    otp.module_slots = (uint32_t)modules;
    otp.its_size = (uint32_t)its;
    otp.its_max_asset = (uint32_t)its_asset;
    otp.fwu_ns_components = (uint32_t)ns_updates;
    otp.lifecycle = lifecycle;
    for (size_t i = 0; i < N_KEY_OPTIONS; i++) {
        uint8_t pub[64];
        if (key_files[i] != NULL) {
            if (sm_key_file_public(key_files[i], pub) != 0) {
                return 1;
            }
            sm_otp_set_key(&otp, key_options[i].kind, pub);
        }
    }
    const char *priv_files[2] = {enc_key, iak_key};
    uint8_t *privs[2] = {otp.enc_priv, otp.iak};
    for (size_t i = 0; i < 2; i++) {
        if (priv_files[i] == NULL) {
            continue;
        }
        mbedtls_pk_context pk;
        int rc = sm_key_load_private(priv_files[i], &pk);
        if (rc == 0) {
            rc = sm_key_private_raw(priv_files[i], &pk, privs[i]);
        }
        mbedtls_pk_free(&pk);
        if (rc != 0) {
            bl_zeroize(&otp, sizeof(otp));
            return 1;
        }
    }
    sm_otp_seal(&otp);
    /* The attestation block belongs to this provisioning (its digest): attest_otp.h. */
    struct attest_otp attest;
    uint8_t iak_pub[64];
    if (sm_otp_public_of(otp.iak, iak_pub) != 0 ||
        sm_attest_otp_build(&attest, otp.digest, iak_pub, impl_id, cert_ref, url) != 0) {
        fprintf(stderr, "smtool provision: cannot make the attestation block\n");
        bl_zeroize(&otp, sizeof(otp));
        return 1;
    }
    if (smtool_device_exists(dir)) {
        if (!force) {
            fprintf(stderr,
                    "smtool provision: %s already holds a device (use --force to replace it)\n",
                    dir);
            return 1;
        }
        char path[4096];
        snprintf(path, sizeof(path), "%s/flash.img", dir);
        unlink(path);
        snprintf(path, sizeof(path), "%s/flash.prog", dir);
        unlink(path);
    }
    int rc = host_flash_open_dir(dir, true);
    if (rc == PLAT_FLASH_OK && (sm_otp_program(&otp) != 0 || sm_attest_otp_program(&attest) != 0)) {
        rc = PLAT_FLASH_E_IO;
    }
    host_flash_close();
    if (rc != PLAT_FLASH_OK) {
        fprintf(stderr, "smtool provision: %s: cannot create the flash files: %s\n", dir,
                plat_flash_strerror(rc));
        return 1;
    }
    if (write_public_pem(dir, "enc.pub.pem", otp.enc_priv) != 0 ||
        write_public_pem(dir, "iak.pub.pem", otp.iak) != 0) {
        return 1;
    }
    bl_zeroize(&otp, sizeof(otp));
    printf("device %s: %u KiB flash, provisioned (%lu module slot(s), %lu KiB ITS)\n", dir,
           (unsigned)(FLASH_SIZE / 1024), modules, its / 1024);
    return 0;
}

static int unit_erased(const uint8_t *unit)
{
    for (int i = 0; i < FLASH_PROGRAM_UNIT; i++) {
        if (unit[i] != FLASH_ERASED_VALUE) {
            return 0;
        }
    }
    return 1;
}

int smtool_cmd_program(int argc, char **argv)
{
    static const struct option opts[] = {
        {"device", required_argument, NULL, 'd'},
        {"slot", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL;
    const char *slot = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 's':
            slot = optarg;
            break;
        default:
            return 2;
        }
    }
    if (dir == NULL || slot == NULL || optind + 1 != argc) {
        fprintf(stderr, "usage: smtool program -d DEVICE_DIR --slot NAME IMAGE\n"
                        "slots:\n");
        smtool_region_list();
        return 2;
    }
    const char *path = argv[optind];
    const struct smtool_region *r = smtool_region_find(slot);
    if (r == NULL) {
        fprintf(stderr, "smtool program: unknown slot '%s'; slots are:\n", slot);
        smtool_region_list();
        return 2;
    }
    uint8_t *img;
    size_t len;
    /* Everything is checked before the flash is touched, so an error leaves it as it was. */
    if (smtool_read_file("program", path, r->size, &img, &len) != 0) {
        return 1;
    }
    if (!smtool_device_exists(dir)) {
        fprintf(stderr, "smtool program: %s: no device here (create it with smtool provision)\n",
                dir);
        free(img);
        return 1;
    }
    int rc = host_flash_open_dir(dir, false);
    if (rc != PLAT_FLASH_OK) {
        fprintf(stderr, "smtool program: %s: cannot open the flash: %s\n", dir,
                plat_flash_strerror(rc));
        free(img);
        return 1;
    }
    /* Erase the whole slot: stale trailers or records of an earlier image must not survive. */
    rc = plat_flash_erase(r->offset, r->size);
    size_t padded = (len + FLASH_PROGRAM_UNIT - 1) / FLASH_PROGRAM_UNIT * FLASH_PROGRAM_UNIT;
    memset(img + len, FLASH_ERASED_VALUE, padded - len); /* buffer has room: size is unit aligned */
    int show = isatty(STDERR_FILENO) && padded >= 64 * 1024;
    const size_t chunk = 16 * 1024;
    for (size_t done = 0; rc == PLAT_FLASH_OK && done < padded; done += chunk) {
        size_t n = padded - done < chunk ? padded - done : chunk;
        /* Units that are all erased value stay unprogrammed, as the boot stages copy them:
         * a programmed unit is a written trailer field to them. */
        for (size_t u = 0; rc == PLAT_FLASH_OK && u < n; u += FLASH_PROGRAM_UNIT) {
            if (!unit_erased(img + done + u)) {
                rc = plat_flash_program(r->offset + (uint32_t)(done + u), img + done + u,
                                        FLASH_PROGRAM_UNIT);
            }
        }
        if (show) {
            fprintf(stderr, "\rprogramming %s: %zu/%zu KiB", slot, (done + n) / 1024,
                    padded / 1024);
        }
    }
    if (show) {
        fputc('\n', stderr);
    }
    host_flash_close();
    free(img);
    if (rc != PLAT_FLASH_OK) {
        fprintf(stderr, "smtool program: %s: writing slot %s failed: %s\n", dir, slot,
                plat_flash_strerror(rc));
        return 1;
    }
    printf("programmed %s (%zu bytes) into slot %s at 0x%06x\n", path, len, slot,
           (unsigned)r->offset);
    return 0;
}

int smtool_cmd_regions(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: smtool regions\n");
        return 2;
    }
    printf("flash: %u KiB, %u-byte sectors, %u-byte program units\n", (unsigned)(FLASH_SIZE / 1024),
           (unsigned)FLASH_SECTOR_SIZE, (unsigned)FLASH_PROGRAM_UNIT);
    smtool_region_list();
    return 0;
}
