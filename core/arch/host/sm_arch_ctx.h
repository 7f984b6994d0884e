/*
 * sm_arch_ctx.h (host): a thread is a ucontext; stacks are plain arrays, at least 64 KiB since
 * host code (and the sanitizers) use more stack than the firmware. No MPU: partitions are not
 * isolated from each other on the host.
 */
#ifndef SM_ARCH_CTX_H
#define SM_ARCH_CTX_H

#include <stdint.h>
#include <ucontext.h>

struct sm_arch_ctx {
    ucontext_t uc;
    uint32_t result; /* what a blocked kernel call returns when the thread resumes */
};

#define SM_HOST_MIN_STACK        65536u
#define SM_HOST_STACK_SIZE(size) ((size) < SM_HOST_MIN_STACK ? SM_HOST_MIN_STACK : (size))
#define SM_PARTITION_STACK(stem, size)                                                             \
    static uint8_t sm_stack_##stem[SM_HOST_STACK_SIZE(size)] __attribute__((aligned(16)));         \
    enum { sm_stack_size_##stem = SM_HOST_STACK_SIZE(size) }
#define SM_STACK_BASE(stem) sm_stack_##stem
#define SM_STACK_SIZE(stem) sm_stack_size_##stem

#endif /* SM_ARCH_CTX_H */
