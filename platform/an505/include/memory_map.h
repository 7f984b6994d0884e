/*
 * memory_map.h: RAM and peripheral addresses of the MPS2 AN505 board as QEMU models it.
 *
 * Contract: the only place firmware and linker scripts take a RAM range or a peripheral
 * address from. Plain integer literals, so the linker-script preprocessor can use them.
 *
 * Data SSRAM2 (MPC1) is secure data RAM at 0x38000000; SSRAM3 (MPC2) is given to the
 * non-secure world at 0x28200000. Address bit 28 selects the secure alias (IDAU).
 */
#ifndef MEMORY_MAP_H
#define MEMORY_MAP_H

/* Secure RAM (SSRAM2, secure alias). */
#define RAM_S_BASE 0x38000000
#define RAM_S_SIZE 0x00200000

/* SM core and partitions. Also used by stand-alone test images. The last 16 KiB are the
 * iRoT's RAM (below), dead once the uRoT runs, so before the SM starts: the full profile's
 * test images need more than 64 KiB since the SM reserves threads for the module slots. */
#define RAM_SM_BASE 0x38000000
#define RAM_SM_SIZE 0x00014000

/* Boot stages: each runs alone, the iRoT's RAM is dead once the uRoT starts. */
#define RAM_IROT_BASE 0x38010000
#define RAM_IROT_SIZE 0x00004000
#define RAM_UROT_BASE 0x38014000
#define RAM_UROT_SIZE 0x00004000

/* Boot records handed from the uRoT to the SM (measurements for attestation). */
#define RAM_BOOT_SHARED_BASE 0x3801F000
#define RAM_BOOT_SHARED_SIZE 0x00001000

/* Secure modules' RAM windows (docs/design/modules.md): one per module slot, in slot order,
 * each a module's data, bss and stack, its only writable memory (an MPU region of its own). */
#define RAM_MODULES_BASE       0x38020000
#define RAM_MODULE_WINDOW_SIZE 0x00008000

/* Non-secure RAM (SSRAM3, non-secure alias). */
#define RAM_NS_BASE 0x28200000
#define RAM_NS_SIZE 0x00200000

/* The board emulation's own RAM, which no image links against (docs/design/emulated-flash.md):
 * the flash's per-unit "programmed" bitmap and the secure power-off mailbox at the top of
 * SSRAM2 (secure only: the MPC gives the NS world none of SSRAM2, and no partition's MPU
 * region covers it), and the NS application's mailbox in the last bytes of SSRAM3 (ns.ld.S
 * leaves them out). The runner (tools/smrun) loads and saves them; see an505_emu.h. */
#define EMU_PROG_BASE   0x381F0000 /* FLASH_SIZE / FLASH_PROGRAM_UNIT bits */
#define EMU_PROG_SIZE   0x00008000
#define EMU_BOX_S_BASE  0x381F8000
#define EMU_BOX_NS_BASE 0x283FFFE0
#define EMU_BOX_SIZE    0x00000020

/* Peripherals, secure aliases (non-secure alias: clear bit 28). */
#define UART0_BASE_S  0x50200000
#define UART1_BASE_S  0x50201000
#define TIMER0_BASE_S 0x50000000
#define TIMER1_BASE_S 0x50001000
#define SYSCLK_HZ     20000000

#endif /* MEMORY_MAP_H */
