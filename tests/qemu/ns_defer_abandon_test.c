/*
 * ns_defer_abandon_test.c: the NS world abandons a partition's deferred work (sm_arch_defer:
 * the partition thread runs the core's work privileged) that one of its interrupts preempted,
 * and calls the SM from NS Thread mode on top of it (defer_abandon_test.sh, against the
 * attestation SM test image). The gateway's rule (sm_ns_gateway.S): a call made while another
 * secure thread than the NS agent is current restarts the device, as for an NS fault; for an
 * unprivileged thread the veneer's fetch faults, but a deferred work is privileged, so the
 * veneer runs with that partition as the current thread. The call must never be taken as the
 * partition's (before the fix: "partition SM_ATTEST stopped: NS entry from a partition", the
 * NS world stopping the attestation service and holding the core's deferred work for ever).
 *
 *   boot 1  one token with the NS SysTick counting the secure code it preempts, then one more
 *           whose preemption half-way through (under --icount: inside the deferred ECDSA
 *           signature, by far the longest secure part) is abandoned; then psa_version and
 *           psa_connect from NS: the device must restart before either returns
 *   boot 2  a token again (the attestation service runs); power off
 */
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"
#include "psa/initial_attestation.h"
#include "psa_manifest/sid.h"
#include "ns_check.h"
#include "smak.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define PERIOD   20000u /* NS SysTick cycles: several preemptions in one token */

static uint8_t token[1024];
static uint8_t challenge[32];
volatile uint32_t preempted, abandon_at, resume_sp;
static jmp_buf resume_env;

void defer_abandon_resume(void);
void defer_abandon_resume(void)
{
    longjmp(resume_env, 1);
}

/* Counts the interrupts that preempted secure code (EXC_RETURN.S); at the abandon_at-th it
 * returns to defer_abandon_resume in NS Thread mode instead (EXC_RETURN 0xFFFFFFB8, a frame
 * of its own below the test's stack), as ns_sm_test.c's abandonments do. */
__attribute__((naked)) void SysTick_Handler(void)
{
    __asm volatile("tst lr, #0x40\n\t"
                   "it eq\n\t"
                   "bxeq lr\n\t"
                   "ldr r0, =preempted\n\t"
                   "ldr r1, [r0]\n\t"
                   "adds r1, r1, #1\n\t"
                   "str r1, [r0]\n\t"
                   "ldr r0, =abandon_at\n\t"
                   "ldr r0, [r0]\n\t"
                   "cmp r0, r1\n\t"
                   "it ne\n\t"
                   "bxne lr\n\t"
                   "ldr r0, =resume_sp\n\t"
                   "ldr r0, [r0]\n\t"
                   "subs r0, r0, #32\n\t"
                   "ldr r1, =defer_abandon_resume\n\t"
                   "str r1, [r0, #24]\n\t"
                   "mov r1, #0x01000000\n\t"
                   "str r1, [r0, #28]\n\t"
                   "msr msp, r0\n\t"
                   "ldr lr, =0xFFFFFFB8\n\t"
                   "bx lr\n\t"
                   ".ltorg");
}

static psa_status_t get_token(void)
{
    size_t len = 0;
    return psa_initial_attest_get_token(challenge, sizeof(challenge), token, sizeof(token), &len);
}

static void abandon_deferred_work(void)
{
    preempted = 0;
    abandon_at = UINT32_MAX;
    SYST_RVR = PERIOD;
    SYST_CVR = 0;
    SYST_CSR = 7; /* enable, interrupt, processor clock */
    CHECK(get_token() == PSA_SUCCESS);
    SYST_CSR = 0;
    static uint32_t total;
    total = preempted;
    smak_printf("defer_abandon_test: %u preemptions of secure code in one token\n",
                (unsigned)total);
    CHECK(total >= 4u);
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    resume_sp = (sp - 2048u) & ~7u;
    preempted = 0;
    abandon_at = total / 2u;
    if (setjmp(resume_env) == 0) {
        SYST_CVR = 0;
        SYST_CSR = 7;
        (void)get_token();
        SYST_CSR = 0;
        smak_printf("FAIL: no preemption abandoned\n");
        return;
    }
    SYST_CSR = 0;
    smak_printf("defer_abandon_test: abandoned the secure code preempted %u\n",
                (unsigned)abandon_at);
    smak_printf("defer_abandon_test: psa_version -> %u\n", (unsigned)psa_version(SM_ATTEST_SID));
    smak_printf("defer_abandon_test: psa_connect -> %d\n", (int)psa_connect(SM_ITS_SID, 1));
    smak_printf("FAIL: the SM ran NS calls on top of an abandoned deferred work\n");
}

int main(void)
{
    const unsigned boot = smak_boot_count();
    smak_printf("defer_abandon_test: boot %u\n", boot);
    if (boot == 1u) {
        abandon_deferred_work();
        smak_printf("defer_abandon_test boot %u: %u passed, %u failed\n", boot, passed, failed);
        return 1;
    }
    CHECK(get_token() == PSA_SUCCESS);
    smak_printf("defer_abandon_test boot %u: %u passed, %u failed\n", boot, passed, failed);
    return failed != 0u ? 1 : 0;
}
