/*
 * bl_crc32.h: CRC-32 (IEEE 802.3, reflected, as zlib) to detect torn journal and counter
 * records. An error-detecting code, not a security mechanism: records only steer what the
 * stage does next, and every image is verified before it runs.
 */
#ifndef BL_CRC32_H
#define BL_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t bl_crc32(const void *data, size_t len);

#endif /* BL_CRC32_H */
