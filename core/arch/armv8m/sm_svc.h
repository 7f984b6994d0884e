/*
 * sm_svc.h: supervisor call numbers of the SM core on Armv8-M (the SVC instruction's
 * immediate). Partitions use SM_SVC_PSA_* through sm_psa_api.c; the non-secure gateway uses
 * SM_SVC_NS_* (the core accepts those only from the NS agent).
 */
#ifndef SM_SVC_H
#define SM_SVC_H

#define SM_SVC_PSA_VERSION      0
#define SM_SVC_PSA_CONNECT      1
#define SM_SVC_PSA_CALL         2
#define SM_SVC_PSA_CLOSE        3
#define SM_SVC_PSA_WAIT         4
#define SM_SVC_PSA_GET          5
#define SM_SVC_PSA_READ         6
#define SM_SVC_PSA_SKIP         7
#define SM_SVC_PSA_WRITE        8
#define SM_SVC_PSA_REPLY        9
#define SM_SVC_PSA_SET_RHANDLE  10
#define SM_SVC_PSA_NOTIFY       11
#define SM_SVC_PSA_CLEAR        12
#define SM_SVC_PSA_EOI          13
#define SM_SVC_PSA_PANIC        14
#define SM_SVC_PSA_IRQ_ENABLE   15
#define SM_SVC_PSA_IRQ_DISABLE  16
#define SM_SVC_PSA_RESET_SIGNAL 17
#define SM_SVC_ENTRY_RETURNED   18
#define SM_SVC_FLIH_DONE        19 /* a first-level handler returned (r0: its result) */
#define SM_SVC_DEVICE_FLASH     20 /* sm/sm_device.h: r0 operation, r1 offset, r2 buffer, r3 length */
#define SM_SVC_DERIVE_KEY       21
#define SM_SVC_INSTALL_CONFIG   22
#define SM_SVC_ENTROPY          23
#define SM_SVC_CLIENT_RUNNING   24
#define SM_SVC_DEVICE_ATTEST                                                                       \
    25 /* sm/sm_device.h: r0 operation, r1 argument, r2 buffer, r3 length */
#define SM_SVC_DEVICE_FWU      26 /* sm/sm_device.h: r0 operation, r1 argument, r2 buffer, r3 length */
#define SM_SVC_REPLY_WAIT      27 /* sm/sm_service.h: psa_reply, then psa_wait(mask, PSA_BLOCK) */
#define SM_SVC_REPLY_GET       28 /* sm/sm_service.h: psa_reply, psa_wait, psa_get */
#define SM_SVC_PARTITION_COUNT 29 /* numbers below are for partitions */
#define SM_SVC_NS_CONNECT      33
#define SM_SVC_NS_CALL         34
#define SM_SVC_NS_CLOSE        35
#define SM_SVC_START           40 /* sm_main: run the partitions' initialisation */
#define SM_SVC_DEFER_DONE      41 /* the core's deferred work returned (sm_arch_defer) */
#define SM_SVC_COUNT           43 /* the last number is no call: where unknown numbers go */

/* For sm_switch.S: struct sm_thread's size, the offset of its state and SM_STOPPED (checked in
 * sm_arch_armv8m.c). */
#define SM_THREAD_SIZE    236
#define SM_THREAD_STATE   100
#define SM_THREAD_STOPPED 3

#endif /* SM_SVC_H */
