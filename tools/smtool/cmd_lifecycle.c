/*
 * cmd_lifecycle.c: smtool lifecycle, a development device's PSA lifecycle state, offline:
 *
 *   smtool lifecycle -d DEVICE_DIR [--to STATE [--record-only]]
 *   smtool lifecycle --port PATH --to STATE [--key OEM.pem]   (cmd_prov.c: a device's
 *       provisioning stage over its serial line)
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
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--port", 6) == 0) {
            return smtool_lifecycle_port(argc, argv); /* a device over its serial line */
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
