/*
 * an505_exit.h: how a run on the emulated board ends, shared with the runner (tools/smrun).
 *
 * QEMU runs with -no-reboot: a guest reset request makes QEMU exit with status 0, and the
 * runner restarts it over the same flash file (a power cycle). A guest that powers off exits
 * through semihosting with AN505_EXIT_POWER_OFF_BASE + status, and the runner exits with
 * `status`. Any other QEMU exit status is a QEMU failure.
 */
#ifndef AN505_EXIT_H
#define AN505_EXIT_H

#define AN505_EXIT_POWER_OFF_BASE 64
#define AN505_EXIT_STATUS_MAX     63
#define AN505_EXIT_STATUS_FAULT   63 /* stopped by an unexpected fault */

#endif /* AN505_EXIT_H */
