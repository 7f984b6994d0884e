/*
 * test_its_owners.c: the binding of secure module ids to their signers (its_owners.h), as a
 * function of the stored table and of what this boot loaded: every rule of the contract, and
 * the stored form's parser over every malformed field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "its_owners.h"

#define A 0x4001 /* module ids */
#define B 0x4002
#define C 0x4003

static struct its_loaded now[ITS_QUOTA_MODULES];
static struct its_owner next[ITS_OWNERS_MAX];
static int32_t erase[ITS_OWNERS_MAX + ITS_QUOTA_MODULES];
static uint32_t n_erase;
static bool changed;

static int setup(void **state)
{
    (void)state;
    memset(now, 0, sizeof(now));
    memset(next, 0, sizeof(next));
    n_erase = 0;
    return 0;
}

static void load(uint32_t slot, int32_t id, uint8_t signer, bool trial)
{
    now[slot] = (struct its_loaded){.present = true, .trial = trial, .id = id};
    memset(now[slot].signer, signer, sizeof(now[slot].signer));
}

static struct its_owner owner(int32_t id, uint32_t slot, uint8_t signer)
{
    struct its_owner o = {.id = id, .slot = slot};
    memset(o.signer, signer, sizeof(o.signer));
    return o;
}

static uint32_t step(const struct its_owner *prev, uint32_t n)
{
    return its_owners_next(prev, n, now, ITS_QUOTA_MODULES, next, erase, &n_erase, &changed);
}

static bool erased(int32_t id)
{
    for (uint32_t i = 0; i < n_erase; i++) {
        if (erase[i] == id) {
            return true;
        }
    }
    return false;
}

static const struct its_owner *entry(uint32_t n, int32_t id)
{
    for (uint32_t i = 0; i < n; i++) {
        if (next[i].id == id) {
            return &next[i];
        }
    }
    return NULL;
}

/* First boot with modules: each gets its entry, nothing goes. */
static void test_first_binding(void **state)
{
    (void)state;
    load(0, A, 1, false);
    load(2, B, 2, true);
    assert_int_equal(step(NULL, 0), 2);
    assert_int_equal(n_erase, 0);
    assert_true(changed);
    assert_non_null(entry(2, A));
    assert_int_equal(entry(2, A)->slot, 0);
    assert_int_equal(entry(2, A)->signer[0], 1);
    assert_int_equal(entry(2, B)->slot, 2); /* on trial too: its assets are bound from the start */
}

/* The same module again, or moved by its owner to another slot: kept, slot updated. */
static void test_same_signer_keeps(void **state)
{
    (void)state;
    const struct its_owner prev[] = {owner(A, 0, 1)};
    load(0, A, 1, false);
    assert_int_equal(step(prev, 1), 1);
    assert_int_equal(n_erase, 0);
    assert_false(changed); /* nothing to store: no flash written at this boot */
    setup(NULL);
    load(3, A, 1, false);
    assert_int_equal(step(prev, 1), 1);
    assert_int_equal(n_erase, 0);
    assert_true(changed);
    assert_int_equal(next[0].slot, 3);
    /* Not loaded, its slot empty: kept, unchanged. */
    setup(NULL);
    assert_int_equal(step(prev, 1), 1);
    assert_false(changed);
}

/* Another signer's module with the id: the old owner's assets go, whatever the slot or the
 * trial state; the newcomer is bound to its own signer. */
static void test_other_signer_erases(void **state)
{
    (void)state;
    const struct its_owner prev[] = {owner(A, 0, 1)};
    for (int trial = 0; trial < 2; trial++) {
        for (uint32_t slot = 0; slot < 2; slot++) {
            setup(NULL);
            load(slot, A, 9, trial != 0);
            assert_int_equal(step(prev, 1), 1);
            assert_int_equal(n_erase, 1);
            assert_true(erased(A));
            assert_int_equal(next[0].signer[0], 9);
            assert_int_equal(next[0].slot, slot);
        }
    }
    /* One byte of the signer differs: another signer. */
    setup(NULL);
    load(0, A, 1, false);
    now[0].signer[ITS_SIGNER_BYTES - 1] ^= 1u;
    step(prev, 1);
    assert_true(erased(A));
}

/* Replaced in its slot by a confirmed module: gone. Slot empty, its module refused, or the
 * newcomer on trial: kept (a revert brings the module back with its assets). */
static void test_replacement(void **state)
{
    (void)state;
    const struct its_owner prev[] = {owner(A, 1, 1), owner(C, 3, 3)};
    load(1, B, 2, false);
    assert_int_equal(step(prev, 2), 2);
    assert_true(erased(A));
    assert_false(erased(C)); /* slot 3 empty: kept */
    assert_null(entry(2, A));
    assert_non_null(entry(2, C));
    assert_non_null(entry(2, B));
    setup(NULL);
    load(1, B, 2, true);
    assert_int_equal(step(prev, 2), 3);
    assert_int_equal(n_erase, 0);
    /* The trial confirmed, next boot: A goes then. */
    const struct its_owner after[] = {owner(A, 1, 1), owner(C, 3, 3), owner(B, 1, 2)};
    setup(NULL);
    load(1, B, 2, false);
    assert_int_equal(step(after, 3), 2);
    assert_true(erased(A));
    /* Reverted instead: A back in slot 1, B (its trial's assets) goes. */
    setup(NULL);
    load(1, A, 1, false);
    assert_int_equal(step(after, 3), 2);
    assert_true(erased(B));
    assert_false(erased(A));
}

/* A full table: the oldest entry of a module not loaded makes room for a loaded one. */
static void test_full_table(void **state)
{
    (void)state;
    struct its_owner prev[ITS_OWNERS_MAX];
    for (uint32_t i = 0; i < ITS_OWNERS_MAX; i++) {
        prev[i] = owner(0x5000 + (int32_t)i, 3, (uint8_t)i);
    }
    load(3, 0x5000 + 4, 4, true); /* keeps its entry; the others stay (slot on trial) */
    load(0, A, 7, false);         /* needs one */
    assert_int_equal(step(prev, ITS_OWNERS_MAX), ITS_OWNERS_MAX);
    assert_int_equal(n_erase, 1);
    assert_true(erased(0x5000)); /* the oldest, not loaded */
    assert_non_null(entry(ITS_OWNERS_MAX, A));
    assert_non_null(entry(ITS_OWNERS_MAX, 0x5000 + 4));
    /* Out of the table too, the others moved down one in their order, the new one last. */
    assert_null(entry(ITS_OWNERS_MAX, 0x5000));
    for (uint32_t i = 0; i + 1u < ITS_OWNERS_MAX; i++) {
        assert_int_equal(next[i].id, 0x5000 + (int32_t)i + 1);
        assert_int_equal(next[i].signer[0], (uint8_t)(i + 1u));
    }
    assert_int_equal(next[ITS_OWNERS_MAX - 1u].id, A);
}

/* next may be prev (the ITS partition does it in place). */
static void test_in_place(void **state)
{
    (void)state;
    struct its_owner t[ITS_OWNERS_MAX] = {owner(A, 1, 1), owner(B, 2, 2), owner(C, 3, 3)};
    load(1, B, 2, false); /* B moved from slot 2 to slot 1: A replaced */
    load(3, C, 3, false);
    const uint32_t n = its_owners_next(t, 3, now, ITS_QUOTA_MODULES, t, erase, &n_erase, &changed);
    assert_true(changed);
    assert_int_equal(n, 2);
    assert_int_equal(n_erase, 1);
    assert_int_equal(erase[0], A);
    assert_int_equal(t[0].id, B);
    assert_int_equal(t[0].slot, 1);
    assert_int_equal(t[1].id, C);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* The stored form: encode then parse gives the table back; each malformed field refused. */
static void test_stored_form(void **state)
{
    (void)state;
    const struct its_owner t[] = {owner(A, 0, 1), owner(B, 3, 2)};
    uint8_t buf[ITS_OWNERS_BYTES + 24], copy[sizeof(buf)];
    struct its_owner out[ITS_OWNERS_MAX];
    const size_t len = its_owners_encode(t, 2, buf);
    assert_int_equal(len, 8 + 2 * 24);
    assert_int_equal(its_owners_parse(buf, len, ITS_QUOTA_MODULES, out), 2);
    assert_memory_equal(out, t, sizeof(t));
    assert_int_equal(its_owners_parse(buf, 8, ITS_QUOTA_MODULES, out), -1); /* count says 2 */
    assert_int_equal(its_owners_parse(buf, len - 1, ITS_QUOTA_MODULES, out), -1);
    assert_int_equal(its_owners_parse(buf, len + 1, ITS_QUOTA_MODULES, out), -1);
    assert_int_equal(its_owners_parse(buf, 7, ITS_QUOTA_MODULES, out), -1);
    assert_int_equal(its_owners_parse(buf, len, 3, out), -1); /* slot 3 of 3 slots */
    struct {
        size_t at;
        uint32_t value;
    } bad[] = {
        {0, 0x4F535448u},        /* magic */
        {4, ITS_OWNERS_MAX + 1}, /* count */
        {8, 0},                  /* id 0 */
        {8, 0x80000001u},        /* a negative id */
        {32, (uint32_t)A},       /* an id twice */
        {12, ITS_QUOTA_MODULES}, /* a slot past them */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(copy, buf, len);
        put32(copy + bad[i].at, bad[i].value);
        assert_int_equal(its_owners_parse(copy, len, ITS_QUOTA_MODULES, out), -1);
    }
    /* The largest table fits ITS_OWNERS_BYTES and parses. */
    struct its_owner full[ITS_OWNERS_MAX];
    for (uint32_t i = 0; i < ITS_OWNERS_MAX; i++) {
        full[i] = owner(0x100 + (int32_t)i, i % ITS_QUOTA_MODULES, (uint8_t)i);
    }
    assert_int_equal(its_owners_encode(full, ITS_OWNERS_MAX, buf), ITS_OWNERS_BYTES);
    assert_int_equal(its_owners_parse(buf, ITS_OWNERS_BYTES, ITS_QUOTA_MODULES, out),
                     (int)ITS_OWNERS_MAX);
    assert_int_equal(its_owners_parse(NULL, 0, ITS_QUOTA_MODULES, out), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_first_binding, setup),
        cmocka_unit_test_setup(test_same_signer_keeps, setup),
        cmocka_unit_test_setup(test_other_signer_erases, setup),
        cmocka_unit_test_setup(test_replacement, setup),
        cmocka_unit_test_setup(test_full_table, setup),
        cmocka_unit_test_setup(test_in_place, setup),
        cmocka_unit_test_setup(test_stored_form, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
