/*
 * sm_main.c: the Secure Manager's entry on the board. It reports what the boot stages verified,
 * splits the board into secure and non-secure worlds, starts the SM core (every partition runs
 * until it waits for work), then enters the NS application, which from then on reaches the
 * secure world only through the SM's gateway veneers.
 */
#include <stdint.h>

#include "bl_image.h"
#include "bl_shared.h"
#include "bl_slots.h"
#include "bl_status.h"
#include "flash_map.h"
#include "memory_map.h"
#include "plat_console.h"
#include "plat_flash.h"
#include "plat_system.h"
#include "plat_tz.h"
#include "sm_arch_armv8m.h"
#include "sm_kernel.h"
#include "sm_module_load.h"
#include "sm/sm_device.h"

static void print_records(const struct bl_shared_data *d)
{
    for (uint32_t i = 0; i < d->count && i < BL_KIND_COUNT; i++) {
        const struct bl_boot_record *r = &d->records[i];
        plat_printf("SM: boot record: %-8s %u.%u.%u+%u, security counter %u, measurement "
                    "%02x%02x%02x%02x...%s\n",
                    bl_kind_name((enum bl_kind)r->kind), r->version.major, r->version.minor,
                    r->version.revision, (unsigned)r->version.build, (unsigned)r->sec_cnt,
                    r->measurement[0], r->measurement[1], r->measurement[2], r->measurement[3],
                    r->trial ? " (trial)" : "");
    }
}

_Static_assert(SM_MODULE_SLOTS_MAX >= 1u && SM_MODULE_SLOTS_MAX <= FLASH_MODULE_SLOTS_MAX,
               "a module thread per slot the image loads");
_Static_assert(RAM_MODULES_BASE + SM_MODULE_SLOTS_MAX * RAM_MODULE_WINDOW_SIZE <= EMU_PROG_BASE,
               "the module windows in the secure RAM no image uses");

/* The verified payload of module slot i: NULL when the boot stages did not verify one. The
 * boot record names the payload's start; its length is the MCUboot header's, which the
 * uRoT's hash covered and which only secure code can have written since. */
static const uint8_t *module_payload(const struct bl_shared_data *d, uint32_t i, uint32_t *len)
{
    const struct bl_boot_record *r;
    const struct bl_slot_pair *slot = bl_slots((enum bl_kind)(BL_KIND_MODULE0 + i));
    if (slot == NULL || bl_shared_find(d, (enum bl_kind)(BL_KIND_MODULE0 + i), &r) != BL_OK) {
        return NULL;
    }
    const struct bl_image_header *h =
        (const struct bl_image_header *)(uintptr_t)(FLASH_BASE_S + slot->primary);
    if (h->magic != BL_IMAGE_MAGIC || r->entry_offset != slot->primary + h->hdr_size ||
        h->hdr_size >= slot->size || h->img_size > slot->size - h->hdr_size) {
        plat_printf("SM: module slot %u: refused: its header is not what was verified\n",
                    (unsigned)i);
        return NULL;
    }
    *len = h->img_size;
    return (const uint8_t *)(uintptr_t)(FLASH_BASE_S + r->entry_offset);
}

/* Every module slot the install configuration counts and the boot stages verified. */
static void load_modules(const struct bl_shared_data *d)
{
    struct sm_module_source src[SM_MODULE_SLOTS_MAX];
    uint32_t n = 0, slots = sm_k_config(SM_CONFIG_MODULE_SLOTS);
    for (uint32_t i = 0; i < SM_MODULE_SLOTS_MAX && i < slots; i++) {
        uint32_t len = 0;
        const uint8_t *payload = module_payload(d, i, &len);
        if (payload == NULL) {
            continue;
        }
        uint8_t *ram = (uint8_t *)(uintptr_t)(RAM_MODULES_BASE + i * RAM_MODULE_WINDOW_SIZE);
        src[n++] = (struct sm_module_source){
            .slot = i,
            .payload = payload,
            .payload_len = len,
            .payload_addr = (uint32_t)(uintptr_t)payload,
            .ram = ram,
            .ram_window = RAM_MODULE_WINDOW_SIZE,
            .ram_addr = (uint32_t)(uintptr_t)ram,
        };
    }
    if (slots > SM_MODULE_SLOTS_MAX) {
        /* The install configuration counts more slots than this image reserves threads for:
         * those are neither loaded nor updatable (sm_device.c), whatever they hold. */
        plat_printf("SM: module slots %u to %u: refused: this image loads %u\n",
                    (unsigned)SM_MODULE_SLOTS_MAX, (unsigned)(slots - 1u),
                    (unsigned)SM_MODULE_SLOTS_MAX);
    }
    (void)sm_module_load(src, n);
}

int main(void)
{
    const struct bl_shared_data *shared = (const struct bl_shared_data *)RAM_BOOT_SHARED_BASE;
    plat_console_init();
    plat_puts("SM: Secure Manager started\n");
    if (shared->magic != BL_SHARED_MAGIC) {
        plat_puts("SM: no boot records: not started by the boot stages\n");
        return 1;
    }
    plat_printf("SM: boot %u since provisioning (counted in flash by the uRoT)\n",
                (unsigned)shared->boot_count);
    print_records(shared);
    /* The NS image starts where the uRoT verified it does: the entry in its boot record. The
     * header in flash is not read again (it is not what was verified, only what is there). */
    const struct bl_boot_record *ns;
    if (bl_shared_find(shared, BL_KIND_NS, &ns) != BL_OK) {
        plat_puts("SM: no valid boot record of the NS image: not starting it\n");
        return 1;
    }
    /* The flash the partitions' areas are in (sm_device.c); without it they fail closed. */
    int rc = plat_flash_init();
    if (rc != PLAT_FLASH_OK) {
        plat_printf("SM: flash unavailable: %s\n", plat_flash_strerror(rc));
    }
    extern const uint8_t __sg_start[], __sg_end[];
    plat_tz_setup((uint32_t)(uintptr_t)__sg_start, (uint32_t)(uintptr_t)__sg_end);
    sm_device_init(shared->boot_count);
    /* The uRoT boots nothing in the other states; the SM does not rely on it (issue #15). */
    const uint32_t lifecycle = sm_k_config(SM_CONFIG_LIFECYCLE);
    if (!sm_device_may_start(lifecycle)) {
        plat_printf("SM: stopped: lifecycle %x boots nothing\n", (unsigned)lifecycle);
        return 1;
    }
    sm_device_boot_records(shared); /* what the attestation token reports */
    sm_kernel_init();
#ifndef SM_TERSE
    /* The loader's cost, for make bench (scripts/bench.sh: SM start time per module loaded). */
    const uint32_t load_start = plat_timer_ticks();
    load_modules(shared);
    plat_printf("SM: module slots read in %u timer ticks\n",
                (unsigned)(plat_timer_ticks() - load_start));
#else
    load_modules(shared);
#endif
    sm_arch_init();
    plat_printf("SM: %u partition(s), %u service(s), isolation level 3\n",
                (unsigned)sm_partition_count, (unsigned)sm_builtin_service_count);
    if (sm_module_count != 0u) {
        plat_printf("SM: %u module(s), %u service(s)\n", (unsigned)sm_module_count,
                    (unsigned)(sm_service_count - sm_builtin_service_count));
    }
    /* The iRoT started the timer at reset; under QEMU -icount it counts instructions. */
    plat_printf("SM: starting the non-secure application, %u timer ticks after reset "
                "(hashing %u, signatures %u)\n",
                (unsigned)plat_timer_ticks(), (unsigned)shared->hash_ticks,
                (unsigned)shared->sig_ticks);
    sm_arch_run(FLASH_BASE_NS + ns->entry_offset, shared->boot_count);
}
