/*
 * flash_map.h: the one definition of the device's flash layout.
 *
 * Contract: every region is sector aligned and lies inside the flash. Firmware (C and the
 * preprocessed linker scripts), the host platform and the host tools all include this file;
 * nothing else states an offset or a size. Values are plain integer literals so that the
 * linker-script preprocessor can use them. Offsets are from the start of the flash.
 *
 * On the AN505 the "flash" is the 4 MiB code SSRAM (MPC0), emulated with STM32H5 rules by the
 * platform flash driver (see docs/architecture.md). It is seen at FLASH_BASE_S by secure code
 * and at FLASH_BASE_NS by non-secure code once the MPC opens a block to it.
 */
#ifndef FLASH_MAP_H
#define FLASH_MAP_H

#define FLASH_BASE_S       0x10000000
#define FLASH_BASE_NS      0x00000000
#define FLASH_SIZE         0x00400000
#define FLASH_SECTOR_SIZE  0x2000 /* 8 KiB erase sector */
#define FLASH_PROGRAM_UNIT 16     /* programmed once between erases */
#define FLASH_ERASED_VALUE 0xFF

/* Immutable root of trust, at the secure reset vector. Never written after manufacturing. */
#define FLASH_IROT_OFFSET 0x000000
#define FLASH_IROT_SIZE   0x008000
/* Inside the iRoT's region, above the iRoT (immutable like it, written with it by `smtool chip
 * make`): the provisioning stage the iRoT enters in the manufacturing states
 * (docs/design/lifecycle.md). The iRoT's code ends below FLASH_PROV_OFFSET (irot.ld.S). */
#define FLASH_PROV_OFFSET 0x005000
#define FLASH_PROV_SIZE   0x003000

/* OTP-like provisioning area: key hashes, device keys, lifecycle, install configuration. */
#define FLASH_OTP_OFFSET 0x008000
#define FLASH_OTP_SIZE   0x002000

/* Anti-rollback security counters (two sectors written alternately). */
#define FLASH_COUNTERS_OFFSET 0x00A000
#define FLASH_COUNTERS_SIZE   0x004000

/* Install journals (two sectors each, used alternately) and copy scratch sectors, one set per
 * boot stage so that neither can disturb an install the other has in progress. */
#define FLASH_IROT_JOURNAL_OFFSET 0x00E000
#define FLASH_IROT_SCRATCH_OFFSET 0x012000
#define FLASH_UROT_JOURNAL_OFFSET 0x014000
#define FLASH_UROT_SCRATCH_OFFSET 0x018000
#define FLASH_JOURNAL_SIZE        0x004000
#define FLASH_SCRATCH_SIZE        0x002000

/* Updatable root of trust: active slot (executes in place) and download slot. */
#define FLASH_UROT_PRIMARY_OFFSET   0x020000
#define FLASH_UROT_SECONDARY_OFFSET 0x030000
#define FLASH_UROT_SLOT_SIZE        0x010000

/* Secure Manager image. */
#define FLASH_SM_PRIMARY_OFFSET   0x040000
#define FLASH_SM_SECONDARY_OFFSET 0x0A0000
#define FLASH_SM_SLOT_SIZE        0x060000

/* Secure modules: FLASH_MODULE_SLOTS_MAX pairs of (primary, secondary) slots, in that order.
 * The number actually used is chosen at install time (OTP configuration). */
#define FLASH_MODULES_OFFSET   0x100000
#define FLASH_MODULE_SLOT_SIZE 0x010000
#define FLASH_MODULE_SLOTS_MAX 4
#define FLASH_MODULES_SIZE     0x080000

/* Non-secure application. */
#define FLASH_NS_PRIMARY_OFFSET   0x180000
#define FLASH_NS_SECONDARY_OFFSET 0x200000
#define FLASH_NS_SLOT_SIZE        0x080000

/* Internal Trusted Storage: the most the install-time configuration may give it. */
#define FLASH_ITS_OFFSET   0x280000
#define FLASH_ITS_SIZE_MAX 0x040000

/* Free for future use up to the end of the flash. */
#define FLASH_FREE_OFFSET 0x2C0000

#endif /* FLASH_MAP_H */
