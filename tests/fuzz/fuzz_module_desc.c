/*
 * fuzz_module_desc.c: libFuzzer harness for the secure module descriptor parser and relocator
 * (core/sm_module_desc.h).
 *
 * Input: [0..3] the slot's RAM window (little endian, taken modulo 64 KiB), [4..7] the flash
 * address the payload runs at, [8..11] the RAM address, then the payload, in a buffer of its
 * own exact size (ASan sees any read past it).
 * Oracles:
 * - sm_module_parse accepts exactly the payloads a second, independent reading of the format
 *   (ref_accepts, written from the header's layout table, not from the parser) accepts, and
 *   then reports exactly the fields that reading finds;
 * - on an accepted payload, sm_module_relocate either succeeds, and then every GOT word and
 *   relocated word is NULL or points into the module's own flash or RAM at run time, and
 *   every other word of .data is unchanged; or refuses with E_POINTER (or E_LAYOUT for bases
 *   that wrap), and then some such word as linked was indeed outside the module's memory.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "sm_module_desc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The reference reading: true if the payload is a well-formed module for this window. */
static bool ref_accepts(const uint8_t *p, size_t n, uint32_t window)
{
    if (n < 64 || fuzz_le32(p) != 0x444D4D53u || fuzz_le16(p + 4) != 1 || fuzz_le16(p + 6) != 64) {
        return false;
    }
    const uint32_t ns = p[33], nd = p[34], nr = fuzz_le16(p + 62);
    if (ns < 1 || ns > 8 || nd > 16 || nr > 1024) {
        return false;
    }
    const uint32_t desc = 64 + 12 * ns + 4 * nd + 4 * nr;
    if (fuzz_le32(p + 8) != desc || desc > n) {
        return false;
    }
    if ((int32_t)fuzz_le32(p + 12) <= 0) {
        return false;
    }
    /* Name: [A-Z][A-Z0-9_]*, 1..15 characters, then only NULs to 16. */
    size_t len = 0;
    while (len < 16 && p[16 + len] != 0) {
        len++;
    }
    if (len == 0 || len == 16) {
        return false;
    }
    for (size_t i = 0; i < 16; i++) {
        const uint8_t c = p[16 + i];
        const bool ok = i >= len ? c == 0
                        : i == 0 ? (c >= 'A' && c <= 'Z')
                                 : ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
        if (!ok) {
            return false;
        }
    }
    if (p[32] > 2 || p[35] != 0) {
        return false;
    }
    const uint8_t *s = p + 64;
    for (uint32_t i = 0; i < ns; i++) {
        const uint8_t *a = s + 12 * i;
        const bool conn = (a[9] & 1) != 0;
        if (fuzz_le32(a) == 0 || fuzz_le32(a + 4) == 0 || a[8] > 1 || (a[9] & ~3u) != 0 ||
            a[11] != 0) {
            return false;
        }
        if (conn ? a[10] != 0xFF : (a[10] > 31 || fuzz_le32(a + 4) > 255)) {
            return false;
        }
        for (uint32_t j = 0; j < i; j++) {
            const uint8_t *b = s + 12 * j;
            if (fuzz_le32(a) == fuzz_le32(b) || (!conn && (b[9] & 1) == 0 && a[10] == b[10])) {
                return false;
            }
        }
    }
    const uint8_t *d = s + 12 * ns;
    for (uint32_t i = 0; i < nd; i++) {
        const uint32_t sid = fuzz_le32(d + 4 * i);
        if (sid == 0) {
            return false;
        }
        for (uint32_t j = 0; j < ns; j++) {
            if (fuzz_le32(s + 12 * j) == sid) {
                return false;
            }
        }
        for (uint32_t j = 0; j < i; j++) {
            if (fuzz_le32(d + 4 * j) == sid) {
                return false;
            }
        }
    }
    const uint64_t entry = fuzz_le32(p + 36), code_end = fuzz_le32(p + 40),
                   image = fuzz_le32(p + 44), dsize = fuzz_le32(p + 48), bss = fuzz_le32(p + 52),
                   stack = fuzz_le32(p + 56), got = fuzz_le16(p + 60);
    if (code_end < desc || code_end % 4 || image < code_end || image % 4 || dsize % 4 || bss % 4 ||
        image + dsize > n || got * 4 > dsize) {
        return false;
    }
    if ((entry & 1) == 0 || (entry & ~1ull) < desc || (entry & ~1ull) >= code_end) {
        return false;
    }
    if (stack < 256 || stack % 8) {
        return false;
    }
    if ((dsize + bss + 7) / 8 * 8 + stack > window) {
        return false;
    }
    const uint8_t *r = d + 4 * nd;
    uint64_t prev_end = got * 4;
    for (uint32_t i = 0; i < nr; i++) {
        const uint64_t at = fuzz_le32(r + 4 * i);
        if (at % 4 || at < prev_end || at + 4 > dsize) {
            return false;
        }
        prev_end = at + 4;
    }
    return true;
}

static bool inside(uint32_t v, uint64_t start, uint64_t len)
{
    return v >= start && v - start < len;
}

static void check_relocation(const struct sm_module_info *m, const uint8_t *p, uint32_t flash,
                             uint32_t ram)
{
    uint8_t *before = malloc(m->data_size ? m->data_size : 1);
    uint8_t *after = malloc(m->data_size ? m->data_size : 1);
    bool *pointer = calloc(m->data_size / 4 + 1, sizeof(bool));
    if (before == NULL || after == NULL || pointer == NULL) {
        fuzz_fail("out of memory");
    }
    memcpy(before, p + m->data_image, m->data_size);
    memcpy(after, before, m->data_size);
    for (uint32_t i = 0; i < m->got_words; i++) {
        pointer[i] = true;
    }
    for (uint32_t i = 0; i < m->n_relocs; i++) {
        pointer[fuzz_le32(p + m->reloc_off + 4 * i) / 4] = true;
    }
    const bool wraps =
        (uint64_t)flash + m->code_end > UINT32_MAX || (uint64_t)ram + m->ram_size > UINT32_MAX;
    bool foreign = false;
    for (uint32_t w = 0; w < m->data_size / 4; w++) {
        const uint32_t v = fuzz_le32(before + 4 * w);
        if (pointer[w] && v != 0 && !inside(v, 0, m->code_end) &&
            !inside(v, SM_MODULE_RAM_LINK, m->ram_size)) {
            foreign = true;
        }
    }
    const enum sm_module_status rc = sm_module_relocate(m, p, after, flash, ram);
    if (wraps) {
        if (rc != SM_MODULE_E_LAYOUT) {
            fuzz_fail("relocation with wrapping bases: %s", sm_module_strerror(rc));
        }
    } else if (rc == SM_MODULE_E_POINTER) {
        if (!foreign) {
            fuzz_fail("relocation refused a module whose pointers are all its own");
        }
    } else if (rc != SM_MODULE_OK) {
        fuzz_fail("relocation of an accepted module: %s", sm_module_strerror(rc));
    } else {
        if (foreign) {
            fuzz_fail("relocation accepted a pointer outside the module");
        }
        for (uint32_t w = 0; w < m->data_size / 4; w++) {
            const uint32_t v = fuzz_le32(before + 4 * w), got_v = fuzz_le32(after + 4 * w);
            uint32_t want = v;
            if (pointer[w] && v != 0) {
                want = v < m->code_end ? flash + v : ram + (v - SM_MODULE_RAM_LINK);
            }
            if (got_v != want) {
                fuzz_fail(".data word %u: %08x relocated to %08x, want %08x", w, v, got_v, want);
            }
        }
    }
    free(before);
    free(after);
    free(pointer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 12) {
        return -1;
    }
    const uint32_t window = fuzz_le32(data) % 0x10000u, flash = fuzz_le32(data + 4),
                   ram = fuzz_le32(data + 8);
    const size_t n = size - 12;
    uint8_t *p = malloc(n ? n : 1);
    if (p == NULL) {
        fuzz_fail("out of memory");
    }
    memcpy(p, data + 12, n);
    struct sm_module_info m;
    memset(&m, 0xA5, sizeof(m));
    const enum sm_module_status rc = sm_module_parse(p, n, window, &m);
    const bool ref = ref_accepts(p, n, window);
    if ((rc == SM_MODULE_OK) != ref) {
        fuzz_fail("parser says %s, the reference %s", sm_module_strerror(rc),
                  ref ? "accepts" : "refuses");
    }
    if (rc == SM_MODULE_OK) {
        if (m.id != (int32_t)fuzz_le32(p + 12) || m.n_services != p[33] || m.n_deps != p[34] ||
            m.n_relocs != fuzz_le16(p + 62) || m.entry != fuzz_le32(p + 36) ||
            m.code_end != fuzz_le32(p + 40) || m.data_image != fuzz_le32(p + 44) ||
            m.data_size != fuzz_le32(p + 48) || m.stack_size != fuzz_le32(p + 56) ||
            m.got_words != fuzz_le16(p + 60) || strncmp(m.name, (const char *)p + 16, 16) != 0 ||
            m.reloc_off != 64u + 12u * m.n_services + 4u * m.n_deps || m.ram_size > window) {
            fuzz_fail("parsed fields differ from the payload's");
        }
        for (uint32_t i = 0; i < m.n_services; i++) {
            if (m.services[i].sid != fuzz_le32(p + 64 + 12 * i)) {
                fuzz_fail("service %u SID", i);
            }
        }
        check_relocation(&m, p, flash, ram);
    }
    free(p);
    return 0;
}
