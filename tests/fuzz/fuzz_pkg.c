/*
 * fuzz_pkg.c: libFuzzer harness for the install package's parsers (protocol/sm_pkg.h): the
 * file header smtool install reads, and the configuration and chunk headers the provisioning
 * stage reads (docs/design/install-package.md).
 *
 * Input: [0] which parser (mod 3: file header, configuration, chunk); [1] repairs, so the
 * accepting paths are reached: bit 0 the magic and version set right, bit 1 the reserved
 * bytes and padding cleared, bit 2 (configuration) the stream length the one its table names,
 * (chunk) the header's length field the payload's; [2..9] the chunks and stream length a
 * chunk is read against (LE), or [2..5] the configuration's stream length; then the bytes.
 * Oracles:
 * - each parser returns what a second reading of install-package.md's layout says, written
 *   here with the literal offsets (length, then magic and version, then reserved bytes, then
 *   ranges, in that order);
 * - accepted, the fields are the bytes at their places and the encoder gives the same bytes
 *   back; refused, the output is all zero;
 * - nothing is read outside the input (ASan: the bytes are copied to a buffer of their size).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "sm_pkg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

static bool counts(uint32_t chunks, uint32_t length)
{
    return length >= 800 && length <= 2u * 1024 * 1024 && (uint64_t)chunks * 960 >= length &&
           (uint64_t)(chunks - 1) * 960 < length && chunks > 0;
}

static int ref_file(const uint8_t *p, size_t len)
{
    if (len != 208) {
        return SM_PKG_BAD_LENGTH;
    }
    if (le32(p) != 0x46504D53u || le32(p + 4) != 1) {
        return SM_PKG_BAD_MAGIC;
    }
    if (!zero(p + 193, 15)) {
        return SM_PKG_BAD_RESERVED;
    }
    return counts(le32(p + 24), le32(p + 28)) && p[64] == 4 ? SM_PKG_OK : SM_PKG_BAD_RANGE;
}

static uint32_t slot(uint8_t kind)
{
    static const uint32_t max[7] = {0x10000, 0x60000, 0x80000, 0x10000, 0x10000, 0x10000, 0x10000};
    return kind < 7 ? max[kind] - 64 : 0; /* less the slot's trailer */
}

static bool scalar(const uint8_t *d)
{
    static const uint8_t n[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0,    0,    0,    0,    0xFF, 0xFF, 0xFF,
                                  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                                  0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
    return !zero(d, 32) && memcmp(d, n, 32) < 0;
}

static int ref_config(const uint8_t *p, size_t len, uint32_t stream)
{
    if (len != 800) {
        return SM_PKG_BAD_LENGTH;
    }
    if (le32(p) != 0x43504D53u || le32(p + 4) != 1) {
        return SM_PKG_BAD_MAGIC;
    }
    const unsigned count = p[24], rl = p[25], ul = p[26];
    if (p[27] || !zero(p + 28, 4) || !zero(p + 180, 12) || !zero(p + 792, 8) || rl > 20 ||
        ul > 96 || !zero(p + 64 + rl, 20 - rl) || !zero(p + 84 + ul, 96 - ul)) {
        return SM_PKG_BAD_RESERVED;
    }
    bool ref_ok = rl == 0;
    if (rl == 19) {
        ref_ok = true;
        for (unsigned i = 0; i < 19; i++) {
            ref_ok &= i == 13 ? p[64 + i] == '-' : (p[64 + i] >= '0' && p[64 + i] <= '9');
        }
    }
    bool url_ok = true;
    for (unsigned i = 0; i < ul; i++) {
        url_ok &= p[84 + i] > ' ' && p[84 + i] < 0x7F;
    }
    const uint32_t modules = le32(p + 8), its = le32(p + 12);
    if (modules > 4 || its % 8192 || its > 0x40000 || le32(p + 16) > its || le32(p + 20) > 0x7F ||
        count > 7 || !ref_ok || !url_ok || !scalar(p + 192) || zero(p + 224, 64)) {
        return SM_PKG_BAD_RANGE;
    }
    uint64_t total = 800;
    unsigned seen = 0;
    for (unsigned i = 0; i < 7; i++) {
        const uint8_t *e = p + 736 + 8 * i;
        if (e[1] || e[2] || e[3] || (i >= count && !zero(e, 8))) {
            return SM_PKG_BAD_RESERVED;
        }
        if (i >= count) {
            continue;
        }
        const uint32_t size = le32(e + 4);
        if (e[0] > 6 || (seen & (1u << e[0])) || zero(p + 288 + 64 * e[0], 64) ||
            (e[0] >= 3 && e[0] - 3u >= modules) || size == 0 || size > slot(e[0])) {
            return SM_PKG_BAD_RANGE;
        }
        seen |= 1u << e[0];
        total += size;
    }
    return total == stream ? SM_PKG_OK : SM_PKG_BAD_RANGE;
}

static int ref_chunk(const uint8_t *p, size_t len, uint32_t chunks, uint32_t length)
{
    if (!counts(chunks, length) || len < 41 || len > 1000) {
        return SM_PKG_BAD_LENGTH;
    }
    if (p[6] > 1 || p[7]) {
        return SM_PKG_BAD_RESERVED;
    }
    const uint32_t n = (uint32_t)p[4] | (uint32_t)p[5] << 8, index = le32(p);
    if (n + 40 != len) {
        return SM_PKG_BAD_LENGTH;
    }
    const bool last = p[6] == 1;
    const uint32_t want = index + 1 < chunks ? 960 : length - 960 * index;
    if (index >= chunks || last != (index == chunks - 1) || n != want) {
        return SM_PKG_BAD_ORDER;
    }
    return SM_PKG_OK;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void file_case(uint8_t *b, size_t len, uint8_t fix)
{
    if (len == 208 && (fix & 1)) {
        put32(b, 0x46504D53u);
        put32(b + 4, 1);
    }
    if (len == 208 && (fix & 2)) {
        memset(b + 193, 0, 15);
        b[64] = 4;
        const uint32_t length = 800 + le32(b + 28) % (2u * 1024 * 1024 - 799);
        put32(b + 28, length);
        put32(b + 24, (length + 959) / 960);
    }
    struct sm_pkg_file f;
    const int rc = sm_pkg_parse_file(b, len, &f), want = ref_file(b, len);
    if (rc != want) {
        fuzz_fail("file header of %zu bytes: parsed %d, the format says %d", len, rc, want);
    }
    if (rc == SM_PKG_OK) {
        uint8_t out[208];
        if (memcmp(f.id, b + 8, 16) || f.chunks != le32(b + 24) || f.length != le32(b + 28) ||
            memcmp(f.begin_tag, b + 32, 32) || memcmp(f.line_wrap, b + 64, 129) ||
            sm_pkg_encode_file(&f, out) != 208 || memcmp(out, b, 208) != 0) {
            fuzz_fail("file header: fields not the bytes, or encoded back to others");
        }
    } else if (!zero((const uint8_t *)&f, sizeof(f))) {
        fuzz_fail("a refused file header left fields in the output");
    }
}

static void config_case(uint8_t *b, size_t len, uint8_t fix, uint32_t stream)
{
    if (len == 800 && (fix & 1)) {
        put32(b, 0x43504D53u);
        put32(b + 4, 1);
    }
    if (len == 800 && (fix & 2)) {
        b[24] %= 8;
        b[25] = b[25] & 1 ? 19 : 0;
        b[26] %= 97;
        b[27] = 0;
        memset(b + 28, 0, 4);
        memset(b + 64 + b[25], 0, 20u - b[25]);
        memset(b + 84 + b[26], 0, 96u - b[26]);
        memset(b + 180, 0, 12);
        memset(b + 792, 0, 8);
        for (unsigned i = 0; i < 7; i++) {
            memset(b + 736 + 8 * i + 1, 0, 3);
            if (i >= b[24]) {
                memset(b + 736 + 8 * i, 0, 8);
            }
        }
    }
    if (len == 800 && (fix & 4)) {
        stream = 800;
        for (unsigned i = 0; i < 7 && i < b[24]; i++) {
            stream += le32(b + 736 + 8 * i + 4);
        }
    }
    struct sm_pkg_config c;
    const int rc = sm_pkg_parse_config(b, len, stream, &c), want = ref_config(b, len, stream);
    if (rc != want) {
        fuzz_fail("configuration of %zu bytes: parsed %d, the format says %d", len, rc, want);
    }
    if (rc == SM_PKG_OK) {
        uint8_t out[800];
        if (c.module_slots != le32(b + 8) || c.its_size != le32(b + 12) ||
            c.its_max_asset != le32(b + 16) || c.fwu_ns_components != le32(b + 20) ||
            c.image_count != b[24] || memcmp(c.ns_install_key, b + 192, 32) ||
            memcmp(c.lifecycle_pub, b + 224, 64) || memcmp(c.keys, b + 288, 448) ||
            sm_pkg_encode_config(&c, stream, out) != 800 || memcmp(out, b, 800) != 0) {
            fuzz_fail("configuration: fields not the bytes, or encoded back to others");
        }
    } else if (!zero((const uint8_t *)&c, sizeof(c))) {
        fuzz_fail("a refused configuration left fields in the output");
    }
}

static void chunk_case(uint8_t *b, size_t len, uint8_t fix, uint32_t chunks, uint32_t length)
{
    if (fix & 2) {
        length = 800 + length % (2u * 1024 * 1024 - 799);
        chunks = (length + 959) / 960;
    }
    if (len >= 8 && (fix & 4)) {
        b[4] = (uint8_t)(len - 40);
        b[5] = (uint8_t)((len - 40) >> 8);
        b[6] &= 1;
        b[7] = 0;
    }
    struct sm_pkg_chunk c;
    const int rc = len >= 8 ? sm_pkg_parse_chunk(b, len, chunks, length, &c) : SM_PKG_BAD_LENGTH;
    const int want = len >= 8 ? ref_chunk(b, len, chunks, length) : SM_PKG_BAD_LENGTH;
    if (rc != want) {
        fuzz_fail("chunk of %zu bytes: parsed %d, the format says %d", len, rc, want);
    }
    if (len >= 8 && rc == SM_PKG_OK) {
        uint8_t hdr[8];
        sm_pkg_chunk_header(c.index, c.len, c.last, hdr);
        if (memcmp(hdr, b, 8) || c.data != b + 8 || c.tag != b + 8 + c.len ||
            sm_pkg_chunk_size(c.index, chunks, length) != len) {
            fuzz_fail("chunk: fields not the bytes");
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 10 || size > 10 + 2048) {
        return -1;
    }
    const uint8_t which = data[0] % 3, fix = data[1];
    const uint32_t a = le32(data + 2), c = le32(data + 6);
    const size_t len = size - 10;
    uint8_t *b = malloc(len ? len : 1);
    if (b == NULL) {
        return 0;
    }
    memcpy(b, data + 10, len);
    if (which == 0) {
        file_case(b, len, fix);
    } else if (which == 1) {
        config_case(b, len, fix, a);
    } else {
        chunk_case(b, len, fix, a, c);
    }
    free(b);
    return 0;
}
