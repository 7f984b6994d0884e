/*
 * sm_pkg.h: the install package's layouts (docs/design/install-package.md): the file that
 * `smtool package` writes, the configuration at the start of its stream, and the chunk a
 * CHUNK request carries. Shared by the programmer (smtool) and the provisioning stage.
 *
 * Contract:
 * - Every parser is a function of its input bytes (and, for a chunk, of the count and length
 *   its BEGIN declared): it checks the exact length, every magic, version, reserved byte,
 *   padding and range before it fills `out`; on failure it returns a negative reason and
 *   `out` is all zero. No crypto here: the tags are the caller's (checked before a parsed
 *   chunk's bytes are used); a parsed configuration is the plaintext the caller decrypted.
 * - There is one encoding: what parses encodes back to the same bytes; the encoders refuse
 *   (-1) what the parsers refuse.
 * Little endian throughout.
 */
#ifndef SM_PKG_H
#define SM_PKG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SM_PKG_FILE_MAGIC   0x46504D53u /* "SMPF" */
#define SM_PKG_CONFIG_MAGIC 0x43504D53u /* "SMPC" */
#define SM_PKG_VERSION      1u

#define SM_PKG_KINDS        7u   /* image kinds (bl_otp.h's BL_KIND_COUNT) */
#define SM_PKG_WRAP_SIZE    129u /* ENC_EC256 of a 32-byte key: point 65, tag 32, key 32 */
#define SM_PKG_FILE_HDR     208u
#define SM_PKG_CONFIG_SIZE  800u
#define SM_PKG_CHUNK        960u /* plaintext bytes of every chunk but the last */
#define SM_PKG_CHUNK_HDR    8u
#define SM_PKG_TAG          32u
#define SM_PKG_CHUNK_MAX    (SM_PKG_CHUNK_HDR + SM_PKG_CHUNK + SM_PKG_TAG) /* 1,000 */
#define SM_PKG_STREAM_MAX   0x200000u /* 2 MiB: every slot's image and the configuration */
#define SM_PKG_CHUNK_LAST   0x01u
#define SM_PKG_CERT_REF_MAX 20u
#define SM_PKG_URL_MAX      96u

enum sm_pkg_error {
    SM_PKG_OK = 0,
    SM_PKG_BAD_LENGTH = -1,   /* the input's length is not the layout's */
    SM_PKG_BAD_MAGIC = -2,    /* magic or version */
    SM_PKG_BAD_RESERVED = -3, /* a reserved byte, padding or undefined flag bit set */
    SM_PKG_BAD_RANGE = -4,    /* a field out of its range (see the parser) */
    SM_PKG_BAD_ORDER = -5,    /* a chunk's index, last flag or length against its BEGIN */
};

/* The file's header; the chunks' payloads (sm_pkg_chunk_size each) follow it, in order. */
struct sm_pkg_file {
    uint8_t id[16];  /* random, per package */
    uint32_t chunks; /* = ceil(length / SM_PKG_CHUNK) */
    uint32_t length; /* stream bytes: SM_PKG_CONFIG_SIZE .. SM_PKG_STREAM_MAX */
    uint8_t begin_tag[32];
    uint8_t line_wrap[SM_PKG_WRAP_SIZE]; /* the package key for the OEM's line key */
};

struct sm_pkg_image {
    uint8_t kind; /* bl_kind */
    uint32_t size;
};

struct sm_pkg_config {
    uint32_t module_slots, its_size, its_max_asset, fwu_ns_components;
    uint8_t image_count, cert_ref_len, url_len;
    uint8_t implementation_id[32];
    char cert_ref[SM_PKG_CERT_REF_MAX];
    char url[SM_PKG_URL_MAX];
    uint8_t ns_install_key[32];               /* P-256 private: the device's image decryption key */
    uint8_t lifecycle_pub[64];                /* the OEM's lifecycle key, x || y */
    uint8_t keys[SM_PKG_KINDS][64];           /* signing key of each kind; all zero: none */
    struct sm_pkg_image images[SM_PKG_KINDS]; /* image_count used, in stream order */
};

struct sm_pkg_chunk {
    uint32_t index;
    uint16_t len;
    bool last;
    const uint8_t *data; /* len bytes in the payload */
    const uint8_t *tag;  /* SM_PKG_TAG bytes after them */
};

/* Whether count and length agree and are in range. */
bool sm_pkg_counts_ok(uint32_t chunks, uint32_t length);
/* The payload size of chunk `index` of a stream of `length` bytes. */
size_t sm_pkg_chunk_size(uint32_t index, uint32_t chunks, uint32_t length);

int sm_pkg_parse_file(const uint8_t *p, size_t len, struct sm_pkg_file *out);
int sm_pkg_encode_file(const struct sm_pkg_file *f, uint8_t out[SM_PKG_FILE_HDR]);
/* The configuration, with its stream's length (which must be the configuration plus the
 * images the table names). */
int sm_pkg_parse_config(const uint8_t *p, size_t len, uint32_t stream_length,
                        struct sm_pkg_config *out);
int sm_pkg_encode_config(const struct sm_pkg_config *c, uint32_t stream_length,
                         uint8_t out[SM_PKG_CONFIG_SIZE]);
int sm_pkg_parse_chunk(const uint8_t *p, size_t len, uint32_t chunks, uint32_t length,
                       struct sm_pkg_chunk *out);
/* Writes a chunk's 8-byte header. */
void sm_pkg_chunk_header(uint32_t index, uint16_t len, bool last, uint8_t out[SM_PKG_CHUNK_HDR]);

/* An image's largest size for its kind (its slot less the trailer), 0 for no kind. */
uint32_t sm_pkg_image_max(uint8_t kind);
/* What the tags cover before the chunk (or BEGIN's) own bytes: label (16) || id (16) ||
 * chunks (4) || length (4). */
#define SM_PKG_TAG_PREFIX 40u
void sm_pkg_tag_prefix(bool chunk, const uint8_t id[16], uint32_t chunks, uint32_t length,
                       uint8_t out[SM_PKG_TAG_PREFIX]);

#endif /* SM_PKG_H */
