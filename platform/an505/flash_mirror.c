/*
 * flash_mirror.c: the flash backend of the emulated board.
 *
 * The flash is the 4 MiB code SSRAM: at power-on the runner (tools/smrun) loads the device's
 * flash.img there, its per-unit "programmed since erase" bits (flash.prog, 1 = programmed, the
 * state a real ECC flash keeps in its cells) at EMU_PROG_BASE, and AN505_EMU_FLASH_LOADED into
 * the secure mailbox. Code executes in place and reads are memory reads. A program or an erase
 * only updates that memory; the runner saves both back to the device directory whenever the
 * board stops (reset request, power-off, power cut, timeout). The guest has no other channel
 * to the host (docs/design/emulated-flash.md).
 *
 * The NS slot: once the SM gives it to the NS world (the MPC makes its blocks non-secure, and
 * says so in the mailbox's NS_OPEN), the secure alias of those blocks faults; the driver then
 * reaches them through the non-secure alias, which the SAU attributes to NS, as the NS world
 * does (the update service confirms an NS trial in that slot's trailer).
 *
 * Power cuts: when the runner sets the mailbox's CUT_AT, the operation with that number (from
 * 1) in this boot does not happen: the driver marks the cut and requests a reset, which the
 * runner turns into a power cycle with the flash as it was before that operation.
 */
#include <string.h>

#include "an505_emu.h"
#include "flash_backend.h"
#include "memory_map.h"
#include "plat_flash.h"
#include "plat_system.h"

#define UNITS_PER_SECTOR (FLASH_SECTOR_SIZE / FLASH_PROGRAM_UNIT)

_Static_assert(EMU_PROG_SIZE * 8 == FLASH_SIZE / FLASH_PROGRAM_UNIT, "one bit per unit");

static bool loaded;

static volatile uint8_t *prog_byte(uint32_t unit)
{
    return (volatile uint8_t *)(uintptr_t)(EMU_PROG_BASE + unit / 8u);
}

static volatile uint32_t *box(uint32_t offset)
{
    return (volatile uint32_t *)(uintptr_t)(EMU_BOX_S_BASE + offset);
}

/* Where `offset` is seen. Callers never cross into or out of the NS slot within one access
 * (flash_backend_read splits at its bounds). The boot stages (AN505_STAGE) run before the SM
 * gives the NS world anything: every power-on is a new QEMU, whose MPCs and mailbox start from
 * reset (NS_OPEN clear), so the secure alias is theirs for the whole flash, and their driver
 * carries neither the NS alias nor the split (docs/design/emulated-flash.md). */
static uint8_t *mirror(uint32_t offset)
{
#ifdef AN505_STAGE
    return (uint8_t *)(uintptr_t)(FLASH_BASE_S + offset);
#else
    if (offset - FLASH_NS_PRIMARY_OFFSET < FLASH_NS_SLOT_SIZE &&
        *box(AN505_EMU_BOX_NS_OPEN) == AN505_EMU_NS_OPEN_MAGIC) {
        return (uint8_t *)(uintptr_t)(FLASH_BASE_NS + offset);
    }
    return (uint8_t *)(uintptr_t)(FLASH_BASE_S + offset);
#endif
}

int plat_flash_init(void)
{
    /* Without the runner's mark the bitmap is QEMU's zeroed RAM, which would let a unit be
     * programmed twice: refuse to run on it. */
    loaded = *box(AN505_EMU_BOX_FLASH) == AN505_EMU_FLASH_LOADED;
    return loaded ? PLAT_FLASH_OK : PLAT_FLASH_E_IO;
}

int flash_backend_ready(void)
{
    return loaded ? PLAT_FLASH_OK : PLAT_FLASH_E_NOT_READY;
}

/* Counts a program or erase about to happen; at the runner's CUT_AT, the power fails first. */
static void flash_operation(void)
{
    uint32_t n = *box(AN505_EMU_BOX_OPS) + 1u;
    uint32_t cut_at = *box(AN505_EMU_BOX_CUT_AT);
    if (cut_at != 0u && n >= cut_at) {
        *box(AN505_EMU_BOX_CUT) = AN505_EMU_CUT_MAGIC;
        plat_reset(); /* the runner stops the board at the request: nothing after it runs */
    }
    *box(AN505_EMU_BOX_OPS) = n;
}

int flash_backend_read(uint32_t offset, void *dst, uint32_t len)
{
#ifdef AN505_STAGE
    memcpy(dst, mirror(offset), len);
#else
    static const uint32_t bounds[2] = {FLASH_NS_PRIMARY_OFFSET,
                                       FLASH_NS_PRIMARY_OFFSET + FLASH_NS_SLOT_SIZE};
    uint8_t *out = dst;
    while (len > 0u) {
        uint32_t n = len;
        for (int i = 0; i < 2; i++) {
            if (offset < bounds[i] && bounds[i] - offset < n) {
                n = bounds[i] - offset;
            }
        }
        memcpy(out, mirror(offset), n);
        out += n;
        offset += n;
        len -= n;
    }
#endif
    return PLAT_FLASH_OK;
}

int flash_backend_unit_programmed(uint32_t unit_offset, bool *programmed)
{
    uint32_t unit = unit_offset / FLASH_PROGRAM_UNIT;
    *programmed = ((*prog_byte(unit) >> (unit % 8u)) & 1u) != 0u;
    return PLAT_FLASH_OK;
}

int flash_backend_program_unit(uint32_t unit_offset, const uint8_t *src)
{
    uint32_t unit = unit_offset / FLASH_PROGRAM_UNIT;
    flash_operation();
    /* The bit first: a board stopped between the two (a timeout) leaves a unit marked
     * programmed with part of its value, a torn program, never a unit that could be programmed
     * a second time over bits already cleared. */
    *prog_byte(unit) = (uint8_t)(*prog_byte(unit) | (1u << (unit % 8u)));
    /* Programming only clears bits, as in a real cell (the unit is erased: this is a copy). */
    for (uint32_t i = 0; i < FLASH_PROGRAM_UNIT; i++) {
        mirror(unit_offset)[i] &= src[i];
    }
    return PLAT_FLASH_OK;
}

int flash_backend_erase_sector(uint32_t sector_offset)
{
    flash_operation();
    /* The data first, the bits after: stopped between the two, the sector reads erased but
     * still refuses programs (an unfinished erase), instead of accepting programs over old
     * data. */
    memset(mirror(sector_offset), FLASH_ERASED_VALUE, FLASH_SECTOR_SIZE);
    uint32_t first = sector_offset / FLASH_PROGRAM_UNIT;
    for (uint32_t u = 0; u < UNITS_PER_SECTOR; u += 8u) {
        *prog_byte(first + u) = 0;
    }
    return PLAT_FLASH_OK;
}
