/*
 * psa/client.h: the PSA Firmware Framework for M (FF-M 1.1) client API. Written from the
 * FF-M specification. The same header serves non-secure applications (through the SMAK, where
 * each call crosses into the SM through a secure gateway veneer), secure partitions (where
 * each call is a supervisor call into the SM core) and Linux programs (the host library).
 *
 * Contract (FF-M 1.1, section "Client API"):
 * - psa_framework_version(): PSA_FRAMEWORK_VERSION.
 * - psa_version(sid): the service's version if it exists and the caller may use it, else
 *   PSA_VERSION_NONE.
 * - psa_connect(sid, version): a positive connection handle, or PSA_ERROR_CONNECTION_REFUSED /
 *   PSA_ERROR_CONNECTION_BUSY. Unknown SID, unsupported version, a caller the service does not
 *   accept, or a stateless service are programmer errors.
 * - psa_call(handle, type, in, in_len, out, out_len): the service's status. type must be in
 *   [0, INT16_MAX]; in_len + out_len <= PSA_MAX_IOVEC; every vector must be the caller's own
 *   memory (readable for in, writable for out), must not wrap the address space, and no output
 *   vector may overlap another vector; the out array itself must be writable: when the service
 *   replies (with any status but PSA_ERROR_PROGRAMMER_ERROR), each out[i].len becomes the number
 *   of bytes it wrote to that vector. A call to a service whose partition has stopped returns
 *   PSA_ERROR_SERVICE_FAILURE.
 * - psa_close(handle): ends a connection; PSA_NULL_HANDLE is ignored.
 * A programmer error stops a calling secure partition; a non-secure or host caller gets
 * PSA_ERROR_PROGRAMMER_ERROR instead (FF-M 1.1 allows this for the non-secure world) and
 * nothing else happens. A non-secure call made from an NS exception handler, or while the SM is
 * busy with another NS request, returns PSA_ERROR_CONNECTION_BUSY (see docs/design/sm-core.md).
 */
#ifndef PSA_CLIENT_H
#define PSA_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PSA_FRAMEWORK_VERSION 0x0101u
#define PSA_VERSION_NONE      0u

#define PSA_NULL_HANDLE             ((psa_handle_t)0)
#define PSA_HANDLE_IS_VALID(handle) ((psa_handle_t)(handle) > 0)
#define PSA_HANDLE_TO_ERROR(handle) ((psa_status_t)(handle))
#define PSA_MAX_IOVEC               4u
#define PSA_IPC_CALL                0

typedef int32_t psa_handle_t;

typedef struct psa_invec {
    const void *base;
    size_t len;
} psa_invec;

typedef struct psa_outvec {
    void *base;
    size_t len;
} psa_outvec;

uint32_t psa_framework_version(void);
uint32_t psa_version(uint32_t sid);
psa_handle_t psa_connect(uint32_t sid, uint32_t version);
psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len);
void psa_close(psa_handle_t handle);

#ifdef __cplusplus
}
#endif

#endif /* PSA_CLIENT_H */
