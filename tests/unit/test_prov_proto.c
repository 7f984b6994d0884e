/*
 * test_prov_proto.c: the provisioning protocol's messages (protocol/sm_prov_proto.h): every
 * message parsed and encoded back to the same bytes, then each field of each message broken on
 * its own (payload length short and long, every type but the message's own, each reserved
 * byte, each undefined flag bit, states that are none of the six, a signature on an unsigned
 * LIFECYCLE at each of its bytes; INFO's version; STATUS's request and reason), each refused
 * with its reason and nothing of it in the output; and the encoders' refusals of the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sm_prov_proto.h"

static uint8_t buf[SM_FRAME_PAYLOAD_MAX];

static struct sm_frame frame(uint8_t type, uint8_t seq, const uint8_t *p, size_t len)
{
    return (struct sm_frame){.type = type, .seq = seq, .len = (uint16_t)len, .payload = p};
}

static const uint32_t states[] = {0x1000, 0x2000, 0x3000, 0x4000, 0x5000, 0x6000};
static const uint32_t not_states[] = {0,      0x0001, 0x0FFF,  0x1001,      0x3800,     0x7000,
                                      0x8000, 0xF000, 0x13000, 0x80003000u, 0xFFFFFFFFu};

static void assert_request_empty(const struct sm_prov_request *r, uint8_t type, uint8_t seq)
{
    static const uint8_t zeros[64];
    assert_int_equal(r->type, type);
    assert_int_equal(r->seq, seq);
    assert_int_equal(r->to, 0);
    assert_int_equal(r->transitions, 0);
    assert_false(r->is_signed);
    assert_memory_equal(r->sig, zeros, sizeof(zeros));
}

static int parse_req(uint8_t type, const uint8_t *p, size_t len, struct sm_prov_request *r)
{
    struct sm_frame f = frame(type, 0x5C, p, len);
    return sm_prov_parse_request(&f, r);
}

static void test_requests(void **state)
{
    (void)state;
    struct sm_prov_request r, back;
    /* HELLO */
    assert_int_equal(parse_req(SM_PROV_HELLO, buf, 0, &r), SM_PROV_OK);
    assert_int_equal(r.type, SM_PROV_HELLO);
    assert_int_equal(r.seq, 0x5C);
    assert_int_equal(sm_prov_encode_request(&r, buf), 0);
    assert_int_equal(parse_req(SM_PROV_HELLO, buf, 1, &r), SM_PROV_BAD_LENGTH);
    assert_request_empty(&r, SM_PROV_HELLO, 0x5C);
    /* LIFECYCLE, to every state, signed and not */
    for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
        for (int s = 0; s <= 1; s++) {
            memset(&r, 0, sizeof(r));
            r.type = SM_PROV_LIFECYCLE;
            r.to = states[i];
            r.transitions = 0x01020304u * (uint32_t)(i + 1);
            r.is_signed = s;
            if (s) {
                for (size_t k = 0; k < 64; k++) {
                    r.sig[k] = (uint8_t)(k * 7u + 1u);
                }
            }
            const int n = sm_prov_encode_request(&r, buf);
            assert_int_equal(n, SM_PROV_LIFECYCLE_SIZE);
            assert_int_equal(parse_req(SM_PROV_LIFECYCLE, buf, (size_t)n, &back), SM_PROV_OK);
            assert_int_equal(back.to, r.to);
            assert_int_equal(back.transitions, r.transitions);
            assert_int_equal(back.is_signed, r.is_signed);
            assert_memory_equal(back.sig, r.sig, 64);
            uint8_t again[SM_FRAME_PAYLOAD_MAX];
            assert_int_equal(sm_prov_encode_request(&back, again), n);
            assert_memory_equal(again, buf, (size_t)n);
        }
    }
    /* A sound unsigned LIFECYCLE to SECURED, then each field broken. */
    uint8_t good[SM_FRAME_PAYLOAD_MAX], bad[SM_PROV_LIFECYCLE_SIZE + 1];
    memset(&r, 0, sizeof(r));
    r.type = SM_PROV_LIFECYCLE;
    r.to = 0x3000;
    r.transitions = 2;
    assert_int_equal(sm_prov_encode_request(&r, good), SM_PROV_LIFECYCLE_SIZE);
    for (size_t len = 0; len <= sizeof(bad); len++) {
        if (len == SM_PROV_LIFECYCLE_SIZE) {
            continue;
        }
        memset(bad, 0, sizeof(bad));
        memcpy(bad, good, len < sizeof(bad) - 1 ? len : sizeof(bad) - 1);
        assert_int_equal(parse_req(SM_PROV_LIFECYCLE, bad, len, &r), SM_PROV_BAD_LENGTH);
        assert_request_empty(&r, SM_PROV_LIFECYCLE, 0x5C);
    }
    for (unsigned bit = 1; bit < 8; bit++) { /* undefined flag bits */
        memcpy(bad, good, SM_PROV_LIFECYCLE_SIZE);
        bad[8] = (uint8_t)(1u << bit);
        assert_int_equal(parse_req(SM_PROV_LIFECYCLE, bad, SM_PROV_LIFECYCLE_SIZE, &r),
                         SM_PROV_BAD_RESERVED);
        assert_request_empty(&r, SM_PROV_LIFECYCLE, 0x5C);
    }
    for (size_t at = 9; at < 12; at++) { /* reserved bytes */
        memcpy(bad, good, SM_PROV_LIFECYCLE_SIZE);
        bad[at] = 0x01;
        assert_int_equal(parse_req(SM_PROV_LIFECYCLE, bad, SM_PROV_LIFECYCLE_SIZE, &r),
                         SM_PROV_BAD_RESERVED);
        assert_request_empty(&r, SM_PROV_LIFECYCLE, 0x5C);
    }
    for (size_t i = 0; i < sizeof(not_states) / sizeof(not_states[0]); i++) {
        memcpy(bad, good, SM_PROV_LIFECYCLE_SIZE);
        for (int b = 0; b < 4; b++) {
            bad[b] = (uint8_t)(not_states[i] >> (8 * b));
        }
        assert_int_equal(parse_req(SM_PROV_LIFECYCLE, bad, SM_PROV_LIFECYCLE_SIZE, &r),
                         SM_PROV_BAD_RANGE);
        assert_request_empty(&r, SM_PROV_LIFECYCLE, 0x5C);
        struct sm_prov_request e = {.type = SM_PROV_LIFECYCLE, .to = not_states[i]};
        assert_int_equal(sm_prov_encode_request(&e, buf), -1);
    }
    for (size_t at = 12; at < SM_PROV_LIFECYCLE_SIZE;
         at++) { /* a signature on an unsigned request */
        memcpy(bad, good, SM_PROV_LIFECYCLE_SIZE);
        bad[at] = 0x80;
        assert_int_equal(parse_req(SM_PROV_LIFECYCLE, bad, SM_PROV_LIFECYCLE_SIZE, &r),
                         SM_PROV_BAD_RANGE);
        assert_request_empty(&r, SM_PROV_LIFECYCLE, 0x5C);
    }
    struct sm_prov_request e = {.type = SM_PROV_LIFECYCLE, .to = 0x3000, .sig = {[7] = 1}};
    assert_int_equal(sm_prov_encode_request(&e, buf), -1);
    /* Every other type, the update protocol's and the replies among them (BEGIN and CHUNK:
     * test_begin_chunk). */
    for (unsigned t = 0; t < 256; t++) {
        if (t == SM_PROV_HELLO || t == SM_PROV_LIFECYCLE || t == SM_PROV_BEGIN ||
            t == SM_PROV_CHUNK) {
            continue;
        }
        assert_int_equal(parse_req((uint8_t)t, good, SM_PROV_LIFECYCLE_SIZE, &r), SM_PROV_BAD_TYPE);
        assert_request_empty(&r, (uint8_t)t, 0x5C);
        assert_int_equal(parse_req((uint8_t)t, good, 0, &r), SM_PROV_BAD_TYPE);
        struct sm_prov_request o = {.type = (uint8_t)t, .to = 0x3000};
        assert_int_equal(sm_prov_encode_request(&o, buf), -1);
    }
}

static void test_info(void **state)
{
    (void)state;
    uint8_t cert[SM_PROV_CERT_SIZE], good[SM_FRAME_PAYLOAD_MAX], bad[SM_PROV_INFO_SIZE + 1];
    for (size_t i = 0; i < sizeof(cert); i++) {
        cert[i] = (uint8_t)(i ^ 0xA5u);
    }
    struct sm_prov_info in = {.version = 1,
                              .flags = SM_PROV_HAS_DEVICE,
                              .lifecycle = 0x2000,
                              .transitions = 7,
                              .cert = cert};
    struct sm_prov_info out;
    assert_int_equal(sm_prov_encode_info(&in, good), SM_PROV_INFO_SIZE);
    struct sm_frame f = frame(SM_PROV_INFO, 9, good, SM_PROV_INFO_SIZE);
    assert_int_equal(sm_prov_parse_info(&f, &out), SM_PROV_OK);
    assert_int_equal(out.seq, 9);
    assert_int_equal(out.flags, SM_PROV_HAS_DEVICE);
    assert_int_equal(out.lifecycle, 0x2000);
    assert_int_equal(out.transitions, 7);
    assert_memory_equal(out.cert, cert, sizeof(cert));
    assert_ptr_equal(out.cert, good + 12);
    uint8_t again[SM_FRAME_PAYLOAD_MAX];
    assert_int_equal(sm_prov_encode_info(&out, again), SM_PROV_INFO_SIZE);
    assert_memory_equal(again, good, SM_PROV_INFO_SIZE);
    for (size_t s = 0; s < sizeof(states) / sizeof(states[0]); s++) {
        in.lifecycle = states[s];
        in.flags = (uint16_t)(s & 3u);
        assert_int_equal(sm_prov_encode_info(&in, buf), SM_PROV_INFO_SIZE);
        f = frame(SM_PROV_INFO, 1, buf, SM_PROV_INFO_SIZE);
        assert_int_equal(sm_prov_parse_info(&f, &out), SM_PROV_OK);
        assert_int_equal(out.lifecycle, states[s]);
    }
#define EXPECT_INFO(want)                                                                          \
    do {                                                                                           \
        assert_int_equal(sm_prov_parse_info(&f, &out), want);                                      \
        assert_int_equal(out.lifecycle, 0);                                                        \
        assert_int_equal(out.flags, 0);                                                            \
        assert_null(out.cert);                                                                     \
    } while (0)
    for (size_t len = 0; len <= sizeof(bad); len++) {
        if (len == SM_PROV_INFO_SIZE) {
            continue;
        }
        memset(bad, 0, sizeof(bad));
        memcpy(bad, good, len < sizeof(bad) - 1 ? len : sizeof(bad) - 1);
        f = frame(SM_PROV_INFO, 1, bad, len);
        EXPECT_INFO(SM_PROV_BAD_LENGTH);
    }
    f = frame(SM_PROV_STATUS, 1, good, SM_PROV_INFO_SIZE);
    EXPECT_INFO(SM_PROV_BAD_TYPE);
    f = frame(0x81, 1, good, SM_PROV_INFO_SIZE); /* the update protocol's INFO */
    EXPECT_INFO(SM_PROV_BAD_TYPE);
    memcpy(bad, good, SM_PROV_INFO_SIZE);
    bad[1] = 1;
    f = frame(SM_PROV_INFO, 1, bad, SM_PROV_INFO_SIZE);
    EXPECT_INFO(SM_PROV_BAD_RESERVED);
    for (unsigned bit = 2; bit < 16; bit++) {
        memcpy(bad, good, SM_PROV_INFO_SIZE);
        bad[2 + bit / 8] |= (uint8_t)(1u << (bit % 8));
        EXPECT_INFO(SM_PROV_BAD_RESERVED);
        in.lifecycle = 0x3000;
        in.flags = (uint16_t)(1u << bit);
        assert_int_equal(sm_prov_encode_info(&in, buf), -1);
    }
    in.flags = 0;
    for (unsigned v = 0; v < 256; v++) {
        if (v == SM_PROV_VERSION) {
            continue;
        }
        memcpy(bad, good, SM_PROV_INFO_SIZE);
        bad[0] = (uint8_t)v;
        EXPECT_INFO(SM_PROV_BAD_RANGE);
        in.version = (uint8_t)v;
        assert_int_equal(sm_prov_encode_info(&in, buf), -1);
    }
    in.version = SM_PROV_VERSION;
    for (size_t i = 0; i < sizeof(not_states) / sizeof(not_states[0]); i++) {
        memcpy(bad, good, SM_PROV_INFO_SIZE);
        for (int b = 0; b < 4; b++) {
            bad[4 + b] = (uint8_t)(not_states[i] >> (8 * b));
        }
        EXPECT_INFO(SM_PROV_BAD_RANGE);
        in.lifecycle = not_states[i];
        assert_int_equal(sm_prov_encode_info(&in, buf), -1);
    }
    in.lifecycle = 0x3000;
    in.cert = NULL;
    assert_int_equal(sm_prov_encode_info(&in, buf), -1);
}

static void test_status(void **state)
{
    (void)state;
    uint8_t good[SM_FRAME_PAYLOAD_MAX], bad[SM_PROV_STATUS_SIZE + 1];
    struct sm_prov_status in = {.request = SM_PROV_LIFECYCLE,
                                .reason = SM_PROV_E_UNAUTHORISED,
                                .status = -22,
                                .lifecycle = 0x2000};
    struct sm_prov_status out;
    assert_int_equal(sm_prov_encode_status(&in, good), SM_PROV_STATUS_SIZE);
    struct sm_frame f = frame(SM_PROV_STATUS, 3, good, SM_PROV_STATUS_SIZE);
    assert_int_equal(sm_prov_parse_status(&f, &out), SM_PROV_OK);
    assert_int_equal(out.seq, 3);
    assert_int_equal(out.request, SM_PROV_LIFECYCLE);
    assert_int_equal(out.reason, SM_PROV_E_UNAUTHORISED);
    assert_int_equal(out.status, -22);
    assert_int_equal(out.lifecycle, 0x2000);
    uint8_t again[SM_FRAME_PAYLOAD_MAX];
    assert_int_equal(sm_prov_encode_status(&out, again), SM_PROV_STATUS_SIZE);
    assert_memory_equal(again, good, SM_PROV_STATUS_SIZE);
    for (unsigned reason = 0; reason <= SM_PROV_REASON_MAX; reason++) {
        assert_string_not_equal(sm_prov_reason_text((uint8_t)reason), "?");
        struct sm_prov_status s = {.request = 0, .reason = (uint8_t)reason, .lifecycle = 0};
        assert_int_equal(sm_prov_encode_status(&s, buf), SM_PROV_STATUS_SIZE);
        f = frame(SM_PROV_STATUS, 3, buf, SM_PROV_STATUS_SIZE);
        assert_int_equal(sm_prov_parse_status(&f, &out), SM_PROV_OK);
        assert_int_equal(out.reason, reason);
    }
#define EXPECT_STATUS(want)                                                                        \
    do {                                                                                           \
        assert_int_equal(sm_prov_parse_status(&f, &out), want);                                    \
        assert_int_equal(out.request, 0);                                                          \
        assert_int_equal(out.reason, 0);                                                           \
        assert_int_equal(out.status, 0);                                                           \
        assert_int_equal(out.lifecycle, 0);                                                        \
    } while (0)
    for (size_t len = 0; len <= sizeof(bad); len++) {
        if (len == SM_PROV_STATUS_SIZE) {
            continue;
        }
        memset(bad, 0, sizeof(bad));
        memcpy(bad, good, len < sizeof(bad) - 1 ? len : sizeof(bad) - 1);
        f = frame(SM_PROV_STATUS, 3, bad, len);
        EXPECT_STATUS(SM_PROV_BAD_LENGTH);
    }
    f = frame(0x82, 3, good, SM_PROV_STATUS_SIZE); /* the update protocol's STATUS */
    EXPECT_STATUS(SM_PROV_BAD_TYPE);
    for (size_t at = 2; at < 4; at++) {
        memcpy(bad, good, SM_PROV_STATUS_SIZE);
        bad[at] = 0x40;
        f = frame(SM_PROV_STATUS, 3, bad, SM_PROV_STATUS_SIZE);
        EXPECT_STATUS(SM_PROV_BAD_RESERVED);
    }
    for (unsigned t = 1; t < 256; t++) {
        if (t >= SM_PROV_HELLO && t <= SM_PROV_CHUNK) {
            continue;
        }
        memcpy(bad, good, SM_PROV_STATUS_SIZE);
        bad[0] = (uint8_t)t;
        f = frame(SM_PROV_STATUS, 3, bad, SM_PROV_STATUS_SIZE);
        EXPECT_STATUS(SM_PROV_BAD_RANGE);
        struct sm_prov_status s = {.request = (uint8_t)t};
        assert_int_equal(sm_prov_encode_status(&s, buf), -1);
    }
    for (unsigned reason = SM_PROV_REASON_MAX + 1; reason < 256; reason++) {
        memcpy(bad, good, SM_PROV_STATUS_SIZE);
        bad[1] = (uint8_t)reason;
        f = frame(SM_PROV_STATUS, 3, bad, SM_PROV_STATUS_SIZE);
        EXPECT_STATUS(SM_PROV_BAD_RANGE);
        assert_string_equal(sm_prov_reason_text((uint8_t)reason), "?");
        struct sm_prov_status s = {.reason = (uint8_t)reason};
        assert_int_equal(sm_prov_encode_status(&s, buf), -1);
    }
    for (size_t i = 0; i < sizeof(not_states) / sizeof(not_states[0]); i++) {
        if (not_states[i] == 0) {
            continue; /* 0: the device cannot say */
        }
        memcpy(bad, good, SM_PROV_STATUS_SIZE);
        for (int b = 0; b < 4; b++) {
            bad[8 + b] = (uint8_t)(not_states[i] >> (8 * b));
        }
        f = frame(SM_PROV_STATUS, 3, bad, SM_PROV_STATUS_SIZE);
        EXPECT_STATUS(SM_PROV_BAD_RANGE);
        struct sm_prov_status s = {.lifecycle = not_states[i]};
        assert_int_equal(sm_prov_encode_status(&s, buf), -1);
    }
}

/* BEGIN and CHUNK (an install package, install-package.md): round trips, each field broken. */
static void test_begin_chunk(void **state)
{
    (void)state;
    uint8_t good[SM_FRAME_PAYLOAD_MAX], bad[SM_PROV_BEGIN_SIZE];
    struct sm_prov_request r = {.type = SM_PROV_BEGIN, .chunks = 6, .length = 5000};
    memset(r.id, 0x11, 16);
    memset(r.begin_tag, 0x22, 32);
    memset(r.wrap, 0x33, sizeof(r.wrap));
    r.wrap[0] = 0x04;
    assert_int_equal(sm_prov_encode_request(&r, good), SM_PROV_BEGIN_SIZE);
    struct sm_prov_request back;
    assert_int_equal(parse_req(SM_PROV_BEGIN, good, SM_PROV_BEGIN_SIZE, &back), SM_PROV_OK);
    assert_int_equal(back.chunks, 6);
    assert_int_equal(back.length, 5000);
    assert_memory_equal(back.id, r.id, 16);
    assert_memory_equal(back.begin_tag, r.begin_tag, 32);
    assert_memory_equal(back.wrap, r.wrap, sizeof(r.wrap));
    assert_int_equal(sm_prov_encode_request(&back, buf), SM_PROV_BEGIN_SIZE);
    assert_memory_equal(buf, good, SM_PROV_BEGIN_SIZE);
    assert_int_equal(parse_req(SM_PROV_BEGIN, good, SM_PROV_BEGIN_SIZE - 1, &back),
                     SM_PROV_BAD_LENGTH);
    assert_int_equal(parse_req(SM_PROV_BEGIN, good, SM_PROV_BEGIN_SIZE + 1, &back),
                     SM_PROV_BAD_LENGTH);
    for (size_t at = 185; at < 188; at++) {
        memcpy(bad, good, sizeof(bad));
        bad[at] = 1;
        assert_int_equal(parse_req(SM_PROV_BEGIN, bad, sizeof(bad), &back), SM_PROV_BAD_RESERVED);
        assert_request_empty(&back, SM_PROV_BEGIN, 0x5C);
    }
    static const struct {
        uint32_t chunks, length;
    } counts[] = {{5, 5000}, {7, 5000}, {0, 799}, {1, 799}, {2185, 0x200001}, {0, 0}};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        memcpy(bad, good, sizeof(bad));
        bad[16] = (uint8_t)counts[i].chunks;
        bad[17] = (uint8_t)(counts[i].chunks >> 8);
        bad[20] = (uint8_t)counts[i].length;
        bad[21] = (uint8_t)(counts[i].length >> 8);
        bad[22] = (uint8_t)(counts[i].length >> 16);
        assert_int_equal(parse_req(SM_PROV_BEGIN, bad, sizeof(bad), &back), SM_PROV_BAD_RANGE);
        assert_request_empty(&back, SM_PROV_BEGIN, 0x5C);
    }
    memcpy(bad, good, sizeof(bad));
    bad[56] = 0x03; /* the wrap's point not uncompressed */
    assert_int_equal(parse_req(SM_PROV_BEGIN, bad, sizeof(bad), &back), SM_PROV_BAD_RANGE);
    r.chunks = 5;
    assert_int_equal(sm_prov_encode_request(&r, buf), -1);
    /* CHUNK: 41 to 1,000 bytes, carried as they are. */
    uint8_t chunk[SM_PROV_CHUNK_MAXLEN + 1];
    memset(chunk, 0x5A, sizeof(chunk));
    for (size_t len = 0; len <= sizeof(chunk); len++) {
        const int want = len >= SM_PROV_CHUNK_MIN && len <= SM_PROV_CHUNK_MAXLEN
                             ? SM_PROV_OK
                             : SM_PROV_BAD_LENGTH;
        assert_int_equal(parse_req(SM_PROV_CHUNK, chunk, len, &back), want);
        if (want == SM_PROV_OK) {
            assert_ptr_equal(back.chunk, chunk);
            assert_int_equal(back.chunk_len, len);
            assert_int_equal(sm_prov_encode_request(&back, buf), (int)len);
        } else {
            assert_null(back.chunk);
        }
    }
}

static void test_result(void **state)
{
    (void)state;
    uint8_t good[SM_FRAME_PAYLOAD_MAX], bad[SM_PROV_RESULT_SIZE];
    struct sm_prov_result r = {.st = {.request = SM_PROV_CHUNK, .lifecycle = 0x1000}};
    memset(r.iak_pub, 0x44, 64);
    assert_int_equal(sm_prov_encode_result(&r, good), SM_PROV_RESULT_SIZE);
    struct sm_prov_result back;
    struct sm_frame f = frame(SM_PROV_RESULT, 9, good, SM_PROV_RESULT_SIZE);
    assert_int_equal(sm_prov_parse_result(&f, &back), SM_PROV_OK);
    assert_memory_equal(back.iak_pub, r.iak_pub, 64);
    assert_int_equal(back.st.lifecycle, 0x1000);
    assert_int_equal(sm_prov_encode_result(&back, buf), SM_PROV_RESULT_SIZE);
    assert_memory_equal(buf, good, SM_PROV_RESULT_SIZE);
    f = frame(SM_PROV_STATUS, 9, good, SM_PROV_RESULT_SIZE);
    assert_int_equal(sm_prov_parse_result(&f, &back), SM_PROV_BAD_TYPE);
    f = frame(SM_PROV_RESULT, 9, good, SM_PROV_RESULT_SIZE - 1);
    assert_int_equal(sm_prov_parse_result(&f, &back), SM_PROV_BAD_LENGTH);
    static const struct {
        size_t at;
        uint8_t v;
        int want;
    } m[] = {{0, SM_PROV_BEGIN, SM_PROV_BAD_RANGE}, {1, SM_PROV_E_TAMPERED, SM_PROV_BAD_RANGE},
             {2, 1, SM_PROV_BAD_RESERVED},          {4, 0xFF, SM_PROV_BAD_RANGE},
             {8, 0x01, SM_PROV_BAD_RANGE},          {0, 0x99, SM_PROV_BAD_RANGE}};
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        memcpy(bad, good, sizeof(bad));
        bad[m[i].at] = m[i].v;
        f = frame(SM_PROV_RESULT, 9, bad, sizeof(bad));
        assert_int_equal(sm_prov_parse_result(&f, &back), m[i].want);
        assert_int_equal(back.st.request, 0);
    }
    memcpy(bad, good, sizeof(bad));
    memset(bad + 12, 0, 64); /* no key */
    f = frame(SM_PROV_RESULT, 9, bad, sizeof(bad));
    assert_int_equal(sm_prov_parse_result(&f, &back), SM_PROV_BAD_RANGE);
    memset(r.iak_pub, 0, 64);
    assert_int_equal(sm_prov_encode_result(&r, buf), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_requests), cmocka_unit_test(test_info),
        cmocka_unit_test(test_status),   cmocka_unit_test(test_begin_chunk),
        cmocka_unit_test(test_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
