/*
 * fuzz_boot.c: the boot stage's decisions (bl_boot.c, bl_swap.c, bl_trailer.c and the counters
 * and journal they use) over the host's RAM flash with power-cut injection: arbitrary slot
 * contents, trailers, journal, scratch and counters, and a power cut chosen by the input.
 *
 * The setup is made once per process: a provisioned OTP area (the fixed keys of
 * fuzz_common.h) and a few small images signed with them (valid, install requests on trial or
 * permanent, encrypted, by another key, with an unmet dependency, rolled back: made once per
 * build by fuzz_seeds.c, so runs repeat), each checked once by the independent verifier. An
 * input then says:
 *   [0] primary image, [1] download image (0 = none, else 1 + index into the images)
 *   [2] bit 0: the test boot's cut is torn; bit 1: kind module 0 (the uRoT's journal) instead
 *       of the uRoT (the iRoT's); bit 2: the preparing boot's cut is torn; bit 3: run a
 *       preparing boot first, cut after [3..4] operations (a real half-done install, journal
 *       and counters, to corrupt further); bits 4..6: set the primary trailer's trial, booted,
 *       image_ok fields
 *   [3..4] preparing cut, [5..6] test cut (0xFFFF: none), little endian
 *   [7]    raise the kind's security counter to this first (0: leave it)
 *   [8], [9] wear: [8] / 255 of the first journal sector and [9] / 255 of the first counter
 *          sector programmed with noise after what is there (units a power cut tore in earlier
 *          operations), so that the journal's change of sector and the counters' compaction
 *          are reached
 *   then patches, each [region][offset lo][offset hi][units - 1 (low 2 bits)] + 16 bytes per
 *   unit, programmed over the region (0 journal, 1 scratch, 2 counters, 3/4 the last sector
 *   of the primary/download slot (trailers), 5/6 their first sector (headers)).
 * Then: (reference) the same state booted without a cut; the test boot with its cut; a boot
 * after power returns; one more boot.
 * Oracles:
 * - every boot either refuses with a defined reason, or boots an image whose bytes in the
 *   active slot are exactly those of one of the signed images (verified independently), with
 *   its measurement and counter, at least the device's security counter before the boot;
 * - a security counter never goes down;
 * - if the boot without a cut succeeds, the boot after the cut succeeds too (a power cut never
 *   leaves the device without a bootable image);
 * - a successful boot is followed by a successful one, with the same image unless it was a
 *   trial (whose second boot may revert it).
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bl_boot.h"
#include "bl_counter.h"
#include "bl_crypto.h"
#include "bl_image.h"
#include "bl_reader.h"
#include "bl_slots.h"
#include "bl_status.h"
#include "bl_trailer.h"
#include "flash_map.h"
#include "fuzz_common.h"
#include "host_flash.h"
#include "mbedtls/aes.h"
#include "plat_flash.h"

#define N_IMAGES 8
#define HDR_LEN  10u
#define NO_CUT   0xFFFFu

struct image {
    uint8_t *bytes;    /* as signed (encrypted ones encrypted) */
    uint8_t *plain;    /* as installed: the payload decrypted */
    size_t len;        /* header, payload and TLVs (the pad and trailer excluded) */
    size_t signed_len; /* header, payload and protected TLVs: what the signature covers */
    size_t padded;     /* with the pad to the slot and the trailer, if any */
    uint8_t measurement[32];
    uint32_t sec_cnt;
    bool ours; /* signed with the key provisioned for the kinds fuzzed */
};

static struct image images[N_IMAGES];

/* The flash areas an input may touch, saved erased (OTP programmed) once, restored per input. */
static const struct {
    uint32_t off, len;
} areas[] = {
    {FLASH_COUNTERS_OFFSET, FLASH_UROT_SCRATCH_OFFSET + FLASH_SCRATCH_SIZE - FLASH_COUNTERS_OFFSET},
    {FLASH_UROT_PRIMARY_OFFSET, 2 * FLASH_UROT_SLOT_SIZE},
    {FLASH_MODULES_OFFSET, 2 * FLASH_MODULE_SLOT_SIZE},
};
#define N_AREAS (sizeof(areas) / sizeof(areas[0]))
static uint8_t *area_data[N_AREAS], *area_prog[N_AREAS];

static enum bl_kind kind;
static struct bl_journal journal;
static const struct bl_slot_pair *slots;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Takes image i (as signed) and makes its installed form, measurement and counter. */
static void load_image(int i, const uint8_t *bytes, size_t len)
{
    const struct fuzz_keys *k = fuzz_keys();
    struct image *img = &images[i];
    img->bytes = malloc(len);
    memcpy(img->bytes, bytes, len);
    img->padded = len;
    struct bl_reader r = bl_reader_mem(img->bytes, (uint32_t)img->padded);
    struct bl_image_info info;
    if (bl_image_parse(&r, &info) != BL_OK) {
        fuzz_fail("image %d does not parse", i);
    }
    img->len = info.total_size;
    img->signed_len = info.tlv_off;
    img->sec_cnt = info.has_sec_cnt ? info.sec_cnt : 0;
    img->plain = malloc(img->len);
    memcpy(img->plain, img->bytes, img->len);
    if (info.enc_key_len != 0) {
        /* Installed form: the payload decrypted (key unwrapped by the boot core, payload
         * decrypted by Mbed TLS), then checked by the independent verifier below. */
        uint8_t aes_key[BL_ENC_KEY_MAX], nonce[16] = {0}, stream[16];
        size_t nc = 0;
        mbedtls_aes_context aes;
        mbedtls_aes_init(&aes);
        if (bl_image_key(&r, &info, k->enc_priv, aes_key) != BL_OK ||
            mbedtls_aes_setkey_enc(&aes, aes_key, info.enc_key_len * 8u) != 0 ||
            mbedtls_aes_crypt_ctr(&aes, info.hdr.img_size, &nc, nonce, stream,
                                  img->bytes + info.hdr.hdr_size,
                                  img->plain + info.hdr.hdr_size) != 0) {
            fuzz_fail("decrypting image %d", i);
        }
        mbedtls_aes_free(&aes);
    }
    img->ours = fuzz_check_image(img->plain, img->len, k->sign_pub, NULL, 0, img->measurement) == 0;
    if (!img->ours &&
        fuzz_check_image(img->plain, img->len, k->other_pub, NULL, 0, img->measurement) != 0) {
        fuzz_fail("image %d does not verify independently", i);
    }
}

/* The images fuzz_seeds made for this build (FUZZ_BOOT_IMAGES, set by CMake). */
static void load_images(void)
{
    const char *path = getenv("FUZZ_BOOT_IMAGES");
    FILE *f = fopen(path != NULL ? path : FUZZ_BOOT_IMAGES, "rb");
    static uint8_t buf[FLASH_UROT_SLOT_SIZE];
    for (int i = 0; i < N_IMAGES; i++) {
        uint8_t len4[4];
        if (f == NULL || fread(len4, 1, 4, f) != 4 || fuzz_le32(len4) > sizeof(buf) ||
            fread(buf, 1, fuzz_le32(len4), f) != fuzz_le32(len4)) {
            fuzz_fail("cannot read the boot images (%s)", path != NULL ? path : FUZZ_BOOT_IMAGES);
        }
        load_image(i, buf, fuzz_le32(len4));
    }
    fclose(f);
}

static void save_areas(void)
{
    for (size_t a = 0; a < N_AREAS; a++) {
        area_data[a] = malloc(areas[a].len);
        area_prog[a] = calloc(areas[a].len / FLASH_PROGRAM_UNIT / 8 + 1, 1);
        if (host_flash_save(areas[a].off, areas[a].len, area_data[a], area_prog[a]) !=
            PLAT_FLASH_OK) {
            fuzz_fail("save");
        }
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet();
    const struct fuzz_keys *k = fuzz_keys();
    if (host_flash_open_ram() != PLAT_FLASH_OK) {
        fuzz_fail("setup");
    }
    struct bl_otp otp;
    memset(&otp, 0, sizeof(otp));
    otp.magic = BL_OTP_MAGIC;
    otp.version = BL_OTP_VERSION;
    otp.lifecycle = BL_LIFECYCLE_SECURED;
    otp.module_slots = 1;
    otp.its_size = 0x10000;
    memcpy(otp.enc_priv, k->enc_priv, 32);
    for (size_t i = 0; i < sizeof(otp.huk); i++) {
        otp.huk[i] = (uint8_t)(0x5A + 13u * i); /* the records' key: fixed, not the input's */
    }
    for (int i = 0; i < BL_KIND_COUNT; i++) {
        bool ours = i == BL_KIND_UROT || i == BL_KIND_MODULE0;
        uint8_t der[91];
        memcpy(otp.keys[i].pub, ours ? k->sign_pub : k->other_pub, 64);
        bl_pubkey_der(otp.keys[i].pub, der);
        bl_sha256(der, sizeof(der), otp.keys[i].hash);
    }
    bl_sha256(&otp, offsetof(struct bl_otp, digest), otp.digest);
    if (plat_flash_program(FLASH_OTP_OFFSET, &otp, sizeof(otp)) != PLAT_FLASH_OK) {
        fuzz_fail("OTP");
    }
    /* As smtool provision does: the first authentic counter record, without which every boot
     * refuses with BL_E_COUNTERS (bl_counter.h); an input may still erase or forge over it. */
    if (bl_counter_provision() != BL_OK) {
        fuzz_fail("counter provisioning");
    }
    load_images();
    save_areas();
    return 0;
}

static jmp_buf cut_jmp;

static void on_cut(void *ctx)
{
    (void)ctx;
    longjmp(cut_jmp, 1);
}

static void program(uint32_t off, const uint8_t *bytes, size_t len)
{
    static const uint8_t erased[16] = {[0 ... 15] = 0xFF};
    for (size_t u = 0; u < len; u += 16) {
        uint8_t unit[16];
        memset(unit, 0xFF, sizeof(unit));
        memcpy(unit, bytes + u, len - u < 16 ? len - u : 16); /* the last unit padded erased */
        if (memcmp(unit, erased, 16) != 0 &&
            plat_flash_program(off + (uint32_t)u, unit, 16) != PLAT_FLASH_OK) {
            fuzz_fail("programming the setup");
        }
    }
}

/* Overwrites one unit (a snapshot write: any contents, marked programmed). */
static void patch_unit(uint32_t off, const uint8_t unit[16])
{
    uint8_t prog = 1;
    if (host_flash_restore(off, 16, unit, &prog) != PLAT_FLASH_OK) {
        fuzz_fail("patch");
    }
}

/* One boot of the stage, as the iRoT and uRoT do it. Returns the status; a cut returns 1. */
static int boot(long cut, bool torn, struct bl_boot_image *out)
{
    volatile int rc = BL_OK;
    memset(out, 0, sizeof(*out));
    host_flash_power_on();
    if (cut >= 0) {
        host_flash_on_cut(on_cut, NULL);
        host_flash_cut_after(cut, torn);
        if (setjmp(cut_jmp) != 0) {
            host_flash_on_cut(NULL, NULL);
            host_flash_cut_after(-1, false);
            host_flash_power_on();
            return 1;
        }
    }
    rc = bl_boot_resume(&journal);
    if (rc == BL_OK) {
        rc = bl_boot_image(&journal, kind, out);
    }
    if (rc == BL_OK && out->trial) {
        rc = bl_boot_mark_trial_run(kind);
    }
    host_flash_on_cut(NULL, NULL);
    host_flash_cut_after(-1, false);
    if (!host_flash_powered()) {
        host_flash_power_on();
        return 1; /* the cut came inside a call that does not report it to us */
    }
    return rc;
}

/* Programs `units` units of noise into the sector at `sector`, after its programmed prefix. */
static void wear(uint32_t sector, uint32_t units, uint32_t noise)
{
    uint8_t unit[16];
    for (uint32_t u = 0, done = 0; u < FLASH_SECTOR_SIZE / 16u && done < units; u++) {
        uint32_t at = sector + u * 16u;
        if (plat_flash_is_programmed(at) == 1) {
            continue;
        }
        for (int b = 0; b < 16; b++) {
            noise = noise * 1664525u + 1013904223u;
            unit[b] = (uint8_t)(noise >> 24);
        }
        patch_unit(at, unit);
        done++;
    }
}

static void setup(const uint8_t *data, size_t size)
{
    for (size_t a = 0; a < N_AREAS; a++) {
        if (host_flash_restore(areas[a].off, areas[a].len, area_data[a], area_prog[a]) !=
            PLAT_FLASH_OK) {
            fuzz_fail("restore");
        }
    }
    host_flash_power_on();
    const uint8_t which[2] = {(uint8_t)(data[0] % (N_IMAGES + 1)),
                              (uint8_t)(data[1] % (N_IMAGES + 1))};
    const uint32_t slot[2] = {slots->primary, slots->secondary};
    for (int s = 0; s < 2; s++) {
        if (which[s] != 0) {
            const struct image *img = &images[which[s] - 1];
            /* The active slot holds the installed form without the request trailer. */
            program(slot[s], s == 0 ? img->plain : img->bytes, s == 0 ? img->len : img->padded);
        }
    }
    for (int f = 0; f < 3; f++) {
        static const enum bl_trailer_field fields[3] = {BL_TRAILER_TRIAL, BL_TRAILER_BOOTED,
                                                        BL_TRAILER_IMAGE_OK};
        if ((data[2] >> (4 + f)) & 1u) {
            (void)bl_trailer_set(slots->primary, slots->size, fields[f]);
        }
    }
    if (data[7] != 0) {
        (void)bl_counter_raise(kind, data[7]);
    }
    wear(journal.off, data[8] * 512u / 255u, (uint32_t)data[8] * 0x9E3779B9u);
    wear(FLASH_COUNTERS_OFFSET, data[9] * 512u / 255u, (uint32_t)data[9] * 0x85EBCA6Bu + 1u);
    if (data[2] & 8u) {
        struct bl_boot_image out;
        (void)boot(fuzz_le16(data + 3), (data[2] & 4u) != 0, &out);
    }
    const uint32_t region[7][2] = {
        {journal.off, FLASH_JOURNAL_SIZE},
        {journal.scratch, FLASH_SCRATCH_SIZE},
        {FLASH_COUNTERS_OFFSET, FLASH_COUNTERS_SIZE},
        {slots->primary + slots->size - FLASH_SECTOR_SIZE, FLASH_SECTOR_SIZE},
        {slots->secondary + slots->size - FLASH_SECTOR_SIZE, FLASH_SECTOR_SIZE},
        {slots->primary, FLASH_SECTOR_SIZE},
        {slots->secondary, FLASH_SECTOR_SIZE},
    };
    for (size_t p = HDR_LEN; p + 4 + 16 <= size;) {
        const uint32_t *reg = region[data[p] % 7];
        uint32_t off = (fuzz_le16(data + p + 1) % reg[1]) & ~15u;
        uint32_t units = 1u + (data[p + 3] & 3u);
        p += 4;
        for (uint32_t u = 0; u < units && p + 16 <= size && off + 16 <= reg[1]; u++) {
            patch_unit(reg[0] + off, data + p);
            off += 16;
            p += 16;
        }
    }
}

/* The counter, or UINT32_MAX when it cannot be read (then no rollback claim is checked). */
static uint32_t counter(void)
{
    uint32_t v;
    return bl_counter_get(kind, &v) == BL_OK ? v : UINT32_MAX;
}

/* Checks one boot's result; returns the image booted (index) or -1 for a refusal. */
static int check_boot(const char *which, int rc, const struct bl_boot_image *out, uint32_t before)
{
    if (rc != BL_OK) {
        if (rc < BL_E_COUNTERS || rc > BL_E_IO) {
            fuzz_fail("%s boot: status %d is no defined reason", which, rc);
        }
        return -1;
    }
    int found = -1;
    for (int i = 0; i < N_IMAGES; i++) {
        if (memcmp(images[i].measurement, out->measurement, 32) == 0) {
            found = i;
        }
    }
    if (found < 0) {
        fuzz_fail("%s boot: booted an image that is none of the signed ones", which);
    }
    const struct image *img = &images[found];
    /* What the signature covers must be the image's; the unprotected TLVs are not signed
     * (by design), and an ENC_EC256 value there is not read when booting. */
    uint8_t *now = malloc(img->signed_len);
    if (plat_flash_read(slots->primary, now, img->signed_len) != PLAT_FLASH_OK ||
        memcmp(now, img->plain, img->signed_len) != 0) {
        fuzz_fail("%s boot: the active slot does not hold the image it reports (%d)", which, found);
    }
    free(now);
    if (!img->ours || out->kind != kind || out->sec_cnt != img->sec_cnt ||
        out->entry_offset != slots->primary + fuzz_le16(img->plain + 8)) {
        fuzz_fail("%s boot: wrong key, kind, counter or entry for image %d", which, found);
    }
    if (before != UINT32_MAX && out->sec_cnt < before) {
        fuzz_fail("%s boot: image %d (counter %u) booted below the device's %u", which, found,
                  out->sec_cnt, before);
    }
    uint32_t after = counter();
    if (before != UINT32_MAX && after != UINT32_MAX && after < before) {
        fuzz_fail("%s boot: the counter went down from %u to %u", which, before, after);
    }
    return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < HDR_LEN) {
        return -1;
    }
    kind = (data[2] & 2u) ? BL_KIND_MODULE0 : BL_KIND_UROT;
    slots = bl_slots(kind);
    journal.off = kind == BL_KIND_UROT ? FLASH_IROT_JOURNAL_OFFSET : FLASH_UROT_JOURNAL_OFFSET;
    journal.scratch = kind == BL_KIND_UROT ? FLASH_IROT_SCRATCH_OFFSET : FLASH_UROT_SCRATCH_OFFSET;
    const uint16_t cut = fuzz_le16(data + 5);
    const bool torn = (data[2] & 1u) != 0;
    struct bl_boot_image out;
    uint32_t before;

    int ref = -2;
    if (cut != NO_CUT) {
        setup(data, size);
        before = counter();
        int rc = boot(-1, false, &out);
        ref = check_boot("reference", rc, &out, before);
    }
    setup(data, size);
    before = counter();
    int rc = boot(cut == NO_CUT ? -1 : cut, torn, &out);
    if (rc != 1) {
        (void)check_boot("test", rc, &out, before);
    }
    before = counter();
    rc = boot(-1, false, &out);
    int second = check_boot("second", rc, &out, before);
    if (ref >= 0 && second < 0) {
        fuzz_fail("boots without a cut (image %d), refuses after a cut at %u%s: %s", ref, cut,
                  torn ? " (torn)" : "", bl_strerror(rc));
    }
    bool trial = out.trial;
    before = counter();
    rc = boot(-1, false, &out);
    int third = check_boot("third", rc, &out, before);
    if (second >= 0 && (third < 0 || (!trial && third != second))) {
        fuzz_fail("booted image %d, then %d on the next boot%s", second, third,
                  trial ? " (after a trial)" : "");
    }
    return 0;
}
