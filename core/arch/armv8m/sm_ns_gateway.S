/*
 * sm_ns_gateway.S: the SM's non-secure entry points. The linker puts a secure gateway veneer
 * (SG; B.W __acle_se_<name>) for each in the non-secure-callable region and lists them in the
 * import library NS applications link with (sm_veneers.o).
 *
 * Before touching any stack, each entry refuses (PSA_ERROR_CONNECTION_BUSY) a call made from
 * an NS exception handler. A call from NS Thread mode while another secure thread than the NS
 * agent is the current one means an NS interrupt preempted a partition or the idle thread and
 * the NS world never returned to it. Those threads are all unprivileged and their MPU regions
 * do not hold this code, so fetching the veneer faults before it runs, and sm_fault.c restarts
 * the device as for an NS fault; the privilege check below only backs that up. The one
 * privileged secure thread besides the NS agent, a partition running the core's deferred work
 * (sm_arch_defer), is refused in C: ns_entry_refused and sm_ns_version_entry restart the device
 * (sm_arch_armv8m.c). Otherwise the call starts from the NS agent's stack pointer of the NS world
 * (sm_ns_agent_ns_sp), whatever is below it: an NS interrupt can preempt the NS agent inside
 * a veneer and the NS world can then abandon that context and call again; the frames it left
 * are dropped, so no sequence of calls can exhaust the stack. A context resumed after that
 * finds no valid integrity signature and faults as the NS world's fault (sm_fault.c). Then it
 * enters the kernel with a supervisor call, which checks every argument. On the way out the
 * registers that could hold secure values are overwritten with LR (the NS return address) and
 * the flags cleared before BXNS.
 */
#include "sm_svc.h"

#define PSA_ERROR_CONNECTION_BUSY (-131)

    .syntax unified
    .thumb
    .section .text.sm_ns_gateway, "ax", %progbits

.macro NS_ENTRY name
    .global \name, __acle_se_\name
    .type \name, %function
    .type __acle_se_\name, %function
    .thumb_func
\name:
    .thumb_func
__acle_se_\name:
.endm

.macro NS_GUARD
    mrs     r12, ipsr
    cmp     r12, #0
    bne     sm_ns_busy
    mrs     r12, control
    tst     r12, #1
    bne     sm_ns_busy
    ldr     r12, =sm_ns_agent_ns_sp
    ldr     r12, [r12]
    msr     psp, r12
.endm

NS_ENTRY sm_ns_framework_version
    movw    r0, #0x0101
    b       sm_ns_return
    .size sm_ns_framework_version, . - sm_ns_framework_version

NS_ENTRY sm_ns_version
    NS_GUARD
    push    {r4, lr}
    bl      sm_ns_version_entry     /* reads constant tables only: no kernel entry needed */
    pop     {r4, lr}
    b       sm_ns_return
    .size sm_ns_version, . - sm_ns_version

NS_ENTRY sm_ns_connect
    NS_GUARD
    push    {r4, lr}
    svc     #SM_SVC_NS_CONNECT
    pop     {r4, lr}
    b       sm_ns_return
    .size sm_ns_connect, . - sm_ns_connect

NS_ENTRY sm_ns_call
    NS_GUARD
    push    {r4, lr}
    svc     #SM_SVC_NS_CALL
    pop     {r4, lr}
    b       sm_ns_return
    .size sm_ns_call, . - sm_ns_call

NS_ENTRY sm_ns_close
    NS_GUARD
    push    {r4, lr}
    svc     #SM_SVC_NS_CLOSE
    pop     {r4, lr}
    b       sm_ns_return
    .size sm_ns_close, . - sm_ns_close

    .thumb_func
sm_ns_busy:
    ldr     r0, =PSA_ERROR_CONNECTION_BUSY
    .thumb_func
sm_ns_return:
    mov     r1, lr
    mov     r2, lr
    mov     r3, lr
    mov     r12, lr
    msr     APSR_nzcvq, lr
    bxns    lr
