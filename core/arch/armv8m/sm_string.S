/*
 * sm_string.S: memset and memcpy for every SM image (the kernel and the partitions: this is
 * shared code, MPU region 0), in place of newlib-nano's, which store one word per instruction
 * at best. The kernel copies every client vector with memcpy (psa_read, psa_write) and Mbed
 * TLS wipes each context with memset (mbedtls_platform_zeroize calls it through a volatile
 * pointer, so no wipe is ever left out); docs/design/call-path.md has the measured share.
 *
 * Contract: the C standard's (memset returns s, memcpy returns dst; memcpy's ranges do not
 * overlap). Both touch exactly the n bytes named, with byte accesses until the destination
 * (and, for the block path of memcpy, the source) is word-aligned, then 32 bytes per
 * multiple load/store, then words, then bytes. No unaligned access is ever made, so they
 * work whatever CCR.UNALIGN_TRP says.
 */
    .syntax unified
    .thumb

    .section .text.memset, "ax", %progbits
    .global memset
    .type memset, %function
    .thumb_func
memset:                             /* r0 = s (returned), r1 = c, r2 = n */
    mov     r3, r0
    uxtb    r1, r1
    orr     r1, r1, r1, lsl #8
    orr     r1, r1, r1, lsl #16
1:  tst     r3, #3                  /* bytes up to a word boundary */
    beq     2f
    cbz     r2, 9f
    strb    r1, [r3], #1
    subs    r2, #1
    b       1b
2:  subs    r2, #32
    blo     4f
    push    {r4-r9}
    mov     r4, r1
    mov     r5, r1
    mov     r6, r1
    mov     r7, r1
    mov     r8, r1
    mov     r9, r1
    mov     r12, r1
3:  stmia   r3!, {r1, r4-r9, r12}   /* 32 bytes */
    subs    r2, #32
    bhs     3b
    pop     {r4-r9}
4:  adds    r2, #28                 /* n - 4: words while any remain */
    blo     6f
5:  str     r1, [r3], #4
    subs    r2, #4
    bhs     5b
6:  adds    r2, #4                  /* 0..3 bytes left */
    beq     9f
7:  strb    r1, [r3], #1
    subs    r2, #1
    bne     7b
9:  bx      lr
    .size memset, . - memset

    .section .text.memcpy, "ax", %progbits
    .global memcpy
    .type memcpy, %function
    .thumb_func
memcpy:                             /* r0 = dst (returned), r1 = src, r2 = n */
    mov     r3, r0
    eor     r12, r0, r1
    tst     r12, #3
    bne     8f                      /* never both aligned: bytes */
1:  tst     r3, #3                  /* bytes up to a word boundary (of both) */
    beq     2f
    cbz     r2, 9f
    ldrb    r12, [r1], #1
    strb    r12, [r3], #1
    subs    r2, #1
    b       1b
2:  subs    r2, #32
    blo     4f
    push    {r4-r9, lr}
3:  ldmia   r1!, {r4-r9, r12, lr}   /* 32 bytes */
    stmia   r3!, {r4-r9, r12, lr}
    subs    r2, #32
    bhs     3b
    pop     {r4-r9, lr}
4:  adds    r2, #28                 /* n - 4: words while any remain */
    blo     6f
5:  ldr     r12, [r1], #4
    str     r12, [r3], #4
    subs    r2, #4
    bhs     5b
6:  adds    r2, #4                  /* 0..3 bytes left */
    beq     9f
8:  cbz     r2, 9f
7:  ldrb    r12, [r1], #1
    strb    r12, [r3], #1
    subs    r2, #1
    bne     7b
9:  bx      lr
    .size memcpy, . - memcpy
