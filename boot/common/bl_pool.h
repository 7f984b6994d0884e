/*
 * bl_pool.h: the only memory Mbed TLS may take in a boot stage.
 *
 * Mbed TLS's HMAC and HKDF (mbedtls_md_setup) allocate two small contexts per use. Boot stages
 * have no heap; instead mbedtls_calloc/mbedtls_free are these functions (config/mbedtls/
 * boot_config.h), which hand out BL_POOL_SLOTS static slots of BL_POOL_SLOT_SIZE bytes, zeroize
 * a slot when it is released, and return NULL (fail closed) when a request does not fit.
 */
#ifndef BL_POOL_H
#define BL_POOL_H

#include <stddef.h>

#define BL_POOL_SLOTS     4
#define BL_POOL_SLOT_SIZE 128

void *bl_pool_calloc(size_t n, size_t size);
void bl_pool_free(void *p);

#endif /* BL_POOL_H */
