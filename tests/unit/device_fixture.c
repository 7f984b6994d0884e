/*
 * device_fixture.c: see device_fixture.h. Built on its own (with the boot library and its Mbed
 * TLS configuration) so that its callers include no Mbed TLS header of that configuration.
 */
#include "device_fixture.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_otp.h"
#include "bl_status.h"
#include "flash_map.h"
#include "host_flash.h"
#include "plat_flash.h"
#include "sm_host.h"

static int provision(const char *dir, const uint8_t huk[32], uint32_t its_size,
                     uint32_t its_max_asset, const uint8_t *ns_pub)
{
    char path[256];
    /* No flash files, so opening with `create` makes an erased flash. */
    snprintf(path, sizeof(path), "%s/flash.img", dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/flash.prog", dir);
    unlink(path);
    if (host_flash_open_dir(dir, true) != PLAT_FLASH_OK) {
        return -1;
    }
    int rc = 0;
    if (its_size != 0u) {
        /* The fields smtool provision sets (sm_otp_init). The other secrets are fixed: the
         * tests need no particular value, and fixed ones make every run the same. */
        struct bl_otp otp;
        memset(&otp, 0, sizeof(otp));
        otp.magic = BL_OTP_MAGIC;
        otp.version = BL_OTP_VERSION;
        otp.lifecycle = BL_LIFECYCLE_SECURED;
        otp.its_size = its_size;
        otp.its_max_asset = its_max_asset;
        otp.fwu_ns_components = (1u << BL_KIND_COUNT) - 1u;
        memcpy(otp.huk, huk, sizeof(otp.huk));
        for (size_t i = 0; i < sizeof(otp.entropy_seed); i++) {
            otp.entropy_seed[i] = (uint8_t)(0xC3 ^ (7u * i));
        }
        if (ns_pub != NULL) { /* the key and its hash, as the boot stages and the SM take it */
            uint8_t der[91];
            memcpy(otp.keys[BL_KIND_NS].pub, ns_pub, 64);
            bl_pubkey_der(ns_pub, der);
            bl_sha256(der, sizeof(der), otp.keys[BL_KIND_NS].hash);
        }
        bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);
        if (plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE) != PLAT_FLASH_OK ||
            plat_flash_program(FLASH_OTP_OFFSET, &otp, sizeof(otp)) != PLAT_FLASH_OK ||
            bl_counter_provision() != BL_OK) { /* the counters, as smtool provision */
            rc = -1;
        }
    }
    host_flash_close();
    return rc;
}

int device_fixture_provision(const char *dir, const uint8_t huk[32], uint32_t its_size,
                             uint32_t its_max_asset)
{
    return provision(dir, huk, its_size, its_max_asset, NULL);
}

int device_fixture_provision_ns_key(const char *dir, const uint8_t huk[32],
                                    const uint8_t ns_pub[64])
{
    return provision(dir, huk, 0x10000, 4096, ns_pub);
}

int device_fixture_boot(const char *dir, int (*run)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        int rc = host_flash_open_dir(dir, false);
        if (rc == PLAT_FLASH_OK) {
            sm_host_start();
            rc = run();
        }
        fflush(NULL);
        _exit(rc == 0 ? 0 : 1);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return -1;
    }
    return 0;
}
