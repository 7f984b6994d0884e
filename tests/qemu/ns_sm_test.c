/*
 * ns_sm_test.c: the SM core on the board, from a non-secure application, against the test SM
 * image (sm_test: partitions TEST_ECHO, TEST_CLIENT, TEST_FAULT, TEST_TIMER). Run by
 * sm_core_test (tests/qemu/CMakeLists.txt); each boot does one part and then resets:
 *
 *   boot 1        the client API and every error case, vectors into secure memory and the
 *                 System Control Space, 10,000
 *                 calls, partition-to-partition calls, a doorbell, secure timer interrupts
 *                 (second- and first-level) while NS runs, a call from an NS exception handler;
 *                 the PSA ITS API from NS and from a partition, and assets that later boots
 *                 read back
 *   boots 2-22    TEST_FAULT misbehaves one way per boot (six name the System Control Space
 *                 to the SM, the last two make the core's own supervisor call and one past its
 *                 table): it must be stopped with its client told, and TEST_ECHO must still
 *                 answer
 *   boots 23-26   TEST_TIMER's first-level interrupt handler misbehaves one way per boot: the
 *                 same
 *   boots 27-35   NS reads or writes secure RAM, secure flash, a secure peripheral, or
 *                 returns from an exception with a forged EXC_RETURN into secure state, or
 *                 abandons preempted calls or a preempted partition: the SM must block and
 *                 report it, and restart the device (or, for its own calls, go on)
 *   boot 36       powers off with status 0
 * Every boot after the first reads back the ITS assets boot 1 wrote (power cycles in between).
 *
 * Each boot prints "sm_test boot N: P passed, F failed"; a failed check prints "FAIL".
 */
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include "memory_map.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "smak.h"

#include "ns_check.h"
#include "test_services.h"

static psa_status_t echo(int32_t type)
{
    return psa_call(TEST_ECHO_STATELESS_HANDLE, type, NULL, 0, NULL, 0);
}

static void client_api(void)
{
    CHECK(psa_framework_version() == 0x0101);
    CHECK(psa_version(TEST_ECHO_SERVICE_SID) == 1);
    CHECK(psa_version(TEST_SECURE_ONLY_SID) == PSA_VERSION_NONE);
    CHECK(psa_version(0xDEADBEEF) == PSA_VERSION_NONE);

    psa_handle_t h = psa_connect(TEST_ECHO_SERVICE_SID, 1);
    CHECK(h > 0);
    uint8_t a[5] = {1, 2, 3, 4, 5}, b[70], oa[5] = {0}, ob[100];
    for (unsigned i = 0; i < sizeof(b); i++) {
        b[i] = (uint8_t)(i * 7);
    }
    memset(ob, 0xEE, sizeof(ob));
    psa_invec in[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
    psa_outvec out[2] = {{oa, sizeof(oa)}, {ob, sizeof(ob)}};
    CHECK(psa_call(h, ECHO_COPY, in, 2, out, 2) == 75);
    CHECK(memcmp(oa, a, 5) == 0 && memcmp(ob, b, 70) == 0 && ob[70] == 0xEE);
    CHECK(out[0].len == 5 && out[1].len == 70); /* the bytes the service wrote */
    CHECK(psa_call(h, ECHO_CLIENT_ID, NULL, 0, NULL, 0) < 0);

    const char text[] = "abcdefghij";
    char o[16] = {0};
    psa_invec tin = {text, 10};
    psa_outvec tout = {o, sizeof(o)};
    CHECK(psa_call(h, ECHO_PARTIAL, &tin, 1, &tout, 1) == 8 && strcmp(o, "abcefgij") == 0);
    CHECK(tout.len == 8);
    memset(o, 0, sizeof(o));
    tout.len = sizeof(o);
    CHECK(psa_call(h, ECHO_WRITE_SPLIT, &tin, 1, &tout, 1) == 10 && strcmp(o, text) == 0);
    CHECK(tout.len == 10);
    int32_t st = PSA_ERROR_INVALID_ARGUMENT;
    psa_invec sin = {&st, 4};
    CHECK(psa_call(h, ECHO_STATUS, &sin, 1, NULL, 0) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_call(h, ECHO_CONN_CALLS, NULL, 0, NULL, 0) == 6);
    psa_close(h);
    CHECK(psa_call(h, ECHO_EMPTY, NULL, 0, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);

    /* Refusals: unknown SID, wrong version, a service NS may not use, the service says no. */
    CHECK(psa_connect(0xDEADBEEF, 1) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_connect(TEST_ECHO_SERVICE_SID, 2) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_connect(TEST_RELAXED_SID, 4) == PSA_ERROR_PROGRAMMER_ERROR);
    psa_handle_t r = psa_connect(TEST_RELAXED_SID, 2);
    CHECK(r > 0);
    psa_close(r);
    CHECK(psa_connect(TEST_SECURE_ONLY_SID, 1) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_connect(TEST_REFUSE_SID, 1) == PSA_ERROR_CONNECTION_REFUSED);
    CHECK(psa_connect(TEST_ECHO_STATELESS_SID, 2) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(echo(ECHO_EMPTY) == PSA_SUCCESS);
}

/* The System Control Space (PPB, 0xE0000000 and up): the SAU does not attribute it and TT calls
 * it non-secure, but the SM's copies run secure and privileged, where it is the secure SCS.
 * Each vector, each vector array and each crossing into it is refused (run privileged, as this
 * application is, an NS caller may reach its own PPB itself, so TT alone would let it by). */
#define PPB_VTOR  0xE000ED08u /* VTOR_S, seen from secure state */
#define PPB_CPUID 0xE000ED00u
#define PPB_NVIC  0xE000E100u
#define PPB_TOP   0xFFFFFFF0u
static void ppb_vectors(psa_handle_t h)
{
    static uint8_t buf[16], out[16];
    memset(out, 0xEE, sizeof(out));
    const struct {
        uintptr_t in;
        uintptr_t out;
        size_t len;
    } bad[] = {
        {PPB_CPUID, (uintptr_t)out, 8}, /* would read VTOR_S back to NS */
        {(uintptr_t)buf, PPB_VTOR, 4},  /* would point VTOR_S at NS memory */
        {PPB_NVIC, (uintptr_t)out, 4},
        {(uintptr_t)buf, PPB_NVIC + 0x100u, 4}, /* NVIC_ISPR: would pend a secure interrupt */
        {0xDFFFFFFCu, (uintptr_t)out, 8},       /* crosses into the PPB */
        {(uintptr_t)buf, 0xDFFFFFFCu, 8},
        {PPB_TOP, (uintptr_t)out, 16},
        {(uintptr_t)buf, 0xE0040000u, 4}, /* TPIU/ETM, also exempt */
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        psa_invec in = {(const void *)bad[i].in, bad[i].len};
        psa_outvec o = {(void *)bad[i].out, bad[i].len};
        CHECK(psa_call(h, ECHO_COPY, &in, 1, &o, 1) == PSA_ERROR_PROGRAMMER_ERROR);
    }
    CHECK(psa_call(h, ECHO_COPY, (const psa_invec *)PPB_CPUID, 1, NULL, 0) ==
          PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_call(h, ECHO_COPY, NULL, 0, (psa_outvec *)PPB_VTOR, 1) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_COPY, (const psa_invec *)PPB_CPUID, 1, NULL,
                   0) == PSA_ERROR_PROGRAMMER_ERROR);
    /* Vector arrays misaligned: refused (the kernel reads them by words, where a misaligned
     * address would fault in the core and stop the device). */
    {
        static uint32_t raw[8];
        uint8_t *odd = (uint8_t *)raw + 2;
        const psa_invec good = {buf, 4};
        psa_outvec gout = {out, 4};
        memcpy(odd, &good, sizeof(good));
        CHECK(psa_call(h, ECHO_COPY, (const psa_invec *)(void *)odd, 1, NULL, 0) ==
              PSA_ERROR_PROGRAMMER_ERROR);
        memcpy(odd, &gout, sizeof(gout));
        CHECK(psa_call(h, ECHO_COPY, &good, 1, (psa_outvec *)(void *)odd, 1) ==
              PSA_ERROR_PROGRAMMER_ERROR);
        CHECK(psa_call(h, ECHO_COPY, &good, 1, &gout, 1) == 4); /* aligned: served (4 copied) */
    }
    /* The product's services through their client libraries: ITS with its data in the SCS. */
    size_t len = 0;
    struct psa_storage_info_t info;
    CHECK(psa_its_set(514, 16, (const void *)PPB_CPUID, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_its_get_info(514, &info) == PSA_ERROR_DOES_NOT_EXIST);
    CHECK(psa_its_set(514, 4, "ppb!", 0) == PSA_SUCCESS);
    CHECK(psa_its_get(514, 0, 4, (void *)PPB_VTOR, &len) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_its_get_info(514, (struct psa_storage_info_t *)PPB_VTOR) ==
          PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_its_remove(514) == PSA_SUCCESS);
    /* The NS image's flash is readable as an input, never writable as an output. */
    static const uint8_t in_flash[4] = {9, 8, 7, 6};
    psa_invec fin = {in_flash, 4};
    psa_outvec fout = {out, 4};
    CHECK(psa_call(h, ECHO_COPY, &fin, 1, &fout, 1) == 4 && memcmp(out, in_flash, 4) == 0);
    memset(out, 0xEE, sizeof(out));
    psa_outvec to_flash = {(void *)in_flash, 4};
    CHECK(psa_call(h, ECHO_COPY, &fin, 1, &to_flash, 1) == PSA_ERROR_PROGRAMMER_ERROR);
    unsigned untouched = 0;
    for (unsigned i = 0; i < sizeof(out); i++) {
        untouched += out[i] == 0xEE;
    }
    CHECK(untouched == sizeof(out));
}

/* Vectors the SM must refuse: into secure memory, across the end of NS memory, wrapping. Each
 * is a programmer error, the service never sees it, nothing is written. */
static void bad_vectors(void)
{
    psa_handle_t h = psa_connect(TEST_ECHO_SERVICE_SID, 1);
    static uint8_t buf[32], out[32];
    memset(out, 0xEE, sizeof(out));
    psa_status_t before = echo(ECHO_COUNT);
    void *secure_ram = (void *)RAM_SM_BASE;
    void *secure_flash = (void *)0x10000000u;
    void *secure_periph = (void *)UART0_BASE_S;
    void *ns_end = (void *)(RAM_NS_BASE + RAM_NS_SIZE - 2u);
    struct {
        const void *in;
        size_t in_len;
        void *out;
        size_t out_len;
    } bad[] = {
        {secure_ram, 4, out, 4},   {buf, 4, secure_ram, 4},    {secure_flash, 4, out, 4},
        {buf, 4, secure_flash, 4}, {secure_periph, 4, out, 4}, {ns_end, 4, out, 4},
        {buf, 4, ns_end, 4},       {buf, SIZE_MAX, out, 4},    {buf, 4, out, SIZE_MAX - 8},
        {NULL, 4, out, 4},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        psa_invec in = {bad[i].in, bad[i].in_len};
        psa_outvec o = {bad[i].out, bad[i].out_len};
        CHECK(psa_call(h, ECHO_COPY, &in, 1, &o, 1) == PSA_ERROR_PROGRAMMER_ERROR);
    }
    /* The vector arrays themselves in secure memory. */
    CHECK(psa_call(h, ECHO_COPY, (const psa_invec *)secure_ram, 1, NULL, 0) ==
          PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_call(h, ECHO_COPY, NULL, 0, (psa_outvec *)secure_ram, 1) ==
          PSA_ERROR_PROGRAMMER_ERROR);
    /* Types and counts out of range, bad handles. */
    psa_invec in = {buf, 4};
    CHECK(psa_call(h, -1, &in, 1, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_call(h, 0x8000, &in, 1, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_call(h, ECHO_COPY, &in, 5, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_call(0, ECHO_COPY, &in, 1, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_call(h + 0x10000, ECHO_COPY, &in, 1, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_call(0x4000021F, ECHO_COPY, &in, 1, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    unsigned untouched = 0;
    for (unsigned i = 0; i < sizeof(out); i++) {
        untouched += out[i] == 0xEE;
    }
    CHECK(untouched == sizeof(out));
    CHECK(echo(ECHO_COUNT) == before + 1);
    ppb_vectors(h);
    psa_close(h);
}

static void many_calls(void)
{
    uint32_t word = 0x12345678, back = 0;
    unsigned ok = 0;
    for (int i = 0; i < 10000; i++) {
        psa_handle_t h = psa_connect(TEST_ECHO_SERVICE_SID, 1);
        psa_invec in = {&word, 4};
        psa_outvec out = {&back, 4};
        ok += h > 0 && psa_call(h, ECHO_COPY, &in, 1, &out, 1) == 4 && back == word;
        psa_close(h);
        word++;
    }
    smak_printf("sm_test: %u of 10000 connect/call/close cycles succeeded\n", ok);
    CHECK(ok == 10000);
    /* Every connection came back: the service's own limit (8) can be reached again. */
    psa_handle_t hs[8];
    unsigned opened = 0;
    for (int i = 0; i < 8; i++) {
        hs[i] = psa_connect(TEST_ECHO_SERVICE_SID, 1);
        opened += hs[i] > 0;
    }
    CHECK(opened == 8);
    CHECK(psa_connect(TEST_ECHO_SERVICE_SID, 1) == PSA_ERROR_CONNECTION_BUSY);
    for (int i = 0; i < 8; i++) {
        psa_close(hs[i]);
    }
}

static void partitions(void)
{
    CHECK(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P, NULL, 0, NULL, 0) == 0);
    uint32_t n = 20;
    psa_invec in = {&n, 4};
    CHECK(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P_EMPTY, &in, 1, NULL, 0) == 0);
    CHECK(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P_1K, &in, 1, NULL, 0) == 0);
    psa_status_t doorbells = echo(ECHO_DOORBELLS);
    CHECK(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_NOTIFY, NULL, 0, NULL, 0) == 0);
    CHECK(echo(ECHO_DOORBELLS) == doorbells + 1);
}

/* The secure timer fires while this loop (NS code) runs; its partition counts it. */
static void secure_interrupt(void)
{
    uint32_t ticks = 200000; /* 10 ms at 20 MHz */
    psa_invec in = {&ticks, 4};
    CHECK(psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_START, &in, 1, NULL, 0) == 0);
    volatile uint32_t spins = 0;
    psa_status_t count = 0;
    while (count == 0 && spins < 50000000u) {
        for (int i = 0; i < 1000; i++) {
            spins++;
        }
        count = psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_COUNT, NULL, 0, NULL, 0);
    }
    /* Once only: the partition acknowledged the device before psa_eoi. */
    for (int i = 0; i < 100000; i++) {
        spins++;
    }
    count = psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_COUNT, NULL, 0, NULL, 0);
    smak_printf("sm_test: secure timer interrupt handled by TEST_TIMER after %u NS loop "
                "iterations, %d time(s)\n",
                (unsigned)spins, (int)count);
    CHECK(count == 1);
}

/* Periodic S32K timer interrupts, each handled first-level in TEST_TIMER while this loop runs;
 * the handler stops the timer and raises the signal on the `target`th. */
static psa_status_t tick_start_every(uint32_t reload, uint32_t target, uint32_t mode)
{
    struct timer_tick_start t = {.reload = reload, .target = target, .mode = mode};
    psa_invec in = {&t, sizeof(t)};
    return psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TICK_START, &in, 1, NULL, 0);
}

static psa_status_t tick_start(uint32_t target, uint32_t mode)
{
    return tick_start_every(100, target, mode);
}

/* Polls TIMER_TICK_COUNT from NS code until `done` holds for it (or a long while passes). */
static psa_status_t tick_poll(int (*done)(psa_status_t), uint32_t *spins_out)
{
    volatile uint32_t spins = 0;
    psa_status_t count = psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TICK_COUNT, NULL, 0, NULL, 0);
    while (!done(count) && spins < 50000000u) {
        for (int i = 0; i < 1000; i++) {
            spins++;
        }
        count = psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TICK_COUNT, NULL, 0, NULL, 0);
    }
    *spins_out = spins;
    return count;
}

static int tick_signalled(psa_status_t count)
{
    return count < 0 || (count >> 16) != 0;
}

static void first_level_interrupt(void)
{
    CHECK(tick_start(5, TICK_COUNT) == PSA_SUCCESS);
    uint32_t spins;
    psa_status_t count = tick_poll(tick_signalled, &spins);
    /* The timer is stopped: nothing more comes. */
    for (volatile int i = 0; i < 200000; i++) {
    }
    psa_status_t later = psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_TICK_COUNT, NULL, 0, NULL, 0);
    smak_printf("sm_test: first-level handler ran %d time(s) in TEST_TIMER during %u NS loop "
                "iterations and raised %d signal(s)\n",
                (int)(count & 0xFFFF), (unsigned)spins, (int)(count >> 16));
    CHECK(count == (5 | 1 << 16));
    CHECK(later == count);
    /* Again: the handler and the signal work more than once. */
    CHECK(tick_start(3, TICK_COUNT) == PSA_SUCCESS);
    CHECK(tick_poll(tick_signalled, &spins) == (3 | 1 << 16));
}

struct tick_case {
    uint32_t mode;
    const char *what;
};
static const struct tick_case tick_cases[] = {
    {TICK_FAULT, "reads TEST_ECHO's stack"},
    {TICK_PANIC, "calls psa_panic"},
    {TICK_FORBIDDEN, "calls psa_wait"},
    {TICK_BAD_RESULT, "returns 7"},
};
#define TICK_CASES (sizeof(tick_cases) / sizeof(tick_cases[0]))

static int tick_stopped(psa_status_t count)
{
    return count < 0;
}

static void tick_fault(const struct tick_case *c)
{
    smak_printf("sm_test: TEST_TIMER's first-level handler %s\n", c->what);
    /* The shortest period: the first interrupt comes as soon as the timer starts (with
     * qemu.sm_core.timing's timing, before the partition's reply unless it holds the line back
     * until it has replied); the call must succeed all the same. */
    CHECK(tick_start_every(1, 3, c->mode) == PSA_SUCCESS);
    uint32_t spins;
    CHECK(tick_poll(tick_stopped, &spins) == PSA_ERROR_SERVICE_FAILURE);
    /* Everything else goes on, the NS world included. */
    CHECK(echo(ECHO_EMPTY) == PSA_SUCCESS);
    CHECK(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P, NULL, 0, NULL, 0) == 0);
    psa_handle_t h = psa_connect(TEST_FAULT_SERVICE_SID, 1);
    CHECK(h > 0);
    CHECK(psa_call(h, FAULT_OK, NULL, 0, NULL, 0) == PSA_SUCCESS);
    psa_close(h);
}

/* An NS exception handler may not call into the SM (its call would nest on the SM's stack). */
static volatile psa_status_t from_handler;
void SVC_Handler(void)
{
    from_handler = psa_call(TEST_ECHO_STATELESS_HANDLE, ECHO_EMPTY, NULL, 0, NULL, 0);
}

static void call_from_handler(void)
{
    from_handler = 1;
    __asm volatile("svc #0" ::: "memory");
    CHECK(from_handler == PSA_ERROR_CONNECTION_BUSY);
    CHECK(echo(ECHO_EMPTY) == PSA_SUCCESS);
}

/* An NS interrupt that preempts the NS agent inside a veneer, whose handler then abandons that
 * secure context (it returns to NS thread code instead, as an RTOS switching threads could):
 * the SM must drop what the abandoned calls left on its stack. Only psa_version runs here, so
 * the NS agent is the one secure thread an interrupt can preempt. */
#define SYST_CSR       (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR       (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR       (*(volatile uint32_t *)0xE000E018u)
#define ABANDON_TARGET 40u /* the NS agent's 1 KiB stack held 13 before the fix */
static uint32_t abandon_target = ABANDON_TARGET;
static jmp_buf abandon_env;
static volatile uint32_t abandoned, abandon_sp, abandon_rand;

/* With a varying period the interrupt lands anywhere in the calls; with a fixed one it lands
 * at the same instruction after every resumption (the path is the same each time). */
void abandon_next_period(void);
void abandon_next_period(void)
{
    if (abandon_rand != 0u) {
        abandon_rand = abandon_rand * 1103515245u + 12345u;
        SYST_RVR = 200u + ((abandon_rand >> 16) % 173u);
    }
}

void abandon_resume(void);
void abandon_resume(void)
{
    longjmp(abandon_env, 1);
}

/* Returns to NS code as usual, or, if it preempted secure code, to abandon_resume on a frame
 * of its own below the test's stack (EXC_RETURN 0xFFFFFFB8: NS Thread mode, MSP). */
__attribute__((naked)) void SysTick_Handler(void)
{
    __asm volatile("push {r0, lr}\n\t"
                   "bl abandon_next_period\n\t"
                   "pop {r0, lr}\n\t"
                   "tst lr, #0x40\n\t" /* EXC_RETURN.S */
                   "it eq\n\t"
                   "bxeq lr\n\t"
                   "ldr r0, =abandoned\n\t"
                   "ldr r1, [r0]\n\t"
                   "adds r1, r1, #1\n\t"
                   "str r1, [r0]\n\t"
                   "ldr r0, =abandon_sp\n\t"
                   "ldr r0, [r0]\n\t"
                   "subs r0, r0, #32\n\t"
                   "ldr r1, =abandon_resume\n\t"
                   "str r1, [r0, #24]\n\t"
                   "mov r1, #0x01000000\n\t"
                   "str r1, [r0, #28]\n\t"
                   "msr msp, r0\n\t"
                   "ldr lr, =0xFFFFFFB8\n\t"
                   "bx lr\n\t"
                   ".ltorg");
}

static void version_call(void)
{
    (void)psa_version(TEST_ECHO_SERVICE_SID);
}

/* Abandons `call`s until ABANDON_TARGET were (or many calls were made); with `period` 0 the
 * interrupt period varies. Returns the calls made. */
static uint32_t abandon_calls(uint32_t period, void (*call)(void))
{
    static volatile uint32_t rounds;
    uint32_t sp;
    __asm volatile("mov %0, sp" : "=r"(sp));
    abandon_sp = (sp - 512u) & ~7u;
    abandoned = 0;
    rounds = 0;
    abandon_rand = period == 0u ? 1u : 0u;
    SYST_RVR = period != 0u ? period : 257u;
    SYST_CVR = 0;
    SYST_CSR = 7; /* enable, interrupt, processor clock */
    (void)setjmp(abandon_env);
    while (abandoned < abandon_target && rounds < 200000u) {
        rounds++;
        call();
    }
    SYST_CSR = 0;
    return rounds;
}

static uint32_t abandon(uint32_t period)
{
    return abandon_calls(period, version_call);
}

/* Long partition-to-partition work: the interrupt most likely preempts a partition. */
static void partition_call(void)
{
    uint32_t n = 50;
    psa_invec in = {&n, 4};
    (void)psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P_1K, &in, 1, NULL, 0);
}

static void abandoned_calls(void)
{
    uint32_t rounds = abandon(0);
    smak_printf("sm_test: NS abandoned %u secure contexts of its own calls in %u calls\n",
                (unsigned)abandoned, (unsigned)rounds);
    CHECK(abandoned >= ABANDON_TARGET);
    /* The SM runs on: calls of every kind work. */
    CHECK(psa_version(TEST_ECHO_SERVICE_SID) == 1);
    CHECK(echo(ECHO_EMPTY) == PSA_SUCCESS);
    CHECK(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P, NULL, 0, NULL, 0) == 0);
}

/* ---- Internal Trusted Storage ------------------------------------------------------------ */

static uint8_t its_a[4096], its_b[4096];

static void its_fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed * 13u + i * 5u + (i >> 8));
    }
}

static psa_status_t part_its(uint32_t op, uint32_t uid, uint32_t arg, const void *in_data,
                             size_t in_n, void *out_data, size_t *out_n)
{
    struct client_its c = {op, uid, arg};
    psa_invec in[2] = {{&c, sizeof(c)}, {in_data, in_n}};
    psa_outvec out[1] = {{out_data, out_n != NULL ? *out_n : 0}};
    psa_status_t status = psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_ITS, in, 2, out, 1);
    if (out_n != NULL) {
        *out_n = out[0].len;
    }
    return status;
}

/* Assets boot 1 leaves for the later boots: UIDs 500.. from NS, 500 from TEST_CLIENT. */
#define ITS_KEPT 3u
static size_t its_kept_size(uint32_t i)
{
    return i == 0 ? 16u : i == 1 ? 256u : 4096u;
}

static void its_api(void)
{
    size_t len = 0;
    struct psa_storage_info_t info;
    for (uint32_t i = 0; i < ITS_KEPT; i++) {
        size_t n = its_kept_size(i);
        its_fill(its_a, n, i);
        CHECK(psa_its_set(500 + i, n, its_a, 0) == PSA_SUCCESS);
        memset(its_b, 0, sizeof(its_b));
        CHECK(psa_its_get(500 + i, 0, sizeof(its_b), its_b, &len) == PSA_SUCCESS);
        CHECK(len == n && memcmp(its_a, its_b, n) == 0);
        CHECK(psa_its_get(500 + i, n - 5, 4, its_b, &len) == PSA_SUCCESS);
        CHECK(len == 4 && memcmp(its_a + n - 5, its_b, 4) == 0);
        CHECK(psa_its_get_info(500 + i, &info) == PSA_SUCCESS && info.size == n);
    }
    CHECK(psa_its_set(510, 2, "wo", PSA_STORAGE_FLAG_WRITE_ONCE) == PSA_SUCCESS);
    CHECK(psa_its_set(510, 2, "xx", 0) == PSA_ERROR_NOT_PERMITTED);
    CHECK(psa_its_remove(510) == PSA_ERROR_NOT_PERMITTED);
    CHECK(psa_its_set(511, 2, "rm", 0) == PSA_SUCCESS);
    CHECK(psa_its_remove(511) == PSA_SUCCESS);
    CHECK(psa_its_get_info(511, &info) == PSA_ERROR_DOES_NOT_EXIST);
    CHECK(psa_its_set(0, 1, "x", 0) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_its_set(512, 4097, its_a, 0) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_its_set(512, UINT32_MAX, its_a, 0) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_its_set(512, 1, NULL, 0) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_its_set(512, 1, "x", 0x80) == PSA_ERROR_NOT_SUPPORTED);
    CHECK(psa_its_get(500, 17, 1, its_b, &len) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_its_get(500, 0, 1, its_b, NULL) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_its_get(500, 0, UINT32_MAX, its_b, &len) == PSA_ERROR_INVALID_ARGUMENT);
    CHECK(psa_its_get_info(500, NULL) == PSA_ERROR_INVALID_ARGUMENT);
    /* Secure memory as the data: the SM refuses the vector, nothing is stored. */
    CHECK(psa_its_set(513, 16, (const void *)RAM_SM_BASE, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_its_get(500, 0, 16, (void *)RAM_SM_BASE, &len) == PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_its_get_info(513, &info) == PSA_ERROR_DOES_NOT_EXIST);
    /* The same UID from TEST_CLIENT is another asset. */
    len = sizeof(its_b);
    CHECK(part_its(CLIENT_ITS_GET, 500, 0, NULL, 0, its_b, &len) == PSA_ERROR_DOES_NOT_EXIST);
    CHECK(part_its(CLIENT_ITS_SET, 500, 0, "secure-500", 10, NULL, NULL) == PSA_SUCCESS);
    len = sizeof(its_b);
    CHECK(part_its(CLIENT_ITS_GET, 500, 0, NULL, 0, its_b, &len) == PSA_SUCCESS);
    CHECK(len == 10 && memcmp(its_b, "secure-500", 10) == 0);
    CHECK(psa_its_get(500, 0, 16, its_b, &len) == PSA_SUCCESS && len == 16);
    its_fill(its_a, 16, 0);
    CHECK(memcmp(its_a, its_b, 16) == 0);
    CHECK(part_its(CLIENT_ITS_REMOVE, 510, 0, NULL, 0, NULL, NULL) == PSA_ERROR_DOES_NOT_EXIST);
    /* The core's device services, as a partition without a flash area sees them. */
    uint8_t key[32] = {0}, zero[32] = {0};
    psa_outvec out[1] = {{key, sizeof(key)}};
    CHECK(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_DEVICE, NULL, 0, out, 1) == PSA_SUCCESS);
    CHECK(out[0].len == 32 && memcmp(key, zero, 32) != 0);
}

/* After power cycles: what boot 1 stored, exactly. */
static void its_kept(unsigned boot)
{
    size_t len = 0;
    unsigned ok = 0;
    for (uint32_t i = 0; i < ITS_KEPT; i++) {
        size_t n = its_kept_size(i);
        its_fill(its_a, n, i);
        memset(its_b, 0, sizeof(its_b));
        CHECK(psa_its_get(500 + i, 0, sizeof(its_b), its_b, &len) == PSA_SUCCESS);
        CHECK(len == n && memcmp(its_a, its_b, n) == 0);
        ok += len == n && memcmp(its_a, its_b, n) == 0;
    }
    len = sizeof(its_b);
    CHECK(part_its(CLIENT_ITS_GET, 500, 0, NULL, 0, its_b, &len) == PSA_SUCCESS);
    CHECK(len == 10 && memcmp(its_b, "secure-500", 10) == 0);
    CHECK(psa_its_set(510, 2, "xx", 0) == PSA_ERROR_NOT_PERMITTED);
    smak_printf("sm_test: ITS: %u of %u assets from boot 1 read back in boot %u\n", ok,
                (unsigned)ITS_KEPT, boot);
}

struct fault_case {
    int32_t type;
    const char *what;
};
static const struct fault_case fault_cases[] = {
    {FAULT_READ_OTHER_STACK, "reads TEST_ECHO's stack"},
    {FAULT_PANIC, "calls psa_panic"},
    {FAULT_WRITE_PAST_END, "writes past the end of an output vector"},
    {FAULT_READ_INTO_OTHER, "psa_read into TEST_ECHO's memory"},
    {FAULT_UNDECLARED_CONNECT, "connects to a service it did not declare"},
    {FAULT_NULL_WRITE, "writes to address 0"},
    {FAULT_STACK_OVERFLOW, "overflows its stack"},
    {FAULT_RETURN, "returns from its entry point"},
    {FAULT_WAIT_NOTHING, "waits on no signal of its own"},
    {FAULT_REPLY_WAIT_BAD, "replies and waits with a bad message handle"},
    {FAULT_REPLY_GET_OTHER, "waits for its next message into TEST_ECHO's memory"},
    {FAULT_FLASH_INTO_OTHER, "reads flash into TEST_ECHO's memory"},
    {FAULT_KEY_INTO_OTHER, "derives a key into TEST_ECHO's memory"},
    {FAULT_PPB_READ, "psa_read into the System Control Space"},
    {FAULT_PPB_WRITE, "psa_write from the System Control Space"},
    {FAULT_PPB_FLASH, "reads flash into the System Control Space"},
    {FAULT_PPB_KEY, "derives a key from a label in the System Control Space"},
    {FAULT_PPB_ENTROPY, "asks for entropy into the System Control Space"},
    {FAULT_PPB_CALL, "calls the crypto service with its input in the System Control Space"},
    {FAULT_CORE_SVC, "makes the supervisor call that ends the core's deferred work"},
    {FAULT_SVC_UNKNOWN, "makes a supervisor call past the core's table"},
};
#define FAULT_CASES (sizeof(fault_cases) / sizeof(fault_cases[0]))

static void fault_case(const struct fault_case *c)
{
    psa_handle_t h = psa_connect(TEST_FAULT_SERVICE_SID, 1);
    CHECK(h > 0);
    CHECK(psa_call(h, FAULT_OK, NULL, 0, NULL, 0) == PSA_SUCCESS);
    /* Broken connection first: the partition survives a PROGRAMMER_ERROR reply. */
    CHECK(psa_call(h, FAULT_REPLY_PROGRAMMER_ERROR, NULL, 0, NULL, 0) ==
          PSA_ERROR_PROGRAMMER_ERROR);
    CHECK(psa_call(h, FAULT_OK, NULL, 0, NULL, 0) == PSA_ERROR_PROGRAMMER_ERROR);
    psa_close(h);
    h = psa_connect(TEST_FAULT_SERVICE_SID, 1);
    smak_printf("sm_test: TEST_FAULT %s\n", c->what);
    uint8_t ib[4] = {0}, ob[4] = {0};
    psa_invec in = {ib, 4};
    psa_outvec out = {ob, 4};
    CHECK(psa_call(h, c->type, &in, 1, &out, 1) == PSA_ERROR_SERVICE_FAILURE);
    CHECK(psa_call(h, FAULT_OK, NULL, 0, NULL, 0) == PSA_ERROR_SERVICE_FAILURE);
    CHECK(psa_connect(TEST_FAULT_SERVICE_SID, 1) == PSA_ERROR_CONNECTION_REFUSED);
    psa_close(h);
    /* Everything else goes on. */
    CHECK(echo(ECHO_EMPTY) == PSA_SUCCESS);
    CHECK(psa_call(TEST_CLIENT_SERVICE_HANDLE, CLIENT_P2P, NULL, 0, NULL, 0) == 0);
}

/* An NS exception handler returning with a forged EXC_RETURN that names a secure context
 * (S = 1) where none was preempted: the integrity check faults, and the SM treats it as the NS
 * world's fault (a restart), not its own. */
static volatile uint32_t forge_exc_return;
__attribute__((naked)) void PendSV_Handler(void)
{
    __asm volatile("ldr r0, =forge_exc_return\n\t"
                   "ldr lr, [r0]\n\t"
                   "bx lr\n\t"
                   ".ltorg");
}

#define NS_FAULTS 9u
static void ns_fault(unsigned which)
{
    volatile uint32_t *secure_ram = (volatile uint32_t *)(RAM_SM_BASE & ~0x10000000u);
    volatile uint32_t *secure_ram_s = (volatile uint32_t *)RAM_SM_BASE;
    volatile uint32_t *secure_flash = (volatile uint32_t *)0x00040400u; /* SM image, NS alias */
    volatile uint32_t *secure_uart = (volatile uint32_t *)(UART0_BASE_S & ~0x10000000u);
    static const char *const what[] = {"reads secure RAM",
                                       "writes secure RAM (secure alias)",
                                       "reads the SM's flash",
                                       "writes a secure peripheral",
                                       "returns from an exception to secure Thread mode (forged "
                                       "EXC_RETURN 0xFFFFFFFD)",
                                       "returns from an exception to secure Handler mode (forged "
                                       "EXC_RETURN 0xFFFFFFF1)",
                                       "abandons preempted calls at a fixed interrupt period",
                                       "abandons a preempted partition",
                                       "abandons a preempted partition and spins"};
    smak_printf("sm_test: NS %s\n", what[which]);
    switch (which) {
    case 0:
        (void)*secure_ram;
        break;
    case 1:
        *secure_ram_s = 0;
        break;
    case 2:
        (void)*secure_flash;
        break;
    case 3:
        *secure_uart = 'X';
        break;
    case 6:
        /* A fixed period: every interrupt lands at the same place in the calls. Where that is
         * before the gateway drops the older frames, they pile up until the NS agent's stack is
         * full (some period does that with qemu.sm_core.timing's timing); elsewhere they are
         * dropped. Either way the SM goes on or restarts as for an NS fault, never stops. */
        for (uint32_t period = 200; period < 330; period++) {
            (void)abandon(period);
        }
        smak_printf("sm_test: the SM dropped the frames of every abandoned call\n");
        smak_reset();
        break;
    case 7:
        /* Abandoning a preempted partition would leave it (and whoever waits for it) stuck:
         * the next NS call restarts the device instead. */
        (void)abandon_calls(0, partition_call);
        smak_printf("FAIL: the SM let the NS world run on top of an abandoned partition\n");
        break;
    case 8: {
        /* The same without a call afterwards: the next secure interrupt finds NS code running
         * on top of the partition, and restarts the device. */
        uint32_t ticks = 2000000; /* 100 ms at 20 MHz */
        psa_invec in = {&ticks, 4};
        (void)psa_call(TEST_TIMER_SERVICE_HANDLE, TIMER_START, &in, 1, NULL, 0);
        abandon_target = 1;
        /* A long period: the interrupt lands well inside a call, in partition code. */
        (void)abandon_calls(40000, partition_call);
        for (volatile uint32_t spins = 0; spins < 200000000u; spins++) {
        }
        smak_printf("FAIL: a secure interrupt found NS code on top of an abandoned partition\n");
        break;
    }
    default:
        forge_exc_return = which == 4 ? 0xFFFFFFFDu : 0xFFFFFFF1u;
        *(volatile uint32_t *)0xE000ED04u = 1u << 28; /* ICSR.PENDSVSET */
        __asm volatile("dsb\n\tisb" ::: "memory");
        break;
    }
    smak_printf("FAIL: the access was not blocked\n");
}

int main(void)
{
    unsigned boot = smak_boot_count();
    if (boot > 1u) {
        its_kept(boot);
    }
    if (boot == 1) {
        client_api();
        bad_vectors();
        many_calls();
        partitions();
        secure_interrupt();
        first_level_interrupt();
        call_from_handler();
        abandoned_calls();
        its_api();
    } else if (boot - 2u < FAULT_CASES) {
        fault_case(&fault_cases[boot - 2u]);
    } else if (boot - 2u - FAULT_CASES < TICK_CASES) {
        tick_fault(&tick_cases[boot - 2u - FAULT_CASES]);
    } else if (boot - 2u - FAULT_CASES - TICK_CASES < NS_FAULTS) {
        ns_fault(boot - 2u - FAULT_CASES - TICK_CASES);
    } else {
        smak_printf("sm_test: all boots done\n");
        return failed ? 1 : 0;
    }
    smak_printf("sm_test boot %u: %u passed, %u failed\n", boot, passed, failed);
    if (failed) {
        return 1;
    }
    smak_reset();
}
