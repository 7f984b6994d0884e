/*
 * sm_frame.c: see sm_frame.h. The decoder takes one byte at a time, so a device can feed it
 * from its UART as bytes come and a host from whatever its reads return; it checks the length
 * before taking a payload byte, and the CRC before reporting anything.
 */
#include "sm_frame.h"

#include <string.h>

enum { S_SOF0, S_SOF1, S_TYPE, S_SEQ, S_LEN0, S_LEN1, S_PAYLOAD, S_CRC };

uint32_t sm_frame_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

size_t sm_frame_encode(uint8_t type, uint8_t seq, const uint8_t *payload, size_t len, uint8_t *out,
                       size_t cap)
{
    if (len > SM_FRAME_PAYLOAD_MAX || cap < SM_FRAME_HEADER + len + SM_FRAME_CRC ||
        (len != 0u && payload == NULL)) {
        return 0;
    }
    out[0] = SM_FRAME_SOF0;
    out[1] = SM_FRAME_SOF1;
    out[2] = type;
    out[3] = seq;
    out[4] = (uint8_t)len;
    out[5] = (uint8_t)(len >> 8);
    if (len != 0u) {
        memcpy(out + SM_FRAME_HEADER, payload, len);
    }
    const uint32_t crc = sm_frame_crc32(0, out + 2, SM_FRAME_HEADER - 2u + len);
    uint8_t *c = out + SM_FRAME_HEADER + len;
    c[0] = (uint8_t)crc;
    c[1] = (uint8_t)(crc >> 8);
    c[2] = (uint8_t)(crc >> 16);
    c[3] = (uint8_t)(crc >> 24);
    return SM_FRAME_HEADER + len + SM_FRAME_CRC;
}

void sm_frame_rx_init(struct sm_frame_rx *rx)
{
    memset(rx, 0, sizeof(*rx));
    rx->state = S_SOF0;
}

int sm_frame_between(const struct sm_frame_rx *rx)
{
    return rx->state == S_SOF0 || rx->state == S_SOF1;
}

static enum sm_frame_status finish(struct sm_frame_rx *rx)
{
    const uint8_t head[4] = {rx->type, rx->seq, (uint8_t)rx->len, (uint8_t)(rx->len >> 8)};
    uint32_t crc = sm_frame_crc32(0, head, sizeof(head));
    crc = sm_frame_crc32(crc, rx->buf, rx->len);
    const uint32_t got = (uint32_t)rx->crc_bytes[0] | (uint32_t)rx->crc_bytes[1] << 8 |
                         (uint32_t)rx->crc_bytes[2] << 16 | (uint32_t)rx->crc_bytes[3] << 24;
    rx->state = S_SOF0;
    if (crc != got) {
        return SM_FRAME_E_CRC;
    }
    rx->frame.type = rx->type;
    rx->frame.seq = rx->seq;
    rx->frame.len = rx->len;
    rx->frame.payload = rx->buf;
    return SM_FRAME_OK;
}

enum sm_frame_status sm_frame_feed(struct sm_frame_rx *rx, uint8_t byte)
{
    switch (rx->state) {
    case S_SOF0:
        if (byte == SM_FRAME_SOF0) {
            rx->state = S_SOF1;
        } else {
            rx->skipped++;
        }
        return SM_FRAME_MORE;
    case S_SOF1:
        if (byte == SM_FRAME_SOF1) {
            rx->state = S_TYPE;
        } else {
            rx->skipped++; /* the 0xA5 before it */
            if (byte != SM_FRAME_SOF0) {
                rx->skipped++;
                rx->state = S_SOF0;
            }
        }
        return SM_FRAME_MORE;
    case S_TYPE:
        rx->type = byte;
        rx->state = S_SEQ;
        return SM_FRAME_MORE;
    case S_SEQ:
        rx->seq = byte;
        rx->state = S_LEN0;
        return SM_FRAME_MORE;
    case S_LEN0:
        rx->len = byte;
        rx->state = S_LEN1;
        return SM_FRAME_MORE;
    case S_LEN1:
        rx->len = (uint16_t)(rx->len | byte << 8);
        rx->pos = 0;
        rx->crc_pos = 0;
        if (rx->len > SM_FRAME_PAYLOAD_MAX) {
            rx->state = S_SOF0;
            return SM_FRAME_E_LENGTH;
        }
        rx->state = rx->len != 0u ? S_PAYLOAD : S_CRC;
        return SM_FRAME_MORE;
    case S_PAYLOAD:
        rx->buf[rx->pos++] = byte; /* pos < len <= SM_FRAME_PAYLOAD_MAX */
        if (rx->pos == rx->len) {
            rx->state = S_CRC;
        }
        return SM_FRAME_MORE;
    case S_CRC:
        rx->crc_bytes[rx->crc_pos++] = byte;
        return rx->crc_pos == SM_FRAME_CRC ? finish(rx) : SM_FRAME_MORE;
    default:
        rx->state = S_SOF0; /* a state no code sets: start over */
        return SM_FRAME_MORE;
    }
}
