/*
 * urot.c: the updatable root of trust.
 *
 * For the SM, each configured secure module slot and the NS application, in that order (so
 * that an update's dependencies are checked against what is already installed): finish or
 * start installs and reverts, verify, record the measurement. Then start the SM. A missing or
 * bad SM or NS image stops the boot; an empty module slot is skipped. Its P-256, AES, HKDF and
 * HMAC are the iRoT's (bl_rom.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "bl_counter.h"
#include "bl_lifecycle.h"
#include "bl_rom.h"
#include "bl_shared.h"
#include "bl_stage.h"
#include "bl_status.h"
#include "flash_map.h"
#include "memory_map.h"
#include "plat_boot.h"
#include "plat_console.h"
#include "plat_system.h"

static const struct bl_journal urot_journal = {FLASH_UROT_JOURNAL_OFFSET,
                                               FLASH_UROT_SCRATCH_OFFSET};

/* The debug states' trace (docs/design/lifecycle.md): what the stage verified, line by line;
 * SECURED prints none of it. */
static uint32_t trace; /* the debug state, or 0: no trace */

static void boot_kind(struct bl_shared_data *shared, enum bl_kind kind, int required,
                      struct bl_boot_image *img)
{
    int rc = bl_boot_image(&urot_journal, kind, img);
    if (rc == BL_E_EMPTY && !required) {
        plat_printf("uRoT: %s slot empty\n", bl_kind_name(kind));
        return;
    }
    if (rc != BL_OK) {
        plat_printf("uRoT: no valid %s image: %s\n", bl_kind_name(kind), bl_strerror(rc));
        bl_stage_halt("uRoT", "nothing safe to boot");
    }
    if (bl_shared_add(shared, img) != BL_OK) {
        bl_stage_halt("uRoT", "boot records missing (not started by the iRoT?)");
    }
    if (trace) {
        const uint8_t *m = img->measurement;
        plat_printf(
            "uRoT: trace %x: %s at %08x, counter %u, hash %08x\n", (unsigned)trace,
            bl_kind_name(kind), (unsigned)img->entry_offset, (unsigned)img->sec_cnt,
            (unsigned)((uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3]));
    }
}

int main(void)
{
    struct bl_shared_data *shared = (struct bl_shared_data *)RAM_BOOT_SHARED_BASE;
    struct bl_boot_image sm, img;
    uint32_t modules = 0;
    plat_console_init();
    plat_puts("uRoT: Secure Manager updatable root of trust\n");
    /* Its signature, key transport and record crypto are the iRoT's (bl_rom.h). */
    if (bl_rom_check() != BL_OK) {
        bl_stage_halt("uRoT", "the iRoT's crypto table is missing or of another version");
    }
    bl_stage_start("uRoT", &urot_journal);
    /* The provisioned lifecycle state and the module slots, side by side in the area. */
    _Static_assert(offsetof(struct bl_otp, module_slots) == offsetof(struct bl_otp, lifecycle) + 4,
                   "OTP layout");
    uint32_t config[2];
    if (bl_otp_read_field(offsetof(struct bl_otp, lifecycle), config, sizeof(config)) != BL_OK) {
        bl_stage_halt("uRoT", "cannot read the install configuration");
    }
    modules = config[1];
    /* What the lifecycle state allows, before anything is booted or counted. */
    uint32_t lifecycle = 0;
    const int lc = bl_lifecycle_boot(config[0], &lifecycle);
    if (lc == BL_E_DECOMMISSIONED) {
        /* Marked: at the reset the iRoT erases the secrets before anything else, and says so
         * (E23). */
        plat_reset();
    }
    if (lc != BL_OK) {
        bl_stage_halt("uRoT", bl_strerror(lc));
    }
    /* bl_lifecycle_boot lets SECURED and the two debug states through: the debug states trace
     * (a line per verified image, boot_kind; the state as a number in each: names would cost
     * the uRoT 200 bytes). */
    trace = lifecycle != BL_LIFECYCLE_SECURED ? lifecycle : 0;
    /* One more boot, durably, before anything else: it is read back after power cycles. */
    uint32_t boots = 0;
    int rc = bl_counter_get(BL_COUNTER_BOOTS, &boots);
    if (rc == BL_OK && boots == UINT32_MAX) {
        rc = BL_E_COUNTERS; /* never wrap: the count must not repeat (it seeds the DRBG) */
    }
    if (rc == BL_OK) {
        rc = bl_counter_raise(BL_COUNTER_BOOTS, boots + 1);
    }
    if (rc != BL_OK) {
        plat_printf("uRoT: cannot update the boot counter: %s\n", bl_strerror(rc));
        bl_stage_halt("uRoT", "boot counter unusable");
    }
    shared->boot_count = boots + 1;
    boot_kind(shared, BL_KIND_SM, 1, &sm);
    for (uint32_t m = 0; m < modules; m++) {
        boot_kind(shared, (enum bl_kind)(BL_KIND_MODULE0 + m), 0, &img);
    }
    boot_kind(shared, BL_KIND_NS, 1, &img);
    /* Every image verified: only now does each trial image use up its trial run. */
    for (uint32_t i = 0; i < shared->count; i++) {
        const struct bl_boot_record *r = &shared->records[i];
        if (r->trial && r->kind != BL_KIND_UROT &&
            bl_boot_mark_trial_run((enum bl_kind)r->kind) != BL_OK) {
            bl_stage_halt("uRoT", "cannot record a trial run");
        }
    }
    bl_shared_add_stats(shared);
    plat_printf("uRoT: %u image(s) verified, starting the SM\n", (unsigned)shared->count - 1);
    plat_boot_jump(plat_flash_address(sm.entry_offset));
}
