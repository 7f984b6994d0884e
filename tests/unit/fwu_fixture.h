/*
 * fwu_fixture.h: what the firmware update host tests share (test_fwu.c, test_fwu_core.c): a
 * device smtool provisioned and programmed (keys for the uRoT, the SM, the NS image and module
 * 0; SM, module 0 and NS 1.0.0 installed and confirmed), the update images smtool signed for
 * it (good ones, and one per way an image fails verification), and boots of it.
 *
 * Contract: fwu_world(smtool) makes all of it once in a fresh temporary directory (0, or -1 if
 * a step fails); fwu_fresh() puts the device back as it was made; fwu_boot(run) runs one boot
 * in a child process: it opens the device, runs the uRoT's decisions of the boot core
 * (bl_boot_resume, bl_boot_image for the SM, module 0 and NS, the trial runs marked), hands
 * the SM the boot records, starts it and calls run() as the NS application. It returns 0 when
 * run() returned 0, HOST_EXIT_RESET when the device asked for a reset, another value when a
 * check failed (the child prints the line); run() may also return FWU_AGAIN. fwu_cleanup()
 * removes the directory. fwu_use_restricted(true) has the boots use a second device instead,
 * provisioned with --ns-updates ns,module0 and the same 1.0.0 images (false: back). ns1s and ns2s
 * are NS 1.0.0 and 2.0.0 of a 1000-byte payload, for the power-cut sweeps.
 */
#ifndef FWU_FIXTURE_H
#define FWU_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "psa/error.h"
#include "psa/update.h"

#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "check failed: %s (line %d)\n", #cond, __LINE__);                      \
            return __LINE__;                                                                       \
        }                                                                                          \
    } while (0)
#define EXPECT_STATUS(call, status)                                                                \
    do {                                                                                           \
        psa_status_t s_ = (call);                                                                  \
        if (s_ != (status)) {                                                                      \
            fprintf(stderr, "check failed: %s gave %d, not %d (line %d)\n", #call, (int)s_,        \
                    (int)(status), __LINE__);                                                      \
            return __LINE__;                                                                       \
        }                                                                                          \
    } while (0)

#define NS  PSA_FWU_COMPONENT_NS
#define SM  PSA_FWU_COMPONENT_SM
#define MOD PSA_FWU_COMPONENT_MODULE0

struct fwu_image {
    uint8_t *b;
    size_t n;
};

/* Made by fwu_world: the good updates and one per way to fail verification. */
extern struct fwu_image ns1, ns1s, ns2s, ns2, sm2, mod2, ns_plain, ns_other_key, ns_other_dev,
    ns_rollback, ns_dep_unmet, ns_dep_met, ns_dep_ahead, urot2, ns_flipped, ns_truncated,
    ns_oversize, garbage;
/* The device directory. */
extern char fwu_dev[];

#define FWU_AGAIN 50 /* run() may return it: passed, and asks for another boot */
#define FWU_CUT   99 /* fwu_boot_cut: the power was cut */

int fwu_world(const char *smtool);
void fwu_use_restricted(bool on);
int fwu_fresh(void);
/* Copies of the device's flash, by name (in the world's directory). */
int fwu_snapshot(const char *name);
int fwu_restore(const char *name);
int fwu_boot(int (*run)(void));
/* A boot whose power is cut before its flash operation cut + 1 (operations counted from the
 * power-on, the boot stage's included), the interrupted one torn if `torn`: FWU_CUT then. */
int fwu_boot_cut(int (*run)(void), long cut, bool torn);
void fwu_cleanup(void);

#endif /* FWU_FIXTURE_H */
