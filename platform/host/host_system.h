/*
 * host_system.h: host-only additions to plat_system.h.
 */
#ifndef HOST_SYSTEM_H
#define HOST_SYSTEM_H

/* Exit status of a host program that called plat_reset(). */
#define HOST_EXIT_RESET 100

#endif /* HOST_SYSTEM_H */
