/*
 * fwu_client.c: the test partition TEST_FWU_CLIENT (fwu_client.h): the PSA Firmware Update API
 * from a secure partition, and an attempt on the update service's device calls.
 */
#include <stdint.h>
#include <string.h>

#include "fwu_client.h"
#include "psa/service.h"
#include "psa/update.h"
#include "psa_manifest/fwu_client.h"
#include "sm/sm_device.h"

static uint8_t data[FWU_CLIENT_BUF];

static psa_status_t serve(const psa_msg_t *msg)
{
    struct fwu_client_args a;
    if (psa_read(msg->handle, 0, &a, sizeof(a)) != sizeof(a) || msg->in_size[1] > sizeof(data) ||
        psa_read(msg->handle, 1, data, msg->in_size[1]) != msg->in_size[1]) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    const psa_fwu_component_t c = (psa_fwu_component_t)a.component;
    switch (msg->type) {
    case FWU_CLIENT_QUERY: {
        psa_fwu_component_info_t info;
        psa_status_t status = psa_fwu_query(c, &info);
        psa_write(msg->handle, 0, &info, sizeof(info));
        return status;
    }
    case FWU_CLIENT_START:
        return psa_fwu_start(c, msg->in_size[1] != 0u ? data : NULL, msg->in_size[1]);
    case FWU_CLIENT_WRITE:
        return psa_fwu_write(c, a.offset, data, msg->in_size[1]);
    case FWU_CLIENT_FINISH:
        return psa_fwu_finish(c);
    case FWU_CLIENT_CANCEL:
        return psa_fwu_cancel(c);
    case FWU_CLIENT_CLEAN:
        return psa_fwu_clean(c);
    case FWU_CLIENT_INSTALL:
        return psa_fwu_install();
    case FWU_CLIENT_REBOOT:
        return psa_fwu_request_reboot();
    case FWU_CLIENT_REJECT:
        return psa_fwu_reject(a.error);
    case FWU_CLIENT_ACCEPT:
        return psa_fwu_accept();
    case FWU_CLIENT_DEVICE: {
        struct sm_fwu_slot s;
        return sm_fwu_slot(c, &s); /* not reached: a programmer error */
    }
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void fwu_client_main(void)
{
    for (;;) {
        (void)psa_wait(TEST_FWU_CLIENT_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(TEST_FWU_CLIENT_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, serve(&msg));
        }
    }
}
