/*
 * test_update_proto.c: the update protocol's messages (protocol/sm_update_proto.h): every
 * request parsed and encoded back to the same bytes, then each field of each message broken
 * on its own (payload length short and long, each reserved byte, component, size, offset
 * alignment and wrap, an unknown type; INFO's count, length, version, duplicate or
 * out-of-range ids, states; STATUS's request, component, state, reason), each refused with
 * its reason and nothing of it in the output; and the encoders' refusals of the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sm_update_proto.h"

static uint8_t buf[SM_FRAME_PAYLOAD_MAX + 16];

static struct sm_frame frame(uint8_t type, uint8_t seq, const uint8_t *p, size_t len)
{
    return (struct sm_frame){.type = type, .seq = seq, .len = (uint16_t)len, .payload = p};
}

/* A parse that failed must leave nothing but the type and sequence in the output. */
static void assert_request_empty(const struct sm_up_request *r, uint8_t type, uint8_t seq)
{
    assert_int_equal(r->type, type);
    assert_int_equal(r->seq, seq);
    assert_int_equal(r->component, 0);
    assert_int_equal(r->size, 0);
    assert_int_equal(r->offset, 0);
    assert_null(r->data);
    assert_int_equal(r->data_len, 0);
}

static void test_requests_round_trip(void **state)
{
    (void)state;
    static uint8_t data[SM_UP_DATA_MAX];
    for (size_t i = 0; i < sizeof(data); i++) {
        data[i] = (uint8_t)(i * 13u + 5u);
    }
    const struct sm_up_request reqs[] = {
        {.type = SM_UP_HELLO},
        {.type = SM_UP_START, .component = 2, .size = 0x12345},
        {.type = SM_UP_START, .component = 6, .size = UINT32_MAX},
        {.type = SM_UP_DATA, .component = 2, .offset = 0, .data = data, .data_len = 1},
        {.type = SM_UP_DATA,
         .component = 0,
         .offset = 4096,
         .data = data,
         .data_len = SM_UP_DATA_MAX},
        {.type = SM_UP_DATA,
         .component = 1,
         .offset = UINT32_MAX - 15u,
         .data = data,
         .data_len = 15},
        {.type = SM_UP_FINISH, .component = 2},
        {.type = SM_UP_INSTALL},
        {.type = SM_UP_REBOOT},
        {.type = SM_UP_CLEAN, .component = 3},
    };
    for (size_t k = 0; k < sizeof(reqs) / sizeof(reqs[0]); k++) {
        const int len = sm_up_encode_request(&reqs[k], buf);
        assert_true(len >= 0);
        const struct sm_frame f = frame(reqs[k].type, (uint8_t)(k + 40), buf, (size_t)len);
        struct sm_up_request r;
        assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_OK);
        assert_int_equal(r.type, reqs[k].type);
        assert_int_equal(r.seq, k + 40);
        assert_int_equal(r.component, reqs[k].component);
        assert_int_equal(r.size, reqs[k].size);
        assert_int_equal(r.offset, reqs[k].offset);
        assert_int_equal(r.data_len, reqs[k].data_len);
        if (r.data_len != 0u) {
            assert_ptr_equal(r.data, buf + SM_UP_DATA_HEADER); /* into the frame */
            assert_memory_equal(r.data, data, r.data_len);
        } else {
            assert_null(r.data);
        }
        /* One encoding: parse then encode gives the same bytes. */
        uint8_t again[SM_FRAME_PAYLOAD_MAX];
        assert_int_equal(sm_up_encode_request(&r, again), len);
        assert_memory_equal(again, buf, (size_t)len);
    }
}

static void test_request_lengths(void **state)
{
    (void)state;
    static const struct {
        uint8_t type;
        size_t len;
    } exact[] = {{SM_UP_HELLO, 0},   {SM_UP_START, 8},  {SM_UP_FINISH, 4},
                 {SM_UP_INSTALL, 0}, {SM_UP_REBOOT, 0}, {SM_UP_CLEAN, 4}};
    memset(buf, 0, sizeof(buf));
    buf[4] = 1; /* a START size of 1 */
    for (size_t k = 0; k < sizeof(exact) / sizeof(exact[0]); k++) {
        struct sm_up_request r;
        struct sm_frame f = frame(exact[k].type, 9, buf, exact[k].len);
        assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_OK);
        for (size_t len = 0; len <= 12; len++) {
            if (len == exact[k].len) {
                continue;
            }
            f = frame(exact[k].type, 9, buf, len);
            assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_BAD_LENGTH);
            assert_request_empty(&r, exact[k].type, 9);
        }
    }
    /* DATA: its header and 1..SM_UP_DATA_MAX bytes. */
    memset(buf, 0, sizeof(buf));
    struct sm_up_request r;
    for (size_t len = 0; len <= SM_UP_DATA_HEADER; len++) {
        const struct sm_frame f = frame(SM_UP_DATA, 1, buf, len);
        assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_BAD_LENGTH);
        assert_request_empty(&r, SM_UP_DATA, 1);
    }
    struct sm_frame f = frame(SM_UP_DATA, 1, buf, SM_UP_DATA_HEADER + SM_UP_DATA_MAX);
    assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_OK);
    f = frame(SM_UP_DATA, 1, buf, SM_UP_DATA_HEADER + SM_UP_DATA_MAX + 1);
    assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_BAD_LENGTH);
    f = frame(SM_UP_DATA, 1, buf, SM_FRAME_PAYLOAD_MAX);
    assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_BAD_LENGTH);
    assert_request_empty(&r, SM_UP_DATA, 1);
}

static void test_request_unknown_types(void **state)
{
    (void)state;
    static const uint8_t types[] = {0x00, 0x08, 0x7F, SM_UP_INFO, SM_UP_STATUS, 0xFF};
    memset(buf, 0, sizeof(buf));
    for (size_t k = 0; k < sizeof(types); k++) {
        struct sm_up_request r;
        const struct sm_frame f = frame(types[k], 3, buf, 0);
        assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_BAD_TYPE);
        assert_request_empty(&r, types[k], 3);
        const struct sm_up_request e = {.type = types[k]};
        assert_int_equal(sm_up_encode_request(&e, buf), -1);
    }
}

static void test_request_fields(void **state)
{
    (void)state;
    static const uint8_t with_component[] = {SM_UP_START, SM_UP_DATA, SM_UP_FINISH, SM_UP_CLEAN};
    for (size_t k = 0; k < sizeof(with_component); k++) {
        const uint8_t type = with_component[k];
        const size_t len = type == SM_UP_START ? 8 : type == SM_UP_DATA ? 9 : 4;
        struct sm_up_request r;
        /* Each reserved byte of the component header. */
        for (size_t at = 1; at < SM_UP_COMPONENT_HEADER; at++) {
            memset(buf, 0, sizeof(buf));
            buf[4] = 1;
            buf[at] = 0x80;
            const struct sm_frame f = frame(type, 2, buf, len);
            assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_BAD_RESERVED);
            assert_request_empty(&r, type, 2);
        }
        /* The component id: 0..6. */
        for (unsigned id = 0; id < 256; id++) {
            memset(buf, 0, sizeof(buf));
            buf[0] = (uint8_t)id;
            buf[4] = type == SM_UP_START ? 1 : 0; /* a START size of 1, a DATA offset of 0 */
            const struct sm_frame f = frame(type, 2, buf, len);
            const int rc = sm_up_parse_request(&f, &r);
            assert_int_equal(rc, id < SM_UP_COMPONENT_MAX ? SM_UP_OK : SM_UP_BAD_COMPONENT);
            if (rc != SM_UP_OK) {
                assert_request_empty(&r, type, 2);
            }
            const struct sm_up_request e = {
                .type = type, .component = (uint8_t)id, .size = 1, .data = buf, .data_len = 1};
            uint8_t out[SM_FRAME_PAYLOAD_MAX];
            assert_int_equal(sm_up_encode_request(&e, out) >= 0, id < SM_UP_COMPONENT_MAX);
        }
    }
    struct sm_up_request r;
    uint8_t out[SM_FRAME_PAYLOAD_MAX];
    /* START's size: never 0. */
    memset(buf, 0, sizeof(buf));
    struct sm_frame f = frame(SM_UP_START, 5, buf, 8);
    assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_BAD_RANGE);
    assert_request_empty(&r, SM_UP_START, 5);
    const struct sm_up_request zero_size = {.type = SM_UP_START, .component = 2};
    assert_int_equal(sm_up_encode_request(&zero_size, out), -1);
    /* DATA's offset: a multiple of 16, and offset + length within 32 bits. */
    for (uint32_t off = 1; off < 16; off++) {
        memset(buf, 0, sizeof(buf));
        buf[4] = (uint8_t)off;
        f = frame(SM_UP_DATA, 5, buf, SM_UP_DATA_HEADER + 16);
        assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_BAD_ALIGN);
        assert_request_empty(&r, SM_UP_DATA, 5);
        const struct sm_up_request e = {
            .type = SM_UP_DATA, .component = 2, .offset = off, .data = buf, .data_len = 16};
        assert_int_equal(sm_up_encode_request(&e, out), -1);
    }
    memset(buf, 0, sizeof(buf));
    buf[4] = 0xF0; /* offset 0xFFFFFFF0 */
    buf[5] = buf[6] = buf[7] = 0xFF;
    f = frame(SM_UP_DATA, 5, buf, SM_UP_DATA_HEADER + 15);
    assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_OK); /* ends at 2^32 - 1 */
    f = frame(SM_UP_DATA, 5, buf, SM_UP_DATA_HEADER + 16);
    assert_int_equal(sm_up_parse_request(&f, &r), SM_UP_BAD_RANGE); /* would end at 2^32 */
    assert_request_empty(&r, SM_UP_DATA, 5);
    const struct sm_up_request wrap = {
        .type = SM_UP_DATA, .component = 2, .offset = 0xFFFFFFF0u, .data = buf, .data_len = 16};
    assert_int_equal(sm_up_encode_request(&wrap, out), -1);
    /* DATA with no data or too much, or no pointer, does not encode. */
    struct sm_up_request e = {.type = SM_UP_DATA, .component = 2, .data = buf, .data_len = 0};
    assert_int_equal(sm_up_encode_request(&e, out), -1);
    e.data_len = SM_UP_DATA_MAX + 1;
    assert_int_equal(sm_up_encode_request(&e, out), -1);
    e.data_len = 16;
    e.data = NULL;
    assert_int_equal(sm_up_encode_request(&e, out), -1);
}

/* Field by field: the structures have padding. */
static void assert_info_equal(const struct sm_up_info *a, const struct sm_up_info *b)
{
    assert_int_equal(a->seq, b->seq);
    assert_int_equal(a->version, b->version);
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->boot_count, b->boot_count);
    for (size_t k = 0; k < SM_UP_COMPONENT_MAX; k++) {
        const struct sm_up_component *x = &a->c[k], *y = &b->c[k];
        assert_int_equal(x->id, y->id);
        assert_int_equal(x->state, y->state);
        assert_int_equal(x->error, y->error);
        assert_int_equal(x->major, y->major);
        assert_int_equal(x->minor, y->minor);
        assert_int_equal(x->patch, y->patch);
        assert_int_equal(x->build, y->build);
        assert_int_equal(x->max_size, y->max_size);
        assert_int_equal(x->flags, y->flags);
    }
}

static void assert_status_equal(const struct sm_up_status *a, const struct sm_up_status *b)
{
    assert_int_equal(a->seq, b->seq);
    assert_int_equal(a->request, b->request);
    assert_int_equal(a->component, b->component);
    assert_int_equal(a->state, b->state);
    assert_int_equal(a->reason, b->reason);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->value, b->value);
}

static struct sm_up_info good_info(void)
{
    struct sm_up_info i = {.version = SM_UP_VERSION, .count = 3, .boot_count = 0x01020304};
    for (uint8_t k = 0; k < 3; k++) {
        i.c[k] = (struct sm_up_component){.id = k,
                                          .state = (uint8_t)(k * 2u + 1u),
                                          .error = -149 + k,
                                          .major = (uint8_t)(k + 1u),
                                          .minor = 2,
                                          .patch = 0x1234,
                                          .build = 0xA0B0C0D0u,
                                          .max_size = 0x7FFC0,
                                          .flags = 2};
    }
    return i;
}

static void test_info(void **state)
{
    (void)state;
    struct sm_up_info i = good_info(), o;
    int len = sm_up_encode_info(&i, buf);
    assert_int_equal(len, SM_UP_INFO_HEADER + 3 * SM_UP_COMPONENT_SIZE);
    struct sm_frame f = frame(SM_UP_INFO, 77, buf, (size_t)len);
    assert_int_equal(sm_up_parse_info(&f, &o), SM_UP_OK);
    i.seq = 77;
    assert_info_equal(&o, &i);
    /* Every count 0..7, and 8 refused. */
    struct sm_up_info all = {.version = 1, .count = SM_UP_COMPONENT_MAX};
    for (uint8_t k = 0; k < SM_UP_COMPONENT_MAX; k++) {
        all.c[k].id = (uint8_t)(SM_UP_COMPONENT_MAX - 1u - k);
        all.c[k].state = SM_UP_STATE_MAX;
    }
    for (uint8_t n = 0; n <= SM_UP_COMPONENT_MAX; n++) {
        all.count = n;
        len = sm_up_encode_info(&all, buf);
        assert_int_equal(len, SM_UP_INFO_HEADER + n * SM_UP_COMPONENT_SIZE);
        f = frame(SM_UP_INFO, 1, buf, (size_t)len);
        assert_int_equal(sm_up_parse_info(&f, &o), SM_UP_OK);
        assert_int_equal(o.count, n);
    }
    all.count = SM_UP_COMPONENT_MAX + 1;
    assert_int_equal(sm_up_encode_info(&all, buf), -1);

    const struct sm_up_info empty = {.seq = 1};
    /* Each broken field. */
    len = sm_up_encode_info(&i, buf);
    static uint8_t good[SM_UP_INFO_MAX];
    memcpy(good, buf, (size_t)len);
#define BROKEN(what, expect)                                                                       \
    do {                                                                                           \
        memcpy(buf, good, (size_t)len);                                                            \
        what;                                                                                      \
        assert_int_equal(sm_up_parse_info(&f, &o), expect);                                        \
        assert_info_equal(&o, &empty);                                                             \
    } while (0)
    f = frame(SM_UP_INFO, 1, buf, (size_t)len);
    BROKEN(buf[0] = 0, SM_UP_BAD_RANGE);  /* version 0 */
    BROKEN(buf[1] = 8, SM_UP_BAD_RANGE);  /* count over the components */
    BROKEN(buf[1] = 2, SM_UP_BAD_LENGTH); /* count and length disagree */
    BROKEN(buf[1] = 4, SM_UP_BAD_LENGTH);
    BROKEN(buf[2] = 1, SM_UP_BAD_RESERVED);
    BROKEN(buf[3] = 1, SM_UP_BAD_RESERVED);
    for (uint8_t k = 0; k < 3; k++) {
        uint8_t *q = buf + SM_UP_INFO_HEADER + k * SM_UP_COMPONENT_SIZE;
        BROKEN(q[0] = 7, SM_UP_BAD_COMPONENT); /* id out of range */
        BROKEN(q[0] = 0xFF, SM_UP_BAD_COMPONENT);
        BROKEN(q[0] = (uint8_t)((k + 1u) % 3u), SM_UP_BAD_COMPONENT); /* listed twice */
        BROKEN(q[1] = 8, SM_UP_BAD_RANGE);                            /* state out of range */
        BROKEN(q[2] = 1, SM_UP_BAD_RESERVED);
        BROKEN(q[3] = 1, SM_UP_BAD_RESERVED);
    }
    for (size_t l = 0; l < SM_UP_INFO_MAX + 2; l++) {
        if (l == (size_t)len) {
            continue;
        }
        f = frame(SM_UP_INFO, 1, good, l);
        assert_int_not_equal(sm_up_parse_info(&f, &o), SM_UP_OK);
        assert_info_equal(&o, &empty);
    }
    f = frame(SM_UP_STATUS, 1, good, (size_t)len);
    assert_int_equal(sm_up_parse_info(&f, &o), SM_UP_BAD_TYPE);
    /* The encoder refuses what the parser refuses. */
    struct sm_up_info e = good_info();
    e.version = 0;
    assert_int_equal(sm_up_encode_info(&e, buf), -1);
    e = good_info();
    e.c[2].id = 0;
    assert_int_equal(sm_up_encode_info(&e, buf), -1);
    e = good_info();
    e.c[1].id = 7;
    assert_int_equal(sm_up_encode_info(&e, buf), -1);
    e = good_info();
    e.c[0].state = 8;
    assert_int_equal(sm_up_encode_info(&e, buf), -1);
#undef BROKEN
}

static void test_status(void **state)
{
    (void)state;
    const struct sm_up_status s = {.seq = 9,
                                   .request = SM_UP_FINISH,
                                   .component = 2,
                                   .state = 4,
                                   .reason = SM_UP_BY_SERVICE,
                                   .status = -149,
                                   .value = 0xDEADBEEF};
    struct sm_up_status o;
    int len = sm_up_encode_status(&s, buf);
    assert_int_equal(len, SM_UP_STATUS_SIZE);
    struct sm_frame f = frame(SM_UP_STATUS, 9, buf, (size_t)len);
    assert_int_equal(sm_up_parse_status(&f, &o), SM_UP_OK);
    assert_status_equal(&o, &s);
    /* "None" for component and state. */
    struct sm_up_status n = s;
    n.component = SM_UP_NONE;
    n.state = SM_UP_NONE;
    n.reason = SM_UP_REASON_MAX;
    n.request = 0x7F; /* a request the device did not know */
    len = sm_up_encode_status(&n, buf);
    assert_int_equal(len, SM_UP_STATUS_SIZE);
    assert_int_equal(sm_up_parse_status(&f, &o), SM_UP_OK);
    assert_status_equal(&o, &n);

    static uint8_t good[SM_FRAME_PAYLOAD_MAX];
    len = sm_up_encode_status(&s, good);
    const struct sm_up_status empty = {.seq = 9};
    static const struct {
        size_t at;
        uint8_t value;
    } broken[] = {{0, 0x00}, {0, 0x81}, {0, 0xFF}, {1, 7},   {1, 0xFE},
                  {2, 8},    {2, 0xFE}, {3, 7},    {3, 0xFF}};
    for (size_t k = 0; k < sizeof(broken) / sizeof(broken[0]); k++) {
        memcpy(buf, good, SM_UP_STATUS_SIZE);
        buf[broken[k].at] = broken[k].value;
        f = frame(SM_UP_STATUS, 9, buf, SM_UP_STATUS_SIZE);
        assert_int_equal(sm_up_parse_status(&f, &o), SM_UP_BAD_RANGE);
        assert_status_equal(&o, &empty);
        struct sm_up_status e = s;
        uint8_t *field[] = {&e.request, &e.component, &e.state, &e.reason};
        *field[broken[k].at] = broken[k].value;
        assert_int_equal(sm_up_encode_status(&e, buf), -1);
    }
    for (size_t l = 0; l < 40; l++) {
        if (l == SM_UP_STATUS_SIZE) {
            continue;
        }
        f = frame(SM_UP_STATUS, 9, good, l);
        assert_int_equal(sm_up_parse_status(&f, &o), SM_UP_BAD_LENGTH);
        assert_status_equal(&o, &empty);
    }
    f = frame(SM_UP_INFO, 9, good, SM_UP_STATUS_SIZE);
    assert_int_equal(sm_up_parse_status(&f, &o), SM_UP_BAD_TYPE);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(sm_up_request_name(SM_UP_FINISH), "finish");
    assert_string_equal(sm_up_request_name(SM_UP_DATA), "data");
    assert_string_equal(sm_up_request_name(0x42), "?");
    assert_int_equal(SM_UP_DATA_MAX, 1008);
    assert_int_equal(SM_UP_DATA_MAX % SM_UP_DATA_ALIGN, 0);
    assert_true(SM_UP_DATA_HEADER + SM_UP_DATA_MAX <= SM_FRAME_PAYLOAD_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requests_round_trip),
        cmocka_unit_test(test_request_lengths),
        cmocka_unit_test(test_request_unknown_types),
        cmocka_unit_test(test_request_fields),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
