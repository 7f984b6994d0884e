/*
 * bl_record.h: the 16-byte record shared by the install journal and the security counters:
 * one flash program unit, written once, checked by CRC-32 so a torn write reads as absent.
 *
 *   [0] magic  [1] type  [2] kind  [3] aux  [4..7] u32 a  [8..11] u32 b  [12..15] CRC-32
 */
#ifndef BL_RECORD_H
#define BL_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "flash_map.h"

struct bl_record {
    uint8_t magic;
    uint8_t type;
    uint8_t kind;
    uint8_t aux;
    uint32_t a;
    uint32_t b;
};

/* Appends a record in the first free unit of the sector at sector_off; skips units that are
 * programmed (e.g. torn by an earlier power cut). BL_E_JOURNAL when the sector is full. */
int bl_record_append(uint32_t sector_off, const struct bl_record *r);
/* Reads unit `index` of the sector: 1 valid record with `magic`, 0 programmed but invalid,
 * -1 erased (the end of the log), or a negative BL_E_IO. */
int bl_record_read(uint32_t sector_off, uint32_t index, uint8_t magic, struct bl_record *r);
/* Units in use: the length of the programmed prefix. Readers look at units [0, used). */
int bl_record_used(uint32_t sector_off, uint32_t *used);

#define BL_RECORDS_PER_SECTOR (FLASH_SECTOR_SIZE / 16u)

#endif /* BL_RECORD_H */
