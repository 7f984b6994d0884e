/*
 * shared_config.h (product profile): Mbed TLS configuration the SM image's one shared copy of
 * the primitives is compiled with (cmake/mbedtls.cmake, sm_mbedcrypto_shared): their options
 * alone (primitives.h). That code has no data: each user passes it its own contexts.
 */
#ifndef SM_MBEDTLS_PRODUCT_SHARED_CONFIG_H
#define SM_MBEDTLS_PRODUCT_SHARED_CONFIG_H

#include "primitives.h"

#endif /* SM_MBEDTLS_PRODUCT_SHARED_CONFIG_H */
