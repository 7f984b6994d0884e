/*
 * an505_exit.h: how a run on the emulated board ends, shared with the runner (tools/smrun).
 *
 * A guest powers off by leaving AN505_EMU_OFF_MAGIC and `status` (0 to AN505_EXIT_STATUS_MAX)
 * in its mailbox and requesting a reset (an505_emu.h); the runner exits with `status`. A reset
 * request without that is a power cycle.
 */
#ifndef AN505_EXIT_H
#define AN505_EXIT_H

#define AN505_EXIT_STATUS_MAX   63
#define AN505_EXIT_STATUS_FAULT 63 /* stopped by an unexpected fault */

#endif /* AN505_EXIT_H */
