/*
 * bl_crc32.c: see bl_crc32.h. Bitwise, without a table: records are 12 bytes and few.
 */
#include "bl_crc32.h"

uint32_t bl_crc32(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}
