/*
 * attest_ipc.h: how the attestation client library (attest_client.c) talks to the attestation
 * partition (attest_partition.c) through psa_call. Private to the two.
 *
 * Every call is a stateless psa_call to ATTEST_IPC_HANDLE:
 *   ATTEST_IPC_GET_TOKEN       in[0] the challenge, out[0] the client's token buffer -> status;
 *                              the SM writes the token's length back into out[0].len
 *   ATTEST_IPC_GET_TOKEN_SIZE  in[0] uint32_t challenge size, out[0] uint32_t token size
 *   ATTEST_IPC_LIFECYCLE       in[0] a lifecycle request (sm/sm_lifecycle.h) -> status
 * The caller's client id (from the SM) is the token's client id claim.
 */
#ifndef ATTEST_IPC_H
#define ATTEST_IPC_H

#include "psa/client.h"

/* The service's stateless handle, fixed by its manifest (stateless_handle 10, version 1), so
 * applications built with the SMAK need no generated header; attest_partition.c checks it. */
#define ATTEST_IPC_HANDLE ((psa_handle_t)0x4000010A)

enum attest_ipc_type {
    ATTEST_IPC_GET_TOKEN = 1,
    ATTEST_IPC_GET_TOKEN_SIZE = 2,
    ATTEST_IPC_LIFECYCLE = 3,
};

#endif /* ATTEST_IPC_H */
