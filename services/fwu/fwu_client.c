/*
 * fwu_client.c: the PSA Firmware Update API (psa/update.h) for any client: the NS application
 * (SMAK), a secure partition (shared code) or a host program. Each function is one psa_call to
 * the update service (fwu_ipc.h).
 *
 * Arguments the service cannot see are checked here, so that they get the specification's
 * PSA_ERROR_INVALID_ARGUMENT rather than the SM's refusal of the vector: a NULL output, a NULL
 * or wrapping buffer, an offset or size a 32-bit service cannot name. The service checks
 * everything again. A status the API does not have (the service is not running: the SM refuses
 * the call) is PSA_ERROR_COMMUNICATION_FAILURE.
 */
#include <stdint.h>
#include <string.h>

#include "fwu_ipc.h"
#include "psa/client.h"
#include "psa/update.h"

static int bad_buffer(const void *p, size_t n)
{
    return n != 0u && (p == NULL || (uintptr_t)p + n - 1u < (uintptr_t)p);
}

static psa_status_t api_status(psa_status_t s)
{
    switch (s) {
    case PSA_SUCCESS:
    case PSA_SUCCESS_REBOOT:
    case PSA_SUCCESS_RESTART:
    case PSA_ERROR_NOT_PERMITTED:
    case PSA_ERROR_NOT_SUPPORTED:
    case PSA_ERROR_INVALID_ARGUMENT:
    case PSA_ERROR_BAD_STATE:
    case PSA_ERROR_DOES_NOT_EXIST:
    case PSA_ERROR_INSUFFICIENT_MEMORY:
    case PSA_ERROR_INSUFFICIENT_STORAGE:
    case PSA_ERROR_COMMUNICATION_FAILURE:
    case PSA_ERROR_STORAGE_FAILURE:
    case PSA_ERROR_INVALID_SIGNATURE:
    case PSA_ERROR_DEPENDENCY_NEEDED:
    case PSA_ERROR_FLASH_ABUSE:
    case PSA_ERROR_INSUFFICIENT_POWER:
    case PSA_ERROR_GENERIC_ERROR:
        return s;
    default:
        return PSA_ERROR_COMMUNICATION_FAILURE;
    }
}

static psa_status_t call(uint32_t type, const struct fwu_ipc_args *args, const void *data,
                         size_t data_len, psa_outvec *out, size_t out_len)
{
    psa_invec in[2] = {{args, sizeof(*args)}, {data, data_len}};
    return api_status(psa_call(FWU_IPC_HANDLE, (int32_t)type, in, 2, out, out_len));
}

static psa_status_t simple(uint32_t type, psa_fwu_component_t component)
{
    const struct fwu_ipc_args args = {.component = component};
    return call(type, &args, NULL, 0, NULL, 0);
}

psa_status_t psa_fwu_query(psa_fwu_component_t component, psa_fwu_component_info_t *info)
{
    if (info == NULL) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    const struct fwu_ipc_args args = {.component = component};
    psa_outvec out[1] = {{info, sizeof(*info)}};
    psa_status_t status = call(FWU_IPC_QUERY, &args, NULL, 0, out, 1);
    if (status == PSA_SUCCESS && out[0].len != sizeof(*info)) {
        status = PSA_ERROR_COMMUNICATION_FAILURE;
    }
    if (status != PSA_SUCCESS) {
        memset(info, 0, sizeof(*info)); /* a safe default, as the API recommends */
    }
    return status;
}

psa_status_t psa_fwu_start(psa_fwu_component_t component, const void *manifest,
                           size_t manifest_size)
{
    if (bad_buffer(manifest, manifest_size)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    const struct fwu_ipc_args args = {.component = component};
    return call(FWU_IPC_START, &args, manifest, manifest_size, NULL, 0);
}

psa_status_t psa_fwu_write(psa_fwu_component_t component, size_t image_offset, const void *block,
                           size_t block_size)
{
    if (block_size == 0u || block_size > PSA_FWU_MAX_WRITE_SIZE || image_offset > UINT32_MAX ||
        bad_buffer(block, block_size)) {
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    const struct fwu_ipc_args args = {.component = component, .offset = (uint32_t)image_offset};
    return call(FWU_IPC_WRITE, &args, block, block_size, NULL, 0);
}

psa_status_t psa_fwu_finish(psa_fwu_component_t component)
{
    return simple(FWU_IPC_FINISH, component);
}

psa_status_t psa_fwu_cancel(psa_fwu_component_t component)
{
    return simple(FWU_IPC_CANCEL, component);
}

psa_status_t psa_fwu_clean(psa_fwu_component_t component)
{
    return simple(FWU_IPC_CLEAN, component);
}

psa_status_t psa_fwu_install(void)
{
    return simple(FWU_IPC_INSTALL, 0);
}

psa_status_t psa_fwu_request_reboot(void)
{
    return simple(FWU_IPC_REQUEST_REBOOT, 0);
}

psa_status_t psa_fwu_reject(psa_status_t error)
{
    const struct fwu_ipc_args args = {.error = error};
    return call(FWU_IPC_REJECT, &args, NULL, 0, NULL, 0);
}

psa_status_t psa_fwu_accept(void)
{
    return simple(FWU_IPC_ACCEPT, 0);
}
