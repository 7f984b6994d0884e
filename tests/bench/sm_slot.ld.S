/*
 * sm_slot.ld.S: a stand-alone secure image booted by the boot stages in the SM's place (its
 * slot, after the 0x400-byte MCUboot header), with the SM's RAM: for benchmarks too large for
 * the reset-vector region. Never part of the secure product.
 */
#include "flash_map.h"
#include "memory_map.h"

#define IMAGE_CODE_BASE  (FLASH_BASE_S + FLASH_SM_PRIMARY_OFFSET + 0x400)
#define IMAGE_CODE_SIZE  (FLASH_SM_SLOT_SIZE - 0x400 - 0x2000)
#define IMAGE_RAM_BASE   RAM_SM_BASE
#define IMAGE_RAM_SIZE   RAM_SM_SIZE
#define IMAGE_STACK_SIZE 0x2000

#include "image.ld.inc"
