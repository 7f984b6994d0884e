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

#include "host_flash.h"
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

static int device_exists(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/flash.img", dir);
    return access(path, F_OK) == 0;
}

int smtool_cmd_provision(int argc, char **argv)
{
    static const struct option opts[] = {
        {"device", required_argument, NULL, 'd'},
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = NULL;
    int force = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            dir = optarg;
            break;
        case 'f':
            force = 1;
            break;
        default:
            return 2;
        }
    }
    if (dir == NULL || optind != argc) {
        fprintf(stderr, "usage: smtool provision -d DEVICE_DIR [--force]\n");
        return 2;
    }
    if (device_exists(dir)) {
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
    host_flash_close();
    if (rc != PLAT_FLASH_OK) {
        fprintf(stderr, "smtool provision: %s: cannot create the flash files: %s\n", dir,
                plat_flash_strerror(rc));
        return 1;
    }
    printf("device %s: %u KiB flash, erased\n", dir, (unsigned)(FLASH_SIZE / 1024));
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
    if (!device_exists(dir)) {
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
