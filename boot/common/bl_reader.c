/*
 * bl_reader.c: see bl_reader.h.
 */
#include "bl_reader.h"

#include <string.h>

#include "bl_status.h"
#include "plat_flash.h"

static int in_area(const struct bl_reader *r, uint32_t off, uint32_t len)
{
    return off <= r->size && len <= r->size - off;
}

static int read_flash(const struct bl_reader *r, uint32_t off, void *dst, uint32_t len)
{
    if (!in_area(r, off, len) || plat_flash_read(r->base + off, dst, len) != PLAT_FLASH_OK) {
        return BL_E_IO;
    }
    return BL_OK;
}

static int read_mem(const struct bl_reader *r, uint32_t off, void *dst, uint32_t len)
{
    if (!in_area(r, off, len)) {
        return BL_E_IO;
    }
    memcpy(dst, r->mem + off, len);
    return BL_OK;
}

struct bl_reader bl_reader_flash(uint32_t base, uint32_t size)
{
    struct bl_reader r = {read_flash, base, size, NULL};
    return r;
}

struct bl_reader bl_reader_mem(const uint8_t *mem, uint32_t size)
{
    struct bl_reader r = {read_mem, 0, size, mem};
    return r;
}
