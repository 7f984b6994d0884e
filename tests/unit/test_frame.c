/*
 * test_frame.c: the serial line's frames (protocol/sm_frame.h): the CRC's check value, every
 * payload length through encode and decode, noise between frames, a length over the maximum, a
 * bit flipped anywhere, a frame cut short, and encode's refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sm_frame.h"

static struct sm_frame_rx rx;
static uint8_t wire[4 * SM_FRAME_MAX];

/* Feeds n bytes; returns the number of frames received, the last one's status in *last. */
static int feed(const uint8_t *p, size_t n, enum sm_frame_status *last)
{
    int frames = 0;
    *last = SM_FRAME_MORE;
    for (size_t i = 0; i < n; i++) {
        enum sm_frame_status s = sm_frame_feed(&rx, p[i]);
        if (s != SM_FRAME_MORE) {
            *last = s;
        }
        frames += s == SM_FRAME_OK;
    }
    return frames;
}

static void test_crc_check_value(void **state)
{
    (void)state;
    assert_int_equal(sm_frame_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
    /* In two pieces, the same. */
    uint32_t c = sm_frame_crc32(0, (const uint8_t *)"1234", 4);
    assert_int_equal(sm_frame_crc32(c, (const uint8_t *)"56789", 5), 0xCBF43926u);
}

static void test_round_trip_every_length(void **state)
{
    (void)state;
    static uint8_t payload[SM_FRAME_PAYLOAD_MAX];
    for (size_t i = 0; i < sizeof(payload); i++) {
        payload[i] = (uint8_t)(i * 7u + 1u);
    }
    sm_frame_rx_init(&rx);
    for (size_t len = 0; len <= SM_FRAME_PAYLOAD_MAX; len += len < 40 ? 1 : 97) {
        size_t n = sm_frame_encode(3, (uint8_t)len, payload, len, wire, sizeof(wire));
        assert_int_equal(n, SM_FRAME_HEADER + len + SM_FRAME_CRC);
        enum sm_frame_status last;
        assert_int_equal(feed(wire, n, &last), 1);
        assert_int_equal(last, SM_FRAME_OK);
        assert_int_equal(rx.frame.type, 3);
        assert_int_equal(rx.frame.seq, (uint8_t)len);
        assert_int_equal(rx.frame.len, len);
        assert_memory_equal(rx.frame.payload, payload, len);
    }
    size_t n = sm_frame_encode(9, 1, payload, SM_FRAME_PAYLOAD_MAX, wire, sizeof(wire));
    enum sm_frame_status last;
    assert_int_equal(feed(wire, n, &last), 1);
    assert_int_equal(rx.frame.len, SM_FRAME_PAYLOAD_MAX);
    assert_int_equal(rx.skipped, 0);
}

static void test_noise_between_frames(void **state)
{
    (void)state;
    sm_frame_rx_init(&rx);
    static const uint8_t noise[] = {0x00, 0xA5, 0xA5, 0x13, 0x5A, 0xFF, 0xA5};
    size_t n = 0;
    memcpy(wire, noise, sizeof(noise));
    n += sizeof(noise);
    n += sm_frame_encode(1, 2, (const uint8_t *)"abc", 3, wire + n, sizeof(wire) - n);
    memcpy(wire + n, noise, sizeof(noise));
    n += sizeof(noise);
    n += sm_frame_encode(1, 3, (const uint8_t *)"de", 2, wire + n, sizeof(wire) - n);
    enum sm_frame_status last;
    assert_int_equal(feed(wire, n, &last), 2);
    assert_int_equal(rx.frame.seq, 3);
    assert_memory_equal(rx.frame.payload, "de", 2);
    /* Every noise byte counted, the trailing 0xA5s of each too (one A5 then the frame's own
     * A5 5A: the first A5 was noise). */
    assert_int_equal(rx.skipped, 2 * sizeof(noise));
}

static void test_length_over_the_maximum(void **state)
{
    (void)state;
    sm_frame_rx_init(&rx);
    const uint8_t big[] = {SM_FRAME_SOF0, SM_FRAME_SOF1, 1, 0, 0x01, 0x04}; /* 1025 bytes */
    enum sm_frame_status last;
    assert_int_equal(feed(big, sizeof(big), &last), 0);
    assert_int_equal(last, SM_FRAME_E_LENGTH);
    size_t n = sm_frame_encode(1, 1, (const uint8_t *)"ok", 2, wire, sizeof(wire));
    assert_int_equal(feed(wire, n, &last), 1); /* the next frame is received */
    assert_int_equal(sm_frame_encode(1, 1, wire, SM_FRAME_PAYLOAD_MAX + 1u, wire, sizeof(wire)), 0);
}

/* A bit flipped anywhere: that frame is never received with other contents; the next is. */
static void test_flipped_bits(void **state)
{
    (void)state;
    const uint8_t payload[] = "a payload of some length";
    uint8_t good[64];
    const size_t n = sm_frame_encode(7, 9, payload, sizeof(payload), good, sizeof(good));
    for (size_t i = 0; i < n; i++) {
        for (int b = 0; b < 8; b++) {
            sm_frame_rx_init(&rx);
            memcpy(wire, good, n);
            wire[i] ^= (uint8_t)(1u << b);
            /* The damaged frame, padding so that a longer length read is used up, then a good
             * frame twice: at most the first may be swallowed by the damaged one. */
            size_t m = n;
            memset(wire + m, 0, SM_FRAME_PAYLOAD_MAX);
            m += SM_FRAME_PAYLOAD_MAX;
            memcpy(wire + m, good, n);
            m += n;
            memcpy(wire + m, good, n);
            m += n;
            int frames = 0;
            for (size_t k = 0; k < m; k++) {
                if (sm_frame_feed(&rx, wire[k]) == SM_FRAME_OK) {
                    frames++;
                    if (rx.frame.len != sizeof(payload) ||
                        memcmp(rx.frame.payload, payload, sizeof(payload)) != 0 ||
                        rx.frame.type != 7 || rx.frame.seq != 9 || k < n) {
                        fail_msg("byte %zu bit %d: a damaged frame was received", i, b);
                    }
                }
            }
            if (frames < 1) {
                fail_msg("byte %zu bit %d: the stream did not recover", i, b);
            }
        }
    }
}

static void test_cut_short(void **state)
{
    (void)state;
    sm_frame_rx_init(&rx);
    size_t n = sm_frame_encode(1, 1, (const uint8_t *)"0123456789", 10, wire, sizeof(wire));
    size_t cut = n - 5; /* the line dropped the end */
    size_t m = cut;
    for (int k = 0; k < 2; k++) {
        m += sm_frame_encode(1, (uint8_t)(2 + k), (const uint8_t *)"xy", 2, wire + m,
                             sizeof(wire) - m);
    }
    enum sm_frame_status last;
    int frames = feed(wire, m, &last);
    assert_true(frames >= 1);
    assert_int_equal(rx.frame.seq, 3); /* the last one always arrives */
}

static void test_encode_refusals(void **state)
{
    (void)state;
    uint8_t small[SM_FRAME_HEADER + 3 + SM_FRAME_CRC - 1];
    assert_int_equal(sm_frame_encode(1, 1, (const uint8_t *)"abc", 3, small, sizeof(small)), 0);
    assert_int_equal(sm_frame_encode(1, 1, NULL, 3, wire, sizeof(wire)), 0);
    assert_int_equal(sm_frame_encode(1, 1, NULL, 0, wire, sizeof(wire)),
                     SM_FRAME_HEADER + SM_FRAME_CRC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_check_value),      cmocka_unit_test(test_round_trip_every_length),
        cmocka_unit_test(test_noise_between_frames), cmocka_unit_test(test_length_over_the_maximum),
        cmocka_unit_test(test_flipped_bits),         cmocka_unit_test(test_cut_short),
        cmocka_unit_test(test_encode_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
