/*
 * ns_fwu_bench.c: instruction counts of the firmware update API from the non-secure world, run
 * as the NS application of the product SM image under `smrun --icount` (scripts/bench.sh): an
 * NS image of 64 KiB (signed, encrypted for the device) written through psa_fwu_write in
 * blocks of PSA_FWU_MAX_WRITE_SIZE, then finish, which verifies it as the boot stage will. The
 * runner loads the image into NS RAM at FWU_BENCH_IMAGE ({u32 length, image}); the figures are
 * per KiB written and for the one finish. Timing as ns_bench.c: TIMER0, calibrated with a loop
 * of known length.
 */
#include <stdint.h>

#include "psa/update.h"
#include "smak.h"

#define TIMER0_NS       0x40000000u
#define TIMER(off)      (*(volatile uint32_t *)(uintptr_t)(TIMER0_NS + (off)))
#define FWU_BENCH_IMAGE 0x28300000u

static uint32_t now(void)
{
    return 0xFFFFFFFFu - TIMER(0x04); /* VALUE counts down */
}

static void spin(uint32_t n)
{
    __asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

static void report(const char *name, uint32_t ticks, uint32_t milli_per_tick, uint32_t n,
                   const char *how)
{
    const uint64_t milli = (uint64_t)ticks * milli_per_tick / n;
    smak_printf("BENCH %s %u.%03u insn %s\n", name, (unsigned)(milli / 1000u),
                (unsigned)(milli % 1000u), how);
}

int main(void)
{
    const uint32_t len = *(const volatile uint32_t *)FWU_BENCH_IMAGE;
    const uint8_t *img = (const uint8_t *)(FWU_BENCH_IMAGE + 4u);
    TIMER(0x00) = 0;
    TIMER(0x08) = 0xFFFFFFFFu;
    TIMER(0x04) = 0xFFFFFFFFu;
    TIMER(0x00) = 1;
    uint32_t t1 = now();
    spin(1000000u);
    uint32_t t2 = now();
    spin(2000000u);
    uint32_t t3 = now();
    const uint32_t milli_per_tick = (uint32_t)(2000000ull * 1000u / ((t3 - t2) - (t2 - t1)));
    psa_status_t status = psa_fwu_start(PSA_FWU_COMPONENT_NS, NULL, 0);
    uint32_t t0 = now();
    for (uint32_t off = 0; status == PSA_SUCCESS && off < len; off += PSA_FWU_MAX_WRITE_SIZE) {
        const uint32_t n = len - off < PSA_FWU_MAX_WRITE_SIZE ? len - off : PSA_FWU_MAX_WRITE_SIZE;
        status = psa_fwu_write(PSA_FWU_COMPONENT_NS, off, img + off, n);
    }
    const uint32_t writes = now() - t0;
    t0 = now();
    if (status == PSA_SUCCESS) {
        status = psa_fwu_finish(PSA_FWU_COMPONENT_NS);
    }
    const uint32_t finish = now() - t0;
    if (status != PSA_SUCCESS || len < 65536u) {
        smak_printf("ns_fwu_bench: failed (%d, image of %u bytes)\n", (int)status, (unsigned)len);
        return 1;
    }
    report("fwu_write_per_kib_ns", writes, milli_per_tick, len / 1024u,
           "psa_fwu_write from NS, 4 KiB blocks, per KiB (product SM image)");
    report("fwu_finish_64k_ns", finish, milli_per_tick, 1u,
           "psa_fwu_finish from NS: a 64 KiB encrypted NS image verified as at boot");
    return 0;
}
