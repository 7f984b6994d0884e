/*
 * fuzz_frames.c: see fuzz_frames.h.
 */
#include "fuzz_frames.h"

#include <stdlib.h>
#include <string.h>

#include "sm_frame.h"

int fuzz_frames(const uint8_t *data, size_t size, fuzz_frame_check check)
{
    if (size < 1) {
        return -1;
    }
    if (data[0] & 1u) {
        if (size < 3 || size - 3 > SM_FRAME_PAYLOAD_MAX) {
            return -1;
        }
        const size_t len = size - 3;
        uint8_t *p = malloc(len != 0 ? len : 1);
        if (p == NULL) {
            return -1;
        }
        memcpy(p, data + 3, len);
        check(data[1], data[2], p, len);
        free(p);
        return 0;
    }
    static struct sm_frame_rx rx;
    sm_frame_rx_init(&rx);
    for (size_t i = 1; i < size; i++) {
        if (sm_frame_feed(&rx, data[i]) == SM_FRAME_OK) {
            check(rx.frame.type, rx.frame.seq, rx.frame.payload, rx.frame.len);
        }
    }
    return 0;
}
