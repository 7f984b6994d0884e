/*
 * lc_probe.c: the test partition TEST_LC_PROBE (lc_probe.h): lifecycle requests handed to the
 * core from the buffers the host test names.
 */
#include <stdint.h>

#include "lc_probe.h"
#include "psa/service.h"
#include "psa_manifest/lc_probe.h"
#include "sm/sm_device.h"
#include "sm/sm_lifecycle.h"

static uint8_t req[LC_PROBE_BUF];

static psa_status_t serve(const psa_msg_t *msg)
{
    switch (msg->type) {
    case LC_PROBE_SEND: {
        const size_t n = msg->in_size[0];
        if (n > sizeof(req) || psa_read(msg->handle, 0, req, n) != n) {
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        return sm_lifecycle_move(req, n);
    }
    case LC_PROBE_NULL:
        return sm_lifecycle_move(NULL, SM_LIFECYCLE_REQUEST_SIZE); /* not reached */
    case LC_PROBE_WRAP:
        return sm_lifecycle_move((const void *)(UINTPTR_MAX - 8u), SM_LIFECYCLE_REQUEST_SIZE);
    case LC_PROBE_EMPTY:
        return sm_lifecycle_move(NULL, 0);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void lc_probe_main(void)
{
    for (;;) {
        (void)psa_wait(TEST_LC_PROBE_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(TEST_LC_PROBE_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, serve(&msg));
        }
    }
}
