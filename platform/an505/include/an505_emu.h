/*
 * an505_emu.h: what the firmware and the runner (tools/smrun) exchange on the emulated board,
 * which offers the guest no channel to the host (no semihosting): only memory the runner
 * loads before the boot and reads back after it (docs/design/emulated-flash.md).
 *
 * Contract: plain `#define NAME literal` lines, read by tools/smrun as well as by C.
 *
 * Each mailbox (EMU_BOX_S_BASE for secure code, EMU_BOX_NS_BASE for the NS application, both
 * EMU_BOX_SIZE bytes, see memory_map.h) is a row of 32-bit words at the offsets below; QEMU
 * starts every boot with them zeroed, then the runner writes its words:
 * - FLASH (secure box, runner): AN505_EMU_FLASH_LOADED when the runner loaded the flash and
 *   its bitmap. The flash driver refuses to start without it (fail closed: a zeroed bitmap
 *   would allow programming a unit twice).
 * - CUT_AT (secure box, runner): 0, or the number (from 1) of the flash operation of this boot
 *   (unit program or sector erase) before which the power fails: the driver stops there.
 * - OPS (secure box, guest): flash operations done this boot; CUT: AN505_EMU_CUT_MAGIC once the
 *   driver cut the power.
 * - OFF, STATUS (both boxes, guest): AN505_EMU_OFF_MAGIC and the status (0-63) at a power-off,
 *   written just before the reset request that ends the boot. With no OFF magic in either box,
 *   a reset request is a power cycle. The secure box wins over the NS one.
 * - NS_OPEN (secure box, guest): AN505_EMU_NS_OPEN_MAGIC once the MPC gave the NS slot of the
 *   flash to the NS world: from then on only the NS view of the bus reads it.
 * - BENCH (secure box, guest): 0, or a figure a benchmark image leaves for the runner when it
 *   has no room to print it (the install benchmark's stage: tests/bench/prov_line_replay.c);
 *   smrun prints it at the power-off as `smrun: bench word N`.
 */
#ifndef AN505_EMU_H
#define AN505_EMU_H

#define AN505_EMU_BOX_FLASH   0x00
#define AN505_EMU_BOX_CUT_AT  0x04
#define AN505_EMU_BOX_OPS     0x08
#define AN505_EMU_BOX_CUT     0x0C
#define AN505_EMU_BOX_OFF     0x10
#define AN505_EMU_BOX_STATUS  0x14
#define AN505_EMU_BOX_NS_OPEN 0x18
#define AN505_EMU_BOX_BENCH   0x1C

#define AN505_EMU_FLASH_LOADED  0x464C5348 /* "FLSH" */
#define AN505_EMU_CUT_MAGIC     0x43555421 /* "CUT!" */
#define AN505_EMU_OFF_MAGIC     0x4F464621 /* "OFF!" */
#define AN505_EMU_NS_OPEN_MAGIC 0x4E534F50 /* "NSOP" */

#endif /* AN505_EMU_H */
