/*
 * test_prov_pkg.c: the provisioning stage's side of an install package (boot/prov/
 * prov_install.c, docs/design/install-package.md) over a RAM flash, with packages built here
 * from the format's text (a second construction, not smtool's code): an install writes the
 * device record (chip HUK, configuration, install key), the attestation block and the OEM
 * record, with an IAK born on the chip whose public half comes back; every refusal (another
 * chip's wrap, a tampered header or chunk, a truncated or out-of-order chunk, a bad
 * configuration, a device provisioned already or SECURED) names its reason and writes nothing;
 * images are written into their download slots, verified and marked for install, and an image
 * that fails verification is refused with its slots erased again; the OEM's lifecycle key, not
 * the NS key, moves the device on; and a power cut at every flash operation of an install
 * leaves the device unprovisioned, where a retry of the same package finishes it, or
 * provisioned, never half; a unit torn by a cut costs one of the records' places, not the chip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attest_otp.h"
#include "bl_boot.h"
#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_lifecycle.h"
#include "bl_otp.h"
#include "bl_slots.h"
#include "bl_status.h"
#include "bl_swap.h"
#include "bl_trailer.h"
#include "host_flash.h"
#include "mbedtls/ecp.h"
#include "mbedtls/pk.h"
#include "mbedtls/psa_util.h"
#include "p256-m.h"
#include "plat_flash.h"
#include "prov_core.h"
#include "prov_install.h"
#include "psa/crypto.h"
#include "sm_pkg.h"
#include "sm_prov_proto.h"
#include "sm_sign.h"

static struct bl_chip chip;
static uint8_t chip_pub[64], other_pub[64], lifecycle_pub[64], ns_pub[64];
static const uint8_t lifecycle_priv[32] = {[0] = 0x31, [5] = 7, [31] = 9};
static const uint8_t ns_priv[32] = {[0] = 0x41, [7] = 3, [31] = 1};
static const uint8_t install_key[32] = {[0] = 0x21, [9] = 5, [31] = 0x77};

static void pub_of(const uint8_t priv[32], uint8_t pub[64])
{
    assert_int_equal(p256_public_from_private(pub, priv), P256_SUCCESS);
}

static void make_chip(void)
{
    memset(&chip, 0, sizeof(chip));
    chip.magic = BL_CHIP_MAGIC;
    chip.version = BL_CHIP_VERSION;
    for (size_t i = 0; i < 32; i++) {
        chip.huk[i] = (uint8_t)(i * 5u + 3u);
        chip.chip_priv[i] = (uint8_t)(i * 11u + 1u);
        chip.product_priv[i] = (uint8_t)(i * 7u + 2u);
    }
    pub_of(chip.chip_priv, chip_pub);
    chip.cert.magic = BL_CHIP_CERT_MAGIC;
    chip.cert.version = BL_CHIP_CERT_VERSION;
    memset(chip.cert.chip_id, 0xC1, 16);
    memcpy(chip.cert.chip_pub, chip_pub, 64);
    bl_sha256(&chip, offsetof(struct bl_chip, digest), chip.digest);
    uint8_t units[(sizeof(chip) + 15) / 16 * 16];
    memset(units, 0xFF, sizeof(units));
    memcpy(units, &chip, sizeof(chip));
    host_flash_power_on();
    assert_int_equal(plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET + BL_CHIP_OFFSET, units, sizeof(units)),
                     PLAT_FLASH_OK);
    assert_int_equal(bl_counter_provision(), BL_OK);
    prov_install_end();
}

static void good_config(struct sm_pkg_config *c)
{
    memset(c, 0, sizeof(*c));
    c->module_slots = 1;
    c->its_size = 0x8000;
    c->its_max_asset = 1024;
    c->fwu_ns_components = 1u << 2;
    c->cert_ref_len = 19;
    memcpy(c->cert_ref, "1234567890123-12345", 19);
    c->url_len = 9;
    memcpy(c->url, "https://v", 9);
    memset(c->implementation_id, 0xA7, 32);
    memcpy(c->ns_install_key, install_key, 32);
    memcpy(c->lifecycle_pub, lifecycle_pub, 64);
    memcpy(c->keys[BL_KIND_NS], ns_pub, 64);
}

/* A package, as install-package.md describes it: BEGIN's payload and the chunks. */
struct pkg {
    uint8_t begin[SM_PROV_BEGIN_SIZE];
    uint32_t chunks, length;
    uint8_t chunk[16][SM_PKG_CHUNK_MAX];
    size_t chunk_len[16];
};

static void hmac(const uint8_t key[32], const uint8_t *m, size_t n, uint8_t out[32])
{
    struct bl_hmac h;
    assert_int_equal(bl_hmac_start(&h, key, 32), BL_OK);
    assert_int_equal(bl_hmac_tag(&h, m, n, out), BL_OK);
    bl_hmac_end(&h);
}

/* stream: the plaintext (length bytes); key: the package key; wrap_for: the chip key. */
static void build(struct pkg *p, const uint8_t *stream, uint32_t length, const uint8_t key[32],
                  const uint8_t wrap_for[64])
{
    static const char ei[] = "SM pkg v1 enc", mi[] = "SM pkg v1 mac";
    static uint8_t ct[16 * SM_PKG_CHUNK];
    uint8_t enc[32], mac[32], msg[SM_PKG_TAG_PREFIX + SM_PKG_CHUNK_MAX];
    const uint8_t id[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    assert_true(length <= sizeof(ct));
    assert_int_equal(bl_hkdf_sha256(key, 32, (const uint8_t *)ei, 13, enc, 32), BL_OK);
    assert_int_equal(bl_hkdf_sha256(key, 32, (const uint8_t *)mi, 13, mac, 32), BL_OK);
    memcpy(ct, stream, length);
    struct bl_aes_ctr a;
    assert_int_equal(bl_aes_ctr_start(&a, enc, 32), BL_OK);
    bl_aes_ctr_crypt(&a, 0, ct, length);
    bl_aes_ctr_end(&a);
    p->length = length;
    p->chunks = (length + SM_PKG_CHUNK - 1) / SM_PKG_CHUNK;
    struct sm_prov_request r = {.type = SM_PROV_BEGIN, .chunks = p->chunks, .length = length};
    memcpy(r.id, id, 16);
    sm_pkg_tag_prefix(false, id, p->chunks, length, msg);
    hmac(mac, msg, SM_PKG_TAG_PREFIX, r.begin_tag);
    assert_int_equal(sm_ecies_wrap(wrap_for, key, 32, r.wrap), 0);
    uint8_t req[SM_FRAME_PAYLOAD_MAX];
    assert_int_equal(sm_prov_encode_request(&r, req), SM_PROV_BEGIN_SIZE);
    memcpy(p->begin, req, SM_PROV_BEGIN_SIZE);
    for (uint32_t i = 0; i < p->chunks; i++) {
        const uint32_t n = i + 1 < p->chunks ? SM_PKG_CHUNK : length - i * SM_PKG_CHUNK;
        sm_pkg_tag_prefix(true, id, p->chunks, length, msg);
        sm_pkg_chunk_header(i, (uint16_t)n, i + 1 == p->chunks, msg + SM_PKG_TAG_PREFIX);
        memcpy(msg + SM_PKG_TAG_PREFIX + SM_PKG_CHUNK_HDR, ct + i * SM_PKG_CHUNK, n);
        memcpy(p->chunk[i], msg + SM_PKG_TAG_PREFIX, SM_PKG_CHUNK_HDR + n);
        hmac(mac, msg, SM_PKG_TAG_PREFIX + SM_PKG_CHUNK_HDR + n,
             p->chunk[i] + SM_PKG_CHUNK_HDR + n);
        p->chunk_len[i] = SM_PKG_CHUNK_HDR + n + SM_PKG_TAG;
    }
}

static const uint8_t pkg_key[32] = {[0] = 0x99, [13] = 0x13, [31] = 0x31};

static void build_config(struct pkg *p, const struct sm_pkg_config *c, const uint8_t wrap_for[64])
{
    uint8_t stream[SM_PKG_CONFIG_SIZE];
    assert_int_equal(sm_pkg_encode_config(c, SM_PKG_CONFIG_SIZE, stream), SM_PKG_CONFIG_SIZE);
    build(p, stream, SM_PKG_CONFIG_SIZE, pkg_key, wrap_for);
}

static uint8_t reply[SM_FRAME_PAYLOAD_MAX], reply_type;
static uint8_t seq;

static int handle(uint8_t type, const uint8_t *p, size_t len)
{
    seq++;
    const struct sm_frame f = {.type = type, .seq = seq, .len = (uint16_t)len, .payload = p};
    return prov_handle(&f, &reply_type, reply);
}

static uint8_t reason_of(int n)
{
    assert_true(n > 0);
    if (reply_type == SM_PROV_RESULT) {
        return SM_PROV_DONE;
    }
    struct sm_prov_status s;
    const struct sm_frame f = {.type = reply_type, .len = (uint16_t)n, .payload = reply};
    assert_int_equal(sm_prov_parse_status(&f, &s), SM_PROV_OK);
    return s.reason;
}

/* Sends the package; the reason of the first refusal, or DONE with iak_pub filled. */
static uint8_t install(const struct pkg *p, uint8_t iak_pub[64])
{
    uint8_t r = reason_of(handle(SM_PROV_BEGIN, p->begin, sizeof(p->begin)));
    for (uint32_t i = 0; r == SM_PROV_DONE && i < p->chunks; i++) {
        const int n = handle(SM_PROV_CHUNK, p->chunk[i], p->chunk_len[i]);
        r = reason_of(n);
        if (r == SM_PROV_DONE && i + 1 == p->chunks) {
            struct sm_prov_result res;
            const struct sm_frame f = {.type = reply_type, .len = (uint16_t)n, .payload = reply};
            assert_int_equal(sm_prov_parse_result(&f, &res), SM_PROV_OK);
            memcpy(iak_pub, res.iak_pub, 64);
        }
    }
    return r;
}

static uint8_t flash_before[FLASH_OTP_SIZE];

/* A refusal: the reason expected, and not one flash operation. */
static void expect_refused(const struct pkg *p, uint8_t reason)
{
    uint8_t iak[64];
    assert_int_equal(plat_flash_read(FLASH_OTP_OFFSET, flash_before, sizeof(flash_before)),
                     PLAT_FLASH_OK);
    host_flash_power_on();
    const uint8_t got = install(p, iak);
    if (got != reason) {
        fail_msg("reason %u (%s), expected %u", got, sm_prov_reason_text(got), reason);
    }
    assert_int_equal(host_flash_ops(), 0);
    uint8_t after[FLASH_OTP_SIZE];
    assert_int_equal(plat_flash_read(FLASH_OTP_OFFSET, after, sizeof(after)), PLAT_FLASH_OK);
    assert_memory_equal(after, flash_before, sizeof(after));
    if (reason != SM_PROV_E_PROVISIONED) {
        assert_int_not_equal(bl_otp_check(), BL_OK);
    }
}

/* A refusal of a package with images: the reason, the provisioning area unchanged, and every
 * download slot erased again (a blank chip's are erased to begin with). */
static void expect_refused_images(const struct pkg *p, uint8_t reason)
{
    uint8_t iak[64], after[FLASH_OTP_SIZE];
    assert_int_equal(plat_flash_read(FLASH_OTP_OFFSET, flash_before, sizeof(flash_before)),
                     PLAT_FLASH_OK);
    host_flash_power_on();
    const uint8_t got = install(p, iak);
    if (got != reason) {
        fail_msg("reason %u (%s), expected %u", got, sm_prov_reason_text(got), reason);
    }
    assert_int_equal(plat_flash_read(FLASH_OTP_OFFSET, after, sizeof(after)), PLAT_FLASH_OK);
    assert_memory_equal(after, flash_before, sizeof(after));
    assert_int_not_equal(bl_otp_check(), BL_OK);
    for (int k = 0; k < BL_KIND_COUNT; k++) {
        const struct bl_slot_pair *sp = bl_slots((enum bl_kind)k);
        static uint8_t slot[0x80000];
        assert_int_equal(plat_flash_read(sp->secondary, slot, sp->size), PLAT_FLASH_OK);
        for (uint32_t i = 0; i < sp->size; i++) {
            if (slot[i] != 0xFF) {
                fail_msg("the %s download slot is not erased at %u", bl_kind_name((enum bl_kind)k),
                         (unsigned)i);
            }
        }
    }
}

static void check_device(const struct sm_pkg_config *c, const uint8_t iak_pub[64])
{
    struct bl_otp otp;
    struct attest_otp a;
    uint8_t pub[64], d[32];
    assert_int_equal(bl_otp_check(), BL_OK);
    assert_int_equal(bl_otp_read_field(0, &otp, sizeof(otp)), BL_OK);
    assert_memory_equal(otp.huk, chip.huk, 32);
    assert_memory_equal(otp.enc_priv, install_key, 32);
    assert_int_equal(otp.module_slots, c->module_slots);
    assert_int_equal(otp.its_size, c->its_size);
    assert_int_equal(otp.its_max_asset, c->its_max_asset);
    assert_int_equal(otp.fwu_ns_components, c->fwu_ns_components);
    assert_int_equal(otp.lifecycle, BL_LIFECYCLE_ASSEMBLY_AND_TEST);
    struct bl_key k;
    assert_int_equal(bl_otp_key(BL_KIND_NS, &k), BL_OK);
    assert_memory_equal(k.pub, c->keys[BL_KIND_NS], 64);
    const uint8_t none[64] = {0};
    if (memcmp(c->keys[BL_KIND_SM], none, 64) == 0) {
        assert_int_equal(bl_otp_key(BL_KIND_SM, &k), BL_E_CONFIG); /* no SM key: no SM image */
    }
    /* The IAK: born here, its public half the one returned; the seed is no copy of it. */
    pub_of(otp.iak, pub);
    assert_memory_equal(pub, iak_pub, 64);
    assert_memory_not_equal(otp.entropy_seed, otp.iak, 32);
    assert_memory_not_equal(otp.iak, chip.huk, 32);
    assert_int_equal(
        plat_flash_read(FLASH_OTP_OFFSET + bl_otp_place() + ATTEST_OTP_AT, &a, sizeof(a)),
        PLAT_FLASH_OK);
    bl_sha256(&a, offsetof(struct attest_otp, digest), d);
    assert_memory_equal(d, a.digest, 32);
    assert_int_equal(a.magic, ATTEST_OTP_MAGIC);
    assert_memory_equal(a.otp_digest, otp.digest, 32);
    assert_memory_equal(a.iak_pub, iak_pub, 64);
    assert_memory_equal(a.implementation_id, c->implementation_id, 32);
    assert_int_equal(a.cert_ref_len, c->cert_ref_len);
    assert_memory_equal(a.cert_ref, c->cert_ref, c->cert_ref_len);
    assert_int_equal(a.url_len, c->url_len);
    assert_memory_equal(a.url, c->url, c->url_len);
    assert_int_equal(bl_oem_key(pub), BL_OK);
    assert_memory_equal(pub, lifecycle_pub, 64);
}

static int setup(void **state)
{
    (void)state;
    if (psa_crypto_init() != PSA_SUCCESS || host_flash_open_ram() != PLAT_FLASH_OK) {
        return -1;
    }
    pub_of(lifecycle_priv, lifecycle_pub);
    pub_of(ns_priv, ns_pub);
    const uint8_t other[32] = {[0] = 0x55, [31] = 0x66};
    pub_of(other, other_pub);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    host_flash_close();
    return 0;
}

static void sign(const uint8_t priv[32], const uint8_t digest[32], uint8_t sig[64])
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id;
    size_t n;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_HASH);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    assert_int_equal(psa_import_key(&a, priv, 32, &id), PSA_SUCCESS);
    assert_int_equal(psa_sign_hash(id, PSA_ALG_ECDSA(PSA_ALG_SHA_256), digest, 32, sig, 64, &n),
                     PSA_SUCCESS);
    psa_destroy_key(id);
}

static uint8_t move(uint32_t to, uint32_t transitions, const uint8_t *priv)
{
    struct sm_prov_request r = {.type = SM_PROV_LIFECYCLE, .to = to, .transitions = transitions};
    uint8_t req[SM_FRAME_PAYLOAD_MAX];
    if (priv != NULL) {
        uint8_t digest[32];
        bl_lifecycle_digest(chip.cert.chip_id, transitions, to, digest);
        sign(priv, digest, r.sig);
        r.is_signed = true;
    }
    const int n = sm_prov_encode_request(&r, req);
    return reason_of(handle(SM_PROV_LIFECYCLE, req, (size_t)n));
}

static void test_install(void **state)
{
    (void)state;
    struct sm_pkg_config c;
    static struct pkg p;
    uint8_t iak[64], again[64];
    make_chip();
    good_config(&c);
    build_config(&p, &c, chip_pub);
    assert_int_equal(install(&p, iak), SM_PROV_DONE);
    check_device(&c, iak);
    /* The last chunk again (its answer lost): the same RESULT, nothing written. */
    const struct sm_frame f = {
        .type = SM_PROV_CHUNK, .seq = seq, .len = (uint16_t)p.chunk_len[0], .payload = p.chunk[0]};
    host_flash_power_on();
    const int n = prov_handle(&f, &reply_type, reply);
    assert_int_equal(reply_type, SM_PROV_RESULT);
    assert_memory_equal(reply + SM_PROV_STATUS_SIZE, iak, 64);
    assert_int_equal(n, SM_PROV_RESULT_SIZE);
    assert_int_equal(host_flash_ops(), 0);
    /* Provisioned: the same package again is refused. */
    expect_refused(&p, SM_PROV_E_PROVISIONED);
    /* The OEM's lifecycle key moves it on; the NS key no longer does. */
    assert_int_equal(move(BL_LIFECYCLE_PSA_ROT_PROVISIONING, 0, NULL), SM_PROV_DONE);
    assert_int_equal(move(BL_LIFECYCLE_SECURED, 1, ns_priv), SM_PROV_E_UNAUTHORISED);
    assert_int_equal(move(BL_LIFECYCLE_SECURED, 1, lifecycle_priv), SM_PROV_DONE);
    /* SECURED takes no package. */
    make_chip();
    build_config(&p, &c, chip_pub);
    (void)p;
    /* The same chip and package, installed again from blank: the same IAK (a function of
     * the chip and the package, install-package.md). */
    assert_int_equal(install(&p, again), SM_PROV_DONE);
    assert_memory_equal(again, iak, 64);
}

static void test_refusals(void **state)
{
    (void)state;
    struct sm_pkg_config c;
    static struct pkg p, q;
    make_chip();
    good_config(&c);
    /* Wrapped for another chip. */
    build_config(&p, &c, other_pub);
    expect_refused(&p, SM_PROV_E_NOT_FOR_CHIP);
    /* BEGIN's tag, its id or its counts altered. */
    build_config(&p, &c, chip_pub);
    q = p;
    q.begin[24] ^= 1;
    expect_refused(&q, SM_PROV_E_TAMPERED);
    q = p;
    q.begin[3] ^= 1;
    expect_refused(&q, SM_PROV_E_TAMPERED);
    /* A chunk's ciphertext, tag or header altered, one bit each. */
    for (size_t at = 0; at < p.chunk_len[0]; at += 97) {
        q = p;
        q.chunk[0][at] ^= 0x10;
        const uint8_t want = at < SM_PKG_CHUNK_HDR ? SM_PROV_E_MALFORMED : SM_PROV_E_TAMPERED;
        expect_refused(&q, want);
    }
    q = p;
    q.chunk[0][p.chunk_len[0] - 1] ^= 0x80;
    expect_refused(&q, SM_PROV_E_TAMPERED);
    /* Truncated: a chunk a byte short; BEGIN alone (nothing written, no record). */
    q = p;
    q.chunk_len[0]--;
    expect_refused(&q, SM_PROV_E_MALFORMED);
    host_flash_power_on();
    assert_int_equal(reason_of(handle(SM_PROV_BEGIN, p.begin, sizeof(p.begin))), SM_PROV_DONE);
    assert_int_equal(host_flash_ops(), 0);
    assert_int_not_equal(bl_otp_check(), BL_OK);
    /* A chunk without BEGIN (a refusal ends the session). */
    q = p;
    q.chunk[0][20] ^= 1;
    expect_refused(&q, SM_PROV_E_TAMPERED);
    assert_int_equal(reason_of(handle(SM_PROV_CHUNK, p.chunk[0], p.chunk_len[0])),
                     SM_PROV_E_SEQUENCE);
    /* Another package key behind the same wrap: BEGIN's tag fails. */
    uint8_t stream[SM_PKG_CONFIG_SIZE];
    assert_int_equal(sm_pkg_encode_config(&c, SM_PKG_CONFIG_SIZE, stream), SM_PKG_CONFIG_SIZE);
    const uint8_t other_key[32] = {[0] = 1};
    build(&q, stream, SM_PKG_CONFIG_SIZE, other_key, chip_pub);
    memcpy(q.begin + 56, p.begin + 56, SM_PKG_WRAP_SIZE);
    expect_refused(&q, SM_PROV_E_TAMPERED);
    /* A configuration the parser refuses, authentic all the same. */
    stream[12] = 1; /* ITS size not whole sectors */
    build(&q, stream, SM_PKG_CONFIG_SIZE, pkg_key, chip_pub);
    expect_refused(&q, SM_PROV_E_CONFIG);
    /* A package whose image is no image (test_images: images that do not verify). */
    struct sm_pkg_config ci = c;
    ci.image_count = 1;
    ci.images[0] = (struct sm_pkg_image){.kind = BL_KIND_NS, .size = 1000};
    uint8_t big[SM_PKG_CONFIG_SIZE + 1000];
    memset(big, 0x3C, sizeof(big));
    assert_int_equal(sm_pkg_encode_config(&ci, sizeof(big), big), SM_PKG_CONFIG_SIZE);
    build(&q, big, sizeof(big), pkg_key, chip_pub);
    assert_int_equal(q.chunks, 2);
    expect_refused_images(&q, SM_PROV_E_IMAGE);
    /* A chunk of another index (chunk 1 first). */
    host_flash_power_on();
    assert_int_equal(reason_of(handle(SM_PROV_BEGIN, q.begin, sizeof(q.begin))), SM_PROV_DONE);
    assert_int_equal(reason_of(handle(SM_PROV_CHUNK, q.chunk[1], q.chunk_len[1])),
                     SM_PROV_E_SEQUENCE);
    assert_int_equal(host_flash_ops(), 0);
    /* A device that is not a chip (no chip record): nothing to unwrap with. */
    host_flash_power_on();
    assert_int_equal(plat_flash_erase(FLASH_OTP_OFFSET, FLASH_OTP_SIZE), PLAT_FLASH_OK);
    expect_refused(&p, SM_PROV_E_STORE); /* no state at all: the store says why */
    /* SECURED: no package. */
    make_chip();
    assert_int_equal(bl_lifecycle_set(BL_LIFECYCLE_PSA_ROT_PROVISIONING), BL_OK);
    assert_int_equal(bl_lifecycle_set(BL_LIFECYCLE_SECURED), BL_OK);
    expect_refused(&p, SM_PROV_E_LOCKED);
}

/* A power cut after each flash operation of an install, clean: the device is then either
 * provisioned (the same records as an uncut install) or not at all, and then the same package
 * again finishes it, in the same place. Torn (the interrupted unit half programmed): never
 * half provisioned, and the retry finishes it too: in the next place when the torn unit was
 * one of the records' (bl_otp.h, "places"). */
/* The sweep: a cut after each flash operation of the install of `p` (images checked in their
 * download slots when `img` is given: NS). */
static void sweep(const struct pkg *p, const struct sm_pkg_config *c, const uint8_t *img,
                  size_t img_len)
{
    uint8_t ref[64], iak[64];
    static uint8_t back[16 * 1024];
    make_chip();
    host_flash_power_on();
    assert_int_equal(install(p, ref), SM_PROV_DONE);
    const long total = host_flash_ops();
    assert_true(total > 50);
    for (int torn = 0; torn < 2; torn++) {
        long moved = 0;
        for (long cut = 0; cut < total; cut++) {
            /* Torn, a package with images: every 7th of the images' operations (each one's
             * retry erases the slots again, as every clean cut shows) and every one of the
             * records'. */
            if (torn && img != NULL && cut < total - 81 && cut % 7 != 0) {
                continue;
            }
            make_chip();
            host_flash_power_on();
            host_flash_cut_after(cut, torn != 0);
            assert_int_not_equal(install(p, iak), SM_PROV_DONE);
            host_flash_power_on();
            prov_install_end(); /* RAM is lost with the power */
            if (bl_otp_check() == BL_OK) {
                fail_msg("cut after %ld: provisioned without its last unit", cut);
            }
            uint32_t st;
            assert_int_equal(bl_lifecycle_get(&st), BL_OK);
            assert_int_equal(st, BL_LIFECYCLE_ASSEMBLY_AND_TEST);
            const uint8_t r = install(p, iak);
            if (r == SM_PROV_DONE) {
                check_device(c, iak);
                if (bl_otp_place() != 0u) {
                    assert_int_equal(bl_otp_place(), BL_OTP_PLACE_AT(1));
                    moved++;
                }
                assert_memory_equal(iak, ref, 64);
                if (img != NULL) {
                    const struct bl_slot_pair *ns = bl_slots(BL_KIND_NS);
                    struct bl_trailer t;
                    assert_int_equal(plat_flash_read(ns->secondary, back, img_len), PLAT_FLASH_OK);
                    assert_memory_equal(back, img, img_len);
                    assert_int_equal(bl_trailer_read(ns->secondary, ns->size, &t), BL_OK);
                    assert_true(t.magic && t.image_ok);
                }
            } else {
                fail_msg("cut after %ld%s: the retry refused: %s", cut, torn ? " (torn)" : "",
                         sm_prov_reason_text(r));
            }
        }
        print_message("%s cuts at %ld operations: %ld retries in the next place\n",
                      torn ? "torn" : "clean", total, moved);
        /* Clean, a retry rewrites the same bytes in place; torn, each of the records' 81
         * units torn costs place 0 (the records are the last 81 operations of each sweep). */
        if (torn) {
            assert_int_equal(moved, 81);
        } else {
            assert_int_equal(moved, 0);
        }
    }
    host_flash_cut_after(-1, false);
}

static void test_cut_at_every_operation(void **state)
{
    (void)state;
    struct sm_pkg_config c;
    static struct pkg p;
    good_config(&c);
    make_chip();
    build_config(&p, &c, chip_pub);
    sweep(&p, &c, NULL, 0);
}

/* The good package installed once on a fresh chip: its IAK in ref, and the install's flash
 * operations (the places' tests cut at them). */
static long reference_install(struct pkg *p, struct sm_pkg_config *c, uint8_t ref[64])
{
    good_config(c);
    make_chip();
    build_config(p, c, chip_pub);
    host_flash_power_on();
    assert_int_equal(install(p, ref), SM_PROV_DONE);
    return host_flash_ops();
}

/* The places (bl_otp.h): an install torn at its last unit (the device record's magic, the
 * commit) three times over leaves three places that do not verify, each skipped; the fourth
 * install goes into the last place, where every reader finds it (records, keys, the OEM key
 * that moves the lifecycle on, the HUK). A fourth torn install would leave none: the chip is
 * then lost, fail closed (no state, no install). A place whose head is right but not its
 * digest, in front of a whole one, is the place in use and fails closed; a whole one in front
 * of another wins. */
static void tear_last(const struct pkg *p, long total)
{
    uint8_t iak[64];
    host_flash_power_on();
    host_flash_cut_after(total - 1, true);
    assert_int_not_equal(install(p, iak), SM_PROV_DONE);
    host_flash_cut_after(-1, false);
    host_flash_power_on();
    prov_install_end();
    assert_int_not_equal(bl_otp_check(), BL_OK);
}

static void test_places(void **state)
{
    (void)state;
    struct sm_pkg_config c;
    static struct pkg p;
    uint8_t ref[64], iak[64], huk[32];
    uint32_t st;
    const long total = reference_install(&p, &c, ref);
    assert_int_equal(bl_otp_place(), 0);
    make_chip();
    for (uint32_t k = 0; k + 1 < BL_OTP_PLACES; k++) {
        tear_last(&p, total);
        assert_int_equal(bl_lifecycle_get(&st), BL_OK); /* a place left: still a blank chip */
        assert_int_equal(st, BL_LIFECYCLE_ASSEMBLY_AND_TEST);
        assert_int_equal(bl_otp_place(), BL_OTP_PLACE_AT(BL_OTP_PLACES - 1)); /* none whole */
        assert_int_equal(bl_otp_huk(huk), BL_OK);
        assert_memory_equal(huk, chip.huk, 32);
    }
    host_flash_power_on();
    assert_int_equal(install(&p, iak), SM_PROV_DONE);
    assert_int_equal(host_flash_ops(), 81); /* the last place's units, no other */
    assert_memory_equal(iak, ref, 64);
    check_device(&c, iak);
    assert_int_equal(bl_otp_place(), BL_OTP_PLACE_AT(BL_OTP_PLACES - 1));
    assert_int_equal(bl_otp_huk(huk), BL_OK);
    assert_memory_equal(huk, chip.huk, 32);
    expect_refused(&p, SM_PROV_E_PROVISIONED);
    assert_int_equal(move(BL_LIFECYCLE_PSA_ROT_PROVISIONING, 0, NULL), SM_PROV_DONE);
    assert_int_equal(move(BL_LIFECYCLE_SECURED, 1, ns_priv), SM_PROV_E_UNAUTHORISED);
    assert_int_equal(move(BL_LIFECYCLE_SECURED, 1, lifecycle_priv), SM_PROV_DONE);
    assert_int_equal(bl_lifecycle_get(&st), BL_OK);
    assert_int_equal(st, BL_LIFECYCLE_SECURED);

    /* Every place torn: no state, no install, the area as it was. */
    make_chip();
    for (uint32_t k = 0; k < BL_OTP_PLACES; k++) {
        tear_last(&p, total);
    }
    assert_int_equal(bl_lifecycle_get(&st), BL_E_CONFIG);
    assert_int_equal(bl_otp_place(), BL_OTP_PLACE_AT(BL_OTP_PLACES - 1));
    expect_refused(&p, SM_PROV_E_STORE);

    /* A record in place 0 whose head is right but not its digest (forged, or its head's unit
     * torn into bytes that still read right), a whole one in place 1: place 0 is the one in
     * use, and it fails closed (no state, so no provisioning stage either: bl_stage.c). Then a
     * whole one in place 0 too (no stage writes that): the first wins. */
    make_chip();
    host_flash_power_on();
    assert_int_equal(install(&p, iak), SM_PROV_DONE);
    struct bl_otp otp;
    assert_int_equal(bl_otp_read_field(0, &otp, sizeof(otp)), BL_OK);
    make_chip();
    struct bl_otp forged = otp;
    forged.module_slots = 2;
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET, &forged, sizeof(forged)), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET + BL_OTP_PLACE_AT(1), &otp, sizeof(otp)),
                     PLAT_FLASH_OK);
    assert_int_equal(bl_otp_place(), 0);
    assert_int_equal(bl_otp_check(), BL_E_CONFIG);
    assert_int_equal(bl_lifecycle_get(&st), BL_E_CONFIG);
    uint32_t slots;
    make_chip();
    bl_sha256(&forged, offsetof(struct bl_otp, digest), forged.digest);
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET, &forged, sizeof(forged)), PLAT_FLASH_OK);
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET + BL_OTP_PLACE_AT(1), &otp, sizeof(otp)),
                     PLAT_FLASH_OK);
    assert_int_equal(bl_otp_check(), BL_OK);
    assert_int_equal(bl_otp_place(), 0);
    assert_int_equal(bl_otp_read_field(offsetof(struct bl_otp, module_slots), &slots, 4), BL_OK);
    assert_int_equal(slots, 2);
}

/* A unit a cut tore before any of its bits made it: marked programmed, reading erased (the
 * board's backend sets the unit's programmed bit before its data, flash_mirror.c; the flash
 * rules: a unit programmed with the erased value is programmed). It is as torn as any other,
 * so it must cost its place, not the chip: the retry finishes in place 1. Here the commit's
 * last unit (the head of place 0's device record), then the first unit the records write (the
 * attestation block's last, in place 0 of a blank chip). */
static void test_place_torn_unit_reads_erased(void **state)
{
    (void)state;
    struct sm_pkg_config c;
    static struct pkg p;
    uint8_t ref[64], iak[64], ff[16];
    uint32_t st;
    memset(ff, 0xFF, sizeof(ff));
    const long total = reference_install(&p, &c, ref);

    make_chip();
    host_flash_power_on();
    host_flash_cut_after(total - 1, false); /* the head not written */
    assert_int_not_equal(install(&p, iak), SM_PROV_DONE);
    host_flash_cut_after(-1, false);
    host_flash_power_on();
    prov_install_end();
    /* The head's unit torn with none of its bits: programmed, still reading erased. */
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET, ff, sizeof(ff)), PLAT_FLASH_OK);
    assert_int_not_equal(bl_otp_check(), BL_OK);
    assert_int_equal(bl_lifecycle_get(&st), BL_OK);
    assert_int_equal(st, BL_LIFECYCLE_ASSEMBLY_AND_TEST); /* a blank chip, places left */
    host_flash_power_on();
    uint8_t r = install(&p, iak);
    if (r != SM_PROV_DONE) {
        host_flash_power_on();
        const uint8_t again = install(&p, iak); /* and every retry after it */
        fail_msg("the retry after a head torn to erased: %s, again: %s (the chip is lost with "
                 "three places left)",
                 sm_prov_reason_text(r), sm_prov_reason_text(again));
    }
    check_device(&c, iak);
    assert_memory_equal(iak, ref, 64);
    assert_int_equal(bl_otp_place(), BL_OTP_PLACE_AT(1));

    make_chip();
    host_flash_power_on();
    assert_int_equal(plat_flash_program(FLASH_OTP_OFFSET + ATTEST_OTP_AT +
                                            (sizeof(struct attest_otp) + 15u) / 16u * 16u - 16u,
                                        ff, sizeof(ff)),
                     PLAT_FLASH_OK);
    host_flash_power_on();
    r = install(&p, iak);
    if (r != SM_PROV_DONE) {
        fail_msg("an attestation unit torn to erased: %s", sm_prov_reason_text(r));
    }
    check_device(&c, iak);
    assert_int_equal(bl_otp_place(), BL_OTP_PLACE_AT(1));
}

static void gen(mbedtls_pk_context *pk, uint8_t pub[64])
{
    uint8_t point[65];
    size_t n;
    mbedtls_pk_init(pk);
    assert_int_equal(mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), 0);
    assert_int_equal(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*pk),
                                         mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE),
                     0);
    assert_int_equal(mbedtls_ecp_write_public_key(mbedtls_pk_ec(*pk), MBEDTLS_ECP_PF_UNCOMPRESSED,
                                                  &n, point, sizeof(point)),
                     0);
    memcpy(pub, point + 1, 64);
}

/* An image signed by `key`, encrypted for `for_pub`. */
static uint8_t *image(mbedtls_pk_context *key, const uint8_t for_pub[64], uint32_t slot_size,
                      size_t *len)
{
    struct sm_sign_opts o = {.hdr_size = 0x400, .pad_header = true, .slot_size = slot_size};
    o.version.major = 1;
    uint8_t payload[2000], *out = NULL;
    char err[160];
    for (size_t i = 0; i < sizeof(payload); i++) {
        payload[i] = (uint8_t)(i * 7u);
    }
    assert_int_equal(
        sm_image_sign(&o, payload, sizeof(payload), key, for_pub, &out, len, err, sizeof(err)), 0);
    return out;
}

/* A package with an SM image (encrypted for the chip's product key, as its vendor delivers it)
 * and an NS image (encrypted for the OEM's install key): written into the download slots,
 * verified there, marked for a permanent install, which the boot core then carries out for
 * NS with the device record's install key. An image signed by another key, one encrypted for
 * another key, and an NS image encrypted for the product key are each refused (reason 13),
 * their slots erased again, the provisioning area unchanged. */
static void test_images(void **state)
{
    (void)state;
    mbedtls_pk_context sm_key, ns_key, other_key;
    uint8_t sm_pub[64], ns_pub2[64], other[64], install_pub[64], product_pub[64], iak[64];
    static struct pkg p;
    static uint8_t stream[SM_PKG_CONFIG_SIZE + 16 * 1024];
    gen(&sm_key, sm_pub);
    gen(&ns_key, ns_pub2);
    gen(&other_key, other);
    make_chip();
    pub_of(install_key, install_pub);
    pub_of(chip.product_priv, product_pub);
    const struct bl_slot_pair *sm = bl_slots(BL_KIND_SM), *ns = bl_slots(BL_KIND_NS);
    for (int v = 1; v <= 4; v++) { /* the refusals first, on the blank chip */
        const int variant = v % 4;
        size_t sm_len, ns_len;
        uint8_t *smi = image(variant == 1 ? &other_key : &sm_key,
                             variant == 2 ? install_pub : product_pub, sm->size, &sm_len);
        uint8_t *nsi = image(&ns_key, variant == 3 ? product_pub : install_pub, ns->size, &ns_len);
        struct sm_pkg_config c;
        good_config(&c);
        memcpy(c.keys[BL_KIND_SM], sm_pub, 64);
        memcpy(c.keys[BL_KIND_NS], ns_pub2, 64);
        c.image_count = 2;
        c.images[0] = (struct sm_pkg_image){.kind = BL_KIND_SM, .size = (uint32_t)sm_len};
        c.images[1] = (struct sm_pkg_image){.kind = BL_KIND_NS, .size = (uint32_t)ns_len};
        const uint32_t length = (uint32_t)(SM_PKG_CONFIG_SIZE + sm_len + ns_len);
        assert_true(length <= sizeof(stream));
        assert_int_equal(sm_pkg_encode_config(&c, length, stream), SM_PKG_CONFIG_SIZE);
        memcpy(stream + SM_PKG_CONFIG_SIZE, smi, sm_len);
        memcpy(stream + SM_PKG_CONFIG_SIZE + sm_len, nsi, ns_len);
        build(&p, stream, length, pkg_key, chip_pub);
        if (variant != 0) {
            expect_refused_images(&p, SM_PROV_E_IMAGE);
            free(smi);
            free(nsi);
            continue;
        }
        /* Cut at every operation, images included (the slots are erased again by the
         * retry), then installed once more to boot, torn at its last unit first: the device
         * boots from its record's second place. */
        sweep(&p, &c, nsi, ns_len);
        make_chip();
        host_flash_power_on();
        assert_int_equal(install(&p, iak), SM_PROV_DONE);
        const long total = host_flash_ops();
        make_chip();
        tear_last(&p, total);
        host_flash_power_on();
        assert_int_equal(install(&p, iak), SM_PROV_DONE);
        assert_int_equal(bl_otp_check(), BL_OK);
        assert_int_equal(bl_otp_place(), BL_OTP_PLACE_AT(1));
        static uint8_t back[16 * 1024];
        assert_int_equal(plat_flash_read(sm->secondary, back, sm_len), PLAT_FLASH_OK);
        assert_memory_equal(back, smi, sm_len);
        assert_int_equal(plat_flash_read(ns->secondary, back, ns_len), PLAT_FLASH_OK);
        assert_memory_equal(back, nsi, ns_len);
        struct bl_trailer t;
        assert_int_equal(bl_trailer_read(sm->secondary, sm->size, &t), BL_OK);
        assert_true(t.magic && t.image_ok);
        assert_int_equal(bl_trailer_read(ns->secondary, ns->size, &t), BL_OK);
        assert_true(t.magic && t.image_ok);
        /* The first boot installs NS as any update, decrypted with the install key. */
        struct bl_journal j = {FLASH_UROT_JOURNAL_OFFSET, FLASH_UROT_SCRATCH_OFFSET};
        struct bl_boot_image b;
        assert_int_equal(bl_boot_image(&j, BL_KIND_NS, &b), BL_OK);
        assert_int_equal(b.kind, BL_KIND_NS);
        /* And the SM, decrypted with the chip's product key. */
        assert_int_equal(bl_boot_image(&j, BL_KIND_SM, &b), BL_OK);
        assert_int_equal(b.kind, BL_KIND_SM); /* its hash verified over the plaintext */
        free(smi);
        free(nsi);
    }
    mbedtls_pk_free(&sm_key);
    mbedtls_pk_free(&ns_key);
    mbedtls_pk_free(&other_key);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_cut_at_every_operation),
        cmocka_unit_test(test_places),
        cmocka_unit_test(test_place_torn_unit_reads_erased),
        cmocka_unit_test(test_images),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
