/*
 * sm_pkg.c: see sm_pkg.h. Each parser checks the length first, then every field in layout
 * order; each encoder runs the parser's checks on what it would write.
 */
#include "sm_pkg.h"

#include <string.h>

#include "flash_map.h"

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static bool zero(const uint8_t *p, size_t n)
{
    uint8_t any = 0;
    for (size_t i = 0; i < n; i++) {
        any |= p[i];
    }
    return any == 0u;
}

bool sm_pkg_counts_ok(uint32_t chunks, uint32_t length)
{
    return length >= SM_PKG_CONFIG_SIZE && length <= SM_PKG_STREAM_MAX &&
           chunks == (length + SM_PKG_CHUNK - 1u) / SM_PKG_CHUNK;
}

size_t sm_pkg_chunk_size(uint32_t index, uint32_t chunks, uint32_t length)
{
    const uint32_t n = index + 1u < chunks ? SM_PKG_CHUNK : length - SM_PKG_CHUNK * index;
    return SM_PKG_CHUNK_HDR + n + SM_PKG_TAG;
}

/* The slot's last 64 bytes are its trailer (bl_trailer.h), never image. */
#define TRAILER 64u

uint32_t sm_pkg_image_max(uint8_t kind)
{
    switch (kind) {
    case 0:
        return FLASH_UROT_SLOT_SIZE - TRAILER;
    case 1:
        return FLASH_SM_SLOT_SIZE - TRAILER;
    case 2:
        return FLASH_NS_SLOT_SIZE - TRAILER;
    case 3:
    case 4:
    case 5:
    case 6:
        return FLASH_MODULE_SLOT_SIZE - TRAILER;
    default:
        return 0;
    }
}

void sm_pkg_tag_prefix(bool chunk, const uint8_t id[16], uint32_t chunks, uint32_t length,
                       uint8_t out[SM_PKG_TAG_PREFIX])
{
    static const char begin_label[16] = "SM pkg begin v1";
    static const char chunk_label[16] = "SM pkg chunk v1";
    memcpy(out, chunk ? chunk_label : begin_label, 16);
    memcpy(out + 16, id, 16);
    put32(out + 32, chunks);
    put32(out + 36, length);
}

/* File header: magic 4, version 4, id 16, chunks 4, length 4, begin tag 32, line wrap 129,
 * 0 (15). */
int sm_pkg_parse_file(const uint8_t *p, size_t len, struct sm_pkg_file *out)
{
    memset(out, 0, sizeof(*out));
    if (len != SM_PKG_FILE_HDR) {
        return SM_PKG_BAD_LENGTH;
    }
    if (le32(p) != SM_PKG_FILE_MAGIC || le32(p + 4) != SM_PKG_VERSION) {
        return SM_PKG_BAD_MAGIC;
    }
    if (!zero(p + 64 + SM_PKG_WRAP_SIZE, SM_PKG_FILE_HDR - 64 - SM_PKG_WRAP_SIZE)) {
        return SM_PKG_BAD_RESERVED;
    }
    const uint32_t chunks = le32(p + 24), length = le32(p + 28);
    if (!sm_pkg_counts_ok(chunks, length) || p[64] != 0x04u) { /* the wrap's point: uncompressed */
        return SM_PKG_BAD_RANGE;
    }
    memcpy(out->id, p + 8, 16);
    out->chunks = chunks;
    out->length = length;
    memcpy(out->begin_tag, p + 32, 32);
    memcpy(out->line_wrap, p + 64, SM_PKG_WRAP_SIZE);
    return SM_PKG_OK;
}

int sm_pkg_encode_file(const struct sm_pkg_file *f, uint8_t out[SM_PKG_FILE_HDR])
{
    if (!sm_pkg_counts_ok(f->chunks, f->length) || f->line_wrap[0] != 0x04u) {
        return -1;
    }
    memset(out, 0, SM_PKG_FILE_HDR);
    put32(out, SM_PKG_FILE_MAGIC);
    put32(out + 4, SM_PKG_VERSION);
    memcpy(out + 8, f->id, 16);
    put32(out + 24, f->chunks);
    put32(out + 28, f->length);
    memcpy(out + 32, f->begin_tag, 32);
    memcpy(out + 64, f->line_wrap, SM_PKG_WRAP_SIZE);
    return (int)SM_PKG_FILE_HDR;
}

/* A P-256 private key: big endian, in [1, n-1]. */
static bool scalar_ok(const uint8_t d[32])
{
    static const uint8_t n[32] = {0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
                                  0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
                                  0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
    if (zero(d, 32)) {
        return false;
    }
    for (size_t i = 0; i < 32; i++) {
        if (d[i] != n[i]) {
            return d[i] < n[i];
        }
    }
    return false; /* d == n */
}

static bool cert_ref_ok(const uint8_t *s, size_t n)
{
    if (n == 0u) {
        return true;
    }
    if (n != 19u) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (i == 13 ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) {
            return false;
        }
    }
    return true;
}

static bool printable(const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x21 || s[i] > 0x7E) {
            return false;
        }
    }
    return true;
}

/* Configuration layout (install-package.md): magic 4, version 4, module slots 4, ITS size 4,
 * largest asset 4, NS update bits 4, image count 1, cert ref length 1, URL length 1, 0 (1),
 * 0 (4), implementation id 32 (@32), cert ref 20 (@64), URL 96 (@84), 0 (12), install key 32
 * (@192), lifecycle key 64 (@224), signing keys 7 x 64 (@288), images 7 x (kind 1, 0 3,
 * size 4) (@736), 0 (8). */
int sm_pkg_parse_config(const uint8_t *p, size_t len, uint32_t stream_length,
                        struct sm_pkg_config *out)
{
    memset(out, 0, sizeof(*out));
    if (len != SM_PKG_CONFIG_SIZE) {
        return SM_PKG_BAD_LENGTH;
    }
    if (le32(p) != SM_PKG_CONFIG_MAGIC || le32(p + 4) != SM_PKG_VERSION) {
        return SM_PKG_BAD_MAGIC;
    }
    const uint8_t count = p[24], ref_len = p[25], url_len = p[26];
    if (p[27] != 0u || !zero(p + 28, 4) || !zero(p + 180, 12) || !zero(p + 792, 8) ||
        ref_len > SM_PKG_CERT_REF_MAX || url_len > SM_PKG_URL_MAX ||
        !zero(p + 64 + ref_len, SM_PKG_CERT_REF_MAX - ref_len) ||
        !zero(p + 84 + url_len, SM_PKG_URL_MAX - url_len)) {
        return SM_PKG_BAD_RESERVED;
    }
    const uint32_t modules = le32(p + 8), its = le32(p + 12), asset = le32(p + 16),
                   ns_bits = le32(p + 20);
    if (modules > FLASH_MODULE_SLOTS_MAX || its % FLASH_SECTOR_SIZE != 0u ||
        its > FLASH_ITS_SIZE_MAX || asset > its || (ns_bits >> SM_PKG_KINDS) != 0u ||
        count > SM_PKG_KINDS || !cert_ref_ok(p + 64, ref_len) || !printable(p + 84, url_len) ||
        !scalar_ok(p + 192) || zero(p + 224, 64)) {
        return SM_PKG_BAD_RANGE;
    }
    uint64_t total = SM_PKG_CONFIG_SIZE;
    uint8_t seen = 0;
    for (uint8_t i = 0; i < SM_PKG_KINDS; i++) {
        const uint8_t *e = p + 736 + 8u * i;
        const uint8_t kind = e[0];
        const uint32_t size = le32(e + 4);
        if (!zero(e + 1, 3) || (i >= count && (kind != 0u || size != 0u))) {
            return SM_PKG_BAD_RESERVED;
        }
        if (i >= count) {
            continue;
        }
        /* One image per kind, with a key to verify it, a module within the slots in use,
         * and a size its slot holds. */
        if (kind >= SM_PKG_KINDS || (seen >> kind) & 1u || zero(p + 288 + 64u * kind, 64) ||
            (kind >= 3u && kind - 3u >= modules) || size == 0u || size > sm_pkg_image_max(kind)) {
            return SM_PKG_BAD_RANGE;
        }
        seen = (uint8_t)(seen | 1u << kind);
        total += size;
    }
    if (total != stream_length) {
        return SM_PKG_BAD_RANGE;
    }
    out->module_slots = modules;
    out->its_size = its;
    out->its_max_asset = asset;
    out->fwu_ns_components = ns_bits;
    out->image_count = count;
    out->cert_ref_len = ref_len;
    out->url_len = url_len;
    memcpy(out->implementation_id, p + 32, 32);
    memcpy(out->cert_ref, p + 64, SM_PKG_CERT_REF_MAX);
    memcpy(out->url, p + 84, SM_PKG_URL_MAX);
    memcpy(out->ns_install_key, p + 192, 32);
    memcpy(out->lifecycle_pub, p + 224, 64);
    memcpy(out->keys, p + 288, sizeof(out->keys));
    for (uint8_t i = 0; i < count; i++) {
        out->images[i].kind = p[736 + 8u * i];
        out->images[i].size = le32(p + 736 + 8u * i + 4);
    }
    return SM_PKG_OK;
}

int sm_pkg_encode_config(const struct sm_pkg_config *c, uint32_t stream_length,
                         uint8_t out[SM_PKG_CONFIG_SIZE])
{
    if (c->image_count > SM_PKG_KINDS || c->cert_ref_len > SM_PKG_CERT_REF_MAX ||
        c->url_len > SM_PKG_URL_MAX) {
        return -1;
    }
    memset(out, 0, SM_PKG_CONFIG_SIZE);
    put32(out, SM_PKG_CONFIG_MAGIC);
    put32(out + 4, SM_PKG_VERSION);
    put32(out + 8, c->module_slots);
    put32(out + 12, c->its_size);
    put32(out + 16, c->its_max_asset);
    put32(out + 20, c->fwu_ns_components);
    out[24] = c->image_count;
    out[25] = c->cert_ref_len;
    out[26] = c->url_len;
    memcpy(out + 32, c->implementation_id, 32);
    memcpy(out + 64, c->cert_ref, c->cert_ref_len);
    memcpy(out + 84, c->url, c->url_len);
    memcpy(out + 192, c->ns_install_key, 32);
    memcpy(out + 224, c->lifecycle_pub, 64);
    memcpy(out + 288, c->keys, sizeof(c->keys));
    for (uint8_t i = 0; i < c->image_count; i++) {
        out[736 + 8u * i] = c->images[i].kind;
        put32(out + 736 + 8u * i + 4, c->images[i].size);
    }
    struct sm_pkg_config check;
    const int rc = sm_pkg_parse_config(out, SM_PKG_CONFIG_SIZE, stream_length, &check);
    memset(&check, 0, sizeof(check)); /* it holds the install key */
    return rc == SM_PKG_OK ? (int)SM_PKG_CONFIG_SIZE : -1;
}

int sm_pkg_parse_chunk(const uint8_t *p, size_t len, uint32_t chunks, uint32_t length,
                       struct sm_pkg_chunk *out)
{
    memset(out, 0, sizeof(*out));
    if (!sm_pkg_counts_ok(chunks, length) || len < SM_PKG_CHUNK_HDR + 1u + SM_PKG_TAG ||
        len > SM_PKG_CHUNK_MAX) {
        return SM_PKG_BAD_LENGTH;
    }
    const uint32_t index = le32(p);
    const uint16_t n = (uint16_t)(p[4] | p[5] << 8);
    const uint8_t flags = p[6];
    if ((flags & (uint8_t)~SM_PKG_CHUNK_LAST) != 0u || p[7] != 0u) {
        return SM_PKG_BAD_RESERVED;
    }
    if ((size_t)n + SM_PKG_CHUNK_HDR + SM_PKG_TAG != len) {
        return SM_PKG_BAD_LENGTH;
    }
    const bool last = (flags & SM_PKG_CHUNK_LAST) != 0u;
    if (index >= chunks || last != (index + 1u == chunks) ||
        len != sm_pkg_chunk_size(index, chunks, length)) {
        return SM_PKG_BAD_ORDER;
    }
    out->index = index;
    out->len = n;
    out->last = last;
    out->data = p + SM_PKG_CHUNK_HDR;
    out->tag = p + SM_PKG_CHUNK_HDR + n;
    return SM_PKG_OK;
}

void sm_pkg_chunk_header(uint32_t index, uint16_t len, bool last, uint8_t out[SM_PKG_CHUNK_HDR])
{
    put32(out, index);
    out[4] = (uint8_t)len;
    out[5] = (uint8_t)(len >> 8);
    out[6] = last ? SM_PKG_CHUNK_LAST : 0u;
    out[7] = 0;
}
