/*
 * irot.c: the immutable root of trust, at the secure reset vector.
 *
 * Verifies the uRoT (installing a verified update from its download slot first), records its
 * measurement for attestation, and jumps to it. Anything wrong: it says why and stops.
 */
#include "bl_shared.h"
#include "bl_stage.h"
#include "bl_status.h"
#include "flash_map.h"
#include "memory_map.h"
#include "plat_boot.h"
#include "plat_console.h"
#include "plat_system.h"

static const struct bl_journal irot_journal = {FLASH_IROT_JOURNAL_OFFSET,
                                               FLASH_IROT_SCRATCH_OFFSET};

int main(void)
{
    struct bl_boot_image urot;
    struct bl_shared_data *shared = (struct bl_shared_data *)RAM_BOOT_SHARED_BASE;
    plat_timer_init(); /* first: the boot time benchmark counts from here */
    plat_console_init();
    plat_puts("\niRoT: Secure Manager immutable root of trust\n");
    bl_stage_start("iRoT", &irot_journal);
    int rc = bl_boot_image(&irot_journal, BL_KIND_UROT, &urot);
    if (rc != BL_OK) {
        bl_stage_halt("iRoT", "no valid uRoT");
    }
    if (urot.trial && bl_boot_mark_trial_run(BL_KIND_UROT) != BL_OK) {
        bl_stage_halt("iRoT", "cannot record the uRoT's trial run");
    }
    bl_shared_reset(shared);
    (void)bl_shared_add(shared, &urot);
    bl_shared_add_stats(shared);
    plat_printf("iRoT: uRoT verified, starting it\n");
    plat_boot_jump(plat_flash_address(urot.entry_offset));
}
