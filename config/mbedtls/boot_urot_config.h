/*
 * boot_urot_config.h: Mbed TLS configuration for the uRoT: the boot stages' (boot_stage_config.h)
 * with Mbed TLS's default SHA-256 instead of its compact one. The uRoT hashes the SM and the
 * NS application at every boot (most of the bytes hashed between reset and the NS world):
 * about 40 instructions per byte instead of 56, for 1.4 KB of code (docs/design/boot-speed.md).
 */
#ifndef SM_MBEDTLS_BOOT_UROT_CONFIG_H
#define SM_MBEDTLS_BOOT_UROT_CONFIG_H

#include "boot_stage_config.h"

#undef MBEDTLS_SHA256_SMALLER

#endif /* SM_MBEDTLS_BOOT_UROT_CONFIG_H */
