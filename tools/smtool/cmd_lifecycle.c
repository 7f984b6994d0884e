/*
 * cmd_lifecycle.c: smtool lifecycle, a development device's PSA lifecycle state, offline:
 *
 *   smtool lifecycle -d DEVICE_DIR [--to STATE [--record-only]]
 *   smtool lifecycle --port PATH --to STATE [--key OEM.pem]   (cmd_prov.c: a device's
 *       provisioning stage over its serial line)
 *   smtool lifecycle --sign REQ.bin --key OEM.pem --to STATE [--transitions N] [--chip ID]
 *       a request a running device's SM takes from its NS application (sm/sm_lifecycle.h):
 *       for the chip of id ID (32 hex digits; zero, a development device's, if not given)
 *       whose state has moved N times (0 if not given), signed by the OEM's lifecycle key
 *
 * Prints the state (bl_lifecycle.h), or moves it to STATE if the state allows that
 * transition, writing the device's lifecycle counter as the device itself would (the record is
 * authenticated under the device's HUK, which a development device's directory holds). A
 * production device is moved over its serial line by its own boot stages, never like this.
 *
 * DECOMMISSIONED ends the device's life (docs/design/lifecycle.md): once the transition is
 * recorded, bl_lifecycle_end erases the ITS area, the counters (authenticated under the HUK)
 * and the provisioning area (HUK, IAK, image decryption key, seed, attestation block) and
 * leaves its tombstone, exactly as the device's boot stages do, so the device's secrets and
 * every asset are gone for good and nothing boots. --record-only writes the transition alone
 * and leaves the erase to the device (the test of the boot stages' own erase).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "flash_map.h"
#include "host_flash.h"
#include "plat_flash.h"
#include "sm/sm_lifecycle.h"
#include "smtool.h"

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

int smtool_lifecycle_sign(int argc, char **argv)
{
    const char *out = NULL, *key = NULL, *to_name = NULL, *count = NULL, *chip = NULL;
    static const struct option opts[] = {
        {"sign", required_argument, NULL, 's'}, {"key", required_argument, NULL, 'k'},
        {"to", required_argument, NULL, 't'},   {"transitions", required_argument, NULL, 'n'},
        {"chip", required_argument, NULL, 'c'}, {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        const char **v = c == 's'   ? &out
                         : c == 'k' ? &key
                         : c == 't' ? &to_name
                         : c == 'n' ? &count
                         : c == 'c' ? &chip
                                    : NULL;
        if (v == NULL) {
            return 2;
        }
        *v = optarg;
    }
    uint32_t to = 0;
    unsigned long n = 0;
    char *end = NULL;
    uint8_t req[SM_LIFECYCLE_REQUEST_SIZE] = {0}, id[16] = {0}, digest[32];
    if (count != NULL) {
        n = strtoul(count, &end, 10);
    }
    if (out == NULL || key == NULL || to_name == NULL || optind != argc ||
        smtool_parse_lifecycle(to_name, &to) != 0 ||
        (count != NULL && (*count == '\0' || *end != '\0' || n > 0xFFFFu)) ||
        (chip != NULL && smtool_parse_hex(chip, id, sizeof(id)) != 0)) {
        fprintf(stderr, "usage: smtool lifecycle --sign REQ.bin --key OEM.pem --to STATE "
                        "[--transitions N] [--chip ID (32 hex digits)]\n");
        return 2;
    }
    put32(req, SM_LIFECYCLE_MAGIC);
    memcpy(req + 4, id, 16);
    put32(req + 20, (uint32_t)n);
    put32(req + 24, to);
    bl_lifecycle_digest(id, (uint32_t)n, to, digest); /* the stage's, so the same key signs both */
    if (smtool_sign_digest(key, digest, req + 28) != 0) {
        fprintf(stderr, "smtool lifecycle: %s: cannot sign with it\n", key);
        return 1;
    }
    return smtool_write_file("lifecycle", out, req, sizeof(req)) == 0 ? 0 : 1;
}

int smtool_cmd_lifecycle(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--port", 6) == 0) {
            return smtool_lifecycle_port(argc, argv); /* a device over its serial line */
        }
        if (strncmp(argv[i], "--sign", 6) == 0) {
            return smtool_lifecycle_sign(argc, argv); /* a request for a running device */
        }
    }
    const char *dir = NULL, *to_name = NULL;
    bool record_only = false;
    static const struct option opts[] = {
        {"device", required_argument, NULL, 'd'},
        {"to", required_argument, NULL, 't'},
        {"record-only", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:t:", opts, NULL)) != -1) {
        if (c == 'd') {
            dir = optarg;
        } else if (c == 't') {
            to_name = optarg;
        } else if (c == 'r') {
            record_only = true;
        } else {
            return 2;
        }
    }
    uint32_t to = 0;
    if (dir == NULL || optind != argc ||
        (to_name != NULL && smtool_parse_lifecycle(to_name, &to))) {
        fprintf(stderr,
                "usage: smtool lifecycle -d DEVICE_DIR [--to STATE [--record-only]]\n"
                "  STATE: assembly-and-test, psa-rot-provisioning, secured, non-psa-rot-debug,\n"
                "  recoverable-psa-rot-debug, decommissioned\n"
                "  --record-only: write the transition only; the device's boot stages then do\n"
                "  what the state asks (for DECOMMISSIONED: erase its secrets at its next boot)\n");
        return 2;
    }
    if (!smtool_device_exists(dir)) {
        fprintf(stderr, "smtool lifecycle: %s: no device here (create it with smtool provision)\n",
                dir);
        return 1;
    }
    int rc = host_flash_open_dir(dir, false);
    if (rc != PLAT_FLASH_OK) {
        fprintf(stderr, "smtool lifecycle: %s: cannot open the flash: %s\n", dir,
                plat_flash_strerror(rc));
        return 1;
    }
    uint32_t now = 0;
    rc = bl_lifecycle_get(&now);
    if (rc != BL_OK) {
        fprintf(stderr, "smtool lifecycle: %s: no lifecycle state: %s\n", dir, bl_strerror(rc));
        host_flash_close();
        return 1;
    }
    if (to_name == NULL) {
        printf("%s (0x%04x)\n", bl_lifecycle_name(now), (unsigned)now);
        host_flash_close();
        return 0;
    }
    rc = bl_lifecycle_set(to);
    if (rc == BL_OK && to == BL_LIFECYCLE_DECOMMISSIONED && !record_only) {
        int e = bl_lifecycle_end(); /* what the device's boot stages do, at once */
        if (e != BL_OK) {
            host_flash_close();
            fprintf(stderr, "smtool lifecycle: %s: erasing the device's secrets: %s\n", dir,
                    bl_strerror(e));
            return 1;
        }
    }
    host_flash_close();
    if (rc == BL_E_LIFECYCLE) {
        fprintf(stderr, "smtool lifecycle: %s: %s does not move to %s\n", dir,
                bl_lifecycle_name(now), bl_lifecycle_name(to));
        return 1;
    }
    if (rc != BL_OK) {
        fprintf(stderr, "smtool lifecycle: %s: %s\n", dir, bl_strerror(rc));
        return 1;
    }
    printf("%s -> %s%s\n", bl_lifecycle_name(now), bl_lifecycle_name(to),
           to != BL_LIFECYCLE_DECOMMISSIONED ? ""
           : record_only                     ? " (erased by the device at its next boot)"
                                             : " (the device's secrets and assets erased)");
    return 0;
}
