/*
 * fwu_fixture.c: see fwu_fixture.h. Compiled into each test with its own SM host library.
 */
#include "fwu_fixture.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bl_boot.h"
#include "bl_shared.h"
#include "bl_status.h"
#include "flash_map.h"
#include "host_flash.h"
#include "plat_flash.h"
#include "sm_host.h"

static const char *smtool;
static char dir[] = "/tmp/sm_fwu_XXXXXX";
char fwu_dev[sizeof(dir) + 8];
static char tmpl[sizeof(dir) + 8];

/* Made once by smtool (setup): the good updates and one per way to fail finish. */
struct fwu_image ns1, ns1s, ns2s, ns2, sm2, mod2, ns_plain, ns_other_key, ns_other_dev, ns_rollback,
    ns_dep_unmet, ns_dep_met, ns_dep_ahead, urot2, ns_flipped, ns_truncated, ns_oversize, garbage;

/* ---- setup: keys, device, images ---- */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    return system(cmd) == 0 ? 0 : -1;
}

static int load(const char *name, struct fwu_image *img)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0) {
        return -1;
    }
    long n = ftell(f);
    img->b = malloc((size_t)n);
    rewind(f);
    int ok = img->b != NULL && fread(img->b, 1, (size_t)n, f) == (size_t)n;
    fclose(f);
    img->n = (size_t)n;
    return ok ? 0 : -1;
}

/* smtool sign KEY VERSION COUNTER SLOT_SIZE [extra] OUT, encrypted for `enc` unless NULL. */
static int sign(const char *key, const char *version, int counter, unsigned slot, const char *enc,
                const char *extra, const char *out)
{
    char e[128] = "";
    if (enc != NULL) {
        snprintf(e, sizeof(e), "-E %s", enc);
    }
    return sh("%s sign -k %s/%s.pem -v %s -s %d -H 0x400 -S 0x%x --pad-header %s %s %s/payload.bin "
              "%s/%s >/dev/null",
              smtool, dir, key, version, counter, slot, e, extra, dir, dir, out);
}

int fwu_world(const char *tool)
{
    char enc[96], enc2[96];
    smtool = tool;
    if (mkdtemp(dir) == NULL) {
        return -1;
    }
    snprintf(fwu_dev, sizeof(fwu_dev), "%s/dev", dir);
    snprintf(tmpl, sizeof(tmpl), "%s/tmpl", dir);
    snprintf(enc, sizeof(enc), "%s/enc.pub.pem", fwu_dev);
    snprintf(enc2, sizeof(enc2), "%s/dev2/enc.pub.pem", dir);
    static const char *const keys[] = {"urot", "sm", "ns", "mod", "other"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (sh("%s keygen -k %s/%s.pem >/dev/null", smtool, dir, keys[i]) != 0) {
            return -1;
        }
    }
    if (sh("head -c 12000 /dev/urandom > %s/payload.bin && head -c 3000 /dev/urandom > "
           "%s/garbage.bin",
           dir, dir) != 0 ||
        sh("%s provision -d %s --urot-key %s/urot.pem --sm-key %s/sm.pem --ns-key %s/ns.pem "
           "--module0-key %s/mod.pem --module-slots 1 >/dev/null",
           smtool, fwu_dev, dir, dir, dir, dir) != 0 ||
        sh("%s provision -d %s/dev2 --urot-key %s/urot.pem --sm-key %s/sm.pem --ns-key %s/ns.pem "
           ">/dev/null",
           smtool, dir, dir, dir, dir) != 0) {
        return -1;
    }
    /* A device whose install configuration lets the NS world update NS and module 0 only
     * (fwu_use_restricted), with the same images. */
    if (sh("%s provision -d %s/devp --urot-key %s/urot.pem --sm-key %s/sm.pem --ns-key %s/ns.pem "
           "--module0-key %s/mod.pem --module-slots 1 --ns-updates ns,module0 >/dev/null",
           smtool, dir, dir, dir, dir, dir) != 0) {
        return -1;
    }
    /* The installed images: SM and NS 1.0.0 (counter 1), confirmed. */
    if (sign("sm", "1.0.0", 1, FLASH_SM_SLOT_SIZE, NULL, "", "sm1.img") != 0 ||
        sign("ns", "1.0.0", 1, FLASH_NS_SLOT_SIZE, NULL, "", "ns1.img") != 0 ||
        sign("mod", "1.0.0", 1, FLASH_MODULE_SLOT_SIZE, NULL, "", "mod1.img") != 0 ||
        sh("%s program -d %s --slot sm %s/sm1.img >/dev/null && %s program -d %s --slot ns "
           "%s/ns1.img >/dev/null && %s program -d %s --slot mod0 %s/mod1.img >/dev/null",
           smtool, fwu_dev, dir, smtool, fwu_dev, dir, smtool, fwu_dev, dir) != 0 ||
        sh("%s program -d %s/devp --slot sm %s/sm1.img >/dev/null && %s program -d %s/devp "
           "--slot ns %s/ns1.img >/dev/null && %s program -d %s/devp --slot mod0 %s/mod1.img "
           ">/dev/null",
           smtool, dir, dir, smtool, dir, dir, smtool, dir, dir) != 0) {
        return -1;
    }
    if (sign("ns", "2.0.0", 2, FLASH_NS_SLOT_SIZE, enc, "", "ns2.img") != 0 ||
        sign("sm", "2.0.0", 2, FLASH_SM_SLOT_SIZE, enc, "", "sm2.img") != 0 ||
        sign("mod", "2.0.0", 2, FLASH_MODULE_SLOT_SIZE, enc, "", "mod2.img") != 0 ||
        sign("ns", "2.0.0", 2, FLASH_NS_SLOT_SIZE, NULL, "", "ns_plain.img") != 0 ||
        sign("other", "2.0.0", 2, FLASH_NS_SLOT_SIZE, enc, "", "ns_other_key.img") != 0 ||
        sign("ns", "2.0.0", 2, FLASH_NS_SLOT_SIZE, enc2, "", "ns_other_dev.img") != 0 ||
        sign("ns", "0.9.0", 0, FLASH_NS_SLOT_SIZE, enc, "", "ns_rollback.img") != 0 ||
        sign("ns", "2.0.0", 2, FLASH_NS_SLOT_SIZE, enc, "-d \"(1,2.0.0)\"", "ns_dep_unmet.img") !=
            0 ||
        sign("ns", "2.0.0", 2, FLASH_NS_SLOT_SIZE, enc, "-d \"(1,1.0.0)\"", "ns_dep_met.img") !=
            0 ||
        sign("ns", "2.0.0", 2, FLASH_NS_SLOT_SIZE, enc, "-d \"(1,3.0.0)\"", "ns_dep_ahead.img") !=
            0 ||
        sign("urot", "2.0.0", 2, FLASH_UROT_SLOT_SIZE, enc, "", "urot2.img") != 0) {
        return -1;
    }
    if (sh("head -c 1000 /dev/urandom > %s/payload.bin", dir) != 0 ||
        sign("ns", "1.0.0", 1, FLASH_NS_SLOT_SIZE, NULL, "", "ns1s.img") != 0 ||
        sign("ns", "2.0.0", 2, FLASH_NS_SLOT_SIZE, enc, "", "ns2s.img") != 0 ||
        load("ns1s.img", &ns1s) != 0 || load("ns2s.img", &ns2s) != 0) {
        return -1;
    }
    if (load("ns1.img", &ns1) != 0 || load("ns2.img", &ns2) != 0 || load("sm2.img", &sm2) != 0 ||
        load("mod2.img", &mod2) != 0 || load("ns_plain.img", &ns_plain) != 0 ||
        load("ns_other_key.img", &ns_other_key) != 0 ||
        load("ns_other_dev.img", &ns_other_dev) != 0 ||
        load("ns_rollback.img", &ns_rollback) != 0 ||
        load("ns_dep_unmet.img", &ns_dep_unmet) != 0 || load("ns_dep_met.img", &ns_dep_met) != 0 ||
        load("ns_dep_ahead.img", &ns_dep_ahead) != 0 || load("urot2.img", &urot2) != 0 ||
        load("garbage.bin", &garbage) != 0 || load("ns2.img", &ns_flipped) != 0 ||
        load("ns2.img", &ns_truncated) != 0 || load("ns2.img", &ns_oversize) != 0) {
        return -1;
    }
    ns_flipped.b[0x400 + 100] ^= 0x01; /* a payload byte: the hash no longer matches */
    ns_truncated.n -= 40;              /* the signature's end reads as erased flash */
    ns_oversize.b[12 + 2] = 0x7F;      /* img_size (header offset 12) past the slot */
    return sh("mkdir -p %s && cp %s/flash.img %s/flash.prog %s/", tmpl, fwu_dev, fwu_dev, tmpl);
}

int fwu_snapshot(const char *name)
{
    return sh("mkdir -p %s/%s && cp %s/flash.img %s/flash.prog %s/%s/", dir, name, fwu_dev, fwu_dev,
              dir, name);
}

int fwu_restore(const char *name)
{
    return sh("cp %s/%s/flash.img %s/%s/flash.prog %s/", dir, name, dir, name, fwu_dev);
}

void fwu_use_restricted(bool on)
{
    snprintf(fwu_dev, sizeof(fwu_dev), on ? "%s/devp" : "%s/dev", dir);
}

int fwu_fresh(void)
{
    return sh("cp %s/flash.img %s/flash.prog %s/", tmpl, tmpl, fwu_dev);
}

/* ---- boots ---- */

static const struct bl_journal journal = {FLASH_UROT_JOURNAL_OFFSET, FLASH_UROT_SCRATCH_OFFSET};

/* What the uRoT does for the images after the uRoT, then the SM with their records. */
static int boot_stage(void)
{
    static struct bl_shared_data shared;
    static const enum bl_kind kinds[] = {BL_KIND_SM, BL_KIND_MODULE0, BL_KIND_NS};
    bl_shared_reset(&shared);
    if (bl_boot_resume(&journal) != BL_OK) {
        return -1;
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        struct bl_boot_image img;
        int rc = bl_boot_image(&journal, kinds[i], &img);
        if (rc == BL_E_EMPTY && kinds[i] == BL_KIND_MODULE0) {
            continue;
        }
        if (rc != BL_OK || bl_shared_add(&shared, &img) != BL_OK) {
            return -1;
        }
    }
    for (uint32_t i = 0; i < shared.count; i++) {
        if (shared.records[i].trial &&
            bl_boot_mark_trial_run((enum bl_kind)shared.records[i].kind) != BL_OK) {
            return -1;
        }
    }
    sm_host_boot_records(&shared);
    return 0;
}

static void power_lost(void *ctx)
{
    (void)ctx;
    fflush(NULL);
    _exit(FWU_CUT); /* the device stops where the power went */
}

int fwu_boot(int (*run)(void))
{
    return fwu_boot_cut(run, -1, false);
}

int fwu_boot_cut(int (*run)(void), long cut, bool torn)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        return -1;
    }
    if (pid == 0) {
        int rc = host_flash_open_dir(fwu_dev, false) == PLAT_FLASH_OK ? 0 : 1;
        if (rc == 0 && cut >= 0) {
            host_flash_on_cut(power_lost, NULL);
            host_flash_cut_after(cut, torn);
        }
        if (rc == 0 && boot_stage() != 0) {
            fprintf(stderr, "the boot stage found nothing valid to boot\n");
            rc = 1;
        }
        if (rc == 0) {
            sm_host_start();
            rc = run();
            if (rc != 0 && rc != FWU_AGAIN) {
                fprintf(stderr, "boot failed at line %d\n", rc);
            }
        }
        fflush(NULL);
        _exit(rc == 0 || rc == FWU_AGAIN ? rc : 1);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
        return -1;
    }
    return WEXITSTATUS(status);
}

void fwu_cleanup(void)
{
    sh("rm -rf %s", dir);
}
