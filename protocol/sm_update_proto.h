/*
 * sm_update_proto.h: the firmware update's messages over the serial line, carried in sm_frame
 * frames (docs/design/serial-frames.md, "The update protocol"): `smtool update` on the host,
 * the NS updater (ns/examples/updater) on the device.
 *
 * Requests go from the host to the device, one at a time (stop and wait); the device answers
 * each with a reply carrying the request's sequence number. All integers are little endian.
 * A request that names a component has a 4-byte component header: component id, then three
 * zero bytes (so the data of a DATA frame starts on a multiple of 8 in the payload).
 *
 *   type  request   payload                                      reply
 *   0x01  HELLO     (empty)                                      INFO
 *   0x02  START     component header, size (4)                   STATUS
 *   0x03  DATA      component header, offset (4), 1..SM_UP_DATA_MAX bytes   STATUS
 *   0x04  FINISH    component header                             STATUS
 *   0x05  INSTALL   (empty)                                      STATUS
 *   0x06  REBOOT    (empty)                                      STATUS, then the device reboots
 *   0x07  CLEAN     component header                             STATUS
 *
 *   0x81  INFO      version (1), count (1), 0 (2), boot count (4), then count records of
 *                   SM_UP_COMPONENT_SIZE: id (1), state (1), 0 (2), error (4, signed),
 *                   version major (1), minor (1), patch (2), build (4), max size (4), flags (4)
 *   0x82  STATUS    request type (1), component (1, 0xFF none), state after (1, 0xFF unknown),
 *                   reason (1, enum sm_up_reason), status (4, signed PSA status),
 *                   value (4: for DATA, the bytes received in order so far)
 *
 * Contract:
 * - Each parser is a function of the frame (type, sequence, payload) alone: it checks the
 *   frame's type, the exact payload length, every reserved byte (zero), every field's range,
 *   and fills `out` only with values that passed; on any failure it returns the reason
 *   (negative) and `out` holds only the frame's type and sequence. A DATA request's `data`
 *   points into the frame's payload. Nothing is read past f->payload + f->len.
 * - A request that parses is encoded back by sm_up_encode_request into the very same payload
 *   (there is one encoding of each message).
 * - The encoders write at most SM_FRAME_PAYLOAD_MAX bytes and return the payload length (0 for
 *   an empty payload), or -1 for a message they refuse to encode (a field out of range: the
 *   parsers' rules).
 */
#ifndef SM_UPDATE_PROTO_H
#define SM_UPDATE_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "sm_frame.h"

#define SM_UP_VERSION 1u

enum sm_up_type {
    SM_UP_HELLO = 0x01,
    SM_UP_START = 0x02,
    SM_UP_DATA = 0x03,
    SM_UP_FINISH = 0x04,
    SM_UP_INSTALL = 0x05,
    SM_UP_REBOOT = 0x06,
    SM_UP_CLEAN = 0x07,
    SM_UP_INFO = 0x81,
    SM_UP_STATUS = 0x82,
};

/* Replies have bit 7 set: a device ignores them, a host ignores requests. */
#define SM_UP_REPLY_BIT 0x80u

#define SM_UP_COMPONENT_HEADER 4u
#define SM_UP_DATA_HEADER      (SM_UP_COMPONENT_HEADER + 4u)
/* The largest DATA block: the most whole 16-byte program units a frame holds after its
 * header (1,008 bytes), so that every block but the last keeps the next offset aligned. */
#define SM_UP_DATA_ALIGN       16u
#define SM_UP_DATA_MAX                                                                             \
    ((SM_FRAME_PAYLOAD_MAX - SM_UP_DATA_HEADER) / SM_UP_DATA_ALIGN * SM_UP_DATA_ALIGN)
#define SM_UP_COMPONENT_MAX  7u /* component ids 0..6 (psa/update.h: PSA_FWU_COMPONENT_COUNT) */
#define SM_UP_STATE_MAX      7u /* component states 0..7 (PSA_FWU_READY..PSA_FWU_UPDATED) */
#define SM_UP_NONE           0xFFu
#define SM_UP_INFO_HEADER    8u
#define SM_UP_COMPONENT_SIZE 24u
#define SM_UP_INFO_MAX       (SM_UP_INFO_HEADER + SM_UP_COMPONENT_MAX * SM_UP_COMPONENT_SIZE)
#define SM_UP_STATUS_SIZE    12u

/* Why a STATUS says what it says. */
enum sm_up_reason {
    SM_UP_BY_SERVICE = 0,    /* status: what the update service (psa_fwu_*) returned */
    SM_UP_E_MALFORMED = 1,   /* the request did not parse (status INVALID_ARGUMENT) */
    SM_UP_E_NO_SESSION = 2,  /* a request before HELLO in this boot (status BAD_STATE) */
    SM_UP_E_NOT_STARTED = 3, /* DATA or FINISH with no START of that component (BAD_STATE) */
    SM_UP_E_BOUNDS = 4,      /* size over the component's maximum, or data past the size, or
                                a block that would leave the next offset unaligned
                                (INVALID_ARGUMENT) */
    SM_UP_E_INCOMPLETE = 5,  /* FINISH before every byte arrived (INSUFFICIENT_DATA) */
    SM_UP_E_UNKNOWN = 6,     /* a request type this device does not know (NOT_SUPPORTED) */
    SM_UP_REASON_MAX = 6,
};

/* Why a message did not parse. */
enum sm_up_parse_error {
    SM_UP_OK = 0,
    SM_UP_BAD_TYPE = -1,      /* not this kind of message */
    SM_UP_BAD_LENGTH = -2,    /* payload length wrong for the type */
    SM_UP_BAD_RESERVED = -3,  /* a reserved byte is not zero */
    SM_UP_BAD_COMPONENT = -4, /* component id out of range */
    SM_UP_BAD_ALIGN = -5,     /* DATA offset not a multiple of 16 */
    SM_UP_BAD_RANGE = -6,     /* START size 0; DATA offset + length wraps; INFO count, state,
                                 reason or version out of range */
};

struct sm_up_request {
    uint8_t type, seq;
    uint8_t component; /* START, DATA, FINISH, CLEAN */
    uint32_t size;     /* START */
    uint32_t offset;   /* DATA */
    const uint8_t *data;
    uint16_t data_len; /* DATA */
};

struct sm_up_component {
    uint8_t id, state;
    int32_t error;
    uint8_t major, minor;
    uint16_t patch;
    uint32_t build;
    uint32_t max_size;
    uint32_t flags;
};

struct sm_up_info {
    uint8_t seq;
    uint8_t version;
    uint8_t count;
    uint32_t boot_count;
    struct sm_up_component c[SM_UP_COMPONENT_MAX];
};

struct sm_up_status {
    uint8_t seq;
    uint8_t request, component, state, reason;
    int32_t status;
    uint32_t value;
};

int sm_up_parse_request(const struct sm_frame *f, struct sm_up_request *out);
int sm_up_parse_info(const struct sm_frame *f, struct sm_up_info *out);
int sm_up_parse_status(const struct sm_frame *f, struct sm_up_status *out);

int sm_up_encode_request(const struct sm_up_request *r, uint8_t out[SM_FRAME_PAYLOAD_MAX]);
int sm_up_encode_info(const struct sm_up_info *i, uint8_t out[SM_FRAME_PAYLOAD_MAX]);
int sm_up_encode_status(const struct sm_up_status *s, uint8_t out[SM_FRAME_PAYLOAD_MAX]);

/* The request's name as messages spell it ("start", "data", ...), "?" if unknown. */
const char *sm_up_request_name(uint8_t type);

#endif /* SM_UPDATE_PROTO_H */
