/*
 * bare.ld.S: a stand-alone image at the secure reset vector (board bring-up and board tests).
 * It takes the iRoT's flash region and the SM's RAM; it is never part of the secure product.
 */
#include "flash_map.h"
#include "memory_map.h"

#define IMAGE_CODE_BASE  (FLASH_BASE_S + FLASH_IROT_OFFSET)
#define IMAGE_CODE_SIZE  FLASH_IROT_SIZE
#define IMAGE_RAM_BASE   RAM_SM_BASE
#define IMAGE_RAM_SIZE   RAM_SM_SIZE
#define IMAGE_STACK_SIZE 0x2000

#include "image.ld.inc"
