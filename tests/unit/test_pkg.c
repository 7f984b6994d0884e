/*
 * test_pkg.c: the install package's parsers (protocol/sm_pkg.c) over every field broken on
 * its own: the file header, the configuration, the chunk header; round trips; the encoders'
 * refusals (docs/design/install-package.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sm_pkg.h"

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* A configuration that parses: an SM and an NS image of the given sizes, one module. */
static void good_config(struct sm_pkg_config *c)
{
    memset(c, 0, sizeof(*c));
    c->module_slots = 1;
    c->its_size = 0x10000;
    c->its_max_asset = 4096;
    c->fwu_ns_components = 0x7F;
    c->image_count = 2;
    c->cert_ref_len = 19;
    memcpy(c->cert_ref, "1234567890123-12345", 19);
    c->url_len = 5;
    memcpy(c->url, "a.b/c", 5);
    memset(c->implementation_id, 0xA5, 32);
    c->ns_install_key[31] = 7;
    memset(c->lifecycle_pub, 0x11, 64);
    memset(c->keys[1], 0x21, 64);
    memset(c->keys[2], 0x22, 64);
    c->images[0] = (struct sm_pkg_image){.kind = 1, .size = 1000};
    c->images[1] = (struct sm_pkg_image){.kind = 2, .size = 2000};
}

#define LEN (SM_PKG_CONFIG_SIZE + 3000u)

static void test_config_round_trip(void **state)
{
    (void)state;
    struct sm_pkg_config c, back;
    uint8_t b[SM_PKG_CONFIG_SIZE], again[SM_PKG_CONFIG_SIZE];
    good_config(&c);
    assert_int_equal(sm_pkg_encode_config(&c, LEN, b), SM_PKG_CONFIG_SIZE);
    assert_int_equal(sm_pkg_parse_config(b, sizeof(b), LEN, &back), SM_PKG_OK);
    assert_memory_equal(&back, &c, sizeof(c));
    assert_int_equal(sm_pkg_encode_config(&back, LEN, again), SM_PKG_CONFIG_SIZE);
    assert_memory_equal(again, b, sizeof(b));
    /* No certification reference, no URL, no images. */
    c.cert_ref_len = 0;
    memset(c.cert_ref, 0, sizeof(c.cert_ref));
    c.url_len = 0;
    memset(c.url, 0, sizeof(c.url));
    c.image_count = 0;
    memset(c.images, 0, sizeof(c.images));
    assert_int_equal(sm_pkg_encode_config(&c, SM_PKG_CONFIG_SIZE, b), SM_PKG_CONFIG_SIZE);
    assert_int_equal(sm_pkg_parse_config(b, sizeof(b), SM_PKG_CONFIG_SIZE, &back), SM_PKG_OK);
}

struct mutation {
    const char *what;
    size_t at;
    uint32_t value; /* written as 32 bits at `at` when wide, else one byte */
    int wide;
    int expect;
};

static void test_config_every_field(void **state)
{
    (void)state;
    static const struct mutation m[] = {
        {"magic", 0, 0x43504D54u, 1, SM_PKG_BAD_MAGIC},
        {"version 2", 4, 2, 1, SM_PKG_BAD_MAGIC},
        {"version 0", 4, 0, 1, SM_PKG_BAD_MAGIC},
        {"modules 5", 8, 5, 1, SM_PKG_BAD_RANGE},
        {"modules 0 with a module key? no: modules 0 is fine", 8, 1, 1, SM_PKG_OK},
        {"ITS size not whole sectors", 12, 0x10001, 1, SM_PKG_BAD_RANGE},
        {"ITS size over the maximum", 12, 0x42000, 1, SM_PKG_BAD_RANGE},
        {"largest asset over the ITS size", 16, 0x10001, 1, SM_PKG_BAD_RANGE},
        {"NS update bit past the kinds", 20, 0x80, 1, SM_PKG_BAD_RANGE},
        {"image count 8", 24, 8, 0, SM_PKG_BAD_RANGE},
        {"image count 1 (a second entry left)", 24, 1, 0, SM_PKG_BAD_RESERVED},
        {"image count 3 (an all-zero entry: a uRoT image of 0 bytes)", 24, 3, 0, SM_PKG_BAD_RANGE},
        {"cert ref length 21", 25, 21, 0, SM_PKG_BAD_RESERVED},
        {"cert ref length 18 (its last digit becomes padding)", 25, 18, 0, SM_PKG_BAD_RESERVED},
        {"cert ref length 20 (a zero at its end)", 25, 20, 0, SM_PKG_BAD_RANGE},
        {"URL length 97", 26, 97, 0, SM_PKG_BAD_RESERVED},
        {"URL length 6 (a zero byte in it)", 26, 6, 0, SM_PKG_BAD_RANGE},
        {"reserved byte 27", 27, 1, 0, SM_PKG_BAD_RESERVED},
        {"reserved word 28", 28, 1, 0, SM_PKG_BAD_RESERVED},
        {"cert ref: a letter", 64, 'x', 0, SM_PKG_BAD_RANGE},
        {"cert ref: no dash", 64 + 13, '0', 0, SM_PKG_BAD_RANGE},
        {"cert ref padding", 64 + 19, 1, 0, SM_PKG_BAD_RESERVED},
        {"URL: a space", 84, ' ', 0, SM_PKG_BAD_RANGE},
        {"URL: DEL", 84 + 4, 0x7F, 0, SM_PKG_BAD_RANGE},
        {"URL padding", 84 + 95, 1, 0, SM_PKG_BAD_RESERVED},
        {"reserved bytes 180..191", 185, 1, 0, SM_PKG_BAD_RESERVED},
        {"reserved bytes 792..799", 799, 1, 0, SM_PKG_BAD_RESERVED},
        {"image kind 7", 736, 7, 0, SM_PKG_BAD_RANGE},
        {"image kind twice", 744, 1, 0, SM_PKG_BAD_RANGE},
        {"image kind without a key (uRoT)", 736, 0, 0, SM_PKG_BAD_RANGE},
        {"module image past the modules in use", 744, 4, 0, SM_PKG_BAD_RANGE},
        {"image entry reserved", 737, 1, 0, SM_PKG_BAD_RESERVED},
        {"image size 0", 740, 0, 1, SM_PKG_BAD_RANGE},
        {"image size over its slot", 740, 0x60001, 1, SM_PKG_BAD_RANGE},
        {"image size into the slot's trailer", 740, 0x60000 - 63, 1, SM_PKG_BAD_RANGE},
        {"image size not the stream's", 740, 999, 1, SM_PKG_BAD_RANGE},
        {"an unused entry's kind", 736 + 16, 1, 0, SM_PKG_BAD_RESERVED},
        {"an unused entry's size", 736 + 20, 1, 1, SM_PKG_BAD_RESERVED},
    };
    struct sm_pkg_config c, out;
    uint8_t good[SM_PKG_CONFIG_SIZE], b[SM_PKG_CONFIG_SIZE];
    good_config(&c);
    c.keys[3][0] = 1; /* module 0 has a key */
    assert_int_equal(sm_pkg_encode_config(&c, LEN, good), SM_PKG_CONFIG_SIZE);
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        memcpy(b, good, sizeof(b));
        if (m[i].wide) {
            put32(b + m[i].at, m[i].value);
        } else {
            b[m[i].at] = (uint8_t)m[i].value;
        }
        const int rc = sm_pkg_parse_config(b, sizeof(b), LEN, &out);
        if (rc != m[i].expect) {
            fail_msg("%s: %d, expected %d", m[i].what, rc, m[i].expect);
        }
        if (rc != SM_PKG_OK) {
            const struct sm_pkg_config zero = {0};
            assert_memory_equal(&out, &zero, sizeof(out));
        }
    }
    /* The install key: 0 and n are no keys, n - 1 is one; the lifecycle key must be there. */
    static const uint8_t n[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                                  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                                  0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
    memcpy(b, good, sizeof(b));
    memset(b + 192, 0, 32);
    assert_int_equal(sm_pkg_parse_config(b, sizeof(b), LEN, &out), SM_PKG_BAD_RANGE);
    memcpy(b + 192, n, 32);
    assert_int_equal(sm_pkg_parse_config(b, sizeof(b), LEN, &out), SM_PKG_BAD_RANGE);
    b[192 + 31] = 0x50;
    assert_int_equal(sm_pkg_parse_config(b, sizeof(b), LEN, &out), SM_PKG_OK);
    memset(b + 192, 0xFF, 32);
    assert_int_equal(sm_pkg_parse_config(b, sizeof(b), LEN, &out), SM_PKG_BAD_RANGE);
    memcpy(b, good, sizeof(b));
    memset(b + 224, 0, 64);
    assert_int_equal(sm_pkg_parse_config(b, sizeof(b), LEN, &out), SM_PKG_BAD_RANGE);
    /* Lengths. */
    assert_int_equal(sm_pkg_parse_config(good, sizeof(good) - 1, LEN, &out), SM_PKG_BAD_LENGTH);
    assert_int_equal(sm_pkg_parse_config(good, sizeof(good) + 1, LEN, &out), SM_PKG_BAD_LENGTH);
    assert_int_equal(sm_pkg_parse_config(good, sizeof(good), LEN + 1, &out), SM_PKG_BAD_RANGE);
    /* The encoder refuses what the parser refuses. */
    c.its_size = 100;
    assert_int_equal(sm_pkg_encode_config(&c, LEN, b), -1);
}

static void good_file(struct sm_pkg_file *f)
{
    memset(f, 0, sizeof(*f));
    memset(f->id, 0x31, 16);
    f->length = 5000;
    f->chunks = 6;
    memset(f->begin_tag, 0x41, 32);
    memset(f->line_wrap, 0x51, SM_PKG_WRAP_SIZE);
    f->line_wrap[0] = 0x04;
}

static void test_file_header(void **state)
{
    (void)state;
    struct sm_pkg_file f, out;
    uint8_t good[SM_PKG_FILE_HDR], b[SM_PKG_FILE_HDR];
    good_file(&f);
    assert_int_equal(sm_pkg_encode_file(&f, good), SM_PKG_FILE_HDR);
    assert_int_equal(sm_pkg_parse_file(good, sizeof(good), &out), SM_PKG_OK);
    assert_memory_equal(&out, &f, sizeof(f));
    static const struct mutation m[] = {
        {"magic", 0, 0, 1, SM_PKG_BAD_MAGIC},
        {"version", 4, 2, 1, SM_PKG_BAD_MAGIC},
        {"chunks one more", 24, 7, 1, SM_PKG_BAD_RANGE},
        {"chunks one less", 24, 5, 1, SM_PKG_BAD_RANGE},
        {"length below the configuration", 28, 799, 1, SM_PKG_BAD_RANGE},
        {"length over the maximum", 28, SM_PKG_STREAM_MAX + 1, 1, SM_PKG_BAD_RANGE},
        {"wrap's point compressed", 64, 0x02, 0, SM_PKG_BAD_RANGE},
        {"reserved", 200, 1, 0, SM_PKG_BAD_RESERVED},
        {"reserved, last byte", SM_PKG_FILE_HDR - 1, 1, 0, SM_PKG_BAD_RESERVED},
    };
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        memcpy(b, good, sizeof(b));
        if (m[i].wide) {
            put32(b + m[i].at, m[i].value);
        } else {
            b[m[i].at] = (uint8_t)m[i].value;
        }
        const int rc = sm_pkg_parse_file(b, sizeof(b), &out);
        if (rc != m[i].expect) {
            fail_msg("%s: %d, expected %d", m[i].what, rc, m[i].expect);
        }
    }
    assert_int_equal(sm_pkg_parse_file(good, sizeof(good) - 1, &out), SM_PKG_BAD_LENGTH);
    f.chunks = 5;
    assert_int_equal(sm_pkg_encode_file(&f, b), -1);
}

static void test_chunks(void **state)
{
    (void)state;
    /* 5,000 bytes: five chunks of 960 and a last of 200. */
    uint8_t b[SM_PKG_CHUNK_MAX + 1];
    struct sm_pkg_chunk c;
    memset(b, 0x77, sizeof(b));
    sm_pkg_chunk_header(2, SM_PKG_CHUNK, false, b);
    assert_int_equal(sm_pkg_parse_chunk(b, SM_PKG_CHUNK_MAX, 6, 5000, &c), SM_PKG_OK);
    assert_int_equal(c.index, 2);
    assert_int_equal(c.len, SM_PKG_CHUNK);
    assert_false(c.last);
    assert_ptr_equal(c.data, b + 8);
    assert_ptr_equal(c.tag, b + 8 + SM_PKG_CHUNK);
    sm_pkg_chunk_header(5, 200, true, b);
    assert_int_equal(sm_pkg_parse_chunk(b, 240, 6, 5000, &c), SM_PKG_OK);
    assert_true(c.last);
    assert_int_equal(sm_pkg_chunk_size(5, 6, 5000), 240);
    assert_int_equal(sm_pkg_chunk_size(0, 6, 5000), SM_PKG_CHUNK_MAX);
    /* Each field broken on its own. */
    sm_pkg_chunk_header(5, 200, false, b); /* the last without its flag */
    assert_int_equal(sm_pkg_parse_chunk(b, 240, 6, 5000, &c), SM_PKG_BAD_ORDER);
    sm_pkg_chunk_header(4, SM_PKG_CHUNK, true, b); /* the flag on another */
    assert_int_equal(sm_pkg_parse_chunk(b, SM_PKG_CHUNK_MAX, 6, 5000, &c), SM_PKG_BAD_ORDER);
    sm_pkg_chunk_header(6, 200, true, b); /* past the count */
    assert_int_equal(sm_pkg_parse_chunk(b, 240, 6, 5000, &c), SM_PKG_BAD_ORDER);
    sm_pkg_chunk_header(5, 199, true, b); /* the last cut short */
    assert_int_equal(sm_pkg_parse_chunk(b, 239, 6, 5000, &c), SM_PKG_BAD_ORDER);
    sm_pkg_chunk_header(1, 959, false, b); /* a middle one short */
    assert_int_equal(sm_pkg_parse_chunk(b, 999, 6, 5000, &c), SM_PKG_BAD_ORDER);
    sm_pkg_chunk_header(1, SM_PKG_CHUNK, false, b);
    assert_int_equal(sm_pkg_parse_chunk(b, SM_PKG_CHUNK_MAX - 1, 6, 5000, &c), SM_PKG_BAD_LENGTH);
    assert_int_equal(sm_pkg_parse_chunk(b, SM_PKG_CHUNK_MAX + 1, 6, 5000, &c), SM_PKG_BAD_LENGTH);
    assert_int_equal(sm_pkg_parse_chunk(b, 40, 6, 5000, &c), SM_PKG_BAD_LENGTH);
    b[6] = 0x02; /* an undefined flag */
    assert_int_equal(sm_pkg_parse_chunk(b, SM_PKG_CHUNK_MAX, 6, 5000, &c), SM_PKG_BAD_RESERVED);
    b[6] = 0;
    b[7] = 1; /* the reserved byte */
    assert_int_equal(sm_pkg_parse_chunk(b, SM_PKG_CHUNK_MAX, 6, 5000, &c), SM_PKG_BAD_RESERVED);
    b[7] = 0;
    assert_int_equal(sm_pkg_parse_chunk(b, SM_PKG_CHUNK_MAX, 7, 5000, &c), SM_PKG_BAD_LENGTH);
    const struct sm_pkg_chunk zero = {0};
    assert_memory_equal(&c, &zero, sizeof(c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_round_trip),
        cmocka_unit_test(test_config_every_field),
        cmocka_unit_test(test_file_header),
        cmocka_unit_test(test_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
