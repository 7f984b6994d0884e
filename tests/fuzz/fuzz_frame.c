/*
 * fuzz_frame.c: libFuzzer harness for the serial line's frame decoder (protocol/sm_frame.h).
 *
 * Input: [0] mode: bit 0 clear, the rest is fed as it is, byte by byte; bit 0 set, the rest is
 * split into payloads (a length byte, then that many bytes) which are encoded and sent with
 * the input's other bytes between them as noise.
 * Oracles:
 * - every frame the decoder reports is literally in the stream, ending at the byte just fed:
 *   0xA5 0x5A, its type, sequence, length and payload, and a CRC-32 a table-driven CRC of the
 *   harness's own (not the codec's) computes over them; its length is at most the maximum;
 * - in mode 1, every encoded frame sent after a clean point (the decoder between frames) is
 *   received, with its exact contents;
 * - the decoder never reads or writes outside its state (ASan) and never reports a frame twice.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "sm_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t table[256];

static uint32_t ref_crc(const uint8_t *p, size_t n)
{
    if (table[1] == 0) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[i] = c;
        }
    }
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    }
    return c ^ 0xFFFFFFFFu;
}

static uint8_t stream[1 << 17];
static struct sm_frame_rx rx;

/* The frame just reported must be the bytes of the stream that end at `end` (exclusive). */
static void check_reported(size_t end)
{
    const struct sm_frame *f = &rx.frame;
    const size_t n = SM_FRAME_HEADER + f->len + SM_FRAME_CRC;
    if (f->len > SM_FRAME_PAYLOAD_MAX || end < n) {
        fuzz_fail("a frame of %u bytes ends at %zu", f->len, end);
    }
    const uint8_t *p = stream + end - n;
    if (p[0] != 0xA5 || p[1] != 0x5A || p[2] != f->type || p[3] != f->seq ||
        fuzz_le16(p + 4) != f->len || memcmp(p + SM_FRAME_HEADER, f->payload, f->len) != 0) {
        fuzz_fail("a reported frame is not the bytes that came");
    }
    const uint32_t crc = ref_crc(p + 2, SM_FRAME_HEADER - 2 + f->len);
    const uint8_t *c = p + SM_FRAME_HEADER + f->len;
    if (fuzz_le32(c) != crc) {
        fuzz_fail("a frame with a wrong CRC was reported");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return -1;
    }
    const bool encode = (data[0] & 1u) != 0;
    static struct {
        size_t start, end; /* where the frame lies in the stream */
        bool clean;        /* it began while the decoder was between frames */
        bool received;
    } sent[256];
    size_t n = 0, n_sent = 0;
    if (!encode) {
        n = size - 1 < sizeof(stream) ? size - 1 : sizeof(stream);
        memcpy(stream, data + 1, n);
    } else {
        /* Repeated: a payload length byte (times 4), the payload, a noise length byte (mod
         * 8), the noise. The frame's type is its length byte, its sequence its number. */
        size_t i = 1;
        while (i < size && n_sent < 256) {
            const uint8_t type = data[i];
            size_t len = data[i++] * 4u;
            len = len > size - i ? size - i : len;
            const size_t w = sm_frame_encode(type, (uint8_t)n_sent, data + i, len, stream + n,
                                             sizeof(stream) - n);
            if (w == 0) {
                break;
            }
            sent[n_sent].start = n;
            n += w;
            sent[n_sent].end = n;
            sent[n_sent].clean = false;
            sent[n_sent].received = false;
            n_sent++;
            i += len;
            if (i < size) {
                size_t noise = data[i++] % 8u;
                noise = noise > size - i ? size - i : noise;
                if (noise > sizeof(stream) - n) {
                    break;
                }
                memcpy(stream + n, data + i, noise);
                n += noise;
                i += noise;
            }
        }
    }
    sm_frame_rx_init(&rx);
    size_t s_next = 0, s_end = 0;
    for (size_t k = 0; k < n; k++) {
        if (s_next < n_sent && k == sent[s_next].start) {
            sent[s_next].clean = sm_frame_between(&rx) != 0;
            s_end = s_next++;
        }
        if (sm_frame_feed(&rx, stream[k]) == SM_FRAME_OK) {
            check_reported(k + 1);
            if (s_next > 0 && k + 1 == sent[s_end].end) {
                if (sent[s_end].received || rx.frame.seq != (uint8_t)s_end) {
                    fuzz_fail("frame %zu received twice, or as another", s_end);
                }
                sent[s_end].received = true;
            }
        }
    }
    for (size_t i = 0; i < n_sent; i++) {
        if (sent[i].clean && !sent[i].received) {
            fuzz_fail("frame %zu, sent while the decoder was between frames, was lost", i);
        }
    }
    return 0;
}
