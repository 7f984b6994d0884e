/*
 * its_client.c: the PSA ITS 1.0 API (psa/internal_trusted_storage.h) for any client: the NS
 * application (SMAK), a secure partition (shared code) or a host program. Each function is one
 * psa_call to the ITS service (its_ipc.h).
 *
 * Arguments the service cannot check are checked here, so that a bad one gets the
 * specification's PSA_ERROR_INVALID_ARGUMENT rather than the SM's refusal of the vector: a NULL
 * buffer with a length, a buffer that wraps the address space, a NULL output pointer. An offset
 * no asset can reach is sent as UINT32_MAX: the service decides between DOES_NOT_EXIST and
 * INVALID_ARGUMENT, as for any offset.
 */
#include <stdint.h>

#include "its_ipc.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"

static int bad_buffer(const void *p, size_t n)
{
    return n != 0u && (p == NULL || (uintptr_t)p + n - 1u < (uintptr_t)p);
}

psa_status_t psa_its_set(psa_storage_uid_t uid, size_t data_length, const void *p_data,
                         psa_storage_create_flags_t create_flags)
{
    if (bad_buffer(p_data, data_length)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    struct its_ipc_args args = {.uid = uid, .flags = create_flags};
    psa_invec in[2] = {{&args, sizeof(args)}, {p_data, data_length}};
    return psa_call(ITS_IPC_HANDLE, ITS_IPC_SET, in, 2, NULL, 0);
}

psa_status_t psa_its_get(psa_storage_uid_t uid, size_t data_offset, size_t data_size, void *p_data,
                         size_t *p_data_length)
{
    if (p_data_length == NULL || bad_buffer(p_data, data_size)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    /* An offset a 32-bit service cannot name is past every asset (they are smaller): it goes
     * as UINT32_MAX, so the service still says DOES_NOT_EXIST for a UID that has none. */
    struct its_ipc_args args = {
        .uid = uid, .offset = data_offset > UINT32_MAX ? UINT32_MAX : (uint32_t)data_offset};
    psa_invec in[1] = {{&args, sizeof(args)}};
    psa_outvec out[1] = {{p_data, data_size}};
    psa_status_t status = psa_call(ITS_IPC_HANDLE, ITS_IPC_GET, in, 1, out, 1);
    *p_data_length = status == PSA_SUCCESS ? out[0].len : 0u;
    return status;
}

psa_status_t psa_its_get_info(psa_storage_uid_t uid, struct psa_storage_info_t *p_info)
{
    if (p_info == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    struct its_ipc_args args = {.uid = uid};
    psa_invec in[1] = {{&args, sizeof(args)}};
    psa_outvec out[1] = {{p_info, sizeof(*p_info)}};
    return psa_call(ITS_IPC_HANDLE, ITS_IPC_GET_INFO, in, 1, out, 1);
}

psa_status_t psa_its_remove(psa_storage_uid_t uid)
{
    struct its_ipc_args args = {.uid = uid};
    psa_invec in[1] = {{&args, sizeof(args)}};
    return psa_call(ITS_IPC_HANDLE, ITS_IPC_REMOVE, in, 1, NULL, 0);
}
