/*
 * bl_reader.h: where the boot core reads an image from (a flash slot, or a file in memory).
 *
 * Contract: read() copies len bytes at off (relative to the start of the area) or fails with
 * BL_E_IO; the boot core never reads outside [0, size), and checks that before calling.
 */
#ifndef BL_READER_H
#define BL_READER_H

#include <stdint.h>

struct bl_reader {
    int (*read)(const struct bl_reader *r, uint32_t off, void *dst, uint32_t len);
    uint32_t base;      /* flash offset of the area, for flash readers */
    uint32_t size;      /* bytes readable */
    const uint8_t *mem; /* for memory readers */
};

/* A reader over flash [base, base + size), through plat_flash_read. */
struct bl_reader bl_reader_flash(uint32_t base, uint32_t size);
/* A reader over a memory buffer. */
struct bl_reader bl_reader_mem(const uint8_t *mem, uint32_t size);

#endif /* BL_READER_H */
