/* irot.ld.S: the iRoT, at the secure reset vector, in its own RAM. */
#include "flash_map.h"
#include "memory_map.h"

#define IMAGE_CODE_BASE  (FLASH_BASE_S + FLASH_IROT_OFFSET)
#define IMAGE_CODE_SIZE  (FLASH_PROV_OFFSET - FLASH_IROT_OFFSET) /* the stage above it */
#define IMAGE_RAM_BASE   RAM_IROT_BASE
#define IMAGE_RAM_SIZE   RAM_IROT_SIZE
#define IMAGE_STACK_SIZE 0x1800

#include "image.ld.inc"
