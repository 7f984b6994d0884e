/*
 * sm_host_internal.h: between the host arch layer and the host API functions.
 * sm_host_enter(r): after a kernel entry by sm_cur that returned r, run other threads as the
 * scheduler says and return the entry's result for the caller (r, or the result delivered
 * while it was blocked).
 */
#ifndef SM_HOST_INTERNAL_H
#define SM_HOST_INTERNAL_H

#include <stdint.h>

uint32_t sm_host_enter(uint32_t result);
void sm_host_ensure_started(void);
void sm_irq_deliver(uint32_t line);

#endif /* SM_HOST_INTERNAL_H */
