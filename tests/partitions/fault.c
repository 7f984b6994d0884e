/*
 * fault.c: test partition TEST_FAULT (see test_services.h). Each request type but FAULT_OK and
 * FAULT_REPLY_PROGRAMMER_ERROR breaks a rule, and the SM must stop this partition for it.
 */
#include <stdint.h>

#include "psa/client.h"
#include "psa/crypto.h"
#include "psa/service.h"
#include "psa_manifest/fault.h"
#include "psa_manifest/sid.h"
#include "sm/sm_device.h"
#include "sm/sm_service.h"
#include "test_services.h"

#ifdef __ARM_ARCH
/* TEST_ECHO's memory block (data, bss, then stack), from the SM's linker script. */
extern uint8_t __sm_p_echo_ram_start[], __sm_p_echo_ram_end[];
#define OTHER_MEMORY ((void *)__sm_p_echo_ram_start)
#define PPB_VTOR     0xE000ED08u /* VTOR_S */
#else
#define OTHER_MEMORY NULL
#endif

static volatile uint32_t sink;

/* Deep enough to overflow any partition stack; `sink` keeps the compiler from proving it
 * endless. */
static uint32_t recurse(uint32_t n)
{
    volatile uint8_t pad[64];
    pad[0] = (uint8_t)n;
    if (n > sink + 100000u) {
        return pad[0];
    }
    return recurse(n + 1) + pad[0];
}

#ifdef __ARM_ARCH
/* A secure partition asking the host to run a command, then to end QEMU. The board has no
 * semihosting: the first BKPT faults and the SM stops this partition. Its own function: the
 * board test that bans BKPT 0xAB from every image (no_semihosting_test.sh) allows it only
 * in functions of this name. */
__attribute__((noinline)) static psa_status_t semihost_attack(void)
{
    static const char command[] = "touch smrun-semihost-partition";
    const uint32_t system[2] = {(uint32_t)(uintptr_t)command, sizeof(command) - 1u};
    const uint32_t exit_ext[2] = {0x20026u, 78};
    register uint32_t r0 __asm("r0") = 0x12u; /* SYS_SYSTEM */
    register const uint32_t *r1 __asm("r1") = system;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    r0 = 0x20u; /* SYS_EXIT_EXTENDED */
    r1 = exit_ext;
    __asm volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return PSA_SUCCESS;
}
#endif

static psa_status_t call(const psa_msg_t *msg)
{
    uint8_t buf[8] = {0};
    switch (msg->type) {
    case FAULT_OK:
        return PSA_SUCCESS;
#ifdef __ARM_ARCH
    case FAULT_READ_OTHER_STACK:
        sink = *(volatile uint32_t *)((uintptr_t)__sm_p_echo_ram_end - 8u);
        return PSA_SUCCESS;
    case FAULT_NULL_WRITE:
        *(volatile uint32_t *)(uintptr_t)sink = 0;
        return PSA_SUCCESS;
    case FAULT_STACK_OVERFLOW:
        return (psa_status_t)recurse(0);
    case FAULT_PPB_READ:
        psa_read(msg->handle, 0, (void *)PPB_VTOR, 4);
        return PSA_SUCCESS;
    case FAULT_PPB_WRITE:
        psa_write(msg->handle, 0, (const void *)PPB_VTOR, 4);
        return PSA_SUCCESS;
    case FAULT_PPB_FLASH:
        return sm_flash_read(0, (void *)PPB_VTOR, 4);
    case FAULT_PPB_KEY:
        return sm_derive_key((const void *)PPB_VTOR, 4, buf, sizeof(buf));
    case FAULT_PPB_ENTROPY:
        return sm_entropy((uint8_t *)PPB_VTOR, 4);
    case FAULT_PPB_CALL: {
        uint8_t hash[32];
        size_t n = 0;
        return psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)PPB_VTOR, 4, hash, sizeof(hash),
                                &n);
    }
    case FAULT_SEMIHOSTING:
        return semihost_attack();
    case FAULT_CORE_SVC:
        /* SM_SVC_DEFER_DONE (core/arch/armv8m/sm_svc.h): only the core's own deferred work,
         * in its own context, may make it; from a partition it would hand it the core's. */
        __asm volatile("svc #41" ::: "memory");
        return PSA_SUCCESS;
    case FAULT_SVC_UNKNOWN: /* past SM_SVC_COUNT: SVC_Handler's out-of-line bound */
        __asm volatile("svc #200" ::: "memory");
        return PSA_SUCCESS;
#endif
    case FAULT_PANIC:
        psa_panic();
    case FAULT_WRITE_PAST_END:
        psa_write(msg->handle, 0, buf, msg->out_size[0] + 1u);
        return PSA_SUCCESS;
    case FAULT_READ_INTO_OTHER:
        psa_read(msg->handle, 0, OTHER_MEMORY, 4);
        return PSA_SUCCESS;
    case FAULT_FLASH_INTO_OTHER:
        return sm_flash_read(0, OTHER_MEMORY, 16);
    case FAULT_KEY_INTO_OTHER:
        return sm_derive_key("k", 1, OTHER_MEMORY, 32);
    case FAULT_CRYPTO_ABANDON: {
        static psa_hash_operation_t held[2]; /* a partition's share of the service's table */
        for (uint32_t i = 0; i < 2; i++) {
            held[i] = psa_hash_operation_init();
            if (psa_hash_setup(&held[i], PSA_ALG_SHA_256) != PSA_SUCCESS) {
                return PSA_ERROR_GENERIC_ERROR;
            }
        }
        psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
        psa_key_id_t key = PSA_KEY_ID_NULL;
        static const uint8_t k[16] = {1};
        psa_set_key_type(&a, PSA_KEY_TYPE_HMAC);
        psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_MESSAGE);
        psa_set_key_algorithm(&a, PSA_ALG_HMAC(PSA_ALG_SHA_256));
        if (psa_import_key(&a, k, sizeof(k), &key) != PSA_SUCCESS) {
            return PSA_ERROR_GENERIC_ERROR;
        }
        psa_panic();
        return PSA_SUCCESS;
    }
    case FAULT_UNDECLARED_CONNECT:
        return psa_connect(TEST_ECHO_SERVICE_SID, 1);
    case FAULT_REPLY_PROGRAMMER_ERROR:
        return PSA_ERROR_PROGRAMMER_ERROR;
    case FAULT_WAIT_NOTHING:
        return (psa_status_t)psa_wait(0x1u, PSA_POLL);
    case FAULT_REPLY_WAIT_BAD: /* the reply is refused: stopped before it waits */
        return (psa_status_t)sm_reply_wait(msg->handle ^ 0x100, PSA_SUCCESS,
                                           TEST_FAULT_SERVICE_SIGNAL);
    case FAULT_REPLY_GET_BAD: { /* the reply is refused: stopped before it waits */
        psa_msg_t next;
        return (psa_status_t)sm_reply_get(msg->handle ^ 0x100, PSA_SUCCESS,
                                          TEST_FAULT_SERVICE_SIGNAL, &next);
    }
    case FAULT_REPLY_GET_OTHER: /* no reply (the call waits on), then a message it may not
                                   write: stopped before it waits, its caller answered */
        return (psa_status_t)sm_reply_get(PSA_NULL_HANDLE, PSA_SUCCESS, TEST_FAULT_SERVICE_SIGNAL,
                                          (psa_msg_t *)OTHER_MEMORY);
    default:
        (void)recurse;
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void fault_main(void)
{
    for (;;) {
        psa_wait(TEST_FAULT_SERVICE_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(TEST_FAULT_SERVICE_SIGNAL, &msg) != PSA_SUCCESS) {
            continue;
        }
        if (msg.type == FAULT_RETURN) {
            return;
        }
        psa_reply(msg.handle, msg.type < 0 ? PSA_SUCCESS : call(&msg));
    }
}
