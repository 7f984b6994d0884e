/*
 * fwu_ipc.h: how the PSA Firmware Update client library (fwu_client.c) talks to the update
 * partition (fwu_partition.c) through psa_call. Private to the two.
 *
 * Every call is a stateless psa_call to FWU_IPC_HANDLE with in[0] = struct fwu_ipc_args:
 *   FWU_IPC_QUERY           out[0] psa_fwu_component_info_t                    -> status
 *   FWU_IPC_START           in[1] the detached manifest (must be empty)        -> status
 *   FWU_IPC_WRITE           in[1] the block (its length is block_size)        -> status
 *   FWU_IPC_FINISH, FWU_IPC_CANCEL, FWU_IPC_CLEAN                             -> status
 *   FWU_IPC_INSTALL, FWU_IPC_REQUEST_REBOOT, FWU_IPC_ACCEPT                   -> status
 *   FWU_IPC_REJECT          args.error                                         -> status
 * The caller's client id (from the SM) is checked against the update policy (fwu_policy.h).
 */
#ifndef FWU_IPC_H
#define FWU_IPC_H

#include <stdint.h>

#include "psa/client.h"

/* The service's stateless handle, fixed by its manifest (stateless_handle 11, version 1) so that
 * applications built with the SMAK need no generated header; fwu_partition.c checks it. */
#define FWU_IPC_HANDLE ((psa_handle_t)0x4000010B)

enum fwu_ipc_type {
    FWU_IPC_QUERY = 1,
    FWU_IPC_START = 2,
    FWU_IPC_WRITE = 3,
    FWU_IPC_FINISH = 4,
    FWU_IPC_CANCEL = 5,
    FWU_IPC_CLEAN = 6,
    FWU_IPC_INSTALL = 7,
    FWU_IPC_REQUEST_REBOOT = 8,
    FWU_IPC_REJECT = 9,
    FWU_IPC_ACCEPT = 10,
};

struct fwu_ipc_args {
    uint32_t component;
    uint32_t offset; /* FWU_IPC_WRITE */
    int32_t error;   /* FWU_IPC_REJECT */
};

#endif /* FWU_IPC_H */
