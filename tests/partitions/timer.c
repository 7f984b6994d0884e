/*
 * timer.c: test partition TEST_TIMER (see test_services.h): a secure interrupt delivered to a
 * partition as a signal. On the board it drives timer 1 of the CMSDK dual timer (its only
 * MMIO region); on the host the test raises the interrupt line itself.
 */
#include <stdint.h>

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
#else
static void hw_start(uint32_t ticks)
{
    (void)ticks;
}
static void hw_ack(void) {}
#endif

static uint32_t interrupts;

void timer_main(void)
{
    for (;;) {
        psa_signal_t s = psa_wait(TEST_TIMER_SERVICE_SIGNAL | TEST_TIMER_IRQ_SIGNAL, PSA_BLOCK);
        if (s & TEST_TIMER_IRQ_SIGNAL) {
            hw_ack();
            interrupts++;
            psa_eoi(TEST_TIMER_IRQ_SIGNAL);
        }
        if (s & TEST_TIMER_SERVICE_SIGNAL) {
            psa_msg_t msg;
            if (psa_get(TEST_TIMER_SERVICE_SIGNAL, &msg) != PSA_SUCCESS) {
                continue;
            }
            psa_status_t status = PSA_SUCCESS;
            if (msg.type == TIMER_START) {
                uint32_t ticks = 0;
                psa_read(msg.handle, 0, &ticks, sizeof(ticks));
                psa_irq_enable(TEST_TIMER_IRQ_SIGNAL);
                hw_start(ticks);
            } else if (msg.type == TIMER_COUNT) {
                status = (psa_status_t)interrupts;
            } else {
                status = PSA_ERROR_NOT_SUPPORTED;
            }
            psa_reply(msg.handle, status);
        }
    }
}
