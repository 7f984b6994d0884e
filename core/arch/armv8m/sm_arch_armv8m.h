/*
 * sm_arch_armv8m.h: the board-side entry points of the SM core, for sm_main.c.
 * sm_arch_init(): partition memory, exception priorities, interrupt routing, MPU (after
 * sm_kernel_init). sm_arch_run(): hand over to the partitions, then to the NS world at
 * `ns_vector_table` with `arg` in r0; never returns.
 */
#ifndef SM_ARCH_ARMV8M_H
#define SM_ARCH_ARMV8M_H

#include <stdint.h>

void sm_arch_init(void);
__attribute__((noreturn)) void sm_arch_run(uint32_t ns_vector_table, uint32_t arg);

#endif /* SM_ARCH_ARMV8M_H */
