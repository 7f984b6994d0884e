/* prov.ld.S: the provisioning stage, above the iRoT in its flash region, in the uRoT's RAM
 * (the uRoT never runs in a boot that enters the stage); the iRoT's RAM stays the iRoT's, whose
 * crypto (bl_rom.h) the stage calls. */
#include "flash_map.h"
#include "memory_map.h"

#define IMAGE_CODE_BASE  (FLASH_BASE_S + FLASH_PROV_OFFSET)
#define IMAGE_CODE_SIZE  FLASH_PROV_SIZE
#define IMAGE_RAM_BASE   RAM_UROT_BASE
#define IMAGE_RAM_SIZE   RAM_UROT_SIZE
#define IMAGE_STACK_SIZE 0x1800

#include "image.ld.inc"
