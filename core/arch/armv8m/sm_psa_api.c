/*
 * sm_psa_api.c: the PSA client and service API as secure partitions call it: one supervisor
 * call each (numbers in sm_svc.h). This library is the shared code every partition may
 * execute (MPU region 0); it holds no data.
 *
 * Arguments pass in r0-r3 untouched; the core checks them all. psa_call packs its type and
 * vector counts into one word (sm/sm_abi.h) to keep to four registers.
 */
#include "psa/client.h"
#include "psa/lifecycle.h"
#include "psa/service.h"
#include "sm/sm_abi.h"
#include "sm/sm_device.h"
#include "sm/sm_service.h"
#include "sm_svc.h"

#define STR2(x) #x
#define STR(x)  STR2(x)
#define SVC_STUB(name, number)                                                                     \
    __asm(".section .text." #name ",\"ax\",%progbits\n"                                            \
          ".global " #name "\n"                                                                    \
          ".type " #name ", %function\n"                                                           \
          ".thumb_func\n" #name ":\n"                                                              \
          "    svc #" STR(number) "\n"                                                             \
                                  "    bx lr\n"                                                    \
                                  ".size " #name ", . - " #name "\n")

SVC_STUB(psa_version, SM_SVC_PSA_VERSION);
SVC_STUB(psa_connect, SM_SVC_PSA_CONNECT);
SVC_STUB(sm_psa_call_packed, SM_SVC_PSA_CALL);
SVC_STUB(psa_close, SM_SVC_PSA_CLOSE);
SVC_STUB(psa_wait, SM_SVC_PSA_WAIT);
SVC_STUB(psa_get, SM_SVC_PSA_GET);
SVC_STUB(psa_read, SM_SVC_PSA_READ);
SVC_STUB(psa_skip, SM_SVC_PSA_SKIP);
SVC_STUB(psa_write, SM_SVC_PSA_WRITE);
SVC_STUB(psa_reply, SM_SVC_PSA_REPLY);
SVC_STUB(sm_reply_wait, SM_SVC_REPLY_WAIT);
SVC_STUB(sm_reply_get, SM_SVC_REPLY_GET);
SVC_STUB(psa_set_rhandle, SM_SVC_PSA_SET_RHANDLE);
SVC_STUB(psa_notify, SM_SVC_PSA_NOTIFY);
SVC_STUB(psa_clear, SM_SVC_PSA_CLEAR);
SVC_STUB(psa_eoi, SM_SVC_PSA_EOI);
SVC_STUB(psa_panic, SM_SVC_PSA_PANIC);
SVC_STUB(psa_irq_enable, SM_SVC_PSA_IRQ_ENABLE);
SVC_STUB(psa_irq_disable, SM_SVC_PSA_IRQ_DISABLE);
SVC_STUB(psa_reset_signal, SM_SVC_PSA_RESET_SIGNAL);
SVC_STUB(sm_partition_entry_returned, SM_SVC_ENTRY_RETURNED);
/* A first-level interrupt handler returns here (the core sets it as its lr): its result is
 * already in r0. */
SVC_STUB(sm_flih_returned, SM_SVC_FLIH_DONE);

SVC_STUB(sm_device_flash, SM_SVC_DEVICE_FLASH);
SVC_STUB(sm_derive_key, SM_SVC_DERIVE_KEY);
SVC_STUB(sm_install_config, SM_SVC_INSTALL_CONFIG);
SVC_STUB(sm_entropy, SM_SVC_ENTROPY);
SVC_STUB(sm_client_running, SM_SVC_CLIENT_RUNNING);
SVC_STUB(sm_device_attest, SM_SVC_DEVICE_ATTEST);
SVC_STUB(sm_device_fwu, SM_SVC_DEVICE_FWU);

psa_status_t sm_psa_call_packed(psa_handle_t handle, uint32_t packed, const psa_invec *in_vec,
                                psa_outvec *out_vec);

uint32_t psa_framework_version(void)
{
    return PSA_FRAMEWORK_VERSION;
}

/* FF-M 1.1: the state of this boot, as the install configuration holds it (0, UNKNOWN, when
 * not provisioned); the SM's numbers are the PSA ones (bl_otp.h, checked in test_attest) and
 * the sub-state is 0. */
uint32_t psa_rot_lifecycle_state(void)
{
    return sm_install_config(SM_CONFIG_LIFECYCLE);
}

psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len)
{
    return sm_psa_call_packed(handle, sm_call_pack(type, in_len, out_len), in_vec, out_vec);
}
