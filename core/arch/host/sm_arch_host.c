/*
 * sm_arch_host.c: the kernel's architecture layer on a Linux host (see sm_arch.h, sm_host.h).
 *
 * Threads are ucontexts switched cooperatively: after every kernel entry the caller switches to
 * sm_next() if that is another thread, exactly where the board would switch on exception
 * return. The program's own context is the NS agent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plat_console.h"
#include "sm_arch.h"
#include "sm_host.h"
#include "sm_host_internal.h"
#include "sm_kernel.h"
#include "sm_module_load.h"

#define HOST_IRQ_LINES 480

static bool started;
static const struct bl_shared_data *boot_records;

void sm_host_boot_records(const struct bl_shared_data *d)
{
    boot_records = d;
}
static uint8_t irq_enabled[HOST_IRQ_LINES];
static uint8_t irq_pending[HOST_IRQ_LINES];

/* On the host every thread is cooperative already: the work runs in the calling entry. */
uint32_t sm_arch_defer(void (*work)(void *), uint32_t (*finish)(void *), void *arg)
{
    work(arg);
    return finish(arg);
}

bool sm_arch_defer_wait(uint32_t *ret)
{
    (void)ret;
    return false; /* the work of every entry ends within it */
}

/* On the host a module's memory is the test's: nothing to protect it with. */
void sm_arch_module_memory(uint32_t k, uint32_t code_start, uint32_t code_end, uint32_t ram_start,
                           uint32_t ram_end)
{
    (void)k, (void)code_start, (void)code_end, (void)ram_start, (void)ram_end;
}

static void partition_main(void)
{
    sm_cur->part->entry();
    sm_host_enter(sm_k_panic_entry_returned());
}

void sm_arch_thread_init(struct sm_thread *t)
{
    if (t->part == NULL) {
        return; /* NS agent: the program itself; idle: never run on the host */
    }
    getcontext(&t->ctx.uc);
    t->ctx.uc.uc_stack.ss_sp = t->part->stack;
    t->ctx.uc.uc_stack.ss_size = t->part->stack_size;
    t->ctx.uc.uc_link = NULL;
    makecontext(&t->ctx.uc, partition_main, 0);
}

static void run_others(struct sm_thread *self)
{
    struct sm_thread *next = sm_next();
    if (next == self) {
        return;
    }
    if (next->part == NULL && next != sm_ns_agent()) {
        fprintf(stderr, "SM host: deadlock: every thread waits and nothing can wake one\n");
        abort();
    }
    sm_cur = next;
    swapcontext(&self->ctx.uc, &next->ctx.uc);
    /* Back: someone switched to this thread again, so it is sm_cur. */
}

uint32_t sm_host_enter(uint32_t result)
{
    struct sm_thread *self = sm_cur;
    bool blocked = self->state != SM_READY;
    run_others(self);
    return blocked ? self->ctx.result : result;
}

void sm_host_ensure_started(void)
{
    if (!started) {
        sm_host_start();
    }
}

void sm_host_start(void)
{
    if (started) {
        return;
    }
    started = true;
    memset(irq_enabled, 0, sizeof(irq_enabled));
    memset(irq_pending, 0, sizeof(irq_pending));
    sm_device_init(0); /* the host's entropy is the OS's: no boot count needed */
    sm_device_boot_records(boot_records);
    sm_kernel_init();
    run_others(sm_ns_agent());
}

bool sm_arch_range_ok(const void *p, size_t n, bool write)
{
    (void)write;
    if (n == 0u) {
        return true;
    }
    return p != NULL && (uintptr_t)p + n - 1u >= (uintptr_t)p;
}

void sm_arch_set_result(struct sm_thread *t, uint32_t value)
{
    t->ctx.result = value;
}

void sm_arch_irq_enable(uint32_t line)
{
    if (line >= HOST_IRQ_LINES) {
        return;
    }
    irq_enabled[line] = 1;
    if (irq_pending[line]) {
        irq_pending[line] = 0;
        sm_irq_deliver(line);
    }
}

bool sm_arch_irq_disable(uint32_t line)
{
    if (line >= HOST_IRQ_LINES) {
        return false;
    }
    bool was = irq_enabled[line] != 0;
    irq_enabled[line] = 0;
    return was;
}

void sm_arch_irq_clear_pending(uint32_t line)
{
    if (line < HOST_IRQ_LINES) {
        irq_pending[line] = 0;
    }
}

void sm_irq_deliver(uint32_t line)
{
    const struct sm_irq *irq = sm_irq_find(line);
    if (irq != NULL && irq->handling == SM_IRQ_FLIH) {
        if (sm_threads[irq->partition].state != SM_STOPPED) {
            sm_irq_flih_done(irq, irq->flih());
        }
        return;
    }
    sm_irq_raise(line);
}

void sm_host_raise_irq(uint32_t line)
{
    sm_host_ensure_started();
    if (line >= HOST_IRQ_LINES) {
        return;
    }
    if (!irq_enabled[line]) {
        irq_pending[line] = 1;
        return;
    }
    sm_irq_deliver(line);
    sm_host_enter(0);
}

bool sm_host_partition_stopped(const char *name)
{
    for (uint32_t i = 0; i < sm_partition_threads(); i++) {
        const struct sm_thread *t = &sm_threads[i];
        if (t->part != NULL && strcmp(t->part->name, name) == 0) {
            return t->state == SM_STOPPED;
        }
    }
    return false;
}

uint32_t sm_host_open_connections(void)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < SM_CONNECTION_COUNT; i++) {
        n += sm_conns[i].state != SM_CONN_FREE;
    }
    return n;
}

void sm_arch_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    plat_vprintf(fmt, ap);
    va_end(ap);
}
