/*
 * boot_stage_config.h: Mbed TLS configuration for the boot stages themselves (the iRoT; the
 * uRoT through boot_urot_config.h): the boot core's (boot_config.h, which the SM core also
 * uses), trimmed to what a stage does with AES, for flash (docs/design/boot-speed.md):
 * - only the encryption direction of AES (CTR mode decrypts by encrypting), for 128- and
 *   256-bit keys (MCUboot's two image key lengths);
 * - the AES tables (1.3 KB) computed into RAM at the first key setup rather than stored in
 *   flash: a boot stage has RAM to spare (its stack is most of it), not flash;
 * - a faster mbedtls_platform_zeroize (boot/common/bl_zeroize.c), which SHA-256 calls after
 *   every block.
 */
#ifndef SM_MBEDTLS_BOOT_STAGE_CONFIG_H
#define SM_MBEDTLS_BOOT_STAGE_CONFIG_H

#include "boot_config.h"

#undef MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_BLOCK_CIPHER_NO_DECRYPT
#define MBEDTLS_PLATFORM_ZEROIZE_ALT

#endif /* SM_MBEDTLS_BOOT_STAGE_CONFIG_H */
