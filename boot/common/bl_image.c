/*
 * bl_image.c: see bl_image.h. Every field read from flash is treated as hostile.
 */
#include "bl_image.h"

#include <string.h>

#include "bl_status.h"

static uint16_t get_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void parse_version(const uint8_t *p, struct bl_image_version *v)
{
    v->major = p[0];
    v->minor = p[1];
    v->revision = get_le16(p + 2);
    v->build = get_le32(p + 4);
}

int bl_version_cmp(const struct bl_image_version *a, const struct bl_image_version *b)
{
    if (a->major != b->major) {
        return a->major < b->major ? -1 : 1;
    }
    if (a->minor != b->minor) {
        return a->minor < b->minor ? -1 : 1;
    }
    if (a->revision != b->revision) {
        return a->revision < b->revision ? -1 : 1;
    }
    if (a->build != b->build) {
        return a->build < b->build ? -1 : 1;
    }
    return 0;
}

static int parse_header(const struct bl_reader *r, struct bl_image_header *h)
{
    uint8_t raw[BL_IMAGE_HEADER_SIZE];
    if (r->size < BL_IMAGE_HEADER_SIZE) {
        return BL_E_OVERSIZE;
    }
    if (r->read(r, 0, raw, sizeof(raw)) != BL_OK) {
        return BL_E_IO;
    }
    h->magic = get_le32(raw);
    if (h->magic != BL_IMAGE_MAGIC) {
        return h->magic == 0xFFFFFFFFu ? BL_E_EMPTY : BL_E_MAGIC;
    }
    h->load_addr = get_le32(raw + 4);
    h->hdr_size = get_le16(raw + 8);
    h->protect_tlv_size = get_le16(raw + 10);
    h->img_size = get_le32(raw + 12);
    h->flags = get_le32(raw + 16);
    parse_version(raw + 20, &h->version);
    if (h->hdr_size < BL_IMAGE_HEADER_SIZE || h->img_size == 0) {
        return BL_E_HEADER;
    }
    if ((uint64_t)h->hdr_size + h->img_size > r->size) {
        return BL_E_OVERSIZE;
    }
    return BL_OK;
}

/* Read the info header at off: its magic must be `magic`, its total length fit the area. */
static int read_info(const struct bl_reader *r, uint32_t off, uint16_t magic, uint32_t *tot)
{
    uint8_t raw[BL_TLV_INFO_SIZE];
    if ((uint64_t)off + BL_TLV_INFO_SIZE > r->size) {
        return BL_E_TLV_OVERRUN;
    }
    if (r->read(r, off, raw, sizeof(raw)) != BL_OK) {
        return BL_E_IO;
    }
    if (get_le16(raw) != magic) {
        return BL_E_TLV;
    }
    *tot = get_le16(raw + 2);
    if (*tot < BL_TLV_INFO_SIZE) {
        return BL_E_TLV;
    }
    if ((uint64_t)off + *tot > r->size) {
        return BL_E_TLV_OVERRUN;
    }
    return BL_OK;
}

/* Sets *slot to value_off the first time; a second TLV of the kind is an error. */
static int take_once(uint32_t *slot, uint32_t value_off)
{
    if (*slot != 0) {
        return BL_E_TLV;
    }
    *slot = value_off;
    return BL_OK;
}

static int parse_protected_tlv(const struct bl_reader *r, uint16_t type, uint16_t len,
                               uint32_t value_off, struct bl_image_info *info)
{
    uint8_t v[BL_DEPENDENCY_LEN];
    switch (type) {
    case BL_TLV_SEC_CNT:
        if (len != 4 || info->has_sec_cnt) {
            return BL_E_TLV;
        }
        if (r->read(r, value_off, v, 4) != BL_OK) {
            return BL_E_IO;
        }
        info->has_sec_cnt = true;
        info->sec_cnt = get_le32(v);
        return BL_OK;
    case BL_TLV_DEPENDENCY:
        if (len != BL_DEPENDENCY_LEN || info->n_deps >= BL_MAX_DEPENDENCIES) {
            return BL_E_TLV;
        }
        if (r->read(r, value_off, v, BL_DEPENDENCY_LEN) != BL_OK) {
            return BL_E_IO;
        }
        info->deps[info->n_deps].image_id = v[0];
        info->deps[info->n_deps].flags = v[1];
        parse_version(v + 4, &info->deps[info->n_deps].min_version);
        info->n_deps++;
        return BL_OK;
    case BL_TLV_SHA256:
    case BL_TLV_KEYHASH:
    case BL_TLV_PUBKEY:
    case BL_TLV_ECDSA_SIG:
    case BL_TLV_ENC_EC256:
        return BL_E_TLV; /* these belong in the unprotected area */
    default:
        return BL_OK; /* covered by the signature: harmless, e.g. BOOT_RECORD, vendor TLVs */
    }
}

static int parse_unprotected_tlv(uint16_t type, uint16_t len, uint32_t value_off,
                                 struct bl_image_info *info)
{
    switch (type) {
    case BL_TLV_SHA256:
        return len == 32 ? take_once(&info->hash_off, value_off) : BL_E_TLV;
    case BL_TLV_KEYHASH:
        return len == 32 ? take_once(&info->keyhash_off, value_off) : BL_E_TLV;
    case BL_TLV_PUBKEY:
        return len == BL_PUBKEY_DER_LEN ? take_once(&info->pubkey_off, value_off) : BL_E_TLV;
    case BL_TLV_ECDSA_SIG:
        if (len < 8 || len > BL_ECDSA_SIG_MAX_LEN) {
            return BL_E_TLV;
        }
        info->sig_len = len;
        return take_once(&info->sig_off, value_off);
    case BL_TLV_ENC_EC256:
        /* The length follows the header's flag (bl_image_parse read it first). */
        return info->enc_key_len != 0 && len == BL_ENC_EC256_TLV_LEN(info->enc_key_len)
                   ? take_once(&info->enc_off, value_off)
                   : BL_E_TLV;
    case BL_TLV_SEC_CNT:
    case BL_TLV_DEPENDENCY:
    case BL_TLV_BOOT_RECORD:
        return BL_E_TLV; /* unprotected, they could be changed without breaking the signature */
    default:
        return BL_OK;
    }
}

/* Walk the TLVs of the area [off, off + tot) whose info header was read already. */
static int walk_tlvs(const struct bl_reader *r, uint32_t off, uint32_t tot, bool protected_area,
                     struct bl_image_info *info)
{
    uint32_t end = off + tot; /* fits: read_info checked it against the area */
    uint32_t p = off + BL_TLV_INFO_SIZE;
    while (p < end) {
        uint8_t raw[4];
        if (end - p < 4) {
            return BL_E_TLV_OVERRUN;
        }
        if (r->read(r, p, raw, sizeof(raw)) != BL_OK) {
            return BL_E_IO;
        }
        uint16_t type = get_le16(raw);
        uint16_t len = get_le16(raw + 2);
        if (len > end - p - 4) {
            return BL_E_TLV_OVERRUN;
        }
        int rc = protected_area ? parse_protected_tlv(r, type, len, p + 4, info)
                                : parse_unprotected_tlv(type, len, p + 4, info);
        if (rc != BL_OK) {
            return rc;
        }
        p += 4u + len;
    }
    return BL_OK;
}

int bl_image_parse(const struct bl_reader *r, struct bl_image_info *info)
{
    memset(info, 0, sizeof(*info));
    int rc = parse_header(r, &info->hdr);
    if (rc != BL_OK) {
        return rc;
    }
    const uint32_t known = BL_IMAGE_F_PIC | BL_IMAGE_F_ENCRYPTED_AES128 |
                           BL_IMAGE_F_ENCRYPTED_AES256 | BL_IMAGE_F_NON_BOOTABLE |
                           BL_IMAGE_F_RAM_LOAD | BL_IMAGE_F_ROM_FIXED;
    if ((info->hdr.flags & ~known) != 0) {
        return BL_E_UNSUPPORTED;
    }
    switch (info->hdr.flags & (BL_IMAGE_F_ENCRYPTED_AES128 | BL_IMAGE_F_ENCRYPTED_AES256)) {
    case 0:
        break;
    case BL_IMAGE_F_ENCRYPTED_AES128:
        info->enc_key_len = 16;
        break;
    case BL_IMAGE_F_ENCRYPTED_AES256:
        info->enc_key_len = 32;
        break;
    default:
        return BL_E_TLV; /* both: which key length? */
    }
    uint32_t off = (uint32_t)info->hdr.hdr_size + info->hdr.img_size;
    if (info->hdr.protect_tlv_size != 0) {
        uint32_t tot;
        rc = read_info(r, off, BL_TLV_PROT_MAGIC, &tot);
        if (rc != BL_OK) {
            return rc;
        }
        if (tot != info->hdr.protect_tlv_size) {
            return BL_E_TLV;
        }
        rc = walk_tlvs(r, off, tot, true, info);
        if (rc != BL_OK) {
            return rc;
        }
        info->prot_off = off;
        info->prot_size = tot;
        off += tot;
    }
    uint32_t tot;
    rc = read_info(r, off, BL_TLV_INFO_MAGIC, &tot);
    if (rc != BL_OK) {
        return rc;
    }
    rc = walk_tlvs(r, off, tot, false, info);
    if (rc != BL_OK) {
        return rc;
    }
    info->tlv_off = off;
    info->tlv_size = tot;
    info->total_size = off + tot;
    if (info->hash_off == 0) {
        return BL_E_NO_HASH;
    }
    bool encrypted = info->enc_key_len != 0;
    if (encrypted != (info->enc_off != 0)) {
        return BL_E_TLV; /* encrypted flag without its key TLV, or the reverse */
    }
    return BL_OK;
}
