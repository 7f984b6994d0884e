/*
 * sm_arch.h: what the portable kernel needs from the architecture layer (core/arch/<arch>).
 *
 * Contract:
 * - sm_arch_range_ok(p, n, write): whether [p, p + n) lies in memory the current thread (the
 *   caller of this kernel entry) may read, or write if `write`. n == 0 is always accepted.
 *   Must reject ranges that wrap the address space. On the board: the TT instructions (the
 *   NS agent's range must be non-secure for the NS caller's privilege; a partition's must be
 *   within one of its own MPU regions).
 * - sm_arch_set_result(t, v): the value blocked thread t's pending kernel call returns.
 * - sm_arch_irq_*: mask, unmask, clear one interrupt line.
 * - sm_arch_log(fmt...): the SM's console.
 * - sm_arch_defer(work, finish, arg), from a kernel entry made by a partition thread: runs
 *   work(arg) for that thread where the scheduler may preempt it (interrupts and threads of
 *   higher priority run meanwhile; threads of lower priority do not, as for any call the
 *   partition makes), in memory no partition can reach, then finish(arg) in the kernel; the
 *   partition's call returns finish's result. work must touch no kernel state (it runs
 *   between kernel entries) and must not fault: a fault in it is a fault of the core. One at
 *   a time: a kernel entry that would defer calls sm_arch_defer_wait(&r) first, before it
 *   prepares anything; when another thread's work is under way that returns true and the
 *   entry must return r at once: the calling thread then waits, and its supervisor call is
 *   made again, from the start, once that work has ended.
 */
#ifndef SM_ARCH_H
#define SM_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sm_arch_ctx.h"

struct sm_thread;

bool sm_arch_range_ok(const void *p, size_t n, bool write);
#ifndef sm_arch_set_result /* an arch may make it a macro (sm_arch_ctx.h) */
void sm_arch_set_result(struct sm_thread *t, uint32_t value);
#endif
void sm_arch_thread_init(struct sm_thread *t);
void sm_arch_irq_enable(uint32_t line);
bool sm_arch_irq_disable(uint32_t line); /* returns whether it was enabled */
void sm_arch_irq_clear_pending(uint32_t line);
#ifdef PLAT_LOG_IDS
/* The product SM's messages are records of their format's id (plat_console.h). */
#include "plat_console.h"
#define sm_arch_log plat_printf
#else
void sm_arch_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif
uint32_t sm_arch_defer(void (*work)(void *), uint32_t (*finish)(void *), void *arg);
bool sm_arch_defer_wait(uint32_t *ret);

#endif /* SM_ARCH_H */
