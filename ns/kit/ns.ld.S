/* ns.ld.S: a non-secure application, executing in place after its 0x400-byte header in the
 * NS slot, with the non-secure RAM but its last EMU_BOX_SIZE bytes (the power-off mailbox the
 * runner reads, at EMU_BOX_NS_BASE). */
#include "flash_map.h"
#include "memory_map.h"

#define IMAGE_CODE_BASE  (FLASH_BASE_NS + FLASH_NS_PRIMARY_OFFSET + 0x400)
#define IMAGE_CODE_SIZE  (FLASH_NS_SLOT_SIZE - 0x400 - 0x2000)
#define IMAGE_RAM_BASE   RAM_NS_BASE
#define IMAGE_RAM_SIZE   (EMU_BOX_NS_BASE - RAM_NS_BASE)
#define IMAGE_STACK_SIZE 0x2000

#include "image.ld.inc"
