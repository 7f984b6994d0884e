/*
 * probe_module.c: secure module TEST_MOD_PROBE (probe_module.json), for the module tests on
 * the board (tests/qemu/module_test.sh). Its service, by message type:
 *   PROBE_NOTHING   replies at once (the benchmark's module call, scripts/bench.sh);
 *   PROBE_VIA_ECHO  calls TEST_MOD_ECHO (the dependency it declares) with its input, writes
 *                   the answer to its output and replies with TEST_MOD_ECHO's status;
 *   PROBE_READ      reads the word at the address its input names and writes it back (the
 *                   MPU must stop it for any memory that is not its own);
 *   PROBE_PANIC     calls psa_panic;
 *   PROBE_UNDECLARED calls a service it did not declare (a programmer error);
 *   PROBE_RAM       replies with the address of one of its globals (its RAM window);
 *   PROBE_SPIN      replies, then never blocks again (a loop the time slice must contain).
 * The message types are also in tests/qemu/ns_module_test.c.
 */
#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"
#include "psa/service.h"
#include "psa_manifest/probe_module.h"

#define PROBE_NOTHING     0
#define PROBE_VIA_ECHO    1
#define PROBE_READ        2
#define PROBE_PANIC       3
#define PROBE_UNDECLARED  4
#define PROBE_RAM         5
#define PROBE_SPIN        6
/* TEST_MOD_ECHO's stateless handle (tests/modules/echo_module.json: version 1, index 20). */
#define ECHO_HANDLE       ((psa_handle_t)0x40000114)
/* TEST_ECHO_STATELESS, a built-in service of the test SM image this module does not declare. */
#define UNDECLARED_HANDLE ((psa_handle_t)0x40000201)

static uint32_t served; /* .bss, in its RAM window */

static psa_status_t serve(const psa_msg_t *msg)
{
    if (msg->type == PROBE_NOTHING) {
        return PSA_SUCCESS;
    }
    uint8_t buf[64];
    size_t n = psa_read(msg->handle, 0, buf, sizeof(buf));
    served++;
    switch (msg->type) {
    case PROBE_VIA_ECHO: {
        uint8_t answer[64];
        psa_invec in = {buf, n};
        psa_outvec out = {answer, sizeof(answer)};
        psa_status_t st = psa_call(ECHO_HANDLE, 0, &in, 1, &out, 1);
        size_t m = out.len < msg->out_size[0] ? out.len : msg->out_size[0];
        psa_write(msg->handle, 0, answer, m);
        return st;
    }
    case PROBE_READ: {
        if (n != 4u) {
            return PSA_ERROR_INVALID_ARGUMENT;
        }
        const uint32_t addr = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 |
                              (uint32_t)buf[3] << 24;
        uint32_t word = *(volatile const uint32_t *)(uintptr_t)addr; /* anywhere: on purpose */
        psa_write(msg->handle, 0, &word, sizeof(word));
        return PSA_SUCCESS;
    }
    case PROBE_PANIC:
        psa_panic();
        return PSA_SUCCESS;
    case PROBE_UNDECLARED:
        return psa_call(UNDECLARED_HANDLE, 0, NULL, 0, NULL, 0);
    case PROBE_SPIN:
        return PSA_SUCCESS; /* then the loop in mod_probe_main */
    case PROBE_RAM:
        return (psa_status_t)(uintptr_t)&served;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void mod_probe_main(void)
{
    for (;;) {
        (void)psa_wait(TEST_MOD_PROBE_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(TEST_MOD_PROBE_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, serve(&msg));
            while (msg.type == PROBE_SPIN) {
                __asm volatile("" ::: "memory"); /* busy for ever, never waiting */
            }
        }
    }
}
