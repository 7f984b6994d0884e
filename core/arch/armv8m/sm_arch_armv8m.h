/*
 * sm_arch_armv8m.h: the board-side entry points of the SM core, for sm_main.c and the
 * exception code.
 * sm_arch_init(): partition memory, exception priorities, interrupt routing, MPU (after
 * sm_kernel_init). sm_arch_run(): hand over to the partitions, then to the NS world at
 * `ns_vector_table` with `arg` in r0; never returns.
 */
#ifndef SM_ARCH_ARMV8M_H
#define SM_ARCH_ARMV8M_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sm_thread;

void sm_arch_init(void);
/* The switch code's next thread after a kernel entry by `cur` (sm_switch.S, sm_fault.c). */
struct sm_thread *sm_arch_reschedule(struct sm_thread *cur);
/* The same when the next thread is known already (SVC_Handler computes it). */
struct sm_thread *sm_arch_switch_to(struct sm_thread *cur, struct sm_thread *next);
/* While a first-level interrupt handler runs (sm_cur): ends it and returns the partition thread
 * it ran for; otherwise NULL. */
struct sm_thread *sm_arch_flih_abandon(void);
/* Whether [a, a + n) lies in memory the NS world owns (read-write if `write`). */
bool sm_arch_ns_owned(uintptr_t a, size_t n, bool write);
/* The NS world left thread t preempted and ran on instead of returning to it: reported as the
 * NS world's fault, the device restarts (sm_fault.c). */
__attribute__((noreturn)) void sm_ns_abandoned(const struct sm_thread *t);
__attribute__((noreturn)) void sm_arch_run(uint32_t ns_vector_table, uint32_t arg);

#endif /* SM_ARCH_ARMV8M_H */
