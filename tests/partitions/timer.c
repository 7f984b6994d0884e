/*
 * timer.c: test partition TEST_TIMER (see test_services.h): secure interrupts delivered to a
 * partition. The dual timer's interrupt is second-level (a signal, then psa_eoi); the S32K
 * timer's is first-level: tick_flih runs in this partition's context as the interrupt
 * happens, counts, and asks for the signal only on the last one it was told to wait for. On
 * the board they drive the real timers (the partition's two MMIO regions); on the host the
 * test raises the interrupt lines itself.
 */
#include <stdbool.h>
#include <stdint.h>

#include "psa/initial_attestation.h"
#include "psa/service.h"
#include "psa_manifest/timer.h"
#include "test_services.h"

#ifdef __ARM_ARCH
#define DT_BASE         0x50002000u /* CMSDK dual timer, secure alias */
#define DT_LOAD         (*(volatile uint32_t *)(DT_BASE + 0x00u))
#define DT_CONTROL      (*(volatile uint32_t *)(DT_BASE + 0x08u))
#define DT_INTCLR       (*(volatile uint32_t *)(DT_BASE + 0x0Cu))
/* Enable, periodic off (free-running, wraps: one-shot bit), interrupt enable, 32-bit. */
#define DT_CTRL_ONESHOT (1u << 7 | 1u << 5 | 1u << 1 | 1u << 0)
#define S32K_BASE       0x5002F000u /* CMSDK timer on the 32 kHz clock, secure alias */
#define S32K_CTRL       (*(volatile uint32_t *)(S32K_BASE + 0x00u))
#define S32K_VALUE      (*(volatile uint32_t *)(S32K_BASE + 0x04u))
#define S32K_RELOAD     (*(volatile uint32_t *)(S32K_BASE + 0x08u))
#define S32K_INTCLR     (*(volatile uint32_t *)(S32K_BASE + 0x0Cu))
#define S32K_CTRL_RUN   (1u << 3 | 1u << 0) /* interrupt enable, enable */
/* TEST_ECHO's memory block, from the SM's linker script (weak: images without TEST_ECHO, such
 * as sm_attest_test, never use TICK_FAULT). */
extern uint8_t __sm_p_echo_ram_end[] __attribute__((weak));
static void hw_start(uint32_t ticks)
{
    DT_CONTROL = 0;
    DT_INTCLR = 1;
    DT_LOAD = ticks;
    DT_CONTROL = DT_CTRL_ONESHOT;
}
static void hw_ack(void)
{
    DT_INTCLR = 1;
}
static void tick_start(uint32_t reload)
{
    S32K_CTRL = 0;
    S32K_INTCLR = 1;
    S32K_RELOAD = reload;
    S32K_VALUE = reload;
    S32K_CTRL = S32K_CTRL_RUN;
}
static void tick_stop(void)
{
    S32K_CTRL = 0;
    S32K_INTCLR = 1;
}
static void tick_ack(void)
{
    S32K_INTCLR = 1;
}
static uint32_t read_other_partition(void)
{
    return *(volatile uint32_t *)((uintptr_t)__sm_p_echo_ram_end - 8u);
}
#else
static void hw_start(uint32_t ticks)
{
    (void)ticks;
}
static void hw_ack(void) {}
static void tick_start(uint32_t reload)
{
    (void)reload;
}
static void tick_stop(void) {}
static void tick_ack(void) {}
static uint32_t read_other_partition(void)
{
    return 0;
}
#endif

static uint32_t interrupts;
/* The token an interrupt asks for (TIMER_START_TOKEN). */
static bool token_on_irq;
static uint8_t token[TIMER_TOKEN_BUF];
static size_t token_len;
static psa_status_t token_status = PSA_ERROR_BAD_STATE;
static struct timer_tick_start tick;
static uint32_t tick_runs, tick_signals;
static bool tick_arm; /* enable the first-level line once the reply is sent */
static volatile uint32_t sink;

psa_flih_result_t test_tick_irq_flih(void)
{
    tick_ack();
    tick_runs++;
    switch (tick.mode) {
    case TICK_FAULT:
        sink = read_other_partition();
        break;
    case TICK_PANIC:
        psa_panic();
    case TICK_FORBIDDEN:
        sink = psa_wait(TEST_TIMER_SERVICE_SIGNAL, PSA_POLL);
        break;
    case TICK_BAD_RESULT:
        return 7;
    default:
        break;
    }
    if (tick_runs < tick.target) {
        return PSA_FLIH_NO_SIGNAL;
    }
    tick_stop();
    return PSA_FLIH_SIGNAL;
}

static psa_status_t serve(const psa_msg_t *msg)
{
    switch (msg->type) {
    case TIMER_START: {
        uint32_t ticks = 0;
        psa_read(msg->handle, 0, &ticks, sizeof(ticks));
        psa_irq_enable(TEST_TIMER_IRQ_SIGNAL);
        hw_start(ticks);
        return PSA_SUCCESS;
    }
    case TIMER_START_TOKEN: {
        uint32_t ticks = 0;
        if (psa_read(msg->handle, 0, &ticks, sizeof(ticks)) != sizeof(ticks) || ticks == 0u) {
            return PSA_ERROR_INVALID_ARGUMENT;
        }
        token_status = PSA_ERROR_BAD_STATE;
        token_len = 0;
        token_on_irq = true;
        psa_irq_enable(TEST_TIMER_IRQ_SIGNAL);
        hw_start(ticks);
        return PSA_SUCCESS;
    }
    case TIMER_TOKEN:
        if (token_status == PSA_SUCCESS) {
            psa_write(msg->handle, 0, token, token_len);
        }
        return token_status;
    case TIMER_COUNT:
        return (psa_status_t)interrupts;
    case TIMER_TICK_START:
        if (msg->in_size[0] != sizeof(tick)) {
            return PSA_ERROR_INVALID_ARGUMENT;
        }
        /* The line stays disabled until the reply is sent (timer_main): a handler that stops
         * this partition on the first interrupt must not fail the request that started it. */
        psa_irq_disable(TEST_TICK_IRQ_SIGNAL);
        psa_read(msg->handle, 0, &tick, sizeof(tick));
        tick_runs = 0;
        tick_signals = 0;
        tick_start(tick.reload);
        tick_arm = true;
        return PSA_SUCCESS;
    case TIMER_TICK_COUNT:
        return (psa_status_t)(tick_runs | tick_signals << 16);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void timer_main(void)
{
    const psa_signal_t all =
        TEST_TIMER_SERVICE_SIGNAL | TEST_TIMER_IRQ_SIGNAL | TEST_TICK_IRQ_SIGNAL;
    for (;;) {
        psa_signal_t s = psa_wait(all, PSA_BLOCK);
        if (s & TEST_TIMER_IRQ_SIGNAL) {
            hw_ack();
            interrupts++;
            if (token_on_irq) {
                uint8_t challenge[32];
                token_on_irq = false;
                for (size_t i = 0; i < sizeof(challenge); i++) {
                    challenge[i] = TIMER_TOKEN_CHALLENGE;
                }
                token_status = psa_initial_attest_get_token(challenge, sizeof(challenge), token,
                                                            sizeof(token), &token_len);
            }
            psa_eoi(TEST_TIMER_IRQ_SIGNAL);
        }
        if (s & TEST_TICK_IRQ_SIGNAL) {
            tick_signals++;
            psa_reset_signal(TEST_TICK_IRQ_SIGNAL);
        }
        if (s & TEST_TIMER_SERVICE_SIGNAL) {
            psa_msg_t msg;
            if (psa_get(TEST_TIMER_SERVICE_SIGNAL, &msg) == PSA_SUCCESS) {
                psa_reply(msg.handle, serve(&msg));
            }
            if (tick_arm) {
                tick_arm = false;
                psa_irq_enable(TEST_TICK_IRQ_SIGNAL);
            }
        }
    }
}
