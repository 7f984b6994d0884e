/*
 * cmd_chip.c: smtool chip, the chip vendor's factory step and what can be read of a chip
 * (docs/design/lifecycle.md, "The chip"):
 *
 *   smtool chip make DEVICE_DIR --vendor VENDOR_DIR [--irot IROT.bin [--prov PROV.bin]] [--force]
 *   smtool chip show -d DEVICE_DIR [--root ROOT.pub.pem] [--cert-out FILE]
 *   smtool chip verify --root ROOT.pub.pem CERT
 *
 * make: a blank device holding only the chip's own secrets (a HUK and a chip key pair, drawn
 * here and written nowhere but the chip's flash), the vendor's certificate of the chip key
 * and the vendor's product image key, in the chip record of the provisioning area
 * (struct bl_chip), the counters started under the chip's HUK, and the iRoT if given. Its
 * lifecycle state is ASSEMBLY_AND_TEST. VENDOR_DIR keeps only the vendor's own keys: the root
 * key (root.pem, made on first use; root.pub.pem for whoever checks certificates) and the
 * product image key (product.pem; product.pub.pem for whoever encrypts images for the
 * product).
 *
 * show reads what a chip shows anyone (its id, its certificate, its state) from the flash
 * files, and with --root checks the certificate; verify checks a certificate file. Over the
 * serial line the programmer reads the same from the device (smtool device info, planned).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bl_crypto.h"
#include "bl_counter.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "flash_map.h"
#include "host_flash.h"
#include "mbedtls/ecp.h"
#include "mbedtls/pk.h"
#include "plat_flash.h"
#include "psa/crypto.h"
#include "sm_chip_cert.h"
#include "sm_keys.h"
#include "sm_otp.h"
#include "smtool.h"

/* The vendor's key NAME.pem in dir (made if missing, with NAME.pub.pem): its raw halves. */
static int vendor_key(const char *dir, const char *name, uint8_t priv[32], uint8_t pub[64])
{
    char path[4096], pub_path[4096];
    snprintf(path, sizeof(path), "%s/%s.pem", dir, name);
    snprintf(pub_path, sizeof(pub_path), "%s/%s.pub.pem", dir, name);
    if (access(path, F_OK) != 0) {
        if (sm_key_generate(path) != 0) {
            return -1;
        }
        fprintf(stderr, "smtool chip: %s: a new vendor key\n", path);
    }
    mbedtls_pk_context pk;
    int rc = sm_key_load_private(path, &pk);
    if (rc == 0) {
        rc = sm_key_private_raw(path, &pk, priv);
    }
    if (rc == 0) {
        rc = sm_key_public_raw(path, &pk, pub);
    }
    mbedtls_pk_free(&pk);
    if (rc == 0 && access(pub_path, F_OK) != 0) {
        rc = sm_key_write_public_pem("chip", pub_path, pub);
    }
    return rc;
}

/* ECDSA P-256 (r || s) by a raw private key over a SHA-256 hash. */
static int sign_hash(const uint8_t priv[32], const uint8_t hash[32], uint8_t sig[64])
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id;
    size_t len = 0;
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&attr, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    if (psa_import_key(&attr, priv, 32, &id) != PSA_SUCCESS) {
        return -1;
    }
    psa_status_t st = psa_sign_hash(id, PSA_ALG_ECDSA(PSA_ALG_SHA_256), hash, 32, sig, 64, &len);
    psa_destroy_key(id);
    return st == PSA_SUCCESS && len == 64 ? 0 : -1;
}

static void print_hex(const char *label, const uint8_t *b, size_t n)
{
    printf("%-22s", label);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
    printf("\n");
}

/* An image into erased flash at off, its last unit padded with the erased value. */
static int write_padded(uint32_t off, const uint8_t *bin, size_t len)
{
    uint8_t pad[16];
    const size_t whole = len / 16 * 16;
    int e = whole > 0 ? plat_flash_program(off, bin, whole) : PLAT_FLASH_OK;
    if (e == PLAT_FLASH_OK && len > whole) {
        memset(pad, 0xFF, sizeof(pad));
        memcpy(pad, bin + whole, len - whole);
        e = plat_flash_program(off + (uint32_t)whole, pad, sizeof(pad));
    }
    return e;
}

static int chip_make(int argc, char **argv)
{
    const char *vendor = NULL, *irot = NULL, *prov = NULL;
    bool force = false;
    static const struct option opts[] = {
        {"vendor", required_argument, NULL, 'V'},
        {"irot", required_argument, NULL, 'i'},
        {"prov", required_argument, NULL, 'p'},
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'V') {
            vendor = optarg;
        } else if (c == 'i') {
            irot = optarg;
        } else if (c == 'p') {
            prov = optarg;
        } else if (c == 'f') {
            force = true;
        } else {
            return 2;
        }
    }
    /* The stage lives in the iRoT's region, which is erased and written whole: only with it. */
    if (vendor == NULL || optind != argc - 1 || (prov != NULL && irot == NULL)) {
        fprintf(stderr, "usage: smtool chip make DEVICE_DIR --vendor VENDOR_DIR [--irot IROT.bin "
                        "[--prov PROV.bin]] [--force]\n");
        return 2;
    }
    const char *dir = argv[optind];
    uint8_t *irot_bin = NULL, *prov_bin = NULL;
    size_t irot_len = 0, prov_len = 0;
    if (irot != NULL && smtool_read_file("chip", irot, FLASH_PROV_OFFSET - FLASH_IROT_OFFSET,
                                         &irot_bin, &irot_len) != 0) {
        return 1;
    }
    if (prov != NULL &&
        smtool_read_file("chip", prov, FLASH_PROV_SIZE, &prov_bin, &prov_len) != 0) {
        free(irot_bin);
        return 1;
    }
    if (smtool_device_exists(dir) && !force) {
        fprintf(stderr, "smtool chip: %s already holds a device (use --force to replace it)\n",
                dir);
        free(irot_bin);
        free(prov_bin);
        return 1;
    }
    if (mkdir(vendor, 0700) != 0 && errno != EEXIST) {
        fprintf(stderr, "smtool chip: %s: %s\n", vendor, strerror(errno));
        free(irot_bin);
        free(prov_bin);
        return 1;
    }
    struct bl_chip chip;
    uint8_t root_priv[32], root_pub[64], product_pub[64], der[91], hash[32];
    uint8_t cert[SM_CHIP_CERT_SIZE];
    memset(&chip, 0, sizeof(chip));
    int rc = sm_keys_init() == 0 && vendor_key(vendor, "root", root_priv, root_pub) == 0 &&
                     vendor_key(vendor, "product", chip.product_priv, product_pub) == 0
                 ? 0
                 : 1;
    /* The chip's own secrets: drawn here, held in this process's memory only until they are
     * in the chip's flash, then zeroized. */
    if (rc == 0 &&
        (psa_generate_random(chip.huk, sizeof(chip.huk)) != PSA_SUCCESS ||
         sm_p256_private(chip.chip_priv) != 0 ||
         psa_generate_random(chip.cert.chip_id, sizeof(chip.cert.chip_id)) != PSA_SUCCESS ||
         sm_otp_public_of(chip.chip_priv, chip.cert.chip_pub) != 0)) {
        fprintf(stderr, "smtool chip: cannot draw the chip's keys\n");
        rc = 1;
    }
    if (rc == 0) {
        chip.magic = BL_CHIP_MAGIC;
        chip.version = BL_CHIP_VERSION;
        chip.cert.magic = BL_CHIP_CERT_MAGIC;
        chip.cert.version = BL_CHIP_CERT_VERSION;
        bl_pubkey_der(root_pub, der);
        bl_sha256(der, sizeof(der), chip.cert.issuer);
        sm_chip_cert_encode(&chip.cert, cert);
        bl_sha256(cert, SM_CHIP_CERT_SIGNED, hash);
        if (sign_hash(root_priv, hash, chip.cert.sig) != 0) {
            fprintf(stderr, "smtool chip: cannot sign the chip's certificate\n");
            rc = 1;
        }
    }
    bl_zeroize(root_priv, sizeof(root_priv));
    if (rc == 0) {
        bl_sha256(&chip, offsetof(struct bl_chip, digest), chip.digest);
        if (smtool_device_exists(dir)) { /* --force */
            char path[4096];
            snprintf(path, sizeof(path), "%s/flash.img", dir);
            unlink(path);
            snprintf(path, sizeof(path), "%s/flash.prog", dir);
            unlink(path);
        }
        uint8_t units[(sizeof(chip) + 15) / 16 * 16];
        memset(units, 0xFF, sizeof(units));
        memcpy(units, &chip, sizeof(chip));
        int e = host_flash_open_dir(dir, true);
        if (e == PLAT_FLASH_OK) {
            e = plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE);
        }
        if (e == PLAT_FLASH_OK) {
            e = plat_flash_program(FLASH_OTP_OFFSET + BL_CHIP_OFFSET, units, sizeof(units));
        }
        bl_zeroize(units, sizeof(units));
        /* The counters start under the chip's HUK (bl_otp_huk): its lifecycle transitions
         * are authentic from the first. */
        if (e == PLAT_FLASH_OK && bl_counter_provision() != BL_OK) {
            e = PLAT_FLASH_E_IO;
        }
        if (e == PLAT_FLASH_OK && irot_bin != NULL) {
            e = plat_flash_erase(FLASH_IROT_OFFSET, FLASH_IROT_SIZE);
            if (e == PLAT_FLASH_OK) {
                e = write_padded(FLASH_IROT_OFFSET, irot_bin, irot_len);
            }
            if (e == PLAT_FLASH_OK && prov_bin != NULL) {
                e = write_padded(FLASH_PROV_OFFSET, prov_bin, prov_len);
            }
        }
        host_flash_close();
        if (e != PLAT_FLASH_OK) {
            fprintf(stderr, "smtool chip: %s: cannot write the chip's flash: %s\n", dir,
                    plat_flash_strerror(e));
            rc = 1;
        }
    }
    if (rc == 0) {
        printf("chip %s: made, ASSEMBLY_AND_TEST%s%s\n", dir,
               irot_bin != NULL ? ", iRoT written" : "",
               prov_bin != NULL ? ", provisioning stage written" : "");
        print_hex("chip id:", chip.cert.chip_id, sizeof(chip.cert.chip_id));
        print_hex("certified by:", chip.cert.issuer, sizeof(chip.cert.issuer));
    }
    bl_zeroize(&chip, sizeof(chip));
    free(irot_bin);
    free(prov_bin);
    return rc;
}

static int load_root(const char *path, uint8_t pub[64])
{
    return sm_key_file_public(path, pub);
}

/* Prints a certificate; with a root, checks it. 0, or 1 with the reason printed. */
static int show_cert(const char *what, const struct bl_chip_cert *cert, const char *root)
{
    print_hex("chip id:", cert->chip_id, sizeof(cert->chip_id));
    print_hex("chip key:", cert->chip_pub, sizeof(cert->chip_pub));
    print_hex("certified by:", cert->issuer, sizeof(cert->issuer));
    if (root == NULL) {
        return 0;
    }
    uint8_t root_pub[64];
    const char *why = NULL;
    if (load_root(root, root_pub) != 0) {
        return 1;
    }
    if (sm_chip_cert_verify(cert, root_pub, &why) != 0) {
        fprintf(stderr, "smtool chip: %s: %s\n", what, why);
        return 1;
    }
    printf("certificate:          verified against %s\n", root);
    return 0;
}

static int chip_show(int argc, char **argv)
{
    const char *dir = NULL, *root = NULL, *out = NULL;
    static const struct option opts[] = {
        {"device", required_argument, NULL, 'd'},
        {"root", required_argument, NULL, 'r'},
        {"cert-out", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:", opts, NULL)) != -1) {
        if (c == 'd') {
            dir = optarg;
        } else if (c == 'r') {
            root = optarg;
        } else if (c == 'o') {
            out = optarg;
        } else {
            return 2;
        }
    }
    if (dir == NULL || optind != argc) {
        fprintf(stderr,
                "usage: smtool chip show -d DEVICE_DIR [--root ROOT.pub.pem] [--cert-out FILE]\n");
        return 2;
    }
    if (!smtool_device_exists(dir)) {
        fprintf(stderr, "smtool chip: %s: no device here\n", dir);
        return 1;
    }
    if (host_flash_open_dir(dir, false) != PLAT_FLASH_OK) {
        fprintf(stderr, "smtool chip: %s: cannot open the flash\n", dir);
        return 1;
    }
    uint8_t bytes[SM_CHIP_CERT_SIZE];
    uint32_t state = 0;
    int rc = bl_chip_check();
    int lc = bl_lifecycle_get(&state);
    if (rc == BL_OK) {
        rc = bl_chip_read_field(offsetof(struct bl_chip, cert), bytes, sizeof(bytes));
    }
    host_flash_close();
    if (rc != BL_OK) {
        fprintf(stderr, "smtool chip: %s: %s\n", dir,
                rc == BL_E_EMPTY ? "no chip record (a development device, or decommissioned)"
                                 : "the chip record does not verify");
        return 1;
    }
    struct bl_chip_cert cert;
    const char *why = NULL;
    if (sm_chip_cert_parse(bytes, sizeof(bytes), &cert, &why) != 0) {
        fprintf(stderr, "smtool chip: %s: %s\n", dir, why);
        return 1;
    }
    printf("%-22s%s\n", "lifecycle:", lc == BL_OK ? bl_lifecycle_name(state) : bl_strerror(lc));
    if (out != NULL && smtool_write_file("chip", out, bytes, sizeof(bytes)) != 0) {
        return 1;
    }
    return show_cert(dir, &cert, root);
}

static int chip_verify(int argc, char **argv)
{
    const char *root = NULL;
    static const struct option opts[] = {
        {"root", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'r') {
            root = optarg;
        } else {
            return 2;
        }
    }
    if (root == NULL || optind != argc - 1) {
        fprintf(stderr, "usage: smtool chip verify --root ROOT.pub.pem CERT\n");
        return 2;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    if (smtool_read_file("chip", argv[optind], 4096, &data, &len) != 0) {
        return 1;
    }
    struct bl_chip_cert cert;
    const char *why = NULL;
    int rc = sm_chip_cert_parse(data, len, &cert, &why);
    free(data);
    if (rc != 0) {
        fprintf(stderr, "smtool chip: %s: %s\n", argv[optind], why);
        return 1;
    }
    return show_cert(argv[optind], &cert, root);
}

int smtool_cmd_chip(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "make") == 0) {
        return chip_make(argc - 1, argv + 1);
    }
    if (argc >= 2 && strcmp(argv[1], "show") == 0) {
        return chip_show(argc - 1, argv + 1);
    }
    if (argc >= 2 && strcmp(argv[1], "verify") == 0) {
        return chip_verify(argc - 1, argv + 1);
    }
    fprintf(stderr,
            "usage: smtool chip make DEVICE_DIR --vendor VENDOR_DIR [--irot IROT.bin [--prov "
            "PROV.bin]]\n"
            "       smtool chip show -d DEVICE_DIR [--root ROOT.pub.pem] [--cert-out FILE]\n"
            "       smtool chip verify --root ROOT.pub.pem CERT\n");
    return 2;
}
