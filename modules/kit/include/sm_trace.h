/*
 * sm_trace.h: a secure module's (or a partition's) development trace (docs/design/modules.md,
 * "Trace"). In the SMDK's include/ and libsmdk.a; in the SMAK for Linux for a module on a PC.
 *
 * sm_trace(line) has a development SM print "SM: trace NAME: line" on its console (the secure
 * UART; stdout on a PC), NAME being the caller's partition name as the SM knows it (a module's
 * from its descriptor: it cannot write as another). At most 96 bytes of the line are printed, up
 * to its first newline ("..." marks a cut), and any byte that is not printable ASCII as '.'.
 * PSA_SUCCESS. The product SM has no trace path: the call prints nothing and answers
 * PSA_ERROR_NOT_SUPPORTED, so one module binary runs on both. A line the caller may not read
 * (not its own memory) is a programmer error, as for any psa_call.
 */
#ifndef SM_TRACE_H
#define SM_TRACE_H

#include "psa/error.h"

psa_status_t sm_trace(const char *line);

#endif /* SM_TRACE_H */
