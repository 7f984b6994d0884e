/*
 * ns_module_test.c: secure modules on the board, from the non-secure application, against
 * the test SM image with TEST_MOD_ECHO (tests/modules/echo_module.c) and TEST_MOD_PROBE
 * (probe_module.c) installed in module slots by tests/qemu/module_test.sh. One part per boot:
 *
 *   boot 1    both modules answer NS; the probe calls the echo module (its declared
 *             dependency); the probe's RAM is its slot's window; reset
 *   boots 2-5 the probe reads the echo module's code, the echo module's RAM, the SM's RAM, the
 *             OTP area: stopped each time, its calls fail from then on, the echo module answers
 *             on; reset
 *   boot 6    the probe panics; boot 7 it calls a service it did not declare; same outcome
 *   boot 8    the probe replies, then spins for ever: the module time slice lets the NS
 *             world run on, calling the echo module; reset
 *   boot 9    the probe loops while NS waits for its reply: the call deadline stops it, the
 *             call fails with PSA_ERROR_SERVICE_FAILURE, the echo module answers on; reset
 *   boot 10   prints "module_test: all boots done" and powers off
 *
 * Without the probe (module_test.sh's other runs) boot 1 checks the echo module alone. Each
 * boot prints "module_test boot N: P passed, F failed"; a failed check prints "FAIL".
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "memory_map.h"
#include "psa/client.h"
#include "ns_check.h"
#include "smak.h"

#define ECHO_SID         0x4001F000u
#define ECHO_HANDLE      ((psa_handle_t)0x40000114)
#define PROBE_SID        0x4002F000u
#define PROBE_HANDLE     ((psa_handle_t)0x40000115)
/* The probe's message types (tests/modules/probe_module.c). */
#define PROBE_VIA_ECHO   1
#define PROBE_READ       2
#define PROBE_PANIC      3
#define PROBE_UNDECLARED 4
#define PROBE_RAM        5
#define PROBE_SPIN       6
#define PROBE_HOLD       14

/* An echo call: the input comes back; the status counts the module's calls. */
static psa_status_t echo(const char *text)
{
    char back[32] = {0};
    psa_invec in = {text, strlen(text)};
    psa_outvec out = {back, sizeof(back)};
    psa_status_t st = psa_call(ECHO_HANDLE, 0, &in, 1, &out, 1);
    CHECK(st > 0);
    CHECK(out.len == strlen(text) && memcmp(back, text, out.len) == 0);
    return st;
}

static psa_status_t probe(int32_t type, uint32_t arg, uint32_t *word)
{
    psa_invec in = {&arg, sizeof(arg)};
    psa_outvec out = {word, sizeof(*word)};
    return psa_call(PROBE_HANDLE, type, &in, 1, &out, word != NULL ? 1 : 0);
}

static void basics(void)
{
    CHECK(psa_version(ECHO_SID) == 1);
    CHECK(echo("hello") == 1);
    /* The greeting: a .data pointer into the module's flash, relocated at load. */
    char back[32] = {0};
    psa_outvec out = {back, sizeof(back)};
    CHECK(psa_call(ECHO_HANDLE, 1, NULL, 0, &out, 1) == 2);
    CHECK(out.len == 17 && memcmp(back, "module says hello", 17) == 0);
    if (psa_version(PROBE_SID) == PSA_VERSION_NONE) {
        smak_printf("module_test: no probe module\n"); /* module_test.sh's other runs */
        return;
    }
    /* The probe calls the echo module for us (module to module, declared). */
    char via[32] = {0};
    psa_invec in = {"xyz", 3};
    psa_outvec vout = {via, sizeof(via)};
    CHECK(psa_call(PROBE_HANDLE, PROBE_VIA_ECHO, &in, 1, &vout, 1) == 3);
    CHECK(vout.len == 3 && memcmp(via, "xyz", 3) == 0);
    CHECK(echo("again") == 4);
    psa_status_t ram = psa_call(PROBE_HANDLE, PROBE_RAM, NULL, 0, NULL, 0);
    smak_printf("module_test: the probe's RAM at 0x%08x\n", (unsigned)ram);
}

/* The probe misbehaves one way: it stops, its callers get the dead-service outcome, the echo
 * module answers on. */
static void misbehave(const char *what, int32_t type, uint32_t arg)
{
    uint32_t word = 0;
    smak_printf("module_test: the probe %s\n", what);
    psa_status_t st = probe(type, arg, &word);
    CHECK(st == PSA_ERROR_SERVICE_FAILURE);
    CHECK(word == 0);
    CHECK(probe(PROBE_VIA_ECHO, 0, &word) == PSA_ERROR_SERVICE_FAILURE);
    CHECK(echo("still here") == 1);
    CHECK(echo("and here") == 2);
    CHECK(psa_version(PROBE_SID) == 1); /* still known: its calls fail */
}

/* The probe never blocks again: the NS world still runs, and its calls are served. */
static void spin(void)
{
    CHECK(probe(PROBE_SPIN, 0, NULL) == PSA_SUCCESS);
    unsigned ok = 0;
    for (unsigned i = 0; i < 20; i++) {
        ok += echo("while it spins") == (psa_status_t)(i + 1u);
    }
    CHECK(ok == 20);
    smak_printf("module_test: %u echo calls served next to a spinning module\n", ok);
}

/* The probe never replies: NS's call ends when the deadline stops the probe. */
static void hold(void)
{
    smak_printf("module_test: the probe holds a call\n");
    CHECK(probe(PROBE_HOLD, 0, NULL) == PSA_ERROR_SERVICE_FAILURE);
    CHECK(echo("after the deadline") == 1);
    CHECK(probe(PROBE_VIA_ECHO, 0, NULL) == PSA_ERROR_SERVICE_FAILURE);
}

int main(void)
{
    unsigned boot = smak_boot_count();
    /* Slot 0's payload (echo) and window, as module_test.sh installs them. */
    const uint32_t echo_code = 0x10100400u + 0x100u;
    switch (boot) {
    case 1:
        basics();
        break;
    case 2:
        misbehave("reads the echo module's code", PROBE_READ, echo_code);
        break;
    case 3:
        misbehave("reads the echo module's RAM", PROBE_READ, RAM_MODULES_BASE);
        break;
    case 4:
        misbehave("reads the SM's RAM", PROBE_READ, RAM_SM_BASE + 0x100u);
        break;
    case 5:
        misbehave("reads the OTP area", PROBE_READ, 0x10008000u);
        break;
    case 6:
        misbehave("panics", PROBE_PANIC, 0);
        break;
    case 7:
        misbehave("calls a service it did not declare", PROBE_UNDECLARED, 0);
        break;
    case 8:
        spin();
        break;
    case 9:
        hold();
        break;
    default:
        smak_printf("module_test: all boots done\n");
        return failed ? 1 : 0;
    }
    smak_printf("module_test boot %u: %u passed, %u failed\n", boot, passed, failed);
    if (failed) {
        return 1;
    }
    smak_reset();
}
