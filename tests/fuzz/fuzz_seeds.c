/*
 * fuzz_seeds.c: writes the seed corpus of each harness into DIR/<target>/, from the fixed
 * keys of fuzz_common.h: valid inputs of every shape the parsers know, so that fuzzing starts
 * past the first checks (a signature or a digest a mutation cannot find by chance).
 *
 * usage: fuzz_seeds DIR
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "module_fixture.h"
#include "bl_crypto.h"
#include "bl_otp.h"
#include "flash_map.h"
_Static_assert(FLASH_UROT_SLOT_SIZE == FLASH_MODULE_SLOT_SIZE, "fuzz_boot's images fit both");
#include "fuzz_common.h"
#include "sm_keys.h"
#include "sm_sign.h"

static const char *root;

struct seed_image_opts {
    uint8_t major, minor;
    uint32_t sec_cnt; /* 0: no SEC_CNT TLV */
    size_t payload_len;
    uint32_t slot_size; /* with pad: padded to it, trailer written */
    bool pad, confirm, encrypt, aes256, pubkey_full, dep, other_key;
};

static void die(const char *what)
{
    fprintf(stderr, "fuzz_seeds: %s\n", what);
    exit(1);
}

static void mkdir_p(const char *path)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        die(path);
    }
}

static void seed_write(const char *target, const char *name, const void *a, size_t a_len,
                       const void *b, size_t b_len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", root, target);
    mkdir_p(path);
    snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(a, 1, a_len, f) != a_len ||
        (b_len && fwrite(b, 1, b_len, f) != b_len) || fclose(f) != 0) {
        die(path);
    }
}

static int seed_image(const struct seed_image_opts *s, uint8_t **out, size_t *out_len)
{
    const struct fuzz_keys *k = fuzz_keys();
    mbedtls_pk_context pk;
    if (fuzz_pk_from_priv(s->other_key ? k->other_priv : k->sign_priv, &pk) != 0) {
        return -1;
    }
    struct sm_sign_opts o = {.hdr_size = 0x400,
                             .pad_header = true,
                             .slot_size = s->slot_size,
                             .pad = s->pad,
                             .confirm = s->confirm,
                             .has_sec_cnt = s->sec_cnt != 0,
                             .sec_cnt = s->sec_cnt,
                             .pubkey_full = s->pubkey_full,
                             .aes256 = s->aes256};
    o.version.major = s->major;
    o.version.minor = s->minor;
    if (s->dep) {
        o.n_deps = 1;
        o.deps[0].image_id = 1;
        o.deps[0].min_version.major = 1;
    }
    uint8_t *payload = malloc(s->payload_len);
    for (size_t i = 0; i < s->payload_len; i++) {
        payload[i] = (uint8_t)(s->major * 31u + i * 7u);
    }
    char err[160];
    int rc = sm_image_sign(&o, payload, s->payload_len, &pk, s->encrypt ? k->enc_pub : NULL, out,
                           out_len, err, sizeof(err));
    free(payload);
    mbedtls_pk_free(&pk);
    if (rc != 0) {
        fprintf(stderr, "fuzz_seeds: sign: %s\n", err);
    }
    return rc;
}

static void image_seeds(void)
{
    static const struct {
        const char *name;
        uint8_t ctx0, min_sec;
        struct seed_image_opts o;
    } seeds[] = {
        {"plain", 0, 0, {.major = 1, .payload_len = 100}},
        {"sec_cnt", 0, 3, {.major = 1, .sec_cnt = 5, .payload_len = 333}},
        {"rollback", 0, 9, {.major = 1, .sec_cnt = 5, .payload_len = 64}},
        {"pubkey", 0, 0, {.major = 2, .pubkey_full = true, .payload_len = 17}},
        {"dependency", 0, 0, {.major = 1, .dep = true, .payload_len = 48}},
        {"encrypted", 1, 0, {.major = 3, .encrypt = true, .payload_len = 203}},
        {"encrypted_nodecrypt", 0, 0, {.major = 3, .encrypt = true, .payload_len = 40}},
        {"encrypted_aes256",
         1,
         0,
         {.major = 3, .encrypt = true, .aes256 = true, .payload_len = 77}},
        {"other_key", 0, 0, {.major = 1, .other_key = true, .payload_len = 32}},
    };
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        uint8_t *img;
        size_t len;
        if (seed_image(&seeds[i].o, &img, &len) != 0) {
            die("image seed");
        }
        const uint8_t ctx[4] = {seeds[i].ctx0, seeds[i].min_sec, 0x40, 0xA0};
        seed_write("image", seeds[i].name, ctx, sizeof(ctx), img, len);
        free(img);
    }
}

static void otp_seeds(void)
{
    const struct fuzz_keys *k = fuzz_keys();
    struct bl_otp otp;
    memset(&otp, 0, sizeof(otp));
    otp.magic = BL_OTP_MAGIC;
    otp.version = BL_OTP_VERSION;
    otp.lifecycle = BL_LIFECYCLE_SECURED;
    otp.module_slots = 2;
    otp.its_size = 0x10000;
    otp.its_max_asset = 4096;
    memcpy(otp.enc_priv, k->enc_priv, 32);
    for (int kind = 0; kind < BL_KIND_COUNT; kind++) {
        if (kind != BL_KIND_MODULE0 + 3) { /* one kind without a key */
            uint8_t der[91];
            memcpy(otp.keys[kind].pub, kind % 2 ? k->other_pub : k->sign_pub, 64);
            bl_pubkey_der(otp.keys[kind].pub, der);
            bl_sha256(der, sizeof(der), otp.keys[kind].hash);
        }
    }
    otp.keys[BL_KIND_NS].hash[0] ^= 1; /* one key whose hash is wrong */
    bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);
    const uint8_t sealed = 0, seal = 1, seal_sparse = 3;
    seed_write("otp", "provisioned", &sealed, 1, &otp, sizeof(otp));
    seed_write("otp", "provisioned_sparse", &seal_sparse, 1, &otp, sizeof(otp));
    otp.its_size = FLASH_ITS_SIZE_MAX;
    otp.module_slots = FLASH_MODULE_SLOTS_MAX;
    seed_write("otp", "largest", &seal, 1, &otp, sizeof(otp));
    seed_write("otp", "blank", &sealed, 1, NULL, 0);
}

/* Boot states (fuzz_boot.c's input format): images in the slots, trailer fields, a cut. */
/* The images fuzz_boot.c boots, made here once per build so that its runs repeat exactly (an
 * encrypted image takes fresh randomness each time it is made): DIR/boot_images, each image
 * as a little-endian u32 length and its bytes, in fuzz_boot.c's order. */
static void boot_images(void)
{
    static const struct seed_image_opts imgs[] = {
        {.major = 1, .sec_cnt = 1, .payload_len = 700},              /* settled */
        {.major = 2, .sec_cnt = 2, .payload_len = 700, .pad = true}, /* trial */
        {.major = 3, .sec_cnt = 3, .payload_len = 700, .pad = true, .confirm = true},
        {.major = 4, .sec_cnt = 4, .payload_len = 700, .pad = true, .encrypt = true},
        {.major = 5, .sec_cnt = 5, .payload_len = 700, .pad = true, .other_key = true},
        {.major = 6, .sec_cnt = 6, .payload_len = 700, .pad = true, .dep = true},
        {.major = 7,
         .sec_cnt = 0,
         .payload_len = 700,
         .pad = true,
         .confirm = true,
         .encrypt = true,
         .aes256 = true},
        {.major = 8, .sec_cnt = 9, .payload_len = 700}, /* no request */
    };
    char path[512];
    snprintf(path, sizeof(path), "%s/boot_images", root);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        die(path);
    }
    for (size_t i = 0; i < sizeof(imgs) / sizeof(imgs[0]); i++) {
        struct seed_image_opts o = imgs[i];
        o.slot_size = FLASH_UROT_SLOT_SIZE; /* = FLASH_MODULE_SLOT_SIZE: both kinds fuzzed */
        uint8_t *img, len4[4];
        size_t len;
        if (seed_image(&o, &img, &len) != 0) {
            die("boot image");
        }
        for (int b = 0; b < 4; b++) {
            len4[b] = (uint8_t)(len >> (8 * b));
        }
        if (fwrite(len4, 1, 4, f) != 4 || fwrite(img, 1, len, f) != len) {
            die(path);
        }
        free(img);
    }
    if (fclose(f) != 0) {
        die(path);
    }
}

static void boot_seeds(void)
{
    boot_images();
    static const struct {
        const char *name;
        uint8_t hdr[10];
    } seeds[] = {
        {"settled", {1, 0, 0x00, 0, 0, 0xFF, 0xFF, 0}},
        {"install_trial", {1, 2, 0x00, 0, 0, 0xFF, 0xFF, 0}},
        {"install_trial_cut", {1, 2, 0x00, 0, 0, 40, 0, 0}},
        {"install_permanent_cut_torn", {1, 3, 0x01, 0, 0, 25, 0, 0}},
        {"install_encrypted_cut", {1, 4, 0x00, 0, 0, 30, 0, 0}},
        {"install_encrypted_module", {1, 4, 0x02, 0, 0, 12, 0, 0}},
        {"install_aes256_cut", {1, 7, 0x00, 0, 0, 35, 0, 0}},
        {"other_key", {1, 5, 0x00, 0, 0, 3, 0, 0}},
        {"unmet_dependency", {1, 6, 0x00, 0, 0, 0xFF, 0xFF, 0}},
        {"rollback", {8, 7, 0x00, 0, 0, 2, 0, 0}},
        {"revert", {2, 1, 0x30, 0, 0, 20, 0, 0}},
        {"revert_cut_torn", {2, 1, 0x31, 0, 0, 33, 0, 0}},
        {"no_active", {0, 2, 0x00, 0, 0, 10, 0, 0}},
        {"resume_half_install", {1, 2, 0x08, 35, 0, 0xFF, 0xFF, 0}},
        {"resume_half_install_cut", {1, 4, 0x0D, 20, 0, 15, 0, 0}},
        {"counter_ahead", {1, 0, 0x00, 0, 0, 0xFF, 0xFF, 9}},
        {"journal_worn", {1, 2, 0x00, 0, 0, 0xFF, 0xFF, 0, 230, 0}},
        {"journal_worn_cut", {1, 4, 0x01, 0, 0, 9, 0, 0, 240, 0}},
        {"counters_worn", {1, 3, 0x00, 0, 0, 0xFF, 0xFF, 1, 0, 255}},
        {"counters_worn_cut", {1, 3, 0x00, 0, 0, 30, 0, 1, 0, 255}},
    };
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        seed_write("boot", seeds[i].name, seeds[i].hdr, sizeof(seeds[i].hdr), NULL, 0);
    }
    /* A patch: the download slot's trailer magic written by hand (region 4, last unit). */
    static const uint8_t patch[8 + 4 + 16] = {
        1,    1,    0,    0,    0,    0xFF, 0xFF, 0,    4,    0xF0, 0x1F, 0,    0x10, 0x00,
        0x2d, 0xe1, 0x5d, 0x29, 0x41, 0x0b, 0x8d, 0x77, 0x67, 0x9c, 0x11, 0x0f, 0x1f, 0x8a,
    };
    seed_write("boot", "patched_request", patch, sizeof(patch), NULL, 0);
}
/* Request sequences (fuzz_sm_calls.c's input format), written out byte by byte: the structs
 * of its_ipc.h and crypto_ipc.h in their little-endian layout (this program sees Mbed TLS in
 * the host configuration, not the crypto client's). */
#define LAST 0xFFFFFFFEu /* fuzz_sm_calls.c: the last handle or key id returned */

struct seq {
    uint8_t b[2048];
    size_t n;
};

static void put8(struct seq *q, uint32_t v)
{
    q->b[q->n++] = (uint8_t)v;
}

static void put16(struct seq *q, uint32_t v)
{
    put8(q, v);
    put8(q, v >> 8);
}

static void put32(struct seq *q, uint32_t v)
{
    put16(q, v);
    put16(q, v >> 16);
}

/* A raw crypto call: in[0] = struct crypto_ipc_call (32 bytes), then `extra` inputs. */
static void crypto_call(struct seq *q, uint16_t func, uint32_t key, uint32_t alg, uint32_t handle,
                        int n_extra, const size_t *extra_len, const uint8_t *const *extra,
                        int n_out, const size_t *out_len)
{
    put8(q, 2); /* raw call */
    put8(q, 1); /* the crypto handle */
    put16(q, 0);
    put8(q, (uint32_t)((1 + n_extra) << 4 | n_out));
    put16(q, 32);
    put16(q, func);
    put16(q, 0);
    put32(q, handle);
    put32(q, key);
    put32(q, alg);
    for (int i = 0; i < 16; i++) {
        put8(q, 0);
    }
    for (int v = 0; v < n_extra; v++) {
        put16(q, (uint32_t)extra_len[v]);
        for (size_t k = 0; k < extra_len[v]; k++) {
            put8(q, extra[v][k]);
        }
    }
    for (int v = 0; v < n_out; v++) {
        put16(q, (uint32_t)out_len[v]);
    }
}

/* struct crypto_ipc_attr (24 bytes) */
static void attr(uint8_t out[24], uint16_t type, uint16_t bits, uint32_t lifetime, uint32_t usage,
                 uint32_t alg, uint32_t id)
{
    const uint32_t w[6] = {type | (uint32_t)bits << 16, lifetime, usage, alg, 0, id};
    for (int i = 0; i < 24; i++) {
        out[i] = (uint8_t)(w[i / 4] >> (8 * (i % 4)));
    }
}

static void sm_calls_seeds(void)
{
    struct seq q;
    static const uint8_t abc[3] = {'a', 'b', 'c'}, key16[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const uint8_t *in[2];
    size_t in_len[2], out_len[2];

    /* ITS, well formed: set, get, info, get at an offset, remove, get again. */
    memset(&q, 0, sizeof(q));
    put8(&q, 6), put8(&q, 0), put8(&q, 1), put8(&q, 0), put8(&q, 0), put8(&q, 4);
    for (int i = 0; i < 32; i++) {
        put8(&q, (uint32_t)(i * 3));
    }
    put8(&q, 6), put8(&q, 1), put8(&q, 1), put8(&q, 0), put8(&q, 0), put8(&q, 4);
    put8(&q, 6), put8(&q, 2), put8(&q, 1), put8(&q, 0), put8(&q, 0), put8(&q, 0);
    put8(&q, 6), put8(&q, 1), put8(&q, 1), put8(&q, 0), put8(&q, 5), put8(&q, 2);
    put8(&q, 6), put8(&q, 3), put8(&q, 1), put8(&q, 0), put8(&q, 0), put8(&q, 0);
    put8(&q, 6), put8(&q, 1), put8(&q, 1), put8(&q, 0), put8(&q, 0), put8(&q, 4);
    seed_write("sm_calls", "its_roundtrip", q.b, q.n, NULL, 0);

    /* ITS, raw: a set and a get with in[0] = struct its_ipc_args (uid, flags, offset). */
    memset(&q, 0, sizeof(q));
    put8(&q, 3), put8(&q, 0), put16(&q, 1), put8(&q, 0x20);
    put16(&q, 16), put32(&q, 0x1234), put32(&q, 0), put32(&q, 0), put32(&q, 0);
    put16(&q, 5), put32(&q, 0x64636261), put8(&q, 0x65);
    put8(&q, 4), put8(&q, 0), put16(&q, 2), put8(&q, 0x11);
    put16(&q, 16), put32(&q, 0x1234), put32(&q, 0), put32(&q, 0), put32(&q, 1);
    put16(&q, 8);
    seed_write("sm_calls", "its_raw", q.b, q.n, NULL, 0);

    /* Crypto: random bytes; SHA-256 of "abc". */
    memset(&q, 0, sizeof(q));
    out_len[0] = 32;
    crypto_call(&q, 113, 0, 0, 0, 0, NULL, NULL, 1, out_len);
    in[0] = abc, in_len[0] = 3;
    crypto_call(&q, 16, 0, 0x02000009, 0, 1, in_len, in, 1, out_len);
    seed_write("sm_calls", "crypto_random_hash", q.b, q.n, NULL, 0);

    /* Crypto: a multipart hash: setup, update, clone, finish (LAST: the last handle). */
    memset(&q, 0, sizeof(q));
    out_len[0] = 4;
    crypto_call(&q, 18, 0, 0x02000009, 0, 0, NULL, NULL, 1, out_len);
    crypto_call(&q, 19, 0, 0, LAST, 1, in_len, in, 0, NULL);
    out_len[0] = 4;
    crypto_call(&q, 22, 0, 0, LAST, 0, NULL, NULL, 1, out_len); /* clone */
    out_len[0] = 32;
    crypto_call(&q, 20, 0, 0, LAST, 0, NULL, NULL, 1, out_len);
    seed_write("sm_calls", "crypto_hash_multipart", q.b, q.n, NULL, 0);

    /* Crypto: a persistent AES key (id 0x10), CTR encryption with it, a MAC, export, destroy. */
    uint8_t a[24];
    memset(&q, 0, sizeof(q));
    attr(a, 0x2400, 128, 1, 0x0300 | 0x0001, 0x04c01000, 0x10);
    in[0] = a, in_len[0] = sizeof(a);
    in[1] = key16, in_len[1] = sizeof(key16);
    out_len[0] = 4;
    crypto_call(&q, 2, 0, 0, 0, 2, in_len, in, 1, out_len);
    in[0] = abc, in_len[0] = 3;
    out_len[0] = 19;
    crypto_call(&q, 48, 0x10, 0x04c01000, 0, 1, in_len, in, 1, out_len);
    out_len[0] = 16;
    crypto_call(&q, 5, 0x10, 0, 0, 0, NULL, NULL, 1, out_len);
    crypto_call(&q, 7, 0x10, 0, 0, 0, NULL, NULL, 0, NULL);
    seed_write("sm_calls", "crypto_key", q.b, q.n, NULL, 0);

    /* Crypto: a volatile HMAC key, a MAC with it, a multipart MAC verify (LAST: its id). */
    memset(&q, 0, sizeof(q));
    attr(a, 0x1100, 128, 0, 0x0400 | 0x0800, 0x03800009, 0);
    in[0] = a, in_len[0] = sizeof(a);
    in[1] = key16, in_len[1] = sizeof(key16);
    out_len[0] = 4;
    crypto_call(&q, 2, 0, 0, 0, 2, in_len, in, 1, out_len);
    in[0] = abc, in_len[0] = 3;
    out_len[0] = 32;
    crypto_call(&q, 32, LAST, 0x03800009, 0, 1, in_len, in, 1, out_len);
    out_len[0] = 4;
    crypto_call(&q, 35, LAST, 0x03800009, 0, 0, NULL, NULL, 1, out_len);
    crypto_call(&q, 36, 0, 0, LAST, 1, in_len, in, 0, NULL);
    seed_write("sm_calls", "crypto_mac", q.b, q.n, NULL, 0);

    /* Connections: to each SID, then closes, and a call on an open handle. */
    memset(&q, 0, sizeof(q));
    for (uint32_t i = 0; i < 5; i++) {
        put8(&q, 0), put8(&q, i), put8(&q, 1);
    }
    put8(&q, 2), put8(&q, 2), put16(&q, 0), put8(&q, 0x11), put16(&q, 4), put32(&q, 0);
    put16(&q, 4);
    put8(&q, 1), put8(&q, 0), put8(&q, 1), put8(&q, 200);
    seed_write("sm_calls", "connections", q.b, q.n, NULL, 0);
}

/* fuzz_module_desc: the well-formed module of module_fixture.h for a roomy RAM window, for a
 * window it just fits, and with bases that wrap. */
static void module_desc_seeds(void)
{
    static const struct {
        const char *name;
        uint32_t window, flash, ram;
    } seeds[] = {
        {"fixture", 4096, 0x10200400u, 0x38030000u},
        {"exact_window", MODULE_FIXTURE_RAM, 0x10200400u, 0x38030000u},
        {"wrapping_flash", 4096, 0xFFFFFF80u, 0x38030000u},
    };
    uint8_t payload[MODULE_FIXTURE_LEN];
    module_fixture(payload);
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        uint8_t ctx[12];
        module_fixture_put32(ctx, seeds[i].window);
        module_fixture_put32(ctx + 4, seeds[i].flash);
        module_fixture_put32(ctx + 8, seeds[i].ram);
        seed_write("module_desc", seeds[i].name, ctx, sizeof(ctx), payload, sizeof(payload));
    }
}

/* fuzz_token: claims for the encoder (modes 1 to 3; the harness signs them) in each profile,
 * with and without the optional claims, and a minimal mode-0 input. */
static void token_seeds(void)
{
    uint8_t b[256];
    for (int i = 0; i < 8; i++) {
        memset(b, 0, sizeof(b));
        b[0] = (uint8_t)(1 + i % 3); /* mode */
        b[1] = (uint8_t)(i | 0x18);  /* profile, nonce size, cert ref and URL */
        for (size_t j = 2; j < sizeof(b); j++) {
            b[j] = (uint8_t)(j * 31u + (unsigned)i * 7u);
        }
        b[66] = 0x30, b[67] = 0x00; /* lifecycle SECURED */
        char name[16];
        snprintf(name, sizeof(name), "claims%d", i);
        seed_write("token", name, b, sizeof(b), NULL, 0);
    }
    static const uint8_t raw[] = {0, 0xD2, 0x84, 0x43, 0xA1, 0x01, 0x26, 0xA0, 0x41, 0xA0, 0x40};
    seed_write("token", "raw", raw, sizeof(raw), NULL, 0);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        die("usage: fuzz_seeds DIR");
    }
    root = argv[1];
    mkdir_p(root);
    if (sm_keys_init() != 0) {
        die("no crypto");
    }
    image_seeds();
    otp_seeds();
    boot_seeds();
    sm_calls_seeds();
    token_seeds();
    module_desc_seeds();
    return 0;
}
