/*
 * sm_host.h: the SM on a Linux host. The calling program plays the non-secure application:
 * it gets the PSA client API (psa/client.h) backed by the real partitions of this build,
 * dispatched in-process (no isolation), over the host platform's file-backed flash.
 *
 * Contract:
 * - sm_host_start() runs every partition until it waits, then returns; call it once before any
 *   PSA function (a PSA call before it starts the SM first).
 * - sm_host_raise_irq(line) delivers a secure interrupt as the board's interrupt controller
 *   would (held pending while the line is disabled).
 * - sm_host_partition_stopped(name) tells whether a partition has been stopped (a panic or a
 *   programmer error), for tests.
 * - sm_host_boot_records(d) gives the SM the boot records a boot stage would have handed it
 *   (bl_shared.h), for attestation; call it before sm_host_start. Without it the device has
 *   booted no measured image and attestation tokens cannot be made.
 * - The program blocking while every partition waits (nothing can ever answer) is a deadlock:
 *   the SM prints why and aborts.
 */
#ifndef SM_HOST_H
#define SM_HOST_H

#include <stdbool.h>
#include <stdint.h>

void sm_host_start(void);
struct bl_shared_data;
void sm_host_boot_records(const struct bl_shared_data *d);
void sm_host_raise_irq(uint32_t line);
bool sm_host_partition_stopped(const char *name);
/* Connections currently open (all clients), to check for leaks. */
uint32_t sm_host_open_connections(void);

#endif /* SM_HOST_H */
