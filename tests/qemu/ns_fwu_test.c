/*
 * ns_fwu_test.c: firmware update on the board, from the non-secure application through the
 * PSA Firmware Update API, against the product SM image (tests/qemu/fwu_test.sh).
 *
 * The runner loads an update bundle into NS RAM at FWU_TEST_BUNDLE at every power-on (QEMU's
 * loader: the NS application's stand-in for a download from a network): a header
 * {magic, scenario, NS image length, SM image length} and the images, NS 2.0.0 and SM 2.0.0
 * signed and encrypted for this device. The same application runs as 1.0.0 and, once
 * installed, as 2.0.0; what it does depends on what the update service reports:
 *
 *   1.0.0, READY    download the images (NS, and the SM when the bundle has one), finish,
 *                   install both at once, request the reboot
 *   2.0.0, TRIAL    self-test (every component queried, the SM's version), then by scenario:
 *                   'A' or 'C' accept, clean, power off; 'J' reject and reboot; 'V' reboot
 *                   without accepting
 *   1.0.0, FAILED   'J' or 'V': the trial was reverted: clean, power off; 'C': the download
 *                   the power cut interrupted: clean and start again
 *   2.0.0, READY    (a later run) the accepted update confirmed: power off
 *
 * Scenario 'M' updates a secure module instead (the bundle's third image: the echo module of
 * tests/modules, 2.0.0, signed by module slot 0's owner and encrypted for this device), NS and
 * SM staying 1.0.0: module 1.0.0 READY: the module answers, download, install, reboot; 2.0.0
 * TRIAL: the new module answers, NS and SM untouched, accept;
 * 2.0.0 READY: confirmed.
 *
 * Each step prints "fwu_test: ..."; a failed check prints "FAIL" and powers off with 1.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "psa/client.h"
#include "psa/update.h"
#include "smak.h"

#define FWU_TEST_BUNDLE 0x28300000u
#define FWU_TEST_MAGIC  0x54555746u /* "FWUT" */

struct bundle {
    uint32_t magic;
    uint32_t scenario;
    uint32_t ns_len;
    uint32_t sm_len;
    uint32_t module_len; /* the module 0 image, after the SM's */
    uint8_t images[];
};

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            smak_printf("FAIL: %s (line %d)\n", #c, __LINE__);                                     \
            smak_power_off(1);                                                                     \
        }                                                                                          \
    } while (0)

static const char *const names[] = {"READY",  "WRITING", "CANDIDATE", "STAGED",
                                    "FAILED", "TRIAL",   "REJECTED",  "UPDATED"};

static psa_fwu_component_info_t query(psa_fwu_component_t c)
{
    psa_fwu_component_info_t info;
    CHECK(psa_fwu_query(c, &info) == PSA_SUCCESS);
    CHECK(info.state < 8u);
    return info;
}

/* In blocks of a size that is not the largest, the last one unaligned. */
static void download(psa_fwu_component_t c, const uint8_t *img, uint32_t len)
{
    CHECK(psa_fwu_start(c, NULL, 0) == PSA_SUCCESS);
    CHECK(query(c).state == PSA_FWU_WRITING);
    for (uint32_t off = 0; off < len; off += 3008u) {
        const uint32_t n = len - off < 3008u ? len - off : 3008u;
        CHECK(psa_fwu_write(c, off, img + off, n) == PSA_SUCCESS);
    }
    CHECK(psa_fwu_finish(c) == PSA_SUCCESS);
    CHECK(query(c).state == PSA_FWU_CANDIDATE);
}

static void update(const struct bundle *b)
{
    download(PSA_FWU_COMPONENT_NS, b->images, b->ns_len);
    if (b->sm_len != 0u) {
        download(PSA_FWU_COMPONENT_SM, b->images + b->ns_len, b->sm_len);
    }
    CHECK(psa_fwu_install() == PSA_SUCCESS_REBOOT);
    CHECK(query(PSA_FWU_COMPONENT_NS).state == PSA_FWU_STAGED);
    smak_printf("fwu_test: staged NS 2.0.0%s, rebooting\n", b->sm_len != 0u ? " and SM 2.0.0" : "");
    (void)psa_fwu_request_reboot();
    CHECK(0); /* not reached: the device resets */
}

/* The echo module's stateless service (tests/modules/echo_module.json): the input comes back,
 * the status counts the module's calls since it started. */
#define ECHO_SID    0x4001F000u
#define ECHO_HANDLE ((psa_handle_t)0x40000114)

static psa_status_t echo(void)
{
    char back[4] = {0};
    psa_invec in = {"fwu", 3};
    psa_outvec out = {back, sizeof(back)};
    const psa_status_t st = psa_call(ECHO_HANDLE, 0, &in, 1, &out, 1);
    CHECK(st <= 0 || (out.len == 3 && memcmp(back, "fwu", 3) == 0));
    return st;
}

static void module_scenario(const struct bundle *b)
{
    const psa_fwu_component_t mod = PSA_FWU_COMPONENT_MODULE0;
    const psa_fwu_component_info_t m = query(mod);
    const psa_fwu_component_info_t ns = query(PSA_FWU_COMPONENT_NS);
    const psa_fwu_component_info_t sm = query(PSA_FWU_COMPONENT_SM);
    smak_printf("fwu_test: boot %u: module 0 %u.%u.%u (%s), NS %u.%u.%u (%s), SM %u.%u.%u (%s)\n",
                (unsigned)smak_boot_count(), m.version.major, m.version.minor, m.version.patch,
                names[m.state], ns.version.major, ns.version.minor, ns.version.patch,
                names[ns.state], sm.version.major, sm.version.minor, sm.version.patch,
                names[sm.state]);
    CHECK(m.flags == PSA_FWU_FLAG_ENCRYPTION && m.max_size == 0x10000u - 64u);
    /* A module update leaves the other components as they were. */
    CHECK(ns.version.major == 1 && ns.state == PSA_FWU_READY);
    CHECK(sm.version.major == 1 && sm.state == PSA_FWU_READY);
    CHECK(psa_version(ECHO_SID) == 1);
    CHECK(echo() == 1 && echo() == 2);
    if (m.version.major == 1 && m.state == PSA_FWU_READY) {
        download(mod, b->images + b->ns_len + b->sm_len, b->module_len);
        CHECK(psa_fwu_install() == PSA_SUCCESS_REBOOT);
        CHECK(query(mod).state == PSA_FWU_STAGED);
        CHECK(query(PSA_FWU_COMPONENT_NS).state == PSA_FWU_READY);
        smak_printf("fwu_test: staged module 0 2.0.0, rebooting\n");
        (void)psa_fwu_request_reboot();
        CHECK(0);
    }
    if (m.version.major == 2 && m.state == PSA_FWU_TRIAL) {
        CHECK(psa_fwu_start(mod, NULL, 0) == PSA_ERROR_BAD_STATE);
        CHECK(psa_fwu_accept() == PSA_SUCCESS);
        CHECK(query(mod).state == PSA_FWU_UPDATED);
        CHECK(psa_fwu_clean(mod) == PSA_SUCCESS);
        CHECK(query(mod).state == PSA_FWU_READY);
        smak_printf("fwu_test: the new module 0 answers: accepted 2.0.0\n");
        smak_power_off(0);
    }
    if (m.version.major == 2 && m.state == PSA_FWU_READY) {
        smak_printf("fwu_test: running module 0 2.0.0, confirmed, security counter %u\n",
                    (unsigned)m.impl.min_security_counter);
        smak_power_off(0);
    }
    smak_printf("FAIL: unexpected module state\n");
    smak_power_off(1);
}

int main(void)
{
    const struct bundle *b = (const struct bundle *)FWU_TEST_BUNDLE;
    CHECK(b->magic == FWU_TEST_MAGIC);
    if (b->scenario == 'M') {
        CHECK(b->module_len != 0u);
        module_scenario(b);
    }
    CHECK(b->ns_len != 0u);
    const psa_fwu_component_info_t ns = query(PSA_FWU_COMPONENT_NS);
    const psa_fwu_component_info_t sm = query(PSA_FWU_COMPONENT_SM);
    smak_printf("fwu_test: boot %u: NS %u.%u.%u (%s), SM %u.%u.%u (%s)\n",
                (unsigned)smak_boot_count(), ns.version.major, ns.version.minor, ns.version.patch,
                names[ns.state], sm.version.major, sm.version.minor, sm.version.patch,
                names[sm.state]);
    CHECK(ns.flags == PSA_FWU_FLAG_ENCRYPTION && ns.max_size == 0x80000u - 64u);
    if (ns.version.major == 1 && ns.state == PSA_FWU_READY) {
        update(b);
    }
    if (ns.version.major == 2 && ns.state == PSA_FWU_TRIAL) {
        /* The self-test of the new version: the services answer, the whole set is in. */
        for (psa_fwu_component_t c = 0; c < 3; c++) {
            (void)query(c);
        }
        CHECK(b->sm_len == 0u || (sm.version.major == 2 && sm.state == PSA_FWU_TRIAL));
        CHECK(psa_fwu_install() == PSA_ERROR_BAD_STATE);
        CHECK(psa_fwu_start(PSA_FWU_COMPONENT_NS, NULL, 0) == PSA_ERROR_BAD_STATE);
        if (b->scenario == 'J') {
            CHECK(psa_fwu_reject(-42) == PSA_SUCCESS_REBOOT);
            const psa_fwu_component_info_t r = query(PSA_FWU_COMPONENT_NS);
            CHECK(r.state == PSA_FWU_REJECTED && r.error == -42);
            smak_printf("fwu_test: rejected NS 2.0.0, rebooting\n");
            (void)psa_fwu_request_reboot();
            CHECK(0);
        }
        if (b->scenario == 'V') {
            smak_printf("fwu_test: not accepting NS 2.0.0, power cycle\n");
            smak_reset();
        }
        CHECK(psa_fwu_accept() == PSA_SUCCESS);
        CHECK(query(PSA_FWU_COMPONENT_NS).state == PSA_FWU_UPDATED);
        CHECK(psa_fwu_clean(PSA_FWU_COMPONENT_NS) == PSA_SUCCESS);
        if (b->sm_len != 0u) {
            CHECK(query(PSA_FWU_COMPONENT_SM).state == PSA_FWU_UPDATED);
            CHECK(psa_fwu_clean(PSA_FWU_COMPONENT_SM) == PSA_SUCCESS);
        }
        CHECK(query(PSA_FWU_COMPONENT_NS).state == PSA_FWU_READY);
        smak_printf("fwu_test: accepted NS 2.0.0%s\n", b->sm_len != 0u ? " and SM 2.0.0" : "");
        smak_power_off(0);
    }
    if (ns.version.major == 2 && ns.state == PSA_FWU_READY) {
        /* A later run: the boot stage confirmed what the service accepted. */
        CHECK(b->sm_len == 0u || (sm.version.major == 2 && sm.state == PSA_FWU_READY));
        smak_printf("fwu_test: running NS 2.0.0, confirmed, security counter %u\n",
                    (unsigned)ns.impl.min_security_counter);
        smak_power_off(0);
    }
    if (ns.version.major == 1 && ns.state == PSA_FWU_FAILED) {
        CHECK(psa_fwu_clean(PSA_FWU_COMPONENT_NS) == PSA_SUCCESS);
        CHECK(query(PSA_FWU_COMPONENT_NS).state == PSA_FWU_READY);
        if (b->scenario == 'C') {
            smak_printf("fwu_test: the interrupted download is FAILED: cleaned, again\n");
            update(b);
        }
        smak_printf("fwu_test: back on NS 1.0.0: the update was reverted\n");
        smak_power_off(0);
    }
    smak_printf("FAIL: unexpected state\n");
    smak_power_off(1);
}
