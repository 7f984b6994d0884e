/*
 * test_flash_map.c: the flash map is consistent: every region sector aligned, inside the
 * flash, and no two regions overlap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "flash_map.h"

struct region {
    const char *name;
    uint32_t offset;
    uint32_t size;
};

static const struct region regions[] = {
    {"irot", FLASH_IROT_OFFSET, FLASH_IROT_SIZE},
    {"otp", FLASH_OTP_OFFSET, FLASH_OTP_SIZE},
    {"counters", FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE},
    {"irot journal", FLASH_IROT_JOURNAL_OFFSET, FLASH_JOURNAL_SIZE},
    {"irot scratch", FLASH_IROT_SCRATCH_OFFSET, FLASH_SCRATCH_SIZE},
    {"urot journal", FLASH_UROT_JOURNAL_OFFSET, FLASH_JOURNAL_SIZE},
    {"urot scratch", FLASH_UROT_SCRATCH_OFFSET, FLASH_SCRATCH_SIZE},
    {"urot", FLASH_UROT_PRIMARY_OFFSET, FLASH_UROT_SLOT_SIZE},
    {"urot-dl", FLASH_UROT_SECONDARY_OFFSET, FLASH_UROT_SLOT_SIZE},
    {"sm", FLASH_SM_PRIMARY_OFFSET, FLASH_SM_SLOT_SIZE},
    {"sm-dl", FLASH_SM_SECONDARY_OFFSET, FLASH_SM_SLOT_SIZE},
    {"modules", FLASH_MODULES_OFFSET, FLASH_MODULES_SIZE},
    {"ns", FLASH_NS_PRIMARY_OFFSET, FLASH_NS_SLOT_SIZE},
    {"ns-dl", FLASH_NS_SECONDARY_OFFSET, FLASH_NS_SLOT_SIZE},
    {"its", FLASH_ITS_OFFSET, FLASH_ITS_SIZE_MAX},
    {"free", FLASH_FREE_OFFSET, FLASH_SIZE - FLASH_FREE_OFFSET},
};

#define N_REGIONS (sizeof(regions) / sizeof(regions[0]))

static void test_regions_aligned_and_inside(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_REGIONS; i++) {
        const struct region *r = &regions[i];
        assert_int_equal(r->offset % FLASH_SECTOR_SIZE, 0);
        assert_int_equal(r->size % FLASH_SECTOR_SIZE, 0);
        assert_true(r->size > 0);
        assert_true((uint64_t)r->offset + r->size <= FLASH_SIZE);
    }
}

static void test_regions_disjoint(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_REGIONS; i++) {
        for (size_t j = i + 1; j < N_REGIONS; j++) {
            const struct region *a = &regions[i], *b = &regions[j];
            if (a->offset < b->offset + b->size && b->offset < a->offset + a->size) {
                fail_msg("%s overlaps %s", a->name, b->name);
            }
        }
    }
}

static void test_module_slots_fill_their_area(void **state)
{
    (void)state;
    assert_int_equal(2u * FLASH_MODULE_SLOTS_MAX * FLASH_MODULE_SLOT_SIZE, FLASH_MODULES_SIZE);
    assert_int_equal(FLASH_JOURNAL_SIZE, 2 * FLASH_SECTOR_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regions_aligned_and_inside),
        cmocka_unit_test(test_regions_disjoint),
        cmocka_unit_test(test_module_slots_fill_their_area),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
