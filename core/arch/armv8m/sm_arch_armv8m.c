/*
 * sm_arch_armv8m.c: the kernel's architecture layer on Armv8-M with the Security Extension
 * (see sm_arch.h, sm_arch_ctx.h, sm_switch.S).
 *
 * Isolation (level 3): partitions run unprivileged; the secure MPU gives each only region 0
 * (the shared code: libc, libgcc and the PSA API stubs, read-only) and its own regions 4-7
 * (its code read-only, its data+bss+stack read-write and never executable, its MMIO). The core
 * runs privileged over the default memory map (PRIVDEFENA). The NS agent and the idle thread
 * are privileged secure threads running only core code.
 */
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include "an505_exit.h"
#include "armv8m.h"
#include "memory_map.h"
#include "plat_console.h"
#include "plat_system.h"
#include "plat_tz.h"
#include "sm_arch.h"
#include "sm_arch_armv8m.h"
#include "sm_kernel.h"
#include "sm_module_load.h"
#include "sm_svc.h"

#define MPU_CTRL      REG32(0xE000ED94u)
#define MPU_RNR       REG32(0xE000ED98u)
#define MPU_RBAR      REG32(0xE000ED9Cu)
#define MPU_RLAR      REG32(0xE000EDA0u)
/* MPU_RBAR_An / MPU_RLAR_An: regions RNR + n, n = 1..3, at 0xE000EDA4 + 8 (n - 1). */
#define MPU_RBAR_A(n) REG32(0xE000ED9Cu + 8u * (n))
#define MPU_RLAR_A(n) REG32(0xE000EDA0u + 8u * (n))
#define MPU_MAIR0     REG32(0xE000EDC0u)
#define SCB_SHPR1     REG32(0xE000ED18u)
#define SCB_SHPR2     REG32(0xE000ED1Cu)
#define SCB_SHPR3     REG32(0xE000ED20u)
#define SYST_CSR      REG32(0xE000E010u)
#define SYST_RVR      REG32(0xE000E014u)
#define SYST_CVR      REG32(0xE000E018u)
#define NVIC_ISER(n)  REG32(0xE000E100u + 4u * (n))
#define NVIC_ICER(n)  REG32(0xE000E180u + 4u * (n))
#define NVIC_ICPR(n)  REG32(0xE000E280u + 4u * (n))
#define NVIC_ITNS(n)  REG32(0xE000E380u + 4u * (n))
#define NVIC_IPR8(n)  (*(volatile uint8_t *)(uintptr_t)(0xE000E400u + (n)))

#define SHCSR_FAULTS ((1u << 16) | (1u << 17) | (1u << 18) | (1u << 19)) /* Mem Bus Usage Sec */
#define AIRCR_PRIS   (1u << 14)
/* Secure exception priorities (AIRCR.PRIS puts every NS one at 0x80 or below). Supervisor calls
 * sit above interrupts so that a first-level handler, run with BASEPRI at IRQ_PRIO, can still
 * make them; nothing in Handler mode makes one, so the kernel never preempts itself. */
#define KERNEL_PRIO  0x40u /* SVC */
#define IRQ_PRIO     0x60u /* PendSV and partition interrupts */

#define RBAR_XN                 1u
#define RBAR_AP_RW              (1u << 1) /* read-write, any privilege */
#define RBAR_AP_RO              (3u << 1) /* read-only, any privilege */
#define RLAR_EN                 1u
#define RLAR_DEVICE             (1u << 1) /* MAIR attribute 1 */
#define EXC_RETURN_THREAD_PSP_S 0xFFFFFFFDu
#define EXC_RETURN_S            (1u << 6)
#define EXC_RETURN_MODE         (1u << 3)
#define XPSR_THUMB              0x01000000u

/* The module time slice (sm_kernel_tick): the secure SysTick on the processor clock, only
 * while a module is loaded. 1 ms at SYSCLK_HZ: short enough for the NS world to stay
 * responsive next to a module that never blocks, long enough to cost nothing measurable
 * (a tick's work is about 150 instructions). */
#define MODULE_SLICE_CYCLES (SYSCLK_HZ / 1000u)
#define SYST_CSR_ENABLE     (1u << 0)
#define SYST_CSR_TICKINT    (1u << 1)
#define SYST_CSR_CPUCLK     (1u << 2)

#define AN505_IRQ_LINES 96u
#define SM_OWN_LINES    ((1u << 4) | (1u << 9) | (1u << 10)) /* TIMER1, MPC, PPC */

extern const uint8_t __sm_shared_code_start[], __sm_shared_code_end[];
extern const uint32_t __sm_copy_table_start[], __sm_copy_table_end[];
extern const uint32_t __sm_zero_table_start[], __sm_zero_table_end[];
void sm_idle(void);
void sm_partition_entry_returned(void);
void sm_flih_returned(void);

_Static_assert(sizeof(struct sm_thread) == SM_THREAD_SIZE, "SM_THREAD_SIZE in sm_svc.h");
_Static_assert(offsetof(struct sm_thread, state) == SM_THREAD_STATE, "SM_THREAD_STATE in sm_svc.h");
_Static_assert(SM_STOPPED == SM_THREAD_STOPPED, "SM_THREAD_STOPPED in sm_svc.h");

struct sm_thread *sm_arch_save;

#ifndef NS_AGENT_STACK /* the product profile sets its measured size (core/CMakeLists.txt) */
#define NS_AGENT_STACK 1024u
#endif
#ifndef IDLE_STACK /* the product profile sets a smaller one (core/CMakeLists.txt) */
#define IDLE_STACK 256u
#endif
static uint8_t ns_agent_stack[NS_AGENT_STACK] __attribute__((aligned(8)));
static uint8_t idle_stack[IDLE_STACK] __attribute__((aligned(32))); /* an MPU region */
uint8_t *const sm_ns_agent_stack_limit = ns_agent_stack;
uint8_t *const sm_ns_agent_stack_top = ns_agent_stack + NS_AGENT_STACK;
/* The NS agent's stack pointer while the NS world runs (plat_tz_start_ns sets it): every NS
 * call starts from here (sm_ns_gateway.S). */
uint32_t sm_ns_agent_ns_sp;

struct sm_partition_memory sm_module_memory[SM_MODULE_SLOTS_MAX];

/* A partition thread's code and RAM block: a built-in's from the linker script, a module's
 * from the loader. */
static inline const struct sm_partition_memory *memory_of(const struct sm_thread *t)
{
    return t->index < sm_partition_count ? &sm_partition_memory[t->index]
                                         : &sm_module_memory[t->index - sm_partition_count];
}

void sm_arch_module_memory(uint32_t k, uint32_t code_start, uint32_t code_end, uint32_t ram_start,
                           uint32_t ram_end)
{
    struct sm_partition_memory *m = &sm_module_memory[k];
    m->code_start = (const uint8_t *)(uintptr_t)code_start;
    m->code_end = (const uint8_t *)(uintptr_t)code_end;
    m->ram_start = (const uint8_t *)(uintptr_t)ram_start;
    m->ram_end = (const uint8_t *)(uintptr_t)ram_end;
}

static void region(uint32_t *mpu, uint32_t start, uint32_t end, uint32_t rbar, uint32_t rlar)
{
    if (end <= start) {
        mpu[0] = 0;
        mpu[1] = 0; /* disabled */
        return;
    }
    mpu[0] = (start & ~0x1Fu) | rbar;
    mpu[1] = ((end - 1u) & ~0x1Fu) | rlar | RLAR_EN;
}

/* A fresh exception frame at the top of a stack: the thread starts at `entry` on its first
 * switch-in, as if returning from an exception. */
static uint32_t *initial_frame(uint8_t *stack, uint32_t size, void (*entry)(void))
{
    uint32_t *frame = (uint32_t *)(uintptr_t)(((uintptr_t)stack + size) & ~7u) - 8;
    memset(frame, 0, 8 * sizeof(uint32_t));
    frame[5] = (uint32_t)(uintptr_t)sm_partition_entry_returned; /* lr: entry returned */
    frame[6] = (uint32_t)(uintptr_t)entry & ~1u;                 /* pc */
    frame[7] = XPSR_THUMB;
    return frame;
}

void sm_arch_thread_init(struct sm_thread *t)
{
    struct sm_arch_ctx *c = &t->ctx;
    c->exc_return = EXC_RETURN_THREAD_PSP_S;
    if (t->part != NULL) {
        const struct sm_partition *p = t->part;
        const struct sm_partition_memory *m = memory_of(t);
        c->sp = (uint32_t)(uintptr_t)initial_frame(p->stack, p->stack_size, p->entry);
        if (t->index >= sm_partition_count) {
            /* A module addresses its data through r9 (its GOT, at the start of its RAM):
             * the switch loads r4-r11 from the context. */
            c->r4_r11[9 - 4] = (uint32_t)(uintptr_t)m->ram_start;
        }
        c->control = 1u; /* nPRIV */
        c->psplim = (uint32_t)(uintptr_t)p->stack;
        region(&c->mpu[0], (uint32_t)(uintptr_t)m->code_start, (uint32_t)(uintptr_t)m->code_end,
               RBAR_AP_RO, 0);
        region(&c->mpu[2], (uint32_t)(uintptr_t)m->ram_start, (uint32_t)(uintptr_t)m->ram_end,
               RBAR_AP_RW | RBAR_XN, 0);
        c->ram_start = (uint32_t)(uintptr_t)m->ram_start;
        c->ram_end = (uint32_t)(uintptr_t)m->ram_end;
        for (uint32_t i = 0; i < 2; i++) {
            const struct sm_mmio *r = i < p->mmio_count ? &p->mmio[i] : NULL;
            region(&c->mpu[4 + 2 * i], r ? r->base : 0, r ? r->base + r->size : 0,
                   (r && r->read_only ? RBAR_AP_RO : RBAR_AP_RW) | RBAR_XN, RLAR_DEVICE);
        }
    } else if (t == sm_ns_agent()) {
        c->control = 0;
        c->psplim = (uint32_t)(uintptr_t)ns_agent_stack;
        /* No RAM block: sm_range_ok's fast path fails at its first compare (a >= ram_start
         * only for the last byte of the address space, which ram_end = 0 then refuses), and
         * the NS caller's ranges go to sm_arch_range_ok's allowlist and TT. */
        c->ram_start = UINT32_MAX;
    } else {
        /* Idle: unprivileged, its code in the shared region 0, its stack its only region. */
        c->sp = (uint32_t)(uintptr_t)initial_frame(idle_stack, IDLE_STACK, sm_idle);
        c->control = 1u; /* nPRIV */
        c->psplim = (uint32_t)(uintptr_t)idle_stack;
        region(&c->mpu[0], 0, 0, 0, 0);
        region(&c->mpu[2], (uint32_t)(uintptr_t)idle_stack,
               (uint32_t)(uintptr_t)idle_stack + IDLE_STACK, RBAR_AP_RW | RBAR_XN, 0);
        region(&c->mpu[4], 0, 0, 0, 0);
        region(&c->mpu[6], 0, 0, 0, 0);
    }
}

void sm_arch_init(void)
{
    /* Partition data and bss (the core's own were set up by the reset handler). */
    size_t copies = ((uintptr_t)__sm_copy_table_end - (uintptr_t)__sm_copy_table_start) / 12u;
    size_t zeroes = ((uintptr_t)__sm_zero_table_end - (uintptr_t)__sm_zero_table_start) / 8u;
    for (size_t i = 0; i < copies; i++) {
        const uint32_t *e = &__sm_copy_table_start[3u * i];
        memcpy((void *)(uintptr_t)e[1], (const void *)(uintptr_t)e[0], e[2]);
    }
    for (size_t i = 0; i < zeroes; i++) {
        const uint32_t *e = &__sm_zero_table_start[2u * i];
        memset((void *)(uintptr_t)e[0], 0, e[1]);
    }
    /* Exceptions: faults first, then the kernel; NS exceptions below every secure one. */
    SCB_AIRCR = AIRCR_VECTKEY | (SCB_AIRCR & 0x2708u) | AIRCR_PRIS; /* keep PRIGROUP etc. */
    SCB_SHPR1 = 0;                 /* MemManage, BusFault, UsageFault, SecureFault: priority 0 */
    SCB_SHPR2 = KERNEL_PRIO << 24; /* SVC */
    SCB_SHPR3 =
        (SCB_SHPR3 & 0x0000FFFFu) | (IRQ_PRIO << 16) | (IRQ_PRIO << 24); /* PendSV, SysTick */
    SCB_SHCSR |= SHCSR_FAULTS;
    /* Interrupts: partition lines stay secure, masked until psa_irq_enable; the rest go to
     * the NS world but for the few the SM keeps. */
    for (uint32_t line = 0; line < AN505_IRQ_LINES; line++) {
        bool secure = sm_irq_find(line) != NULL || (line < 32u && (SM_OWN_LINES >> line) & 1u);
        NVIC_ICER(line / 32u) = 1u << (line % 32u);
        if (secure) {
            NVIC_ITNS(line / 32u) &= ~(1u << (line % 32u));
            NVIC_IPR8(line) = IRQ_PRIO;
        } else {
            NVIC_ITNS(line / 32u) |= 1u << (line % 32u);
        }
    }
    /* Peripherals partitions declare must answer unprivileged accesses. */
    for (uint32_t i = 0; i < sm_partition_count; i++) {
        const struct sm_partition *p = &sm_partitions[i];
        for (uint32_t r = 0; r < p->mmio_count; r++) {
            if (!plat_tz_unprivileged_mmio(p->mmio[r].base, p->mmio[r].size)) {
                plat_printf("SM: FATAL: partition %s: %s (%08x)\n", p->name,
                            SM_WHY("A9", "declares MMIO this board cannot give it"),
                            (unsigned)p->mmio[r].base);
                plat_power_off(AN505_EXIT_STATUS_FAULT);
            }
        }
    }
    /* MPU: attribute 0 normal memory, 1 device; region 0 the shared code. */
    MPU_CTRL = 0;
    MPU_MAIR0 = 0x04FFu;
    uint32_t shared[2];
    region(shared, (uint32_t)(uintptr_t)__sm_shared_code_start,
           (uint32_t)(uintptr_t)__sm_shared_code_end, RBAR_AP_RO, 0);
    MPU_RNR = 0;
    MPU_RBAR = shared[0];
    MPU_RLAR = shared[1];
    for (uint32_t r = 1; r < 8; r++) {
        MPU_RNR = r;
        MPU_RLAR = 0;
    }
    MPU_CTRL = (1u << 2) | 1u; /* PRIVDEFENA | ENABLE */
    arm_dsb();
    arm_isb();
    SYST_CSR = 0;
    if (sm_module_count != 0u) {
        SYST_RVR = MODULE_SLICE_CYCLES - 1u;
        SYST_CVR = 0;
        SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CPUCLK;
    }
}

/* [a, a + n) lies inside [start, end). */
static inline bool inside(uintptr_t a, size_t n, uintptr_t start, uintptr_t end)
{
    return a >= start && a < end && n <= end - a;
}

static inline bool ns_owned(uintptr_t a, size_t n, bool write)
{
    for (uint32_t i = 0; i < PLAT_TZ_NS_MEMORY_COUNT; i++) {
        const struct plat_tz_range *r = &plat_tz_ns_memory[i];
        if (inside(a, n, r->start, r->end)) {
            return r->writable || !write; /* the ranges do not overlap */
        }
    }
    return false;
}

bool sm_arch_ns_owned(uintptr_t a, size_t n, bool write)
{
    return ns_owned(a, n, write);
}

/*
 * Memory a caller may name, as Hubris checks a task's slices: an allowlist of what the caller
 * owns, never a denylist. The whole range must lie in one block the memory map gives it:
 * - the NS caller: the memory the platform gives the NS world (plat_tz_ns_memory: its RAM
 *   read-write, its image's flash slot read-only);
 * - a partition: its RAM block (read-write, the fast path in sm_range_ok), its own code and
 *   read-only data, or the shared code (read-only).
 * Only then does the TT instruction give its second opinion (the SAU/IDAU attribution and the
 * caller's own MPU at its privilege). TT alone is not enough: the PPB (0xE0000000 and up) is
 * exempt from SAU/IDAU attribution and reports as non-secure, and the kernel's copies run in
 * secure privileged state, where those addresses are the secure SCS (VTOR_S, SAU, MPU, AIRCR).
 * Nothing in the allowlist reaches that high, nor any peripheral.
 */
/* TT's answer word: R and RW (bits 18, 19) for the privilege asked, NSR and NSRW (20, 21) the
 * same and non-secure too. */
#define TT_R    (1u << 18)
#define TT_RW   (1u << 19)
#define TT_NSR  (1u << 20)
#define TT_NSRW (1u << 21)
#define TT(insn, a)                                                                                \
    ({                                                                                             \
        uint32_t tt_;                                                                              \
        __asm volatile(insn " %0, %1" : "=r"(tt_) : "r"(a));                                       \
        tt_;                                                                                       \
    })

/* Whether TT gives the same answer, with `want` set, at both ends of [a, a + n) (n > 0, not
 * wrapping): one SAU, IDAU and MPU region holds the whole range with that access. This is
 * cmse_check_address_range's rule, inline (it costs a libgcc call and a flag decode per
 * range); regions are intervals, so equal answers at both ends mean one region throughout. */
#define TT_RANGE(insn, a, n, want)                                                                 \
    ({                                                                                             \
        const uint32_t b_ = TT(insn, a);                                                           \
        const uintptr_t e_ = (a) + (n)-1u;                                                         \
        ((b_ & (want)) != 0u) && ((((a) ^ e_) < 32u) || TT(insn, e_) == b_);                       \
    })

/* A partition's range (sm_arch_range_ok): out of line, the NS caller's is the common one. */
__attribute__((noinline)) static bool partition_range_ok(uintptr_t a, size_t n, bool write)
{
    const struct sm_arch_ctx *c = &sm_cur->ctx;
    const struct sm_partition_memory *m = memory_of(sm_cur);
    if (!inside(a, n, c->ram_start, c->ram_end) &&
        (write ||
         (!inside(a, n, (uintptr_t)m->code_start, (uintptr_t)m->code_end) &&
          !inside(a, n, (uintptr_t)__sm_shared_code_start, (uintptr_t)__sm_shared_code_end)))) {
        return false;
    }
    /* The current MPU regions are the caller's: TTT asks them as unprivileged code. */
    return TT_RANGE("ttt", a, n, write ? TT_RW : TT_R);
}

bool sm_arch_range_ok(const void *p, size_t n, bool write)
{
    const uintptr_t a = (uintptr_t)p;
    if (n == 0u) {
        return true;
    }
    if (sm_cur->part != NULL) {
        return partition_range_ok(a, n, write);
    }
    if (!ns_owned(a, n, write)) {
        return false;
    }
    /* The NS caller's own MPU at the privilege it called with, and the SAU. */
    uint32_t control_ns;
    __asm volatile("mrs %0, control_ns" : "=r"(control_ns));
    const uint32_t want = write ? TT_NSRW : TT_NSR;
    return (control_ns & 1u) != 0u ? TT_RANGE("ttat", a, n, want) : TT_RANGE("tta", a, n, want);
}

void sm_arch_irq_enable(uint32_t line)
{
    NVIC_ISER(line / 32u) = 1u << (line % 32u);
}

bool sm_arch_irq_disable(uint32_t line)
{
    bool was = (NVIC_ISER(line / 32u) >> (line % 32u)) & 1u;
    NVIC_ICER(line / 32u) = 1u << (line % 32u);
    return was;
}

void sm_arch_irq_clear_pending(uint32_t line)
{
    NVIC_ICPR(line / 32u) = 1u << (line % 32u);
}

#ifndef PLAT_LOG_IDS /* a macro then (sm_arch.h) */
void sm_arch_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    plat_vprintf(fmt, ap);
    va_end(ap);
}
#endif

/* After a kernel entry by `cur`: the thread to switch to, or NULL to go back to `cur`. A
 * stopped `cur` is not saved by the switch (sm_arch_save = NULL). SVC_Handler has already
 * returned to `cur` itself when it is the next thread. */
struct sm_thread sm_flih_thread; /* a first-level handler's context, see below */
struct sm_thread *sm_arch_reschedule(struct sm_thread *cur)
{
    return sm_arch_switch_to(cur, sm_next());
}

struct sm_thread *sm_arch_switch_to(struct sm_thread *cur, struct sm_thread *next)
{
    if (next == cur || (cur == &sm_flih_thread && cur->state != SM_STOPPED)) {
        return NULL; /* a first-level handler runs to its end */
    }
    sm_arch_save = cur->state == SM_STOPPED ? NULL : cur;
    sm_cur = next;
    return next;
}

/*
 * Deferred work (sm_arch.h). The calling partition thread's own context is set aside and the
 * thread runs work(arg) in privileged Thread mode on defer_stack, in the core's memory (no
 * partition has an MPU region over it), then returns into sm_defer_returned (sm_switch.S:
 * SVC DEFER_DONE), which runs finish and gives the thread back its context with finish's
 * result in r0. Meanwhile the thread is scheduled like any other: interrupts and
 * higher-priority threads preempt it, the switch saving the work's registers in the thread's
 * context. A privileged thread gets no MPU regions from the switch (the default map serves
 * it), so the ones left are another thread's: DEFER_DONE loads the partition's own again
 * before returning to it.
 */
/* The works: p256-m's ECDSA signature peaked at 728 bytes (measured in qemu.attest); the
 * verification of an encrypted download (ECDH and HKDF inside the hashing, sm_device.c) at
 * 2,616 with the boot stages' fast verify, exception frames of its preemptions included
 * (SM_MEASURE_STACKS prints the peak after each work). The product profile, whose verify is
 * p256-m's, sets its own size (core/CMakeLists.txt). */
#ifndef SM_DEFER_STACK
#define SM_DEFER_STACK 2816u
#endif
#define DEFER_STACK SM_DEFER_STACK
static uint8_t defer_stack[DEFER_STACK] __attribute__((aligned(8)));
/* Threads whose kernel call waits for the work under way (sm_arch_defer_wait). */
static uint32_t defer_waiters;
static struct {
    struct sm_thread *thread; /* NULL: no work under way */
    uint32_t (*finish)(void *);
    void *arg;
    uint32_t *frame; /* the partition's supervisor call frame, its PSP */
    uint32_t control, psplim;
} defer;
void sm_defer_returned(void);

bool sm_arch_defer_wait(uint32_t *ret)
{
    struct sm_thread *t = sm_cur;
    if (defer.thread == NULL) {
        return false;
    }
    /* The call is made again once the work ends: the caller's PC goes back over its
     * supervisor call (Thumb's SVC is two bytes) and its frame keeps the arguments, r0 included
     * (the value SVC_Handler stores there is r0 itself). */
    t->ctx.frame[6] -= 2u;
    *ret = t->ctx.frame[0];
#ifdef SM_TRACE_DEFER_WAITS
    sm_arch_log("SM: a call of %s waits for the deferred work of %s\n", t->part->name,
                defer.thread->part->name);
#endif
    defer_waiters |= 1u << t->index;
    sm_block(t, SM_BLOCKED_DEFER);
    return true;
}

static void set_psp(uint32_t sp, uint32_t limit)
{
    __asm volatile("msr psplim, %0\n\tmsr psp, %1\n\tmsr psplim, %2" ::"r"(0u), "r"(sp), "r"(limit)
                   : "memory");
}

/* A first-level handler would start from its partition thread's context: not the work's. */
static bool has_flih(const struct sm_thread *t)
{
    for (uint32_t i = 0; i < sm_irq_count; i++) {
        if (sm_irqs[i].partition == t->index && sm_irqs[i].handling == SM_IRQ_FLIH) {
            return true;
        }
    }
    return false;
}

uint32_t sm_arch_defer(void (*work)(void *), uint32_t (*finish)(void *), void *arg)
{
    struct sm_thread *t = sm_cur;
    if (defer.thread != NULL || t->part == NULL || t == &sm_flih_thread || has_flih(t)) {
        return (uint32_t)PSA_ERROR_SERVICE_FAILURE;
    }
    uint32_t *frame = (uint32_t *)(uintptr_t)(defer_stack + DEFER_STACK) - 8;
#ifdef SM_MEASURE_STACKS
    memset(defer_stack, 0xA5, DEFER_STACK - 8u * sizeof(uint32_t));
#endif
    memset(frame, 0, 8 * sizeof(uint32_t));
    frame[0] = (uint32_t)(uintptr_t)arg;
    frame[5] = (uint32_t)(uintptr_t)sm_defer_returned; /* lr */
    frame[6] = (uint32_t)(uintptr_t)work & ~1u;        /* pc */
    frame[7] = XPSR_THUMB;
    defer.thread = t;
    defer.finish = finish;
    defer.arg = arg;
    defer.frame = t->ctx.frame;
    defer.control = t->ctx.control;
    defer.psplim = t->ctx.psplim;
    t->ctx.control = 0; /* privileged */
    t->ctx.psplim = (uint32_t)(uintptr_t)defer_stack;
    /* The exception return of this supervisor call enters the work (SVC_Handler returns to
     * the thread on PSP); a switch before that saves this PSP as the thread's. */
    set_psp((uint32_t)(uintptr_t)frame, t->ctx.psplim);
    __asm volatile("msr control, %0\n\tisb" ::"r"(0u) : "memory");
    return 0; /* into the partition's frame: replaced by finish's result */
}

static uint32_t svc_defer_done(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    (void)a0, (void)a1, (void)a2, (void)a3;
    struct sm_thread *t = sm_cur;
    uint32_t psp;
    __asm volatile("mrs %0, psp" : "=r"(psp));
    if (defer.thread == NULL || t != defer.thread || psp < (uintptr_t)defer_stack ||
        psp >= (uintptr_t)defer_stack + DEFER_STACK) {
        return sm_programmer_error(SM_WHY("A1", "the end of deferred work, outside deferred work"));
    }
    const uint32_t result = defer.finish(defer.arg);
    t->ctx.control = defer.control;
    t->ctx.psplim = defer.psplim;
    t->ctx.frame = defer.frame;
    defer.frame[0] = result;
    MPU_RNR = 4;
    for (uint32_t i = 0; i < 4; i++) {
        MPU_RBAR_A(i) = t->ctx.mpu[2 * i];
        MPU_RLAR_A(i) = t->ctx.mpu[2 * i + 1];
    }
    arm_dsb();
    set_psp((uint32_t)(uintptr_t)defer.frame, defer.psplim);
    __asm volatile("msr control, %0\n\tisb" ::"r"(defer.control) : "memory");
    defer.thread = NULL;
#ifdef SM_MEASURE_STACKS
    uint32_t untouched = 0;
    while (untouched < DEFER_STACK && defer_stack[untouched] == 0xA5u) {
        untouched++;
    }
    sm_arch_log("SM: deferred work stack peak %u of %u bytes\n",
                (unsigned)(DEFER_STACK - untouched), (unsigned)DEFER_STACK);
#endif
    /* The work's stack may hold what it computed from secrets. */
    volatile uint8_t *d = defer_stack;
    for (size_t i = 0; i < DEFER_STACK; i++) {
        d[i] = 0;
    }
    /* Each waiting call starts again (a thread stopped meanwhile stays stopped). */
    for (uint32_t w = defer_waiters; w != 0u; w &= w - 1u) {
        struct sm_thread *waiter = &sm_threads[__builtin_ctz(w)];
        if (waiter->state == SM_BLOCKED_DEFER) {
            sm_make_ready(waiter);
        }
    }
    defer_waiters = 0;
    return result; /* SVC_Handler stores it in the work's (wiped) frame: harmless */
}

/* Supervisor calls: sm_switch.S reads the number, stores the caller's frame in
 * sm_cur->ctx.frame, calls the entry with the caller's r0-r3, writes the result to the
 * caller's r0, then asks sm_svc_after whether to switch. Each entry below has the same
 * prototype and checks who may call it. */
typedef uint32_t (*svc_fn)(uint32_t, uint32_t, uint32_t, uint32_t);

static uint32_t svc_unknown(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    (void)a0, (void)a1, (void)a2, (void)a3;
    return sm_programmer_error(SM_WHY("A2", "unknown supervisor call"));
}

/* The NS entries: only the NS agent (the gateway veneers) may use them. */
/* The NS agent is the one thread without a partition that makes supervisor calls (idle makes
 * none, a first-level handler has its own table), so a partition is refused by its part. */
static inline bool ns_agent_calling(void)
{
    return sm_cur->part == NULL;
}

/* An NS entry from a thread that is not the NS agent. NS_GUARD (sm_ns_gateway.S) let it through
 * only if that thread is privileged: a partition's thread is privileged only while it runs the
 * core's deferred work (sm_arch_defer), so this is the NS world that abandoned the deferred work
 * its interrupt preempted and called again on top of it; the device restarts as for any
 * abandoned secure thread (F1; qemu.defer_abandon). An unprivileged partition making the
 * supervisor call itself is its programmer error. */
static uint32_t ns_entry_refused(void)
{
    uint32_t control;
    __asm volatile("mrs %0, control" : "=r"(control));
    if ((control & 1u) == 0u) {
        sm_ns_abandoned(sm_cur);
    }
    return sm_programmer_error(SM_WHY("A4", "NS entry from a partition"));
}

/* psa_version from NS (sm_ns_gateway.S, no kernel entry): the same rule before it answers. */
uint32_t sm_ns_version_entry(uint32_t sid);
uint32_t sm_ns_version_entry(uint32_t sid)
{
    if (!ns_agent_calling()) {
        sm_ns_abandoned(sm_cur);
    }
    return sm_k_version(sid);
}

#define SVC_ENTRY(name, call)                                                                      \
    static uint32_t name(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)                       \
    {                                                                                              \
        (void)a0, (void)a1, (void)a2, (void)a3;                                                    \
        return call;                                                                               \
    }

SVC_ENTRY(svc_version, sm_k_version(a0))
SVC_ENTRY(svc_connect, sm_k_connect(a0, a1))
SVC_ENTRY(svc_call, sm_k_call((psa_handle_t)a0, a1, (const psa_invec *)a2, (psa_outvec *)a3))
SVC_ENTRY(svc_close, sm_k_close((psa_handle_t)a0))
SVC_ENTRY(svc_wait, sm_k_wait(a0, a1))
SVC_ENTRY(svc_get, sm_k_get(a0, (psa_msg_t *)a1))
SVC_ENTRY(svc_read, sm_k_read((psa_handle_t)a0, a1, (void *)a2, a3))
SVC_ENTRY(svc_skip, sm_k_skip((psa_handle_t)a0, a1, a2))
SVC_ENTRY(svc_write, sm_k_write((psa_handle_t)a0, a1, (const void *)a2, a3))
SVC_ENTRY(svc_reply, sm_k_reply((psa_handle_t)a0, (psa_status_t)a1))
SVC_ENTRY(svc_reply_wait, sm_k_reply_wait((psa_handle_t)a0, (psa_status_t)a1, a2))
SVC_ENTRY(svc_reply_get, sm_k_reply_get((psa_handle_t)a0, (psa_status_t)a1, a2, (psa_msg_t *)a3))
SVC_ENTRY(svc_set_rhandle, sm_k_set_rhandle((psa_handle_t)a0, (void *)a1))
SVC_ENTRY(svc_notify, sm_k_notify((int32_t)a0))
SVC_ENTRY(svc_clear, sm_k_clear())
SVC_ENTRY(svc_eoi, sm_k_eoi(a0))
SVC_ENTRY(svc_panic, sm_k_panic())
SVC_ENTRY(svc_irq_enable, sm_k_irq_enable(a0))
SVC_ENTRY(svc_irq_disable, sm_k_irq_disable(a0))
SVC_ENTRY(svc_reset_signal, sm_k_reset_signal(a0))
SVC_ENTRY(svc_device_flash, sm_k_flash(a0, a1, (void *)a2, a3))
SVC_ENTRY(svc_derive_key, sm_k_derive_key((const void *)a0, a1, (uint8_t *)a2, a3))
SVC_ENTRY(svc_install_config, sm_k_config(a0))
SVC_ENTRY(svc_entropy, sm_k_entropy((uint8_t *)a0, a1))
SVC_ENTRY(svc_client_running, sm_k_client_running((int32_t)a0))
SVC_ENTRY(svc_device_attest, sm_k_attest(a0, a1, (void *)a2, a3))
SVC_ENTRY(svc_device_fwu, sm_k_fwu(a0, a1, (void *)a2, a3))
SVC_ENTRY(svc_entry_returned, sm_cur->part != NULL
                                  ? sm_k_panic_entry_returned()
                                  : sm_programmer_error(SM_WHY("A3", "not a partition")))
SVC_ENTRY(svc_ns_connect, ns_agent_calling() ? sm_k_connect(a0, a1) : ns_entry_refused())
SVC_ENTRY(svc_ns_call, ns_agent_calling() ? sm_k_call((psa_handle_t)a0, a1, (const psa_invec *)a2,
                                                      (psa_outvec *)a3)
                                          : ns_entry_refused())
SVC_ENTRY(svc_ns_close, ns_agent_calling() ? sm_k_close((psa_handle_t)a0) : ns_entry_refused())
/* The NS agent lets the partitions initialise first. */
SVC_ENTRY(svc_start,
          sm_cur == sm_ns_agent() ? 0u : sm_programmer_error(SM_WHY("A5", "not the NS agent")))

/* Every number defaults to svc_unknown, then the known ones are set. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
static const svc_fn svc_table[SM_SVC_COUNT] = {
    [0 ... SM_SVC_COUNT - 1] = svc_unknown,
    [SM_SVC_PSA_VERSION] = svc_version,
    [SM_SVC_PSA_CONNECT] = svc_connect,
    [SM_SVC_PSA_CALL] = svc_call,
    [SM_SVC_PSA_CLOSE] = svc_close,
    [SM_SVC_PSA_WAIT] = svc_wait,
    [SM_SVC_PSA_GET] = svc_get,
    [SM_SVC_PSA_READ] = svc_read,
    [SM_SVC_PSA_SKIP] = svc_skip,
    [SM_SVC_PSA_WRITE] = svc_write,
    [SM_SVC_PSA_REPLY] = svc_reply,
    [SM_SVC_REPLY_WAIT] = svc_reply_wait,
    [SM_SVC_REPLY_GET] = svc_reply_get,
    [SM_SVC_PSA_SET_RHANDLE] = svc_set_rhandle,
    [SM_SVC_PSA_NOTIFY] = svc_notify,
    [SM_SVC_PSA_CLEAR] = svc_clear,
    [SM_SVC_PSA_EOI] = svc_eoi,
    [SM_SVC_PSA_PANIC] = svc_panic,
    [SM_SVC_PSA_IRQ_ENABLE] = svc_irq_enable,
    [SM_SVC_PSA_IRQ_DISABLE] = svc_irq_disable,
    [SM_SVC_PSA_RESET_SIGNAL] = svc_reset_signal,
    [SM_SVC_ENTRY_RETURNED] = svc_entry_returned,
    [SM_SVC_DEVICE_FLASH] = svc_device_flash,
    [SM_SVC_DERIVE_KEY] = svc_derive_key,
    [SM_SVC_INSTALL_CONFIG] = svc_install_config,
    [SM_SVC_ENTROPY] = svc_entropy,
    [SM_SVC_CLIENT_RUNNING] = svc_client_running,
    [SM_SVC_DEVICE_ATTEST] = svc_device_attest,
    [SM_SVC_DEVICE_FWU] = svc_device_fwu,
    [SM_SVC_NS_CONNECT] = svc_ns_connect,
    [SM_SVC_NS_CALL] = svc_ns_call,
    [SM_SVC_NS_CLOSE] = svc_ns_close,
    [SM_SVC_START] = svc_start,
    [SM_SVC_DEFER_DONE] = svc_defer_done,
};

/*
 * First-level interrupt handling (FF-M 1.1). The handler runs like a partition thread: Thread
 * mode, unprivileged, with its partition's MPU regions, on its partition's stack below whatever
 * the partition was doing (a crafted exception frame: pc = the handler, lr = sm_flih_returned,
 * which makes SVC FLIH_DONE with the result). BASEPRI at IRQ_PRIO holds back every interrupt
 * and PendSV meanwhile, so it runs to its end like an interrupt handler; the interrupted thread
 * was saved by the switch and simply becomes schedulable again. Only the supervisor calls of
 * flih_svc_table work from it; any other call, a fault or psa_panic stops its partition.
 */
static struct sm_thread *flih_owner; /* the handler's partition thread, while one runs */
static const struct sm_irq *flih_irq;
const svc_fn *sm_svc_active = svc_table; /* read by SVC_Handler */

static void flih_end(void)
{
    sm_flih_thread.state = SM_STOPPED; /* discarded: the switch does not save it */
    flih_owner = NULL;
    sm_svc_active = svc_table;
    __asm volatile("msr basepri, %0" ::"r"(0u) : "memory");
}

/* While a first-level handler runs: ends it, and returns its partition thread (else NULL). */
struct sm_thread *sm_arch_flih_abandon(void)
{
    struct sm_thread *owner = flih_owner;
    if (sm_cur != &sm_flih_thread || owner == NULL) {
        return NULL;
    }
    flih_end();
    return owner;
}

static uint32_t flih_refused(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    (void)a0, (void)a1, (void)a2, (void)a3;
    sm_stop_partition(
        sm_arch_flih_abandon(),
        SM_WHY("A6",
               "its first-level interrupt handler made a call only a partition thread may make"));
    return 0;
}

/* The calls a handler may make act for its partition thread; a programmer error stops it. */
static uint32_t as_owner(uint32_t (*call)(psa_signal_t), psa_signal_t signal)
{
    struct sm_thread *owner = flih_owner;
    sm_cur = owner;
    uint32_t result = call(signal);
    sm_cur = &sm_flih_thread;
    if (owner->state == SM_STOPPED) {
        flih_end();
    }
    return result;
}
SVC_ENTRY(flih_irq_enable, as_owner(sm_k_irq_enable, a0))
SVC_ENTRY(flih_irq_disable, as_owner(sm_k_irq_disable, a0))
SVC_ENTRY(flih_reset_signal, as_owner(sm_k_reset_signal, a0))

static uint32_t flih_panic(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    (void)a0, (void)a1, (void)a2, (void)a3;
    sm_stop_partition(sm_arch_flih_abandon(),
                      SM_WHY("A7", "called psa_panic in its first-level handler"));
    return 0;
}

static uint32_t flih_done(uint32_t result, uint32_t a1, uint32_t a2, uint32_t a3)
{
    (void)a1, (void)a2, (void)a3;
    const struct sm_irq *irq = flih_irq;
    (void)sm_arch_flih_abandon();
    /* The line pended again when the interrupt returned to the handler, the device still
     * asserting it; the handler has dealt with the device, so only a new assertion counts. */
    sm_arch_irq_clear_pending(irq->line);
    sm_irq_flih_done(irq, result);
    return 0;
}

static const svc_fn flih_svc_table[SM_SVC_COUNT] = {
    [0 ... SM_SVC_COUNT - 1] = flih_refused,
    [SM_SVC_PSA_IRQ_ENABLE] = flih_irq_enable,
    [SM_SVC_PSA_IRQ_DISABLE] = flih_irq_disable,
    [SM_SVC_PSA_RESET_SIGNAL] = flih_reset_signal,
    [SM_SVC_PSA_PANIC] = flih_panic,
    [SM_SVC_FLIH_DONE] = flih_done,
};
#pragma GCC diagnostic pop

/* The interrupt on `irq` preempted sm_cur: start its first-level handler (see above). */
static struct sm_thread *flih_start(const struct sm_irq *irq, struct sm_thread *owner)
{
    uint32_t sp = owner->ctx.sp;
    if (owner == sm_cur) {
        __asm volatile("mrs %0, psp" : "=r"(sp)); /* not saved yet: it is running */
    }
    uint32_t *frame = (uint32_t *)(uintptr_t)((sp - 8u * sizeof(uint32_t)) & ~7u);
    if ((uintptr_t)frame < owner->ctx.psplim + 64u) {
        sm_stop_partition(owner,
                          SM_WHY("A8", "no stack left for its first-level interrupt handler"));
        return sm_arch_reschedule(sm_cur);
    }
    memset(frame, 0, 8 * sizeof(uint32_t));
    frame[5] = (uint32_t)(uintptr_t)sm_flih_returned;
    frame[6] = (uint32_t)(uintptr_t)irq->flih & ~1u;
    frame[7] = XPSR_THUMB;
    sm_flih_thread.ctx = owner->ctx; /* its CONTROL, PSPLIM, MPU regions and RAM block */
    sm_flih_thread.ctx.sp = (uint32_t)(uintptr_t)frame;
    sm_flih_thread.ctx.exc_return = EXC_RETURN_THREAD_PSP_S;
    sm_flih_thread.part = owner->part;
    sm_flih_thread.index = owner->index;
    sm_flih_thread.state = SM_READY;
    flih_owner = owner;
    flih_irq = irq;
    sm_svc_active = flih_svc_table;
    __asm volatile("msr basepri, %0" ::"r"(IRQ_PRIO) : "memory");
    sm_arch_save = sm_cur;
    sm_cur = &sm_flih_thread;
    return &sm_flih_thread;
}

/* NS Thread mode interrupted while another thread than the NS agent is current: the NS world
 * left that thread preempted and never returned to it (see sm_ns_gateway.S). */
static void check_not_abandoned(uint32_t exc_return)
{
    if ((exc_return & (EXC_RETURN_S | EXC_RETURN_MODE)) == EXC_RETURN_MODE &&
        sm_cur != sm_ns_agent()) {
        sm_ns_abandoned(sm_cur);
    }
}

/* The end of a module time slice (sm_switch.S's SysTick_Handler); returns the thread to switch
 * to, or NULL. A first-level handler holds it back (BASEPRI), so sm_cur is a real thread. */
struct sm_thread *sm_tick_entry(uint32_t exc_return)
{
    check_not_abandoned(exc_return);
    sm_kernel_tick(sm_cur);
    return sm_arch_reschedule(sm_cur);
}

/* Every interrupt line the SM keeps secure arrives here (through sm_switch.S's Irq_Handler);
 * returns the thread to switch to, or NULL. */
struct sm_thread *sm_irq_entry(uint32_t exc_return)
{
    check_not_abandoned(exc_return);
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    uint32_t line = (ipsr & 0x1FFu) - 16u;
    const struct sm_irq *irq = sm_irq_find(line);
    if (irq != NULL && irq->handling == SM_IRQ_FLIH) {
        struct sm_thread *owner = &sm_threads[irq->partition];
        if (owner->state != SM_STOPPED) {
            return flih_start(irq, owner);
        }
    }
    sm_irq_raise(line); /* a second-level signal, or a line nobody may use: masked */
    return sm_arch_reschedule(sm_cur);
}

void sm_arch_ns_returned(void)
{
    plat_puts("SM: the non-secure application returned\n");
    plat_power_off(AN505_EXIT_STATUS_FAULT);
}
