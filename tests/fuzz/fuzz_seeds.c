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

#include "bl_crypto.h"
#include "bl_otp.h"
#include "flash_map.h"
#include "fuzz_common.h"
#include "sm_keys.h"
#include "sm_sign.h"

static const char *root;

struct seed_image_opts {
    uint8_t major, minor;
    uint32_t sec_cnt; /* 0: no SEC_CNT TLV */
    size_t payload_len;
    uint32_t slot_size; /* with pad: padded to it, trailer written */
    bool pad, confirm, encrypt, pubkey_full, dep, other_key;
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

static void seed_write(const char *target, const char *name, const void *a, size_t a_len, const void *b,
                size_t b_len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", root, target);
    mkdir_p(path);
    snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(a, 1, a_len, f) != a_len || (b_len && fwrite(b, 1, b_len, f) != b_len) ||
        fclose(f) != 0) {
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
                             .pubkey_full = s->pubkey_full};
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

static void boot_seeds(void) {}
static void sm_calls_seeds(void) {}

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
    return 0;
}
