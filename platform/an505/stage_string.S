/*
 * stage_string.S: memcpy, memset, memcmp and strlen for the iRoT, as small as they can be
 * (104 bytes for the four, against newlib-nano's 590): bytes one at a time, except that memcpy
 * moves words when the destination, the source and the length are all multiples of 4 (p256-m's
 * point copies in every signature check, the flash reads of whole chunks). The iRoT copies
 * little otherwise (docs/design/boot-speed.md); images that copy a lot (the uRoT, the SM) keep
 * faster ones.
 *
 * Contract: the C standard's. memset returns s, memcpy returns dst (its ranges do not
 * overlap), memcmp returns the difference of the first two bytes that differ (as unsigned
 * char) or 0, strlen the number of bytes before the first NUL. Each touches exactly the bytes
 * named, with aligned accesses only (words only at addresses that are multiples of 4).
 */
    .syntax unified
    .thumb

    .section .text.memcpy, "ax", %progbits
    .global memcpy
    .type memcpy, %function
    .thumb_func
memcpy:                             /* r0 = dst (returned), r1 = src, r2 = n */
    mov     r3, r0
    orr     r12, r0, r1
    orr     r12, r12, r2
    tst     r12, #3
    bne     2f                      /* dst, src and n not all multiples of 4: bytes */
    b       4f
3:  ldr     r12, [r1], #4
    str     r12, [r3], #4
4:  subs    r2, #4                  /* carry clear once no word is left */
    bhs     3b
    bx      lr
1:  ldrb    r12, [r1], #1
    strb    r12, [r3], #1
2:  subs    r2, #1                  /* carry clear once n was 0 */
    bhs     1b
    bx      lr
    .size memcpy, . - memcpy

    .section .text.memset, "ax", %progbits
    .global memset
    .type memset, %function
    .thumb_func
memset:                             /* r0 = s (returned), r1 = c, r2 = n */
    mov     r3, r0
    b       2f
1:  strb    r1, [r3], #1            /* stores the low byte of c */
2:  subs    r2, #1
    bhs     1b
    bx      lr
    .size memset, . - memset

    .section .text.memcmp, "ax", %progbits
    .global memcmp
    .type memcmp, %function
    .thumb_func
memcmp:                             /* r0 = a, r1 = b, r2 = n */
    mov     r3, r0
    b       2f
1:  ldrb    r0, [r3], #1
    ldrb    r12, [r1], #1
    subs    r0, r0, r12
    it      ne
    bxne    lr
2:  subs    r2, #1
    bhs     1b
    movs    r0, #0
    bx      lr
    .size memcmp, . - memcmp

    .section .text.strlen, "ax", %progbits
    .global strlen
    .type strlen, %function
    .thumb_func
strlen:                             /* r0 = s */
    mov     r1, r0
1:  ldrb    r2, [r1], #1
    cmp     r2, #0
    bne     1b
    subs    r0, r1, r0
    subs    r0, #1
    bx      lr
    .size strlen, . - strlen
