/*
 * its_ipc.h: how the PSA ITS client library (its_client.c) talks to the ITS partition
 * (its_partition.c) through psa_call. Private to the two.
 *
 * Every call is a stateless psa_call to ITS_IPC_HANDLE with in[0] = struct its_ipc_args:
 *   ITS_IPC_SET       in[1] the data (its length is the asset's)          -> status
 *   ITS_IPC_GET       out[0] the client's buffer (its size is data_size)  -> status; the SM
 *                     writes the bytes copied back into out[0].len
 *   ITS_IPC_GET_INFO  out[0] struct psa_storage_info_t                    -> status
 *   ITS_IPC_REMOVE                                                       -> status
 * The caller's client id (from the SM) selects the namespace.
 */
#ifndef ITS_IPC_H
#define ITS_IPC_H

#include <stdint.h>

#include "psa/client.h"
#include "psa/storage_common.h"

/* The service's stateless handle, fixed by its manifest (stateless_handle 8, version 1) so that
 * applications built with the SMAK need no generated header; its_partition.c checks it. */
#define ITS_IPC_HANDLE ((psa_handle_t)0x40000108)

enum its_ipc_type {
    ITS_IPC_SET = 1,
    ITS_IPC_GET = 2,
    ITS_IPC_GET_INFO = 3,
    ITS_IPC_REMOVE = 4,
};

struct its_ipc_args {
    psa_storage_uid_t uid;
    uint32_t flags;  /* ITS_IPC_SET */
    uint32_t offset; /* ITS_IPC_GET */
};

#endif /* ITS_IPC_H */
