/*
 * sm_fault.c: what the SM core does when something faults (policy: docs/design/sm-core.md).
 *
 * - A partition faults (from unprivileged secure Thread mode): it is stopped like a panic, its
 *   clients get their errors, the rest of the system runs on. The fault is reported.
 * - The non-secure world touches secure memory or a secure peripheral, or forges or replays an
 *   exception return into secure state: the access was blocked by the SAU/IDAU, an MPC or a
 *   PPC, or the return by the integrity checks, before it happened; the SM reports it and
 *   restarts the device (a system reset), since the NS world cannot go on past the faulting
 *   instruction and secure state never depends on it. Such a fault can arrive with EXC_RETURN
 *   naming a secure context (the bad return was to one), so the SFSR decides, not EXC_RETURN.
 * - Anything else is a fault of the core itself: reported, then the device stops (fail closed).
 */
#include <stdint.h>

#include "an505_exit.h"
#include "armv8m.h"
#include "fmt.h"
#include "plat_console.h"
#include "plat_system.h"
#include "sm_arch.h"
#include "sm_arch_armv8m.h"
#include "sm_kernel.h"

#define EXC_RETURN_S     (1u << 6) /* the interrupted context was secure */
#define EXC_RETURN_MODE  (1u << 3) /* ... in Thread mode */
#define EXC_RETURN_SPSEL (1u << 2) /* ... on PSP */
#define CFSR_MMARVALID   (1u << 7)
#define CFSR_BFARVALID   (1u << 15)
#define CFSR_STKOF       (1u << 20)
#define SFSR_SFARVALID   (1u << 6)
/* SecureFaults only the NS world causes: entering secure code other than through an SG
 * (INVEP), an exception return to a secure context without a valid integrity signature
 * (INVIS: a forged or abandoned frame), an invalid exception return from an NS handler
 * (INVER: a forged EXC_RETURN), an NS access to secure memory (AUVIOL). */
#define SFSR_NS_CAUSED   (1u << 0 | 1u << 1 | 1u << 2 | 1u << 3)

static const char *fault_name(uint32_t exception)
{
    switch (exception) {
    case 3:
        return "HardFault";
    case 4:
        return "MemManage fault";
    case 5:
        return "BusFault";
    case 6:
        return "UsageFault";
    case 7:
        return "SecureFault";
    default:
        return "fault";
    }
}

/* The faulting address, if the fault status registers hold one. */
static int fault_address(uint32_t cfsr, uint32_t sfsr, uint32_t *addr)
{
    if (sfsr & SFSR_SFARVALID) {
        *addr = SCB_SFAR;
        return 1;
    }
    if (cfsr & CFSR_BFARVALID) {
        *addr = SCB_BFAR;
        return 1;
    }
    if (cfsr & CFSR_MMARVALID) {
        *addr = SCB_MMFAR;
        return 1;
    }
    return 0;
}

void sm_ns_abandoned(const struct sm_thread *t)
{
    plat_printf("SM: %s (%s); restarting the device\n",
                SM_WHY("F1", "the non-secure world ran on instead of returning to the secure "
                             "thread it preempted"),
                t->part != NULL ? t->part->name : "the idle thread");
    plat_reset();
}

extern const uint8_t __sg_start[], __sg_end[]; /* the veneers (sm.ld.S) */

struct sm_thread *sm_fault(uint32_t exc_return)
{
    uint32_t ipsr, cfsr = SCB_CFSR, sfsr = SCB_SFSR, addr = 0;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    const char *name = fault_name(ipsr & 0x1FFu);
    int has_addr = fault_address(cfsr, sfsr, &addr);
    /* Clear the sticky status so the next fault reports only itself. */
    SCB_CFSR = cfsr;
    SCB_SFSR = sfsr;

    if ((exc_return & EXC_RETURN_S) == 0u || (sfsr & SFSR_NS_CAUSED) != 0u) {
        uint32_t *frame, pc = 0, control_ns;
        /* EXC_RETURN.SPSEL describes the secure side; the NS frame is on the stack NS Thread
         * mode selected (CONTROL_NS.SPSEL), or MSP_NS for NS Handler mode. */
        __asm volatile("mrs %0, control_ns" : "=r"(control_ns));
        if ((exc_return & EXC_RETURN_MODE) && (control_ns & 2u)) {
            __asm volatile("mrs %0, psp_ns" : "=r"(frame));
        } else {
            __asm volatile("mrs %0, msp_ns" : "=r"(frame));
        }
        /* The NS stack pointer is the NS world's choice: read only from its own memory. */
        if (sm_arch_ns_owned((uintptr_t)frame, 8 * sizeof(uint32_t), false)) {
            pc = frame[6];
        }
        /* A call into a veneer on top of a preempted unprivileged thread (see
         * sm_ns_gateway.S): the fetch faulted. */
        if (sm_cur != sm_ns_agent() && pc >= (uint32_t)(uintptr_t)__sg_start &&
            pc < (uint32_t)(uintptr_t)__sg_end) {
            sm_ns_abandoned(sm_cur);
        }
        plat_printf("SM: %s: %s (CFSR %08x SFSR %08x)", SM_WHY("F2", "non-secure access blocked"),
                    name, (unsigned)cfsr, (unsigned)sfsr);
        if (has_addr) {
            plat_printf(" at address %08x", (unsigned)addr);
        }
        plat_printf(" by NS code at %08x; restarting the device\n", (unsigned)pc);
        plat_reset();
    }
    struct sm_thread *t = sm_cur;
    bool partition_thread =
        (exc_return & (EXC_RETURN_MODE | EXC_RETURN_SPSEL)) == (EXC_RETURN_MODE | EXC_RETURN_SPSEL);
    if (partition_thread && t == sm_ns_agent() && (cfsr & CFSR_STKOF) != 0u) {
        /* The NS agent runs a few gateway instructions on its stack; only the frames of NS
         * interrupts that preempted it there, before the gateway dropped older ones, and that
         * the NS world then abandoned, can fill it: the NS world's fault. */
        plat_printf("SM: %s (CFSR %08x); restarting the device\n",
                    SM_WHY("F3", "the non-secure world abandoned preempted secure calls until the "
                                 "NS agent's stack was full"),
                    (unsigned)cfsr);
        plat_reset();
    }
    if (partition_thread && t->part != NULL && t->state != SM_STOPPED) {
        /* A first-level handler's fault is its partition's. */
        struct sm_thread *owner = sm_arch_flih_abandon();
        const char *where = owner != NULL ? " in its first-level handler" : "";
#ifdef PLAT_LOG_IDS
        /* No formatter in this image (plat_console.h): the fault's details on a line of their
         * own, then the partition stopped for that fault. */
        plat_printf("SM: %s (CFSR %08x, address %08x)%s\n", name, (unsigned)cfsr,
                    has_addr ? (unsigned)addr : 0u, where);
        sm_stop_partition(owner ? owner : t, name);
#else
        char why[112];
        if (has_addr) {
            fmt_snprintf(why, sizeof(why), "%s (CFSR %08x) at address %08x%s", name, (unsigned)cfsr,
                         (unsigned)addr, where);
        } else {
            fmt_snprintf(why, sizeof(why), "%s (CFSR %08x)%s", name, (unsigned)cfsr, where);
        }
        sm_stop_partition(owner ? owner : t, why);
#endif
        return sm_arch_reschedule(t); /* never t: it is stopped, and not saved */
    }
    plat_printf("\nSM: FATAL: %s in the secure core (CFSR %08x SFSR %08x HFSR %08x, address "
                "%08x, EXC_RETURN %08x)\n",
                name, (unsigned)cfsr, (unsigned)sfsr, (unsigned)SCB_HFSR, (unsigned)addr,
                (unsigned)exc_return);
    plat_power_off(AN505_EXIT_STATUS_FAULT);
}
