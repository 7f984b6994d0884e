/*
 * fwu_probe.c: the test partition TEST_FWU_PROBE (fwu_probe.h): the core's firmware update
 * calls, made as the host test asks.
 */
#include <stdint.h>
#include <string.h>

#include "fwu_probe.h"
#include "psa/service.h"
#include "psa_manifest/fwu_probe.h"
#include "sm/sm_device.h"

static uint8_t data[FWU_PROBE_BUF];

static psa_status_t serve(const psa_msg_t *msg)
{
    struct fwu_probe_args a;
    if (psa_read(msg->handle, 0, &a, sizeof(a)) != sizeof(a) || msg->in_size[1] > sizeof(data) ||
        psa_read(msg->handle, 1, data, msg->in_size[1]) != msg->in_size[1]) {
        return PSA_ERROR_PROGRAMMER_ERROR;
    }
    int rc;
    switch (msg->type) {
    case FWU_PROBE_READ:
        if (a.len > sizeof(data)) {
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        rc = sm_fwu_flash_read(a.component, a.offset, data, a.len);
        if (rc == SM_FLASH_OK) {
            psa_write(msg->handle, 0, data, a.len);
        }
        return rc;
    case FWU_PROBE_PROGRAM:
        return sm_fwu_flash_program(a.component, a.offset, data, msg->in_size[1]);
    case FWU_PROBE_ERASE:
        return sm_fwu_flash_erase(a.component, a.offset, a.len);
    case FWU_PROBE_BLANK:
        return sm_fwu_flash_blank(a.component, a.offset, a.len);
    case FWU_PROBE_SLOT: {
        struct sm_fwu_slot s;
        memset(&s, 0xA5, sizeof(s));
        psa_status_t status = sm_fwu_slot(a.component, &s);
        psa_write(msg->handle, 0, &s, sizeof(s));
        return status;
    }
    case FWU_PROBE_VERIFY: {
        struct sm_fwu_image img;
        memset(&img, 0xA5, sizeof(img));
        psa_status_t status = sm_fwu_verify(a.component, &img);
        psa_write(msg->handle, 0, &img, sizeof(img));
        return status;
    }
    case FWU_PROBE_MARK:
        return sm_fwu_mark(a.component, a.mark, a.error);
    case FWU_PROBE_REQUEST:
        return sm_fwu_request(a.component);
    case FWU_PROBE_CONFIRM:
        return sm_fwu_confirm(a.component);
    case FWU_PROBE_AREA_READ:
        if (a.len > sizeof(data)) {
            return PSA_ERROR_PROGRAMMER_ERROR;
        }
        return sm_flash_read(a.offset, data, a.len);
    case FWU_PROBE_BAD_OP:
        return sm_device_flash(SM_DEVICE_FLASH_SIZE + 1u + SM_DEVICE_FLASH_COMPONENT(a.component),
                               0, NULL, 0);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

void fwu_probe_main(void)
{
    for (;;) {
        (void)psa_wait(TEST_FWU_PROBE_SIGNAL, PSA_BLOCK);
        psa_msg_t msg;
        if (psa_get(TEST_FWU_PROBE_SIGNAL, &msg) == PSA_SUCCESS) {
            psa_reply(msg.handle, serve(&msg));
        }
    }
}
