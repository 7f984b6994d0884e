/*
 * sm_prov_proto.h: the provisioning protocol's messages over the serial line, carried in
 * sm_frame frames (docs/design/serial-frames.md, "The provisioning protocol"): the programmer
 * (smtool device info --port, smtool lifecycle --port) on the host, the provisioning stage on
 * the device, which speaks it in ASSEMBLY_AND_TEST and PSA_ROT_PROVISIONING only
 * (docs/design/lifecycle.md).
 *
 * Its types are apart from the update protocol's (0x01..0x07, 0x81, 0x82), so a frame of one
 * is never read as the other's. Requests go from the host to the device, one at a time; the
 * device answers each with a reply carrying the request's sequence number. Little endian.
 *
 *   type  request    payload                                                   reply
 *   0x21  HELLO      (empty)                                                   INFO
 *   0x22  LIFECYCLE  to (4, a lifecycle state), transitions (4: the number the  STATUS
 *                    device reported, which an authorisation is bound to),
 *                    flags (1: bit 0 signed), 0 (3), signature (64: ECDSA P-256
 *                    r || s by the OEM's key when signed, all zero otherwise)
 *
 *   0x23  BEGIN      package id (16), chunks (4), length (4), begin tag (32),  STATUS
 *                    the package key wrapped for the chip (129, ENC_EC256), 0 (3)
 *   0x24  CHUNK      a chunk (sm_pkg.h: index 4, length 2, flags 1, 0 1,      STATUS, or
 *                    ciphertext, tag 32), 41 to 1,000 bytes                    RESULT (last)
 *
 *   0xA1  INFO       version (1), 0 (1), flags (2: bit 0 the device record is
 *                    there, bit 1 a chip record is: a development device has
 *                    none, and zeros in its place), lifecycle (4, a state), transitions (4), the
 * chip certificate (184, struct bl_chip_cert's bytes; read by sm_chip_cert_parse, not here) 0xA2
 * STATUS     request type (1), reason (1, enum sm_prov_reason), 0 (2), status (4, signed: the boot
 * core's bl_status), lifecycle after (4, a state, or 0 if the device cannot say)
 *
 * 0xA3 RESULT     STATUS's 12 bytes (request CHUNK, reason 0), the IAK's public key (64, x || y)
 *
 * Contract (as sm_update_proto.h's):
 * - Each parser is a function of the frame (type, sequence, payload) alone: it checks the
 *   type, the exact payload length, every reserved byte (zero), every field's range (a state
 *   is one of the six; flags only the bits defined; an unsigned LIFECYCLE carries an all-zero
 *   signature), and fills `out` only with values that passed; on any failure it returns the
 *   reason (negative) and `out` holds only the frame's type and sequence. Nothing is read past
 *   f->payload + f->len. INFO's certificate points into the payload.
 * - There is one encoding of each message: a message that parses encodes back to the same
 *   payload; the encoders refuse (-1) what the parsers refuse, and otherwise return the
 *   payload length (at most SM_FRAME_PAYLOAD_MAX).
 */
#ifndef SM_PROV_PROTO_H
#define SM_PROV_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sm_frame.h"

#define SM_PROV_VERSION 1u

enum sm_prov_type {
    SM_PROV_HELLO = 0x21,
    SM_PROV_LIFECYCLE = 0x22,
    SM_PROV_BEGIN = 0x23, /* an install package's start (install-package.md) */
    SM_PROV_CHUNK = 0x24, /* one chunk of its stream */
    SM_PROV_INFO = 0xA1,
    SM_PROV_STATUS = 0xA2,
    SM_PROV_RESULT = 0xA3, /* the answer to the last CHUNK once installed */
};

#define SM_PROV_CERT_SIZE      184u /* sizeof(struct bl_chip_cert) */
#define SM_PROV_LIFECYCLE_SIZE 76u
#define SM_PROV_INFO_SIZE      (12u + SM_PROV_CERT_SIZE)
#define SM_PROV_STATUS_SIZE    12u
#define SM_PROV_BEGIN_SIZE     188u /* id 16, chunks 4, length 4, begin tag 32, wrap 129, 0 (3) */
#define SM_PROV_CHUNK_MIN      41u  /* sm_pkg.h: header 8, 1 byte, tag 32 */
#define SM_PROV_CHUNK_MAXLEN   1000u
#define SM_PROV_RESULT_SIZE                                                                        \
    (SM_PROV_STATUS_SIZE + 64u)  /* STATUS's fields, the IAK's public key                          \
                                  */
#define SM_PROV_SIGNED     0x01u /* LIFECYCLE flags */
#define SM_PROV_HAS_DEVICE 0x01u /* INFO flags: the device record is there */
#define SM_PROV_HAS_CHIP   0x02u /* INFO flags: a chip record (else the certificate is zero) */
#define SM_PROV_INFO_FLAGS (SM_PROV_HAS_DEVICE | SM_PROV_HAS_CHIP)

/* Why a STATUS says what it says. */
enum sm_prov_reason {
    SM_PROV_DONE = 0,           /* the request was carried out (status BL_OK) */
    SM_PROV_E_MALFORMED = 1,    /* it did not parse */
    SM_PROV_E_UNKNOWN = 2,      /* a request type the stage does not know */
    SM_PROV_E_NOT_ALLOWED = 3,  /* the lifecycle does not move from its state to that one */
    SM_PROV_E_UNAUTHORISED = 4, /* the move needs the OEM's signature: missing or wrong */
    SM_PROV_E_STALE = 5,        /* the transitions count is not the device's (a replay) */
    SM_PROV_E_STORE = 6,        /* the store failed (status: the boot core's reason) */
    SM_PROV_E_LOCKED = 7,       /* the device is in no provisioning state: it takes nothing */
    SM_PROV_E_NOT_FOR_CHIP = 8, /* the package key does not unwrap with this chip's key */
    SM_PROV_E_TAMPERED = 9,     /* a package tag (BEGIN's or a chunk's) does not verify */
    SM_PROV_E_SEQUENCE = 10,    /* a chunk without BEGIN, out of order, or past the end */
    SM_PROV_E_CONFIG = 11,      /* the package's configuration is refused */
    SM_PROV_E_PROVISIONED = 12, /* the device already has its device record */
    SM_PROV_E_IMAGE = 13,       /* an image of the package is refused */
    SM_PROV_E_WRITE = 14,       /* writing the records failed (a unit holds other bytes) */
    SM_PROV_REASON_MAX = 14,
};

/* Why a message did not parse. */
enum sm_prov_parse_error {
    SM_PROV_OK = 0,
    SM_PROV_BAD_TYPE = -1,     /* not this kind of message */
    SM_PROV_BAD_LENGTH = -2,   /* payload length wrong for the type */
    SM_PROV_BAD_RESERVED = -3, /* a reserved byte or an undefined flag bit is set */
    SM_PROV_BAD_RANGE = -4,    /* a state that is none of the six; version, request type or
                                  reason out of range; a signature on an unsigned request */
};

struct sm_prov_request {
    uint8_t type, seq;
    uint32_t to;          /* LIFECYCLE */
    uint32_t transitions; /* LIFECYCLE */
    bool is_signed;       /* LIFECYCLE */
    uint8_t sig[64];      /* LIFECYCLE, when signed */
    /* BEGIN */
    uint8_t id[16];
    uint32_t chunks, length;
    uint8_t begin_tag[32];
    uint8_t wrap[129];
    /* CHUNK: the payload as it came (sm_pkg_parse_chunk reads it, bound to BEGIN's counts) */
    const uint8_t *chunk;
    uint16_t chunk_len;
};

struct sm_prov_info {
    uint8_t seq;
    uint8_t version;
    uint16_t flags;
    uint32_t lifecycle;
    uint32_t transitions;
    const uint8_t *cert; /* SM_PROV_CERT_SIZE bytes in the frame's payload */
};

struct sm_prov_status {
    uint8_t seq;
    uint8_t request, reason;
    int32_t status;
    uint32_t lifecycle; /* 0: unknown */
};

/* RESULT: STATUS's fields (request CHUNK, reason DONE) and the IAK's public key. */
struct sm_prov_result {
    struct sm_prov_status st;
    uint8_t iak_pub[64];
};

bool sm_prov_state_known(uint32_t state);

int sm_prov_parse_request(const struct sm_frame *f, struct sm_prov_request *out);
int sm_prov_parse_info(const struct sm_frame *f, struct sm_prov_info *out);
int sm_prov_parse_status(const struct sm_frame *f, struct sm_prov_status *out);
int sm_prov_parse_result(const struct sm_frame *f, struct sm_prov_result *out);

int sm_prov_encode_request(const struct sm_prov_request *r, uint8_t out[SM_FRAME_PAYLOAD_MAX]);
int sm_prov_encode_info(const struct sm_prov_info *i, uint8_t out[SM_FRAME_PAYLOAD_MAX]);
int sm_prov_encode_status(const struct sm_prov_status *s, uint8_t out[SM_FRAME_PAYLOAD_MAX]);
int sm_prov_encode_result(const struct sm_prov_result *r, uint8_t out[SM_FRAME_PAYLOAD_MAX]);

/* A reason's text, as the programmer prints it. */
const char *sm_prov_reason_text(uint8_t reason);

#endif /* SM_PROV_PROTO_H */
