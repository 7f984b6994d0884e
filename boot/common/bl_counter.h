/*
 * bl_counter.h: anti-rollback security counters, one per image kind (FLASH_COUNTERS_*).
 *
 * Contract: bl_counter_get returns the current value (0 if never set). bl_counter_raise never
 * lowers a counter; it returns once the new value is durable. A power cut at any point leaves
 * every counter at its old or new value, never lower. See docs/design/secure-boot.md.
 */
#ifndef BL_COUNTER_H
#define BL_COUNTER_H

#include <stdint.h>

#include "bl_otp.h"

int bl_counter_get(enum bl_kind kind, uint32_t *value);
int bl_counter_raise(enum bl_kind kind, uint32_t value);

#endif /* BL_COUNTER_H */
