/*
 * ns_semihost_test.c: the emulated board offers no channel to the host. Run by qemu.no_semihost
 * (tests/qemu/CMakeLists.txt) as the NS application of the test SM image (sm_test).
 *
 * From privileged NS Thread mode it makes every semihosting call that would reach the host
 * (open the device's flash file, create a file, write, read, remove, run a host command, write
 * to the console, end QEMU with a status), one per boot: each must fault instead, and the
 * device restarts. Then the TEST_FAULT partition makes semihosting calls: the SM must stop it,
 * and the rest runs on. The test script then checks that nothing on the host changed
 * (run_image_test.sh --absent, --same).
 *
 * Prints "semihost_test: N passed, F failed"; a failed check prints "FAIL".
 */
#include <stdint.h>

#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "ns_check.h"
#include "smak.h"
#include "test_services.h"

#define SCB_HFSR         (*(volatile uint32_t *)0xE000ED2Cu)
#define SCB_DFSR         (*(volatile uint32_t *)0xE000ED30u)
#define HFSR_DEBUGEVT    (1u << 31)
#define DFSR_BKPT        (1u << 1)
#define BKPT_SEMIHOSTING 0xBEABu /* BKPT 0xAB, Thumb */

static volatile unsigned faults;
static volatile uint16_t fault_insn;
static volatile uint32_t fault_hfsr, fault_dfsr;

/* Called by the handlers below with the exception frame: record, skip the 2-byte BKPT. */
void semihost_fault(uint32_t *frame);
void semihost_fault(uint32_t *frame)
{
    fault_insn = *(const volatile uint16_t *)(uintptr_t)frame[6];
    fault_hfsr = SCB_HFSR;
    fault_dfsr = SCB_DFSR;
    SCB_HFSR = fault_hfsr; /* write-one-to-clear, so each attempt reports only itself */
    SCB_DFSR = fault_dfsr;
    faults++;
    frame[6] += 2u;
}

/* A BKPT that no debugger takes escalates to HardFault (DebugMonitor is not enabled), which
 * the SM takes (NS faults go to the secure world). Should one reach the NS world, these
 * record it and skip the BKPT, where the kit's default handlers would power off. */
__attribute__((naked)) void HardFault_Handler(void)
{
    __asm volatile("tst lr, #4\n\t"
                   "ite eq\n\t"
                   "mrseq r0, msp\n\t"
                   "mrsne r0, psp\n\t"
                   "b semihost_fault");
}

__attribute__((naked)) void DebugMon_Handler(void)
{
    __asm volatile("tst lr, #4\n\t"
                   "ite eq\n\t"
                   "mrseq r0, msp\n\t"
                   "mrsne r0, psp\n\t"
                   "b semihost_fault");
}

/* One semihosting call as a host debugger would take it; returns r0 afterwards (the
 * operation number when nothing answered). Its own function: no_semihosting_test.sh allows
 * BKPT 0xAB only in functions of this name. */
__attribute__((noinline)) static uint32_t semihost_attack(uint32_t op, const void *args)
{
    register uint32_t r0 __asm("r0") = op;
    register const void *r1 __asm("r1") = args;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/* One attempt: it must not return. The fault goes to the secure HardFault (the SM reports
 * the NS fault and restarts the device) or, were NS faults routed to the NS world, to the
 * handler above, which reports it and restarts too: either way the next boot tries the next
 * call. */
static void attempt(const char *name, uint32_t op, const void *args)
{
    smak_printf("semihost_test: %s\n", name);
    unsigned before = faults;
    uint32_t r0 = semihost_attack(op, args);
    if (faults == before + 1u && fault_insn == BKPT_SEMIHOSTING) {
        smak_printf("semihost_test: %s: faulted in the NS world (HFSR %08x DFSR %08x)\n", name,
                    (unsigned)fault_hfsr, (unsigned)fault_dfsr);
        CHECK(r0 == op); /* no host answered */
        smak_reset();
    }
    smak_printf("semihost_test: %s: NOT faulted (r0 %08x)\n", name, (unsigned)r0);
    CHECK(0);
}

static uint32_t len(const char *s)
{
    uint32_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

/* Attempt `i`, or 0 once there are none left. */
static int ns_attempt(unsigned i)
{
    static const char flash[] = "flash.img";
    static const char created[] = "smrun-semihost-created";
    static const char command[] = "touch smrun-semihost-system";
    static const char shout[] = "semihost_test: PWNED through semihosting\n";
    static char buf[64];
    const uint32_t open_rw[3] = {(uint32_t)(uintptr_t)flash, 3 /* r+b */, len(flash)};
    const uint32_t open_w[3] = {(uint32_t)(uintptr_t)created, 4 /* w */, len(created)};
    const uint32_t write[3] = {1, (uint32_t)(uintptr_t)shout, len(shout)};
    const uint32_t read[3] = {0, (uint32_t)(uintptr_t)buf, sizeof(buf)};
    const uint32_t seek[2] = {3, 0x8000};
    const uint32_t remove[2] = {(uint32_t)(uintptr_t)flash, len(flash)};
    const uint32_t system[2] = {(uint32_t)(uintptr_t)command, len(command)};
    const uint32_t exit_ext[2] = {0x20026u /* ADP_Stopped_ApplicationExit */, 77};
    switch (i) {
    case 0:
        attempt("SYS_OPEN flash.img r+b", 0x01u, open_rw);
        break;
    case 1:
        attempt("SYS_OPEN a new file", 0x01u, open_w);
        break;
    case 2:
        attempt("SYS_WRITE", 0x05u, write);
        break;
    case 3:
        attempt("SYS_READ", 0x06u, read);
        break;
    case 4:
        attempt("SYS_SEEK", 0x0Au, seek);
        break;
    case 5:
        attempt("SYS_WRITE0", 0x04u, shout);
        break;
    case 6:
        attempt("SYS_REMOVE flash.img", 0x0Eu, remove);
        break;
    case 7:
        attempt("SYS_SYSTEM touch", 0x12u, system);
        break;
    case 8:
        attempt("SYS_EXIT_EXTENDED 77", 0x20u, exit_ext);
        break;
    case 9:
        attempt("SYS_EXIT", 0x18u, (const void *)0x20026u);
        break;
    default:
        return 0;
    }
    return 1;
}

static void partition_attempt(void)
{
    psa_handle_t h = psa_connect(TEST_FAULT_SERVICE_SID, 1);
    CHECK(h > 0);
    CHECK(psa_call(h, FAULT_OK, NULL, 0, NULL, 0) == PSA_SUCCESS);
    smak_printf("semihost_test: TEST_FAULT makes semihosting calls\n");
    CHECK(psa_call(h, FAULT_SEMIHOSTING, NULL, 0, NULL, 0) == PSA_ERROR_SERVICE_FAILURE);
    CHECK(psa_connect(TEST_FAULT_SERVICE_SID, 1) == PSA_ERROR_CONNECTION_REFUSED);
    psa_close(h);
    /* The rest runs on. */
    CHECK(psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_EMPTY, NULL, 0, NULL, 0) == PSA_SUCCESS);
}

int main(void)
{
    /* Boots 1 to 10: one NS attempt each (each ends in a restart); then the partition's. */
    if (ns_attempt(smak_boot_count() - 1u)) {
        return 1; /* the attempt returned: already reported */
    }
    partition_attempt();
    smak_printf("semihost_test: %u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
