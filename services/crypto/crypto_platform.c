/*
 * crypto_platform.c: what crypto_service_config.h asks of whoever links the crypto service's
 * Mbed TLS: its memory before a static arena is set up (none: never the C library's heap) and
 * its exit (a corrupted arena stops the partition).
 */
#include <stddef.h>

#include "psa/service.h"

void *crypto_calloc_unset(size_t n, size_t size);
void crypto_free_unset(void *p);
void crypto_exit(int status);

void *crypto_calloc_unset(size_t n, size_t size)
{
    (void)n;
    (void)size;
    return NULL;
}

void crypto_free_unset(void *p)
{
    (void)p;
}

void crypto_exit(int status)
{
    (void)status;
    psa_panic();
}
