/*
 * sm_frame.h: the framed, checksummed messages of the serial line between a host tool (smtool)
 * and a device (the NS updater of the firmware update, later the provisioning stage),
 * docs/design/serial-frames.md.
 *
 * A frame on the wire:
 *   0xA5 0x5A | type (1) | sequence (1) | payload length (2, LE) | payload | CRC-32 (4, LE)
 * The CRC (IEEE 802.3, reflected, as zlib's crc32) covers type, sequence, length and payload.
 * The payload is at most SM_FRAME_PAYLOAD_MAX bytes.
 *
 * Contract:
 * - sm_frame_encode writes one frame into out (cap bytes) and returns its length, or 0 if it
 *   does not fit or the payload is too long. A function of its arguments.
 * - The decoder is a function of its state and the bytes fed: sm_frame_rx_init, then
 *   sm_frame_feed for each byte received. It returns SM_FRAME_MORE until a whole frame has
 *   arrived, then SM_FRAME_OK with the frame in rx->frame (valid until the next feed); a frame
 *   whose length is over the maximum (SM_FRAME_E_LENGTH) or whose CRC does not match
 *   (SM_FRAME_E_CRC) is dropped with that status. Between frames, and after a dropped one,
 *   every byte up to the next 0xA5 0x5A is skipped (counted in rx->skipped): noise on the line
 *   or a frame cut short costs that frame, never the stream. Nothing is ever written outside
 *   the state.
 * - sm_frame_crc32 is the CRC over a buffer, continuing from `crc` (0 to start).
 */
#ifndef SM_FRAME_H
#define SM_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define SM_FRAME_SOF0        0xA5u
#define SM_FRAME_SOF1        0x5Au
#define SM_FRAME_HEADER      6u /* SOF (2), type, sequence, length (2) */
#define SM_FRAME_CRC         4u
#define SM_FRAME_PAYLOAD_MAX 1024u
#define SM_FRAME_MAX         (SM_FRAME_HEADER + SM_FRAME_PAYLOAD_MAX + SM_FRAME_CRC)

enum sm_frame_status {
    SM_FRAME_MORE = 0,
    SM_FRAME_OK = 1,
    SM_FRAME_E_LENGTH = -1,
    SM_FRAME_E_CRC = -2,
};

struct sm_frame {
    uint8_t type;
    uint8_t seq;
    uint16_t len;
    const uint8_t *payload;
};

struct sm_frame_rx {
    uint8_t state; /* private */
    uint8_t type, seq;
    uint16_t len, pos;
    uint8_t crc_bytes[SM_FRAME_CRC];
    uint8_t crc_pos;
    uint8_t buf[SM_FRAME_PAYLOAD_MAX];
    uint32_t skipped; /* bytes outside frames so far */
    struct sm_frame frame;
};

uint32_t sm_frame_crc32(uint32_t crc, const uint8_t *p, size_t n);
size_t sm_frame_encode(uint8_t type, uint8_t seq, const uint8_t *payload, size_t len, uint8_t *out,
                       size_t cap);
void sm_frame_rx_init(struct sm_frame_rx *rx);
/* Whether the decoder is between frames (a frame starting now is received whole). */
int sm_frame_between(const struct sm_frame_rx *rx);
enum sm_frame_status sm_frame_feed(struct sm_frame_rx *rx, uint8_t byte);

#endif /* SM_FRAME_H */
