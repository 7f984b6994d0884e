/*
 * psa/service.h: the PSA FF-M 1.1 secure partition (service) API. Written from the FF-M
 * specification; only secure partitions (and the host library's partitions) use it.
 *
 * Contract: each function is a supervisor call into the SM core, which checks every argument.
 * A programmer error (FF-M's "PROGRAMMER ERROR" cases, listed per function below) stops the
 * calling partition: it never returns, its clients get PSA_ERROR_SERVICE_FAILURE (or
 * PSA_ERROR_CONNECTION_REFUSED for a connection request), and the rest of the system goes on.
 *
 * Signals: bits 0-3 are reserved (bit 3 is PSA_DOORBELL); the manifest tool assigns each RoT
 * Service and each interrupt of a partition its own bit from bit 4 and names it in the
 * partition's generated header psa_manifest/<partition>.h.
 */
#ifndef PSA_SERVICE_H
#define PSA_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PSA_POLL     0x00000000u
#define PSA_BLOCK    0x80000000u
#define PSA_WAIT_ANY 0xFFFFFFFFu
#define PSA_DOORBELL 0x00000008u

#define PSA_IPC_CONNECT    (-1)
#define PSA_IPC_DISCONNECT (-2)

#define PSA_FLIH_NO_SIGNAL ((psa_flih_result_t)0)
#define PSA_FLIH_SIGNAL    ((psa_flih_result_t)1)

typedef uint32_t psa_signal_t;
typedef uint32_t psa_irq_status_t;
typedef uint32_t psa_flih_result_t;

typedef struct psa_msg_t {
    int32_t type;        /* PSA_IPC_CONNECT, PSA_IPC_DISCONNECT or a call type >= 0 */
    psa_handle_t handle; /* this message, for psa_read/psa_write/psa_reply */
    int32_t client_id;   /* > 0: a secure partition's id; < 0: a non-secure client */
    void *rhandle;       /* what the service set with psa_set_rhandle on this connection */
    size_t in_size[PSA_MAX_IOVEC];
    size_t out_size[PSA_MAX_IOVEC];
} psa_msg_t;

/* Asserted signals within signal_mask; with PSA_BLOCK, waits until there is one.
 * Programmer error: signal_mask holds none of the partition's signals. */
psa_signal_t psa_wait(psa_signal_t signal_mask, uint32_t timeout);

/* Takes the next message of the RoT Service `signal` into *msg.
 * Programmer error: signal is not exactly one asserted RoT Service signal of the partition;
 * msg is not writable memory of the partition. */
psa_status_t psa_get(psa_signal_t signal, psa_msg_t *msg);

/* Programmer error: msg_handle does not name a message delivered to this partition. */
void psa_set_rhandle(psa_handle_t msg_handle, void *rhandle);

/* Copies up to num_bytes of input vector invec_idx (from where the last read or skip stopped).
 * Returns the number of bytes copied, 0 at the end of the vector.
 * Programmer error: bad msg_handle, not a call message, invec_idx >= PSA_MAX_IOVEC, buffer not
 * writable memory of the partition. */
size_t psa_read(psa_handle_t msg_handle, uint32_t invec_idx, void *buffer, size_t num_bytes);

/* As psa_read, without copying. */
size_t psa_skip(psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes);

/* Appends num_bytes to output vector outvec_idx.
 * Programmer error: bad msg_handle, not a call message, outvec_idx >= PSA_MAX_IOVEC, buffer not
 * readable memory of the partition, more bytes than the vector has left. */
void psa_write(psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer, size_t num_bytes);

/* Completes the message; the client's call returns `status`.
 * Programmer error: bad msg_handle; a connection request answered with a status other than
 * PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED or PSA_ERROR_CONNECTION_BUSY. A call answered
 * with PSA_ERROR_PROGRAMMER_ERROR breaks the connection and is a programmer error of the
 * client. */
void psa_reply(psa_handle_t msg_handle, psa_status_t status);

/* Asserts PSA_DOORBELL in partition `partition_id`. Programmer error: no such partition. */
void psa_notify(int32_t partition_id);

/* Clears this partition's PSA_DOORBELL. Programmer error: it is not asserted. */
void psa_clear(void);

/* Ends handling of a second-level interrupt: clears its signal and enables it again.
 * Programmer error: not exactly one asserted interrupt signal of the partition. */
void psa_eoi(psa_signal_t irq_signal);

/* Enable or disable one of the partition's interrupts (disabled at start). psa_irq_disable
 * returns 1 if it was enabled. Programmer error: not exactly one interrupt signal of the
 * partition. */
void psa_irq_enable(psa_signal_t irq_signal);
psa_irq_status_t psa_irq_disable(psa_signal_t irq_signal);

/* Clears the signal a first-level handler raised. Programmer error: not exactly one asserted
 * FLIH interrupt signal of the partition. */
void psa_reset_signal(psa_signal_t irq_signal);

/* Stops the calling partition. */
__attribute__((noreturn)) void psa_panic(void);

#ifdef __cplusplus
}
#endif

#endif /* PSA_SERVICE_H */
