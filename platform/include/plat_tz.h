/*
 * plat_tz.h: the TrustZone split of the board.
 *
 * Contract: plat_tz_setup() makes exactly these non-secure: the NS application's flash slot,
 * the NS RAM, and the NS peripherals (UART1, TIMER0); the SM's veneers become non-secure
 * callable; everything else stays secure, and a non-secure access to it faults (bus errors,
 * not read-as-zero). plat_tz_start_ns() starts the
 * non-secure image whose vector table is at `ns_vector_table` (a non-secure address), with
 * `arg` in r0 (the boot count; SMAK's startup keeps it), and returns only if the NS world
 * returns from its reset handler. Before crossing it stores in *secure_sp the secure stack
 * pointer the NS world then runs with (just below BLXNS's return frame), so the SM's gateway
 * can put the stack back there on every call.
 * plat_tz_unprivileged_mmio(base, size): lets unprivileged secure code (a partition that
 * declares this MMIO region) reach the secure peripherals in it, where the bus has its own
 * privilege check (the AN505's PPCs); returns false if the range holds a peripheral this
 * platform does not give partitions (one it does not know, or the SM's own: its clock and
 * console), so that the SM refuses the configuration.
 * plat_tz_ns_memory[]: the memory the non-secure world owns (the RAM and flash plat_tz_setup
 * makes non-secure, never a peripheral), the allowlist the SM checks NS buffers against.
 */
#ifndef PLAT_TZ_H
#define PLAT_TZ_H

#include <stdbool.h>
#include <stdint.h>

/* nsc_start/nsc_end: the SM's secure gateway veneers, made non-secure callable. */
void plat_tz_setup(uint32_t nsc_start, uint32_t nsc_end);
void plat_tz_start_ns(uint32_t ns_vector_table, uint32_t arg, uint32_t *secure_sp);
bool plat_tz_unprivileged_mmio(uint32_t base, uint32_t size);

struct plat_tz_range {
    uint32_t start, end; /* [start, end), non-secure addresses */
    bool writable;       /* RAM, not flash */
};
#define PLAT_TZ_NS_MEMORY_COUNT 2u
extern const struct plat_tz_range plat_tz_ns_memory[PLAT_TZ_NS_MEMORY_COUNT];

#endif /* PLAT_TZ_H */
