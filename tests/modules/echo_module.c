/*
 * echo_module.c: secure module TEST_MOD_ECHO (echo_module.json), for the module tests: its
 * service copies its input to its output and answers the number of calls so far. Its data are
 * reached through every kind of pointer a module has (docs/design/modules.md): globals through
 * the GOT, a .data pointer to a string in flash and one to a counter in RAM, so that a wrong
 * relocation shows in its answers.
 */
#include <stddef.h>
#include <stdint.h>

#include "psa/service.h"
#include "psa_manifest/echo_module.h"
#include "sm/sm_service.h"

static uint32_t calls;                            /* .bss, through the GOT */
static uint32_t *const volatile counter = &calls; /* .data: a pointer to RAM */
static const char greeting[] = "module says hello";
static const char *volatile greeting_ptr = greeting; /* .data: a pointer to flash */

static psa_status_t serve(const psa_msg_t *msg)
{
    uint8_t buf[64];
    size_t n = psa_read(msg->handle, 0, buf, sizeof(buf));
    if (msg->type == 1) { /* the greeting instead */
        n = sizeof(greeting) - 1;
        for (size_t i = 0; i < n; i++) {
            buf[i] = (uint8_t)greeting_ptr[i];
        }
    }
    if (n > msg->out_size[0]) {
        n = msg->out_size[0];
    }
    psa_write(msg->handle, 0, buf, n);
    return (psa_status_t)++ * counter;
}

void mod_echo_main(void)
{
    /* Each reply, the next wait and its psa_get are one kernel entry (sm/sm_service.h's
     * sm_reply_get). It waits for the service's signal alone, so each return holds a message. */
    psa_msg_t msg;
    (void)sm_reply_get(PSA_NULL_HANDLE, PSA_SUCCESS, TEST_MOD_ECHO_SIGNAL, &msg);
    for (;;) {
        (void)sm_reply_get(msg.handle, serve(&msg), TEST_MOD_ECHO_SIGNAL, &msg);
    }
}
