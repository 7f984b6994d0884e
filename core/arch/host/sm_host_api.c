/*
 * sm_host_api.c: the PSA client API (for the program, and for partitions) and service API
 * (for partitions) on the host: each function is one kernel entry (see sm_host_internal.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "psa/client.h"
#include "psa/lifecycle.h"
#include "psa/service.h"
#include "sm/sm_device.h"
#include "sm/sm_service.h"
#include "sm_host_internal.h"
#include "sm_kernel.h"

uint32_t psa_framework_version(void)
{
    return PSA_FRAMEWORK_VERSION;
}

uint32_t psa_version(uint32_t sid)
{
    sm_host_ensure_started();
    return sm_host_enter(sm_k_version(sid));
}

psa_handle_t psa_connect(uint32_t sid, uint32_t version)
{
    sm_host_ensure_started();
    return (psa_handle_t)sm_host_enter(sm_k_connect(sid, version));
}

psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len)
{
    sm_host_ensure_started();
    return (psa_status_t)sm_host_enter(
        sm_k_call(handle, sm_call_pack(type, in_len, out_len), in_vec, out_vec));
}

void psa_close(psa_handle_t handle)
{
    sm_host_ensure_started();
    sm_host_enter(sm_k_close(handle));
}

psa_signal_t psa_wait(psa_signal_t signal_mask, uint32_t timeout)
{
    return sm_host_enter(sm_k_wait(signal_mask, timeout));
}

psa_status_t psa_get(psa_signal_t signal, psa_msg_t *msg)
{
    return (psa_status_t)sm_host_enter(sm_k_get(signal, msg));
}

void psa_set_rhandle(psa_handle_t msg_handle, void *rhandle)
{
    sm_host_enter(sm_k_set_rhandle(msg_handle, rhandle));
}

size_t psa_read(psa_handle_t msg_handle, uint32_t invec_idx, void *buffer, size_t num_bytes)
{
    return sm_host_enter(sm_k_read(msg_handle, invec_idx, buffer, num_bytes));
}

size_t psa_skip(psa_handle_t msg_handle, uint32_t invec_idx, size_t num_bytes)
{
    return sm_host_enter(sm_k_skip(msg_handle, invec_idx, num_bytes));
}

void psa_write(psa_handle_t msg_handle, uint32_t outvec_idx, const void *buffer, size_t num_bytes)
{
    sm_host_enter(sm_k_write(msg_handle, outvec_idx, buffer, num_bytes));
}

void psa_reply(psa_handle_t msg_handle, psa_status_t status)
{
    sm_host_enter(sm_k_reply(msg_handle, status));
}

/* The two calls it stands for, each through its own entry as on the host every call is. */
psa_signal_t sm_reply_wait(psa_handle_t msg_handle, psa_status_t status, psa_signal_t mask)
{
    psa_reply(msg_handle, status);
    return psa_wait(mask, PSA_BLOCK);
}

/* The kernel's own entry, as on the board: a message sent while it waits is delivered into
 * msg directly (sm_ipc.c, send). */
psa_signal_t sm_reply_get(psa_handle_t msg_handle, psa_status_t status, psa_signal_t mask,
                          psa_msg_t *msg)
{
    return sm_host_enter(sm_k_reply_get(msg_handle, status, mask, msg));
}

uint32_t psa_rot_lifecycle_state(void)
{
    return sm_install_config(SM_CONFIG_LIFECYCLE);
}

void psa_notify(int32_t partition_id)
{
    sm_host_enter(sm_k_notify(partition_id));
}

void psa_clear(void)
{
    sm_host_enter(sm_k_clear());
}

void psa_eoi(psa_signal_t irq_signal)
{
    sm_host_enter(sm_k_eoi(irq_signal));
}

void psa_irq_enable(psa_signal_t irq_signal)
{
    sm_host_enter(sm_k_irq_enable(irq_signal));
}

psa_irq_status_t psa_irq_disable(psa_signal_t irq_signal)
{
    return sm_host_enter(sm_k_irq_disable(irq_signal));
}

void psa_reset_signal(psa_signal_t irq_signal)
{
    sm_host_enter(sm_k_reset_signal(irq_signal));
}

void psa_panic(void)
{
    if (sm_cur == NULL || sm_cur->part == NULL) {
        fprintf(stderr, "SM host: psa_panic called outside a partition\n");
        abort();
    }
    sm_host_enter(sm_k_panic());
    __builtin_unreachable(); /* a stopped thread is never switched to again */
}

int sm_device_flash(uint32_t op, uint32_t offset, void *buf, size_t len)
{
    return (int)sm_host_enter(sm_k_flash(op, offset, buf, len));
}

psa_status_t sm_derive_key(const void *label, size_t label_len, uint8_t *key, size_t key_len)
{
    return (psa_status_t)sm_host_enter(sm_k_derive_key(label, label_len, key, key_len));
}

uint32_t sm_install_config(uint32_t item)
{
    sm_host_ensure_started();
    return sm_host_enter(sm_k_config(item));
}

psa_status_t sm_entropy(uint8_t *buf, size_t len)
{
    return (psa_status_t)sm_host_enter(sm_k_entropy(buf, len));
}

uint32_t sm_client_running(int32_t client_id)
{
    return sm_host_enter(sm_k_client_running(client_id));
}

int32_t sm_device_attest(uint32_t op, uintptr_t arg, void *buf, size_t len)
{
    return (int32_t)sm_host_enter(sm_k_attest(op, arg, buf, len));
}

int32_t sm_device_fwu(uint32_t op, uintptr_t arg, void *buf, size_t len)
{
    return (int32_t)sm_host_enter(sm_k_fwu(op, arg, buf, len));
}
