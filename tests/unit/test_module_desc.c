/*
 * test_module_desc.c: the secure module descriptor parser and relocator (core/sm_module_desc.h)
 * over a well-formed module (module_fixture.h) and every field broken one at a time: each
 * defect refused with its own status, nothing written to the caller's info.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "module_fixture.h"
#include "sm_module_desc.h"

#define WINDOW 4096u

static uint8_t pl[MODULE_FIXTURE_LEN];

static int fresh(void **state)
{
    (void)state;
    module_fixture(pl);
    return 0;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Parses pl; on failure checks that info was left as it was. */
static enum sm_module_status parse_len(size_t len, uint32_t window)
{
    struct sm_module_info info, before;
    memset(&info, 0x5A, sizeof(info));
    before = info;
    enum sm_module_status rc = sm_module_parse(pl, len, window, &info);
    if (rc != SM_MODULE_OK) {
        assert_memory_equal(&info, &before, sizeof(info));
    }
    return rc;
}

static enum sm_module_status parse(void)
{
    return parse_len(sizeof(pl), WINDOW);
}

static void test_well_formed(void **state)
{
    (void)state;
    struct sm_module_info m;
    assert_int_equal(sm_module_parse(pl, sizeof(pl), WINDOW, &m), SM_MODULE_OK);
    assert_string_equal(m.name, "KEY_VAULT");
    assert_int_equal(m.id, 0x4001);
    assert_int_equal(m.priority, 1);
    assert_int_equal(m.n_services, 2);
    assert_int_equal(m.services[0].sid, 0x4001F000u);
    assert_int_equal(m.services[0].version, 2);
    assert_int_equal(m.services[0].policy, 1);
    assert_int_equal(m.services[0].flags, SM_MODULE_SVC_CONNECTION | SM_MODULE_SVC_NS);
    assert_int_equal(m.services[1].stateless_handle, 7);
    assert_int_equal(m.n_deps, 2);
    assert_int_equal(m.deps[1], 0x102u);
    assert_int_equal(m.desc_size, MF_DESC_END);
    assert_int_equal(m.entry, MODULE_FIXTURE_CODE_END - 64u + 1u);
    assert_int_equal(m.code_end, MODULE_FIXTURE_CODE_END);
    assert_int_equal(m.data_image, MODULE_FIXTURE_DATA);
    assert_int_equal(m.data_size, MODULE_FIXTURE_DATA_SIZE);
    assert_int_equal(m.ram_size, MODULE_FIXTURE_RAM);
    assert_int_equal(m.got_words, 3);
    assert_int_equal(m.n_relocs, 2);
    assert_int_equal(m.reloc_off, MF_RELOCS);
    for (int i = 0; i <= SM_MODULE_E_POINTER; i++) {
        assert_string_not_equal(sm_module_strerror((enum sm_module_status)i),
                                "unknown module descriptor status");
    }
}

/* One field set to one value, and the status that must come of it. */
struct mutation {
    const char *what;
    uint32_t at;
    uint8_t width; /* 1, 2 or 4 bytes */
    uint32_t value;
    enum sm_module_status want;
};

static const struct mutation mutations[] = {
    {"magic", 0, 4, 0x444D4D54u, SM_MODULE_E_MAGIC},
    {"format version", 4, 2, 2, SM_MODULE_E_FORMAT},
    {"header size", 6, 2, 68, SM_MODULE_E_FORMAT},
    {"descriptor size short", 8, 4, MF_DESC_END - 4u, SM_MODULE_E_SIZE},
    {"descriptor size long", 8, 4, MF_DESC_END + 4u, SM_MODULE_E_SIZE},
    {"descriptor size huge", 8, 4, 0xFFFFFFFCu, SM_MODULE_E_SIZE},
    {"partition id 0", 12, 4, 0, SM_MODULE_E_ID},
    {"partition id negative", 12, 4, 0x80000000u, SM_MODULE_E_ID},
    {"name empty", 16, 1, 0, SM_MODULE_E_NAME},
    {"name lower case", 16, 1, 'k', SM_MODULE_E_NAME},
    {"name starts with a digit", 16, 1, '1', SM_MODULE_E_NAME},
    {"name with a space", 19, 1, ' ', SM_MODULE_E_NAME},
    {"name not NUL padded", 30, 1, 'X', SM_MODULE_E_NAME},
    {"priority 3", 32, 1, 3, SM_MODULE_E_PRIORITY},
    {"reserved byte", 35, 1, 1, SM_MODULE_E_PRIORITY},
    {"no service", 33, 1, 0, SM_MODULE_E_COUNTS},
    {"9 services", 33, 1, 9, SM_MODULE_E_COUNTS},
    {"17 dependencies", 34, 1, 17, SM_MODULE_E_COUNTS},
    {"1025 relocations", 62, 2, 1025, SM_MODULE_E_COUNTS},
    {"3 services for the size of 2", 33, 1, 3, SM_MODULE_E_SIZE},
    {"3 relocations for the size of 2", 62, 2, 3, SM_MODULE_E_SIZE},
    {"entry not Thumb", 36, 4, MODULE_FIXTURE_CODE_END - 64u, SM_MODULE_E_ENTRY},
    {"entry in the descriptor", 36, 4, 1, SM_MODULE_E_ENTRY},
    {"entry at the code end", 36, 4, MODULE_FIXTURE_CODE_END + 1u, SM_MODULE_E_ENTRY},
    {"entry far away", 36, 4, 0xFFFFFFFFu, SM_MODULE_E_ENTRY},
    {"code end inside the descriptor", 40, 4, MF_DESC_END - 4u, SM_MODULE_E_LAYOUT},
    {"code end not in words", 40, 4, MODULE_FIXTURE_CODE_END - 2u, SM_MODULE_E_LAYOUT},
    {"code end past the data image", 40, 4, MODULE_FIXTURE_DATA + 4u, SM_MODULE_E_LAYOUT},
    {"data image not in words", 44, 4, MODULE_FIXTURE_DATA + 2u, SM_MODULE_E_LAYOUT},
    {"data image past the payload", 44, 4, MODULE_FIXTURE_LEN, SM_MODULE_E_LAYOUT},
    {"data image wrapping", 44, 4, 0xFFFFFFF0u, SM_MODULE_E_LAYOUT},
    {"data size past the payload", 48, 4, MODULE_FIXTURE_LEN, SM_MODULE_E_LAYOUT},
    {"data size wrapping", 48, 4, 0xFFFFFFFCu, SM_MODULE_E_LAYOUT},
    {"data size not in words", 48, 4, MODULE_FIXTURE_DATA_SIZE - 1u, SM_MODULE_E_LAYOUT},
    {"bss not in words", 52, 4, 65, SM_MODULE_E_LAYOUT},
    {"GOT larger than .data", 60, 2, 9, SM_MODULE_E_LAYOUT},
    {"stack too small", 56, 4, 248, SM_MODULE_E_STACK},
    {"stack not a multiple of 8", 56, 4, 516, SM_MODULE_E_STACK},
    {"bss too large for the window", 52, 4, WINDOW, SM_MODULE_E_RAM},
    {"bss wrapping the RAM sum", 52, 4, 0xFFFFFFF8u, SM_MODULE_E_RAM},
    {"stack wrapping the RAM sum", 56, 4, 0xFFFFFFF8u, SM_MODULE_E_RAM},
    {"service SID 0", MF_SERVICES, 4, 0, SM_MODULE_E_SERVICE},
    {"service version 0", MF_SERVICES + 4, 4, 0, SM_MODULE_E_SERVICE},
    {"service policy 2", MF_SERVICES + 8, 1, 2, SM_MODULE_E_SERVICE},
    {"service unknown flag", MF_SERVICES + 9, 1, 0x07, SM_MODULE_E_SERVICE},
    {"service reserved byte", MF_SERVICES + 11, 1, 1, SM_MODULE_E_SERVICE},
    {"connection-based with a handle", MF_SERVICES + 10, 1, 3, SM_MODULE_E_SERVICE},
    {"stateless without a handle", MF_SERVICES + 12 + 10, 1, SM_MODULE_NO_HANDLE,
     SM_MODULE_E_SERVICE},
    {"stateless handle 32", MF_SERVICES + 12 + 10, 1, 32, SM_MODULE_E_SERVICE},
    {"stateless version 256", MF_SERVICES + 12 + 4, 4, 256, SM_MODULE_E_SERVICE},
    {"two services, one SID", MF_SERVICES + 12, 4, 0x4001F000u, SM_MODULE_E_DUPLICATE},
    {"dependency on SID 0", MF_DEPS, 4, 0, SM_MODULE_E_DEPENDENCY},
    {"dependency on itself", MF_DEPS, 4, 0x4001F001u, SM_MODULE_E_DEPENDENCY},
    {"dependency twice", MF_DEPS + 4, 4, 0x101u, SM_MODULE_E_DUPLICATE},
    {"relocation misaligned", MF_RELOCS, 4, 18, SM_MODULE_E_RELOC},
    {"relocation in the GOT", MF_RELOCS, 4, 8, SM_MODULE_E_RELOC},
    {"relocation past .data", MF_RELOCS + 4, 4, MODULE_FIXTURE_DATA_SIZE, SM_MODULE_E_RELOC},
    {"relocation huge", MF_RELOCS + 4, 4, 0xFFFFFFFCu, SM_MODULE_E_RELOC},
    {"relocations out of order", MF_RELOCS + 4, 4, 16, SM_MODULE_E_RELOC},
};

static void put(uint8_t *p, uint8_t width, uint32_t v)
{
    for (uint8_t i = 0; i < width; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void test_each_field_refused(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
        const struct mutation *m = &mutations[i];
        module_fixture(pl);
        put(pl + m->at, m->width, m->value);
        enum sm_module_status rc = parse();
        if (rc != m->want) {
            fail_msg("%s: got %d (%s), want %d (%s)", m->what, rc, sm_module_strerror(rc), m->want,
                     sm_module_strerror(m->want));
        }
    }
}

/* A second stateless service with the first's handle; the name at its longest. */
static void test_duplicate_handle_and_longest_name(void **state)
{
    (void)state;
    pl[MF_SERVICES + 9] = 0; /* the first service stateless too, handle 7 like the second */
    pl[MF_SERVICES + 10] = 7;
    assert_int_equal(parse(), SM_MODULE_E_DUPLICATE);
    pl[MF_SERVICES + 10] = 6;
    assert_int_equal(parse(), SM_MODULE_OK);
    memcpy(pl + 16, "ABCDEFGHIJKLMN_", 15);
    assert_int_equal(parse(), SM_MODULE_OK);
    pl[31] = 'X'; /* 16 characters: no room for the NUL */
    assert_int_equal(parse(), SM_MODULE_E_NAME);
}

/* Every payload shorter than the module is refused: the header, the tables, the data image. */
static void test_truncated(void **state)
{
    (void)state;
    for (size_t len = 0; len < MODULE_FIXTURE_DATA + MODULE_FIXTURE_DATA_SIZE; len++) {
        enum sm_module_status rc = parse_len(len, WINDOW);
        enum sm_module_status want = len < SM_MODULE_HDR_SIZE ? SM_MODULE_E_SHORT
                                     : len < MF_DESC_END      ? SM_MODULE_E_SIZE
                                                              : SM_MODULE_E_LAYOUT;
        if (rc != want) {
            fail_msg("payload of %zu bytes: got %s", len, sm_module_strerror(rc));
        }
    }
    assert_int_equal(parse_len(MODULE_FIXTURE_DATA + MODULE_FIXTURE_DATA_SIZE, WINDOW),
                     SM_MODULE_OK);
}

static void test_ram_window(void **state)
{
    (void)state;
    assert_int_equal(parse_len(sizeof(pl), MODULE_FIXTURE_RAM), SM_MODULE_OK);
    assert_int_equal(parse_len(sizeof(pl), MODULE_FIXTURE_RAM - 1u), SM_MODULE_E_RAM);
    /* data and bss together take whole 8-byte units (the stack's alignment) */
    put(pl + 52, 4, 68);
    assert_int_equal(parse_len(sizeof(pl), MODULE_FIXTURE_RAM + 7u), SM_MODULE_E_RAM);
    assert_int_equal(parse_len(sizeof(pl), MODULE_FIXTURE_RAM + 8u), SM_MODULE_OK);
}

static void test_relocate(void **state)
{
    (void)state;
    struct sm_module_info m;
    assert_int_equal(sm_module_parse(pl, sizeof(pl), WINDOW, &m), SM_MODULE_OK);
    uint8_t data[MODULE_FIXTURE_DATA_SIZE];
    memcpy(data, pl + MODULE_FIXTURE_DATA, sizeof(data));
    const uint32_t flash = 0x10200400u, ram = 0x38030000u;
    assert_int_equal(sm_module_relocate(&m, pl, data, flash, ram), SM_MODULE_OK);
    assert_int_equal(get32(data), flash + 200u);
    assert_int_equal(get32(data + 4), ram + 40u);
    assert_int_equal(get32(data + 8), 0u); /* NULL kept */
    assert_int_equal(get32(data + 12), 0x12345678u);
    assert_int_equal(get32(data + 16), flash + 100u);
    assert_int_equal(get32(data + 20), 0xFFFFFFFFu); /* not a relocation: untouched */
    assert_int_equal(get32(data + 24), ram + 4u);
    assert_int_equal(get32(data + 28), 7u);
}

/* A pointer word just outside the module's flash or RAM, or anywhere else, is refused. */
static void test_relocate_refuses_foreign_pointers(void **state)
{
    (void)state;
    struct sm_module_info m;
    assert_int_equal(sm_module_parse(pl, sizeof(pl), WINDOW, &m), SM_MODULE_OK);
    const uint32_t bad[] = {MODULE_FIXTURE_CODE_END,
                            MODULE_FIXTURE_LEN,
                            0x10000000u,
                            SM_MODULE_RAM_LINK - 4u,
                            SM_MODULE_RAM_LINK + MODULE_FIXTURE_RAM,
                            0xFFFFFFFFu};
    const uint32_t good[] = {MODULE_FIXTURE_CODE_END - 1u, SM_MODULE_RAM_LINK,
                             SM_MODULE_RAM_LINK + MODULE_FIXTURE_RAM - 1u};
    const uint32_t where[] = {0, 4, 16, 24}; /* two GOT words, both relocations */
    for (size_t w = 0; w < 4; w++) {
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]) + 3u; i++) {
            uint8_t data[MODULE_FIXTURE_DATA_SIZE];
            memcpy(data, pl + MODULE_FIXTURE_DATA, sizeof(data));
            const bool ok = i >= sizeof(bad) / sizeof(bad[0]);
            put(data + where[w], 4, ok ? good[i - sizeof(bad) / sizeof(bad[0])] : bad[i]);
            enum sm_module_status rc = sm_module_relocate(&m, pl, data, 0x10200400u, 0x38030000u);
            if (rc != (ok ? SM_MODULE_OK : SM_MODULE_E_POINTER)) {
                fail_msg("word %u, case %zu: %s", (unsigned)where[w], i, sm_module_strerror(rc));
            }
        }
    }
    /* Bases so high that the module would wrap the address space. */
    uint8_t data[MODULE_FIXTURE_DATA_SIZE];
    memcpy(data, pl + MODULE_FIXTURE_DATA, sizeof(data));
    assert_int_equal(sm_module_relocate(&m, pl, data, 0xFFFFFF00u, 0x38030000u),
                     SM_MODULE_E_LAYOUT);
    assert_int_equal(sm_module_relocate(&m, pl, data, 0x10200400u, 0xFFFFFF00u),
                     SM_MODULE_E_LAYOUT);
    /* The table read again from flash that changed since the parse: still bounded. */
    put(pl + MF_RELOCS + 4, 4, 0xFFFFFFFCu);
    assert_int_equal(sm_module_relocate(&m, pl, data, 0x10200400u, 0x38030000u), SM_MODULE_E_RELOC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_well_formed, fresh),
        cmocka_unit_test_setup(test_each_field_refused, fresh),
        cmocka_unit_test_setup(test_duplicate_handle_and_longest_name, fresh),
        cmocka_unit_test_setup(test_truncated, fresh),
        cmocka_unit_test_setup(test_ram_window, fresh),
        cmocka_unit_test_setup(test_relocate, fresh),
        cmocka_unit_test_setup(test_relocate_refuses_foreign_pointers, fresh),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
