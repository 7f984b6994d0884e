/*
 * sm_irq.c: secure interrupts owned by partitions (FF-M 1.1 "Interrupts").
 *
 * Second-level handling (SLIH): the interrupt line is masked and the owner's signal asserted;
 * psa_eoi clears the signal and unmasks the line. First-level handling (FLIH): the partition's
 * handler runs first (deprivileged, in the partition's own memory, see the arch layer) and its
 * result decides whether the signal is asserted; psa_reset_signal clears it. Lines start
 * masked: a partition enables its interrupts with psa_irq_enable.
 */
#include "sm_arch.h"
#include "sm_kernel.h"

const struct sm_irq *sm_irq_find(uint32_t line)
{
    for (uint32_t i = 0; i < sm_irq_count; i++) {
        if (sm_irqs[i].line == line) {
            return &sm_irqs[i];
        }
    }
    return NULL;
}

/* The caller's interrupt whose signal is exactly `signal`, or NULL. */
static const struct sm_irq *own_irq(psa_signal_t signal)
{
    const struct sm_partition *p = sm_cur->part;
    if (p == NULL || signal == 0u || (signal & (signal - 1u)) != 0u ||
        (p->irq_signals & signal) == 0u) {
        return NULL;
    }
    for (uint32_t i = p->first_irq; i < p->first_irq + p->irq_count; i++) {
        if (sm_irqs[i].signal == signal) {
            return &sm_irqs[i];
        }
    }
    return NULL;
}

void sm_irq_raise(uint32_t line)
{
    const struct sm_irq *irq = sm_irq_find(line);
    if (irq == NULL) {
        sm_arch_irq_disable(line); /* not ours: never again */
        return;
    }
    struct sm_thread *t = &sm_threads[irq->partition];
    if (t->state == SM_STOPPED) {
        sm_arch_irq_disable(line);
        return;
    }
    if (irq->handling == SM_IRQ_SLIH) {
        sm_arch_irq_disable(line);
        sm_assert_signal(t, irq->signal);
    }
}

void sm_irq_flih_done(const struct sm_irq *irq, psa_flih_result_t result)
{
    struct sm_thread *t = &sm_threads[irq->partition];
    if (t->state == SM_STOPPED) {
        return;
    }
    if (result != PSA_FLIH_NO_SIGNAL && result != PSA_FLIH_SIGNAL) {
        sm_stop_partition(
            t,
            SM_WHY(
                "Q5",
                "its first-level handler returned neither PSA_FLIH_SIGNAL nor PSA_FLIH_NO_SIGNAL"));
    } else if (result == PSA_FLIH_SIGNAL) {
        sm_assert_signal(t, irq->signal);
    }
}

uint32_t sm_k_eoi(psa_signal_t signal)
{
    const struct sm_irq *irq = own_irq(signal);
    if (irq == NULL || irq->handling != SM_IRQ_SLIH || (sm_cur->asserted & signal) == 0u) {
        return sm_programmer_error(
            SM_WHY("Q1", "psa_eoi without an asserted second-level interrupt signal"));
    }
    sm_cur->asserted &= ~signal;
    /* The line was pending while masked; if the device still asserts it, it pends again. */
    sm_arch_irq_clear_pending(irq->line);
    sm_arch_irq_enable(irq->line);
    return 0;
}

uint32_t sm_k_irq_enable(psa_signal_t signal)
{
    const struct sm_irq *irq = own_irq(signal);
    if (irq == NULL) {
        return sm_programmer_error(SM_WHY("Q2", "psa_irq_enable without an interrupt signal"));
    }
    sm_arch_irq_enable(irq->line);
    return 0;
}

uint32_t sm_k_irq_disable(psa_signal_t signal)
{
    const struct sm_irq *irq = own_irq(signal);
    if (irq == NULL) {
        return sm_programmer_error(SM_WHY("Q3", "psa_irq_disable without an interrupt signal"));
    }
    return sm_arch_irq_disable(irq->line) ? 1u : 0u;
}

uint32_t sm_k_reset_signal(psa_signal_t signal)
{
    const struct sm_irq *irq = own_irq(signal);
    if (irq == NULL || irq->handling != SM_IRQ_FLIH || (sm_cur->asserted & signal) == 0u) {
        return sm_programmer_error(
            SM_WHY("Q4", "psa_reset_signal without an asserted first-level signal"));
    }
    sm_cur->asserted &= ~signal;
    return 0;
}

void sm_irq_partition_stopped(struct sm_thread *t)
{
    const struct sm_partition *p = t->part;
    for (uint32_t i = p->first_irq; i < p->first_irq + p->irq_count; i++) {
        sm_arch_irq_disable(sm_irqs[i].line);
    }
}
