/*
 * bl_counter.h: anti-rollback security counters, one per image kind (FLASH_COUNTERS_*).
 *
 * Contract: bl_counter_get returns the current value (0 if never raised). bl_counter_raise
 * never lowers a counter; it returns once the new value is durable. A power cut at any point
 * leaves every counter at its old or new value, never lower. See docs/design/secure-boot.md.
 * Counters 0 .. BL_KIND_COUNT-1 are the security counters of the image kinds; BL_COUNTER_BOOTS
 * counts boots since provisioning (it seeds the DRBG, and the demo shows it);
 * BL_COUNTER_LIFECYCLE holds the device's lifecycle transitions (bl_lifecycle.h).
 *
 * Records are authenticated (bl_record.h): a forged or altered record is ignored. An area
 * with no authentic record at all is not "every counter 0" but a counter area erased or
 * written by someone else: both calls fail with BL_E_COUNTERS, and the boot stops.
 * bl_counter_provision (smtool provision, after the OTP area is written) erases the area and
 * writes the first authentic record, under the key of the HUK just provisioned.
 */
#ifndef BL_COUNTER_H
#define BL_COUNTER_H

#include <stdint.h>

#include "bl_otp.h"

#define BL_COUNTER_BOOTS     BL_KIND_COUNT
#define BL_COUNTER_LIFECYCLE (BL_KIND_COUNT + 1) /* bl_lifecycle.h: the transitions made */
#define BL_COUNTERS          (BL_KIND_COUNT + 2)

int bl_counter_get(unsigned counter, uint32_t *value);
int bl_counter_raise(unsigned counter, uint32_t value);
int bl_counter_provision(void);

#endif /* BL_COUNTER_H */
