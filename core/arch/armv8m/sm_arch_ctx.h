/*
 * sm_arch_ctx.h (Armv8-M): what the context switch saves per thread, and where partition
 * stacks and memory blocks come from.
 *
 * Contract: the field offsets are used by sm_switch.S; keep SM_CTX_* in step. The switch
 * saves r4-r11, sp (PSP) and EXC_RETURN of the outgoing thread, and loads those of the next
 * one with its CONTROL (nPRIV for partitions), PSPLIM and, for an unprivileged thread, MPU
 * regions 4-7 (code, RAM, two MMIO: one MPU_RNR write and the RBAR/RLAR aliases; region 0 is
 * the shared code, the same for all).
 * `frame` points at the exception frame of the thread's pending supervisor call.
 */
#ifndef SM_ARCH_CTX_H
#define SM_ARCH_CTX_H

#include <stdint.h>

struct sm_arch_ctx {
    uint32_t r4_r11[8];  /* 0 */
    uint32_t sp;         /* 32: PSP */
    uint32_t exc_return; /* 36 */
    uint32_t control;    /* 40 */
    uint32_t psplim;     /* 44 */
    uint32_t mpu[8];     /* 48: RBAR/RLAR of MPU regions 4..7 */
    uint32_t *frame;     /* 80 */
    uint32_t ram_start;  /* the partition's RAM block (MPU region 5), for quick checks; */
    uint32_t ram_end;    /* 0, 0 for idle, UINT32_MAX, 0 for the NS agent */
};
#define SM_ARCH_RAM_BLOCK 1

/* A blocked thread's result goes to r0 of its supervisor call's frame. */
#define sm_arch_set_result(t, value) ((void)((t)->ctx.frame[0] = (value)))

/* Stacks go to the partition's own RAM block (the linker script's .sm_stack.<stem>). */
#define SM_PARTITION_STACK(stem, size)                                                             \
    static uint8_t sm_stack_##stem[size]                                                           \
        __attribute__((aligned(8), used, section(".sm_stack." #stem)));                            \
    enum { sm_stack_size_##stem = (size) }
#define SM_STACK_BASE(stem) sm_stack_##stem
#define SM_STACK_SIZE(stem) sm_stack_size_##stem

/* Each partition's code and RAM block, from the generated linker script fragments, in the
 * order of sm_partitions. */
struct sm_partition_memory {
    const uint8_t *code_start, *code_end, *ram_start, *ram_end;
};
#define SM_HAS_PARTITION_MEMORY 1
#define SM_PARTITION_MEMORY_DECL(stem)                                                             \
    extern const uint8_t __sm_p_##stem##_code_start[], __sm_p_##stem##_code_end[];                 \
    extern const uint8_t __sm_p_##stem##_ram_start[], __sm_p_##stem##_ram_end[]
#define SM_PARTITION_MEMORY(stem)                                                                  \
    {                                                                                              \
        __sm_p_##stem##_code_start, __sm_p_##stem##_code_end, __sm_p_##stem##_ram_start,           \
            __sm_p_##stem##_ram_end                                                                \
    }
extern const struct sm_partition_memory sm_partition_memory[];
/* The loaded modules' (sm_arch_armv8m.c): module k's, filled by the loader before
 * sm_kernel_add_module starts its thread (code: its slot's payload; RAM: its window). */
extern struct sm_partition_memory sm_module_memory[];

#endif /* SM_ARCH_CTX_H */
