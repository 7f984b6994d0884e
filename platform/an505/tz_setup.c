/*
 * tz_setup.c: plat_tz.h on QEMU's MPS2 AN505: SAU regions, the memory protection controllers
 * of the code SSRAM (our flash) and of SSRAM3 (NS RAM), and the peripheral protection
 * controller of UART1. Register facts from QEMU's tz-mpc, iotkit-secctl and mps2-tz models.
 */
#include "plat_tz.h"

#include "an505_emu.h"

#include "armv8m.h"
#include "flash_map.h"
#include "memory_map.h"

#define SAU_CTRL REG32(0xE000EDD0u)
#define SAU_RNR  REG32(0xE000EDD8u)
#define SAU_RBAR REG32(0xE000EDDCu)
#define SAU_RLAR REG32(0xE000EDE0u)
#define VTOR_NS  REG32(0xE002ED08u)

#define SPCTRL_SECRESPCFG   REG32(0x50080010u)
#define SPCTRL_NSCCFG       REG32(0x50080014u)
#define NSCCFG_CODENSC      (1u << 0) /* IDAU: code region 0x1xxxxxxx may be NSC */
#define SPCTRL_APBNSPPC0    REG32(0x50080070u)
#define PPC0_TIMER0         (1u << 0)
#define SPCTRL_APBNSPPCEXP1 REG32(0x50080084u)
#define PPCEXP1_UART1       (1u << 6)

#define SPCTRL_APBSPPPC0    REG32(0x500800B0u) /* secure unprivileged access, APB PPC0 */
#define SPCTRL_APBSPPPC1    REG32(0x500800B4u) /* ... APB PPC1 */
#define SPCTRL_APBSPPPCEXP1 REG32(0x500800C4u) /* ... expansion APB PPC1 */

#define MPC_SSRAM1                  0x58007000u /* code SSRAM: the emulated flash */
#define MPC_SSRAM3                  0x58009000u /* NS RAM */
#define MPC_CTRL(m)                 REG32((m) + 0x00u)
#define MPC_BLK_MAX(m)              REG32((m) + 0x10u)
#define MPC_BLK_CFG(m)              REG32((m) + 0x14u)
#define MPC_BLK_IDX(m)              REG32((m) + 0x18u)
#define MPC_BLK_LUT(m)              REG32((m) + 0x1Cu)
#define MPC_CTRL_SEC_RESP_BUS_ERROR (1u << 4)

static void sau_region(uint32_t n, uint32_t base, uint32_t limit_incl, uint32_t nsc)
{
    SAU_RNR = n;
    SAU_RBAR = base & ~0x1Fu;
    SAU_RLAR = (limit_incl & ~0x1Fu) | (nsc ? 2u : 0u) | 1u; /* enabled */
}

/* Mark [offset, offset + len) of the memory behind MPC `m` non-secure. */
static void mpc_make_ns(uint32_t m, uint32_t offset, uint32_t len)
{
    const uint32_t block = 1u << (MPC_BLK_CFG(m) + 5u); /* read, not assumed: QEMU uses 1 KiB */
    const uint32_t words = MPC_BLK_MAX(m) + 1u;
    /* Auto-increment (on at reset) would move BLK_IDX between our read and write of a word. */
    MPC_CTRL(m) = (MPC_CTRL(m) & ~(1u << 8)) | MPC_CTRL_SEC_RESP_BUS_ERROR;
    for (uint32_t b = offset / block; b < (offset + len) / block && b / 32u < words; b++) {
        MPC_BLK_IDX(m) = b / 32u;
        MPC_BLK_LUT(m) = MPC_BLK_LUT(m) | (1u << (b % 32u));
    }
}

const struct plat_tz_range plat_tz_ns_memory[PLAT_TZ_NS_MEMORY_COUNT] = {
    {RAM_NS_BASE, RAM_NS_BASE + RAM_NS_SIZE, true},
    {FLASH_BASE_NS + FLASH_NS_PRIMARY_OFFSET,
     FLASH_BASE_NS + FLASH_NS_PRIMARY_OFFSET + FLASH_NS_SLOT_SIZE, false},
};

void plat_tz_setup(uint32_t nsc_start, uint32_t nsc_end)
{
    /* SAU: enable first, then regions (QEMU flushes its TLB on region writes). */
    SAU_CTRL = 1u;
    /* The NS memory: exactly plat_tz_ns_memory[]. */
    for (uint32_t i = 0; i < PLAT_TZ_NS_MEMORY_COUNT; i++) {
        sau_region(i, plat_tz_ns_memory[i].start, plat_tz_ns_memory[i].end - 1u, 0);
    }
    sau_region(2, UART1_BASE_S & ~0x10000000u, (UART1_BASE_S & ~0x10000000u) + 0xFFFu, 0);
    sau_region(3, TIMER0_BASE_S & ~0x10000000u, (TIMER0_BASE_S & ~0x10000000u) + 0xFFFu, 0);
    if (nsc_end > nsc_start) {
        sau_region(4, nsc_start, nsc_end - 1u, 1);
        SPCTRL_NSCCFG |= NSCCFG_CODENSC;
    }
    arm_dsb();
    arm_isb();

    mpc_make_ns(MPC_SSRAM1, FLASH_NS_PRIMARY_OFFSET, FLASH_NS_SLOT_SIZE);
    /* The runner reads the flash with the MPCs' secure view, where the NS slot now reads as
     * zeros: tell it to read that slot with the NS view (an505_emu.h). */
    REG32(EMU_BOX_S_BASE + AN505_EMU_BOX_NS_OPEN) = AN505_EMU_NS_OPEN_MAGIC;
    mpc_make_ns(MPC_SSRAM3, 0, RAM_NS_SIZE);

    SPCTRL_APBNSPPCEXP1 |= PPCEXP1_UART1;
    SPCTRL_APBNSPPC0 |= PPC0_TIMER0;
    SPCTRL_SECRESPCFG = 1u; /* blocked peripheral accesses fault instead of reading zero */
    arm_dsb();
    arm_isb();
}

void plat_tz_start_ns(uint32_t ns_vector_table, uint32_t arg, uint32_t *secure_sp)
{
    const volatile uint32_t *vt = (const volatile uint32_t *)(uintptr_t)ns_vector_table;
    uint32_t sp = vt[0];
    uint32_t entry = vt[1] & ~1u; /* bit 0 clear: BLXNS goes non-secure */
    VTOR_NS = ns_vector_table;
    __asm volatile("msr msp_ns, %0" ::"r"(sp));
    arm_dsb();
    arm_isb();
    /* Clear what the NS world must not see in registers before crossing over. */
    register uint32_t r0 __asm("r0") = arg;
    register uint32_t r1 __asm("r1") = entry;
    register uint32_t *r2 __asm("r2") = secure_sp;
    /* Every general register but r0 (the argument) and r1 (the target) is cleared; the
     * compiler saves the callee-saved ones it uses, since they are listed as clobbered. */
    /* BLXNS pushes its 8-byte return frame: the NS world runs with SP 8 below this one. */
    __asm volatile("sub r3, sp, #8\n\t"
                   "str r3, [r2]\n\t"
                   "mov r2, #0\n\t"
                   "mov r3, #0\n\t"
                   "mov r4, #0\n\t"
                   "mov r5, #0\n\t"
                   "mov r6, #0\n\t"
                   "mov r8, #0\n\t"
                   "mov r9, #0\n\t"
                   "mov r10, #0\n\t"
                   "mov r11, #0\n\t"
                   "mov r12, #0\n\t"
                   "blxns r1"
                   : "+r"(r0), "+r"(r1), "+r"(r2)
                   :
                   : "r3", "r4", "r5", "r6", "r8", "r9", "r10", "r11", "r12", "lr", "memory");
}

/* Secure peripherals behind a PPC, each a 4 KiB page (secure alias) and its PPC port. */
static const struct {
    uint32_t base;
    volatile uint32_t *sppc;
    uint32_t bit;
} ppc_ports[] = {
    /* Not TIMER1 (the platform clock: plat_timer_ticks, the boot's and the benchmarks' time) nor
     * UART0 (the SM's console): the SM's own, so no manifest gets them (qemu.bad_mmio). */
    {TIMER0_BASE_S, &SPCTRL_APBSPPPC0, 1u << 0},
    {0x50002000u, &SPCTRL_APBSPPPC0, 1u << 2}, /* dual timer */
    {0x5002F000u, &SPCTRL_APBSPPPC1, 1u << 0}, /* S32K timer */
    {UART1_BASE_S, &SPCTRL_APBSPPPCEXP1, 1u << 6},
};

bool plat_tz_unprivileged_mmio(uint32_t base, uint32_t size)
{
    for (uint32_t page = base & ~0xFFFu; page < base + size; page += 0x1000u) {
        bool known = false;
        for (uint32_t i = 0; i < sizeof(ppc_ports) / sizeof(ppc_ports[0]); i++) {
            if (ppc_ports[i].base == page) {
                *ppc_ports[i].sppc |= ppc_ports[i].bit;
                known = true;
            }
        }
        if (!known) {
            return false;
        }
    }
    arm_dsb();
    return true;
}
