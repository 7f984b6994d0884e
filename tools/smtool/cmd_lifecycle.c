/*
 * cmd_lifecycle.c: smtool lifecycle, a development device's PSA lifecycle state, offline:
 *
 *   smtool lifecycle -d DEVICE_DIR [--to STATE]
 *
 * Prints the state (bl_lifecycle.h), or moves it to STATE if the state allows that
 * transition, writing the device's lifecycle counter as the device itself would (the record is
 * authenticated under the device's HUK, which a development device's directory holds). A
 * production device is moved over its serial line by its own boot stages, never like this.
 *
 * DECOMMISSIONED ends the device's life (docs/design/lifecycle.md): once the transition is
 * recorded, the provisioning area (HUK, IAK, image decryption key, seed, attestation block),
 * the counters (authenticated under that HUK) and the ITS area are erased, so the device's
 * secrets and every asset are gone for good and nothing boots.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "flash_map.h"
#include "host_flash.h"
#include "plat_flash.h"
#include "smtool.h"

int smtool_cmd_lifecycle(int argc, char **argv)
{
    const char *dir = NULL, *to_name = NULL;
    static const struct option opts[] = {
        {"device", required_argument, NULL, 'd'},
        {"to", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:t:", opts, NULL)) != -1) {
        if (c == 'd') {
            dir = optarg;
        } else if (c == 't') {
            to_name = optarg;
        } else {
            return 2;
        }
    }
    uint32_t to = 0;
    if (dir == NULL || optind != argc ||
        (to_name != NULL && smtool_parse_lifecycle(to_name, &to))) {
        fprintf(stderr,
                "usage: smtool lifecycle -d DEVICE_DIR [--to STATE]\n"
                "  STATE: assembly-and-test, psa-rot-provisioning, secured, non-psa-rot-debug,\n"
                "  recoverable-psa-rot-debug, decommissioned\n");
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
    if (rc == BL_OK && to == BL_LIFECYCLE_DECOMMISSIONED) {
        static const struct {
            uint32_t off, size;
        } secrets[] = {{FLASH_OTP_OFFSET, FLASH_OTP_SIZE},
                       {FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE},
                       {FLASH_ITS_OFFSET, FLASH_ITS_SIZE_MAX}};
        for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
            int e = plat_flash_erase(secrets[i].off, secrets[i].size);
            if (e != PLAT_FLASH_OK) {
                host_flash_close();
                fprintf(stderr, "smtool lifecycle: %s: erasing the device's secrets: %s\n", dir,
                        plat_flash_strerror(e));
                return 1;
            }
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
           to == BL_LIFECYCLE_DECOMMISSIONED ? " (the device's secrets and assets erased)" : "");
    return 0;
}
