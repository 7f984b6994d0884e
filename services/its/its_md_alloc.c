/*
 * its_md_alloc.c (product profile, board): the memory the SM image's shared md.c takes when the
 * ITS partition runs it (config/mbedtls/product/shared_md_alloc.c): the partition's own pool
 * (boot/common/bl_pool.c in its Mbed TLS), as the md.c of its own took before it was shared
 * (docs/design/footprint.md). Exported by the partition's link unit (services/its/
 * CMakeLists.txt) so that the shared code can reach it; it runs only as the ITS partition.
 */
#include <stddef.h>

#include "bl_pool.h"

void *its_md_calloc(size_t n, size_t size);
void its_md_free(void *p);

void *its_md_calloc(size_t n, size_t size)
{
    return bl_pool_calloc(n, size);
}

void its_md_free(void *p)
{
    bl_pool_free(p);
}
