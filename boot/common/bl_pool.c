/*
 * bl_pool.c: see bl_pool.h.
 */
#include "bl_pool.h"

#include <stdbool.h>
#include <stdint.h>

#include "mbedtls/platform_util.h"

static uint8_t slots[BL_POOL_SLOTS][BL_POOL_SLOT_SIZE] __attribute__((aligned(8)));
static bool in_use[BL_POOL_SLOTS];

void *bl_pool_calloc(size_t n, size_t size)
{
    if (n == 0 || size == 0 || size > BL_POOL_SLOT_SIZE / n) {
        return NULL;
    }
    for (int i = 0; i < BL_POOL_SLOTS; i++) {
        if (!in_use[i]) {
            in_use[i] = true;
            return slots[i]; /* zero: never used, or zeroized on release */
        }
    }
    return NULL;
}

void bl_pool_free(void *p)
{
    for (int i = 0; i < BL_POOL_SLOTS; i++) {
        if (p == slots[i]) {
            mbedtls_platform_zeroize(slots[i], BL_POOL_SLOT_SIZE);
            in_use[i] = false;
        }
    }
}
