/*
 * bl_image.h: the MCUboot image format, and a strict parser for it.
 *
 * Layout: header (hdr_size bytes, the 32-byte struct then padding), payload (img_size bytes),
 * optional protected TLV area (info magic 0x6908; covered by the hash), unprotected TLV area
 * (info magic 0x6907). Each TLV is {u16 type, u16 len, data}, little endian; an info header is
 * {u16 magic, u16 total length including itself}.
 *
 * Contract of bl_image_parse: reads only inside the reader's area, checks every length against
 * the area before using it, and fills `info` only for a well-formed image. It does not verify
 * hash or signature (bl_verify.h does). Everything it returns is untrusted until verified.
 * An encrypted image has exactly one of the two ENCRYPTED flags and an ENC_EC256 TLV of that
 * key length (MCUboot's rule); both flags, or a TLV of the other length, is malformed.
 */
#ifndef BL_IMAGE_H
#define BL_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "bl_reader.h"

#define BL_IMAGE_MAGIC       0x96f3b83du
#define BL_IMAGE_HEADER_SIZE 32u
#define BL_TLV_INFO_MAGIC    0x6907u
#define BL_TLV_PROT_MAGIC    0x6908u
#define BL_TLV_INFO_SIZE     4u

#define BL_TLV_KEYHASH     0x01u
#define BL_TLV_PUBKEY      0x02u
#define BL_TLV_SHA256      0x10u
#define BL_TLV_ECDSA_SIG   0x22u
#define BL_TLV_ENC_EC256   0x32u
#define BL_TLV_DEPENDENCY  0x40u
#define BL_TLV_SEC_CNT     0x50u
#define BL_TLV_BOOT_RECORD 0x60u
#define BL_TLV_UUID_VID    0x74u /* imgtool --vid: ignored by the boot stages */
#define BL_TLV_UUID_CID    0x75u /* imgtool --cid: ignored by the boot stages */

#define BL_IMAGE_F_PIC              0x00000001u
#define BL_IMAGE_F_ENCRYPTED_AES128 0x00000004u
#define BL_IMAGE_F_ENCRYPTED_AES256 0x00000008u
#define BL_IMAGE_F_NON_BOOTABLE     0x00000010u
#define BL_IMAGE_F_RAM_LOAD         0x00000020u
#define BL_IMAGE_F_ROM_FIXED        0x00000100u

/* ENC_EC256: ephemeral point (65) + HMAC tag (32) + the wrapped image key (16 bytes for
 * AES-128 images, 32 for AES-256), so 113 or 129 bytes. */
#define BL_ENC_KEY_MAX                32u
#define BL_ENC_EC256_TLV_LEN(key_len) (97u + (key_len))
#define BL_ENC_EC256_TLV_MAX          BL_ENC_EC256_TLV_LEN(BL_ENC_KEY_MAX)
#define BL_PUBKEY_DER_LEN             91u /* SubjectPublicKeyInfo of a P-256 key */
#define BL_ECDSA_SIG_MAX_LEN          72u
#define BL_DEPENDENCY_LEN             12u
#define BL_MAX_DEPENDENCIES           4u

struct bl_image_version {
    uint8_t major;
    uint8_t minor;
    uint16_t revision;
    uint32_t build;
};

struct bl_image_header {
    uint32_t magic;
    uint32_t load_addr;
    uint16_t hdr_size;
    uint16_t protect_tlv_size;
    uint32_t img_size;
    uint32_t flags;
    struct bl_image_version version;
};

struct bl_dependency {
    uint8_t image_id;
    uint8_t flags;
    struct bl_image_version min_version;
};

/* Where things are, as offsets from the start of the image (0 = absent for the optional). */
struct bl_image_info {
    struct bl_image_header hdr;
    uint32_t prot_off, prot_size; /* protected area incl. its info header; size 0 if none */
    uint32_t tlv_off, tlv_size;   /* unprotected area incl. its info header */
    uint32_t total_size;          /* header + payload + both TLV areas */
    bool has_sec_cnt;
    uint32_t sec_cnt;
    uint8_t n_deps;
    struct bl_dependency deps[BL_MAX_DEPENDENCIES];
    uint32_t hash_off;    /* SHA-256 value (32 bytes) */
    uint32_t keyhash_off; /* key hash value (32 bytes) */
    uint32_t pubkey_off;  /* public key DER (BL_PUBKEY_DER_LEN bytes) */
    uint32_t sig_off;     /* ECDSA signature, DER */
    uint16_t sig_len;
    uint32_t enc_off;    /* ENC_EC256 value (BL_ENC_EC256_TLV_LEN(enc_key_len) bytes) */
    uint8_t enc_key_len; /* 16 (ENCRYPTED_AES128), 32 (ENCRYPTED_AES256), 0: not encrypted */
};

int bl_image_parse(const struct bl_reader *r, struct bl_image_info *info);

/* Compare versions: <0, 0, >0 like memcmp (major, minor, revision, build). */
int bl_version_cmp(const struct bl_image_version *a, const struct bl_image_version *b);

#endif /* BL_IMAGE_H */
