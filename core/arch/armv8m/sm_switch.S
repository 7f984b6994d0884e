/*
 * sm_switch.S: kernel entries and the context switch of the SM core on Armv8-M.
 *
 * Every secure thread (partitions, the NS agent, idle) runs in Thread mode on PSP_S; the
 * kernel runs in Handler mode on MSP_S. PendSV and partition interrupts share one priority and
 * SVC, one above, only ever comes from Thread mode, so kernel code never preempts itself. Each C entry returns the thread to switch
 * to (or 0 to return to the interrupted one); sm_switch saves the outgoing context into
 * sm_arch_save (0: it was stopped, nothing to save) and loads the next one (sm_arch_ctx.h).
 */
#include "sm_svc.h"

    .syntax unified
    .thumb

    .section .text.sm_kernel_entry, "ax", %progbits
    .global SVC_Handler
    .type SVC_Handler, %function
    .thumb_func
SVC_Handler:
    push    {r4, r5, r6, lr}        /* r6 only keeps the stack 8-byte aligned (MSP: PSP stays) */
    mrs     r5, psp                 /* the caller's exception frame */
    ldr     r4, =sm_cur
    ldr     r4, [r4]
    str     r5, [r4, #80]           /* sm_cur->ctx.frame, for results delivered later */
    ldr     lr, [r5, #24]           /* its return address ... */
    ldrb    lr, [lr, #-2]           /* ... follows the SVC: the immediate */
    cmp     lr, #SM_SVC_COUNT
    bhs     3f                      /* out of line: one instruction less for every known call */
4:  ldr     r0, =sm_svc_active      /* the table: a first-level handler has its own */
    ldr     r0, [r0]
    ldr     r12, [r0, lr, lsl #2]
    ldmia   r5, {r0-r3}             /* the caller's arguments, from its frame */
    blx     r12
    str     r0, [r5]                /* the caller's r0 on return */
    /* Most calls return to their caller: the next thread (sm_next) is still sm_cur. */
    ldr     r0, =sm_ready
    ldr     r0, [r0]
    rbit    r0, r0
    clz     r0, r0
    movs    r1, #SM_THREAD_SIZE
    ldr     r2, =sm_threads
    mla     r0, r0, r1, r2
    cmp     r0, r4
    beq     1f
    /* A switch: sm_cur = next; save cur unless it stopped. A first-level handler (rare) goes
     * the long way: it may have to run on. */
    ldr     r1, =sm_flih_thread
    cmp     r4, r1
    beq     2f
    ldrb    r2, [r4, #SM_THREAD_STATE]
    mov     r3, r4
    cmp     r2, #SM_THREAD_STOPPED
    it      eq
    moveq   r3, #0
    ldr     r1, =sm_cur
    str     r0, [r1]
    pop     {r4, r5, r6, lr}
    b       sm_switch_save_r3
1:  pop     {r4, r5, r6, pc}
3:  mov     lr, #SM_SVC_COUNT - 1   /* unused: the table's "unknown" entry */
    b       4b
2:  mov     r1, r0
    mov     r0, r4
    bl      sm_arch_switch_to
    pop     {r4, r5, r6, lr}
    cmp     r0, #0
    bne.w   sm_switch
    bx      lr
    .size SVC_Handler, . - SVC_Handler

/* Deferred work (sm_arch_defer) returns here, in privileged Thread mode on the core's stack. */
    .section .text.sm_defer_returned, "ax", %progbits
    .global sm_defer_returned
    .type sm_defer_returned, %function
    .thumb_func
sm_defer_returned:
    svc     #SM_SVC_DEFER_DONE
    b       .
    .size sm_defer_returned, . - sm_defer_returned

/* Every secure interrupt line: sm_irq_entry signals its partition or starts its first-level
 * handler, and returns the thread to switch to. */
    .section .text.sm_kernel_entry, "ax", %progbits
    .global Irq_Handler
    .type Irq_Handler, %function
    .thumb_func
Irq_Handler:
    mov     r0, lr                  /* EXC_RETURN */
    push    {r4, lr}
    bl      sm_irq_entry
    pop     {r4, lr}
    cmp     r0, #0
    bne.w   sm_switch
    bx      lr
    .size Irq_Handler, . - Irq_Handler

/* The module time slice's end (the secure SysTick, armed only while a module is loaded):
 * sm_tick_entry returns the thread to switch to. */
    .section .text.sm_kernel_entry, "ax", %progbits
    .global SysTick_Handler
    .type SysTick_Handler, %function
    .thumb_func
SysTick_Handler:
    mov     r0, lr                  /* EXC_RETURN */
    push    {r4, lr}
    bl      sm_tick_entry
    pop     {r4, lr}
    cmp     r0, #0
    bne.w   sm_switch
    bx      lr
    .size SysTick_Handler, . - SysTick_Handler

/* Faults: the C side stops a faulting partition and returns the next thread, or never
 * returns (non-secure or core faults). r0 = EXC_RETURN. */
    .section .text.sm_kernel_entry, "ax", %progbits
    .global HardFault_Handler, MemManage_Handler, BusFault_Handler, UsageFault_Handler
    .global SecureFault_Handler
    .type sm_fault_entry, %function
    .thumb_func
sm_fault_entry:
    mov     r0, lr
    push    {r4, lr}
    bl      sm_fault
    pop     {r4, lr}
    b       sm_switch
    .size sm_fault_entry, . - sm_fault_entry
    .thumb_set HardFault_Handler, sm_fault_entry
    .thumb_set MemManage_Handler, sm_fault_entry
    .thumb_set BusFault_Handler, sm_fault_entry
    .thumb_set UsageFault_Handler, sm_fault_entry
    .thumb_set SecureFault_Handler, sm_fault_entry

/* r0 = next thread (its context is at offset 0), lr = EXC_RETURN of the current context. */
    .section .text.sm_kernel_entry, "ax", %progbits
    .type sm_switch, %function
    .thumb_func
sm_switch:
    ldr     r2, =sm_arch_save
    ldr     r3, [r2]
sm_switch_save_r3:                  /* r3: the thread to save into, or 0 */
    cbz     r3, 1f
    mrs     r12, psp
    stmia   r3, {r4-r12, lr}        /* r4-r11, sp, EXC_RETURN */
1:  ldr     r1, [r0, #40]           /* CONTROL */
    msr     control, r1
    tst     r1, #1
    beq     2f
    /* Unprivileged: its MPU regions 4..7 through MPU_RBAR/RLAR and their aliases. */
    add     r1, r0, #48
    ldmia   r1, {r2-r9}
    ldr     r1, =0xE000ED98         /* MPU_RNR */
    movs    r10, #4
    str     r10, [r1], #4
    stmia   r1, {r2-r9}
    dsb
2:  ldr     r2, [r0, #44]           /* PSPLIM */
    movs    r3, #0
    msr     psplim, r3              /* no limit while PSP moves to the new stack */
    ldmia   r0, {r4-r12, lr}
    msr     psp, r12
    msr     psplim, r2
    bx      lr                      /* exception return: also synchronises the MPU */
    .size sm_switch, . - sm_switch

/* sm_arch_run(ns_vector_table, arg): the code that started the SM becomes the NS agent: it
 * moves to its own stack, lets every partition initialise (SVC START returns once they all
 * wait), then enters the NS world. Does not return. */
    .section .text.sm_arch_run, "ax", %progbits
    .global sm_arch_run
    .type sm_arch_run, %function
    .thumb_func
sm_arch_run:
    mov     r4, r0
    mov     r5, r1
    ldr     r2, =sm_ns_agent_stack_limit
    ldr     r2, [r2]
    msr     psplim, r2
    ldr     r2, =sm_ns_agent_stack_top
    ldr     r2, [r2]
    msr     psp, r2
    mrs     r2, control
    orr     r2, r2, #2              /* Thread mode uses PSP from here on */
    msr     control, r2
    isb
    ldr     r2, =__stack_top        /* Handler mode starts again from the top of MSP */
    msr     msp, r2
    svc     #SM_SVC_START
    mov     r0, r4
    mov     r1, r5
    ldr     r2, =sm_ns_agent_ns_sp
    bl      plat_tz_start_ns
    b       sm_arch_ns_returned
    .size sm_arch_run, . - sm_arch_run

/* The idle thread: unprivileged (so the NS gateway refuses a call made on top of it), in the
 * shared code; waits for an interrupt to make some thread ready. */
    .section .text.sm_idle, "ax", %progbits
    .global sm_idle
    .type sm_idle, %function
    .thumb_func
sm_idle:
    wfi
    b       sm_idle
    .size sm_idle, . - sm_idle
